"""Fixtures shared by every test: a clock, the bundled pack, a throwaway database."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.content import Answer, ContentPack
from kiosk.content_versions import content_in_use
from kiosk.database import Database, open_database
from kiosk.pack_loader import bundled_pack_dir, load_pack
from kiosk.signature import Signature
from kiosk.visit import Visit


class FakeClock:
    """A clock the test moves by hand, so times in a visit are exact."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 28, 15, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


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
def clock() -> FakeClock:
    return FakeClock()


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
    db = open_database(f"sqlite:///{tmp_path / 'kiosk.sqlite3'}")
    yield db
    db.close()


SCRIBBLE = Signature((((10.0, 40.0), (30.0, 20.0), (50.0, 45.0), (80.0, 15.0)),), 400, 120)


def play_visit(
    pack: ContentPack,
    clock: FakeClock,
    *,
    first: str = "Ana",
    last: str = "García",
    born: str = "04/15/1968",
    answers: dict[str, Answer] | None = None,
    ride: tuple[str, str, str] | None = ("Luis García", "(555) 201-3344", "husband"),
    talk_first: bool = False,
) -> Visit:
    """Tap through a whole visit as a patient would, a few seconds per screen."""
    visit = Visit(pack, clock=clock)
    visit.start()
    assert visit.enter_details(first, last, born) == []
    for _ in pack.slides:
        clock.advance(7)
        visit.next_slide()
    for question in pack.questions:
        clock.advance(4)
        visit.answer((answers or {}).get(question.id, Answer.NO))
        visit.next_question()
    clock.advance(5)
    visit.confirm_answers()
    if talk_first:
        visit.talk_to_staff_first()
        return visit
    for statement in pack.consent_statements:
        clock.advance(2)
        visit.acknowledge(statement.id)
    clock.advance(6)
    visit.sign(SCRIBBLE)
    clock.advance(10)
    if ride is None:
        visit.no_ride_yet()
    else:
        assert visit.enter_ride_home(*ride) == []
    return visit


def store_visit(database: Database, visit: Visit) -> None:
    """Store a finished visit the way the kiosk does: one transaction."""
    from kiosk.stored_visits import save_visit

    with database.session() as session, session.begin():
        content_in_use(session, None, visit.clock())  # the bundled pack on a new database
        save_visit(session, visit, station="test-station")
