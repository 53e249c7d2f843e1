"""The screens of one visit, and which of them shows each step of the visit."""

from __future__ import annotations

from collections.abc import Generator, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TypeVar
from zoneinfo import ZoneInfo

import shiboken6
from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QEvent, QObject, QTime, QTimer

from kiosk.check_in import CheckIn
from kiosk.content import ContentPack
from kiosk.overriding import override
from kiosk.risk import read_aloud_skips
from kiosk.visit import Step, TypedSignatureProblem, Visit, VisitFlow, questions_asked
from ui.interface_language import InterfaceLanguage
from ui.screens.consent import ConsentScreen
from ui.screens.details import DetailsScreen
from ui.screens.done import DoneScreen
from ui.screens.patient_screen import PatientScreen, answer_text
from ui.screens.question import QuestionScreen
from ui.screens.reminder import ReminderScreen
from ui.screens.review import ReviewScreen
from ui.screens.ride_home import RideHomeScreen
from ui.screens.slide import SlideScreen
from ui.screens.teach_back import TeachBackScreen
from ui.screens.teach_back_review import TeachBackReviewScreen
from ui.slots import calling
from ui.widgets.keyboard_form import KeyboardForm
from ui.widgets.slide_pictures import SlidePictures
from ui.widgets.step_bar import STAGES, stage_of

_Screen = TypeVar("_Screen", bound=PatientScreen)

# Screens taken out of their stack and waiting to be deleted: kept here, or Python would
# delete one at once, perhaps while it is still sending a signal. They are deleted one
# per turn of the event loop from a moment after they went: deleting a visit's ten
# screens at once took 20–30 ms of the Finish tap, before Welcome could be painted.
_going: list[PatientScreen] = []
_DELETING_AFTER_MS = 30


def _delete_one_going() -> None:
    """Delete the next screen on its way out, and the one after on the next turn."""
    while _going:
        screen = _going.pop(0)
        if shiboken6.isValid(screen):  # not deleted with its window meanwhile
            screen.deleteLater()
            break
    if _going:
        QTimer.singleShot(0, _delete_one_going)


class _LanguageStop(QObject):
    """Keeps a language change from a screen on its way out, and so from all it holds:
    Qt hands the change to a widget's children from the widget's own event handling."""

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Stop a language change; let everything else through."""
        return event.type() == QEvent.Type.LanguageChange


_LANGUAGE_STOP = _LanguageStop()


def signed_by_line(visit: Visit, now: datetime, zone: ZoneInfo) -> str:
    """ "Signed by <name> on <date> at <time>", in the visit's language, under the pad."""
    if visit.details is None:
        return ""
    local = now.astimezone(zone)
    when = QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute))
    # Qt's date format, translated with the rest: month names come from the locale. The
    # words are the kiosk window's, translated where they always were.
    shown = InterfaceLanguage.locale().toString(
        when, QCoreApplication.translate("KioskWindow", "MMMM d, yyyy 'at' h:mm AP")
    )
    return QCoreApplication.translate("KioskWindow", "Signed by {0} on {1}").format(
        visit.details.full_name, shown
    )


@dataclass
class VisitScreens:
    """The screens of one visit; they live exactly as long as the visit.

    Built afresh at Start and destroyed when the visit ends, so nothing typed, drawn or
    answered by one patient is left in any widget for the next.
    """

    details: DetailsScreen
    reminder: ReminderScreen
    slide: SlideScreen
    teach_back: TeachBackScreen
    teach_back_review: TeachBackReviewScreen
    question: QuestionScreen
    review: ReviewScreen
    consent: ConsentScreen
    ride_home: RideHomeScreen
    done: DoneScreen

    @classmethod
    def build(cls, *, typed_signature: bool) -> VisitScreens:
        """A new visit's screens, all at once, styled now rather than on the tap that shows
        them."""
        building = cls.building(typed_signature=typed_signature)
        while True:
            try:
                next(building)
            except StopIteration as built:
                screens: VisitScreens = built.value
                return screens

    @classmethod
    def building(cls, *, typed_signature: bool) -> Generator[None, None, VisitScreens]:
        """A new visit's screens, one screen (made and styled) per step; the screens are
        what the generator returns. Closed before its end, it destroys what it made."""
        made: list[PatientScreen] = []

        def kept(screen: _Screen) -> _Screen:
            screen.ensurePolished()
            made.append(screen)
            return screen

        try:
            details = kept(DetailsScreen())
            yield
            reminder = kept(ReminderScreen())
            yield
            slide = kept(SlideScreen())
            yield
            teach_back = kept(TeachBackScreen())
            teach_back_review = kept(TeachBackReviewScreen())
            yield
            question = kept(QuestionScreen())
            yield
            review = kept(ReviewScreen())
            yield
            consent = kept(ConsentScreen(typed_allowed=typed_signature))
            yield
            ride_home = kept(RideHomeScreen())
            yield
            done = kept(DoneScreen())
        except GeneratorExit:
            # Also when the program ends with a set half made: Qt may have deleted it.
            for screen in made:
                if shiboken6.isValid(screen):
                    screen.deleteLater()
            raise
        screens = cls(
            details,
            reminder,
            slide,
            teach_back,
            teach_back_review,
            question,
            review,
            consent,
            ride_home,
            done,
        )
        # Done: every step behind the patient.
        screens.done.step_bar.show_stage(len(STAGES))
        return screens

    def destroy(self) -> None:
        """Hide every screen and delete it (with all it shows), one per turn of the event
        loop. Each leaves its stack as it is deleted: taken out at once, the one on show
        made the stack show the next (1–2 ms of the Finish tap, for nothing)."""
        for screen in self.all():
            if not shiboken6.isValid(screen):
                continue  # the program is ending: Qt has deleted it already
            screen.hide()
            # Deaf to a language change: one chosen on Welcome reaches the window's
            # widgets a moment later, and these would be renamed in it, every key and
            # label telling the accessibility bus, which a screen reader goes through.
            # (Taking them out of the window did the same, but re-styled every widget
            # in them: 60–90 ms of the Finish tap.)
            screen.installEventFilter(_LANGUAGE_STOP)
            _going.append(screen)
        QTimer.singleShot(_DELETING_AFTER_MS, _delete_one_going)

    def lay_out(self, shown: ContentPack, *, paper: bool, typed: bool) -> None:
        """Rows for what every visit in this language shows, made before the visit needs
        them (not on the tap that shows them): the review's questions and the consent's
        statements, none ticked. Nothing of a patient is in them. `paper`: signing on
        paper is offered (at the desk); `typed`: a typed name is."""
        # A first visit's questions: a return visit's (told only at its details) lays its
        # rows out again when it reaches the review.
        asked = questions_asked(shown.questions, VisitFlow.FIRST_VISIT)
        self.review.set_questions([(q.id, q.text) for q in asked])
        statements, meaning = shown.consent_statements, shown.signature_meaning
        self.consent.show_consent(
            statements, set(), meaning, "", paper_allowed=paper, typed_allowed=typed
        )
        for form in (self.details.form, self.ride_home.form):
            form.keyboard_on_first()

    def fit_display(self, *, larger_text: bool) -> None:
        """The patient's display changed (or was chosen before these screens were made):
        fields put labels above with larger text, and every footer is laid out again."""
        for screen in self.all():
            for form in screen.findChildren(KeyboardForm):
                form.set_labels_above(larger_text)
            screen.restyled()

    def send_taps_to(self, check_in: CheckIn) -> None:
        """Each screen's taps go to the check-in service, which moves the visit (through
        `calling`: these screens go every visit, the service stays)."""
        self.details.submitted.connect(calling(check_in.enter_details))
        self.reminder.information_requested.connect(calling(check_in.show_information_again))
        self.reminder.continue_requested.connect(calling(check_in.continue_after_reminder))
        self.slide.next_requested.connect(calling(check_in.next_slide))
        self.teach_back.answered.connect(calling(check_in.answer_teach_back))
        self.teach_back_review.next_requested.connect(calling(check_in.ask_again))
        self.question.answered.connect(calling(check_in.answer))
        self.question.continue_requested.connect(calling(check_in.continue_after_answer))
        self.review.change_requested.connect(calling(check_in.change_answer))
        self.review.confirmed.connect(calling(check_in.confirm_answers))
        self.consent.acknowledged.connect(calling(check_in.acknowledge))
        self.consent.signed.connect(calling(check_in.sign))
        self.consent.signed_by_typing.connect(calling(check_in.sign_by_typing))
        self.consent.talk_first_requested.connect(calling(check_in.talk_first))
        self.consent.signed_on_paper.connect(calling(check_in.sign_on_paper))
        self.ride_home.submitted.connect(calling(check_in.enter_ride_home))
        self.ride_home.no_ride_requested.connect(calling(check_in.no_ride_yet))

    def all(self) -> list[PatientScreen]:
        """Every screen, for adding to and removing from the stack."""
        return [
            self.details,
            self.reminder,
            self.slide,
            self.teach_back,
            self.teach_back_review,
            self.question,
            self.review,
            self.consent,
            self.ride_home,
            self.done,
        ]

    def show_step(
        self,
        visit: Visit,
        problems: Sequence[StrEnum],
        pictures: SlidePictures,
        *,
        signed_by: str,
    ) -> PatientScreen | None:
        """Put the visit's current step on its screen; returns that screen (None at Done).

        `problems` are what was wrong with the patient's last typing, said on the screen
        they typed on.
        """
        content = visit.shown
        step = visit.step
        screen: PatientScreen | None = None
        if step is Step.DETAILS:
            self.details.show_problems(problems)
            screen = self.details
        elif step is Step.REMINDER:
            self.reminder.show_topics([slide.title for slide in content.slides])
            screen = self.reminder
        elif step is Step.SLIDES:
            slide = content.slides[visit.slide_index]
            self.slide.show_slide(
                slide,
                pictures.get(slide.picture),
                visit.slide_index + 1,
                len(content.slides),
                visit.seconds_until_next(),
            )
            screen = self.slide
        elif step is Step.TEACH_BACK:
            self.teach_back.show_question(
                visit.shown_teach_back_question,
                visit.teach_back_index + 1,
                len(content.teach_back),
                again=visit.teach_back_asked_again,
            )
            screen = self.teach_back
        elif step is Step.TEACH_BACK_REVIEW:
            question = visit.shown_teach_back_question
            slide = content.slide(question.slide or "")
            self.teach_back_review.show_review(question, slide, pictures.get(slide.picture))
            screen = self.teach_back_review
        elif step is Step.QUESTIONS:
            questions = visit.shown_questions
            question = questions[visit.question_index]
            given = visit.answers.get(question.id)
            self.question.show_question(
                question,
                visit.question_index + 1,
                len(questions),
                given.answer if given else None,
                flagged=visit.current_question_flagged,
                not_read_aloud=read_aloud_skips(visit.content, question.id),
            )
            screen = self.question
        elif step is Step.REVIEW:
            self.review.show_answers(
                [
                    (q.id, q.text, answer_text(q, visit.answers[q.id].answer))
                    for q in visit.shown_questions
                ]
            )
            screen = self.review
        elif step is Step.CONSENT:
            self.consent.show_consent(
                content.consent_statements,
                set(visit.acknowledged),
                content.signature_meaning,
                signed_by,
                paper_allowed=visit.assisted_by is not None,
                typed_allowed=visit.typed_signature_allowed,
            )
            typed_problems = [p for p in problems if isinstance(p, TypedSignatureProblem)]
            if visit.typed_signature_allowed:
                # Asking for the typed name's words makes its field (and a second
                # keyboard): only where the clinic offers a typed name.
                self.consent.show_typed_problems(typed_problems)
            screen = self.consent
        elif step is Step.RIDE_HOME:
            self.ride_home.show_problems(problems)
            self.ride_home.begin()
            screen = self.ride_home
        if screen is not None:
            screen.step_bar.show_stage(stage_of(step))
        return screen
