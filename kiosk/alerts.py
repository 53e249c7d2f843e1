"""Alerts that reach a person at the front desk, and the kiosks' heartbeats.

One kind of alert for everything a station raises (a patient asking for help, finished
check-ins held on a kiosk, check-in paused, a kiosk that stopped answering): stored in
the database, shown on every desk (signed in or not: an alert never carries a patient's
name), acknowledged by a signed-in account with a note, and cleared. Raising,
acknowledging and clearing each leave an audit entry in the same transaction.

Every time here is the database's own clock (`database_now`), never a station's: two
stations whose clocks disagree cannot misorder alerts, nor make a live kiosk look
silent. Heartbeats and a desk's "I showed it" are recorded in their rows, not in the
audit trail: they come every few seconds and are nobody's action.

On several computers a desk will hear of new alerts through the server's notifications
instead of its poll; `AlertBoard` is what either way hands it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from importlib import metadata

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from kiosk import APP_NAME
from kiosk.actor import Actor, ActorKind, Permission
from kiosk.audit import AuditAction
from kiosk.audit_protections import PROTECTIONS_RESTORED_ALERT
from kiosk.content import pack_from_canonical
from kiosk.database import Database
from kiosk.kiosk_access import through_owner
from kiosk.models import (
    AlertRow,
    ContentVersionRow,
    PartialVisitRow,
    StationRow,
    database_now,
)
from kiosk.risk import PartialVisit, RiskState
from kiosk.unit_of_work import reading, unit_of_work
from kiosk.visit import Clock

log = logging.getLogger(__name__)

# A kiosk writes a heartbeat this often, and is "not responding" after this much silence.
HEARTBEAT_INTERVAL = timedelta(seconds=30)
NOT_RESPONDING_AFTER = timedelta(minutes=2)
# How long a patient who asked for help waits for a desk to show it before being sent
# to the desk themselves.
HELP_SHOWN_WITHIN = timedelta(seconds=15)

KIOSK = "kiosk"


def program_version() -> str:
    """This program's version, as installed."""
    try:
        return metadata.version(APP_NAME)
    except metadata.PackageNotFoundError:
        return "unknown"


class AlertKind(StrEnum):
    """What happened, as scripts read it (`kiosk alerts --json`), most urgent first."""

    # A PHQ-9 answer about self-harm (`kiosk.risk`): a patient to talk with now. It names
    # its visit (stored with it), sounds until acknowledged, and a clinician closes it.
    RISK_ANSWER = "risk_answer"
    HELP_REQUESTED = "help_requested"
    CHECK_IN_PAUSED = "check_in_paused"
    KIOSK_NOT_RESPONDING = "kiosk_not_responding"
    VISITS_HELD = "visits_held"
    # The audit trail's protections were found removed and put back (someone with the
    # database's rights tampered with it, or an old program ran): IT must look.
    PROTECTIONS_RESTORED = PROTECTIONS_RESTORED_ALERT
    # A station on a server found a protection missing that its role may not put back
    # (`kiosk.audit_protections`): clinic IT runs `kiosk db upgrade`, which does.
    PROTECTION_MISSING = "protection_missing"
    # A desk's summary did not print (the print system's reason in the detail).
    PRINTER_PROBLEM = "printer_problem"

    @property
    def urgency(self) -> int:
        """Lower is more urgent: a person waiting first, then a kiosk that cannot help."""
        return list(AlertKind).index(self)


class AlertError(Exception):
    """An alert cannot be acknowledged or cleared; the message says why in plain words."""


@dataclass(frozen=True)
class Alert:
    """One open alert, as a desk or `kiosk alerts` shows it (never a patient's name)."""

    id: int
    kind: AlertKind
    station: str
    detail: str
    raised_at: datetime
    shown_at: datetime | None
    shown_on: str | None
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    acknowledgement_note: str
    # A risk alert's visit (its patient read only by a signed-in account that opens it).
    visit_id: str | None = None

    @property
    def acknowledged(self) -> bool:
        """Whether a member of staff has said they are on it."""
        return self.acknowledged_at is not None


@dataclass(frozen=True)
class OpenedRiskAlert:
    """A risk alert opened by a signed-in account: who, and the answers so far in words."""

    partial: PartialVisit
    # (question, answer) as the clinic wrote them.
    answers: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class StationState:
    """A kiosk's last heartbeat, and whether it is overdue."""

    name: str
    last_heartbeat_at: datetime
    held_visits: int
    check_in_paused: bool
    content_version: str
    program_version: str
    responding: bool


@dataclass(frozen=True)
class AlertBoard:
    """The open alerts, most urgent first, and every kiosk's state, read at `now`."""

    alerts: tuple[Alert, ...]
    stations: tuple[StationState, ...]
    now: datetime  # the database's clock


@dataclass(frozen=True)
class Heartbeat:
    """What a kiosk says every half minute: alive, and how it is."""

    held_visits: int
    check_in_paused: bool
    content_version: str
    program_version: str = field(default_factory=program_version)
    # Why the database did not take them, in words for staff (never a patient's).
    held_because: str = ""


@dataclass(frozen=True)
class HelpState:
    """What became of a help request: a desk has shown it; staff have cleared it."""

    shown: bool
    cleared: bool


class HelpWording(StrEnum):
    """What the patient who asked for help reads."""

    # Asked; no desk has shown it yet (up to HELP_SHOWN_WITHIN).
    TELLING = "telling"
    # A desk reported it had the alert on its screen.
    TOLD = "told"
    # No desk showed it in time, or it could not be raised at all.
    GO_TO_DESK = "go to desk"


@dataclass
class HelpRequest:
    """One patient's "Ask for help", from the tap until staff clear it.

    The clock is injected (a steady clock on a kiosk) so the 15-second rule is tested
    without waiting.
    """

    clock: Clock
    asked_at: datetime = field(init=False)
    alert_id: int | None = None
    # The alert could not be raised (the database is away): no desk will ever show it.
    failed: bool = False
    shown: bool = False
    cleared: bool = False

    def __post_init__(self) -> None:
        self.asked_at = self.clock()

    def raised(self, alert_id: int | None) -> None:
        """The alert is in the database (its ID), or could not be raised (None)."""
        self.alert_id = alert_id
        self.failed = alert_id is None

    def heard(self, state: HelpState | None) -> None:
        """What the database says now (None: it could not be asked this time)."""
        if state is not None:
            self.shown = self.shown or state.shown
            self.cleared = state.cleared

    @property
    def following(self) -> bool:
        """Whether there is still something to learn from the database."""
        return self.alert_id is not None and not self.cleared

    def wording(self) -> HelpWording:
        """Told only once a desk has shown it; sent to the desk if none has in time."""
        if self.shown:
            return HelpWording.TOLD
        if self.failed or self.clock() - self.asked_at >= HELP_SHOWN_WITHIN:
            return HelpWording.GO_TO_DESK
        return HelpWording.TELLING


def _duration(span: timedelta) -> str:
    seconds = int(span.total_seconds())
    return f"{seconds // 60} minutes" if seconds % 60 == 0 else f"{seconds} seconds"


def _alert(row: AlertRow) -> Alert:
    return Alert(
        row.id,
        AlertKind(row.kind),
        row.station,
        row.detail,
        row.raised_at,
        row.shown_at,
        row.shown_on,
        row.acknowledged_at,
        row.acknowledged_by,
        row.acknowledgement_note,
        row.visit_id,
    )


def _most_urgent_first(alert: Alert) -> tuple[int, bool, datetime]:
    # Within a kind, one nobody has taken on yet before one somebody has; then the
    # longest waiting.
    return (alert.kind.urgency, alert.acknowledged, alert.raised_at)


def now_in(session: Session) -> datetime:
    """The database's clock, read in this transaction."""
    now: datetime | None = session.scalar(select(database_now()))
    assert now is not None
    return now


class Alerts:
    """Raising, showing, acknowledging and clearing alerts, and the kiosks' heartbeats."""

    def __init__(
        self, database: Database, *, not_responding_after: timedelta = NOT_RESPONDING_AFTER
    ) -> None:
        self.database = database
        self.not_responding_after = not_responding_after

    # --- raised by a station ------------------------------------------------------------
    def raise_alert(self, kind: AlertKind, detail: str, by: Actor) -> int:
        """Raise an alert from `by`'s station; its ID."""
        with unit_of_work(self.database) as session:
            if through_owner(session) and by.kind is ActorKind.KIOSK:
                # The kiosk's role on a server raises alerts only through this function.
                raised = session.execute(
                    text("SELECT kiosk_raise_alert(:kind, :station, :detail, :actor)"),
                    {
                        "kind": kind.value,
                        "station": by.station,
                        "detail": detail,
                        "actor": by.audit_name,
                    },
                ).scalar_one()
                log.info("alert raised: %s at %s", kind.value, by.station)
                return int(raised)
            return self._raise(session, kind, by.station, detail, by)

    def ask_for_help(self, where: str, by: Actor) -> int:
        """A patient tapped "Ask for help" on the `where` screen of the kiosk."""
        return self.raise_alert(AlertKind.HELP_REQUESTED, f"a patient on the {where} screen", by)

    def help_state(self, alert_id: int, *, station: str | None = None) -> HelpState:
        """Whether a desk has shown the help request yet, and whether staff cleared it.

        `station`: the kiosk asking, which on a server reads only its own alerts.
        """
        with reading(self.database) as session:
            if through_owner(session) and station is not None:
                found = session.execute(
                    text("SELECT shown, cleared FROM kiosk_alert_state(:alert, :station)"),
                    {"alert": alert_id, "station": station},
                ).first()
                if found is None:  # gone (a restore): nobody will come for it
                    return HelpState(shown=False, cleared=True)
                return HelpState(shown=bool(found.shown), cleared=bool(found.cleared))
            row = session.get(AlertRow, alert_id)
            if row is None:  # gone (a restore): nobody will come for it
                return HelpState(shown=False, cleared=True)
            return HelpState(
                shown=row.shown_at is not None or row.acknowledged_at is not None,
                cleared=row.cleared_at is not None,
            )

    def heartbeat(self, beat: Heartbeat, by: Actor) -> None:
        """A kiosk is alive: its record now, and its held or paused alerts kept true."""
        held, because = beat.held_visits, beat.held_because
        held_detail = (
            f"{held} finished check-in(s) wait on this kiosk for the database"
            + (f" ({because})" if because else "")
            if held
            else ""
        )
        paused_detail = (
            "new check-ins are paused on this kiosk: check patients in at the desk"
            if beat.check_in_paused
            else ""
        )
        with unit_of_work(self.database) as session:
            if through_owner(session):
                # The same, done by the owner's function: the kiosk's role on a server
                # may neither read nor change the stations' and alerts' tables.
                session.execute(
                    text(
                        "SELECT kiosk_heartbeat(:station, :actor, :held, :paused, "
                        ":content_version, :program_version, :held_detail, :paused_detail)"
                    ),
                    {
                        "station": by.station,
                        "actor": by.audit_name,
                        "held": held,
                        "paused": beat.check_in_paused,
                        "content_version": beat.content_version,
                        "program_version": beat.program_version,
                        "held_detail": held_detail,
                        "paused_detail": paused_detail,
                    },
                )
                return
            row = session.get(StationRow, by.station)
            if row is None:
                row = StationRow(name=by.station, kind=KIOSK)
                session.add(row)
            row.last_heartbeat_at = database_now()
            row.held_visits = beat.held_visits
            row.check_in_paused = beat.check_in_paused
            row.content_version = beat.content_version
            row.program_version = beat.program_version
            row.silence_reported = False
            self._clear_by_station(session, AlertKind.KIOSK_NOT_RESPONDING, by)
            self._keep(session, AlertKind.VISITS_HELD, held_detail, by)
            self._keep(session, AlertKind.CHECK_IN_PAUSED, paused_detail, by)

    # --- seen at a desk -----------------------------------------------------------------
    def board(self, by: Actor) -> AlertBoard:
        """The open alerts, most urgent first, and the kiosks' states.

        A kiosk silent for longer than `not_responding_after` gets its alert here, once
        per silence, whoever asks first (a desk's poll or `kiosk alerts`).
        """
        with unit_of_work(self.database) as session:
            now = now_in(session)
            stations = []
            for row in session.scalars(select(StationRow).order_by(StationRow.name)):
                responding = now - row.last_heartbeat_at <= self.not_responding_after
                if not responding and row.kind == KIOSK:
                    self._raise_silence(session, row, by)
                stations.append(
                    StationState(
                        row.name,
                        row.last_heartbeat_at,
                        row.held_visits,
                        row.check_in_paused,
                        row.content_version,
                        row.program_version,
                        responding,
                    )
                )
            rows = session.scalars(select(AlertRow).where(AlertRow.cleared_at.is_(None)))
            alerts = sorted((_alert(row) for row in rows), key=_most_urgent_first)
            return AlertBoard(tuple(alerts), tuple(stations), now)

    def displayed(self, alert_ids: Iterable[int], desk: str) -> None:
        """A desk had these alerts on its screen (the first desk to say so is kept)."""
        wanted = list(alert_ids)
        if not wanted:
            return
        with unit_of_work(self.database) as session:
            session.execute(
                update(AlertRow)
                .where(AlertRow.id.in_(wanted), AlertRow.shown_at.is_(None))
                .values(shown_at=database_now(), shown_on=desk)
            )

    def acknowledge(self, alert_id: int, note: str, by: Actor) -> None:
        """A signed-in member of staff is on it; the note stays with the alert.

        A risk alert: any signed-in account, with a note (what they are doing about it).
        """
        with unit_of_work(self.database) as session:
            row = self._open(session, alert_id)
            if row.kind == AlertKind.RISK_ANSWER:
                if by.kind is not ActorKind.STAFF or by.member is None:
                    raise AlertError("only a signed-in account can acknowledge this alert")
                if not note.strip():
                    raise AlertError(
                        "write a note saying who is going to the patient before acknowledging"
                    )
            elif not by.may(Permission.FRONT_DESK):
                raise AlertError("only a signed-in member of staff can acknowledge an alert")
            row.acknowledged_at = database_now()
            row.acknowledged_by = by.audit_name
            row.acknowledgement_note = note.strip()
            if row.shown_at is None:
                row.shown_at, row.shown_on = database_now(), by.station
            # The note is the alert's, not the trail's: staff may write a patient's name.
            by.audit(session, AuditAction.ALERT_ACKNOWLEDGED, row.visit_id, detail=self._named(row))

    def clear(self, alert_id: int, by: Actor, note: str = "") -> None:
        """Done with: the alert leaves every desk (and a patient's help notice closes).

        A risk alert only a clinician closes, with a note (what was done), once it has
        been acknowledged.
        """
        with unit_of_work(self.database) as session:
            row = self._open(session, alert_id)
            if row.kind == AlertKind.RISK_ANSWER:
                if not by.may(Permission.CLOSE_RISK_ALERT):
                    raise AlertError("only a clinician can close this alert")
                if not note.strip():
                    raise AlertError("write a note saying what was done before closing it")
                if row.acknowledged_at is None:
                    raise AlertError("acknowledge the alert first: it sounds until then")
                row.clearing_note = note.strip()
            elif not by.may(Permission.FRONT_DESK):
                raise AlertError("only a signed-in member of staff can clear an alert")
            self._close(session, row, by)

    # --- the risk path (`kiosk.risk`) ---------------------------------------------------
    def raise_risk(self, partial: PartialVisit, by: Actor) -> int:
        """A PHQ-9 answer about self-harm: the alert and the visit so far, stored at once
        in one transaction with the audit entry; its ID. Once per visit: raised again (a
        held one, a replay) it is the same alert."""
        with unit_of_work(self.database) as session:
            if through_owner(session):
                raised = session.execute(
                    text("SELECT kiosk_raise_risk_alert(CAST(:raised AS jsonb))"),
                    {
                        "raised": json.dumps(
                            {
                                "station": by.station,
                                "actor": by.audit_name,
                                "detail": partial.detail,
                                "partial": partial.as_json(),
                            }
                        )
                    },
                ).scalar_one()
                log.info("risk alert raised at %s", by.station)
                return int(raised)
            found = session.scalar(
                select(AlertRow.id).where(
                    AlertRow.kind == AlertKind.RISK_ANSWER.value,
                    AlertRow.visit_id == partial.visit_id,
                )
            )
            if found is not None:
                return found
            row = AlertRow(
                kind=AlertKind.RISK_ANSWER.value,
                station=by.station,
                detail=partial.detail,
                raised_at=database_now(),
                acknowledgement_note="",
                visit_id=partial.visit_id,
                clearing_note="",
            )
            session.add(row)
            session.flush()
            session.add(
                PartialVisitRow(
                    alert_id=row.id,
                    visit_id=partial.visit_id,
                    station=by.station,
                    content_version=partial.content_version,
                    language=partial.language,
                    started_at=partial.started_at,
                    first_name=partial.first_name,
                    last_name=partial.last_name,
                    date_of_birth=partial.date_of_birth,
                    answers=json.dumps(partial.as_json()["answers"]),
                    responder=partial.responder,
                    stored_at=database_now(),
                )
            )
            by.audit(session, AuditAction.ALERT_RAISED, partial.visit_id, detail=self._named(row))
            log.info("risk alert raised at %s", by.station)
            return row.id

    def risk_state(self, alert_id: int, *, station: str) -> RiskState:
        """Whether a desk has shown, acknowledged or closed this kiosk's risk alert."""
        with reading(self.database) as session:
            if through_owner(session):
                found = session.execute(
                    text(
                        "SELECT shown, acknowledged, cleared "
                        "FROM kiosk_risk_state(:alert, :station)"
                    ),
                    {"alert": alert_id, "station": station},
                ).first()
                if found is None:  # gone (a restore): the patient is sent to the desk
                    return RiskState(shown=False, acknowledged=False, cleared=True)
                return RiskState(bool(found.shown), bool(found.acknowledged), bool(found.cleared))
            row = session.get(AlertRow, alert_id)
            if row is None or row.station != station:
                return RiskState(shown=False, acknowledged=False, cleared=True)
            return RiskState(
                shown=row.shown_at is not None or row.acknowledged_at is not None,
                acknowledged=row.acknowledged_at is not None,
                cleared=row.cleared_at is not None,
            )

    def open_risk(self, alert_id: int, by: Actor) -> OpenedRiskAlert:
        """A signed-in account opens a risk alert: the patient and the answers so far, in
        the words they read (audited: the patient's name is read)."""
        if by.kind is not ActorKind.STAFF or by.member is None:
            raise AlertError("sign in to see who the patient is")
        with unit_of_work(self.database) as session:
            row = session.scalar(
                select(PartialVisitRow).where(PartialVisitRow.alert_id == alert_id)
            )
            if row is None:
                raise AlertError(f"alert {alert_id} has no visit stored with it")
            by.audit(
                session, AuditAction.VISIT_OPENED, row.visit_id, detail=f"from alert {alert_id}"
            )
            partial = PartialVisit.from_json(
                {
                    "visit_id": row.visit_id,
                    "content_version": row.content_version,
                    "language": row.language,
                    "started_at": row.started_at.isoformat() if row.started_at else None,
                    "first_name": row.first_name,
                    "last_name": row.last_name,
                    "date_of_birth": (row.date_of_birth.isoformat() if row.date_of_birth else None),
                    "answers": json.loads(row.answers),
                    "responder": row.responder,
                }
            )
            canonical = session.scalar(
                select(ContentVersionRow.canonical).where(
                    ContentVersionRow.sha256 == partial.content_version
                )
            )
        questions = {}
        if canonical:
            # The screening questions and every scored item (PHQ-9's among them).
            pack = pack_from_canonical(canonical, {})
            asked = (*pack.questions, *(q for m in pack.measures for q in m.as_questions()))
            questions = {q.id: q for q in asked}
        words = []
        for question_id, answer, _ in partial.answers:
            question = questions.get(question_id)
            words.append(
                (question.text, question.answer_words(answer))
                if question is not None
                else (question_id, answer)
            )
        return OpenedRiskAlert(partial, tuple(words))

    # --- in one transaction -------------------------------------------------------------
    @staticmethod
    def _named(row: AlertRow) -> str:
        return f"alert {row.id}: {row.kind} at {row.station}"

    @staticmethod
    def _open(session: Session, alert_id: int) -> AlertRow:
        row = session.get(AlertRow, alert_id)
        if row is None or row.cleared_at is not None:
            raise AlertError(f"alert {alert_id} is not open (another desk may have cleared it)")
        return row

    @staticmethod
    def _raise(session: Session, kind: AlertKind, station: str, detail: str, by: Actor) -> int:
        row = AlertRow(
            kind=kind.value,
            station=station,
            detail=detail,
            raised_at=database_now(),
            acknowledgement_note="",
        )
        session.add(row)
        session.flush()
        by.audit(session, AuditAction.ALERT_RAISED, detail=Alerts._named(row))
        log.info("alert raised: %s at %s", kind.value, station)
        return row.id

    @staticmethod
    def _close(session: Session, row: AlertRow, by: Actor) -> None:
        row.cleared_at = database_now()
        row.cleared_by = by.audit_name
        by.audit(session, AuditAction.ALERT_CLEARED, row.visit_id, detail=Alerts._named(row))

    @staticmethod
    def _open_of(session: Session, kind: AlertKind, station: str) -> list[AlertRow]:
        return list(
            session.scalars(
                select(AlertRow).where(
                    AlertRow.kind == kind.value,
                    AlertRow.station == station,
                    AlertRow.cleared_at.is_(None),
                )
            )
        )

    def _clear_by_station(self, session: Session, kind: AlertKind, by: Actor) -> None:
        for row in self._open_of(session, kind, by.station):
            self._close(session, row, by)

    def _keep(self, session: Session, kind: AlertKind, detail: str, by: Actor) -> None:
        keep_alert(session, kind, detail, by)

    def _raise_silence(self, session: Session, station: StationRow, by: Actor) -> None:
        # Once per silence: a not-responding alert staff cleared stays cleared until the
        # kiosk speaks again (its heartbeat resets this) and falls silent again.
        if station.silence_reported:
            return
        station.silence_reported = True
        self._raise(
            session,
            AlertKind.KIOSK_NOT_RESPONDING,
            station.name,
            f"the kiosk has not reported for over {_duration(self.not_responding_after)}",
            by,
        )


def keep_alert(session: Session, kind: AlertKind, detail: str, by: Actor) -> None:
    """In the caller's transaction: one open alert of `kind` from `by`'s station while
    `detail` says something (its wording kept up to date); none once `detail` is ""."""
    rows = Alerts._open_of(session, kind, by.station)
    if not detail:
        for row in rows:
            Alerts._close(session, row, by)
    elif not rows:
        Alerts._raise(session, kind, by.station, detail, by)
    else:
        rows[0].detail = detail
