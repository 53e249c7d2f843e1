"""Which databases this station has used, so a deleted one is not taken for a new one.

A kiosk restarted after its database was deleted must not make a new, empty one: the
clinic's content, accounts and visits would silently start over. But on a fresh machine
there is nothing yet and `kiosk db init` must make it. The difference is this record: a
line per database this station opened, kept in the station's data folder and keyed by
the database's address without its secrets (a SQLite file by its full path).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from sqlalchemy.engine import URL

from kiosk.database_url import shown_url
from kiosk.file_access import make_folder
from kiosk.settings import data_dir

log = logging.getLogger(__name__)

RECORD_NAME = "databases-used.jsonl"


def _record() -> Path:
    return data_dir() / RECORD_NAME


def database_key(url: URL, file: Path | None) -> str:
    """How the record names a database: a SQLite file's full path, else its shown URL."""
    if file is not None:
        return f"sqlite-file:{file.absolute().as_posix()}"
    return shown_url(url)


def _keys() -> set[str]:
    try:
        lines = _record().read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return set()
    except OSError as error:
        # Unreadable: treat every database as new rather than stop the station.
        log.warning("the record of databases used cannot be read: %s", type(error).__name__)
        return set()
    keys: set[str] = set()
    for line in lines:
        try:
            key = json.loads(line)
        except ValueError:
            continue  # a line cut short by a crash; the next use writes it again
        if isinstance(key, str):
            keys.add(key)
    return keys


def used_here(url: URL, file: Path | None) -> bool:
    """Whether this station has used this database before (reads only; creates nothing)."""
    return database_key(url, file) in _keys()


def remember_use(url: URL, file: Path | None) -> None:
    """Note that this station uses this database (once; a failure is only logged)."""
    key = database_key(url, file)
    if key in _keys():
        return
    try:
        make_folder(_record().parent)
        # One short line appended: two stations writing at once each keep their own.
        with _record().open("a", encoding="utf-8") as record:
            record.write(json.dumps(key, ensure_ascii=False) + "\n")
    except OSError as error:
        log.warning("the record of databases used cannot be written: %s", type(error).__name__)
