"""The interface translations: every patient-facing string translated, `.qm` built from `.ts`."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "resources" / "translations"
sys.path.insert(0, str(ROOT))
import dev  # noqa: E402 - the project's own script lists the patient-facing modules

SOURCES = sorted(TRANSLATIONS.glob("kiosk_*.ts"))


def qt_tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip(f"{name} is not installed beside this Python")
    return found


def test_there_is_a_spanish_translation() -> None:
    assert [source.name for source in SOURCES] == ["kiosk_es.ts"]


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.stem)
def test_every_string_patients_read_is_translated(source: Path, tmp_path: Path) -> None:
    # lupdate into a copy: strings added to the code since the .ts was last updated show
    # up as unfinished; strings the code no longer has show up as vanished.
    copy = tmp_path / source.name
    shutil.copy(source, copy)
    subprocess.run(
        [
            qt_tool("pyside6-lupdate"),
            "-locations",
            "none",
            *dev.patient_interface_sources(),
            "-ts",
            str(copy),
        ],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    untranslated = [
        f"{context.findtext('name')}: {message.findtext('source')!r}"
        for context in ET.parse(copy).getroot()  # noqa: S314 - the project's own file
        for message in context.findall("message")
        if (message.find("translation") is None)
        or message.find("translation").get("type") in {"unfinished", "vanished", "obsolete"}  # type: ignore[union-attr]
        or not (message.findtext("translation") or "").strip()
    ]
    assert untranslated == [], "run `python3 dev.py translations` and translate these"


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.stem)
def test_the_shipped_qm_is_built_from_its_ts(source: Path, tmp_path: Path) -> None:
    built = tmp_path / "built.qm"
    subprocess.run(
        [qt_tool("pyside6-lrelease"), str(source), "-qm", str(built)],
        check=True,
        capture_output=True,
    )
    shipped = source.with_suffix(".qm")
    assert shipped.read_bytes() == built.read_bytes(), "run `python3 dev.py translations`"
