"""Today's expected returning patients, and which flow the kiosk runs for a patient.

Staff mark at the desk who is expected today (one by one, from a linked visit's
patient, or from a CSV of name, date of birth and time). The kiosk asks `which_flow`
with the name and date of birth the patient typed: it is matched only against today's
list and the answer is one of three flows, nothing else, so a kiosk never shows or
learns anything from an earlier visit. No match (not expected, a typo, two patient
records that both match) is the full first visit: the safe side.

A return visit shows the slides again when their clinical text changed since the
patient's last consent or that consent is older than the clinic's period; otherwise a
one-screen reminder (`kiosk.visit.VisitFlow`).
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from kiosk.actor import Actor, Permission
from kiosk.audit import AuditAction
from kiosk.content import ContentPack
from kiosk.kiosk_access import through_owner
from kiosk.models import ContentVersionRow, ExpectedPatientRow, PatientRow, VisitRow
from kiosk.patients import ONLY_THE_FRONT_DESK, PatientError, patient_key
from kiosk.visit import MAX_NAME_LENGTH, VisitFlow, clean_name, parse_birth_date

# A day's list is a few dozen patients; anything far larger is not one.
MAX_CSV_BYTES = 256 * 1024
MAX_CSV_ROWS = 500


class ExpectedListError(Exception):
    """An entry or a CSV that cannot go on the list; the message is for staff."""


@dataclass(frozen=True)
class ExpectedPatient:
    """One line of today's expected list, as the desk shows it."""

    id: int
    first_name: str
    last_name: str
    date_of_birth: date
    expected_at: str  # "HH:MM", or "" when no time was given
    # The patient record this line matches (linked or exact match), if exactly one.
    patient_id: int | None

    @property
    def name(self) -> str:
        """First and last name."""
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class ImportedList:
    """What a CSV import did."""

    added: int
    already_listed: int


def clinic_day(now: datetime, zone: ZoneInfo) -> date:
    """The clinic's date at `now`."""
    return now.astimezone(zone).date()


def _matching_patient(session: Session, key: str, born: date) -> int | None:
    """The one patient record with this exact name key and birth date (None: none or two)."""
    found = list(
        session.scalars(
            select(PatientRow.id)
            .where(PatientRow.name_key == key, PatientRow.date_of_birth == born)
            .limit(2)
        )
    )
    return found[0] if len(found) == 1 else None


def expected_today(session: Session, *, day: date) -> list[ExpectedPatient]:
    """The day's list, by time (untimed last), then name."""
    rows = session.scalars(
        select(ExpectedPatientRow)
        .where(ExpectedPatientRow.day == day)
        .order_by(
            ExpectedPatientRow.expected_at.is_(None),
            ExpectedPatientRow.expected_at,
            ExpectedPatientRow.last_name,
            ExpectedPatientRow.id,
        )
    )
    return [
        ExpectedPatient(
            r.id,
            r.first_name,
            r.last_name,
            r.date_of_birth,
            r.expected_at or "",
            r.patient_id
            if r.patient_id is not None and session.get(PatientRow, r.patient_id) is not None
            else _matching_patient(session, r.name_key, r.date_of_birth),
        )
        for r in rows
    ]


def parse_time(typed: str) -> str | None:
    """A time as staff or a schedule writes it ("9:30", "14:05", "2:05 PM") as "HH:MM".

    "" for no time; None when it is not a time.
    """
    text = typed.strip().upper().replace(".", "")
    if not text:
        return ""
    match = re.fullmatch(r"(\d{1,2}):(\d{2})\s*(AM|PM)?", text)
    if not match:
        return None
    hour, minute, half = int(match[1]), int(match[2]), match[3]
    if half is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "PM" else 0)
    try:
        return time(hour, minute).strftime("%H:%M")
    except ValueError:
        return None


def _birth_date(typed: str) -> date | None:
    born = parse_birth_date(typed)
    if born is None:
        try:
            born = date.fromisoformat(typed.strip())
        except ValueError:
            return None
    return born


def _entry(
    first_name: str, last_name: str, born: str | date, at: str, *, today: date
) -> tuple[str, str, date, str]:
    first, last = clean_name(first_name), clean_name(last_name)
    if not first or not last:
        raise ExpectedListError("Please give the patient's first and last name.")
    if len(first) > MAX_NAME_LENGTH or len(last) > MAX_NAME_LENGTH:
        raise ExpectedListError(f"A name can be at most {MAX_NAME_LENGTH} characters.")
    birth = born if isinstance(born, date) else _birth_date(born)
    if birth is None:
        raise ExpectedListError(
            f"“{str(born).strip()[:40]}” is not a date of birth: use MM/DD/YYYY."
        )
    if birth > today or birth.year < 1900:
        raise ExpectedListError("A date of birth must be between 1900 and today.")
    when = parse_time(at)
    if when is None:
        raise ExpectedListError(f"“{at.strip()[:20]}” is not a time: use 9:30 or 2:30 PM.")
    return first, last, birth, when


def _allowed(by: Actor) -> None:
    """The desk's roles keep the list (`kiosk.actor.ROLE_MATRIX`), not the editor's."""
    if not by.may(Permission.FRONT_DESK):
        raise ExpectedListError(ONLY_THE_FRONT_DESK)


def _add(session: Session, entry: tuple[str, str, date, str], *, day: date, by: Actor) -> bool:
    """Add one line unless the same name and birth date is already on the day's list."""
    first, last, born, at = entry
    key = patient_key(first, last)
    listed = session.scalar(
        select(ExpectedPatientRow.id).where(
            ExpectedPatientRow.day == day,
            ExpectedPatientRow.name_key == key,
            ExpectedPatientRow.date_of_birth == born,
        )
    )
    if listed is not None:
        return False
    session.add(
        ExpectedPatientRow(
            day=day,
            first_name=first,
            last_name=last,
            name_key=key,
            date_of_birth=born,
            expected_at=at or None,
            patient_id=_matching_patient(session, key, born),
            added_at=by.now,
            added_by=by.audit_name,
        )
    )
    return True


def expect(
    session: Session,
    first_name: str,
    last_name: str,
    born: str | date,
    *,
    at: str,
    by: Actor,
    day: date,
) -> None:
    """Put one patient on the day's list (audited, without the name)."""
    _allowed(by)
    if not _add(session, _entry(first_name, last_name, born, at, today=day), day=day, by=by):
        raise ExpectedListError("This patient is already on today's list.")
    by.audit(session, AuditAction.EXPECTED_ADDED, detail=f"one patient for {day.isoformat()}")


def expect_patient(session: Session, patient_id: int, at: str, by: Actor, *, day: date) -> None:
    """Put a patient record on the day's list, by its name and date of birth."""
    row = session.get(PatientRow, patient_id)
    if row is None:
        raise PatientError(f"There is no patient record number {patient_id}.")
    expect(session, row.first_name, row.last_name, row.date_of_birth, at=at, by=by, day=day)


def remove_expected(session: Session, entry_id: int, by: Actor) -> None:
    """Take a line off the list (audited)."""
    _allowed(by)
    row = session.get(ExpectedPatientRow, entry_id)
    if row is None:
        raise ExpectedListError("That patient is no longer on the list.")
    day = row.day
    session.delete(row)
    by.audit(session, AuditAction.EXPECTED_REMOVED, detail=f"one patient for {day.isoformat()}")


_COLUMNS = {
    "first name": "first",
    "first": "first",
    "last name": "last",
    "last": "last",
    "name": "name",
    "patient": "name",
    "date of birth": "born",
    "birth date": "born",
    "dob": "born",
    "born": "born",
    "time": "time",
    "appointment": "time",
}


def _split_name(name: str) -> tuple[str, str]:
    """ "Last, First" or "First … Last" as first and last name."""
    name = clean_name(name)
    if "," in name:
        last, _, first = name.partition(",")
        return first.strip(), last.strip()
    first, _, last = name.rpartition(" ")
    return first.strip(), last.strip()


def _read_csv(raw: bytes) -> list[dict[str, str]]:
    """The CSV's rows by column, or ExpectedListError saying plainly what is wrong."""
    if len(raw) > MAX_CSV_BYTES:
        raise ExpectedListError(
            f"The file is larger than a day's list can be ({MAX_CSV_BYTES // 1024} KB): "
            "is it the right file?"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ExpectedListError(
            "The file is not text in UTF-8. Save the list as “CSV UTF-8” and try again."
        ) from None
    if "\x00" in text:
        raise ExpectedListError("The file is not a CSV list (it holds binary data).")
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise ExpectedListError(f"The file cannot be read as CSV: {error}.") from None
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise ExpectedListError("The file is empty.")
    if len(rows) - 1 > MAX_CSV_ROWS:
        raise ExpectedListError(
            f"The list has more than {MAX_CSV_ROWS} patients: is it the right file?"
        )
    header = [_COLUMNS.get(clean_name(cell).casefold().replace("_", " "), "") for cell in rows[0]]
    has_name = "name" in header or {"first", "last"} <= set(header)
    if not has_name or "born" not in header:
        raise ExpectedListError(
            "The first line must name the columns: name (or first name and last name), "
            "date of birth, and time (optional)."
        )
    found = []
    for row in rows[1:]:
        cells = {column: "" for column in header if column}
        for column, cell in zip(header, row, strict=False):
            if column:
                cells[column] = cell
        found.append(cells)
    return found


def import_csv(session: Session, raw: bytes, by: Actor, *, day: date) -> ImportedList:
    """Add a CSV's patients to the day's list: all of them, or (with a problem) none.

    A problem names its line, so staff can fix the file: nothing is half imported.
    """
    _allowed(by)
    entries = []
    for line, cells in enumerate(_read_csv(raw), start=2):
        if "name" in cells and not (cells.get("first") or cells.get("last")):
            first, last = _split_name(cells["name"])
        else:
            first, last = cells.get("first", ""), cells.get("last", "")
        try:
            entries.append(
                _entry(first, last, cells.get("born", ""), cells.get("time", ""), today=day)
            )
        except ExpectedListError as error:
            raise ExpectedListError(f"Line {line}: {error} Nothing was imported.") from None
    added = sum(1 for entry in entries if _add(session, entry, day=day, by=by))
    by.audit(
        session,
        AuditAction.EXPECTED_IMPORTED,
        detail=f"{added} added, {len(entries) - added} already listed, for {day.isoformat()}",
    )
    return ImportedList(added, len(entries) - added)


def forget_earlier_days(session: Session, *, day: date) -> int:
    """Remove the lists of days before `day` (they hold names, and serve no one)."""
    result = session.execute(delete(ExpectedPatientRow).where(ExpectedPatientRow.day < day))
    return int(getattr(result, "rowcount", 0) or 0)


# --- the kiosk's question ---------------------------------------------------------------
Said = tuple[tuple[str, str, str], ...]

# What each content version's slides say, by its hash: a version never changes, and a
# kiosk asks at every patient's name (read once per version and program run).
_SLIDES_OF_VERSION: dict[str, Said] = {}


def _clinical_text(pack: ContentPack) -> Said:
    """What the slides say, in the clinic's language: what a patient consented to."""
    return tuple((slide.id, slide.title, slide.text) for slide in pack.slides)


def _slides_said(canonical: bytes) -> Said:
    """`_clinical_text` of a stored version, read from its canonical form alone."""
    slides = json.loads(canonical.decode("utf-8"))["slides"]
    return tuple((slide["id"], slide["title"], slide["text"]) for slide in slides)


def slides_changed_since(canonical: bytes, pack: ContentPack) -> bool:
    """Whether the slides' clinical text differs from the content a consent was given on."""
    return _slides_said(canonical) != _clinical_text(pack)


def versions_with_the_same_slides(session: Session, pack: ContentPack) -> list[str]:
    """The stored content versions (their hashes) whose slides say what `pack`'s say.

    Content, not a patient's: a kiosk's role may read it, and tells the server's
    `kiosk_which_flow` which consents need no slides again.
    """
    hashes = list(session.scalars(select(ContentVersionRow.sha256)))
    unread = [sha for sha in hashes if sha not in _SLIDES_OF_VERSION]
    if unread:
        stored = select(ContentVersionRow.sha256, ContentVersionRow.canonical).where(
            ContentVersionRow.sha256.in_(unread)
        )
        for sha, canonical in session.execute(stored):
            _SLIDES_OF_VERSION[sha] = _slides_said(canonical)
    said = _clinical_text(pack)
    return [sha for sha in hashes if _SLIDES_OF_VERSION.get(sha) == said]


def visits_before(session: Session, first_name: str, last_name: str, born: date) -> int | None:
    """How many kept visits the patient with these details has had, for a measure asked
    every Nth visit; 0 for a patient the desk has not linked any visit of.

    None on a server: the kiosk's role reads no patient (it learns only the flow), so a
    measure asked every Nth visit is asked at each visit there.
    """
    if through_owner(session):
        return None
    patient_id = _matching_patient(session, patient_key(first_name, last_name), born)
    if patient_id is None:
        return 0
    return (
        session.scalar(
            select(func.count())
            .select_from(VisitRow)
            .where(VisitRow.patient_id == patient_id, VisitRow.voided_at.is_(None))
        )
        or 0
    )


def which_flow(
    session: Session,
    first_name: str,
    last_name: str,
    born: date,
    *,
    pack: ContentPack,
    now: datetime,
    zone: ZoneInfo,
) -> VisitFlow:
    """Which flow the kiosk runs for the name and birth date typed; nothing else.

    Only a patient on today's list, whose line matches exactly one patient record with
    a consent still kept, has a return visit. On a server the kiosk's role reads no
    patient or list: the owner's `kiosk_which_flow` decides the same way and answers
    only the flow.
    """
    key = patient_key(first_name, last_name)
    day = clinic_day(now, zone)
    if through_owner(session):
        flow = session.scalar(
            text(
                "SELECT kiosk_which_flow(:key, :born, :day, :now, :valid_days, "
                "CAST(:same_slides AS text[]))"
            ),
            {
                "key": key,
                "born": born,
                "day": day,
                "now": now.astimezone(UTC).replace(tzinfo=None),
                "valid_days": pack.consent_valid_days,
                "same_slides": versions_with_the_same_slides(session, pack),
            },
        )
        return VisitFlow(flow) if flow in set(VisitFlow) else VisitFlow.FIRST_VISIT
    line = session.scalar(
        select(ExpectedPatientRow.id).where(
            ExpectedPatientRow.day == day,
            ExpectedPatientRow.name_key == key,
            ExpectedPatientRow.date_of_birth == born,
        )
    )
    if line is None:
        return VisitFlow.FIRST_VISIT
    patient_id = _matching_patient(session, key, born)
    patient = session.get(PatientRow, patient_id) if patient_id is not None else None
    if patient is None or patient.last_consent_at is None:
        return VisitFlow.FIRST_VISIT
    version = session.get(ContentVersionRow, patient.last_consent_version_id)
    period = timedelta(days=pack.consent_valid_days)
    if (
        version is None
        or now.astimezone(UTC) - patient.last_consent_at > period
        or slides_changed_since(version.canonical, pack)
    ):
        return VisitFlow.RETURN_WITH_SLIDES
    return VisitFlow.RETURN_WITHOUT_SLIDES
