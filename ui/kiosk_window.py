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

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QMainWindow, QStackedWidget, QVBoxLayout, QWidget
from sqlalchemy.exc import SQLAlchemyError
from typing_extensions import override

from kiosk.auth import StaffMember
from kiosk.content import Answer, ContentPack, ContentPackError
from kiosk.settings import Settings
from kiosk.signature import Signature
from kiosk.store import Database, content_in_use, store_finished_visit
from kiosk.visit import Clock, Ending, KioskTiming, Step, Visit, utc_now
from ui.screens.consent import ConsentScreen
from ui.screens.details import DetailsScreen
from ui.screens.done import DoneScreen
from ui.screens.patient_screen import PatientScreen
from ui.screens.question import QuestionScreen
from ui.screens.review import ReviewScreen
from ui.screens.ride_home import RideHomeScreen
from ui.screens.slide import SlideScreen
from ui.screens.welcome import WelcomeScreen
from ui.widgets.notice_overlay import NoticeOverlay
from ui.widgets.slide_pictures import SlidePictures

log = logging.getLogger(__name__)

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
        visit_ended: the kiosk is back at Welcome, with no visit in memory.
    """

    visit_stored = Signal(str)
    visit_ended = Signal()

    def __init__(
        self,
        database: Database,
        settings: Settings,
        *,
        station: str,
        clock: Clock = utc_now,
        timing: KioskTiming | None = None,
        assisted_by: StaffMember | None = None,
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
        self.screens: VisitScreens | None = None
        # The content's pictures (never anything of a patient's), kept between visits.
        self.slide_pictures = SlidePictures()
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
        self.stack.addWidget(self.welcome)

        self.help_notice = NoticeOverlay(central)
        self.still_there = NoticeOverlay(central)
        self.still_there.dismissed.connect(self._still_here)
        self.problem_notice = NoticeOverlay(central)
        self.problem_notice.dismissed.connect(self._reset)
        self.problem_timer = QTimer(self)
        self.problem_timer.setSingleShot(True)
        self.problem_timer.setInterval(self.timing.done_seconds * 1000)
        self.problem_timer.timeout.connect(self._reset)

        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.setInterval(self.timing.timeout_seconds * 1000)
        self.idle_timer.timeout.connect(self._on_idle)
        self.countdown_timer = QTimer(self)
        self.countdown_timer.setInterval(1000)
        self.countdown_timer.timeout.connect(self._count_down)
        self._countdown_left = 0
        self.done_timer = QTimer(self)
        self.done_timer.setSingleShot(True)
        self.done_timer.setInterval(self.timing.done_seconds * 1000)
        self.done_timer.timeout.connect(self._reset)

        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._show_welcome()

    # --- welcome and the start of a visit -----------------------------------------------
    def _content(self) -> ContentPack | None:
        # New content is taken at the start of a visit, never in the middle of one.
        try:
            with self.database.session() as session, session.begin():
                _, pack = content_in_use(session, self.settings.content_dir, self.clock())
        except (SQLAlchemyError, ContentPackError, OSError) as error:
            log.error("the content in use cannot be loaded: %s", type(error).__name__)
            return None
        return pack

    def _show_welcome(self) -> None:
        content = self._content()
        self.welcome.show_clinic(content.clinic_name if content else "")
        self.welcome.start_button.setEnabled(content is not None)
        self.stack.setCurrentWidget(self.welcome)
        if content is None:
            self._show_problem(
                self.tr(
                    "Sorry, check-in is not working right now. Please go "
                    "to the front desk — we'll be glad to help."
                )
            )

    def _begin_visit(self) -> None:
        content = self._content()
        if content is None:
            self._show_problem(
                self.tr(
                    "Sorry, check-in is not working right now. Please go "
                    "to the front desk — we'll be glad to help."
                )
            )
            return
        # Decoded now, at Start, so that no slide freezes while its picture decodes.
        self.slide_pictures.prepare(content.pictures)
        self.visit = Visit(content, clock=self.clock)
        if self.assisted_by is not None:
            self.visit.assisted_by = self.assisted_by.username
        self.visit.start()
        self.screens = self._build_screens()
        self.screens.review.set_questions([(q.id, q.text) for q in content.questions])
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
        self.problem_notice.show_notice(text, self.tr("OK"))
        self.problem_timer.start()

    def _build_screens(self) -> VisitScreens:
        screens = VisitScreens(
            DetailsScreen(),
            SlideScreen(),
            QuestionScreen(),
            ReviewScreen(),
            ConsentScreen(),
            RideHomeScreen(),
            DoneScreen(),
        )
        for screen in screens.all():
            self.stack.addWidget(screen)
            screen.back_requested.connect(self._on_back_requested)
            screen.help_requested.connect(self._on_help_requested)
            # Styled now, at Start, rather than on the tap that first shows the screen.
            screen.ensurePolished()
        screens.details.submitted.connect(self._on_details)
        screens.slide.next_requested.connect(self._on_next_slide)
        screens.question.answered.connect(self._on_answered)
        screens.question.continue_requested.connect(self._on_question_continue)
        screens.review.change_requested.connect(self._on_change_answer)
        screens.review.confirmed.connect(self._on_confirmed)
        screens.consent.acknowledged.connect(self._on_acknowledged)
        screens.consent.signed.connect(self._on_signed)
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
        content = visit.content
        step = visit.step
        if step is Step.WELCOME:
            self._reset()
            return
        if step is Step.DETAILS:
            screen: QWidget = screens.details
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
                [(q.id, q.text, visit.answers[q.id].answer) for q in content.questions]
            )
            screen = screens.review
        elif step is Step.CONSENT:
            screens.consent.show_consent(
                content.consent_statements,
                set(visit.acknowledged),
                content.signature_meaning,
                self._signed_by(),
                paper_allowed=visit.assisted_by is not None,
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

    def _change_screen(self, screen: QWidget) -> None:
        # Also when the same screen shows the next slide or question: what is under
        # the finger has changed either way.
        self._taps_ignored_until = time.monotonic() + self.timing.double_tap_guard_seconds
        self.stack.setCurrentWidget(screen)

    def _signed_by(self) -> str:
        visit = self.visit
        if visit is None or visit.details is None:
            return ""
        now = self.clock().astimezone(self.settings.zone)
        return self.tr("Signed by {0} on {1}").format(
            visit.details.full_name, now.strftime("%B %d, %Y at %I:%M %p").replace(" 0", " ")
        )

    def _finish_visit(self) -> None:
        visit, screens = self.visit, self.screens
        if visit is None or screens is None:
            return
        self.idle_timer.stop()
        if visit.should_be_stored:
            try:
                with self.database.session() as session, session.begin():
                    store_finished_visit(session, visit, station=self.station, now=self.clock())
            except (SQLAlchemyError, ValueError) as error:
                # The error's own text carries the row's values (names, birth dates):
                # only its kind and the visit ID go to the log.
                log.error("visit %s could not be stored: %s", visit.id, type(error).__name__)
                self._show_problem(
                    self.tr(
                        "Sorry, we could not save your check-in. Please go to the front "
                        "desk — we'll be glad to help."
                    )
                )
                return
            self.visit_stored.emit(visit.id)
        screens.done.show_outcome(
            stopped_to_talk=visit.ending is Ending.STOPPED_TO_TALK, flagged=bool(visit.flags)
        )
        self._change_screen(screens.done)
        self.done_timer.start()

    def _reset(self) -> None:
        """Back to Welcome with the visit and every patient screen gone."""
        for timer in (self.idle_timer, self.countdown_timer, self.done_timer, self.problem_timer):
            timer.stop()
        for notice in (self.help_notice, self.still_there, self.problem_notice):
            notice.hide()
        self.visit = None
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

    def _on_help_requested(self) -> None:
        self.help_notice.show_notice(
            self.tr("Please go to the front desk — we'll be glad to help."), self.tr("OK")
        )

    def _on_details(self, first: str, last: str, born: str) -> None:
        if self.visit is None or self.screens is None:
            return
        problems = self.visit.enter_details(first, last, born)
        self.screens.details.show_problems(problems)
        self._show_step()

    def _on_next_slide(self) -> None:
        if self.visit is not None and self.visit.seconds_until_next() <= 0:
            self._act(lambda visit: visit.next_slide())

    def _on_answered(self, value: str) -> None:
        if self.visit is None:
            return
        self.visit.answer(Answer(value))
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
        """Stop watching the application's input once the kiosk window is closed."""
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        for timer in (self.idle_timer, self.countdown_timer, self.done_timer, self.problem_timer):
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

    def _on_idle(self) -> None:
        if self.visit is None or not self.timing.watches(self.visit.step):
            return
        self._countdown_left = self.timing.countdown_seconds
        self.still_there.show_notice(self._still_there_text(), self.tr("Yes, continue"))
        self.countdown_timer.start()

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
