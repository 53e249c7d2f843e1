"""Patients who come back: linking their visits at the desk, merging, correcting typos.

A visit is stored as the patient typed it and belongs to no one until a member of
staff links it to a patient. The desk suggests the patients whose normalised name and
date of birth match the visit's exactly, and staff confirm; nothing is linked by the
program alone, because two patients can share a name and a birthday.

A patient record holds the name and date of birth of their newest linked visit and
the date and content version of their last consent (their newest signed visit that is
still kept and not void). `refresh_patient` recomputes all of it from the visits
whenever they change, and removes a patient who has no visit left: a record is never
kept without a visit of theirs (see `kiosk.retention`).

Every function takes a session and an `Actor`, and leaves an audit entry naming the
visit by ID and the patient by number, never by name (the trail holds no names). What
a correction changed is kept beside the visit, in `detail_corrections`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from kiosk.actor import Actor, Permission
from kiosk.audit import AuditAction
from kiosk.models import ContentVersionRow, DetailCorrectionRow, PatientRow, VisitRow
from kiosk.stored_visits import name_key
from kiosk.visit import MAX_NAME_LENGTH, clean_name, parse_birth_date


class PatientError(Exception):
    """A change to a patient record that cannot be made; the message is for staff."""


ONLY_THE_FRONT_DESK = "Only front-desk staff or a clinician can change a patient record."


def _allowed(by: Actor) -> None:
    """The desk's roles link, merge and correct (`kiosk.actor.ROLE_MATRIX`), not the editor's."""
    if not by.may(Permission.FRONT_DESK):
        raise PatientError(ONLY_THE_FRONT_DESK)


class CorrectedField(StrEnum):
    """What a correction changed."""

    FIRST_NAME = "first_name"
    LAST_NAME = "last_name"
    DATE_OF_BIRTH = "date_of_birth"

    @property
    def words(self) -> str:
        """How staff call it."""
        return {
            CorrectedField.FIRST_NAME: "first name",
            CorrectedField.LAST_NAME: "last name",
            CorrectedField.DATE_OF_BIRTH: "date of birth",
        }[self]


@dataclass(frozen=True)
class Patient:
    """A patient record as the desk shows it."""

    id: int
    first_name: str
    last_name: str
    date_of_birth: date
    visit_count: int
    last_consent_at: datetime | None
    # The content version (its hash) of the last consent.
    last_consent_version: str | None

    @property
    def name(self) -> str:
        """First and last name."""
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class Correction:
    """What was typed and what it became, who corrected it and when."""

    field: CorrectedField
    typed: str
    became: str
    corrected_at: datetime
    corrected_by: str


def patient_key(first_name: str, last_name: str) -> str:
    """The exact-match key of a name: as typed, tidied, lower case, accents aside."""
    return name_key(clean_name(first_name), clean_name(last_name))


def _visit(session: Session, visit_id: str) -> VisitRow:
    row = session.get(VisitRow, visit_id)
    if row is None:
        raise PatientError(f"There is no visit with the ID {visit_id}.")
    return row


def _patient_row(session: Session, patient_id: int) -> PatientRow:
    row = session.get(PatientRow, patient_id)
    if row is None:
        raise PatientError(f"There is no patient record number {patient_id}.")
    return row


def patient(session: Session, patient_id: int) -> Patient | None:
    """A patient record with how many visits are linked to it, or None."""
    row = session.get(PatientRow, patient_id)
    if row is None:
        return None
    visits = session.scalar(
        select(func.count()).select_from(VisitRow).where(VisitRow.patient_id == patient_id)
    )
    version = (
        session.get(ContentVersionRow, row.last_consent_version_id)
        if row.last_consent_version_id is not None
        else None
    )
    return Patient(
        row.id,
        row.first_name,
        row.last_name,
        row.date_of_birth,
        int(visits or 0),
        row.last_consent_at,
        version.sha256 if version is not None else None,
    )


def suggested_patients(session: Session, visit_id: str) -> list[Patient]:
    """Patients whose normalised name and date of birth match the visit's exactly.

    Only a suggestion: staff confirm before anything is linked. The visit's own patient
    is left out.
    """
    visit = _visit(session, visit_id)
    ids = session.scalars(
        select(PatientRow.id)
        .where(
            PatientRow.name_key == patient_key(visit.first_name, visit.last_name),
            PatientRow.date_of_birth == visit.date_of_birth,
        )
        .order_by(PatientRow.id)
    )
    found = [patient(session, pid) for pid in ids if pid != visit.patient_id]
    return [p for p in found if p is not None]


def possible_duplicates(session: Session, patient_id: int) -> list[Patient]:
    """Other patients who may be the same person: the same name, or the same birth date."""
    row = _patient_row(session, patient_id)
    ids = session.scalars(
        select(PatientRow.id)
        .where(
            PatientRow.id != patient_id,
            or_(
                PatientRow.name_key == row.name_key,
                PatientRow.date_of_birth == row.date_of_birth,
            ),
        )
        .order_by(PatientRow.id)
    )
    found = [patient(session, pid) for pid in ids]
    return [p for p in found if p is not None]


def refresh_patient(session: Session, patient_id: int) -> bool:
    """Recompute a patient's name, birth date and last consent from their visits.

    A patient with no visit left is removed (False): a record outlives no visit.
    """
    row = session.get(PatientRow, patient_id)
    if row is None:
        return False
    session.flush()
    visits = list(
        session.scalars(
            select(VisitRow)
            .where(VisitRow.patient_id == patient_id)
            .order_by(VisitRow.finished_at.desc(), VisitRow.id)
        )
    )
    if not visits:
        session.delete(row)
        session.flush()
        return False
    kept = [v for v in visits if v.voided_at is None] or visits
    newest = kept[0]
    row.first_name = newest.first_name
    row.last_name = newest.last_name
    row.name_key = patient_key(newest.first_name, newest.last_name)
    row.date_of_birth = newest.date_of_birth
    signed = [
        v
        for v in visits
        if v.voided_at is None and (v.signed_at is not None or v.signed_on_paper_at is not None)
    ]
    if signed:
        row.last_consent_at = signed[0].signed_at or signed[0].signed_on_paper_at
        row.last_consent_version_id = signed[0].content_version_id
    else:
        row.last_consent_at = None
        row.last_consent_version_id = None
    return True


def refresh_patients(session: Session, patient_ids: Iterable[int]) -> None:
    """`refresh_patient` for each of `patient_ids` (a purge's, or a merge's)."""
    for patient_id in sorted(set(patient_ids)):
        refresh_patient(session, patient_id)


def link_visit(session: Session, visit_id: str, patient_id: int | None, by: Actor) -> int:
    """Link a visit to a patient staff confirmed, or to a new record (`patient_id` None).

    Returns the patient's number. A visit already linked elsewhere is moved (both
    records are recomputed).
    """
    _allowed(by)
    visit = _visit(session, visit_id)
    before = visit.patient_id
    if patient_id is None:
        row = PatientRow(
            first_name=visit.first_name,
            last_name=visit.last_name,
            name_key=patient_key(visit.first_name, visit.last_name),
            date_of_birth=visit.date_of_birth,
            created_at=by.now,
        )
        session.add(row)
        session.flush()
        patient_id = row.id
        detail = f"to a new patient record, number {patient_id}"
    else:
        _patient_row(session, patient_id)
        if before == patient_id:
            raise PatientError("This visit is already linked to that patient.")
        detail = f"to patient number {patient_id}"
    visit.patient_id = patient_id
    visit.updated_at = by.now
    if before is not None:
        detail += f" (was number {before})"
        refresh_patient(session, before)
    refresh_patient(session, patient_id)
    by.audit(session, AuditAction.VISIT_LINKED, visit_id, detail=detail)
    return patient_id


def unlink_visit(session: Session, visit_id: str, by: Actor) -> None:
    """Take a visit off its patient; a patient left with no visit is removed."""
    _allowed(by)
    visit = _visit(session, visit_id)
    before = visit.patient_id
    if before is None:
        raise PatientError("This visit is not linked to a patient.")
    visit.patient_id = None
    visit.updated_at = by.now
    kept = refresh_patient(session, before)
    by.audit(
        session,
        AuditAction.VISIT_UNLINKED,
        visit_id,
        detail=f"from patient number {before}" + ("" if kept else " (no visit left: removed)"),
    )


def merge_patients(session: Session, keep_id: int, duplicate_id: int, by: Actor) -> int:
    """Move every visit of `duplicate_id` to `keep_id` and remove the duplicate.

    Returns how many visits moved. Each moved visit gets its own audit entry, so a
    visit's history shows it.
    """
    _allowed(by)
    if keep_id == duplicate_id:
        raise PatientError("A patient record cannot be merged into itself.")
    _patient_row(session, keep_id)
    _patient_row(session, duplicate_id)
    moved = list(session.scalars(select(VisitRow.id).where(VisitRow.patient_id == duplicate_id)))
    session.execute(
        update(VisitRow)
        .where(VisitRow.patient_id == duplicate_id)
        .values(patient_id=keep_id, updated_at=by.now)
    )
    session.expire_all()
    refresh_patients(session, (keep_id, duplicate_id))
    for visit_id in moved:
        by.audit(
            session,
            AuditAction.PATIENTS_MERGED,
            visit_id,
            detail=f"patient number {duplicate_id} merged into number {keep_id}",
        )
    return len(moved)


def _changes(
    visit: VisitRow,
    now: datetime,
    first_name: str | None,
    last_name: str | None,
    date_of_birth: date | str | None,
) -> list[tuple[CorrectedField, str, str]]:
    """What a correction would change: (field, typed, became); PatientError if unusable."""
    if isinstance(date_of_birth, str):
        typed_date = date_of_birth
        date_of_birth = parse_birth_date(typed_date)
        if date_of_birth is None:
            raise PatientError(
                f"“{typed_date.strip()}” is not a date of birth: please enter it as MM/DD/YYYY."
            )
    changes: list[tuple[CorrectedField, str, str]] = []
    for field, wanted, current in (
        (CorrectedField.FIRST_NAME, first_name, visit.first_name),
        (CorrectedField.LAST_NAME, last_name, visit.last_name),
    ):
        if wanted is None:
            continue
        cleaned = clean_name(wanted)
        if not cleaned:
            raise PatientError(f"Please enter the patient's {field.words}.")
        if len(cleaned) > MAX_NAME_LENGTH:
            raise PatientError(f"A {field.words} can be at most {MAX_NAME_LENGTH} characters.")
        if cleaned != current:
            changes.append((field, current, cleaned))
    if date_of_birth is not None and date_of_birth != visit.date_of_birth:
        if date_of_birth > now.date() or date_of_birth.year < 1900:
            raise PatientError("Please enter a date of birth between 1900 and today.")
        changes.append(
            (
                CorrectedField.DATE_OF_BIRTH,
                visit.date_of_birth.isoformat(),
                date_of_birth.isoformat(),
            )
        )
    return changes


def correct_details(
    session: Session,
    visit_id: str,
    by: Actor,
    *,
    first_name: str | None = None,
    last_name: str | None = None,
    date_of_birth: date | str | None = None,
) -> list[CorrectedField]:
    """Correct what a patient typed; each changed field keeps what was typed.

    `date_of_birth` is a date or as staff typed it (MM/DD/YYYY). Returns the fields that
    changed (none: nothing is recorded). The visit's patient,
    if any, is recomputed, so a corrected name is the one the expected list matches.
    """
    _allowed(by)
    visit = _visit(session, visit_id)
    changes = _changes(visit, by.now, first_name, last_name, date_of_birth)
    if not changes:
        return []
    rows = []
    for field, typed, became in changes:
        row = DetailCorrectionRow(
            visit_id=visit_id,
            field=field.value,
            typed=typed,
            became=became,
            corrected_at=by.now,
            corrected_by=by.audit_name,
        )
        rows.append(row)
        session.add(row)
        if field is CorrectedField.FIRST_NAME:
            visit.first_name = became
        elif field is CorrectedField.LAST_NAME:
            visit.last_name = became
        else:
            visit.date_of_birth = date.fromisoformat(became)
    visit.name_key = name_key(visit.first_name, visit.last_name)
    visit.updated_at = by.now
    session.flush()
    if visit.patient_id is not None:
        refresh_patient(session, visit.patient_id)
    by.audit(
        session,
        AuditAction.DETAILS_CORRECTED,
        visit_id,
        # The fields and the corrections' numbers, never the words (they are a name).
        detail=", ".join(field.words for field, _, _ in changes)
        + f" (corrections {', '.join(str(row.id) for row in rows)})",
    )
    return [field for field, _, _ in changes]


def corrections_of(session: Session, visit_id: str) -> list[Correction]:
    """The visit's corrections, oldest first."""
    rows = session.scalars(
        select(DetailCorrectionRow)
        .where(DetailCorrectionRow.visit_id == visit_id)
        .order_by(DetailCorrectionRow.id)
    )
    return [
        Correction(CorrectedField(r.field), r.typed, r.became, r.corrected_at, r.corrected_by)
        for r in rows
    ]
