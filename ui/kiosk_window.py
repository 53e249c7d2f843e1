"""The patient kiosk: a stack of screens showing what the check-in service announces.

Data flows one way: a screen emits an intent, the window forwards it to the check-in
service (`kiosk.check_in`), the service moves the visit and announces it, and the window
shows the screen for the new step. Where the visit goes, storing, holding and the idle
policy are the service's; the window decides only what is on screen, where the keyboard's
focus goes and what is read aloud. The patient screens are built afresh for every visit
and destroyed when it ends, so nothing typed, drawn or answered by one patient is left in
any widget for the next.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from kiosk.actor import StaffMember
from kiosk.check_in import LARGER_TEXT_TIME_FACTOR, Outcome, VisitEnd
from kiosk.content import ContentPack
from kiosk.settings import Settings
from kiosk.station import Station
from kiosk.visit import Clock, KioskTiming, Step, Visit, utc_now
from ui.assistive_technology import ASSISTIVE_INPUT
from ui.errands import DatabaseErrands
from ui.held_visit_retries import HeldVisitRetries
from ui.help_request import HelpRequestNotice
from ui.interface_language import SOURCE_LANGUAGE, InterfaceLanguage
from ui.patient_display import PatientDisplay
from ui.read_aloud import ReadAloud
from ui.screens.patient_screen import PatientScreen
from ui.screens.welcome import WelcomeScreen
from ui.visit_screens import VisitScreens, signed_by_line
from ui.visit_voice import VisitVoice
from ui.widgets.keyboard_access import (
    KeyboardUse,
    can_take_focus,
    leave,
    move_focus,
    place_focus,
)
from ui.widgets.keyboard_form import KeyboardForm
from ui.widgets.notice_overlay import NoticeOverlay
from ui.widgets.slide_pictures import SlidePictures
from ui.widgets.still_there import StillThere
from ui.widgets.tap_guard import TapGuard

log = logging.getLogger(__name__)

# A press through the accessibility bus (a switch, a screen reader) is input too.
_INPUT_EVENTS = {QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress}
_INPUT_EVENTS |= {QEvent.Type.TouchUpdate, QEvent.Type.MouseMove, ASSISTIVE_INPUT}


class KioskWindow(QMainWindow):
    """The waiting-room kiosk.

    Signals:
        visit_stored(str): a finished visit is safely in the database (its ID).
        visit_held(str): the database could not take a finished visit; it waits on
            this machine (or, if even that failed, in memory) and is stored later.
        visit_ended: the kiosk is back at Welcome, with no visit in memory.
        held_visits_tried: the visits that wait were tried again (stored or not).
        content_read: the content in use was read again for Welcome and the next visit.
    """

    visit_stored = Signal(str)
    visit_held = Signal(str)
    visit_ended = Signal()
    held_visits_tried = Signal()
    content_read = Signal()

    def __init__(
        self,
        station: Station,
        settings: Settings,
        *,
        clock: Clock = utc_now,
        timing: KioskTiming | None = None,
        assisted_by: StaffMember | None = None,
        read_aloud: ReadAloud | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.station = station
        self.clock = clock
        # Where the visit goes, storing, holding and the idle policy are the check-in
        # service's decisions; this window shows what it announces and forwards taps.
        self.check_in = station.check_in(
            settings, clock=clock, timing=timing, errands=DatabaseErrands()
        )
        self.check_in.listen(self)
        # A check-in at the front desk, with this member of staff beside the patient.
        self.assisted_by = assisted_by
        # Off in lock-down until staff sign in to leave (see ui.lockdown).
        self.leaving_allowed = True
        self.screens: VisitScreens | None = None
        # The language chosen on Welcome for the next visit ("" is the content's own).
        self.language = ""
        # The content's pictures (never anything of a patient's), kept between visits.
        self.slide_pictures = SlidePictures()
        # "Read to me": one voice for every visit, if the clinic allows speech and the
        # computer has a voice.
        self.read_aloud = read_aloud or ReadAloud(
            enabled=settings.read_aloud, engine=settings.speech_engine, parent=self
        )

        central = QWidget()
        central.setObjectName("kioskWindow")
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget()
        self.tap_guard = TapGuard(self.stack)
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
        self.help_request = HelpRequestNotice(
            self.check_in, self.help_notice, before=self.read_aloud.stop, focus=self._focus_notice
        )
        self.visit_ended.connect(self.help_request.stop)
        self.asking = StillThere(
            self.check_in.idle,
            central,
            step=lambda: self.visit.step if self.visit is not None else None,
            listening=lambda: self.read_aloud.speaking,
            focus_notice=self._focus_notice,
        )
        self.asking.nobody_came_back.connect(self._reset)
        self.voice = VisitVoice(
            self.read_aloud,
            self.stack,
            self.asking,
            screens=lambda: self.screens,
            language=self._visit_language,
            tell=self._focus_notice,
            notice=self.help_notice,
        )
        # What tests and the screen tour look at.
        self.still_there = self.asking.notice
        self.idle_timer = self.asking.idle_timer
        self.problem_notice = NoticeOverlay(central)
        self.problem_notice.dismissed.connect(self._reset)
        # Keys or a finger: where the focus goes on each new screen depends on which.
        self.keyboard_use = KeyboardUse(self)
        # Back to Welcome by itself, a while after Done or a problem notice.
        self.problem_timer, self.done_timer = QTimer(self), QTimer(self)
        for timer in (self.problem_timer, self.done_timer):
            timer.setSingleShot(True)
            timer.setInterval(self.timing.done_seconds * 1000)
            timer.timeout.connect(self._reset)
        # Read once before any patient can tap; from then on, off the screen's thread.
        self.check_in.content()

        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._show_welcome()
        self.retries = HeldVisitRetries(self.check_in, self)
        self.retries.tried.connect(self._held_visits_tried)

    # --- the check-in service's news ------------------------------------------------------
    @property
    def visit(self) -> Visit | None:
        """The visit at the screen, if any (the check-in service holds it)."""
        return self.check_in.visit

    @property
    def timing(self) -> KioskTiming:
        """When the kiosk acts by itself (the check-in service's)."""
        return self.check_in.timing

    @timing.setter
    def timing(self, timing: KioskTiming) -> None:
        self.check_in.timing = timing
        self.check_in.idle.timing = timing

    def visit_changed(self, visit: Visit) -> None:
        """The service moved the visit: show its step."""
        self._show_step()

    def visit_finished(self, end: VisitEnd) -> None:
        """The visit reached Done: "saving" at once, then stored, held or refused."""
        if end.outcome is Outcome.STORED:
            self.visit_stored.emit(end.visit_id)
        elif end.kept_on_kiosk:
            self.retries.visit_held()
            self.visit_held.emit(end.visit_id)
        screens, visit = self.screens, self.visit
        if screens is None or visit is None or visit.id != end.visit_id:
            return
        self.asking.stop()
        if end.outcome is Outcome.REFUSED:
            # A bug, not a database that will come back: say so plainly.
            self._show_problem(
                self.tr(
                    "Sorry, we could not save your check-in. Please go to the front "
                    "desk — we'll be glad to help."
                )
            )
            return
        screens.done.show_end(end)
        if end.outcome is Outcome.SAVING:
            self._change_screen(screens.done)

    def _outcome_shown(self) -> None:
        # Finish waited while saving: now it is where a keyboard user's focus goes.
        if self.screens is not None:
            self._place_focus(self.screens.done)
        self.done_timer.start()

    def held_visit_stored(self, visit_id: str) -> None:
        """A visit that waited on this kiosk reached the database."""
        self.visit_stored.emit(visit_id)

    def store_held_visits(self) -> None:
        """Try again to store the visits that wait; never while a patient is at the screen."""
        self.retries.try_now()

    def _held_visits_tried(self) -> None:
        if self.stack.currentWidget() is self.welcome:
            self._show_welcome()
        self.held_visits_tried.emit()

    def _show_welcome(self, content: ContentPack | None = None) -> None:
        """Welcome with the content last read; a fresh read follows, off the screen's thread."""
        if content is None:
            content = self.check_in.last_content
            self.check_in.refresh_content(self._content_read)
        if content is not None and self.language not in content.languages:
            self.language = content.language
        self.welcome_content = content
        self.welcome.show_check_in(content, self.language, paused=self.check_in.paused)
        self.stack.setCurrentWidget(self.welcome)
        focused = self.focusWidget()
        if focused is None or not (self.welcome.isAncestorOf(focused) and can_take_focus(focused)):
            self._place_focus(self.welcome)
        if content is None:
            self._check_in_not_working()

    def _content_read(self, content: ContentPack | None) -> None:
        # Only new content changes Welcome: rebuilding its buttons under a finger would
        # make a tap on them miss.
        if content is not self.welcome_content and self.stack.currentWidget() is self.welcome:
            self._show_welcome(content)
        self.content_read.emit()

    def _check_in_not_working(self) -> None:
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
            self.asking.wait_longer(LARGER_TEXT_TIME_FACTOR)

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
        visit = self.check_in.start(
            language=self.language,
            assisted_by=self.assisted_by.username if self.assisted_by is not None else None,
        )
        if visit is None:
            self._check_in_not_working()
            return
        self.language = visit.language
        self.asking.reset()
        # Decoded now, at Start, so that no slide freezes while its picture decodes.
        self.slide_pictures.prepare(visit.content.pictures)
        self.screens = self._build_screens()
        if not self.display.is_default:
            # Larger text chosen on Welcome: the new screens' fields put labels above.
            self.show_display(self.display)
        self.screens.review.set_questions([(q.id, q.text) for q in visit.shown_questions])
        self.screens.details.begin()
        self._show_step()

    def recover_from_unexpected_error(self) -> None:
        """After a bug: a calm word to the patient, and the kiosk starts over (nothing kept)."""
        if self.visit is not None:
            self.visit.abandon()
        self._show_problem(self.tr("Sorry, something went wrong — please tell the front desk."))

    def _show_problem(self, text: str) -> None:
        """A calm message to the patient; the kiosk starts over by itself after a while."""
        self.asking.stop()
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
        screens = VisitScreens.build(typed_signature=self.settings.typed_signature)
        available = self.read_aloud.available_for(self._visit_language())
        for screen in screens.all():
            self.stack.addWidget(screen)
            screen.back_requested.connect(self._on_back_requested)
            screen.help_requested.connect(self.help_request.start)
            screen.larger_text_requested.connect(self._larger_text)
            screen.contrast_requested.connect(self._other_contrast)
            screen.read_aloud_requested.connect(self.voice.read_to_me)
            screen.offer_read_aloud(available=available)
        screens.send_taps_to(self.check_in)
        screens.slide.next_allowed.connect(self._on_next_allowed)
        screens.done.finished.connect(self._reset)
        screens.done.outcome_shown.connect(self._outcome_shown)
        return screens

    # --- showing the visit's step -------------------------------------------------------
    def _show_step(self) -> None:
        visit, screens = self.visit, self.screens
        if visit is None or screens is None:
            return
        step = visit.step
        if step is Step.WELCOME:
            # Back from the details: the same patient, still using keys if they were.
            using_keys = self.keyboard_use.in_use
            self._reset()
            self.keyboard_use.in_use = using_keys
            self._place_focus(self.welcome)
            return
        screen = screens.show_step(
            visit,
            self.check_in.problems,
            self.slide_pictures,
            # Only consent shows it: not formatted on every slide.
            signed_by=(
                signed_by_line(visit, self.clock(), self.settings.zone)
                if step is Step.CONSENT
                else ""
            ),
        )
        if screen is None:
            # Done: the service stores the visit and says how (visit_finished).
            return
        self._change_screen(screen)
        self.asking.restart()

    def _change_screen(self, screen: PatientScreen) -> None:
        # Reading stops with the screen it belongs to.
        self.read_aloud.stop()
        # Also when the same screen shows the next slide or question; not when a tap
        # changed nothing under the finger (the visit says which: its page).
        page = (screen, self.visit.page if self.visit is not None else None)
        self.tap_guard.page_shown(page, self.timing.double_tap_guard_seconds)
        leave(self.stack.currentWidget(), screen)
        self.stack.setCurrentWidget(screen)
        self._place_focus(screen)

    def _place_focus(self, screen: PatientScreen | WelcomeScreen) -> None:
        keys = self.keyboard_use.in_use
        place_focus(screen, screen.first_control, using_keys=keys, heading=screen.heading)

    def _notice_on_show(self) -> NoticeOverlay | None:
        for notice in (self.problem_notice, self.still_there, self.help_notice):
            if notice.isVisible():
                return notice
        return None

    def _focus_notice(self, notice: NoticeOverlay) -> None:
        notice.take_focus(using_keys=self.keyboard_use.in_use)

    def _reset(self) -> None:
        """Back to Welcome with the visit and every patient screen gone."""
        for timer in (self.done_timer, self.problem_timer):
            timer.stop()
        for notice in (self.help_notice, self.problem_notice):
            notice.hide()
        self.check_in.end()
        self.asking.reset()
        # Not a word of this visit may still be heard by the next patient.
        self.read_aloud.stop()
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
    def _on_back_requested(self) -> None:
        if (
            self.visit is not None
            and self.screens is not None
            and self.visit.step is Step.RIDE_HOME
        ):
            # Back to consent means signing again: the old ink must not stay on the pad.
            self.screens.consent.clear_signature()
        self.check_in.back()

    def _visit_language(self) -> str:
        return self.visit.language if self.visit is not None else self.language

    def _on_next_allowed(self) -> None:
        # A patient using keys who waited on the slide with nothing to press: Next now.
        screens = self.screens
        if screens is None or self.stack.currentWidget() is not screens.slide:
            return
        focused = self.focusWidget()
        if focused is None or focused is screens.slide or not can_take_focus(focused):
            self._place_focus(screens.slide)

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
        self.asking.stop()
        for timer in (self.done_timer, self.problem_timer):
            timer.stop()
        self.retries.stop()
        super().closeEvent(event)

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Any touch, click or key restarts the idle timeout; taps right after a change wait."""
        if event.type() in _INPUT_EVENTS:
            self.asking.touched()
        if self.tap_guard.swallows(watched, event):
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
