"""Closing the kiosk leaves nothing of it running: no voice check, no Qt warning."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QProcess
from pytestqt.qtbot import QtBot

from kiosk.database import Database
from kiosk.settings import load_settings
from kiosk.station import Station
from tests.conftest import url_of
from tests.integration.running import kiosk
from ui import read_aloud
from ui.kiosk_window import KioskWindow


class _VoiceThatIsThere:
    """Qt's text to speech as far as the kiosk asks before its voice's check answers."""

    @staticmethod
    def availableEngines() -> list[str]:  # noqa: N802 - Qt's name
        return ["mock"]


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A child that ended but was never waited for is not running either.
    status = Path(f"/proc/{pid}/stat")
    return not (status.exists() and status.read_text().split(")")[-1].split()[0] == "Z")


def test_closing_the_kiosk_ends_a_voice_check_still_running(
    qtbot: QtBot, database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(read_aloud, "_CHECKS", {})
    monkeypatch.setattr(read_aloud, "_text_to_speech_class", lambda: _VoiceThatIsThere)
    # A voice whose check never answers (a speech server stuck on an earlier request).
    monkeypatch.setattr(read_aloud, "VOICE_CHECK", ["-c", "import time; time.sleep(120)"])
    settings = load_settings(
        {"database_url": url_of(database), "read_aloud": True, "speech_engine": "mock"}
    )
    window = KioskWindow(Station(database, "lobby"), settings)
    qtbot.addWidget(window)
    window.show()
    check: Any = read_aloud._CHECKS["mock"]
    process: QProcess = check._process
    qtbot.waitUntil(lambda: process.state() == QProcess.ProcessState.Running)
    pid = process.processId()
    assert _running(pid)

    window.close()

    assert not _running(pid)
    assert "mock" not in read_aloud._CHECKS  # a kiosk opened later checks again


def test_a_kiosk_that_quits_leaves_no_process_and_no_warning(tmp_path: Path) -> None:
    from PySide6.QtTextToSpeech import QTextToSpeech

    if not QTextToSpeech.availableEngines():
        pytest.skip("no text to speech engine here: the kiosk starts no voice check")
    home = tmp_path
    kiosk("db", "init", home=home, check=True)
    (home / "kiosk.toml").write_text("read_aloud = true\n")
    # The first start has no Welcome card: the voice's check begins before the first
    # frame, and is still running when the kiosk quits.
    result = kiosk(
        "run", "--exit-after-first-paint", home=home, extra_env={"QT_QPA_PLATFORM": "offscreen"}
    )
    assert result.returncode == 0, result.stderr
    assert "QProcess: Destroyed" not in result.stderr
    assert "Traceback" not in result.stderr
    assert _voice_checks_of(home) == []


def _voice_checks_of(home: Path) -> list[int]:
    """Processes still running a voice check for the kiosk that ran in `home`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
            environment = (entry / "environ").read_bytes()
        except OSError:
            continue
        if b"ui.voice_check" in command and f"HOME={home}".encode() in environment.split(b"\0"):
            found.append(int(entry.name))
    return found
