"""The application's log: a rotating file in the user's log folder, with no health data.

Nothing here can know what a name looks like, so the rule is structural: the code logs
IDs, counts and kinds of errors, never values; and an unexpected exception is logged as
its type and where it happened, without its message (an error's text can carry the
values it failed on — SQLAlchemy's, for one, carries the row being written).
"""

from __future__ import annotations

import logging
import traceback
from io import TextIOWrapper
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

import platformdirs
from typing_extensions import override

from kiosk import APP_NAME
from kiosk.file_access import create_file, keep_from_others, make_folder

LOG_FILE = "kiosk.log"
MAX_BYTES = 1_000_000
BACKUPS = 5
_HANDLER_NAME = "kiosk-rotating-file"


def log_folder() -> Path:
    """The user's log folder for this app."""
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


class _LogFile(RotatingFileHandler):
    """A rotating log whose every file, the first and each one after a rotation, is 0660."""

    @override
    def _open(self) -> TextIOWrapper:
        path = Path(self.baseFilename)
        if not create_file(path):
            keep_from_others(path)  # written by an earlier version, open to everyone
        return super()._open()


def configure_logging(folder: Path | None = None, level: int = logging.INFO) -> Path:
    """Send the app's log to a rotating file (once per process); returns the file's path."""
    folder = folder or log_folder()
    make_folder(folder)
    path = folder / LOG_FILE
    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler.get_name() == _HANDLER_NAME:
            root.removeHandler(handler)
            handler.close()
    handler = _LogFile(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    return path


def log_unexpected(
    kind: type[BaseException], trace: TracebackType | None, logger: logging.Logger | None = None
) -> None:
    """Log an unexpected error by its type and the lines it passed through, not its text."""
    frames = traceback.extract_tb(trace)
    where = " <- ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(frames))
    (logger or logging.getLogger("kiosk")).error(
        "unexpected %s at %s", kind.__name__, where or "an unknown place"
    )
