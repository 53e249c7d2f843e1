"""The application's log: a rotating file in the user's log folder, with no health data.

Nothing here can know what a name looks like, so the rule is structural: the code logs
IDs, counts and kinds of errors, never values; and an unexpected exception is logged as
its type and where it happened, without its message (an error's text can carry the
values it failed on — SQLAlchemy's, for one, carries the row being written).
"""

from __future__ import annotations

import logging
import traceback
from pathlib import Path
from types import TracebackType

import platformdirs

from kiosk import APP_NAME
from kiosk.file_access import make_folder
from kiosk.overriding import override

LOG_FILE = "kiosk.log"
MAX_BYTES = 1_000_000
BACKUPS = 5
_HANDLER_NAME = "kiosk-rotating-file"
# Records kept for a log not opened yet: far more than a start ever makes.
_MOST_HELD = 1000


def log_folder() -> Path:
    """The user's log folder for this app."""
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def log_file(folder: Path | None = None) -> Path:
    """Where the log is written (`configure_logging` opens it)."""
    return (folder or log_folder()) / LOG_FILE


class _HeldRecords(logging.Handler):
    """The records of a process whose log is not open yet, written once it is."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []
        self.target: logging.Handler | None = None

    @override
    def emit(self, record: logging.LogRecord) -> None:
        # Called with this handler's lock held (logging.Handler.handle).
        if self.target is not None:
            self.target.handle(record)  # one logged while the log was being opened
        elif len(self.records) < _MOST_HELD:
            self.records.append(record)

    def write_to(self, target: logging.Handler) -> None:
        """Hand every record kept, and any still to come, to `target`."""
        self.acquire()
        try:
            for record in self.records:
                target.handle(record)
            self.records.clear()
            self.target = target
        finally:
            self.release()


def hold_log_records(level: int = logging.INFO) -> None:
    """Keep what is logged from now until `open_held_log` (or `configure_logging`) opens
    the log, and write it there then: the kiosk opens its log after Welcome's first frame,
    and nothing logged before is lost."""
    root = logging.getLogger()
    if not any(isinstance(h, _HeldRecords) or h.get_name() == _HANDLER_NAME for h in root.handlers):
        root.addHandler(_HeldRecords())
    root.setLevel(level)


def open_held_log() -> None:
    """Open the log if records are being held for it (`hold_log_records`)."""
    if any(isinstance(h, _HeldRecords) for h in logging.getLogger().handlers):
        configure_logging()


def configure_logging(folder: Path | None = None, level: int = logging.INFO) -> Path:
    """Send the app's log to a rotating file (once per process); returns the file's path.
    Records held until now (`hold_log_records`) are written to it first."""
    # Only here: the rotating file's module loads sockets, pickle and queues.
    from kiosk.log_file import LogFile

    path = log_file(folder)
    make_folder(path.parent)
    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler.get_name() == _HANDLER_NAME:
            root.removeHandler(handler)
            handler.close()
    handler = LogFile(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    for held in [h for h in root.handlers if isinstance(h, _HeldRecords)]:
        root.removeHandler(held)
        held.write_to(handler)
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
