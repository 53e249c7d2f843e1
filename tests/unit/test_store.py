"""Storage: visits round-trip exactly, content versions, pragmas and migrations."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from kiosk.content import Answer, ContentPack, load_pack
from kiosk.models import Base, ContentVersionRow
from kiosk.store import (
    Database,
    content_in_use,
    list_visits,
    load_visit,
    migrate,
    name_key,
    newest_content,
    open_database,
    publish_content,
    save_visit,
)
from kiosk.visit import RideStatus, Visit
from tests.conftest import FakeClock, play_visit, store_visit


def test_a_visit_round_trips_exactly(
    database: Database, pack: ContentPack, clock: FakeClock
) -> None:
    visit = play_visit(pack, clock, answers={"blood-pressure": Answer.NOT_SURE})
    store_visit(database, visit)
    with database.session() as session:
        record = load_visit(session, visit.id)
    assert record is not None
    assert (record.first_name, record.last_name) == ("Ana", "García")
    assert record.date_of_birth == visit.details.date_of_birth  # type: ignore[union-attr]
    assert record.started_at == visit.started_at
    assert record.finished_at == visit.finished_at
    assert [a.answer for a in record.answers] == [
        visit.answers[q.id].answer for q in pack.questions
    ]
    assert [a.answered_at for a in record.answers] == [
        visit.answers[q.id].answered_at for q in pack.questions
    ]
    assert [a.question_text for a in record.answers] == [q.text for q in pack.questions]
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
    database: Database, pack: ContentPack, clock: FakeClock
) -> None:
    visit = play_visit(pack, clock, talk_first=True)
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
    database: Database, pack: ContentPack, clock: FakeClock
) -> None:
    visit = play_visit(pack, clock, talk_first=True)
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
    database: Database, pack: ContentPack, clock: FakeClock
) -> None:
    visit = play_visit(pack, clock)
    visit.ending = None
    visit.abandon()
    with database.session() as session, pytest.raises(ValueError, match="only a completed"):
        save_visit(session, visit, station="x")


def _row_counts(database: Database) -> dict[str, int]:
    tables = ("visits", "answers", "slide_views", "consent_acknowledgements", "flags")
    with database.session() as session:
        return {t: session.scalar(text(f"SELECT count(*) FROM {t}")) or 0 for t in tables}


def test_a_failed_write_leaves_nothing_half_written(
    database: Database, pack: ContentPack, clock: FakeClock
) -> None:
    first = play_visit(pack, clock, first="Ana")
    store_visit(database, first)
    before = _row_counts(database)
    clash = play_visit(pack, clock, first="Beatriz", answers={"pregnancy": Answer.YES})
    clash.id = first.id  # the visit row fails; its answers, flags and slides must not stay
    with database.session() as session, pytest.raises(IntegrityError), session.begin():
        save_visit(session, clash, station="x")
    assert _row_counts(database) == before
    with database.session() as session:
        record = load_visit(session, first.id)
    assert record is not None
    assert record.first_name == "Ana"
    assert record.flags == ()


def test_the_apps_own_connections_use_wal_full_sync_and_foreign_keys(database: Database) -> None:
    for _ in range(3):  # every pooled connection, not just the first
        with database.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


def test_first_start_makes_the_bundled_pack_version_1(
    database: Database, pack: ContentPack, clock: FakeClock
) -> None:
    with database.session() as session, session.begin():
        row, used = content_in_use(session, None, clock())
        assert (row.id, row.sha256, used) == (1, pack.version, pack)
    with database.session() as session, session.begin():
        again, _ = content_in_use(session, None, clock())
        assert again.id == 1
        assert session.scalar(select(ContentVersionRow.id).where(ContentVersionRow.id > 1)) is None


def test_a_visit_keeps_the_text_it_was_shown_after_a_new_version(
    database: Database, pack: ContentPack, clock: FakeClock, pack_copy: Path
) -> None:
    visit = play_visit(pack, clock)
    store_visit(database, visit)
    questions = pack_copy / "questions.yaml"
    questions.write_text(
        questions.read_text().replace(
            "Are you pregnant, or could you be pregnant?", "Could you be pregnant?"
        )
    )
    newer = load_pack(pack_copy)
    with database.session() as session, session.begin():
        publish_content(session, newer, label="wording update", published_by="test", now=clock())
    with database.session() as session, session.begin():
        row, used = content_in_use(session, None, clock())
        assert used.version == newer.version
        assert row.id == 2
        record = load_visit(session, visit.id)
    assert record is not None
    assert record.answers[-1].question_text == "Are you pregnant, or could you be pregnant?"
    assert record.content_version == pack.version


def test_a_trial_folder_is_stored_but_never_becomes_the_clinics_content(
    database: Database, pack_copy: Path, clock: FakeClock, pack: ContentPack
) -> None:
    slides = pack_copy / "slides.yaml"
    slides.write_text(slides.read_text().replace("Common side effects", "Usual side effects"))
    with database.session() as session, session.begin():
        trial, used = content_in_use(session, pack_copy, clock())
        assert used.slides[2].title == "Usual side effects"
        assert trial.sha256 == used.version != pack.version
        assert trial.id != newest_content(session).id  # type: ignore[union-attr]
        assert trial.id == 2  # the bundled pack became version 1 first
    with database.session() as session, session.begin():
        row, in_use = content_in_use(session, None, clock())
    assert (row.id, in_use.version) == (1, pack.version)


def test_list_is_newest_first_and_since_filters(
    database: Database, pack: ContentPack, clock: FakeClock
) -> None:
    first = play_visit(pack, clock, first="Older")
    store_visit(database, first)
    clock.advance(86400)
    second = play_visit(pack, clock, first="Newer")
    store_visit(database, second)
    with database.session() as session:
        assert [v.first_name for v in list_visits(session)] == ["Newer", "Older"]
        since = second.started_at
        assert [v.first_name for v in list_visits(session, since=since)] == ["Newer"]


def test_name_key_ignores_case_and_accents() -> None:
    assert name_key("José", "MÜLLER-Núñez") == "jose muller-nunez"


def test_models_and_migrations_agree(database: Database) -> None:
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def _store_as_revision_0001_did(database: Database, pack: ContentPack, visit: Visit) -> None:
    """Write a visit with plain SQL into the tables as migration 0001 made them."""
    assert visit.details is not None
    when = "2026-11-02 15:00:00"
    statements = [
        (
            (
                "INSERT INTO content_versions"
                " (id, sha256, label, published_at, published_by, canonical)"
                " VALUES (1, :sha, 'bundled default content', :when, 'first start', :canonical)"
            ),
            {"sha": pack.version, "when": when, "canonical": pack.canonical_bytes()},
        ),
        (
            (
                "INSERT INTO visits (id, content_version_id, is_demo, station, ending, language,"
                " started_at, finished_at, first_name, last_name, name_key, date_of_birth,"
                " ride_status, flag_count) VALUES (:id, 1, 0, 'old-kiosk', 'completed', 'en',"
                " :when, :when, 'Ana', 'García', 'ana garcia', '1968-04-15', 'none_yet', 2)"
            ),
            {"id": visit.id, "when": when},
        ),
        *[
            (
                (
                    "INSERT INTO answers (visit_id, question_id, position, answer, answered_at)"
                    " VALUES (:id, :q, :n, :a, :when)"
                ),
                {
                    "id": visit.id,
                    "q": q.id,
                    "n": n,
                    "a": visit.answers[q.id].answer.value,
                    "when": when,
                },
            )
            for n, q in enumerate(pack.questions)
        ],
        *[
            (
                (
                    "INSERT INTO flags (visit_id, position, kind, question_id, answer, sentence)"
                    " VALUES (:id, :n, :kind, :q, :a, :sentence)"
                ),
                {
                    "id": visit.id,
                    "n": n,
                    "kind": f.kind.value,
                    "q": f.question_id,
                    "a": f.answer.value if f.answer else None,
                    "sentence": f.sentence,
                },
            )
            for n, f in enumerate(visit.flags)
        ],
    ]
    with database.engine.begin() as connection:
        for statement, values in statements:
            connection.execute(text(statement), values)


def test_upgrading_from_the_first_revision_keeps_a_stored_visit(
    tmp_path: Path, pack: ContentPack, clock: FakeClock
) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    old = open_database(url, migrate_schema=False)
    migrate(old.engine, "0001")
    visit = play_visit(pack, clock, answers={"pregnancy": Answer.YES}, ride=None)
    _store_as_revision_0001_did(old, pack, visit)
    old.close()
    upgraded = open_database(url)  # upgrades to head
    with upgraded.session() as session, session.begin():
        record = load_visit(session, visit.id)
        row, in_use = content_in_use(session, None, clock())
    upgraded.close()
    assert record is not None
    assert (record.first_name, record.last_name) == ("Ana", "García")
    assert record.flags == tuple(f.sentence for f in visit.flags)
    assert [a.answer for a in record.answers] == [
        visit.answers[q.id].answer for q in pack.questions
    ]
    assert record.ride.status is RideStatus.NONE_YET
    # The old version is still the published content in use, not replaced.
    assert (row.id, in_use.version) == (1, pack.version)


def test_every_table_starts_empty_on_a_new_database(database: Database) -> None:
    with database.session() as session:
        assert list(list_visits(session)) == []


def test_the_known_head_revision_is_alembics_head() -> None:
    from alembic.script import ScriptDirectory

    from kiosk.store import HEAD_REVISION, alembic_config

    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == HEAD_REVISION
