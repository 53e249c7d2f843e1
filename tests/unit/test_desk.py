"""The front desk's services: what needs attention, search, review, rides, voids."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from sqlalchemy import select

from kiosk import desk
from kiosk.actor import Actor, Role, StaffMember
from kiosk.audit import entries
from kiosk.content import Answer, ContentPack
from kiosk.database import Database
from kiosk.stored_visits import load_visit
from kiosk.summary import build_summary
from kiosk.visit_walk import ManualClock, walk_visit
from tests.conftest import store_visit, url_of

CHICAGO = ZoneInfo("America/Chicago")
CLERK = StaffMember(1, "maria", frozenset({Role.STAFF}))
DOCTOR = StaffMember(2, "drlee", frozenset({Role.CLINICIAN}))
ADMIN = StaffMember(3, "ines", frozenset({Role.STAFF, Role.ADMIN}))


def by(member: StaffMember, clock: ManualClock) -> Actor:
    return Actor.staff(member, station="desk-1", now=clock())


def check_in(database: Database, pack: ContentPack, clock: ManualClock, **kwargs: object) -> str:
    visit = walk_visit(pack, clock, **kwargs)  # type: ignore[arg-type]
    store_visit(database, visit)
    clock.advance(60)
    return visit.id


def test_today_lists_what_needs_attention_first_then_newest(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    calm_early = check_in(database, pack, clock, first="Early")
    flagged = check_in(database, pack, clock, first="Flagged", answers={"psychosis": Answer.YES})
    calm_late = check_in(database, pack, clock, first="Late")
    clock.advance(86400)
    tomorrow = check_in(database, pack, clock, first="Tomorrow")
    with database.session() as session:
        today = desk.todays_check_ins(session, zone=CHICAGO, now=clock())
    assert [c.id for c in today] == [tomorrow]
    with database.session() as session:
        yesterday = desk.todays_check_ins(
            session, zone=CHICAGO, now=datetime(2026, 11, 28, 18, tzinfo=UTC)
        )
    assert [c.id for c in yesterday] == [flagged, calm_late, calm_early]
    assert yesterday[0].needs_attention
    assert not yesterday[1].needs_attention
    assert yesterday[0].print_state == "not_printed"


def test_search_finds_any_part_of_a_name_without_case_or_accents(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    garcia = check_in(database, pack, clock, first="José", last="García-Núñez")
    check_in(database, pack, clock, first="Ana", last="Smith", born="12/31/1970")
    with database.session() as session:
        for typed in ("garcia", "GARCÍA", "nunez", "jose garc", "Núñez"):
            page = desk.search(session, desk.VisitQuery(text=typed), zone=CHICAGO)
            assert [c.id for c in page.check_ins] == [garcia], typed
        by_birth = desk.search(session, desk.VisitQuery(text="12/31/1970"), zone=CHICAGO)
        assert [c.last_name for c in by_birth.check_ins] == ["Smith"]
        nothing = desk.search(session, desk.VisitQuery(text="100%_"), zone=CHICAGO)
        assert nothing.total == 0


NOTHING_TO_SEARCH_FOR = [
    "\x00",
    "\u0301",  # a combining accent alone
    "\u0301\u0308\u0327",
    "   ",
    "\t\n",
    "--",
    "'.,;:!?",
    "%_\\",
    "\u200b",  # a zero-width space
    "\x00 \u0301 - \x7f",
]


@pytest.mark.parametrize("typed", NOTHING_TO_SEARCH_FOR)
def test_a_search_with_nothing_to_search_for_is_no_search(
    database: Database, pack: ContentPack, clock: ManualClock, typed: str
) -> None:
    check_in(database, pack, clock, first="Ana", last="O'Brien-Smith")
    check_in(database, pack, clock, first="Luis", last="Vega")
    assert desk.search_key(typed) == ""
    assert desk.search_text(typed) == ""
    with database.session() as session, session.begin():
        query = desk.VisitQuery(text=typed)
        page = desk.search(session, query, zone=CHICAGO)
        assert page.total == desk.search(session, desk.VisitQuery(), zone=CHICAGO).total
        desk.audit_search(session, query, page.total, by(CLERK, clock))
    with database.session() as session:
        assert list(entries(session))[-1].detail == "by nothing; 2 found"


@pytest.mark.parametrize("typed", ["%" * 25_000, "%" * 101, "a" * 101, "\ufdfa" * 101])
def test_a_search_too_long_is_refused_before_it_reaches_the_database(
    database: Database, pack: ContentPack, clock: ManualClock, typed: str
) -> None:
    check_in(database, pack, clock)
    with (
        database.session() as session,
        pytest.raises(desk.DeskError, match=r"at most 100 characters\. Type part of the patient"),
    ):
        desk.search(session, desk.VisitQuery(text=typed), zone=CHICAGO)


@pytest.mark.parametrize(
    "typed",
    [
        "%" * 99 + "a",
        "a%" * 50,
        "\uff05" * 50 + "a" * 50,  # full-width percent signs become "%" when compared
        "\ufdfa" * 100,  # one character that spreads into 18
        "_" * 99 + "a",
        "\\" * 99 + "a",
        "  " + "a" * 100 + "  ",
    ],
)
def test_the_longest_searches_allowed_run_and_match_literally(
    database: Database, pack: ContentPack, clock: ManualClock, typed: str
) -> None:
    check_in(database, pack, clock, first="Ana", last="Smith")
    with database.session() as session:
        page = desk.search(session, desk.VisitQuery(text=typed), zone=CHICAGO)
    assert page.total == 0


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(typed=st.text(max_size=desk.MAX_SEARCH_LENGTH))
def test_any_search_up_to_the_limit_runs_and_an_empty_one_filters_nothing(
    database: Database, typed: str
) -> None:
    # No visits needed: the point is that the database takes every such pattern.
    with database.session() as session:
        page = desk.search(session, desk.VisitQuery(text=typed), zone=CHICAGO)
    assert page.total == 0
    assert desk.search_text(typed) == "" or desk.search_key(typed) != ""


def test_search_pages_through_a_long_history(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    for n in range(7):
        check_in(database, pack, clock, first=f"Patient{n}")
    with database.session() as session:
        pages = [
            desk.search(session, desk.VisitQuery(page=p, page_size=3), zone=CHICAGO)
            for p in range(3)
        ]
    assert [len(p.check_ins) for p in pages] == [3, 3, 1]
    assert pages[0].total == 7
    assert pages[0].page_count == 3
    names = [c.first_name for p in pages for c in p.check_ins]
    assert names == [f"Patient{n}" for n in reversed(range(7))]


def test_every_page_of_a_name_search_knows_the_total_even_past_the_last(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    for n in range(5):
        check_in(database, pack, clock, first=f"Ana{n}", last="García")
    check_in(database, pack, clock, first="Luis", last="Smith")
    with database.session() as session:
        pages = [
            desk.search(session, desk.VisitQuery(text="garc", page=p, page_size=2), zone=CHICAGO)
            for p in range(4)
        ]
    assert [len(p.check_ins) for p in pages] == [2, 2, 1, 0]
    assert [p.total for p in pages] == [5, 5, 5, 5]


def test_a_search_matching_many_visits_finds_the_same_as_one_matching_few(
    database: Database, pack: ContentPack, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(4):
        check_in(database, pack, clock, first=f"Ana{n}", last="García", born="12/31/1970")
    check_in(database, pack, clock, first="Luis", last="Smith")
    queries = [
        desk.VisitQuery(text="garc", page_size=3),
        desk.VisitQuery(text="garc", page=1, page_size=3),
        desk.VisitQuery(text="a", include_void=False),
        desk.VisitQuery(text="12/31/1970"),
    ]
    with database.session() as session:
        through_the_index = [desk.search(session, q, zone=CHICAGO) for q in queries]
    # More matches than the limit, and reading a visit's row made cheap: the newest
    # visits are read instead of the name index.
    monkeypatch.setattr(desk, "NAME_LOOKUP_LIMIT", 1)
    monkeypatch.setattr(desk, "ROW_COST", 0)
    with database.session() as session:
        through_the_table = [desk.search(session, q, zone=CHICAGO) for q in queries]
    assert through_the_table == through_the_index
    assert [p.total for p in through_the_index] == [4, 4, 4, 4]
    assert [len(p.check_ins) for p in through_the_index] == [3, 1, 4, 4]


def test_only_a_clinician_clears_clinical_flags_and_the_summary_says_who(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    visit_id = check_in(database, pack, clock, answers={"heart-condition": Answer.NOT_SURE})
    with (
        database.session() as session,
        session.begin(),
        pytest.raises(desk.DeskError, match="Only a clinician"),
    ):
        desk.review_flags(session, visit_id, "", by(CLERK, clock))
    with database.session() as session, session.begin():
        desk.review_flags(
            session, visit_id, "Cardiology letter on file; OK to treat", by(DOCTOR, clock)
        )
    with database.session() as session:
        (row,) = desk.todays_check_ins(session, zone=CHICAGO, now=clock())
        record = load_visit(session, visit_id)
    assert not row.needs_attention
    assert row.reviewed
    assert record is not None
    text = " ".join(
        PdfReader(io.BytesIO(build_summary(record, zone=CHICAGO))).pages[0].extract_text().split()
    )
    assert "Reviewed by clinician drlee" in text
    assert "Cardiology letter on file; OK to treat" in text
    assert "— cleared" in text


def test_a_flag_of_a_kind_no_kiosk_writes_is_cleared_only_by_a_clinicians_review(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    from sqlalchemy import text as sql

    visit_id = check_in(database, pack, clock, answers={"heart-condition": Answer.YES}, ride=None)
    with database.engine.begin() as connection:
        connection.execute(
            sql("UPDATE flags SET kind = 'made-up' WHERE visit_id = :id AND kind = :clinical"),
            {"id": visit_id, "clinical": "contraindication"},
        )
    with database.session() as session, session.begin():
        desk.arrange_ride(session, visit_id, "Luis García", "(555) 201-3344", by(CLERK, clock))
    with database.session() as session:
        (row,) = desk.todays_check_ins(session, zone=CHICAGO, now=clock())
    assert row.needs_attention
    assert row.waits_for_clinician
    with database.session() as session, session.begin():
        desk.review_flags(session, visit_id, "", by(DOCTOR, clock))
    with database.session() as session:
        (row,) = desk.todays_check_ins(session, zone=CHICAGO, now=clock())
    assert not row.needs_attention


def test_a_ride_arranged_later_clears_the_ride_flag(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    visit_id = check_in(database, pack, clock, ride=None)
    with (
        database.session() as session,
        session.begin(),
        pytest.raises(desk.DeskError, match="phone number"),
    ):
        desk.arrange_ride(session, visit_id, "Luis", "12", by(CLERK, clock))
    with database.session() as session, session.begin():
        desk.arrange_ride(session, visit_id, "Luis García", "(555) 201-3344", by(CLERK, clock))
    with database.session() as session:
        record = load_visit(session, visit_id)
        (row,) = desk.todays_check_ins(session, zone=CHICAGO, now=clock())
    assert record is not None
    assert record.ride.driver_name == "Luis García"
    assert record.open_flags == ()
    assert not row.needs_attention


def test_a_voided_check_in_stays_stored_and_shows_as_void(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    visit_id = check_in(database, pack, clock, answers={"pregnancy": Answer.YES})
    with (
        database.session() as session,
        session.begin(),
        pytest.raises(desk.DeskError, match="reason"),
    ):
        desk.void_visit(session, visit_id, "  ", by(CLERK, clock))
    with database.session() as session, session.begin():
        desk.void_visit(session, visit_id, "Checked in twice by mistake", by(CLERK, clock))
    with database.session() as session:
        (row,) = desk.todays_check_ins(session, zone=CHICAGO, now=clock())
        record = load_visit(session, visit_id)
    assert row.voided
    assert not row.needs_attention  # a void visit asks nothing of anyone
    assert record is not None
    text = " ".join(
        PdfReader(io.BytesIO(build_summary(record, zone=CHICAGO))).pages[0].extract_text().split()
    )
    assert "VOID — this check-in was voided by maria" in text
    with (
        database.session() as session,
        session.begin(),
        pytest.raises(desk.DeskError, match="voided"),
    ):
        desk.review_flags(session, visit_id, "", by(DOCTOR, clock))


def test_every_desk_action_is_audited_by_visit_id_only(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    visit_id = check_in(
        database, pack, clock, first="Zelda", ride=None, answers={"psychosis": Answer.YES}
    )
    with database.session() as session, session.begin():
        desk.open_visit(session, visit_id, by(CLERK, clock))
        query = desk.VisitQuery(text="Zelda")
        page = desk.search(session, query, zone=CHICAGO)
        desk.audit_search(session, query, page.total, by(CLERK, clock))
        desk.arrange_ride(session, visit_id, "Luis", "555 201 3344", by(CLERK, clock))
        desk.review_flags(session, visit_id, "fine", by(DOCTOR, clock))
        desk.void_visit(session, visit_id, "test", by(CLERK, clock))
    with database.session() as session:
        trail = [
            (e.actor, e.action, e.visit_id) for e in entries(session) if e.actor.startswith("user:")
        ]
        details = " ".join(e.detail for e in entries(session))
    assert trail == [
        ("user:maria", "visit_opened", visit_id),
        ("user:maria", "visits_searched", None),
        ("user:maria", "ride_arranged", visit_id),
        ("user:drlee", "flags_reviewed", visit_id),
        ("user:maria", "visit_voided", visit_id),
    ]
    assert "Zelda" not in details
    assert "Luis" not in details


def test_the_marker_changes_when_any_connection_stores_or_changes_a_visit(
    database: Database, pack: ContentPack, clock: ManualClock, tmp_path: object
) -> None:
    from kiosk.database import open_database

    with database.session() as session:
        before = desk.desk_marker(session)
    other = open_database(url_of(database))  # another connection, like the kiosk's
    visit_id = check_in(other, pack, clock, ride=None)
    with database.session() as session:
        after_store = desk.desk_marker(session)
    with other.session() as session, session.begin():
        desk.arrange_ride(session, visit_id, "Luis", "555 201 3344", by(CLERK, clock))
    other.close()
    with database.session() as session:
        after_change = desk.desk_marker(session)
    assert before != after_store != after_change


def test_the_marker_sees_a_change_stamped_earlier_than_the_newest_visit(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    early = check_in(database, pack, clock, ride=None)
    clock.advance(3600)
    check_in(database, pack, clock)  # the newest visit, an hour later
    with database.session() as session:
        before = desk.desk_marker(session)
    slow_clock = ManualClock(clock() - timedelta(hours=2))
    with database.session() as session, session.begin():
        desk.arrange_ride(session, early, "Luis", "555 201 3344", by(CLERK, slow_clock))
    with database.session() as session:
        assert desk.desk_marker(session) != before


def test_following_prints_holds_no_transaction_while_the_print_system_is_asked(
    database: Database, pack: ContentPack, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kiosk import printing
    from kiosk.models import PrintJobRow

    clock.now = datetime.now(UTC)
    for number in (1, 2, 3):
        visit_id = check_in(database, pack, clock, first=f"Sent{number}")
        with database.session() as session, session.begin():
            desk.record_print(
                session,
                visit_id,
                printer="KioskPDF",
                job=printing.PrintJob("KioskPDF", f"KioskPDF-{number}"),
                failure="",
                copy="staff",
                by=by(CLERK, clock),
            )
    asked: list[str] = []
    other_writers: list[bool] = []

    def job_status(job: printing.PrintJob) -> printing.JobStatus:
        asked.append(job.job_id)
        # Another station writes while the print system is being asked: nobody holds the
        # write lock (a writer that had to wait would fail at once here), nor, on a
        # server, an open transaction.
        with database.engine.connect() as other:
            if database.file is not None:
                other.exec_driver_sql("PRAGMA busy_timeout=0")
                other.exec_driver_sql("BEGIN IMMEDIATE")
                other.exec_driver_sql("ROLLBACK")
            else:
                open_elsewhere = other.exec_driver_sql(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    " AND pid <> pg_backend_pid() AND xact_start IS NOT NULL"
                ).scalar()
                assert open_elsewhere == 0
        other_writers.append(True)
        if job.job_id == "KioskPDF-2":
            raise printing.PrintError(printing.NOT_RUNNING)
        return printing.JobStatus(printing.PrintState.COMPLETED, "")

    monkeypatch.setattr(printing, "job_status", job_status)
    check = desk.follow_prints(database, now=clock)

    # Job 1 was stored as soon as it was known; job 2's silence says nothing of job 3.
    assert check == desk.PrintCheck(changed=1, problem=printing.NOT_RUNNING)
    assert asked == ["KioskPDF-1", "KioskPDF-2"]
    assert other_writers == [True, True]
    with database.session() as session:
        states = {
            row.job_id: row.state
            for row in session.execute(select(PrintJobRow.job_id, PrintJobRow.state))
        }
    assert states == {"KioskPDF-1": "completed", "KioskPDF-2": "sent", "KioskPDF-3": "sent"}

    # A desk that is closing asks nothing more.
    asked.clear()
    assert desk.follow_prints(database, now=clock, stop=lambda: True) == desk.PrintCheck(0, "")
    assert asked == []


def test_the_printer_offered_first_is_the_desks_own_choice_then_the_default() -> None:
    from kiosk.printing import Printers

    printers = Printers(("Front", "Back", "Office"), default="Back")
    assert printers.choice("Office") == "Office"
    assert printers.choice("Gone") == "Back"
    assert printers.choice("") == "Back"
    assert Printers(("Front", "Back"), default=None).choice("") == "Front"
    assert Printers((), default=None).choice("Front") is None


def test_an_admin_can_neither_clear_clinical_flags_nor_undo_a_void(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    visit = walk_visit(pack, clock, answers={"pregnancy": Answer.YES})
    store_visit(database, visit)
    with database.session() as session, session.begin():
        with pytest.raises(desk.DeskError, match="Only a clinician"):
            desk.review_flags(session, visit.id, "", by(ADMIN, clock))
        desk.void_visit(session, visit.id, "wrong patient", by(ADMIN, clock))
        with pytest.raises(desk.DeskError, match="Only a clinician"):
            desk.undo_void(session, visit.id, by(ADMIN, clock))
        desk.undo_void(session, visit.id, by(DOCTOR, clock))
        desk.review_flags(session, visit.id, "", by(DOCTOR, clock))
    with database.session() as session:
        actions = [e.action for e in entries(session) if e.visit_id == visit.id]
    assert actions == ["visit_voided", "visit_void_undone", "flags_reviewed"]


def test_a_stored_value_that_cannot_be_read_is_logged_by_where_and_never_by_what(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from datetime import date

    with (
        pytest.raises(desk.DeskError, match="cannot be read"),
        desk.unreadable_as_desk_error(desk.UNREADABLE_VISIT, "visit-1"),
    ):
        date.fromisoformat("Ana García 1968")  # a patient's words where a date belongs
    assert "visit visit-1 could not be read" in caplog.text
    assert "unexpected ValueError" in caplog.text
    assert "Ana" not in caplog.text


def test_the_list_read_with_its_dates_as_stored_is_the_same_list(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    # What the desk falls back to when SQLAlchemy cannot read a row's date (a SQLite file
    # edited by hand) reads every readable visit as the usual list does, on both engines.
    check_in(database, pack, clock, answers={"heart-condition": Answer.YES}, ride=None)
    voided = check_in(database, pack, clock)
    reviewed = check_in(database, pack, clock, answers={"pregnancy": Answer.NOT_SURE})
    with database.session() as session, session.begin():
        desk.void_visit(session, voided, "checked in twice", by(CLERK, clock))
        desk.review_flags(session, reviewed, "", by(DOCTOR, clock))
    start, end = desk._day_bounds(clock().astimezone(CHICAGO).date(), CHICAGO)
    values = {"start": start, "end": end}
    as_stored = desk._TODAY.with_only_columns(*desk._check_in_columns(as_stored=True))
    with database.engine.connect() as connection:
        usual = [desk._check_in(tuple(r)) for r in connection.execute(desk._TODAY, values)]
        read_here = [
            desk._check_in_as_stored(tuple(r)) for r in connection.execute(as_stored, values)
        ]
    assert len(usual) == 3
    assert read_here == usual
