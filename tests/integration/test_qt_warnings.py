"""A Qt warning fails the test that caused it, unless it is one of Qt's own about the machine."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

WARNING_TESTS = """
from PySide6.QtCore import qWarning
from pytestqt.qtbot import QtBot


def test_a_warning_of_ours(qtbot: QtBot) -> None:
    qWarning("QWidget::setLayout: Attempting to set QLayout on a widget with a layout")


def test_the_offscreen_platform_saying_what_it_cannot_do(qtbot: QtBot) -> None:
    qWarning("This plugin does not support propagateSizeHints()")
"""


def test_a_qt_warning_fails_the_test_and_the_platforms_own_do_not(tmp_path: Path) -> None:
    tests = tmp_path / "test_warnings.py"
    tests.write_text(WARNING_TESTS)
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-c",
            str(ROOT / "pyproject.toml"),
            "--rootdir",
            str(tmp_path),
            "-p",
            "no:cacheprovider",
            "-q",
            str(tests),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        timeout=120,
    )
    assert "1 failed, 1 passed" in run.stdout, run.stdout + run.stderr
    assert "FAILED test_warnings.py::test_a_warning_of_ours" in run.stdout
    assert "Qt messages with level WARNING or above emitted" in run.stdout
