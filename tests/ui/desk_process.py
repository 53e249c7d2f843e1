"""A front desk in a process of its own, for the tests of what reaches another computer.

The desk signs in as staff, answers every note it is asked for with `reply`, prints
"ready", then runs `look` (the test's own steps, Python source) every 100 ms until it
quits or `seconds` pass; it closes as the desk program does. `go_on` is a file the test
makes when the desk may go on (acknowledge, say).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_BEFORE = """
import sys
from pathlib import Path
sys.path.insert(0, {root!r})
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QLabel, QPushButton
from kiosk.actor import Role, StaffMember
from kiosk.settings import load_settings
from kiosk.station import Station
from ui.desk.desk_window import DeskWindow
from ui.errands import finish_errands
from ui.visit_walk import click

app = QApplication([])
settings = load_settings({{"database_url": {url!r}}})
station = Station.open(settings, name="front-desk")
desk = DeskWindow(station, settings, StaffMember(1, "maria", frozenset({{Role.STAFF}})))
desk.resize(1366, 768)
desk.show()
QInputDialog.getText = lambda *args, **kwargs: ({reply!r}, True)
go_on = Path({go_on!r})
step = ["waiting"]


def press(line, text):
    click(next(b for b in line.findChildren(QPushButton) if b.text() == text))
"""

_AFTER = """
print("ready", flush=True)
timer = QTimer()
timer.timeout.connect(look)
timer.start(100)
QTimer.singleShot({milliseconds}, app.quit)
app.exec()
finish_errands()  # as the desk program does before it closes its database
station.close()
"""


def start_desk(
    database_url: str, go_on: Path, *, reply: str, look: str, seconds: int
) -> subprocess.Popen[str]:
    """The desk's process, its output piped (read it with `Lines`)."""
    script = (
        _BEFORE.format(root=str(ROOT), url=database_url, reply=reply, go_on=str(go_on))
        + textwrap.dedent(look)
        + _AFTER.format(milliseconds=seconds * 1000)
    )
    return subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)


class Lines:
    """What a process printed so far, read on a thread so the test's Qt loop runs on."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        self.process = process
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def close(self) -> None:
        """The process has ended: its output read to the end, and the pipe closed."""
        self.reader.join(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.strip())

    def said(self, start: str) -> str | None:
        return next((line for line in self.lines if line.startswith(start)), None)
