"""Walk a kiosk window through every screen of a visit, for size checks and screenshots."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtWidgets import QApplication, QWidget

from kiosk.content import Answer
from ui.kiosk_window import KioskWindow


def tour(window: KioskWindow, language: str = "") -> Iterator[tuple[str, QWidget]]:
    """Yield (name, screen) for each screen a patient sees, in order, with realistic content.

    With `language`, the patient first chooses it on Welcome.

    The visit is moved through its own methods (the whole-visit tests tap instead); what
    matters here is what each screen looks like with real text on it.
    """
    app = QApplication.instance()
    assert app is not None

    def settle() -> QWidget:
        # Twice: a scroll area lays its page out again once its scroll bar has appeared
        # (the page is narrower then), in an event posted by the first layout.
        app.processEvents()
        app.processEvents()
        widget = window.stack.currentWidget()
        assert widget is not None
        return widget

    yield "welcome", settle()
    if language:
        window.welcome.language_chosen.emit(language)
        yield f"welcome-{language}", settle()
    window.welcome.start_button.click()
    visit = window.visit
    check_in = window.check_in
    assert visit is not None
    yield "details", settle()
    screens = window.screens
    assert screens is not None
    # The keyboard's accents: the letters that have them, then one letter's (o has most).
    screens.details.keyboard.show_accents()
    yield "details-accents", settle()
    screens.details.keyboard.show_accents_of("o")
    yield "details-letter-accents", settle()
    screens.details.keyboard.show_letters()
    check_in.enter_details("", "", "13/45/1900")
    yield "details-problems", settle()
    check_in.enter_details("Maximiliana-Guadalupe", "Fernández-Castellanos", "04/15/1968")
    for number, slide in enumerate(visit.content.slides, start=1):
        yield f"slide-{number:02d}-{slide.id}", settle()
        check_in.next_slide()
    yield "question", settle()
    check_in.answer(Answer.NOT_SURE)
    yield "question-flagged", settle()
    check_in.continue_after_answer()
    for _ in visit.content.questions[1:]:
        check_in.answer(Answer.NO)
    yield "review", settle()
    check_in.confirm_answers()
    yield "consent", settle()
    for statement in visit.content.consent_statements:
        check_in.acknowledge(statement.id)
    yield "consent-acknowledged", settle()
    if visit.typed_signature_allowed:
        # Where the clinic allows it: the name typed instead, and what a wrong one says.
        screens.consent.typing_button.click()
        yield "consent-typed", settle()
        check_in.sign_by_typing("Someone Else")
        yield "consent-typed-problem", settle()
        screens.consent.typing_button.click()
    from kiosk.signature import Signature

    check_in.sign(Signature((((10.0, 40.0), (60.0, 10.0), (120.0, 60.0)),), 600, 220))
    yield "ride-home", settle()
    check_in.enter_ride_home("", "12", "")
    yield "ride-home-problems", settle()
    check_in.no_ride_yet()
    yield "done-flagged", settle()
    screens.done.help_requested.emit()
    yield "help", settle().window()
    window.help_notice.hide()
    check_in.idle.countdown_left = check_in.timing.countdown_seconds
    window.asking.ask()
    yield "still-there", settle().window()
    window.still_there.hide()
    window.recover_from_unexpected_error()
    yield "problem", settle().window()
