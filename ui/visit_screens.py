"""The screens of one visit, and which of them shows each step of the visit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QTime

from kiosk.check_in import CheckIn
from kiosk.visit import Step, TypedSignatureProblem, Visit
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
from ui.widgets.slide_pictures import SlidePictures
from ui.widgets.step_bar import STAGES, stage_of


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
    question: QuestionScreen
    review: ReviewScreen
    consent: ConsentScreen
    ride_home: RideHomeScreen
    done: DoneScreen

    @classmethod
    def build(cls, *, typed_signature: bool) -> VisitScreens:
        """A new visit's screens, styled now (at Start) rather than on the tap that shows them."""
        screens = cls(
            DetailsScreen(),
            ReminderScreen(),
            SlideScreen(),
            QuestionScreen(),
            ReviewScreen(),
            ConsentScreen(typed_allowed=typed_signature),
            RideHomeScreen(),
            DoneScreen(),
        )
        # Done: every step behind the patient.
        screens.done.step_bar.show_stage(len(STAGES))
        for screen in screens.all():
            screen.ensurePolished()
        return screens

    def send_taps_to(self, check_in: CheckIn) -> None:
        """Each screen's taps go to the check-in service, which moves the visit."""
        self.details.submitted.connect(check_in.enter_details)
        self.reminder.information_requested.connect(check_in.show_information_again)
        self.reminder.continue_requested.connect(check_in.continue_after_reminder)
        self.slide.next_requested.connect(check_in.next_slide)
        self.question.answered.connect(check_in.answer)
        self.question.continue_requested.connect(check_in.continue_after_answer)
        self.review.change_requested.connect(check_in.change_answer)
        self.review.confirmed.connect(check_in.confirm_answers)
        self.consent.acknowledged.connect(check_in.acknowledge)
        self.consent.signed.connect(check_in.sign)
        self.consent.signed_by_typing.connect(check_in.sign_by_typing)
        self.consent.talk_first_requested.connect(check_in.talk_first)
        self.consent.signed_on_paper.connect(check_in.sign_on_paper)
        self.ride_home.submitted.connect(check_in.enter_ride_home)
        self.ride_home.no_ride_requested.connect(check_in.no_ride_yet)

    def all(self) -> list[PatientScreen]:
        """Every screen, for adding to and removing from the stack."""
        return [
            self.details,
            self.reminder,
            self.slide,
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
            self.consent.show_typed_problems(
                [p for p in problems if isinstance(p, TypedSignatureProblem)]
            )
            screen = self.consent
        elif step is Step.RIDE_HOME:
            self.ride_home.show_problems(problems)
            self.ride_home.begin()
            screen = self.ride_home
        if screen is not None:
            screen.step_bar.show_stage(stage_of(step))
        return screen
