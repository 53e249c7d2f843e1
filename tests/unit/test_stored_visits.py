"""Stored visits: a visit round-trips exactly, in one transaction or not at all."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from kiosk.audit import entries
from kiosk.content import Answer, ContentPack
from kiosk.content_versions import content_in_use, publish_content
from kiosk.database import Database
from kiosk.kiosk_access import ContentNotStoredError
from kiosk.stored_visits import (
    list_visits,
    load_visit,
    name_key,
    save_visit,
    store_finished_visit,
)
from kiosk.visit import Visit
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


# --- the kiosk's save: `store_finished_visit`, as the check-in service stores a visit -------------


def _content_in_use(database: Database, now: datetime) -> None:
    with database.session() as session, session.begin():
        content_in_use(session, None, now)  # the bundled pack, published, on a new database


def _kiosk_stores(database: Database, visit: Visit) -> bool:
    # As the check-in service stores a visit: one Core transaction.
    with database.engine.begin() as connection:
        return store_finished_visit(connection, visit, station="lobby-1")


def _trail(database: Database, visit_id: str) -> list[tuple[str, str, str | None, str, str]]:
    with database.session() as session:
        return [
            (e.actor, e.action, e.visit_id, e.station, e.detail)
            for e in entries(session, visit_id=visit_id)
        ]


def test_a_visit_stored_again_is_stored_once_with_one_audit_entry(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    _content_in_use(database, clock())
    visit = walk_visit(pack, clock, answers={"pregnancy": Answer.NOT_SURE})
    assert _kiosk_stores(database, visit) is True
    # A replay after a dropped connection, or a held copy stored later: nothing twice.
    assert _kiosk_stores(database, visit) is False
    with database.session() as session, session.begin():
        assert store_finished_visit(session, visit, station="lobby-1") is False
    counts = _row_counts(database)
    assert counts["visits"] == 1
    assert counts["answers"] == len(visit.answers)
    assert counts["flags"] == 1
    assert _trail(database, visit.id) == [
        ("kiosk:lobby-1", "visit_stored", visit.id, "lobby-1", "")
    ]
    with database.session() as session:
        record = load_visit(session, visit.id)
    assert record is not None
    assert record.first_name == "Ana"


def test_a_visit_checked_in_at_the_desk_is_audited_in_the_staff_members_name(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    _content_in_use(database, clock())
    visit = walk_visit(pack, clock)
    visit.assisted_by = "maria"
    assert _kiosk_stores(database, visit)
    assert _trail(database, visit.id) == [
        ("user:maria", "visit_stored", visit.id, "lobby-1", "checked in at the front desk")
    ]


def test_a_visit_whose_text_is_not_stored_is_refused_and_leaves_nothing(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    _content_in_use(database, clock())
    unknown = replace(pack, signature_meaning="Another clinic's words.")
    visit = walk_visit(unknown, clock)
    # On a server the owner's function refuses it with the server's own error (0019).
    sqlite = database.engine.dialect.name == "sqlite"
    with pytest.raises(ContentNotStoredError if sqlite else IntegrityError):
        _kiosk_stores(database, visit)
    assert _row_counts(database)["visits"] == 0
    assert _trail(database, visit.id) == []


def test_a_stored_visit_names_the_publish_of_its_text_it_saw(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    day = timedelta(days=1)
    first = clock()
    _content_in_use(database, first)  # publish 1 of this text
    with database.session() as session, session.begin():
        publish_content(
            session,
            replace(pack, signature_meaning="Other words."),
            label="other words",
            published_by="admin",
            now=first + day,
        )  # publish 2, of another text
        publish_content(
            session, pack, label="restored", published_by="admin", now=first + 2 * day
        )  # publish 3: this text again
    seen = {}
    for name, start in (
        ("clock behind", first - day),
        ("before the restore", first + 1.5 * day),
        ("after the restore", first + 3 * day),
    ):
        visit = walk_visit(pack, ManualClock(start))
        assert _kiosk_stores(database, visit)
        with database.session() as session:
            seen[name] = session.scalar(
                text("SELECT content_publication_id FROM visits WHERE id = :id"),
                {"id": visit.id},
            )
    assert seen == {"clock behind": 1, "before the restore": 1, "after the restore": 3}


@pytest.mark.parametrize("database_engine", ["sqlite"])
def test_a_versions_words_that_do_not_match_its_hash_are_never_kept_between_openings(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    """The words of a content version are kept between openings under their own hash:
    a row whose words were changed in the database (not its hash) is read each time."""
    from dataclasses import replace as changed

    from kiosk import stored_visits

    visit = walk_visit(pack, clock)
    store_visit(database, visit)
    # A process that has not read this version's own words yet (once it has, those
    # words, checked against the hash, are what any opening shows).
    stored_visits._READINGS.clear()
    stored_visits._WORDS_BY_VERSION.clear()
    for clinic in ("Somewhere Else", "Another Place"):
        words = changed(pack, clinic_name=clinic).canonical_bytes()
        with database.engine.begin() as connection:
            connection.execute(text("UPDATE content_versions SET canonical = :w"), {"w": words})
        with database.session() as session:
            record = load_visit(session, visit.id)
        assert record is not None
        assert record.clinic_name == clinic
    assert stored_visits._READINGS == {}
