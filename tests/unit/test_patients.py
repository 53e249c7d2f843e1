"""Patients who come back: linking at the desk, unlinking, merging, correcting typos."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from kiosk.actor import Actor, Role, StaffMember
from kiosk.audit import entries
from kiosk.content import ContentPack
from kiosk.database import Database, open_database
from kiosk.front_desk import FrontDesk
from kiosk.models import PatientRow
from kiosk.patients import CorrectedField, PatientError
from kiosk.retention import purge_older_than
from kiosk.stored_visits import list_visits, load_visit
from kiosk.visit_walk import ManualClock, walk_visit
from tests.conftest import store_visit

CLERK = StaffMember(1, "maria", frozenset({Role.STAFF}))


def by(clock: ManualClock) -> Actor:
    return Actor.staff(CLERK, station="desk-1", now=clock())


def check_in(database: Database, pack: ContentPack, clock: ManualClock, **kwargs: object) -> str:
    visit = walk_visit(pack, clock, **kwargs)  # type: ignore[arg-type]
    store_visit(database, visit)
    clock.advance(60)
    return visit.id


@pytest.fixture
def front_desk(database: Database) -> FrontDesk:
    return FrontDesk(database, zone=ZoneInfo("UTC"), paper_size="letter")


def trail(database: Database, action: str) -> list[tuple[str, str | None, str]]:
    with database.session() as session:
        return [(e.actor, e.visit_id, e.detail) for e in entries(session) if e.action == action]


def test_a_visit_is_linked_only_when_staff_confirm_the_exact_match_suggested(
    database: Database, front_desk: FrontDesk, pack: ContentPack, clock: ManualClock
) -> None:
    first = check_in(database, pack, clock, first="José", last="Núñez", born="02/03/1951")
    patient_id = front_desk.link_visit(first, None, by(clock))
    # The same name typed without accents, in capitals, with extra spaces: an exact match.
    again = check_in(database, pack, clock, first=" JOSE ", last="nunez", born="02/03/1951")
    other_birthday = check_in(database, pack, clock, first="José", last="Núñez", born="02/04/1951")
    other_name = check_in(database, pack, clock, first="Josefa", last="Núñez", born="02/03/1951")
    assert [p.id for p in front_desk.suggested_patients(again)] == [patient_id]
    assert front_desk.suggested_patients(other_birthday) == []
    assert front_desk.suggested_patients(other_name) == []
    # Suggested is not linked: nothing changed until staff confirm.
    with database.session() as session:
        assert load_visit(session, again).patient_id is None  # type: ignore[union-attr]
    assert front_desk.link_visit(again, patient_id, by(clock)) == patient_id
    record = front_desk.patient(patient_id)
    assert record is not None
    assert record.visit_count == 2
    # Known by the newest visit's name; consent from the newest signed visit.
    assert (record.first_name, record.last_name) == ("JOSE", "nunez")
    assert record.last_consent_at is not None
    assert record.last_consent_version == pack.version
    assert trail(database, "visit_linked") == [
        ("user:maria", first, f"to a new patient record, number {patient_id}"),
        ("user:maria", again, f"to patient number {patient_id}"),
    ]
    with database.session() as session:
        listed = {v.id: v.patient_id for v in list_visits(session)}
    assert listed[again] == patient_id
    assert listed[other_name] is None


def test_unlinking_the_last_visit_removes_the_patient_record(
    database: Database, front_desk: FrontDesk, pack: ContentPack, clock: ManualClock
) -> None:
    visit = check_in(database, pack, clock)
    patient_id = front_desk.link_visit(visit, None, by(clock))
    front_desk.unlink_visit(visit, by(clock))
    assert front_desk.patient(patient_id) is None
    assert trail(database, "visit_unlinked") == [
        ("user:maria", visit, f"from patient number {patient_id} (no visit left: removed)")
    ]
    with pytest.raises(PatientError, match="not linked"):
        front_desk.unlink_visit(visit, by(clock))


def test_merging_moves_every_visit_and_removes_the_duplicate(
    database: Database, front_desk: FrontDesk, pack: ContentPack, clock: ManualClock
) -> None:
    one = check_in(database, pack, clock, first="Ana", last="García")
    two = check_in(database, pack, clock, first="Ana", last="Garcia-Lopez")
    three = check_in(database, pack, clock, first="Ana", last="Garcia-Lopez")
    keep = front_desk.link_visit(one, None, by(clock))
    duplicate = front_desk.link_visit(two, None, by(clock))
    front_desk.link_visit(three, duplicate, by(clock))
    # Same date of birth: offered as a possible duplicate.
    assert [p.id for p in front_desk.possible_duplicates(keep)] == [duplicate]
    assert front_desk.merge_patients(keep, duplicate, by(clock)) == 2
    assert front_desk.patient(duplicate) is None
    merged = front_desk.patient(keep)
    assert merged is not None
    assert merged.visit_count == 3
    assert merged.last_name == "Garcia-Lopez"  # the newest visit's
    assert {v for _, v, _ in trail(database, "patients_merged")} == {two, three}
    with pytest.raises(PatientError, match="itself"):
        front_desk.merge_patients(keep, keep, by(clock))


def test_a_correction_keeps_who_what_was_typed_and_what_it_became(
    database: Database, front_desk: FrontDesk, pack: ContentPack, clock: ManualClock
) -> None:
    visit = check_in(database, pack, clock, first="Jon", last="Smiht", born="04/15/1968")
    patient_id = front_desk.link_visit(visit, None, by(clock))
    changed = front_desk.correct_details(
        visit, by(clock), first_name="Jon", last_name="Smith", date_of_birth=date(1968, 5, 15)
    )
    assert changed == [CorrectedField.LAST_NAME, CorrectedField.DATE_OF_BIRTH]
    with database.session() as session:
        record = load_visit(session, visit)
    assert record is not None
    assert (record.last_name, record.date_of_birth) == ("Smith", date(1968, 5, 15))
    assert [(c.detail, c.typed, c.became, c.corrected_by) for c in record.corrections] == [
        ("last name", "Smiht", "Smith", "maria"),
        ("date of birth", "1968-04-15", "1968-05-15", "maria"),
    ]
    # The trail says who and what, never the name itself.
    [(actor, visit_id, detail)] = trail(database, "details_corrected")
    assert (actor, visit_id) == ("user:maria", visit)
    assert detail.startswith("last name, date of birth (corrections ")
    assert "Smi" not in detail
    # The patient follows the corrected visit, so the expected list can match them.
    patient = front_desk.patient(patient_id)
    assert patient is not None
    assert (patient.last_name, patient.date_of_birth) == ("Smith", date(1968, 5, 15))
    # Nothing to change records nothing.
    assert front_desk.correct_details(visit, by(clock), last_name=" Smith ") == []
    assert len(trail(database, "details_corrected")) == 1


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"first_name": "   "}, "first name"),
        ({"last_name": "x" * 81}, "at most 80"),
        ({"date_of_birth": date(1850, 1, 1)}, "between 1900 and today"),
    ],
)
def test_a_correction_that_cannot_be_a_name_or_birth_date_is_refused(
    database: Database,
    front_desk: FrontDesk,
    pack: ContentPack,
    clock: ManualClock,
    change: dict[str, object],
    problem: str,
) -> None:
    visit = check_in(database, pack, clock)
    with pytest.raises(PatientError, match=problem):
        front_desk.correct_details(visit, by(clock), **change)  # type: ignore[arg-type]
    assert trail(database, "details_corrected") == []


def test_a_purge_moves_the_last_consent_back_and_takes_a_patient_with_their_last_visit(
    database: Database, front_desk: FrontDesk, pack: ContentPack, clock: ManualClock
) -> None:
    old = check_in(database, pack, clock)
    old_patient = front_desk.link_visit(old, None, by(clock))
    clock.advance(40 * 86400)
    first = check_in(database, pack, clock, first="Kept", last="Patient")
    clock.advance(20 * 86400)
    second = check_in(database, pack, clock, first="Kept", last="Patient")
    kept = front_desk.link_visit(first, None, by(clock))
    front_desk.link_visit(second, kept, by(clock))
    purge_older_than(database, 30, by(clock))
    # Only the old visit went: its patient with it.
    assert front_desk.patient(old_patient) is None
    assert front_desk.patient(kept) is not None
    clock.advance(20 * 86400)
    purge_older_than(database, 30, by(clock))
    # The first visit is gone: the last consent is the second one's.
    record = front_desk.patient(kept)
    assert record is not None
    assert record.visit_count == 1
    with database.session() as session:
        second_record = load_visit(session, second)
        assert second_record is not None
        assert record.last_consent_at == second_record.signed_at
        assert session.scalar(select(PatientRow.id).where(PatientRow.id == old_patient)) is None
    clock.advance(40 * 86400)
    purge_older_than(database, 30, by(clock))
    assert front_desk.patient(kept) is None


def test_a_void_visit_is_no_last_consent(
    database: Database, front_desk: FrontDesk, pack: ContentPack, clock: ManualClock
) -> None:
    earlier = check_in(database, pack, clock)
    clock.advance(timedelta(days=7).total_seconds())
    later = check_in(database, pack, clock)
    patient_id = front_desk.link_visit(earlier, None, by(clock))
    front_desk.link_visit(later, patient_id, by(clock))
    front_desk.void_visit(later, "wrong patient", by(clock))
    record = front_desk.patient(patient_id)
    with database.session() as session:
        earlier_record = load_visit(session, earlier)
    assert record is not None
    assert earlier_record is not None
    assert record.last_consent_at == earlier_record.signed_at


def test_a_restore_keeps_the_patient_of_a_visit_stored_after_the_backup(
    tmp_path: Path, pack: ContentPack, clock: ManualClock
) -> None:
    from kiosk.backup import backup, restore
    from tests.databases import made_database

    url = f"sqlite:///{tmp_path / 'clinic.sqlite3'}"
    database = made_database(url)
    store_visit(database, walk_visit(pack, clock))  # the bundled content, published
    backup(url, tmp_path / "before.sqlite3")
    visit = check_in(database, pack, clock, first="Later", last="Patient")
    desk = FrontDesk(database, zone=ZoneInfo("UTC"), paper_size="letter")
    desk.link_visit(visit, None, by(clock))
    database.close()
    restore(url, tmp_path / "before.sqlite3", by=by(clock))
    database = open_database(url)
    desk = FrontDesk(database, zone=ZoneInfo("UTC"), paper_size="letter")
    with database.session() as session:
        carried = load_visit(session, visit)
    assert carried is not None
    assert carried.patient_id is not None
    patient = desk.patient(carried.patient_id)
    assert patient is not None
    assert (patient.name, patient.visit_count) == ("Later Patient", 1)
    assert patient.last_consent_at == carried.signed_at
    database.close()


def test_only_the_desks_roles_link_merge_correct_and_keep_the_list(
    database: Database, front_desk: FrontDesk, pack: ContentPack, clock: ManualClock
) -> None:
    """An admin who only edits content is not front-desk staff (the README's role table):
    the patient records and today's list are refused to them, and nothing is audited."""
    from kiosk.expected import ExpectedListError
    from kiosk.front_desk import visit_actions

    editor = StaffMember(2, "ines", frozenset({Role.ADMIN}))
    as_editor = Actor.staff(editor, station="editor-1", now=clock())
    visit = check_in(database, pack, clock)
    patient_id = front_desk.link_visit(visit, None, by(clock))
    other = check_in(database, pack, clock)
    with pytest.raises(PatientError, match="Only front-desk staff or a clinician"):
        front_desk.link_visit(other, patient_id, as_editor)
    with pytest.raises(PatientError, match="Only front-desk staff or a clinician"):
        front_desk.unlink_visit(visit, as_editor)
    with pytest.raises(PatientError, match="Only front-desk staff or a clinician"):
        front_desk.correct_details(visit, as_editor, first_name="Anna")
    with pytest.raises(PatientError, match="Only front-desk staff or a clinician"):
        front_desk.merge_patients(
            patient_id, front_desk.link_visit(other, None, by(clock)), as_editor
        )
    with pytest.raises(ExpectedListError, match="Only front-desk staff or a clinician"):
        front_desk.expect("Ana", "Lee", "01/02/1950", "", as_editor)
    with pytest.raises(ExpectedListError, match="Only front-desk staff or a clinician"):
        front_desk.import_expected(b"name,date of birth\nAna Lee,01/02/1950\n", as_editor)
    assert front_desk.expected_today(now=clock()) == []
    assert trail(database, "details_corrected") == []
    assert [e[1] for e in trail(database, "visit_linked")] == [visit, other]
    # The desk greys the buttons alike; a clinician may do all of it.
    with database.session() as session:
        record = load_visit(session, visit)
    assert record is not None
    refused = visit_actions(record, editor)
    assert (refused.link_patient, refused.unlink_patient, refused.correct_details) == (
        False,
        False,
        False,
    )
    clinician = visit_actions(record, StaffMember(3, "lee", frozenset({Role.CLINICIAN})))
    assert (clinician.link_patient, clinician.unlink_patient, clinician.merge_patients) == (
        True,
        True,
        True,
    )
