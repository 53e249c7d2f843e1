"""Stored visits: a visit round-trips exactly, in one transaction or not at all."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from kiosk.content import Answer, ContentPack
from kiosk.database import Database
from kiosk.stored_visits import list_visits, load_visit, name_key, save_visit
from kiosk.visit_walk import ManualClock, walk_visit
from tests.conftest import store_visit


def test_a_visit_round_trips_exactly(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    visit = walk_visit(pack, clock, answers={"blood-pressure": Answer.NOT_SURE})
    store_visit(database, visit)
    with database.session() as session:
        record = load_visit(session, visit.id)
    assert record is not None
    assert (record.first_name, record.last_name) == ("Ana", "García")
    assert record.date_of_birth == visit.details.date_of_birth  # type: ignore[union-attr]
    assert record.started_at == visit.started_at
    assert record.finished_at == visit.finished_at
    assert [a.answer for a in record.answers] == [
        visit.answers[q.id].answer for q in visit.questions
    ]
    assert [a.answered_at for a in record.answers] == [
        visit.answers[q.id].answered_at for q in visit.questions
    ]
    assert [a.question_text for a in record.answers] == [q.text for q in visit.questions]
    assert [a.flagged for a in record.answers] == [False, True, False, False, False]
    assert [a.acknowledged_at for a in record.acknowledgements] == [
        visit.acknowledged[s.id] for s in pack.consent_statements
    ]
    assert {s.title: s.seconds for s in record.slides} == {
        s.title: visit.slide_seconds[s.id] for s in pack.slides
    }
    assert record.flags == tuple(f.sentence for f in visit.flags)
    assert visit.consent is not None
    assert record.signature_png == visit.consent.png
    assert record.signed_at == visit.consent.signed_at
    assert record.ride.status == "arranged"
    assert (record.ride.driver_name, record.ride.phone, record.ride.relationship) == (
        "Luis García",
        "(555) 201-3344",
        "husband",
    )
    assert record.content_version == pack.version
    assert record.signature_meaning == pack.signature_meaning


def test_a_stopped_visit_is_stored_unsigned_and_flagged(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    visit = walk_visit(pack, clock, talk_first=True)
    store_visit(database, visit)
    with database.session() as session:
        record = load_visit(session, visit.id)
    assert record is not None
    assert record.ending == "stopped_to_talk"
    assert record.signature_png is None
    assert record.signed_name is None
    assert record.ride.status == "not_asked"
    assert len(record.flags) == 1
    assert all(a.acknowledged_at is None for a in record.acknowledgements)


def test_talking_first_keeps_the_statements_already_acknowledged(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    visit = walk_visit(pack, clock, talk_first=True)
    visit.ending, visit.finished_at = None, None
    from kiosk.visit import Step

    visit.step = Step.CONSENT
    for statement in pack.consent_statements[:3]:
        visit.acknowledge(statement.id)
    visit.talk_to_staff_first()
    store_visit(database, visit)
    with database.session() as session:
        record = load_visit(session, visit.id)
    assert record is not None
    assert [a.acknowledged_at is not None for a in record.acknowledgements] == [
        True,
        True,
        True,
        False,
        False,
    ]


def test_an_abandoned_visit_cannot_be_stored(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    visit = walk_visit(pack, clock)
    visit.ending = None
    visit.abandon()
    with database.session() as session, pytest.raises(ValueError, match="only a completed"):
        save_visit(session, visit, station="x")


def _row_counts(database: Database) -> dict[str, int]:
    tables = ("visits", "answers", "slide_views", "consent_acknowledgements", "flags")
    with database.session() as session:
        return {t: session.scalar(text(f"SELECT count(*) FROM {t}")) or 0 for t in tables}


def test_a_failed_write_leaves_nothing_half_written(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    first = walk_visit(pack, clock, first="Ana")
    store_visit(database, first)
    before = _row_counts(database)
    clash = walk_visit(pack, clock, first="Beatriz", answers={"pregnancy": Answer.YES})
    clash.id = first.id  # the visit row fails; its answers, flags and slides must not stay
    with database.session() as session, pytest.raises(IntegrityError), session.begin():
        save_visit(session, clash, station="x")
    assert _row_counts(database) == before
    with database.session() as session:
        record = load_visit(session, first.id)
    assert record is not None
    assert record.first_name == "Ana"
    assert record.flags == ()


def test_list_is_newest_first_and_since_filters(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    first = walk_visit(pack, clock, first="Older")
    store_visit(database, first)
    clock.advance(86400)
    second = walk_visit(pack, clock, first="Newer")
    store_visit(database, second)
    with database.session() as session:
        assert [v.first_name for v in list_visits(session)] == ["Newer", "Older"]
        since = second.started_at
        assert [v.first_name for v in list_visits(session, since=since)] == ["Newer"]


def test_name_key_ignores_case_and_accents() -> None:
    assert name_key("José", "MÜLLER-Núñez") == "jose muller-nunez"


def test_every_table_starts_empty_on_a_new_database(database: Database) -> None:
    with database.session() as session:
        assert list(list_visits(session)) == []
