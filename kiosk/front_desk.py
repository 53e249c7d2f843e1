"""What the front desk does, each in one transaction with its audit entry.

The desk window, the command line and any outside script use these operations; none of
them opens a transaction or writes an audit entry of its own. Each operation opens its
transaction, does the work through `kiosk.desk`, writes its audit entry in the same
transaction and returns what changed. What may wait on the print system runs with no
transaction open (see `kiosk.desk.follow_prints`), so callers run those in a worker.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from kiosk import desk, expected, patients
from kiosk.actor import Actor, Permission, StaffMember
from kiosk.audit import AuditAction, AuditEntry, entries
from kiosk.audit_protections import recent_restorations
from kiosk.database import Database
from kiosk.file_access import write_file
from kiosk.printing import JobStatus
from kiosk.stored_visits import list_visits
from kiosk.unit_of_work import reading, statements, unit_of_work
from kiosk.visit import Clock
from kiosk.visit_record import VisitListing, VisitRecord


@dataclass(frozen=True)
class DeskList:
    """What the desk's list shows: today's check-ins, or one page of a search."""

    check_ins: tuple[desk.ListedCheckIn, ...]
    # For a search: the page and how many were found in all; None for today's list.
    page: desk.SearchPage | None
    # Changes whenever a visit arrives or changes: the desk reloads only then.
    marker: tuple[object, ...]
    # The audit trail's protections put back lately (the desk warns staff of them).
    restorations: tuple[AuditEntry, ...]


@dataclass(frozen=True)
class VisitActions:
    """What a member of staff may do with the visit open at the desk.

    Decided here, not in the window, from the account's roles (the README's table) and
    the visit's state; each refusal carries the words staff read beside its button.
    """

    mark_reviewed: bool = False
    undo_void: bool = False
    arrange_ride: bool = False
    void: bool = False
    save_summary: bool = False
    print_summary: bool = False
    # Whose visit it is (`kiosk.patients`): a void visit may still be linked or corrected
    # (it stays stored under the patient's name).
    link_patient: bool = False
    unlink_patient: bool = False
    merge_patients: bool = False
    correct_details: bool = False
    # Why a clinical action is not offered to this account ("" when it is, or when the
    # visit is the reason).
    mark_reviewed_refusal: str = ""
    undo_void_refusal: str = ""


def visit_actions(visit: VisitRecord | None, member: StaffMember) -> VisitActions:
    """What `member` may do with `visit` (nothing chosen: nothing to do)."""
    reviews = member.may(Permission.MARK_REVIEWED)
    undoes = member.may(Permission.UNDO_VOID)
    refused = VisitActions(
        mark_reviewed_refusal="" if reviews else desk.ONLY_A_CLINICIAN_REVIEWS,
        undo_void_refusal="" if undoes else desk.ONLY_A_CLINICIAN_UNDOES_A_VOID,
    )
    if visit is None or not member.may(Permission.FRONT_DESK):
        return refused
    standing = visit.voided_at is None
    return replace(
        refused,
        mark_reviewed=reviews and standing and bool(visit.flags),
        undo_void=undoes and not standing,
        arrange_ride=standing,
        void=standing,
        save_summary=True,
        print_summary=True,
        link_patient=True,
        unlink_patient=visit.patient_id is not None,
        merge_patients=visit.patient_id is not None,
        correct_details=True,
    )


class SummaryNotSavedError(desk.DeskError):
    """The summary's file could not be written; the message says why, in plain words."""


class FrontDesk:
    """The front desk's operations on one database."""

    def __init__(self, database: Database, *, zone: ZoneInfo, paper_size: str) -> None:
        self.database = database
        self.zone = zone
        self.paper_size = paper_size

    def marker(self) -> tuple[object, ...]:
        """What changes when any visit arrives or changes (cheap to ask every second)."""
        with reading(self.database) as session:
            return desk.desk_marker(session)

    def todays_list(self, *, now: datetime) -> DeskList:
        """Today's check-ins, those that need attention first."""
        with (
            unit_of_work(self.database) as session,
            desk.unreadable_as_desk_error(desk.UNREADABLE_LIST),
        ):
            return DeskList(
                tuple(desk.todays_check_ins(session, zone=self.zone, now=now)),
                None,
                desk.desk_marker(session),
                tuple(recent_restorations(session, now=now)),
            )

    def search(self, wanted: desk.VisitQuery, by: Actor, *, audit: bool = True) -> DeskList:
        """One page of the visits that match; a search staff typed is audited."""
        with (
            unit_of_work(self.database) as session,
            desk.unreadable_as_desk_error(desk.UNREADABLE_LIST),
        ):
            page = desk.search(session, wanted, zone=self.zone)
            if audit:
                desk.audit_search(session, wanted, page.total, by)
            return DeskList(
                page.check_ins,
                page,
                desk.desk_marker(session),
                tuple(recent_restorations(session, now=by.now)),
            )

    def open_visit(self, visit_id: str, by: Actor) -> VisitRecord:
        """A visit's whole record, for staff to read (audited)."""
        with statements(self.database) as transaction:
            return desk.open_visit(transaction, visit_id, by)

    def review_flags(self, visit_id: str, note: str, by: Actor) -> None:
        """A clinician has reviewed the visit's clinical flags."""
        with unit_of_work(self.database) as session:
            desk.review_flags(session, visit_id, note, by)

    def arrange_ride(self, visit_id: str, driver_name: str, phone: str, by: Actor) -> None:
        """Staff arranged the ride home the patient did not have."""
        with unit_of_work(self.database) as session:
            desk.arrange_ride(session, visit_id, driver_name, phone, by)

    def void_visit(self, visit_id: str, reason: str, by: Actor) -> None:
        """A check-in made by mistake is voided (kept, marked, with the reason)."""
        with unit_of_work(self.database) as session:
            desk.void_visit(session, visit_id, reason, by)

    def undo_void(self, visit_id: str, by: Actor) -> None:
        """A clinician takes back a void made by mistake (audited)."""
        with unit_of_work(self.database) as session:
            desk.undo_void(session, visit_id, by)

    # --- patients who come back (`kiosk.patients`) ----------------------------------------
    def suggested_patients(self, visit_id: str) -> list[patients.Patient]:
        """Patients whose name and date of birth match the visit's exactly (to confirm)."""
        with reading(self.database) as session:
            return patients.suggested_patients(session, visit_id)

    def patient(self, patient_id: int) -> patients.Patient | None:
        """A patient record, or None when it is gone."""
        with reading(self.database) as session:
            return patients.patient(session, patient_id)

    def possible_duplicates(self, patient_id: int) -> list[patients.Patient]:
        """Other records with the same name or the same date of birth."""
        with reading(self.database) as session:
            return patients.possible_duplicates(session, patient_id)

    def link_visit(self, visit_id: str, patient_id: int | None, by: Actor) -> int:
        """Staff confirmed whose visit it is (None: a new patient record); audited."""
        with unit_of_work(self.database) as session:
            return patients.link_visit(session, visit_id, patient_id, by)

    def unlink_visit(self, visit_id: str, by: Actor) -> None:
        """Take the visit off its patient (audited)."""
        with unit_of_work(self.database) as session:
            patients.unlink_visit(session, visit_id, by)

    def merge_patients(self, keep_id: int, duplicate_id: int, by: Actor) -> int:
        """Two records of one patient become one (audited per visit moved)."""
        with unit_of_work(self.database) as session:
            return patients.merge_patients(session, keep_id, duplicate_id, by)

    def correct_details(
        self,
        visit_id: str,
        by: Actor,
        *,
        first_name: str | None = None,
        last_name: str | None = None,
        date_of_birth: date | str | None = None,
    ) -> list[patients.CorrectedField]:
        """Correct a typo in the name or date of birth the patient typed (audited)."""
        with unit_of_work(self.database) as session:
            return patients.correct_details(
                session,
                visit_id,
                by,
                first_name=first_name,
                last_name=last_name,
                date_of_birth=date_of_birth,
            )

    # --- today's expected returning patients (`kiosk.expected`) ------------------------
    def _today(self, now: datetime) -> date:
        return expected.clinic_day(now, self.zone)

    def expected_today(self, *, now: datetime) -> list[expected.ExpectedPatient]:
        """Today's expected returning patients, by time."""
        with reading(self.database) as session:
            return expected.expected_today(session, day=self._today(now))

    def expect(self, first_name: str, last_name: str, born: str, at: str, by: Actor) -> None:
        """Put a patient on today's list by name and date of birth (audited)."""
        with unit_of_work(self.database) as session:
            expected.expect(
                session, first_name, last_name, born, at=at, by=by, day=self._today(by.now)
            )

    def expect_patient(self, patient_id: int, at: str, by: Actor) -> None:
        """Put a patient record on today's list (audited)."""
        with unit_of_work(self.database) as session:
            expected.expect_patient(session, patient_id, at, by, day=self._today(by.now))

    def remove_expected(self, entry_id: int, by: Actor) -> None:
        """Take a patient off today's list (audited)."""
        with unit_of_work(self.database) as session:
            expected.remove_expected(session, entry_id, by)

    def import_expected(self, raw: bytes, by: Actor) -> expected.ImportedList:
        """Add a CSV's patients to today's list, all or none (audited)."""
        with unit_of_work(self.database) as session:
            return expected.import_csv(session, raw, by, day=self._today(by.now))

    def visit_to_print(self, visit_id: str) -> VisitRecord | None:
        """A visit read for printing its summary (the print itself is audited); None if
        there is none, or if it cannot be read (the list says so)."""
        with reading(self.database) as session:
            try:
                return desk.read_visit(session, visit_id)
            except desk.DeskError:
                return None

    def latest_print(self, visit_id: str) -> desk.PrintRecord | None:
        """The visit's last print and what became of it."""
        with reading(self.database) as session:
            return desk.latest_print(session, visit_id)

    def save_summary(self, visit_id: str, target: Path, by: Actor) -> VisitRecord:
        """Write the visit's PDF summary to `target`, whole or not at all, and audit it.

        The file is written inside the transaction that records it: a saved summary never
        goes unrecorded, and a summary that could not be written is not recorded. The
        entry names neither the file nor its folder: staff may name either after the
        patient, and the trail never holds a patient's name.
        """
        from kiosk.summary import build_summary  # reportlab is slow to load; only here

        with unit_of_work(self.database) as session:
            visit = desk.read_visit(session, visit_id)
            if visit is None:
                raise desk.DeskError(f"there is no visit with the ID {visit_id}")
            pdf = build_summary(
                visit,
                zone=self.zone,
                paper_size=self.paper_size,
                printed_by=by.name,
                printed_at=by.now,
            )
            try:
                write_file(target, pdf)  # 0660: not for other users of the computer
            except OSError as error:
                raise SummaryNotSavedError(
                    f"the summary cannot be written to {target}: {error.strerror}"
                ) from error
            by.audit(
                session,
                AuditAction.SUMMARY_SAVED,
                visit.id,
                # Not even the folder: staff name files and folders after patients.
                detail="to a PDF file",
            )
            return visit

    def read_audit(
        self,
        by: Actor,
        *,
        since: datetime | None = None,
        actor: str | None = None,
        visit_id: str | None = None,
    ) -> list[AuditEntry]:
        """Audit entries, oldest first; reading the trail is itself audited."""
        with unit_of_work(self.database) as session:
            found = list(entries(session, since=since, actor=actor, visit_id=visit_id))
            by.audit(session, AuditAction.AUDIT_READ)
            return found

    def list_visits(self, by: Actor, *, since_day: date | None = None) -> list[VisitListing]:
        """Stored visits, newest first, from the start of `since_day` here (audited)."""
        since = None
        if since_day is not None:
            since = datetime.combine(since_day, time.min, tzinfo=self.zone).astimezone(UTC)
        with unit_of_work(self.database) as session:
            by.audit(
                session,
                AuditAction.VISITS_LISTED,
                detail=f"since {since_day}" if since_day is not None else "all",
            )
            return list(list_visits(session, since=since))

    # --- the print system: may take seconds; call these from a worker -------------------
    def print_summary(
        self, visit: VisitRecord, *, printer: str, copy: str, by: Actor
    ) -> desk.PrintSent:
        """Lay out the one-page summary (`copy` "staff" or "patient") and print it."""
        from kiosk.summary import build_summary  # reportlab: loaded on the first print

        pdf = build_summary(
            visit,
            zone=self.zone,
            paper_size=self.paper_size,
            for_patient=copy == "patient",
            printed_by=by.name,
            printed_at=by.now,
        )
        return self.send_summary(visit.id, pdf, printer=printer, copy=copy, by=by)

    def send_summary(
        self, visit_id: str, pdf: bytes, *, printer: str, copy: str, by: Actor
    ) -> desk.PrintSent:
        """Hand a summary to the print system, then record and audit what it said."""
        return desk.send_summary(self.database, visit_id, pdf, printer=printer, copy=copy, by=by)

    def settle_failed_print(
        self, failed: desk.PrintRecord, *, now: Clock, station: str
    ) -> JobStatus:
        """Before printing again: cancel the failed job, unless it printed after all."""
        return desk.settle_failed_print(self.database, failed, now=now, station=station)

    def follow_prints(
        self, *, now: Clock, stop: Callable[[], bool], station: str
    ) -> desk.PrintCheck:
        """Ask the print system what became of the prints still under way."""
        return desk.follow_prints(self.database, now=now, stop=stop, station=station)
