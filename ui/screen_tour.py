"""Walk a kiosk window through every screen of a visit, for size checks and screenshots."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtWidgets import QApplication, QWidget

from kiosk.content import Answer, QuestionSection
from kiosk.signature import Signature
from kiosk.visit import Step, VisitFlow
from kiosk.visit_walk import calm_answer
from ui.kiosk_window import KioskWindow
from ui.visit_screens import VisitScreens
from ui.visit_walk import wait_for_flow, wait_while_saving

Stop = tuple[str, QWidget]


def tour(window: KioskWindow, language: str = "") -> Iterator[Stop]:
    """Yield (name, screen) for each screen a patient sees, in order, with realistic content.

    With `language`, the patient first chooses it on Welcome.

    The visit is moved through the check-in service's own calls (`ui.visit_walk` taps the
    buttons instead); what matters here is what each screen looks like with real text on it.
    """
    yield "welcome", _settle(window)
    if language:
        window.welcome.language_chosen.emit(language)
        yield f"welcome-{language}", _settle(window)
    window.welcome.start_button.click()
    screens = window.screens
    if window.visit is None or screens is None:
        raise RuntimeError("Start on Welcome began no visit")
    yield from _details_to_review(window, screens)
    yield from _consent_to_done(window, screens)
    yield from _notices(window, screens)


def _settle(window: KioskWindow) -> QWidget:
    """The screen on show, once Qt has laid it out."""
    app = QApplication.instance()
    if app is None:
        raise RuntimeError("there is no QApplication")
    # Twice: a scroll area lays its page out again once its scroll bar has appeared
    # (the page is narrower then), in an event posted by the first layout.
    app.processEvents()
    app.processEvents()
    widget = window.stack.currentWidget()
    if widget is None:
        raise RuntimeError("the kiosk shows no screen")
    return widget


def _details_to_review(window: KioskWindow, screens: VisitScreens) -> Iterator[Stop]:
    check_in, visit = window.check_in, window.visit
    assert visit is not None
    yield "details", _settle(window)
    # The keyboard's accents: the letters that have them, then one letter's (o has most).
    screens.details.keyboard.show_accents()
    yield "details-accents", _settle(window)
    screens.details.keyboard.show_accents_of("o")
    yield "details-letter-accents", _settle(window)
    screens.details.keyboard.show_letters()
    check_in.enter_details("", "", "13/45/1900")
    yield "details-problems", _settle(window)
    check_in.enter_details("Maximiliana-Guadalupe", "Fernández-Castellanos", "04/15/1968")
    wait_for_flow(window)
    # As a returning patient the desk expects, whose slides have not changed: Back from
    # the first slide is their reminder; "Show me the information again" the slides.
    visit.flow = VisitFlow.RETURN_WITHOUT_SLIDES
    check_in.back()
    yield "reminder", _settle(window)
    check_in.show_information_again()
    for number, slide in enumerate(visit.content.slides, start=1):
        yield f"slide-{number:02d}-{slide.id}", _settle(window)
        check_in.next_slide()
    if visit.step is Step.TEACH_BACK:
        # Teach-back: a question, an answer that is not right (its slide again, its key
        # sentence quoted), the question asked again; then every one answered right.
        yield "teach-back", _settle(window)
        check_in.answer_teach_back(Answer.NOT_SURE)
        yield "teach-back-review", _settle(window)
        check_in.ask_again()
        yield "teach-back-again", _settle(window)
        while visit.step is Step.TEACH_BACK:
            check_in.answer_teach_back(str(visit.teach_back_question.right_answer))
    yield "question", _settle(window)
    check_in.answer(Answer.NOT_SURE)
    yield "question-flagged", _settle(window)
    check_in.continue_after_answer()
    for question in visit.questions[1:]:
        if question.section is not QuestionSection.SCREENING and question.choices:
            yield f"question-{question.id}", _settle(window)
        check_in.answer(calm_answer(question))
    yield "review", _settle(window)


def _consent_to_done(window: KioskWindow, screens: VisitScreens) -> Iterator[Stop]:
    check_in, visit = window.check_in, window.visit
    assert visit is not None
    check_in.confirm_answers()
    yield "consent", _settle(window)
    for statement in visit.content.consent_statements:
        check_in.acknowledge(statement.id)
    yield "consent-acknowledged", _settle(window)
    if visit.typed_signature_allowed:
        # Where the clinic allows it: the name typed instead, and what a wrong one says.
        screens.consent.typing_button.click()
        yield "consent-typed", _settle(window)
        check_in.sign_by_typing("Someone Else")
        yield "consent-typed-problem", _settle(window)
        screens.consent.typing_button.click()
    check_in.sign(Signature((((10.0, 40.0), (60.0, 10.0), (120.0, 60.0)),), 600, 220))
    yield "ride-home", _settle(window)
    check_in.enter_ride_home("", "12", "")
    yield "ride-home-problems", _settle(window)
    check_in.no_ride_yet()
    wait_while_saving(window)
    yield "done-flagged", _settle(window)


def _notices(window: KioskWindow, screens: VisitScreens) -> Iterator[Stop]:
    check_in = window.check_in
    screens.done.help_requested.emit()
    yield "help", _settle(window).window()
    window.help_notice.hide()
    check_in.idle.countdown_left = check_in.timing.countdown_seconds
    window.asking.ask()
    yield "still-there", _settle(window).window()
    window.still_there.hide()
    window.recover_from_unexpected_error()
    yield "problem", _settle(window).window()
