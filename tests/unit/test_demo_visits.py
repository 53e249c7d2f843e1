"""`kiosk demo-data`'s visits as the front desk shows them, and made in a few statements."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, select

from kiosk import desk
from kiosk.actor import Actor, Role, StaffMember
from kiosk.content import ContentPack, QuestionSection
from kiosk.database import Database
from kiosk.models import PatientRow, VisitRow
from kiosk.upkeep import Upkeep
from kiosk.visit import Ending, VisitFlow
from tests.databases import made_database

CHICAGO = ZoneInfo("America/Chicago")
NOW = datetime(2026, 12, 7, 18, tzinfo=UTC)  # noon in Chicago
CLERK = StaffMember(1, "maria", frozenset({Role.STAFF}))


def add_demo_visits(database: Database, count: int) -> None:
    """`kiosk demo-data --visits COUNT` on `database`, at NOW."""
    Upkeep(database).add_demo_visits(
        count,
        content_dir=None,
        zone=CHICAGO,
        force=False,
        by=Actor.command_line(station="clinic-it", now=NOW),
    )


def test_demo_visits_are_what_the_desk_shows(database: Database, pack: ContentPack) -> None:
    add_demo_visits(database, 300)
    clerk = Actor.staff(CLERK, station="desk-1", now=NOW)
    with database.session() as session:
        stored = list(session.scalars(select(VisitRow).order_by(VisitRow.started_at)))
        patients = {row.id: row for row in session.scalars(select(PatientRow))}
        # The desk's count of visits (kept by the database's triggers as rows arrive).
        assert desk.desk_marker(session)[0] == 300
        today = desk.todays_check_ins(session, zone=CHICAGO, now=NOW)
        # A search by part of a returning patient's name finds each of their visits.
        returning = next(row for row in stored if row.patient_id is not None)
        part = returning.name_key[:4]
        found = desk.search(session, desk.VisitQuery(text=part), zone=CHICAGO)
        records = {row.id: desk.open_visit(session, row.id, clerk) for row in stored}
    assert len(stored) == 300
    assert all(row.is_demo for row in stored)
    assert found.total == sum(part in row.name_key for row in stored)
    assert {c.id for c in found.check_ins} <= {row.id for row in stored if part in row.name_key}

    # Today's list: a dozen or more demo visits, each flag counted and open.
    assert len(today) >= 12
    assert all(check_in.is_demo for check_in in today)
    for check_in in today:
        record = records[check_in.id]
        assert check_in.flag_count == check_in.open_flag_count == len(record.flags)
        assert check_in.needs_attention == bool(record.flags)

    screening = {q.text for q in pack.questions if q.section is QuestionSection.SCREENING}
    for row in stored:
        record = records[row.id]
        assert record.is_demo
        assert record.patient_name == f"{row.first_name} {row.last_name}"
        assert {m.measure.id for m in record.measures} == {"phq9", "gad7"}
        assert screening <= {answer.question_text for answer in record.answers}
        if record.ending is Ending.STOPPED_TO_TALK:
            assert record.signature_png is None
            assert all(a.acknowledged_at is None for a in record.acknowledgements)
            assert record.flags
        else:
            assert record.signature_png is not None
            assert record.signature_png.startswith(b"\x89PNG")
            assert record.signed_name == record.patient_name
            assert len(record.acknowledgements) == len(pack.consent_statements)
            assert all(a.acknowledged_at is not None for a in record.acknowledgements)
        if record.flow == VisitFlow.RETURN_WITHOUT_SLIDES:
            # The reminder in place of the slides: no slides, so no teach-back.
            assert record.slides == ()
            assert record.teach_back == ()
        else:
            assert len(record.slides) == len(pack.slides)
            assert len(record.teach_back) == len(pack.teach_back)

    # Returning patients: their first visit is a first visit, every later one a return
    # visit asking the return questions; the record knows their newest consent.
    by_patient: dict[int, list[VisitRow]] = defaultdict(list)
    for row in stored:
        if row.patient_id is not None:
            by_patient[row.patient_id].append(row)
    assert set(by_patient) == set(patients)
    assert sum(len(own) >= 3 for own in by_patient.values()) >= 3
    return_only = {q.text for q in pack.questions if q.section.return_visits_only}
    for patient_id, own in by_patient.items():
        assert own[0].flow == VisitFlow.FIRST_VISIT
        assert all(row.flow != VisitFlow.FIRST_VISIT for row in own[1:])
        for row in own[1:]:
            assert return_only <= {a.question_text for a in records[row.id].answers}
        signed = [row for row in own if row.signed_at is not None]
        newest = min(signed, key=lambda row: (-row.finished_at.timestamp(), row.id))
        assert patients[patient_id].last_consent_at == newest.signed_at
    assert not any(row.flow != VisitFlow.FIRST_VISIT for row in stored if row.patient_id is None)


@pytest.mark.parametrize("database_engine", ["sqlite"])
def test_more_demo_visits_take_a_few_more_statements_not_some_for_each(
    new_database_url: Callable[..., str],
) -> None:
    # A statement for each return visit made 100,000 visits take hours: each went through
    # everything the session held. Two runs with the same returning patients (twenty,
    # from 240 visits up): a thousand more visits, about three hundred of them return
    # visits, may add a statement for each thousand rows, never one for each visit.
    def statements_to_add(count: int) -> int:
        database = made_database(new_database_url(f"demo-{count}", made=True))
        run: list[str] = []

        def counted(*arguments: Any) -> None:
            run.append(arguments[2])

        event.listen(database.engine, "before_cursor_execute", counted)
        try:
            add_demo_visits(database, count)
        finally:
            database.close()
        return len(run)

    fewer, more = statements_to_add(300), statements_to_add(1300)
    assert more - fewer < 1000 // 10
