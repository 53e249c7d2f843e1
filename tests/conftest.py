"""Fixtures shared by every test: a clock, the bundled pack, a throwaway database."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.content import ContentPack
from kiosk.content_versions import content_in_use
from kiosk.database import Database
from kiosk.pack_loader import bundled_pack_dir, load_pack
from kiosk.visit import Visit
from kiosk.visit_walk import ManualClock
from tests.databases import made_database


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the developer's own settings file or KIOSK_ variables."""
    import os

    for name in list(os.environ):
        if name.startswith("KIOSK_"):
            monkeypatch.delenv(name)
    # Nothing a test does lands in the developer's own data, state or log folders.
    for variable in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(variable, str(tmp_path / "xdg" / variable.lower()))
    settings_file = tmp_path / "empty-kiosk.toml"
    # No voice unless a test asks for one: where speech-dispatcher is installed (CI) the
    # system's voice would otherwise read in every test's kiosk.
    settings_file.write_text("read_aloud = false\n")
    settings_file.chmod(0o600)  # others may not change settings, whatever the umask
    monkeypatch.setenv("KIOSK_CONFIG", str(settings_file))


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture(scope="session")
def pack() -> ContentPack:
    return load_pack(bundled_pack_dir())


@pytest.fixture
def pack_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled pack, for tests that break it."""
    target = tmp_path / "pack"
    shutil.copytree(bundled_pack_dir(), target)
    # The base pack in the clinic's language: a test that edits its files would otherwise
    # also (rightly) be told that the Spanish translation no longer matches.
    shutil.rmtree(target / "translations")
    return target


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    db = made_database(f"sqlite:///{tmp_path / 'kiosk.sqlite3'}")
    yield db
    db.close()


def store_visit(database: Database, visit: Visit) -> None:
    """Store a finished visit the way the kiosk does: one transaction."""
    from kiosk.stored_visits import save_visit

    with database.session() as session, session.begin():
        content_in_use(session, None, visit.clock())  # the bundled pack on a new database
        save_visit(session, visit, station="test-station")
