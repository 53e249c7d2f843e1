"""The check-in service: one patient's visit from Start to stored, with no Qt in sight.

The kiosk window forwards each tap here and shows whatever the service announces; it
never decides where a visit goes, and never stores anything. The service asks `Visit`
for the next step, decides what a tap means on this step (a flagged answer waits for the
patient's Continue; a signature needs every statement acknowledged first), stores the
finished visit or holds it on this machine when the database cannot take it, retries
held visits, pauses new check-ins when even holding failed, and carries the idle policy.
It also carries the kiosk's word to the front desk: a patient's "Ask for help" and the
kiosk's heartbeat (`kiosk.alerts`), each run as an errand like storing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Protocol, TypeVar

from sqlalchemy.exc import SQLAlchemyError

from kiosk.actor import Actor, kiosk_or_staff_audit_name
from kiosk.alerts import Alerts, Heartbeat, HelpRequest, HelpState
from kiosk.audit import AuditAction
from kiosk.content import ContentPack
from kiosk.content_versions import content_in_use
from kiosk.database import Database, NotReady
from kiosk.exit_pin import ExitAttempt, ExitOutcome, ExitPin, write_pending
from kiosk.expected import visits_before, which_flow
from kiosk.held_visits import HeldVisits, HoldReason, hold_reason, writable_again
from kiosk.kiosk_access import record_kiosk_event
from kiosk.pack_loader import ContentPackError
from kiosk.risk import (
    ACKNOWLEDGED_WITHIN,
    SHOWN_WITHIN,
    PartialVisit,
    RiskRequest,
    RiskState,
    held_partial_visits,
    hold_partial_visit,
    raises_risk,
)
from kiosk.settings import Settings
from kiosk.signature import Signature
from kiosk.stored_visits import store_finished_visit
from kiosk.unit_of_work import StorageUnavailableError, unit_of_work
from kiosk.visit import (
    BirthDateParts,
    Clock,
    DetailsProblem,
    Ending,
    KioskTiming,
    PatientDetails,
    RideHomeProblem,
    Step,
    TypedSignatureProblem,
    Visit,
    VisitFlow,
    utc_now,
)
from kiosk.welcome_card import WelcomeCard, write_welcome_card

log = logging.getLogger(__name__)

# Why a visit waits, from what is wrong with the database; the desk reads what to run.
_HOLD_REASONS = {
    NotReady.NEVER_MADE: HoldReason.NOT_MADE,
    NotReady.GONE: HoldReason.MISSING,
    NotReady.OLDER: HoldReason.OLDER_SCHEMA,
    NotReady.NEWER: HoldReason.OTHER_SCHEMA,
    NotReady.FOREIGN: HoldReason.OTHER_SCHEMA,
}


class Outcome(StrEnum):
    """What became of a finished visit."""

    # Not known yet: the visit is on its way to the database (or the held-visits folder).
    SAVING = "saving"
    STORED = "stored"
    # The database could not take it: it waits in the held-visits folder on this machine.
    HELD = "held"
    # Not even the held-visits folder could take it (a full disk): it waits in memory,
    # and new check-ins pause until it is stored.
    IN_MEMORY = "in memory"
    # A visit the store refused as incomplete: a bug, not a database that will come back.
    REFUSED = "refused"


@dataclass(frozen=True)
class VisitEnd:
    """How a visit that reached Done ended, for the Done screen and the window's signals."""

    visit_id: str
    outcome: Outcome
    stopped_to_talk: bool
    flagged: bool

    @property
    def kept_on_kiosk(self) -> bool:
        """Whether the patient must be told to let the front desk know they are done."""
        return self.outcome in (Outcome.HELD, Outcome.IN_MEMORY)


@dataclass(frozen=True)
class NextVisit:
    """What Start would begin now, so that its screens can be built ahead of the tap."""

    content: ContentPack
    language: str
    typed_signature: bool


_Result = TypeVar("_Result")


class Errands(Protocol):
    """Runs work that may wait on the database or the disk, and hands its result back.

    A kiosk runs it off the screen's thread, so that a locked or unreachable database
    never freezes a patient's screen; `then` is called back on the thread that asked.
    """

    def run(self, work: Callable[[], _Result], then: Callable[[_Result], None]) -> None:
        """Do `work`, then call `then` with its result."""

    def run_after_showing(
        self, work: Callable[[], _Result], then: Callable[[_Result], None]
    ) -> None:
        """As `run`, once what the patient was just shown is on the screen: for work
        nobody waits on (storing a finished visit), which would otherwise take the
        computer from drawing it."""


class RightAway:
    """Errands done at once on the caller's thread (the domain's tests, a script)."""

    def run(self, work: Callable[[], _Result], then: Callable[[_Result], None]) -> None:
        """Do `work` now and hand its result to `then`."""
        then(work())

    def run_after_showing(
        self, work: Callable[[], _Result], then: Callable[[_Result], None]
    ) -> None:
        """Do `work` now (nothing is drawn here) and hand its result to `then`."""
        then(work())


class CheckInListener(Protocol):
    """What the kiosk window hears from the service."""

    def visit_changed(self, visit: Visit) -> None:
        """The visit moved (or a tap was refused and it stayed): show its step."""

    def visit_finished(self, end: VisitEnd) -> None:
        """The visit reached Done: first as SAVING, then stored, held or refused."""

    def held_visit_stored(self, visit_id: str) -> None:
        """A visit that waited on this machine is now in the database."""


_STEADY_START = datetime(2000, 1, 1, tzinfo=UTC)


def steady_clock() -> datetime:
    """Time that only moves forward (the system's monotonic clock), for pauses.

    The wall clock can be set back or forward (a wrong time corrected, a time-zone
    mistake); a patient's pause must be measured by a clock that cannot jump.
    """
    return _STEADY_START + timedelta(seconds=time.monotonic())


class IdleAction(StrEnum):
    """What the kiosk does when the idle timer fires."""

    # Not yet: the patient touched the screen since, or is listening to the voice.
    WAIT = "wait"
    # "Are you still there?", with a countdown.
    ASK = "ask"


# "I need more time": how many times longer the kiosk then waits before asking again.
MORE_TIME_FACTOR = 3
# With larger text or read-aloud the kiosk waits twice as long before asking.
LARGER_TEXT_TIME_FACTOR = 2
READ_ALOUD_TIME_FACTOR = 2


@dataclass
class IdlePolicy:
    """When a visit with nobody at the screen is asked about, and then given up.

    The window's timers only ask it: every tap or key counts as `touched`, and when a
    timer fires `when_idle` says whether to ask "Are you still there?" or to wait some
    more. The clock is injected so the policy is tested without waiting.
    """

    timing: KioskTiming
    clock: Clock = utc_now
    factor: int = 1
    _last_touch: datetime | None = field(default=None, init=False)
    countdown_left: int = field(default=0, init=False)

    @property
    def wait_seconds(self) -> int:
        """How long without a touch before asking."""
        return self.timing.timeout_seconds * self.factor

    def watches(self, step: Step) -> bool:
        """Whether anyone is asked on this step (never on Welcome nor on Done)."""
        return self.timing.watches(step)

    def touched(self) -> None:
        """A tap, a key or a move: the patient is there."""
        self._last_touch = self.clock()

    def wait_longer(self, factor: int) -> None:
        """For the rest of this visit, wait `factor` times the usual before asking."""
        self.factor = max(self.factor, factor)

    def seconds_left(self) -> float:
        """How long until the patient is asked, counted from their last touch."""
        if self._last_touch is None:
            return float(self.wait_seconds)
        now = self.clock()
        gone = (now - self._last_touch).total_seconds()
        if gone < 0:
            # A clock set back: count from now, never from a touch "in the future" (that
            # would hold a walked-away patient's answers on screen for as long).
            self._last_touch, gone = now, 0.0
        return max(0.0, self.wait_seconds - gone)

    def when_idle(self, *, step: Step | None, listening: bool) -> IdleAction:
        """The idle timer fired: ask now, or wait (a touch since, or the voice still reads)."""
        if step is None or not self.watches(step) or listening:
            return IdleAction.WAIT
        if self.seconds_left() > 0:
            return IdleAction.WAIT
        self.countdown_left = self.timing.countdown_seconds
        return IdleAction.ASK

    def count_down(self) -> int:
        """One second of the countdown gone; 0 means the visit is given up."""
        self.countdown_left = max(0, self.countdown_left - 1)
        return self.countdown_left

    def reset(self) -> None:
        """A new visit starts with the usual wait."""
        self.factor = 1
        self._last_touch = None
        self.countdown_left = 0


def _spoken(content: ContentPack, language: str) -> str:
    """The language a visit chosen in `language` is in: the content's own if it has no
    such translation."""
    return language if language in content.languages else content.language


class CheckIn:
    """The kiosk's check-ins: content at Start, the visit's taps, storing and holding."""

    def __init__(
        self,
        database: Database,
        settings: Settings,
        *,
        station: str,
        clock: Clock = utc_now,
        timing: KioskTiming | None = None,
        idle_clock: Clock | None = None,
        errands: Errands | None = None,
        welcome_card: Path | None = None,
    ) -> None:
        """`clock` times the visit; `idle_clock` the patient's pauses (real time on a kiosk,
        even where a test fixes the visit's times). `errands` runs what waits on the
        database: storing a finished visit and retrying held ones (at once by default).
        `welcome_card` is where the card Welcome is painted from at the next start is kept
        (`kiosk.welcome_card`), written after each read of the content in use."""
        self.database = database
        self.settings = settings
        self.station = station
        self.clock = clock
        self.timing = timing or KioskTiming(timeout_seconds=settings.idle_timeout)
        self.idle = IdlePolicy(self.timing, idle_clock or steady_clock)
        # Times how long a patient who asked for help has waited (a clock that cannot jump).
        self.help_clock: Clock = idle_clock or steady_clock
        # The risk path (`kiosk.risk`): how long a patient whose answer raised a risk alert
        # waits, and for what, before being sent to the front desk. The real values
        # unless a test injects others.
        self.risk_clock: Clock = idle_clock or steady_clock
        self.risk_shown_within: timedelta = SHOWN_WITHIN
        self.risk_acknowledged_within: timedelta = ACKNOWLEDGED_WITHIN
        # This visit's risk alert, once an answer raised it (one per visit).
        self.risk: RiskRequest | None = None
        self._risk_listeners: list[Callable[[RiskRequest], None]] = []
        self.held_visits = HeldVisits(settings.held_visits_dir)
        # Staff leave lock-down with the kiosk's own PIN where one is set (on a server the
        # kiosk's role reads no account); tries are timed by a clock that cannot jump.
        self.exit_pin = (
            ExitPin(
                settings.exit_pin,
                station=station,
                pending_folder=settings.held_visits_dir,
                clock=idle_clock or steady_clock,
            )
            if settings.exit_pin
            else None
        )
        self.errands: Errands = errands or RightAway()
        self.visit: Visit | None = None
        # The visit whose details wait for the answer to which flow to run, if any.
        self._asking_flow_for: str | None = None
        # Finished visits on their way to the database or the held-visits folder, by ID.
        self.saving: dict[str, Visit] = {}
        # Whether held visits are being tried again now (one try at a time), and who asked
        # for another try meanwhile.
        self._retrying = False
        self._asked_again: list[Callable[[list[str]], None] | None] = []
        # Finished visits that neither the database nor the held-visits folder took.
        self.in_memory: list[Visit] = []
        # The content last read from the database, for check-ins while it is unreachable.
        self._last_content: ContentPack | None = None
        self.welcome_card = welcome_card
        self._card_written: WelcomeCard | None = None
        self._listeners: list[CheckInListener] = []
        # What was wrong with the last tap's typing (details, typed name, ride home), for
        # the screen to say what to fix; empty after any other tap.
        self.problems: list[StrEnum] = []

    def listen(self, listener: CheckInListener) -> None:
        """Tell `listener` of every change from now on."""
        self._listeners.append(listener)

    # --- between visits -----------------------------------------------------------------
    def content(self) -> ContentPack | None:
        """The content the next visit shows; the last known while the database is away.

        Read now, on the caller's thread: for the kiosk's start, before any patient taps.
        Afterwards the kiosk refreshes it off the screen's thread (`refresh_content`).
        """
        return self._remember(self._read_content())

    def refresh_content(self, then: Callable[[ContentPack | None], None]) -> None:
        """Read the content in use again as an errand; `then` hears what the next visit
        will show. A visit already under way keeps the content it started with."""
        self.errands.run(self._read_content, lambda pack: then(self._remember(pack)))

    @property
    def last_content(self) -> ContentPack | None:
        """The content last read (what Start uses, without asking the database)."""
        return self._last_content

    def _read_content(self) -> ContentPack | None:
        if self._database_not_ready():
            # Patients can still check in; their visits wait on this machine.
            return None
        try:
            with self.database.session() as session, session.begin():
                _, pack = content_in_use(session, self.settings.content_dir, self.clock())
            pack.version  # noqa: B018 - worked out here, off the screen's thread, once
        except (SQLAlchemyError, ContentPackError, OSError) as error:
            log.error("the content in use cannot be loaded: %s", type(error).__name__)
            return None
        self._keep_welcome_card(pack)
        return pack

    def _keep_welcome_card(self, pack: ContentPack) -> None:
        """Off the screen's thread: what Welcome shows at the next start, written only
        when it changed (a card is never worth a failed read or a patient's wait)."""
        if self.welcome_card is None:
            return
        card = WelcomeCard.of(pack, open=not self.paused)
        if card == self._card_written:
            return
        try:
            write_welcome_card(self.welcome_card, card)
        except OSError as error:
            log.warning("Welcome's card cannot be written: %s", type(error).__name__)
            return
        self._card_written = card

    def _remember(self, pack: ContentPack | None) -> ContentPack | None:
        # The same version read again stays the same object: Welcome redraws only for new.
        last = self._last_content
        if pack is not None and (last is None or pack.version != last.version):
            self._last_content = pack
        return self._last_content

    @property
    def paused(self) -> bool:
        """Whether new check-ins wait: visits are stuck in memory, or the disk is full."""
        return bool(self.in_memory) or any(
            held.reason.pauses_check_in for held in self.held_visits.held()
        )

    @property
    def visits_waiting(self) -> bool:
        """Whether any finished visit, or a risk alert, still waits for the database."""
        return (
            bool(self.in_memory)
            or bool(self.held_visits.held())
            or bool(held_partial_visits(self.settings.held_visits_dir))
        )

    def store_waiting_visits(self, then: Callable[[list[str]], None] | None = None) -> None:
        """Try again to store the visits that wait; never while a patient is at the screen.

        `then` hears which visits were stored (none if it was not the time to try).
        """
        if self.visit is not None:
            if then is not None:
                then([])
            return
        if self._retrying:
            # Asked again while a try is under way (IT may just have fixed the database):
            # one more try once this one is done.
            self._asked_again.append(then)
            return
        self._retrying = True
        waiting = list(self.in_memory)

        def tried(stored: list[str]) -> None:
            self._retrying = False
            self.in_memory = [visit for visit in self.in_memory if visit.id not in stored]
            for visit_id in stored:
                for listener in self._listeners:
                    listener.held_visit_stored(visit_id)
            if then is not None:
                then(stored)
            if self._asked_again:
                asked, self._asked_again = self._asked_again, []

                def tell_each(again: list[str]) -> None:
                    for told in asked:
                        if told is not None:
                            told(again)

                self.store_waiting_visits(tell_each)

        self.errands.run(lambda: self._store_waiting(waiting), tried)

    def _store_waiting(self, in_memory: list[Visit]) -> list[str]:
        """Off the screen's thread: store what waits in memory, then the held files."""
        stored: list[str] = []
        if self._database_not_ready():
            return stored
        self.database = writable_again(self.database)  # a kiosk started read-only
        self._write_exit_events()
        try:
            self._raise_held_risks()
            for visit in in_memory:
                self._store(visit)
                stored.append(visit.id)
            stored += self.held_visits.store_all(
                self.database, now=self.clock, station=self.station
            )
        except (SQLAlchemyError, StorageUnavailableError, ValueError, OSError) as error:
            log.warning("visits still wait for the database: %s", type(error).__name__)
        return stored

    def next_visit(self, language: str) -> NextVisit | None:
        """What Start would begin now in `language` (as chosen on Welcome): the kiosk
        builds that visit's screens while Welcome waits. None while a visit is under way,
        check-in is paused or there is no content: there is nothing to build for."""
        content = self._last_content
        if self.visit is not None or content is None or self.paused:
            return None
        return NextVisit(content, _spoken(content, language), self.settings.typed_signature)

    def start(self, *, language: str, assisted_by: str | None = None) -> Visit | None:
        """Start tapped: a new visit in `language`, or None when check-in cannot start.

        The content is the one last read (at the kiosk's start, or when Welcome came
        back): Start never waits on the database.
        """
        # Read now only if it never was (a script's first visit; a kiosk reads at its start).
        content = self._last_content or self.content()
        if content is None or self.paused:
            return None
        language = _spoken(content, language)
        self.idle.reset()
        self.risk = None
        self.visit = Visit(
            content,
            clock=self.clock,
            language=language,
            typed_signature_allowed=self.settings.typed_signature,
        )
        self.visit.assisted_by = assisted_by
        self.visit.scored_answer_recorded = self.answer_recorded
        self.visit.start()
        self.problems = []
        self.idle.touched()
        return self.visit

    def end(self) -> None:
        """Done, or nobody there: the visit is gone from memory (the kiosk starts over)."""
        if self.visit is not None:
            self.visit.abandon()
        self.visit = None
        self.idle.reset()

    def kiosk_closed(self, by: Actor) -> None:
        """Staff left lock-down and closed the kiosk (audited)."""
        try:
            with unit_of_work(self.database) as session:
                record_kiosk_event(
                    session,
                    by.audit_name,
                    AuditAction.KIOSK_CLOSED,
                    station=by.station,
                    detail="left lock-down by the corner hold",
                )
        except StorageUnavailableError as error:
            # Never into a deleted file: the log keeps it while the trail cannot.
            log.error("the kiosk was closed; the audit trail cannot say so: %s", error)

    def leave_with_pin(self, pin: str) -> ExitAttempt:
        """Staff typed the exit PIN at the locked-down kiosk: may they leave?

        Every try goes to the audit trail: the exit at once (the kiosk is about to
        close), a wrong one as an errand; what the database cannot take now goes in when
        the kiosk is next online.
        """
        if self.exit_pin is None:
            return ExitAttempt(ExitOutcome.WRONG)
        attempt = self.exit_pin.try_pin(pin, at=self.clock())
        if attempt.outcome is ExitOutcome.LEAVE:
            self._write_exit_events()
        else:
            self.errands.run(self._write_exit_events, lambda _written: None)
        return attempt

    def _write_exit_events(self) -> int:
        try:
            if self._database_not_ready():
                return 0
            return write_pending(
                self.database, station=self.station, pending_folder=self.settings.held_visits_dir
            )
        except (SQLAlchemyError, OSError, ValueError) as error:
            log.warning("exit PIN events wait for the database: %s", type(error).__name__)
            return 0

    # --- the front desk ----------------------------------------------------------------
    def _as_kiosk(self) -> Actor:
        return Actor.kiosk(station=self.station, now=self.clock())

    def ask_for_help(self, then: Callable[[HelpRequest], None]) -> HelpRequest:
        """ "Ask for help": an alert for every desk, raised as an errand; `then` hears
        once it is raised (or could not be). The visit stays where the patient was."""
        request = HelpRequest(self.help_clock)
        where = (self.visit.step if self.visit is not None else Step.WELCOME).value
        alerts, by = Alerts(self.database), self._as_kiosk()

        def ask() -> int | None:
            if self.database.file_is_gone():
                return None  # a new empty file would be no desk's database
            try:
                return alerts.ask_for_help(where.replace("_", " "), by)
            except StorageUnavailableError as error:
                log.warning("a help request could not reach the desk: %s", error)
                return None

        def raised(alert_id: int | None) -> None:
            request.raised(alert_id)
            then(request)

        self.errands.run(ask, raised)
        return request

    def follow_help(self, request: HelpRequest, then: Callable[[HelpRequest], None]) -> None:
        """Ask, as an errand, whether a desk has shown the request or staff cleared it."""
        alert_id = request.alert_id
        if alert_id is None:
            then(request)
            return
        alerts = Alerts(self.database)

        def ask() -> HelpState | None:
            try:
                return alerts.help_state(alert_id, station=self.station)
            except StorageUnavailableError:
                return None  # asked again at the next look

        def heard(state: HelpState | None) -> None:
            request.heard(state)
            then(request)

        self.errands.run(ask, heard)

    # --- the risk path (`kiosk.risk`) -----------------------------------------------------
    def listen_for_risk(self, heard: Callable[[RiskRequest], None]) -> None:
        """`heard` is told when an answer raises a risk alert, and again once it is raised
        (or could not be)."""
        self._risk_listeners.append(heard)

    def answer_recorded(self, question_id: str, score: int) -> None:
        """An answer was recorded with this score: a PHQ-9 answer about self-harm above 0
        raises the risk alert now, with the visit as it stands (once per visit).

        Nothing afterwards takes it back: not Back, not a changed answer, not the idle
        timeout, not a crash (it is in the database, or held on this kiosk's disk).
        """
        visit = self.visit
        if visit is None or self.risk is not None or not raises_risk(question_id, score):
            return
        request = RiskRequest(
            self.risk_clock,
            shown_within=self.risk_shown_within,
            acknowledged_within=self.risk_acknowledged_within,
        )
        self.risk = request
        partial, by = PartialVisit.of(visit), self._as_kiosk()
        for heard in self._risk_listeners:
            heard(request)

        def raised(alert_id: int | None) -> None:
            request.raised(alert_id)
            for heard in self._risk_listeners:
                heard(request)

        self.errands.run(lambda: self._raise_risk(partial, by), raised)

    def _raise_risk(self, partial: PartialVisit, by: Actor) -> int | None:
        """Off the screen's thread: the alert and the partial visit into the database,
        else held on this kiosk (and raised by the next retry). None: not raised now."""
        alerts = Alerts(self.database)
        try:
            if not self._database_not_ready():
                return alerts.raise_risk(partial, by)
        except (StorageUnavailableError, SQLAlchemyError) as error:
            log.error("a risk alert could not reach the desk: %s", type(error).__name__)
        try:
            hold_partial_visit(self.settings.held_visits_dir, partial)
            log.warning("a risk alert waits on this kiosk for the database")
        except OSError as error:
            log.error("a risk alert could not be held either: %s", type(error).__name__)
        return None

    def follow_risk(self, request: RiskRequest, then: Callable[[RiskRequest], None]) -> None:
        """Ask, as an errand, whether a desk has shown, acknowledged or closed the alert."""
        alert_id = request.alert_id
        if alert_id is None:
            then(request)
            return
        alerts = Alerts(self.database)

        def ask() -> RiskState | None:
            try:
                return alerts.risk_state(alert_id, station=self.station)
            except (StorageUnavailableError, SQLAlchemyError):
                return None  # asked again at the next look

        def heard(state: RiskState | None) -> None:
            request.heard(state)
            then(request)

        self.errands.run(ask, heard)

    def _raise_held_risks(self) -> None:
        """Off the screen's thread: risk alerts held on this kiosk go in first."""
        alerts = Alerts(self.database)
        for path, partial in held_partial_visits(self.settings.held_visits_dir):
            alerts.raise_risk(partial, self._as_kiosk())
            path.unlink()

    def send_heartbeat(self, then: Callable[[bool], None] | None = None) -> None:
        """Tell the desks, as an errand, that this kiosk is alive and how it is; `then`
        hears whether the database took it."""
        alerts, by, in_memory = Alerts(self.database), self._as_kiosk(), len(self.in_memory)
        content = self._last_content
        version = content.version if content is not None else ""

        def beat() -> bool:
            held = self.held_visits.held()
            paused = bool(in_memory) or any(h.reason.pauses_check_in for h in held)
            if self.database.file_is_gone():
                return False
            try:
                because = "; ".join(sorted({h.reason.words for h in held}))
                news = Heartbeat(len(held) + in_memory, paused, version, held_because=because)
                alerts.heartbeat(news, by)
            except StorageUnavailableError as error:
                log.warning("the kiosk's heartbeat did not reach the database: %s", error)
                return False
            # Online again (the first beat after a start): exit PIN tries kept meanwhile go in.
            self._write_exit_events()
            return True

        self.errands.run(beat, then or (lambda _sent: None))

    # --- the patient's taps -------------------------------------------------------------
    def _changed(self) -> None:
        visit = self.visit
        if visit is None:
            return
        for listener in self._listeners:
            listener.visit_changed(visit)
        if visit.step is Step.DONE and visit.should_be_stored:
            self._finish(visit)

    def _act(self, action: Callable[[Visit], object]) -> None:
        if self.visit is None:
            return
        self.problems = []
        action(self.visit)
        self._changed()

    def back(self) -> None:
        """Back: the screen before this one."""
        self._act(lambda visit: visit.back())

    def enter_details(
        self, first: str, last: str, born: str | BirthDateParts
    ) -> list[DetailsProblem]:
        """The patient's name and date of birth; problems keep them on the screen.

        Sound details wait for the answer to which flow to run, asked of the database
        through the errands (off the screen's thread on a kiosk), then move the visit on.
        A second Continue while the answer is awaited changes nothing.
        """
        visit = self.visit
        if visit is None or self._asking_flow_for == visit.id:
            return []
        problems, details = visit.check_details(first, last, born)
        if problems or details is None:
            self.problems = list(problems)
            self._changed()
            return problems
        self.problems = []
        content = visit.content
        self._asking_flow_for = visit.id

        def asked(answer: tuple[VisitFlow, int | None]) -> None:
            if self._asking_flow_for == visit.id:
                self._asking_flow_for = None
            # The patient walked away (or the kiosk started over) while it was asked.
            if self.visit is not visit or visit.step is not Step.DETAILS:
                return
            flow, visit.visits_before = answer  # on the screen's thread, before its questions
            visit.enter_details(first, last, born, flow=flow)
            self._changed()

        self.errands.run(lambda: self._which_flow(details, content), asked)
        return []

    @property
    def finding_flow(self) -> bool:
        """Whether the visit's sound details wait for the answer to which flow to run."""
        return self.visit is not None and self._asking_flow_for == self.visit.id

    def _which_flow(
        self, details: PatientDetails, content: ContentPack
    ) -> tuple[VisitFlow, int | None]:
        """Which flow to run for these details (the day's expected list answers, and
        nothing else comes back), and how many visits of the patient came before where a
        measure is asked every Nth visit (0 otherwise, `expected.visits_before`). A
        database that cannot answer means a first visit.

        One indexed read, run as an errand: on a kiosk, off the screen's thread.
        """
        if self._database_not_ready():
            return VisitFlow.FIRST_VISIT, 0
        try:
            with self.database.session() as session, session.begin():
                counted: int | None = 0
                if any(m.every_nth_visit > 1 for m in content.measures):
                    counted = visits_before(
                        session, details.first_name, details.last_name, details.date_of_birth
                    )
                flow = which_flow(
                    session,
                    details.first_name,
                    details.last_name,
                    details.date_of_birth,
                    pack=content,
                    now=self.clock(),
                    zone=self.settings.zone,
                )
                return flow, counted
        except SQLAlchemyError as error:
            log.warning("the expected list cannot be asked: %s", type(error).__name__)
            return VisitFlow.FIRST_VISIT, 0

    def next_slide(self) -> None:
        """Next on a slide, once the slide has been shown long enough."""
        if self.visit is not None and self.visit.seconds_until_next() <= 0:
            self._act(lambda visit: visit.next_slide())

    def show_information_again(self) -> None:
        """ "Show me the information again" on a returning patient's reminder."""
        self._act(lambda visit: visit.show_information_again())

    def continue_after_reminder(self) -> None:
        """Continue on the reminder."""
        self._act(lambda visit: visit.continue_after_reminder())

    def answer_teach_back(self, value: str) -> None:
        """A teach-back answer: the next question when right, else its slide again."""
        self._act(lambda visit: visit.answer_teach_back(value))

    def ask_again(self) -> None:
        """After the slide shown again: the teach-back question once more."""
        self._act(lambda visit: visit.ask_again())

    def answer(self, value: str) -> None:
        """An answer: on to the next question, unless it raises a flag.

        A flagged answer stays on its question with a calm note, so the patient sees that
        it will be talked about and can change it; Continue moves on.
        """
        visit = self.visit
        if visit is None:
            return
        self.problems = []
        # A scored item's answer reaches `answer_recorded` (the risk path) from inside,
        # before anything else and before the visit moves on.
        visit.answer(value)
        if not visit.current_question_flagged:
            visit.next_question()
        self._changed()

    def continue_after_answer(self) -> None:
        """Continue after a flagged answer."""
        self._act(lambda visit: visit.next_question())

    def change_answer(self, question_id: str) -> None:
        """On review, an answer tapped to change it."""
        self._act(lambda visit: visit.change_answer(question_id))

    def confirm_answers(self) -> None:
        """ "I confirm these answers are correct"."""
        self._act(lambda visit: visit.confirm_answers())

    def acknowledge(self, statement_id: str) -> None:
        """One consent statement acknowledged."""
        self._act(lambda visit: visit.acknowledge(statement_id))

    def sign(self, signature: Signature) -> None:
        """A drawn signature; ignored until every statement is acknowledged and ink is there."""
        visit = self.visit
        if visit is not None and not signature.is_empty and visit.all_acknowledged:
            self._act(lambda visit: visit.sign(signature))

    def sign_by_typing(self, typed_name: str) -> list[TypedSignatureProblem]:
        """A typed full name as the signature, where the clinic allows it."""
        visit = self.visit
        if visit is None or not visit.typed_signature_allowed or not visit.all_acknowledged:
            return []
        problems = visit.sign_typed(typed_name)
        self.problems = list(problems)
        self._changed()
        return problems

    def sign_on_paper(self) -> None:
        """At the desk: the patient signs on paper instead."""
        visit = self.visit
        if visit is not None and visit.assisted_by and visit.all_acknowledged:
            self._act(lambda visit: visit.sign_on_paper())

    def talk_first(self) -> None:
        """ "I'd like to talk to someone first": stored, flagged, unsigned."""
        self._act(lambda visit: visit.talk_to_staff_first())

    def enter_ride_home(self, name: str, phone: str, relationship: str) -> list[RideHomeProblem]:
        """Who takes the patient home; problems keep them on the screen."""
        if self.visit is None:
            return []
        problems = self.visit.enter_ride_home(name, phone, relationship)
        self.problems = list(problems)
        self._changed()
        return problems

    def no_ride_yet(self) -> None:
        """ "I don't have a ride yet": done, and flagged for the desk."""
        self._act(lambda visit: visit.no_ride_yet())

    # --- storing ------------------------------------------------------------------------
    def _database_not_ready(self) -> bool:
        """Whether the database is gone, not made or at another schema: visits wait here.

        Never a new connection to a missing file (it would make an empty database). The
        kiosk never makes or upgrades one itself: the desk's notice and the log say what
        clinic IT runs, and once they have, held visits go in.
        """
        try:
            return self.database.not_ready_reason() is not None
        except SQLAlchemyError as error:
            log.warning("the database cannot be looked at: %s", type(error).__name__)
            return True

    def _store(self, visit: Visit) -> None:
        # One Core transaction, not a session: the save writes no ORM object, and a
        # session's own bookkeeping was a tenth of a save's time (bench/save_visit.py).
        with self.database.engine.begin() as connection:
            store_finished_visit(connection, visit, station=self.station)

    def _finish(self, visit: Visit) -> None:
        """Done: say so at once, then store (or hold) the visit without keeping anyone
        waiting on the database."""
        actor = kiosk_or_staff_audit_name(self.station, visit.assisted_by)
        self.saving[visit.id] = visit
        self._announce_end(visit, Outcome.SAVING)

        def saved(outcome: Outcome) -> None:
            self.saving.pop(visit.id, None)
            if outcome is Outcome.IN_MEMORY:
                self.in_memory.append(visit)
            self._announce_end(visit, outcome)

        # The patient sees Done first; the save follows on the next turn of the screen's
        # event loop (on two cores, a save begun at the tap took the ride home's
        # Continue from 13 to 20 ms: bench/README.md).
        self.errands.run_after_showing(lambda: self._save(visit, actor), saved)

    def keep_before_closing(self) -> list[Outcome]:
        """The program is closing: store or hold, now and on this thread, each finished
        visit whose save was never heard from and each kept only in memory.

        A save starts on the event loop's next turn and waits its turn among errands; a
        staff exit in between ends both before it runs, and would take the visit with
        it. One whose save did run is found stored and stored nothing the second time.
        """
        waiting = [*self.saving.values(), *self.in_memory]
        self.saving, self.in_memory = {}, []
        outcomes = []
        for visit in waiting:
            outcome = self._save(visit, kiosk_or_staff_audit_name(self.station, visit.assisted_by))
            if outcome is Outcome.IN_MEMORY:
                log.error("visit %s is lost: neither the database nor the disk took it", visit.id)
            outcomes.append(outcome)
        return outcomes

    def _announce_end(self, visit: Visit, outcome: Outcome) -> None:
        end = VisitEnd(
            visit.id,
            outcome,
            stopped_to_talk=visit.ending is Ending.STOPPED_TO_TALK,
            flagged=bool(visit.flags),
        )
        for listener in self._listeners:
            listener.visit_finished(end)

    def _save(self, visit: Visit, actor: str) -> Outcome:
        """Off the screen's thread: into the database, else the held-visits folder."""
        try:
            if self._database_not_ready():
                reason = _HOLD_REASONS[self.database.not_ready or NotReady.GONE]
                return self._hold(visit, actor, reason)
            self._store(visit)
        except ValueError as error:
            log.error("visit %s could not be stored: %s", visit.id, type(error).__name__)
            return Outcome.REFUSED
        except SQLAlchemyError as error:
            # The error's own text carries the row's values (names, birth dates): only
            # its kind and the visit ID go to the log.
            log.error("visit %s could not be stored: %s", visit.id, type(error).__name__)
            return self._hold(visit, actor, hold_reason(error))
        return Outcome.STORED

    def _hold(self, visit: Visit, actor: str, reason: HoldReason) -> Outcome:
        try:
            self.held_visits.hold(
                visit, station=self.station, actor=actor, reason=reason, now=self.clock()
            )
        except OSError as disk_error:
            log.error("visit %s waits in memory only: %s", visit.id, type(disk_error).__name__)
            return Outcome.IN_MEMORY
        log.warning("visit %s waits on this kiosk: %s", visit.id, reason.words)
        return Outcome.HELD
