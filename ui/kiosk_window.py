"""The patient kiosk: a stack of screens driven by the visit state machine.

Data flows one way: a screen emits an intent, the window calls the visit, the visit
changes step, and the window shows the screen for the new step. The patient screens
are built afresh for every visit and destroyed when it ends, so nothing typed, drawn
or answered by one patient is left in any widget for the next.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QDate, QDateTime, QEvent, QObject, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QLineEdit,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError
from typing_extensions import override

from kiosk.auth import StaffMember
from kiosk.content import ContentPack, ContentPackError
from kiosk.held_visits import HeldVisits, HoldReason, hold_reason
from kiosk.settings import Settings
from kiosk.signature import Signature
from kiosk.store import Database, content_in_use, store_finished_visit
from kiosk.visit import Clock, Ending, KioskTiming, Step, Visit, utc_now
from ui.interface_language import SOURCE_LANGUAGE, InterfaceLanguage, interface_languages
from ui.keyboard_access import KeyboardUse, can_take_focus, give_focus, move_focus
from ui.patient_display import PatientDisplay
from ui.read_aloud import ReadAloud
from ui.screens.consent import ConsentScreen
from ui.screens.details import DetailsScreen
from ui.screens.done import DoneScreen
from ui.screens.patient_screen import PatientScreen, answer_text
from ui.screens.question import QuestionScreen
from ui.screens.review import ReviewScreen
from ui.screens.ride_home import RideHomeScreen
from ui.screens.slide import SlideScreen
from ui.screens.welcome import WelcomeScreen
from ui.widgets.keyboard_form import KeyboardForm
from ui.widgets.notice_overlay import NoticeOverlay
from ui.widgets.slide_pictures import SlidePictures

log = logging.getLogger(__name__)

# "I need more time": how many times longer the kiosk then waits before asking again.
MORE_TIME_FACTOR = 3
# With larger text or read-aloud the kiosk waits twice as long before asking.
LARGER_TEXT_TIME_FACTOR = 2
READ_ALOUD_TIME_FACTOR = 2

_TAP_STARTS = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonDblClick,
    QEvent.Type.TouchBegin,
}
_INPUT_EVENTS = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.KeyPress,
    QEvent.Type.TouchUpdate,
    QEvent.Type.MouseMove,
}


class _DatabaseFileGoneError(Exception):
    """The SQLite file was deleted under the running kiosk."""


@dataclass
class VisitScreens:
    """The screens of one visit; they live exactly as long as the visit."""

    details: DetailsScreen
    slide: SlideScreen
    question: QuestionScreen
    review: ReviewScreen
    consent: ConsentScreen
    ride_home: RideHomeScreen
    done: DoneScreen

    def all(self) -> list[PatientScreen]:
        """Every screen, for adding to and removing from the stack."""
        return [
            self.details,
            self.slide,
            self.question,
            self.review,
            self.consent,
            self.ride_home,
            self.done,
        ]


class KioskWindow(QMainWindow):
    """The waiting-room kiosk.

    Signals:
        visit_stored(str): a finished visit is safely in the database (its ID).
        visit_held(str): the database could not take a finished visit; it waits on
            this machine (or, if even that failed, in memory) and is stored later.
        visit_ended: the kiosk is back at Welcome, with no visit in memory.
    """

    visit_stored = Signal(str)
    visit_held = Signal(str)
    visit_ended = Signal()

    # How often visits that wait for the database are tried again.
    HELD_RETRY_MILLISECONDS = 30_000

    def __init__(
        self,
        database: Database,
        settings: Settings,
        *,
        station: str,
        clock: Clock = utc_now,
        timing: KioskTiming | None = None,
        assisted_by: StaffMember | None = None,
        read_aloud: ReadAloud | None = None,
    ) -> None:
        super().__init__()
        self.database = database
        self.settings = settings
        self.station = station
        self.clock = clock
        self.timing = timing or KioskTiming(timeout_seconds=settings.idle_timeout)
        self.visit: Visit | None = None
        # A check-in at the front desk, with this member of staff beside the patient.
        self.assisted_by = assisted_by
        # Off in lock-down until staff sign in to leave (see ui.lockdown).
        self.leaving_allowed = True
        self.screens: VisitScreens | None = None
        # The language chosen on Welcome for the next visit ("" is the content's own).
        self.language = ""
        self.held_visits = HeldVisits(settings.held_visits_dir)
        # Finished visits that neither the database nor the held-visits folder took
        # (a full disk): kept in memory, and new check-ins pause until they are stored.
        self.unsaved: list[Visit] = []
        # The content last read from the database, for check-ins while it is unreachable.
        self._last_content: ContentPack | None = None
        # The content's pictures (never anything of a patient's), kept between visits.
        self.slide_pictures = SlidePictures()
        # "Read to me": one voice for every visit, if the clinic allows speech and the
        # computer has a voice.
        self.read_aloud = read_aloud or ReadAloud(
            enabled=settings.read_aloud, engine=settings.speech_engine, parent=self
        )
        self.read_aloud.speaking_changed.connect(self._reading_changed)
        self.read_aloud.became_available.connect(self._offer_read_aloud)
        self.read_aloud.stopped_working.connect(self._voice_stopped_working)
        # A second tap that lands just after a screen changed belongs to the old screen
        # (an anxious double tap); it must not answer a question the patient never saw.
        self._taps_ignored_until = 0.0

        central = QWidget()
        central.setObjectName("kioskWindow")
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget()
        layout.addWidget(self.stack)
        self.setCentralWidget(central)
        self.welcome = WelcomeScreen()
        self.welcome.start_requested.connect(self._begin_visit)
        self.welcome.language_chosen.connect(self._choose_language)
        self.welcome.larger_text_requested.connect(self._larger_text)
        self.welcome.contrast_requested.connect(self._other_contrast)
        # Larger text or high contrast, for this visit only.
        self.display = PatientDisplay()
        self.stack.addWidget(self.welcome)

        self.help_notice = NoticeOverlay(central)
        self.still_there = NoticeOverlay(central)
        self.still_there.dismissed.connect(self._still_here)
        self.still_there.second_chosen.connect(self._more_time)
        self.problem_notice = NoticeOverlay(central)
        self.problem_notice.dismissed.connect(self._reset)
        # Keys or a finger: where the focus goes on each new screen depends on which.
        self.keyboard_use = KeyboardUse(self)
        self._make_timers()

        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._show_welcome()
        if self.held_visits.held():
            # Visits left waiting when the kiosk last stopped.
            self.held_retry_timer.start()
            QTimer.singleShot(0, self, self.store_held_visits)

    def _make_timers(self) -> None:
        def timer(milliseconds: int, then: Callable[[], None], *, once: bool = True) -> QTimer:
            made = QTimer(self)
            made.setSingleShot(once)
            made.setInterval(milliseconds)
            made.timeout.connect(then)
            return made

        self.problem_timer = timer(self.timing.done_seconds * 1000, self._reset)
        self.idle_timer = timer(self.timing.timeout_seconds * 1000, self._on_idle)
        self.countdown_timer = timer(1000, self._count_down, once=False)
        self._countdown_left = 0
        self.done_timer = timer(self.timing.done_seconds * 1000, self._reset)
        self.held_retry_timer = timer(
            self.HELD_RETRY_MILLISECONDS, self.store_held_visits, once=False
        )

    # --- welcome and the start of a visit -----------------------------------------------
    def _content(self) -> ContentPack | None:
        # New content is taken at the start of a visit, never in the middle of one.
        if self.database.file_is_gone():
            # Patients can still check in; their visits wait on this machine.
            return self._last_content
        try:
            with self.database.session() as session, session.begin():
                _, pack = content_in_use(session, self.settings.content_dir, self.clock())
        except (SQLAlchemyError, ContentPackError, OSError) as error:
            log.error("the content in use cannot be loaded: %s", type(error).__name__)
            return self._last_content
        self._last_content = pack
        return pack

    @property
    def check_in_paused(self) -> bool:
        """Whether new check-ins wait: visits are stuck in memory, or the disk is full."""
        return bool(self.unsaved) or any(
            held.reason.pauses_check_in for held in self.held_visits.held()
        )

    def store_held_visits(self) -> None:
        """Try again to store the visits that wait; never while a patient is at the screen."""
        if self.visit is not None:
            return
        if self.database.file_is_gone():
            return
        try:
            while self.unsaved:
                visit = self.unsaved[0]
                self._store(visit)
                self.unsaved.pop(0)
                self.visit_stored.emit(visit.id)
            for visit_id in self.held_visits.store_all(self.database, now=self.clock):
                self.visit_stored.emit(visit_id)
        except (SQLAlchemyError, ValueError, OSError) as error:
            log.warning("visits still wait for the database: %s", type(error).__name__)
        if not self.unsaved and not self.held_visits.held():
            self.held_retry_timer.stop()
        if self.stack.currentWidget() is self.welcome:
            self._show_welcome()

    def _show_welcome(self) -> None:
        content = self._content()
        paused = self.check_in_paused
        if content is not None and self.language not in content.languages:
            self.language = content.language
        if InterfaceLanguage.current != self.language:
            InterfaceLanguage.use(self.language)
            # Qt posts LanguageChange for later; Welcome must speak the new language now.
            self.welcome.retranslate()
        self.welcome.show_clinic(content.in_language(self.language).clinic_name if content else "")
        offered = [
            code
            for code in (content.languages if content else ())
            if code != self.language and code in interface_languages()
        ]
        self.welcome.show_languages(offered)
        self.welcome.show_paused(paused)
        self.welcome.start_button.setEnabled(content is not None and not paused)
        self.stack.setCurrentWidget(self.welcome)
        focused = self.focusWidget()
        if focused is None or not (self.welcome.isAncestorOf(focused) and can_take_focus(focused)):
            self._place_focus(self.welcome)
        if content is None:
            self._show_problem(
                self.tr(
                    "Sorry, check-in is not working right now. Please go "
                    "to the front desk — we'll be glad to help."
                )
            )

    def show_display(self, display: PatientDisplay) -> None:
        """Larger text, high contrast or both, until the visit ends."""
        self.display = display
        self.setStyleSheet("" if display.is_default else display.style_sheet())
        if self.screens is not None:
            for form in self.findChildren(KeyboardForm):
                form.set_labels_above(display.text_size > 1)
            for screen in self.screens.all():
                screen.restyled()
        # Larger text means more to read on every screen: more time before "Are you
        # still there?".
        if display.text_size > 1:
            self._wait_longer(LARGER_TEXT_TIME_FACTOR)

    def _wait_longer(self, factor: int) -> None:
        """For the rest of this visit, wait `factor` times the usual before asking."""
        if self.idle_timer.interval() < self.timing.timeout_seconds * 1000 * factor:
            self.idle_timer.setInterval(self.timing.timeout_seconds * 1000 * factor)

    def _larger_text(self) -> None:
        self.show_display(self.display.larger_text())

    def _other_contrast(self) -> None:
        self.show_display(self.display.other_contrast())

    def _choose_language(self, language: str) -> None:
        self.language = language
        self._show_welcome()
        # The language's button is gone, rebuilt in the new language: on to Start.
        self._place_focus(self.welcome)

    def _begin_visit(self) -> None:
        content = self._content()
        if content is None or self.check_in_paused:
            self._show_problem(
                self.tr(
                    "Sorry, check-in is not working right now. Please go "
                    "to the front desk — we'll be glad to help."
                )
            )
            return
        if self.language not in content.languages:
            self.language = content.language
        # Decoded now, at Start, so that no slide freezes while its picture decodes.
        self.slide_pictures.prepare(content.pictures)
        self.visit = Visit(
            content,
            clock=self.clock,
            language=self.language,
            typed_signature_allowed=self.settings.typed_signature,
        )
        if self.assisted_by is not None:
            self.visit.assisted_by = self.assisted_by.username
        self.visit.start()
        self.screens = self._build_screens()
        if not self.display.is_default:
            # Larger text chosen on Welcome: the new screens' fields put labels above.
            self.show_display(self.display)
        self.screens.review.set_questions([(q.id, q.text) for q in self.visit.shown.questions])
        self.screens.details.begin()
        self._show_step()

    def recover_from_unexpected_error(self) -> None:
        """After a bug: a calm word to the patient, and the kiosk starts over (nothing kept)."""
        if self.visit is not None:
            self.visit.abandon()
        self._show_problem(self.tr("Sorry, something went wrong — please tell the front desk."))

    def _show_problem(self, text: str) -> None:
        """A calm message to the patient; the kiosk starts over by itself after a while."""
        self.idle_timer.stop()
        self.problem_notice.show_notice(
            text,
            self.tr("OK"),
            descriptions=(
                self.tr("Closes this message; check-in starts again from the beginning."),
                "",
            ),
        )
        self._focus_notice(self.problem_notice)
        self.problem_timer.start()

    def _build_screens(self) -> VisitScreens:
        screens = VisitScreens(
            DetailsScreen(),
            SlideScreen(),
            QuestionScreen(),
            ReviewScreen(),
            ConsentScreen(typed_allowed=self.settings.typed_signature),
            RideHomeScreen(),
            DoneScreen(),
        )
        for screen in screens.all():
            self.stack.addWidget(screen)
            screen.back_requested.connect(self._on_back_requested)
            screen.help_requested.connect(self._on_help_requested)
            screen.larger_text_requested.connect(self._larger_text)
            screen.contrast_requested.connect(self._other_contrast)
            screen.read_aloud_requested.connect(self._read_to_me)
            screen.offer_read_aloud(available=self.read_aloud.available_for(self._visit_language()))
            # Styled now, at Start, rather than on the tap that first shows the screen.
            screen.ensurePolished()
        screens.details.submitted.connect(self._on_details)
        screens.slide.next_requested.connect(self._on_next_slide)
        screens.slide.next_allowed.connect(self._on_next_allowed)
        screens.question.answered.connect(self._on_answered)
        screens.question.continue_requested.connect(self._on_question_continue)
        screens.review.change_requested.connect(self._on_change_answer)
        screens.review.confirmed.connect(self._on_confirmed)
        screens.consent.acknowledged.connect(self._on_acknowledged)
        screens.consent.signed.connect(self._on_signed)
        screens.consent.signed_by_typing.connect(self._on_signed_by_typing)
        screens.consent.talk_first_requested.connect(self._on_talk_first)
        screens.consent.signed_on_paper.connect(self._on_signed_on_paper)
        screens.ride_home.submitted.connect(self._on_ride_home)
        screens.ride_home.no_ride_requested.connect(self._on_no_ride)
        screens.done.finished.connect(self._reset)
        return screens

    # --- showing the visit's step -------------------------------------------------------
    def _show_step(self) -> None:
        visit, screens = self.visit, self.screens
        if visit is None or screens is None:
            return
        content = visit.shown
        step = visit.step
        if step is Step.WELCOME:
            # Back from the details: the same patient, still using keys if they were.
            using_keys = self.keyboard_use.in_use
            self._reset()
            self.keyboard_use.in_use = using_keys
            self._place_focus(self.welcome)
            return
        if step is Step.DETAILS:
            screen: PatientScreen = screens.details
        elif step is Step.SLIDES:
            slide = content.slides[visit.slide_index]
            screens.slide.show_slide(
                slide,
                self.slide_pictures.get(slide.picture),
                visit.slide_index + 1,
                len(content.slides),
                visit.seconds_until_next(),
            )
            screen = screens.slide
        elif step is Step.QUESTIONS:
            question = content.questions[visit.question_index]
            given = visit.answers.get(question.id)
            screens.question.show_question(
                question,
                visit.question_index + 1,
                len(content.questions),
                given.answer if given else None,
                flagged=visit.current_question_flagged,
            )
            screen = screens.question
        elif step is Step.REVIEW:
            screens.review.show_answers(
                [
                    (q.id, q.text, answer_text(q, visit.answers[q.id].answer))
                    for q in content.questions
                ]
            )
            screen = screens.review
        elif step is Step.CONSENT:
            screens.consent.show_consent(
                content.consent_statements,
                set(visit.acknowledged),
                content.signature_meaning,
                self._signed_by(),
                paper_allowed=visit.assisted_by is not None,
                typed_allowed=visit.typed_signature_allowed,
            )
            screen = screens.consent
        elif step is Step.RIDE_HOME:
            screens.ride_home.begin()
            screen = screens.ride_home
        else:
            self._finish_visit()
            return
        self._change_screen(screen)
        self.idle_timer.start()

    def _change_screen(self, screen: PatientScreen) -> None:
        # Reading stops with the screen it belongs to.
        self.read_aloud.stop()
        # Also when the same screen shows the next slide or question: what is under
        # the finger has changed either way.
        self._taps_ignored_until = time.monotonic() + self.timing.double_tap_guard_seconds
        self.stack.setCurrentWidget(screen)
        self._place_focus(screen)

    def _place_focus(self, screen: PatientScreen | WelcomeScreen) -> None:
        """Where the keyboard's focus goes as a screen (or its next page) shows.

        A patient using keys lands on the screen's first control (the next statement,
        the field to fix, Continue after a calm note), so the top bar is not tabbed
        through on every page; it is one Shift+Tab away. A patient using a finger keeps
        the cursor in the field they type in, and otherwise the screen itself holds the
        focus: no button shows a focus outline nobody asked for, nothing hidden keeps
        the focus, and a first Tab starts from the top of this screen.
        """
        if self.keyboard_use.in_use:
            target = screen.first_control()
            if target is not None:
                give_focus(target)
                return
        else:
            focused = self.focusWidget()
            if (
                isinstance(focused, QLineEdit)
                and screen.isAncestorOf(focused)
                and can_take_focus(focused)
            ):
                return
        screen.setFocus(Qt.FocusReason.OtherFocusReason)

    def _notice_on_show(self) -> NoticeOverlay | None:
        for notice in (self.problem_notice, self.still_there, self.help_notice):
            if notice.isVisible():
                return notice
        return None

    def _focus_notice(self, notice: NoticeOverlay) -> None:
        if self.keyboard_use.in_use:
            notice.take_focus()

    def _signed_by(self) -> str:
        visit = self.visit
        if visit is None or visit.details is None:
            return ""
        now = self.clock().astimezone(self.settings.zone)
        when = QDateTime(QDate(now.year, now.month, now.day), QTime(now.hour, now.minute))
        # Qt's date format, translated with the rest: month names come from the locale.
        shown = InterfaceLanguage.locale().toString(when, self.tr("MMMM d, yyyy 'at' h:mm AP"))
        return self.tr("Signed by {0} on {1}").format(visit.details.full_name, shown)

    def _finish_visit(self) -> None:
        visit, screens = self.visit, self.screens
        if visit is None or screens is None:
            return
        self.idle_timer.stop()
        kept_on_kiosk = False
        if visit.should_be_stored:
            actor = f"user:{visit.assisted_by}" if visit.assisted_by else f"kiosk:{self.station}"
            try:
                if self.database.file_is_gone():
                    raise _DatabaseFileGoneError
                self._store(visit)
            except (SQLAlchemyError, ValueError, _DatabaseFileGoneError) as error:
                # The error's own text carries the row's values (names, birth dates):
                # only its kind and the visit ID go to the log.
                log.error("visit %s could not be stored: %s", visit.id, type(error).__name__)
                if isinstance(error, ValueError):
                    # A bug, not a database that will come back: say so plainly.
                    self._show_problem(
                        self.tr(
                            "Sorry, we could not save your check-in. Please go to the front "
                            "desk — we'll be glad to help."
                        )
                    )
                    return
                self._hold(visit, actor, error)
                kept_on_kiosk = True
            else:
                self.visit_stored.emit(visit.id)
        screens.done.show_outcome(
            stopped_to_talk=visit.ending is Ending.STOPPED_TO_TALK,
            flagged=bool(visit.flags),
            kept_on_kiosk=kept_on_kiosk,
        )
        self._change_screen(screens.done)
        self.done_timer.start()

    def _store(self, visit: Visit) -> None:
        with self.database.session() as session, session.begin():
            store_finished_visit(session, visit, station=self.station)

    def _hold(self, visit: Visit, actor: str, error: BaseException) -> None:
        reason = (
            HoldReason.MISSING if isinstance(error, _DatabaseFileGoneError) else hold_reason(error)
        )
        try:
            self.held_visits.hold(
                visit, station=self.station, actor=actor, reason=reason, now=self.clock()
            )
            log.warning("visit %s waits on this kiosk: %s", visit.id, reason.words)
        except OSError as disk_error:
            self.unsaved.append(visit)
            log.error("visit %s waits in memory only: %s", visit.id, type(disk_error).__name__)
        self.held_retry_timer.start()
        self.visit_held.emit(visit.id)

    def _reset(self) -> None:
        """Back to Welcome with the visit and every patient screen gone."""
        for timer in (self.idle_timer, self.countdown_timer, self.done_timer, self.problem_timer):
            timer.stop()
        for notice in (self.help_notice, self.still_there, self.problem_notice):
            notice.hide()
        self.visit = None
        # Not a word of this visit may still be heard by the next patient.
        self.read_aloud.stop()
        self.idle_timer.setInterval(self.timing.timeout_seconds * 1000)
        if not self.display.is_default:
            self.show_display(PatientDisplay())
        # The next patient starts in the clinic's own language.
        self.language = ""
        # The next patient starts with a finger, as with the display.
        self.keyboard_use.in_use = False
        self.welcome.setFocus(Qt.FocusReason.OtherFocusReason)
        if self.screens is not None:
            for screen in self.screens.all():
                self.stack.removeWidget(screen)
                screen.hide()
                screen.deleteLater()
            self.screens = None
        self._show_welcome()
        self.visit_ended.emit()

    # --- the patient's taps ----------------------------------------------------------------
    def _act(self, action: Callable[[Visit], object]) -> None:
        """Apply a tap to the visit, then show wherever the visit is now."""
        if self.visit is None:
            return
        action(self.visit)
        self._show_step()

    def _on_back_requested(self) -> None:
        if (
            self.visit is not None
            and self.screens is not None
            and self.visit.step is Step.RIDE_HOME
        ):
            # Back to consent means signing again: the old ink must not stay on the pad.
            self.screens.consent.clear_signature()
        self._act(lambda visit: visit.back())

    def _visit_language(self) -> str:
        return self.visit.language if self.visit is not None else self.language

    def _read_to_me(self) -> None:
        if self.read_aloud.speaking:
            self.read_aloud.stop()
            return
        screen = self.stack.currentWidget()
        if not isinstance(screen, PatientScreen):
            return
        self.read_aloud.say(screen.spoken_lines(), self._visit_language())
        # Listening takes longer than reading.
        self._wait_longer(READ_ALOUD_TIME_FACTOR)

    def _reading_changed(self, speaking: bool) -> None:
        if self.screens is not None:
            for screen in self.screens.all():
                screen.show_reading(speaking=speaking)
        if not speaking and self.idle_timer.isActive():
            # The time to answer starts when the voice has finished.
            self.idle_timer.start()

    def _offer_read_aloud(self) -> None:
        """Show or hide "Read to me" on this visit's screens as the voice is now."""
        if self.screens is None:
            return
        available = self.read_aloud.available_for(self._visit_language())
        for screen in self.screens.all():
            screen.offer_read_aloud(available=available)

    def _voice_stopped_working(self) -> None:
        """The voice never finished reading: no "Read to me" now, and the patient told why."""
        self._offer_read_aloud()
        self.help_notice.show_notice(
            self.tr(
                "Sorry, the voice is not working right now. You can read the words on the "
                "screen, or ask at the front desk for someone to read them with you."
            ),
            self.tr("OK"),
        )
        self._focus_notice(self.help_notice)

    def _on_help_requested(self) -> None:
        self.read_aloud.stop()
        self.help_notice.show_notice(
            self.tr("Please go to the front desk — we'll be glad to help."), self.tr("OK")
        )
        self._focus_notice(self.help_notice)

    def _on_details(self, first: str, last: str, born: str) -> None:
        if self.visit is None or self.screens is None:
            return
        problems = self.visit.enter_details(first, last, born)
        self.screens.details.show_problems(problems)
        self._show_step()

    def _on_next_slide(self) -> None:
        if self.visit is not None and self.visit.seconds_until_next() <= 0:
            self._act(lambda visit: visit.next_slide())

    def _on_next_allowed(self) -> None:
        # A patient using keys who waited on the slide with nothing to press: Next now.
        screens = self.screens
        if screens is None or self.stack.currentWidget() is not screens.slide:
            return
        focused = self.focusWidget()
        if focused is None or focused is screens.slide or not can_take_focus(focused):
            self._place_focus(screens.slide)

    def _on_answered(self, value: str) -> None:
        if self.visit is None:
            return
        self.visit.answer(value)
        if not self.visit.current_question_flagged:
            self.visit.next_question()
        self._show_step()

    def _on_question_continue(self) -> None:
        self._act(lambda visit: visit.next_question())

    def _on_change_answer(self, question_id: str) -> None:
        self._act(lambda visit: visit.change_answer(question_id))

    def _on_confirmed(self) -> None:
        self._act(lambda visit: visit.confirm_answers())

    def _on_acknowledged(self, statement_id: str) -> None:
        self._act(lambda visit: visit.acknowledge(statement_id))

    def _on_signed(self, signature: object) -> None:
        if (
            isinstance(signature, Signature)
            and not signature.is_empty
            and self.visit is not None
            and self.visit.all_acknowledged
        ):
            self._act(lambda visit: visit.sign(signature))

    def _on_signed_by_typing(self, typed_name: str) -> None:
        visit, screens = self.visit, self.screens
        if visit is None or screens is None or not visit.typed_signature_allowed:
            return
        if not visit.all_acknowledged:
            return
        screens.consent.show_typed_problems(visit.sign_typed(typed_name))
        self._show_step()

    def _on_signed_on_paper(self) -> None:
        if self.visit is not None and self.visit.assisted_by and self.visit.all_acknowledged:
            self._act(lambda visit: visit.sign_on_paper())

    def _on_talk_first(self) -> None:
        self._act(lambda visit: visit.talk_to_staff_first())

    def _on_ride_home(self, name: str, phone: str, relationship: str) -> None:
        if self.visit is None or self.screens is None:
            return
        problems = self.visit.enter_ride_home(name, phone, relationship)
        self.screens.ride_home.show_problems(problems)
        self._show_step()

    def _on_no_ride(self) -> None:
        self._act(lambda visit: visit.no_ride_yet())

    # --- nobody at the screen ----------------------------------------------------------------
    @override
    def closeEvent(self, event: QCloseEvent) -> None:
        """Stop watching the application's input once the kiosk window is closed.

        In lock-down a close from the window system (Alt+F4, a close button) is refused.
        """
        if not self.leaving_allowed:
            event.ignore()
            return
        # A check-in window at the desk closes; the desk goes on in its own language.
        InterfaceLanguage.use(SOURCE_LANGUAGE)
        self.read_aloud.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.keyboard_use.stop()
        for timer in (
            self.idle_timer,
            self.countdown_timer,
            self.done_timer,
            self.problem_timer,
            self.held_retry_timer,
        ):
            timer.stop()
        super().closeEvent(event)

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Any touch, click or key restarts the idle timeout; taps right after a change wait."""
        kind = event.type()
        if kind in _INPUT_EVENTS and self.idle_timer.isActive():
            self.idle_timer.start()
        if (
            kind in _TAP_STARTS
            and time.monotonic() < self._taps_ignored_until
            and isinstance(watched, QWidget)
            and self.stack.isAncestorOf(watched)
        ):
            return True
        return super().eventFilter(watched, event)

    @override
    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab with nothing focused: round the notice on show, else the current screen."""
        notice = self._notice_on_show()
        root = notice or self.stack.currentWidget()
        if root is not None and move_focus(root, forward=next):
            return True
        return super().focusNextPrevChild(next)

    def _on_idle(self) -> None:
        if self.visit is None or not self.timing.watches(self.visit.step):
            return
        if self.read_aloud.speaking:
            # Listening, not gone: ask once the voice has finished.
            self.idle_timer.start()
            return
        self._countdown_left = self.timing.countdown_seconds
        self._show_still_there()
        self._focus_notice(self.still_there)
        self.countdown_timer.start()

    def _show_still_there(self) -> None:
        self.still_there.show_notice(
            self._still_there_text(),
            self.tr("Yes, continue"),
            self.tr("I need more time"),
            descriptions=(
                self.tr("Goes back to where you were."),
                self.tr("Goes back to where you were, and waits much longer before asking again."),
            ),
        )

    def _still_there_text(self) -> str:
        return self.tr(
            "Are you still there?\n\nThis check-in will start over in {0} seconds "
            "to keep your answers private."
        ).format(self._countdown_left)

    def _count_down(self) -> None:
        self._countdown_left -= 1
        if self._countdown_left > 0:
            self.still_there.set_text(self._still_there_text())
            return
        if self.visit is not None:
            self.visit.abandon()
        self._reset()

    def _still_here(self) -> None:
        self.countdown_timer.stop()
        self.idle_timer.start()

    def _more_time(self) -> None:
        # Some patients read slowly or need a pause: for the rest of this visit the kiosk
        # waits three times as long before asking again.
        self.countdown_timer.stop()
        self._wait_longer(MORE_TIME_FACTOR)
        self.idle_timer.start()
