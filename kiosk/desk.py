"""The front desk's services: today's check-ins, search, clinician review, rides, voids.

Every function takes a session and an `Actor` (who, where, when) and leaves an
audit entry naming the visit by ID only. The desk window and the command line use
these same functions. The few that ask the print system take the `Database` instead:
they open their own short transactions and hold none while the print system answers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    String,
    bindparam,
    case,
    func,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session

from kiosk import name_search, printing
from kiosk.actor import Actor, Permission
from kiosk.alerts import AlertKind, keep_alert
from kiosk.audit import AuditAction
from kiosk.content import TeachBackResult
from kiosk.database import Database
from kiosk.logs import log_unexpected
from kiosk.models import AuditEntryRow, FlagRow, PrintJobRow, TeachBackAnswerRow, VisitRow
from kiosk.patients import refresh_patient
from kiosk.printing import JobStatus, PrintError, PrintJob, PrintState
from kiosk.rules import FlagKind, flag_in_brief, stored_flag_kind
from kiosk.stored_visits import load_visit, name_key
from kiosk.unit_of_work import unit_of_work
from kiosk.visit import Clock, Ending, RideStatus, clean_name, parse_birth_date
from kiosk.visit_record import VisitRecord

PAGE_SIZE = 50
# A name search reads the visits of the matching names through the name index when they
# are few; when they are many it reads the newest visits until the page is full. Below
# this many matches the first is always quick (a few milliseconds).
NAME_LOOKUP_LIMIT = 2_000
# Reading a visit from the table to test its name costs about this many times reading
# one entry of the name index (measured at a million visits, bench/desk.py).
ROW_COST = 10
# More names than this are not sent as a list: the newest visits are read instead.
MOST_NAMES_LISTED = 5_000
MAX_NOTE_LENGTH = 2000
# The longest name or birth date is far shorter. The limit keeps a pasted wall of text
# from reaching the database: 25,000 "%" made SQLite give up ("LIKE or GLOB pattern too
# complex"), and even 100 characters that each spread into 18 (NFKD) stay well below it.
MAX_SEARCH_LENGTH = 100


# What staff read when the role they hold may not do a clinical action (an admin
# account too: roles are not ranked).
ONLY_A_CLINICIAN_REVIEWS = "Only a clinician can mark clinical flags as reviewed."
ONLY_A_CLINICIAN_UNDOES_A_VOID = "Only a clinician can undo a void."
ONLY_THE_FRONT_DESK = "Only front-desk staff or a clinician can change a visit."

_log = logging.getLogger(__name__)


class DeskError(Exception):
    """A desk action that cannot be done; the message is for the staff member."""


@dataclass(frozen=True)
class ListedCheckIn:
    """One line of the desk's list of visits."""

    id: str
    finished_at: datetime
    first_name: str
    last_name: str
    date_of_birth: date
    ending: Ending
    flag_count: int
    open_flag_count: int
    reviewed: bool
    ride_status: RideStatus
    print_state: str
    voided: bool
    is_demo: bool
    # The newest print's time and, when it failed, the print system's reason.
    printed_at: datetime | None = None
    print_reason: str = ""
    # The open flags: in a few words for the row, and whole for the hover.
    attention: tuple[str, ...] = ()
    attention_sentences: tuple[str, ...] = ()
    attention_kinds: tuple[FlagKind, ...] = ()
    # Soft notes beside the flags, never one of them: a teach-back answer still wrong
    # after its slide was shown again (staff go over it with the patient).
    notes: tuple[str, ...] = ()
    # False for a visit whose stored words no kiosk writes (edited by hand, damaged): it
    # is listed, never hidden, as needing attention (`_unreadable`).
    readable: bool = True

    @property
    def needs_attention(self) -> bool:
        """Whether someone must still act on this visit before treatment."""
        return self.open_flag_count > 0 and not self.voided

    @property
    def waits_for_clinician(self) -> bool:
        """Whether a clinical flag is still open (a contraindication, or talk first)."""
        return not self.voided and any(
            kind is not FlagKind.NO_RIDE_HOME for kind in self.attention_kinds
        )


@dataclass(frozen=True)
class VisitQuery:
    """What the desk is looking for; empty fields do not filter."""

    text: str = ""
    date_from: date | None = None
    date_to: date | None = None
    needs_attention_only: bool = False
    include_void: bool = True
    page: int = 0
    page_size: int = PAGE_SIZE


@dataclass(frozen=True)
class SearchPage:
    """One page of search results and how many there are in all."""

    check_ins: tuple[ListedCheckIn, ...]
    total: int
    page: int
    page_size: int

    @property
    def page_count(self) -> int:
        """How many pages the results fill (at least one)."""
        return max(1, -(-self.total // self.page_size))


def _latest_print(column: Any) -> Any:
    return (
        select(column)
        .where(PrintJobRow.visit_id == VisitRow.id)
        .order_by(PrintJobRow.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def _check_in_columns(*, as_stored: bool = False) -> list[Any]:
    # `as_stored`: the dates and times as the database holds them, unread by SQLAlchemy
    # (`_read_check_ins`, for a row whose date it could not read).
    def kept(column: Any) -> Any:
        return type_coerce(column, String) if as_stored else column

    latest_print = _latest_print(PrintJobRow.state)
    return [
        VisitRow.id,
        kept(VisitRow.finished_at),
        VisitRow.first_name,
        VisitRow.last_name,
        kept(VisitRow.date_of_birth),
        VisitRow.ending,
        VisitRow.flag_count,
        VisitRow.open_flag_count,
        kept(VisitRow.reviewed_at),
        VisitRow.ride_status,
        func.coalesce(latest_print, "not_printed"),
        kept(VisitRow.voided_at),
        VisitRow.is_demo,
        _latest_print(PrintJobRow.sent_at),
        _latest_print(PrintJobRow.reason),
    ]


def _check_in_query() -> Select[*tuple[Any, ...]]:
    # Run on the session's connection (Core), not through the ORM: the list is plain
    # values, and the ORM's row handling doubled the time of a day's list.
    return select(*_check_in_columns())


def _read_check_ins(
    session: Session, statement: Select[*tuple[Any, ...]], values: dict[str, Any] | None = None
) -> list[ListedCheckIn]:
    """The listed visits `statement` finds. A row whose date or time SQLAlchemy cannot
    read (the database edited by hand) would stop the whole list: then the same rows
    are read again with their dates as stored, and such a visit is listed as unreadable
    among the others."""
    connection = session.connection()
    try:
        return [_check_in(tuple(row)) for row in connection.execute(statement, values).all()]
    except (ValueError, TypeError):
        as_stored = statement.with_only_columns(*_check_in_columns(as_stored=True))
        return [_check_in_as_stored(tuple(row)) for row in connection.execute(as_stored, values)]


def _check_in(row: tuple[Any, ...]) -> ListedCheckIn:
    (
        visit_id,
        finished,
        first,
        last,
        born,
        ending,
        flags,
        open_flags,
        reviewed,
        ride,
        printed,
        voided,
        demo,
        printed_at,
        print_reason,
    ) = row
    assert isinstance(finished, datetime)
    assert isinstance(born, date)
    # Words and numbers no kiosk writes (a hand edit): listed as unreadable, not dropped.
    read: tuple[Ending, int, int, RideStatus, datetime | None] | None
    try:
        read = (
            Ending(str(ending)),
            int(flags),
            int(open_flags),
            RideStatus(str(ride)),
            _as_utc(printed_at),
        )
    except (ValueError, TypeError):
        read = None
    how_it_ended, flag_count, open_flag_count, ride_status, sent_at = read or (
        Ending.COMPLETED,
        0,
        0,
        RideStatus.NONE_YET,
        None,
    )
    listed = ListedCheckIn(
        str(visit_id),
        finished,
        str(first),
        str(last),
        born,
        how_it_ended,
        flag_count,
        open_flag_count,
        reviewed is not None,
        ride_status,
        str(printed),
        voided is not None,
        bool(demo),
        sent_at,
        str(print_reason or ""),
    )
    return listed if read else _unreadable(listed)


UNREADABLE_IN_BRIEF = "record cannot be read"
# What an unreadable visit's unreadable time or birth date is listed as (shown as "—").
UNREADABLE_MOMENT = datetime.min.replace(tzinfo=UTC)
UNREADABLE_DAY = date.min


def _check_in_as_stored(row: tuple[Any, ...]) -> ListedCheckIn:
    """A listed visit from `_check_in_columns(as_stored=True)`: its dates read here."""
    values = list(row)
    finished, born = _stored_moment(values[1]), _stored_day(values[4])
    values[1] = finished or UNREADABLE_MOMENT
    values[4] = born or UNREADABLE_DAY
    listed = _check_in(tuple(values))
    return listed if finished and born and listed.readable else _unreadable(listed)


def _stored_moment(stored: object) -> datetime | None:
    try:
        return _as_utc(stored)
    except ValueError:
        return None


def _stored_day(stored: object) -> date | None:
    if isinstance(stored, date) and not isinstance(stored, datetime):
        return stored
    try:
        return date.fromisoformat(str(stored))
    except ValueError:
        return None


def _unreadable(listed: ListedCheckIn) -> ListedCheckIn:
    """A visit whose stored words no kiosk writes (a hand edit, damage): listed as needing
    attention, what could be read kept (its ride as not yet arranged, to be asked)."""
    _log.error("visit %s in the desk's list could not be read", listed.id)
    return replace(
        listed,
        flag_count=max(listed.flag_count, 1),
        open_flag_count=max(listed.open_flag_count, 1),
        attention=(UNREADABLE_IN_BRIEF,),
        attention_sentences=(UNREADABLE_VISIT,),
        attention_kinds=(),
        readable=False,
    )


def _as_utc(moment: object) -> datetime | None:
    # A scalar subquery's value does not pass through the column's type on every
    # database: SQLite hands back the stored text (ValueError if it is not a time).
    if moment is None:
        return None
    if not isinstance(moment, datetime):
        moment = datetime.fromisoformat(str(moment))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


TEACH_BACK_NOTE = "teach-back to go over"


def _with_notes(session: Session, check_ins: list[ListedCheckIn]) -> list[ListedCheckIn]:
    """The listed visits with their soft notes (one query for all)."""
    ids = [c.id for c in check_ins]
    if not ids:
        return check_ins
    missed = {
        str(visit_id)
        for (visit_id,) in session.connection().execute(
            select(TeachBackAnswerRow.visit_id)
            .where(
                TeachBackAnswerRow.visit_id.in_(ids),
                TeachBackAnswerRow.result == TeachBackResult.STILL_WRONG.value,
            )
            .distinct()
        )
    }
    return [replace(c, notes=(TEACH_BACK_NOTE,)) if c.id in missed else c for c in check_ins]


def _with_open_flags(session: Session, check_ins: list[ListedCheckIn]) -> list[ListedCheckIn]:
    """The listed visits with what their open flags are about (one query for all), and
    their soft notes."""
    check_ins = _with_notes(session, check_ins)
    ids = [c.id for c in check_ins if c.open_flag_count and c.readable]
    if not ids:
        return check_ins
    found: dict[str, list[tuple[str, str]]] = {}
    for visit_id, kind, sentence in session.connection().execute(
        select(FlagRow.visit_id, FlagRow.kind, FlagRow.sentence)
        .where(FlagRow.visit_id.in_(ids), FlagRow.cleared_at.is_(None))
        .order_by(FlagRow.visit_id, FlagRow.position)
    ):
        found.setdefault(str(visit_id), []).append((str(kind), str(sentence)))
    return [_with_flags(c, found[c.id]) if c.id in found else c for c in check_ins]


def _with_flags(check_in: ListedCheckIn, flags: list[tuple[str, str]]) -> ListedCheckIn:
    return replace(
        check_in,
        attention=tuple(flag_in_brief(kind, text) for kind, text in flags),
        attention_sentences=tuple(text for _, text in flags),
        attention_kinds=tuple(stored_flag_kind(kind) for kind, _ in flags),
    )


def _day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tzinfo=zone)
    return start.astimezone(UTC), (start + timedelta(days=1)).astimezone(UTC)


def _attention_first(query: Select[*tuple[Any, ...]]) -> Select[*tuple[Any, ...]]:
    needs = (VisitRow.open_flag_count > 0) & VisitRow.voided_at.is_(None)
    return query.order_by(needs.desc(), VisitRow.finished_at.desc(), VisitRow.id)


_TODAY = _attention_first(
    _check_in_query().where(
        VisitRow.finished_at >= bindparam("start"), VisitRow.finished_at < bindparam("end")
    )
)


def todays_check_ins(session: Session, *, zone: ZoneInfo, now: datetime) -> list[ListedCheckIn]:
    """Today's visits in the clinic's day: those needing attention first, then newest."""
    start, end = _day_bounds(now.astimezone(zone).date(), zone)
    listed = _read_check_ins(session, _TODAY, {"start": start, "end": end})
    return _with_open_flags(session, listed)


def search_key(text: str) -> str:
    """What a search is compared with: lower case, no accents, single spaces.

    Empty when nothing in it can be searched for: no letter or digit is left once
    control characters, accents, spaces and punctuation are set aside. Such a search
    (a NUL, a lone accent, "--") would otherwise match every visit.
    """
    key = name_key(clean_name(text), "").strip()
    return key if any(ch.isalnum() for ch in key) else ""


def search_text(typed: str) -> str:
    """What the desk searches for: `typed` without spaces around it, or "" for nothing.

    "" when nothing in it can be searched for (see `search_key`); a DeskError when it is
    too long to be a name or a birth date.
    """
    text = typed.strip()
    if len(text) > MAX_SEARCH_LENGTH:
        raise DeskError(
            f"A search can be at most {MAX_SEARCH_LENGTH} characters. "
            "Type part of the patient's name, or the date of birth."
        )
    return text if search_key(text) else ""


def _by_name(session: Session, key: str, page_end: int) -> tuple[ColumnElement[bool], int, bool]:
    """Which visits carry a name containing `key`; how many; whether read by name.

    The names that match and how many visits each come from the names stored once each
    (`kiosk.name_search`), not from every visit's: comparing a million visits' names took
    0.9 s (bench/desk.py). Then the cheaper way to the page: the matching names' visits
    through the name index (one entry each), or the newest visits until `page_end` have
    matched (a table row each, and 1 in every visits/matches matches).
    """
    found = name_search.names_containing(session, key)
    matches = sum(found.values())
    few = matches <= NAME_LOOKUP_LIMIT or (
        len(found) <= MOST_NAMES_LISTED
        and matches * matches <= ROW_COST * page_end * name_search.visits_named(session)
    )
    if few:
        return VisitRow.name_key.in_(list(found)), matches, True
    return VisitRow.name_key.like(name_search.like_pattern(key), escape="\\"), matches, False


def search(session: Session, wanted: VisitQuery, *, zone: ZoneInfo) -> SearchPage:
    """Visits matching any part of the name (accents and case ignored) or a birth date.

    A search text with nothing to search for does not filter; one too long is refused
    (DeskError) before it reaches the database.
    """
    query = _check_in_query()
    count = select(func.count()).select_from(VisitRow)
    conditions = []
    # Visits matching the name alone, when the name is the whole search: then the
    # total is known without counting again.
    named_visits: int | None = None
    by_name = False
    text = search_text(wanted.text)
    born = parse_birth_date(text) if text else None
    if born is None and text:
        try:
            born = date.fromisoformat(text)
        except ValueError:
            born = None
    if born is not None:
        conditions.append(VisitRow.date_of_birth == born)
    elif text:
        page_end = (max(0, wanted.page) + 1) * wanted.page_size
        name, named_visits, by_name = _by_name(session, search_key(text), page_end)
        conditions.append(name)
    if wanted.date_from is not None:
        conditions.append(VisitRow.finished_at >= _day_bounds(wanted.date_from, zone)[0])
    if wanted.date_to is not None:
        conditions.append(VisitRow.finished_at < _day_bounds(wanted.date_to, zone)[1])
    if wanted.needs_attention_only:
        conditions += [VisitRow.open_flag_count > 0, VisitRow.voided_at.is_(None)]
    if not wanted.include_void:
        conditions.append(VisitRow.voided_at.is_(None))
    if named_visits is not None and len(conditions) == 1:
        total = named_visits
    else:
        total = session.connection().execute(count.where(*conditions)).scalar() or 0
    page = max(0, wanted.page)
    # Newest first: a visit left unreviewed months ago must not sit above today's
    # (Needs attention only finds those); today's list puts attention first.
    newest_first = (VisitRow.finished_at.desc(), VisitRow.id)
    first, size = page * wanted.page_size, wanted.page_size
    if by_name:
        # The page's IDs from the index on (name, finish time, ID) alone, then only their
        # rows: sorting all of 15,000 matching rows took 90 ms at a million visits.
        chosen = select(VisitRow.id).where(*conditions).order_by(*newest_first)
        selected = query.where(VisitRow.id.in_(chosen.limit(size).offset(first)))
    else:
        selected = query.where(*conditions).limit(size).offset(first)
    listed = _with_open_flags(session, _read_check_ins(session, selected.order_by(*newest_first)))
    return SearchPage(tuple(listed), total, page, wanted.page_size)


def audit_search(session: Session, wanted: VisitQuery, found: int, by: Actor) -> None:
    """Record that the desk searched (what kind of search, never the name typed)."""
    kinds = [
        "name or birth date" if search_key(wanted.text) else "",
        "dates" if wanted.date_from or wanted.date_to else "",
        "needs attention" if wanted.needs_attention_only else "",
    ]
    detail = f"by {', '.join(k for k in kinds if k) or 'nothing'}; {found} found"
    by.audit(session, AuditAction.VISITS_SEARCHED, detail=detail)


# Built once: the desk asks every two seconds, and building the statement cost more
# than running it.
_MARKER = select(
    # The visits, counted from each name's count (a few thousand rows, kept by the
    # database's triggers) rather than a million index entries: 13–20 ms a poll then.
    select(func.coalesce(func.sum(name_search.VISIT_NAMES.c.visits), 0)).scalar_subquery(),
    select(func.max(AuditEntryRow.id)).scalar_subquery(),
    select(func.count(PrintJobRow.id)).scalar_subquery(),
    select(
        func.coalesce(
            func.sum(
                case(
                    (PrintJobRow.state == PrintState.COMPLETED.value, 1),
                    (PrintJobRow.state == PrintState.FAILED.value, 1000),
                    else_=0,
                )
            ),
            0,
        )
    ).scalar_subquery(),
)


def desk_marker(session: Session) -> tuple[object, ...]:
    """Changes whenever a visit is stored or changed, by this process or another.

    Every change to a visit leaves an audit entry in the same transaction, and entries
    are only ever added, so the newest entry's number moves with any change; the number
    of visits covers a database restored or purged under the desk. What the print system
    says of a print changes no entry, so print states are counted. Numbers, not times:
    stations' clocks differ. The desk asks every two seconds, so this must stay cheap on
    a decade of visits: it reads the names' counts (`visit_names`), an index and the print
    jobs, never the visits table (sums over visits read all of it, signatures and all:
    200 ms at 100,000 visits; even counting its index took 13–20 ms at a million).
    """
    return tuple(session.connection().execute(_MARKER).one())


UNREADABLE_VISIT = (
    "This visit's stored record cannot be read: it was changed outside the kiosk or "
    "damaged. The other visits are not affected. Please tell whoever looks after the "
    "clinic's computers (the desk's log names the visit)."
)
UNREADABLE_LIST = (
    "A visit stored here cannot be read (it was changed outside the kiosk or damaged), "
    "so this list cannot be shown. Please tell whoever looks after the clinic's computers "
    "(the desk's log says where reading stopped)."
)


@contextmanager
def unreadable_as_desk_error(words: str, visit_id: str | None = None) -> Iterator[None]:
    """A stored row edited by hand or damaged so that it no longer reads (a word no
    kiosk writes, text where a number or a date belongs, an answer to a question its
    content never had) becomes a `DeskError` in `words`: staff are told, the desk goes
    on. The log names the visit and where reading failed, never what the row holds."""
    try:
        yield
    except (ValueError, TypeError, KeyError, IndexError) as error:
        log_unexpected(type(error), error.__traceback__, _log)
        if visit_id is not None:
            _log.error("visit %s could not be read", visit_id)
        raise DeskError(words) from error


def read_visit(transaction: Session | Connection, visit_id: str) -> VisitRecord | None:
    """The stored visit (None if there is none); `DeskError` if it cannot be read."""
    with unreadable_as_desk_error(UNREADABLE_VISIT, visit_id):
        return load_visit(transaction, visit_id)


def open_visit(transaction: Session | Connection, visit_id: str, by: Actor) -> VisitRecord:
    """The stored visit, as staff see it; the opening is audited."""
    visit = read_visit(transaction, visit_id)
    if visit is None:
        raise DeskError(f"There is no visit with the ID {visit_id}.")
    by.audit(transaction, AuditAction.VISIT_OPENED, visit_id)
    return visit


def _visit_row(session: Session, visit_id: str) -> VisitRow:
    row = session.get(VisitRow, visit_id)
    if row is None:
        raise DeskError(f"There is no visit with the ID {visit_id}.")
    if row.voided_at is not None:
        raise DeskError("This check-in was voided; it cannot be changed.")
    return row


def _clear(session: Session, visit: VisitRow, kinds: set[FlagKind], by: Actor) -> int:
    cleared = 0
    for flag in session.scalars(select(FlagRow).where(FlagRow.visit_id == visit.id)):
        if flag.cleared_at is None and stored_flag_kind(flag.kind) in kinds:
            flag.cleared_at = by.now
            flag.cleared_by = by.username
            cleared += 1
    visit.open_flag_count = max(0, visit.open_flag_count - cleared)
    visit.updated_at = by.now
    return cleared


def review_flags(session: Session, visit_id: str, note: str, by: Actor) -> None:
    """A clinician has reviewed the clinical flags (staff can see but not clear them)."""
    if not by.may(Permission.MARK_REVIEWED):
        raise DeskError(ONLY_A_CLINICIAN_REVIEWS)
    if len(note) > MAX_NOTE_LENGTH:
        raise DeskError(f"The note is longer than {MAX_NOTE_LENGTH} characters.")
    visit = _visit_row(session, visit_id)
    _clear(session, visit, {kind for kind in FlagKind if kind.clinical}, by)
    visit.reviewed_at = by.now
    visit.reviewed_by = by.username
    visit.review_note = note.strip() or None
    by.audit(session, AuditAction.FLAGS_REVIEWED, visit_id)


def arrange_ride(session: Session, visit_id: str, driver_name: str, phone: str, by: Actor) -> None:
    """A ride home arranged after check-in clears the ride flag."""
    if not by.may(Permission.FRONT_DESK):
        raise DeskError(ONLY_THE_FRONT_DESK)
    name = clean_name(driver_name)
    digits = "".join(ch for ch in phone if ch.isdigit())
    if not name:
        raise DeskError("Please enter who is taking the patient home.")
    if not 7 <= len(digits) <= 15:
        raise DeskError("Please enter a phone number with 7 to 15 digits.")
    visit = _visit_row(session, visit_id)
    visit.ride_status = RideStatus.ARRANGED.value
    visit.ride_driver_name = name
    visit.ride_phone = phone.strip()
    visit.ride_relationship = visit.ride_relationship or "arranged at the front desk"
    visit.ride_arranged_by = by.username
    _clear(session, visit, {FlagKind.NO_RIDE_HOME}, by)
    by.audit(session, AuditAction.RIDE_ARRANGED, visit_id)


def void_visit(session: Session, visit_id: str, reason: str, by: Actor) -> None:
    """Mark a check-in made by mistake as void; it stays stored and shown as void."""
    if not by.may(Permission.FRONT_DESK):
        raise DeskError(ONLY_THE_FRONT_DESK)
    if not reason.strip():
        raise DeskError("Please give the reason for voiding this check-in.")
    visit = _visit_row(session, visit_id)
    visit.voided_at = by.now
    visit.voided_by = by.username
    visit.void_reason = reason.strip()[:MAX_NOTE_LENGTH]
    visit.updated_at = by.now
    if visit.patient_id is not None:  # a void visit is no one's last consent
        refresh_patient(session, visit.patient_id)
    by.audit(session, AuditAction.VISIT_VOIDED, visit_id)


def undo_void(session: Session, visit_id: str, by: Actor) -> None:
    """A clinician takes back a void made by mistake: a voided visit hides a patient.

    The void's reason stays in the audit's order of events (voided, then undone); the
    visit is listed again with whatever flags it still has open.
    """
    if not by.may(Permission.UNDO_VOID):
        raise DeskError(ONLY_A_CLINICIAN_UNDOES_A_VOID)
    visit = session.get(VisitRow, visit_id)  # not _visit_row: that refuses a void one
    if visit is None:
        raise DeskError(f"There is no visit with the ID {visit_id}.")
    if visit.voided_at is None:
        raise DeskError("This check-in is not void.")
    visit.voided_at = None
    visit.voided_by = None
    visit.void_reason = None
    visit.updated_at = by.now
    if visit.patient_id is not None:
        refresh_patient(session, visit.patient_id)
    by.audit(session, AuditAction.VISIT_VOID_UNDONE, visit_id)


@dataclass(frozen=True)
class PrintRecord:
    """The newest print of a visit's summary and what became of it."""

    row_id: int
    printer: str
    job: PrintJob | None
    state: PrintState
    reason: str
    # When it was sent, and by whom (for the desk's details).
    sent_at: datetime | None = None
    sent_by: str = ""


def record_print(
    session: Session,
    visit_id: str,
    *,
    printer: str,
    job: PrintJob | None,
    failure: str,
    copy: str,
    by: Actor,
) -> None:
    """Remember a print sent (or refused at once, with `failure`), audited."""
    visit = session.get(VisitRow, visit_id)
    if visit is None:
        raise DeskError(f"There is no visit with the ID {visit_id}.")
    state = PrintState.FAILED if failure or job is None else PrintState.SENT
    session.add(
        PrintJobRow(
            visit_id=visit_id,
            printer=printer,
            job_id=job.job_id if job else None,
            copy=copy,
            state=state.value,
            reason=failure,
            sent_at=by.now,
            sent_by=by.username,
        )
    )
    visit.updated_at = by.now
    by.audit(
        session,
        AuditAction.SUMMARY_PRINTED,
        visit_id,
        detail=f"{copy} copy to {printer}: {state.value}",
    )
    _keep_printer_alert(session, printer, state, failure, by)


def _keep_printer_alert(
    session: Session, printer: str, state: PrintState, reason: str, by: Actor
) -> None:
    """A failed print raises this desk's printer alert for every desk to see (staff at
    another desk may be the ones to walk over); a print that comes out clears it."""
    if state is PrintState.FAILED:
        words = f": {reason}" if reason else ""
        keep_alert(
            session, AlertKind.PRINTER_PROBLEM, f"a summary did not print on {printer}{words}", by
        )
    elif state is PrintState.COMPLETED:  # not SENT: a stopped printer still takes jobs
        keep_alert(session, AlertKind.PRINTER_PROBLEM, "", by)


def latest_print(session: Session, visit_id: str) -> PrintRecord | None:
    """The newest print of this visit, if any."""
    row = session.scalar(
        select(PrintJobRow)
        .where(PrintJobRow.visit_id == visit_id)
        .order_by(PrintJobRow.id.desc())
        .limit(1)
    )
    if row is None:
        return None
    job = PrintJob(row.printer, row.job_id) if row.job_id else None
    return PrintRecord(
        row.id, row.printer, job, PrintState(row.state), row.reason, row.sent_at, row.sent_by
    )


def prints_to_follow(session: Session, *, now: datetime) -> list[PrintRecord]:
    """Today's prints whose outcome may still change, oldest first: on their way, or failed
    on a stopped printer (such a job prints by itself once the printer is back on)."""
    rows = session.scalars(
        select(PrintJobRow)
        .where(
            PrintJobRow.state.in_([PrintState.SENT.value, PrintState.FAILED.value]),
            PrintJobRow.job_id.is_not(None),
            PrintJobRow.sent_at >= now - timedelta(days=1),
        )
        .order_by(PrintJobRow.id)
    )
    return [
        PrintRecord(
            r.id,
            r.printer,
            PrintJob(r.printer, r.job_id) if r.job_id else None,
            PrintState(r.state),
            r.reason,
        )
        for r in rows
    ]


def update_print(session: Session, row_id: int, status: JobStatus, by: Actor) -> None:
    """Store what the print system says became of a print; a failure, or a print that
    came out after failing, is audited (the trail must not say only "sent")."""
    row = session.get(PrintJobRow, row_id)
    if row is None or PrintState(row.state) is status.state:
        return
    before = PrintState(row.state)
    row.state = status.state.value
    row.reason = status.reason
    visit = session.get(VisitRow, row.visit_id)
    if visit is not None:
        visit.updated_at = by.now
    if status.state is PrintState.FAILED or before is PrintState.FAILED:
        reason = f": {status.reason}" if status.reason else ""
        by.audit(
            session,
            AuditAction.SUMMARY_PRINT_OUTCOME,
            row.visit_id,
            detail=f"{row.copy} copy on {row.printer}: {status.state.value}{reason}",
        )
    _keep_printer_alert(session, row.printer, status.state, status.reason, by)


# --- asking the print system -------------------------------------------------------------
# A print server that accepts and never answers holds each question for up to
# `printing.TIMEOUT_SECONDS`. So the desk asks from a worker thread, and these functions
# never hold a transaction while they wait: a transaction that has written holds SQLite's
# write lock, and a kiosk storing a visit in another process would wait on the printer.
# Each makes its sessions on the thread it runs on (a session is never shared).


@dataclass(frozen=True)
class PrintCheck:
    """What one look at the prints on their way found."""

    changed: int  # prints whose state changed, each stored as soon as it was known
    problem: str  # why the print system could not be asked ("" when it answered)


def follow_prints(
    database: Database,
    *,
    now: Clock,
    stop: Callable[[], bool] = lambda: False,
    station: str = "desk",
) -> PrintCheck:
    """Ask the print system what became of the prints still on their way; store each answer.

    Stops at the first print it cannot answer about (that says nothing of the job, so the
    next look asks again) and as soon as `stop()` says the desk is closing.
    """
    with unit_of_work(database) as session:
        followed = prints_to_follow(session, now=now())
    changed = 0
    for sent in followed:
        if stop():
            break
        if sent.job is None:
            continue
        try:
            status = printing.job_status(sent.job)
        except PrintError as error:
            return PrintCheck(changed, str(error))
        if status.state is sent.state:
            continue
        with unit_of_work(database) as session:
            update_print(session, sent.row_id, status, Actor.system(station=station, now=now()))
        changed += 1
    return PrintCheck(changed, "")


@dataclass(frozen=True)
class PrintSent:
    """What the print system said when handed a summary ("" when it took it)."""

    printer: str
    failure: str


def send_summary(
    database: Database, visit_id: str, pdf: bytes, *, printer: str, copy: str, by: Actor
) -> PrintSent:
    """Hand a summary to the print system, then record what it said (audited).

    The job's title is seen by anyone who lists the queue: it names the visit by the start
    of its ID, never the patient.
    """
    try:
        job: PrintJob | None = printing.submit(pdf, printer, title=f"Visit summary {visit_id[:8]}")
        failure = ""
    except PrintError as error:
        job, failure = None, str(error)
    with unit_of_work(database) as session:
        record_print(session, visit_id, printer=printer, job=job, failure=failure, copy=copy, by=by)
    return PrintSent(printer, failure)


def settle_failed_print(
    database: Database, failed: PrintRecord, *, now: Clock, station: str = "desk"
) -> JobStatus:
    """Before printing again, cancel the failed job so it can never print as well.

    Returns what became of it: COMPLETED (stored) when it printed after all, because the
    printer came back on before the cancel; then printing again would give two copies.
    Raises `PrintError` when the print system cannot be asked.
    """
    if failed.job is None:
        return JobStatus(failed.state, failed.reason)
    printing.cancel(failed.job)
    outcome = printing.job_status(failed.job)
    if outcome.state is PrintState.COMPLETED:
        with unit_of_work(database) as session:
            update_print(session, failed.row_id, outcome, Actor.system(station=station, now=now()))
    return outcome
