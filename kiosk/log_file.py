"""The log's file itself: rotating, and closed to other users of the computer.

A module of its own because `logging.handlers` loads sockets, pickle and queues: the
kiosk opens its log once Welcome's first frame has been painted (`kiosk.logs`).
"""

from __future__ import annotations

from io import TextIOWrapper
from logging.handlers import RotatingFileHandler
from pathlib import Path

from kiosk.file_access import create_file, keep_from_others
from kiosk.overriding import override


class LogFile(RotatingFileHandler):
    """A rotating log whose every file, the first and each one after a rotation, is 0660."""

    @override
    def _open(self) -> TextIOWrapper:
        path = Path(self.baseFilename)
        if not create_file(path):
            keep_from_others(path)  # written by an earlier version, open to everyone
        return super()._open()
