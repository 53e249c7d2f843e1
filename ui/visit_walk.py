"""A patient's hands on the kiosk window: find what is on screen and tap it, as a person would.

Every tap, key and stroke is a real input event through Qt (QTest) on the widget a
person would touch, so the tests, the benchmarks and the screenshots run the same code a
visit does. Nothing here calls a screen's slots or the check-in service: a walk that
works is also proof the buttons are there, shown and enabled.

The on-screen keyboard is typed on one key at a time: the key showing now is found by
its label and clicked, changing page and pressing Shift only when a person would have to.
A signature is drawn with a finger (touch events) or the mouse.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QLocale, QPoint, Qt
from PySide6.QtGui import QGuiApplication, QInputDevice, QPointingDevice
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLineEdit, QPushButton, QWidget

from kiosk.content import Answer, Question, QuestionKind
from kiosk.visit import Step
from ui.interface_language import InterfaceLanguage
from ui.kiosk_window import KioskWindow
from ui.screens.patient_screen import answer_text
from ui.screens.question import QuestionScreen
from ui.screens.reminder import ReminderScreen
from ui.screens.slide import SlideScreen
from ui.screens.teach_back import TeachBackScreen
from ui.screens.teach_back_review import TeachBackReviewScreen
from ui.widgets.on_screen_keyboard import KeyboardPage, OnScreenKeyboard, accent_letter
from ui.widgets.signature_pad import SignaturePad

# The label of the key that brings up each page.
PAGE_KEYS = {KeyboardPage.LETTERS: "ABC", KeyboardPage.ACCENTS: "áéí", KeyboardPage.NUMBERS: "123"}

# Ana's details and who drives her home, unless a walk says otherwise.
PATIENT = ("Ana", "García", "04/15/1968")
RIDE_HOME = ("Luis", "(555) 201-3344", "husband")


class WalkError(AssertionError):
    """What a person would notice went wrong: a button missing, a field not taking words.

    An AssertionError, so a test that walks shows it as the failed check it is.
    """


# --- finding and tapping --------------------------------------------------------------------


def current(window: KioskWindow) -> QWidget:
    """The screen on show."""
    widget = window.stack.currentWidget()
    if widget is None:
        raise WalkError("the kiosk shows no screen")
    return widget


def visible_buttons(root: QWidget) -> list[QAbstractButton]:
    """Buttons a person can see right now."""
    return [b for b in root.findChildren(QAbstractButton) if b.isVisible()]


def button(root: QWidget, text: str) -> QAbstractButton:
    """The one visible button whose label (or accessible name) is `text`."""
    found = [b for b in visible_buttons(root) if text in (b.text(), b.accessibleName())]
    if len(found) != 1:
        raise WalkError(f"expected one visible button {text!r}, found {len(found)}")
    return found[0]


def click(widget: QWidget) -> None:
    """One tap (a left click) on `widget`; on a kiosk, then as long as the patient waits
    for the screen to change (`wait_for_flow`)."""
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)
    top = widget.window()
    if isinstance(top, KioskWindow):
        wait_for_flow(top)


def wait_for_flow(window: KioskWindow, timeout_seconds: float = 20) -> None:
    """Wait, as a patient does after Continue on their details, while the kiosk asks
    (off the screen's thread) whether they are expected back today."""
    waited = 0
    while window.visit is not None and window.check_in.finding_flow:
        if waited > timeout_seconds * 1000:
            raise WalkError("the details screen still waits for which visit to run")
        QTest.qWait(10)
        waited += 10


def tap(root: QWidget, text: str) -> None:
    """Tap the visible, enabled button labelled `text` under `root`."""
    target = button(root, text)
    if not target.isEnabled():
        raise WalkError(f"{text!r} is disabled")
    click(target)


def wait_while_saving(window: KioskWindow, timeout_seconds: float = 20) -> None:
    """Wait, as the patient does on Done, until the kiosk says where the visit went."""
    waited = 0
    while window.check_in.saving:
        if waited > timeout_seconds * 1000:
            raise WalkError("Done still says it is saving")
        QTest.qWait(10)
        waited += 10


def settle() -> None:
    """Let Qt do what its event loop would do between taps, including deferred deletes."""
    app = QApplication.instance()
    if app is None:
        raise WalkError("there is no QApplication")
    app.processEvents()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


# --- typing on the on-screen keyboard -------------------------------------------------------


def shift_label() -> str:
    """Shift's accessible name in the language the kiosk speaks now (a person reads it)."""
    return QCoreApplication.translate("OnScreenKeyboard", "Shift")


def tap_key(keyboard: OnScreenKeyboard, label: str) -> None:
    """Tap the key showing `label` (or with that accessible name) on the page showing now."""
    key = keyboard.key(label)
    if not key.isVisible():
        raise WalkError(f"the key {label!r} is not on screen; is the keyboard shown?")
    if not key.isEnabled():
        raise WalkError(f"the key {label!r} is disabled")
    click(key)


def tap_text(keyboard: OnScreenKeyboard, text: str) -> None:
    """Type `text` by tapping keys one at a time, switching page and using Shift as needed.

    A capital costs a Shift tap only when the keyboard is not already offering one (the
    first letter of an empty field is a capital by itself), and a lower-case first letter
    costs a Shift tap to turn that capital off. An accented letter takes "áéí", its
    letter, then the accented letter (which brings the letters back); digits, "/", "("
    and ")" come from the number pad; space, "-" and "'" from whichever page is showing
    if it has them.
    """
    for character in text:
        _tap_character(keyboard, character)


def _tap_character(keyboard: OnScreenKeyboard, character: str) -> None:
    letter = accent_letter(character)
    if letter is not None and not (
        keyboard.page() is KeyboardPage.LETTER_ACCENTS and keyboard.accents_showing() == letter
    ):
        if keyboard.page() is not KeyboardPage.ACCENTS:
            _go_to_page(keyboard, KeyboardPage.ACCENTS)
        # The letter's key shows the case Shift is in; either shows its accents.
        tap_key(keyboard, letter if _find(keyboard, letter) else letter.upper())
        if keyboard.page() is not KeyboardPage.LETTER_ACCENTS:
            raise WalkError(f"tapping {letter!r} on the accents page did not show its accents")
    elif letter is None and (not _showing(keyboard, character) or _on_an_accents_page(keyboard)):
        # (The letter keys of the accents page show accents; they type nothing.)
        _go_to_page(keyboard, _page_for(character))
    if character.isalpha() and _find(keyboard, character) is None:
        # The letter is there in the other case: Shift turns the capital on or off.
        tap_key(keyboard, shift_label())
    if _find(keyboard, character) is None:
        raise WalkError(f"no key types {character!r} on the {keyboard.page().value} page")
    tap_key(keyboard, character)


def _on_an_accents_page(keyboard: OnScreenKeyboard) -> bool:
    return keyboard.page() in (KeyboardPage.ACCENTS, KeyboardPage.LETTER_ACCENTS)


def _page_for(character: str) -> KeyboardPage:
    if character.isdigit() or character in "/()":
        return KeyboardPage.NUMBERS
    return KeyboardPage.LETTERS


def _go_to_page(keyboard: OnScreenKeyboard, page: KeyboardPage) -> None:
    if _find_key(keyboard, PAGE_KEYS[page]) is None:
        # One letter's accents lead back to the letters, not on to the numbers.
        tap_key(keyboard, PAGE_KEYS[KeyboardPage.LETTERS])
    tap_key(keyboard, PAGE_KEYS[page])
    if keyboard.page() is not page:
        raise WalkError(f"tapping {PAGE_KEYS[page]!r} did not show the {page} page")


def _showing(keyboard: OnScreenKeyboard, character: str) -> bool:
    """Whether the page showing now has a key for `character`, in either case."""
    return any(_find(keyboard, c) is not None for c in {character, character.swapcase()})


def _find_key(keyboard: OnScreenKeyboard, label: str) -> QPushButton | None:
    try:
        return keyboard.key(label)
    except LookupError:
        return None


def _find(keyboard: OnScreenKeyboard, character: str) -> QPushButton | None:
    """The key whose label is `character` (or that types it: " " is the Space key)."""
    key = _find_key(keyboard, character)
    # key() also matches accessible names; a character must be on the key itself.
    return key if key is not None and character in (key.text(), " ") else None


def fill(window: KioskWindow, field_name: str, text: str) -> None:
    """Tap a field on the screen on show, then type into it on the on-screen keyboard.

    "birth_date" takes a date written MM/DD/YYYY (as the walks write it) and enters it as
    the details screen asks: the day typed, the month tapped by its name, the year typed.
    """
    if field_name == "birth_date":
        fill_birth_date(window, text)
        return
    screen = current(window)
    field = screen.findChild(QLineEdit, f"{field_name}Field")
    if field is None:
        raise WalkError(f"no field {field_name} on {screen}")
    if not field.isVisible():
        raise WalkError(f"{field_name} is not visible on {screen}")
    click(field)
    keyboards = [k for k in screen.findChildren(OnScreenKeyboard) if k.isVisible()]
    if len(keyboards) != 1:
        raise WalkError(f"expected one on-screen keyboard on {screen}, found {len(keyboards)}")
    tap_text(keyboards[0], text)
    if field.text() != text:
        raise WalkError(f"typed {text!r}, the field shows {field.text()!r}")


def month_name(month: int) -> str:
    """A month's name on its button, in the language the kiosk speaks now."""
    name = InterfaceLanguage.locale().standaloneMonthName(month, QLocale.FormatType.LongFormat)
    return name[:1].upper() + name[1:]


def fill_birth_date(window: KioskWindow, born: str) -> None:
    """Enter a date written MM/DD/YYYY as a person does on the details screen: the day,
    the month by its name, then the year. A part that is not a number is typed as it is
    into the day (a test of what a wrong date does)."""
    parts = born.split("/")
    if len(parts) != 3 or not parts[0].isdigit() or not 1 <= int(parts[0]) <= 12:
        fill(window, "birth_day", born[:2])
        return
    month, day, year = parts
    fill(window, "birth_day", day)
    tap(current(window), month_name(int(month)))
    fill(window, "birth_year", year)


# --- drawing a signature --------------------------------------------------------------------

_touch_screen: QPointingDevice | None = None


def touch_screen() -> QPointingDevice:
    """The pretend touch screen, registered once per process (Qt keeps every device)."""
    global _touch_screen  # noqa: PLW0603
    if _touch_screen is None:
        _touch_screen = QTest.createTouchDevice(QInputDevice.DeviceType.TouchScreen)
    return _touch_screen


def draw_with_mouse(pad: QWidget, points: list[tuple[int, int]]) -> None:
    """Press the left button at the first point, drag through the rest, release at the last.

    Points are in the widget's own coordinates; each call draws one stroke.
    """
    _check_can_draw(pad, points)
    first, *rest = [QPoint(x, y) for x, y in points]
    no_modifier = Qt.KeyboardModifier.NoModifier
    QTest.mousePress(pad, Qt.MouseButton.LeftButton, no_modifier, first)
    # Qt 6's QTest remembers the pressed button, so these moves arrive with buttons() ==
    # LeftButton, as a real drag does (tests/ui/widgets/test_signature_pad.py checks it).
    for point in rest:
        QTest.mouseMove(pad, point)
    QTest.mouseRelease(pad, Qt.MouseButton.LeftButton, no_modifier, rest[-1] if rest else first)


def draw_with_touch(pad: QWidget, points: list[tuple[int, int]]) -> None:
    """Put one finger down at the first point, slide it through the rest, lift at the last."""
    _check_can_draw(pad, points)
    on_screen = pad.mapToGlobal(QPoint(*points[0]))
    # Seen under offscreen: a touch that starts off every screen (offscreen's is 800 × 800
    # unless configured) on a widget inside a window never arrives; the mouse still does.
    if QGuiApplication.screenAt(on_screen) is None:
        raise WalkError(
            f"the touch would start at {on_screen.toTuple()} on the desktop, off every screen "
            f"({[screen.geometry().getRect() for screen in QGuiApplication.screens()]}): "
            "make the window fit the screen or scroll the widget up"
        )
    device = touch_screen()
    first, *rest = [QPoint(x, y) for x, y in points]
    # Passing `pad` to press/move/release matters: without it PySide picks the QWindow
    # overload and reads the point as screen coordinates, which is 2 px off (the offscreen
    # window's frame) for a top-level pad and far off for a pad inside a screen.
    QTest.touchEvent(pad, device).press(0, first, pad).commit()
    for point in rest:
        QTest.touchEvent(pad, device).move(0, point, pad).commit()
    QTest.touchEvent(pad, device).release(0, rest[-1] if rest else first, pad).commit()


def _check_can_draw(pad: QWidget, points: list[tuple[int, int]]) -> None:
    # Qt routes pretend input like real input: a stroke that starts where the widget
    # cannot be touched goes to another widget, or nowhere, without a word. Fail loudly.
    if not points:
        raise WalkError("a stroke needs at least one point")
    if not pad.isVisible():
        raise WalkError("show the widget before drawing on it")
    if not QTest.qWaitForWindowExposed(pad.window()):
        raise WalkError("the window with the pad never came on screen")
    start = QPoint(*points[0])
    if not pad.visibleRegion().contains(start):
        raise WalkError(
            f"{start.toTuple()} is not in the visible part of {pad.objectName() or pad}: "
            "scroll it into view, or make the window big enough to show it"
        )


def sign(window: KioskWindow) -> None:
    """Draw a signature with a finger on the consent screen's pad, once Qt has done what
    it does between taps (the screen scrolls the pad into view after the last statement)."""
    settle()
    pad = current(window).findChild(SignaturePad)
    if pad is None:
        raise WalkError("there is no signature pad on the screen on show")
    draw_with_touch(pad, [(60, 120), (120, 80), (180, 150), (260, 90), (340, 140)])


# --- whole stretches of a visit -------------------------------------------------------------


def enter_details(window: KioskWindow, first: str, last: str, born: str) -> None:
    """From Welcome: Start, the patient's details typed, then Continue."""
    tap(current(window), "Start")
    fill(window, "first_name", first)
    fill(window, "last_name", last)
    fill(window, "birth_date", born)
    tap(current(window), "Continue")


def learn(
    window: KioskWindow,
    *,
    slides_again: bool = False,
    teach_back: dict[int, tuple[str, ...]] | None = None,
) -> None:
    """After the details: a returning patient's reminder (Continue, or "Show me the
    information again" with `slides_again`), then every slide shown, Next on each, then
    the teach-back questions (`answer_teach_back`)."""
    screen = current(window)
    if isinstance(screen, ReminderScreen):
        click(screen.again_button if slides_again else screen.continue_button)
    while isinstance(current(window), SlideScreen) and not isinstance(
        current(window), TeachBackReviewScreen
    ):
        tap(current(window), "Next")
    answer_teach_back(window, teach_back)


def answer_teach_back(
    window: KioskWindow, answers: dict[int, tuple[str, ...]] | None = None
) -> None:
    """Every teach-back question after the slides: `answers` maps a question's number
    (from 1) to the labels tapped in turn (the second after its slide is shown again and
    "Ask me again" tapped); every other gets its right answer."""
    visit = window.visit
    if visit is None:
        raise WalkError("there is no visit to answer")
    while isinstance(current(window), TeachBackScreen | TeachBackReviewScreen):
        if isinstance(current(window), TeachBackReviewScreen):
            tap(current(window), "Ask me again")
            continue
        question = visit.shown_teach_back_question
        given = (answers or {}).get(visit.teach_back_index + 1, ())
        given = given[1 if visit.teach_back_asked_again else 0 :]
        right = answer_text(question, str(question.right_answer))
        tap(current(window), given[0] if given else right)


def _calm_label(question: Question) -> str:
    """What a patient taps for an answer that raises no flag."""
    if question.kind is QuestionKind.YES_NO:
        return answer_text(question, Answer.NO)
    return next(c.text for c in question.choices if c.id not in question.flag_answers)


def answer_questions(window: KioskWindow, answers: dict[int, str] | None = None) -> None:
    """Every question this visit asks: `answers` maps a question's number (from 1) to the
    label tapped; every other gets the answer that raises no flag. A flagged answer must
    show the calm message, then Continue."""
    visit = window.visit
    if visit is None:
        raise WalkError("there is no visit to answer")
    for number, question in enumerate(visit.shown_questions, 1):
        choice = (answers or {}).get(number) or _calm_label(question)
        tap(current(window), choice)
        if visit.step is Step.QUESTIONS and visit.question_index == number - 1:
            screen = current(window)
            if not isinstance(screen, QuestionScreen) or not screen.calm_message.isVisible():
                raise WalkError(f"answering {choice!r} showed no calm message")
            if "talk with you" not in screen.calm_message.text():
                raise WalkError(f"the calm message reads {screen.calm_message.text()!r}")
            tap(screen, "Continue")


def reach_consent(window: KioskWindow, first: str, last: str, born: str) -> None:
    """From Welcome to the consent screen: details typed, every slide, every answer No."""
    enter_details(window, first, last, born)
    if window.visit is None:
        raise WalkError("Continue on the details did not start a visit")
    learn(window)
    answer_questions(window)
    tap(current(window), "I confirm these answers are correct")


def consent_and_ride_home(
    window: KioskWindow,
    *,
    ride: tuple[str, str, str] | None = RIDE_HOME,
    on_paper: bool = False,
) -> None:
    """From the consent screen: acknowledge every statement, sign (with a finger, or
    "Signed on paper" at the desk), then say who drives home (or that nobody does yet)."""
    if window.visit is None:
        raise WalkError("there is no visit to consent to")
    if window.visit.step is Step.CONSENT:
        for statement in window.visit.content.consent_statements:
            tap(current(window), statement.text)
        if on_paper:
            tap(current(window), "Signed on paper")
        else:
            sign(window)
            tap(current(window), "Sign and continue")
    if ride is None:
        tap(current(window), "I don't have a ride yet")
    else:
        fill(window, "driver_name", ride[0])
        fill(window, "phone", ride[1])
        fill(window, "relationship", ride[2])
        tap(current(window), "Continue")
    wait_while_saving(window)


def complete_visit(
    window: KioskWindow,
    *,
    first: str = PATIENT[0],
    last: str = PATIENT[1],
    born: str = PATIENT[2],
    answers: dict[int, str] | None = None,
    ride: tuple[str, str, str] | None = RIDE_HOME,
    talk_first: bool = False,
    until_saved: bool = True,
    slides_again: bool = False,
) -> None:
    """Tap through a whole visit from Welcome to the last screen, stored on the way.

    `answers` maps a question's number (from 1) to the label tapped; every other question
    gets the answer that raises no flag. `talk_first` stops at the review, asking to talk
    to someone first. With `until_saved` (and `talk_first`) the walk waits until Done
    says where it went. A returning patient's reminder is passed with Continue, or with
    "Show me the information again" (`slides_again`); where the clinic's rule keeps the
    last consent, the review leads straight to the ride home.
    """
    enter_details(window, first, last, born)
    if window.visit is None:
        raise WalkError("Continue on the details did not start a visit")
    learn(window, slides_again=slides_again)
    answer_questions(window, answers)
    tap(current(window), "I confirm these answers are correct")
    if talk_first:
        tap(current(window), "I'd like to talk to someone first")
        if until_saved:
            wait_while_saving(window)
        return
    consent_and_ride_home(window, ride=ride)
