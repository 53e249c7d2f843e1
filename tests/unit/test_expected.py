"""Today's expected returning patients, and the one question a kiosk asks of them."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from kiosk.actor import Actor, Role, StaffMember
from kiosk.audit import entries
from kiosk.content import ContentPack
from kiosk.database import Database
from kiosk.expected import ExpectedListError, parse_time, which_flow
from kiosk.front_desk import FrontDesk
from kiosk.publishing import publish
from kiosk.visit import VisitFlow
from kiosk.visit_walk import ManualClock, walk_visit
from tests.conftest import store_visit

CLERK = StaffMember(1, "maria", frozenset({Role.STAFF}))
ZONE = ZoneInfo("America/Chicago")


def by(clock: ManualClock) -> Actor:
    return Actor.staff(CLERK, station="desk-1", now=clock())


@pytest.fixture
def front_desk(database: Database) -> FrontDesk:
    return FrontDesk(database, zone=ZONE, paper_size="letter")


def returning(
    database: Database,
    front_desk: FrontDesk,
    pack: ContentPack,
    clock: ManualClock,
    *,
    first: str = "Ana",
    last: str = "García",
    born: str = "04/15/1968",
) -> int:
    """A patient with one signed visit, linked at the desk."""
    visit = walk_visit(pack, clock, first=first, last=last, born=born)
    store_visit(database, visit)
    return front_desk.link_visit(visit.id, None, by(clock))


def flow(
    database: Database,
    pack: ContentPack,
    clock: ManualClock,
    first: str = "Ana",
    last: str = "García",
    born: date = date(1968, 4, 15),
) -> VisitFlow:
    with database.session() as session:
        return which_flow(session, first, last, born, pack=pack, now=clock(), zone=ZONE)


def test_only_a_patient_on_todays_list_with_a_kept_consent_has_a_return_visit(
    database: Database, front_desk: FrontDesk, pack: ContentPack, clock: ManualClock
) -> None:
    returning(database, front_desk, pack, clock)
    clock.advance(7 * 86400)
    # A linked patient who is not expected today: a first visit.
    assert flow(database, pack, clock) is VisitFlow.FIRST_VISIT
    front_desk.expect("ANA", "Garcia", "04/15/1968", "9:30 AM", by(clock))
    assert flow(database, pack, clock) is VisitFlow.RETURN_WITHOUT_SLIDES
    # A typo, another birth date: not a match, so the whole first visit.
    assert flow(database, pack, clock, last="Garcai") is VisitFlow.FIRST_VISIT
    assert flow(database, pack, clock, born=date(1968, 4, 16)) is VisitFlow.FIRST_VISIT
    # Tomorrow the list is another day's.
    clock.advance(86400)
    assert flow(database, pack, clock) is VisitFlow.FIRST_VISIT


def test_the_slides_come_back_when_their_text_changed_or_the_consent_is_too_old(
    database: Database, front_desk: FrontDesk, pack: ContentPack, clock: ManualClock
) -> None:
    returning(database, front_desk, pack, clock)
    clock.advance(30 * 86400)
    front_desk.expect("Ana", "García", "04/15/1968", "", by(clock))
    assert flow(database, pack, clock) is VisitFlow.RETURN_WITHOUT_SLIDES
    shorter_period = dataclasses.replace(pack, consent_valid_days=20)
    assert flow(database, shorter_period, clock) is VisitFlow.RETURN_WITH_SLIDES
    reworded = dataclasses.replace(
        pack,
        slides=(
            dataclasses.replace(pack.slides[0], text=pack.slides[0].text + " More."),
            *pack.slides[1:],
        ),
    )
    assert flow(database, reworded, clock) is VisitFlow.RETURN_WITH_SLIDES
    # The clinic's name is not clinical text: no reason to read it all again.
    assert flow(database, dataclasses.replace(pack, clinic_name="Other"), clock) is (
        VisitFlow.RETURN_WITHOUT_SLIDES
    )


def test_two_patient_records_that_both_match_are_a_first_visit(
    database: Database, front_desk: FrontDesk, pack: ContentPack, clock: ManualClock
) -> None:
    returning(database, front_desk, pack, clock)
    returning(database, front_desk, pack, clock)
    front_desk.expect("Ana", "García", "04/15/1968", "", by(clock))
    assert flow(database, pack, clock) is VisitFlow.FIRST_VISIT


def test_an_expected_patient_with_no_consent_kept_has_a_first_visit(
    database: Database, front_desk: FrontDesk, pack: ContentPack, clock: ManualClock
) -> None:
    visit = walk_visit(pack, clock, talk_first=True)  # stopped before signing
    store_visit(database, visit)
    front_desk.link_visit(visit.id, None, by(clock))
    front_desk.expect("Ana", "García", "04/15/1968", "", by(clock))
    assert flow(database, pack, clock) is VisitFlow.FIRST_VISIT


def test_the_days_list_from_a_csv_and_by_hand(
    database: Database, front_desk: FrontDesk, pack: ContentPack, clock: ManualClock
) -> None:
    patient = returning(database, front_desk, pack, clock)
    csv = (
        "Name,Date of birth,Time\n"
        '"García, Ana",04/15/1968,2:30 PM\n'
        "Luis Alberto Núñez,1951-02-03,9:05\n"
        "\n"
        "Kim Lee,12/01/1990,\n"
    ).encode()
    imported = front_desk.import_expected(csv, by(clock))
    assert (imported.added, imported.already_listed) == (3, 0)
    listed = front_desk.expected_today(now=clock())
    assert [(e.name, e.expected_at, e.patient_id) for e in listed] == [
        ("Luis Alberto Núñez", "09:05", None),
        ("Ana García", "14:30", patient),
        ("Kim Lee", "", None),
    ]
    # Again: nothing twice.
    again = front_desk.import_expected(csv, by(clock))
    assert (again.added, again.already_listed) == (0, 3)
    with pytest.raises(ExpectedListError, match="already on today's list"):
        front_desk.expect_patient(patient, "", by(clock))
    front_desk.remove_expected(listed[1].id, by(clock))
    front_desk.expect_patient(patient, "15:00", by(clock))
    assert [e.expected_at for e in front_desk.expected_today(now=clock())] == [
        "09:05",
        "15:00",
        "",
    ]
    with database.session() as session:
        trail = [(e.action, e.detail) for e in entries(session) if e.action.startswith("expected")]
    day = clock().astimezone(ZONE).date().isoformat()
    assert trail == [
        ("expected_imported", f"3 added, 0 already listed, for {day}"),
        ("expected_imported", f"0 added, 3 already listed, for {day}"),
        ("expected_removed", f"one patient for {day}"),
        ("expected_added", f"one patient for {day}"),
    ]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "The file is empty."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not text in UTF-8"),
        ("Name,Date of birth\nJosé Núñez,01/02/1950\n".encode("latin-1"), "not text in UTF-8"),
        (b"Name,Time\nAna Lee,9:00\n", "The first line must name the columns"),
        (b"Ana Lee,01/02/1950,9:00\n", "The first line must name the columns"),
        (b"Name,DOB\nAna Lee,31/31/1950\n", "Line 2: “31/31/1950” is not a date of birth"),
        (b"Name,DOB\nAna Lee,01/02/1950\nLee,01/02/1950\n", "Line 3: Please give the patient"),
        (b"Name,DOB,Time\nAna Lee,01/02/1950,25:00\n", "Line 2: “25:00” is not a time"),
        (b"Name,DOB\nAna Lee,01/02/2999\n", "between 1900 and today"),
        (b"Name,DOB\n" + b"Ana Lee,01/02/1950\n" * 501, "more than 500 patients"),
        (b"Name,DOB\n" + b"x" * 300_000, "larger than a day's list"),
        (b"Name,DOB\nA\x00na,01/02/1950\n", "binary data"),
        (b'Name,DOB\n"Ana Lee,01/02/1950\n', "Line 2"),
    ],
)
def test_a_hostile_csv_gets_a_plain_message_and_imports_nothing(
    database: Database, front_desk: FrontDesk, clock: ManualClock, raw: bytes, message: str
) -> None:
    with pytest.raises(ExpectedListError, match=message):
        front_desk.import_expected(raw, by(clock))
    assert front_desk.expected_today(now=clock()) == []


def test_times_as_staff_write_them() -> None:
    assert [parse_time(t) for t in ("9:30", "09:30", "2:05 pm", "12:00 AM", "12:15 p.m.", "")] == [
        "09:30",
        "09:30",
        "14:05",
        "00:00",
        "12:15",
        "",
    ]
    assert [parse_time(t) for t in ("13:00 PM", "9", "nine", "24:00")] == [None] * 4


def test_the_list_of_an_earlier_day_is_purged(
    database: Database, front_desk: FrontDesk, clock: ManualClock
) -> None:
    from kiosk.retention import purge_older_than

    front_desk.expect("Ana", "Lee", "01/02/1950", "", by(clock))
    purge_older_than(database, 30, by(clock))
    assert len(front_desk.expected_today(now=clock())) == 1
    clock.advance(timedelta(days=2).total_seconds())
    purge_older_than(database, 30, by(clock))
    clock.advance(-timedelta(days=2).total_seconds())
    assert front_desk.expected_today(now=clock()) == []


def test_publishing_keeps_the_period_and_an_old_pack_keeps_its_version(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    from kiosk.content import pack_from_canonical

    assert "return_visits" not in pack.canonical()
    shorter = dataclasses.replace(pack, consent_valid_days=90)
    assert shorter.version != pack.version
    assert pack_from_canonical(shorter.canonical_bytes(), {}).consent_valid_days == 90
    with database.session() as session, session.begin():
        publish(session, shorter, label="90 days", by=by(clock))
