"""Fixtures for running the `kiosk` command: a throwaway home and database."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path


@pytest.fixture
def db(new_database_url: Callable[..., str], home: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The `--database` a command is given, on each engine: a SQLite file, a server, made
    as clinic IT makes it (`kiosk db init`).

    The kiosk refuses a password on its command line (every user can read it there), so
    the server's password goes where clinic IT would put it: libpq's password file.
    """
    url = make_url(new_database_url("clinic", made=True))
    if url.password is None:
        return url.render_as_string(hide_password=False)
    password_file = home / "pgpass"
    password_file.write_text(f"*:*:*:{url.username}:{url.password}\n")
    password_file.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(password_file))
    return url._replace(password=None).render_as_string(hide_password=False)
