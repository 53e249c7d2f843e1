"""When the database cannot take a finished visit, the visit is kept and stored later.

Each case is tapped through on the real kiosk window: locked past the busy timeout,
opened read-only, its file deleted, and full. The patient is never told the desk can
see a check-in it cannot; nothing the patient gave is lost.
"""

from __future__ import annotations

import dataclasses
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import event

from kiosk.actor import Role, StaffMember
from kiosk.audit import AuditAction, entries
from kiosk.backup import backup
from kiosk.content_versions import content_in_use
from kiosk.database import Database, open_database
from kiosk.held_visits import HeldVisits, HoldReason
from kiosk.settings import Settings
from kiosk.station import Station
from kiosk.stored_visits import list_visits, load_visit
from kiosk.visit import KioskTiming, utc_now
from tests.databases import made_database
from ui.desk.desk_window import DeskWindow
from ui.kiosk_window import KioskWindow
from ui.screens.done import DoneScreen
from ui.visit_walk import complete_visit, current, tap


def open_kiosk(qtbot: QtBot, database: Database, settings: Settings) -> KioskWindow:
    kiosk = KioskWindow(
        Station(database, "front-kiosk"),
        settings,
        timing=KioskTiming(double_tap_guard_seconds=0, done_seconds=60),
    )
    qtbot.addWidget(kiosk)
    kiosk.resize(1080, 1920)
    # The content in use is read once, as the window opens: nothing of it still runs when
    # a test takes the database away.
    kiosk.show()
    qtbot.waitExposed(kiosk)
    return kiosk


@pytest.fixture
def kiosk_database(settings: Settings) -> Iterator[Database]:
    """The kiosk's own connection, giving up on a locked database after 0.3 s, not 5."""
    database = made_database(settings.database_url, busy_timeout_ms=300)
    yield database
    database.close()


def stored_names(database: Database) -> list[tuple[str, str]]:
    with database.session() as session:
        records = [load_visit(session, v.id) for v in list_visits(session)]
    return [(r.first_name, r.last_name) for r in records if r is not None]


def finish_held(qtbot: QtBot, kiosk: KioskWindow, **visit: Any) -> None:
    """A whole visit that the database does not take: kept, and the patient told so."""
    with qtbot.waitSignal(kiosk.visit_held, timeout=5000):
        complete_visit(kiosk, **visit)
    done = current(kiosk)
    assert done is kiosk.screens.done  # type: ignore[union-attr]
    assert "Please tell the front desk you are done" in done.heading.text()  # type: ignore[attr-defined]
    assert "cannot see them yet" in done.next_steps.text()  # type: ignore[attr-defined]
    tap(done, "Finish")
    assert current(kiosk) is kiosk.welcome


def test_a_locked_database_keeps_the_visit_and_stores_it_when_free(
    qtbot: QtBot, kiosk_database: Database, database: Database, settings: Settings
) -> None:
    kiosk = open_kiosk(qtbot, kiosk_database, settings)
    database_file = settings.database_url.removeprefix("sqlite:///")
    other_writer = sqlite3.connect(database_file, isolation_level=None)
    other_writer.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        finish_held(qtbot, kiosk, first="Marta", last="Lindqvist", answers={2: "Yes"})
        assert stored_names(database) == []
        held = HeldVisits(settings.held_visits_dir).held()
        assert [h.reason for h in held] == [HoldReason.LOCKED]
        # Check-in goes on while the database is only busy.
        assert kiosk.welcome.start_button.isVisible()
        assert kiosk.welcome.start_button.isEnabled()
        with qtbot.waitSignal(kiosk.held_visits_tried, timeout=10_000):
            kiosk.store_held_visits()  # still locked: tried, and still kept
        assert stored_names(database) == []
        assert len(HeldVisits(settings.held_visits_dir).held()) == 1
    finally:
        other_writer.execute("ROLLBACK")
        other_writer.close()

    with qtbot.waitSignal(kiosk.visit_stored, timeout=5000):
        kiosk.store_held_visits()
    assert stored_names(database) == [("Marta", "Lindqvist")]
    assert HeldVisits(settings.held_visits_dir).held() == []
    assert not any(settings.held_visits_dir.glob("*.json"))
    with database.session() as session:
        record = load_visit(session, next(iter(list_visits(session))).id)
        assert record is not None
        assert [a.answer for a in record.answers] == ["no", "yes", "no", "no", "no"]
        assert record.flags
        assert record.signature_png
        assert record.ride is not None
        assert record.ride.driver_name == "Luis"
        stored = [e for e in entries(session) if e.action == AuditAction.VISIT_STORED]
        assert len(stored) == 1
        assert "kept on the kiosk" in stored[0].detail
        assert "busy" in stored[0].detail


def test_the_last_tap_shows_done_at_once_while_a_locked_database_makes_the_visit_wait(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    # The kiosk's own connection waits the full 5 s for a locked database, as in a clinic.
    kiosk = open_kiosk(qtbot, database, settings)
    database_file = settings.database_url.removeprefix("sqlite:///")
    other_writer = sqlite3.connect(database_file, isolation_level=None)
    other_writer.execute("BEGIN IMMEDIATE")  # a backup or another program holds the lock
    try:
        complete_visit(kiosk, first="Amara", last="Okafor", talk_first=True, until_saved=False)
        # The tap came back at once: Done is on screen, saying it is saving, and Finish
        # waits so that the patient is still here to hear where their answers went.
        done = current(kiosk)
        assert done is kiosk.screens.done  # type: ignore[union-attr]
        assert "Saving your answers" in done.heading.text()  # type: ignore[attr-defined]
        assert not done.finish_button.isEnabled()  # type: ignore[attr-defined]
        with qtbot.waitSignal(kiosk.visit_held, timeout=15_000):
            pass
    finally:
        other_writer.execute("ROLLBACK")
        other_writer.close()
    assert "Please tell the front desk you are done" in done.heading.text()  # type: ignore[attr-defined]
    assert done.finish_button.isEnabled()  # type: ignore[attr-defined]
    tap(done, "Finish")
    assert current(kiosk) is kiosk.welcome
    with qtbot.waitSignal(kiosk.visit_stored, timeout=10_000):
        kiosk.store_held_visits()
    assert stored_names(database) == [("Amara", "Okafor")]


def test_a_save_that_hangs_does_not_keep_the_patient_or_the_next_one_waiting(
    qtbot: QtBot, database: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(DoneScreen, "SAVING_PATIENCE_MILLISECONDS", 300)
    kiosk = open_kiosk(qtbot, database, settings)
    database_file = settings.database_url.removeprefix("sqlite:///")
    other_writer = sqlite3.connect(database_file, isolation_level=None)
    other_writer.execute("BEGIN IMMEDIATE")  # the database answers nobody for a while
    try:
        complete_visit(kiosk, first="Yara", last="Haddad", talk_first=True, until_saved=False)
        done = current(kiosk)
        assert "Saving your answers" in done.heading.text()  # type: ignore[attr-defined]
        # Past the kiosk's patience: the patient is told to let the desk know, and may go.
        qtbot.waitUntil(
            lambda: "Please tell the front desk" in done.heading.text(),  # type: ignore[attr-defined]
            timeout=3000,
        )
        tap(done, "Finish")
        assert current(kiosk) is kiosk.welcome
    finally:
        other_writer.execute("ROLLBACK")
        other_writer.close()
    # The save went on behind Welcome and reached the database: nothing was lost.
    qtbot.waitUntil(lambda: stored_names(database) == [("Yara", "Haddad")], timeout=10_000)


def test_a_read_only_database_keeps_the_visit_until_it_can_be_written(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    with database.session() as session, session.begin():
        content_in_use(session, None, utc_now())  # the kiosk has run here before
    database_file = settings.database_url.removeprefix("sqlite:///")
    read_only = open_database(f"sqlite:///file:{database_file}?mode=ro&uri=true")
    try:
        kiosk = open_kiosk(qtbot, read_only, settings)
        assert kiosk.welcome.start_button.isEnabled()
        finish_held(qtbot, kiosk, first="Olu", last="Adeyemi")
        assert [h.reason for h in HeldVisits(settings.held_visits_dir).held()] == [
            HoldReason.READ_ONLY
        ]
        assert stored_names(database) == []
    finally:
        read_only.close()
    kiosk.check_in.database = database  # IT gives the kiosk a writable database again
    with qtbot.waitSignal(kiosk.visit_stored, timeout=5000):
        kiosk.store_held_visits()
    assert stored_names(database) == [("Olu", "Adeyemi")]


def test_a_deleted_database_file_keeps_visits_until_it_is_restored(
    qtbot: QtBot, database: Database, settings: Settings, tmp_path: Path
) -> None:
    kiosk = open_kiosk(qtbot, database, settings)
    database_file = Path(settings.database_url.removeprefix("sqlite:///"))
    copy = tmp_path / "last-night.sqlite3"
    backup(settings.database_url, copy)
    for path in database_file.parent.glob(database_file.name + "*"):
        path.unlink()

    finish_held(qtbot, kiosk, first="Kai", last="Nakamura")
    # The next patient can still check in; their visit waits too.
    finish_held(qtbot, kiosk, first="Rosa", last="Vidal")
    assert not database_file.exists(), "the kiosk must not make a new, empty database"
    assert [h.reason for h in HeldVisits(settings.held_visits_dir).held()] == [
        HoldReason.MISSING,
        HoldReason.MISSING,
    ]
    with qtbot.waitSignal(kiosk.held_visits_tried, timeout=10_000):
        kiosk.store_held_visits()  # still gone: nothing to do, nothing lost
    assert len(HeldVisits(settings.held_visits_dir).held()) == 2

    shutil.copyfile(copy, database_file)  # IT puts last night's copy back
    with qtbot.waitSignals([kiosk.visit_stored, kiosk.visit_stored], timeout=5000):
        kiosk.store_held_visits()
    assert sorted(stored_names(database)) == [("Kai", "Nakamura"), ("Rosa", "Vidal")]
    assert HeldVisits(settings.held_visits_dir).held() == []


def _full(database: Database) -> Any:
    """Cap the database at its present size on every new connection: a full disk."""
    assert database.file is not None
    database.engine.dispose()
    # Small pages, rebuilt without free space: a visit with a signature must grow the file.
    compact = sqlite3.connect(database.file, isolation_level=None)
    compact.execute("PRAGMA journal_mode=DELETE")
    compact.execute("PRAGMA page_size=512")
    compact.execute("VACUUM")
    compact.execute("PRAGMA journal_mode=WAL")
    compact.close()

    def cap(connection: Any, _record: Any) -> None:
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count={pages}")

    event.listen(database.engine, "connect", cap)
    database.engine.dispose()
    return cap


def _room_again(database: Database, cap: Any) -> None:
    event.remove(database.engine, "connect", cap)
    database.engine.dispose()


def test_a_full_database_holds_the_visit_pauses_check_in_and_alerts_the_desk(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    kiosk = open_kiosk(qtbot, database, settings)
    cap = _full(database)
    finish_held(qtbot, kiosk, first="Ingrid", last="Halvorsen")
    assert [h.reason for h in HeldVisits(settings.held_visits_dir).held()] == [HoldReason.FULL]

    # New check-ins pause, with a sign sending patients to the desk.
    assert kiosk.check_in.paused
    assert not kiosk.welcome.start_button.isVisible()
    assert kiosk.welcome.paused_sign.isVisible()
    assert "front desk" in kiosk.welcome.paused_sign.text()

    member = StaffMember(id=1, username="dana", roles=frozenset({Role.STAFF}))
    desk = DeskWindow(Station(database, "desk-1"), settings, member)
    qtbot.addWidget(desk)
    desk.show()
    assert desk.held_alert.isVisible()
    assert "1 finished check-in(s) are waiting" in desk.held_alert.text()
    assert "full" in desk.held_alert.text()
    assert "paused" in desk.held_alert.text()

    with qtbot.waitSignal(kiosk.held_visits_tried, timeout=10_000):
        kiosk.store_held_visits()  # still full
    assert kiosk.check_in.paused
    _room_again(database, cap)
    with qtbot.waitSignal(kiosk.visit_stored, timeout=5000):
        kiosk.store_held_visits()
    assert stored_names(database) == [("Ingrid", "Halvorsen")]
    assert not kiosk.check_in.paused
    assert kiosk.welcome.start_button.isVisible()
    assert kiosk.welcome.start_button.isEnabled()
    desk.refresh_if_changed()
    assert not desk.held_alert.isVisible()
    desk.close()


def test_when_even_the_kiosk_folder_cannot_be_written_the_visit_waits_in_memory(
    qtbot: QtBot,
    database: Database,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the held-visits folder should be")
    # Nor the fallback beside the logs (the same full disk).
    monkeypatch.setenv("XDG_STATE_HOME", str(blocked))
    settings = dataclasses.replace(settings, held_visits_dir=blocked)
    kiosk = open_kiosk(qtbot, database, settings)
    cap = _full(database)
    finish_held(qtbot, kiosk, first="Tomás", last="Ruiz")
    assert kiosk.check_in.paused
    assert not kiosk.welcome.start_button.isVisible()
    _room_again(database, cap)
    with qtbot.waitSignal(kiosk.visit_stored, timeout=5000):
        kiosk.store_held_visits()
    assert stored_names(database) == [("Tomás", "Ruiz")]
    assert not kiosk.check_in.paused


def test_visits_left_waiting_are_stored_when_the_kiosk_starts_again(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    first_run = open_kiosk(qtbot, database, settings)
    cap = _full(database)
    finish_held(qtbot, first_run, first="Wei", last="Chen")
    first_run.close()
    _room_again(database, cap)

    second_run = KioskWindow(Station(database, "front-kiosk"), settings)
    qtbot.addWidget(second_run)
    with qtbot.waitSignal(second_run.visit_stored, timeout=5000):
        second_run.show()
    assert stored_names(database) == [("Wei", "Chen")]
