"""The whole visit with a keyboard alone — Tab, Shift+Tab, Space, Enter and typed letters —
as a switch or screen-reader user goes through it (WCAG 2.1 AA), and touch unchanged."""

from __future__ import annotations

import dataclasses
import io
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QColor, QImage, QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from kiosk.database import Database
from kiosk.settings import Settings
from kiosk.station import Station
from kiosk.stored_visits import list_visits, load_visit
from kiosk.summary import build_summary
from kiosk.visit import KioskTiming, Step
from kiosk.visit_record import VisitRecord
from tests.ui.test_patient_display import contrast
from ui.kiosk_window import KioskWindow
from ui.lockdown import KioskLockdown
from ui.patient_display import PatientDisplay
from ui.screens.patient_screen import answer_text
from ui.visit_walk import current, fill, tap, tap_text, wait_for_flow
from ui.widgets.on_screen_keyboard import KeyboardPage, OnScreenKeyboard, accent_letter

NO_MODIFIER = Qt.KeyboardModifier.NoModifier


def open_kiosk(
    qtbot: QtBot, database: Database, settings: Settings, *, typed: bool, **timing: float
) -> KioskWindow:
    """A kiosk in portrait, active (it has the keyboard), with or without typed signatures."""
    window = KioskWindow(
        Station(database, "test-kiosk"),
        dataclasses.replace(settings, typed_signature=typed),
        timing=KioskTiming(**{"double_tap_guard_seconds": 0, "done_seconds": 60, **timing}),  # type: ignore[arg-type]
    )
    qtbot.addWidget(window)
    window.resize(1080, 1920)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    return window


def focused(window: KioskWindow) -> QWidget:
    """The widget the keyboard types into now."""
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard's focus"
    assert widget.window() is window
    return widget


def name_of(widget: QWidget) -> str:
    """What a person (or a screen reader) calls the widget."""
    if isinstance(widget, QAbstractButton):
        return widget.accessibleName() or widget.text()
    return widget.accessibleName()


def press(
    qtbot: QtBot, window: KioskWindow, key: Qt.Key, modifier: Qt.KeyboardModifier = NO_MODIFIER
) -> None:
    """One key, pressed and let go, where the focus is (then, after the details, as long
    as the kiosk asks which visit to run)."""
    qtbot.keyClick(focused(window), key, modifier)
    wait_for_flow(window)


def type_keys(qtbot: QtBot, window: KioskWindow, text: str) -> None:
    """Type on a hardware keyboard into the focused field (QTest types ASCII only)."""
    field = focused(window)
    assert isinstance(field, QLineEdit), f"typing into {name_of(field)!r}, not a field"
    qtbot.keyClicks(field, text)


def keys_birth_date(qtbot: QtBot, window: KioskWindow, day: str, month: str, year: str) -> None:
    """From the day's field: the day typed, the month chosen with Tab and Space, the year."""
    assert name_of(focused(window)) == "Day"
    type_keys(qtbot, window, day)
    tab_to(qtbot, window, month, limit=40)
    press(qtbot, window, Qt.Key.Key_Space)
    tab_to(qtbot, window, "Year", limit=40)
    type_keys(qtbot, window, year)


def tab_to(qtbot: QtBot, window: KioskWindow, name: str, *, limit: int = 25) -> None:
    """Press Tab until the control called `name` has the focus."""
    for _ in range(limit):
        if name_of(focused(window)) == name:
            return
        press(qtbot, window, Qt.Key.Key_Tab)
    pytest.fail(f"{limit} presses of Tab never reached {name!r}")


def tab_back_to(qtbot: QtBot, window: KioskWindow, name: str, *, limit: int = 25) -> None:
    """Press Shift+Tab until the control called `name` has the focus."""
    for _ in range(limit):
        if name_of(focused(window)) == name:
            return
        press(qtbot, window, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    pytest.fail(f"{limit} presses of Shift+Tab never reached {name!r}")


def tab_order(qtbot: QtBot, window: KioskWindow, presses: int) -> list[str]:
    """The names the focus passes through over `presses` presses of Tab."""
    seen = [name_of(focused(window))]
    for _ in range(presses):
        press(qtbot, window, Qt.Key.Key_Tab)
        seen.append(name_of(focused(window)))
    return seen


def stored(database: Database) -> list[VisitRecord]:
    with database.session() as session:
        records = [load_visit(session, v.id) for v in list_visits(session)]
    return [r for r in records if r is not None]


def step(window: KioskWindow) -> Step:
    assert window.visit is not None
    return window.visit.step


def keyboard_to_consent(qtbot: QtBot, window: KioskWindow, first: str, last: str) -> None:
    """From Welcome to the consent screen with keys alone; every answer No."""
    tab_to(qtbot, window, "Start")
    press(qtbot, window, Qt.Key.Key_Return)
    assert name_of(focused(window)) == "First name", "the details start at the first field"
    type_keys(qtbot, window, first)
    press(qtbot, window, Qt.Key.Key_Tab)
    type_keys(qtbot, window, last)
    press(qtbot, window, Qt.Key.Key_Tab)
    keys_birth_date(qtbot, window, "15", "April", "1968")
    press(qtbot, window, Qt.Key.Key_Tab)
    assert name_of(focused(window)) == "Continue"
    press(qtbot, window, Qt.Key.Key_Enter)  # the number pad's Enter works as well
    assert window.visit is not None
    for number in range(1, len(window.visit.content.slides) + 1):
        assert step(window) is Step.SLIDES
        assert window.visit.slide_index == number - 1
        # Each slide starts on Next: no tabbing through the top bar on every page.
        assert name_of(focused(window)) == "Next"
        press(qtbot, window, Qt.Key.Key_Space if number % 2 else Qt.Key.Key_Return)
    # Teach-back after the slides: each right answer reached with Tab, pressed with Space.
    while step(window) is Step.TEACH_BACK:
        question = window.visit.shown_teach_back_question
        tab_to(qtbot, window, answer_text(question, str(question.right_answer)))
        press(qtbot, window, Qt.Key.Key_Space)
    for _ in window.visit.questions:
        assert step(window) is Step.QUESTIONS
        assert name_of(focused(window)) == "Yes", "each question starts on its first answer"
        press(qtbot, window, Qt.Key.Key_Tab)
        assert name_of(focused(window)) == "No"
        press(qtbot, window, Qt.Key.Key_Space)
    assert step(window) is Step.REVIEW
    tab_to(qtbot, window, "I confirm these answers are correct")
    press(qtbot, window, Qt.Key.Key_Return)
    assert step(window) is Step.CONSENT


def acknowledge_with_keys(qtbot: QtBot, window: KioskWindow) -> None:
    """Each statement in turn: the focus moves on to the next one by itself."""
    assert window.visit is not None
    for n, statement in enumerate(window.visit.content.consent_statements):
        assert name_of(focused(window)) == statement.text
        press(qtbot, window, Qt.Key.Key_Space if n % 2 else Qt.Key.Key_Return)
    assert window.visit.all_acknowledged


def test_a_whole_visit_with_the_keyboard_alone_signed_by_typing_a_name(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    window = open_kiosk(qtbot, database, settings, typed=True)
    keyboard_to_consent(qtbot, window, "Maria", "Lopez")
    acknowledge_with_keys(qtbot, window)
    consent = current(window)
    # The pad needs a finger: a keyboard user lands on the typed name instead.
    assert name_of(focused(window)) == "Sign by typing my name instead"
    press(qtbot, window, Qt.Key.Key_Return)
    assert name_of(focused(window)) == "Your full name"
    assert not consent.pad.isVisible()  # type: ignore[attr-defined]
    type_keys(qtbot, window, "maria  LOPEZ")
    tab_to(qtbot, window, "Sign and continue")
    press(qtbot, window, Qt.Key.Key_Return)

    assert step(window) is Step.RIDE_HOME
    assert name_of(focused(window)) == "Their name"
    type_keys(qtbot, window, "Luis Lopez")
    press(qtbot, window, Qt.Key.Key_Tab)
    type_keys(qtbot, window, "(555) 201-3344")
    press(qtbot, window, Qt.Key.Key_Tab)
    type_keys(qtbot, window, "husband")
    with qtbot.waitSignal(window.visit_stored, timeout=5000):
        tab_to(qtbot, window, "Continue")
        press(qtbot, window, Qt.Key.Key_Return)
    assert name_of(focused(window)) == "Finish"
    with qtbot.waitSignal(window.visit_ended, timeout=5000):
        press(qtbot, window, Qt.Key.Key_Space)
    assert current(window) is window.welcome

    (record,) = stored(database)
    assert (record.first_name, record.last_name) == ("Maria", "Lopez")
    assert record.typed_signature == "maria LOPEZ"
    assert record.signed_name == "Maria Lopez"
    assert record.signature_png is None
    assert record.ride.driver_name == "Luis Lopez"
    pdf = build_summary(record, zone=ZoneInfo("America/Chicago"))
    text = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert "Signed by typing their name: maria LOPEZ" in text


def test_shift_tab_goes_back_and_focus_goes_round_the_screen(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    window = open_kiosk(qtbot, database, settings, typed=True)
    tab_to(qtbot, window, "Start")
    press(qtbot, window, Qt.Key.Key_Space)
    # A patient with letter keys of their own: Tab passes the screen's keys by.
    type_keys(qtbot, window, "A")
    # Fields, then Continue, then the top bar, then round again: what a person reads.
    months = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
    assert tab_order(qtbot, window, 21) == [
        "First name",
        "Last name",
        "Day",
        *months,
        "Year",
        "Continue",
        "Back",
        "Larger text",
        "High contrast",
        "Ask for help",
        "First name",
    ]
    press(qtbot, window, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert name_of(focused(window)) == "Ask for help"
    press(qtbot, window, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert name_of(focused(window)) == "High contrast"
    # Enter on Back goes back; the same patient is still using keys on Welcome.
    tab_to(qtbot, window, "Back")
    press(qtbot, window, Qt.Key.Key_Return)
    assert current(window) is window.welcome
    assert name_of(focused(window)) == "Start"


def key_on_screen(window: KioskWindow, name: str) -> QWidget:
    """The shown on-screen key a screen reader calls `name`."""
    screen = current(window)
    keys = [
        key
        for keyboard in screen.findChildren(OnScreenKeyboard)
        for key in keyboard.page_keys()
        if key.isVisible() and key.accessibleName() == name
    ]
    assert len(keys) == 1, f"expected one key {name!r} on screen, found {len(keys)}"
    return keys[0]


def shown_keyboard(window: KioskWindow) -> OnScreenKeyboard:
    """The on-screen keyboard on show."""
    return next(k for k in current(window).findChildren(OnScreenKeyboard) if k.isVisible())


def switch_type(qtbot: QtBot, window: KioskWindow, text: str) -> None:
    """Type `text` on the screen's own keys with Tab, Shift+Tab and Space alone.

    An accented letter is "Accented letters", its letter, then the accented letter,
    which brings the letters back.
    """
    for character in text:
        keyboard = shown_keyboard(window)
        letter = accent_letter(character)
        if letter is not None:
            switch_press(qtbot, window, "Accented letters")
            switch_press(qtbot, window, letter)
        elif character.isalpha() and keyboard.page() is not KeyboardPage.LETTERS:
            switch_press(qtbot, window, "Letters")
        # A letter key is called by its small letter whatever case it types (Shift does
        # not rename every key); these names start with a capital by themselves.
        switch_press(qtbot, window, SPOKEN.get(character, character.lower()))


# What a screen reader calls the keys that are not letters or digits.
SPOKEN = {"/": "Slash", "-": "Hyphen", "'": "Apostrophe", " ": "Space"}


def switch_press(qtbot: QtBot, window: KioskWindow, name: str) -> None:
    """Move to the key called `name` with Tab (or Shift+Tab, if it is behind) and press it."""
    target = key_on_screen(window, name)
    order = shown_keyboard(window).page_keys()
    for _ in range(60):
        here = focused(window)
        if here is target:
            press(qtbot, window, Qt.Key.Key_Space)
            return
        behind = here in order and order.index(here) > order.index(target)
        press(
            qtbot,
            window,
            Qt.Key.Key_Tab,
            Qt.KeyboardModifier.ShiftModifier if behind else NO_MODIFIER,
        )
    pytest.fail(f"Tab never reached the key {name!r}")


def test_a_switch_user_types_their_name_with_accents_on_the_screens_keys(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    """Tab, Shift+Tab, Space and Enter only: no letter key of their own."""
    window = open_kiosk(qtbot, database, settings, typed=False)
    tab_to(qtbot, window, "Start")
    press(qtbot, window, Qt.Key.Key_Return)
    assert name_of(focused(window)) == "First name"
    # The screen's keys come right after the field they type into.
    press(qtbot, window, Qt.Key.Key_Tab)
    assert focused(window) is key_on_screen(window, "q")
    switch_type(qtbot, window, "José")
    # Enter in a field goes on to the next one; from the keys, Tab goes on past them.
    tab_to(qtbot, window, "Last name", limit=40)
    switch_type(qtbot, window, "Núñez")
    fields = current(window).form.fields  # type: ignore[attr-defined]
    assert (fields["first_name"].text(), fields["last_name"].text()) == ("José", "Núñez")
    # The key pressed last keeps the focus: the patient goes on from there.
    assert focused(window) is key_on_screen(window, "z")
    tab_to(qtbot, window, "Day", limit=40)
    switch_type(qtbot, window, "15")
    tab_to(qtbot, window, "April", limit=40)
    press(qtbot, window, Qt.Key.Key_Space)
    tab_to(qtbot, window, "Year", limit=40)
    switch_type(qtbot, window, "1968")
    tab_to(qtbot, window, "Continue", limit=40)
    press(qtbot, window, Qt.Key.Key_Return)
    assert step(window) is Step.SLIDES
    assert window.visit is not None
    assert window.visit.details is not None
    assert window.visit.details.full_name == "José Núñez"
    assert window.visit.details.date_of_birth.isoformat() == "1968-04-15"


def test_enter_in_a_field_goes_on_and_from_the_last_one_continues(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    window = open_kiosk(qtbot, database, settings, typed=False)
    tab_to(qtbot, window, "Start")
    press(qtbot, window, Qt.Key.Key_Return)
    type_keys(qtbot, window, "Ana")
    press(qtbot, window, Qt.Key.Key_Return)
    assert name_of(focused(window)) == "Last name"
    type_keys(qtbot, window, "Lee")
    press(qtbot, window, Qt.Key.Key_Enter)
    assert name_of(focused(window)) == "Day"
    type_keys(qtbot, window, "15")
    # Enter goes on to the next field: the year (the month is chosen by name, with Tab).
    press(qtbot, window, Qt.Key.Key_Return)
    assert name_of(focused(window)) == "Year"
    # Enter in the last field is Continue: a missing month is said, and its field kept.
    press(qtbot, window, Qt.Key.Key_Return)
    assert "Please choose the month you were born." in current(window).problem.text()  # type: ignore[attr-defined]
    assert name_of(focused(window)) == "Year"
    type_keys(qtbot, window, "1968")
    press(qtbot, window, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    tab_back_to(qtbot, window, "April")
    press(qtbot, window, Qt.Key.Key_Space)
    tab_to(qtbot, window, "Year")
    press(qtbot, window, Qt.Key.Key_Return)
    assert step(window) is Step.SLIDES


def test_letters_typed_on_a_real_keyboard_while_a_screen_key_has_the_focus_are_kept(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    window = open_kiosk(qtbot, database, settings, typed=False)
    tab_to(qtbot, window, "Start")
    press(qtbot, window, Qt.Key.Key_Return)
    press(qtbot, window, Qt.Key.Key_Tab)  # from the empty field onto the screen's "Q"
    assert focused(window) is key_on_screen(window, "q")
    qtbot.keyClicks(focused(window), "Anna")
    qtbot.keyClick(focused(window), Qt.Key.Key_Backspace)
    fields = current(window).form.fields  # type: ignore[attr-defined]
    assert fields["first_name"].text() == "Ann"
    assert focused(window) is fields["first_name"]
    # A real keyboard: Tab goes to the next field, not through the screen's keys.
    press(qtbot, window, Qt.Key.Key_Tab)
    assert name_of(focused(window)) == "Last name"


def test_enter_held_down_in_a_field_goes_on_only_once(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    window = open_kiosk(qtbot, database, settings, typed=False)
    tab_to(qtbot, window, "Start")
    press(qtbot, window, Qt.Key.Key_Return)
    type_keys(qtbot, window, "Ana")
    press(qtbot, window, Qt.Key.Key_Return)
    assert name_of(focused(window)) == "Last name"
    for _ in range(5):  # what the keyboard sends while Enter stays down
        held = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Return, NO_MODIFIER, "\r", autorep=True)
        QApplication.sendEvent(focused(window), held)
    assert name_of(focused(window)) == "Last name"
    assert step(window) is Step.DETAILS


def test_a_problem_takes_the_keyboard_to_the_field_to_fix(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    window = open_kiosk(qtbot, database, settings, typed=False)
    tab_to(qtbot, window, "Start")
    press(qtbot, window, Qt.Key.Key_Return)
    type_keys(qtbot, window, "Ana")
    press(qtbot, window, Qt.Key.Key_Tab)
    type_keys(qtbot, window, "Lee")
    tab_to(qtbot, window, "Continue")
    press(qtbot, window, Qt.Key.Key_Return)
    assert "Please enter your date of birth." in current(window).problem.text()  # type: ignore[attr-defined]
    assert name_of(focused(window)) == "Day"


def test_a_typed_name_that_is_not_the_patients_is_refused_in_plain_words(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    window = open_kiosk(qtbot, database, settings, typed=True)
    keyboard_to_consent(qtbot, window, "Ana", "Lee")
    acknowledge_with_keys(qtbot, window)
    press(qtbot, window, Qt.Key.Key_Return)  # "Sign by typing my name instead"
    type_keys(qtbot, window, "Maria Lopez")
    tab_to(qtbot, window, "Sign and continue")
    press(qtbot, window, Qt.Key.Key_Return)
    consent = current(window)
    problem = consent.typed.problem  # type: ignore[attr-defined]
    assert problem.isVisible()
    assert "not the name you entered at the start" in problem.text()
    assert step(window) is Step.CONSENT
    assert window.visit is not None
    assert window.visit.consent is None
    # Back in the field to put it right.
    field = focused(window)
    assert name_of(field) == "Your full name"
    assert isinstance(field, QLineEdit)
    field.selectAll()
    type_keys(qtbot, window, "ana lee")
    tab_to(qtbot, window, "Sign and continue")
    press(qtbot, window, Qt.Key.Key_Return)
    assert step(window) is Step.RIDE_HOME
    assert window.visit.consent is not None
    assert window.visit.consent.typed_name == "ana lee"


def test_without_typed_signatures_the_pad_says_to_ask_the_front_desk(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    window = open_kiosk(qtbot, database, settings, typed=False)
    keyboard_to_consent(qtbot, window, "Ana", "Lee")
    consent = current(window)
    words = consent.cannot_sign  # type: ignore[attr-defined]
    assert words.isVisible()
    assert "If you cannot sign on the screen, please ask at the front desk" in words.text()
    assert not [
        b for b in consent.findChildren(QAbstractButton) if "typing" in b.text() and b.isVisible()
    ]
    acknowledge_with_keys(qtbot, window)
    pad = focused(window)
    assert pad is consent.pad  # type: ignore[attr-defined]
    assert "ask at the front desk" in pad.accessibleDescription()
    # "Ask for help" right beside the pad, not only in the top bar.
    press(qtbot, window, Qt.Key.Key_Tab)
    assert name_of(focused(window)) == "Clear the signature"
    press(qtbot, window, Qt.Key.Key_Tab)
    help_here = focused(window)
    assert name_of(help_here) == "Ask the front desk for help with signing"
    press(qtbot, window, Qt.Key.Key_Return)
    assert window.help_notice.isVisible()
    assert name_of(focused(window)) == "OK"
    press(qtbot, window, Qt.Key.Key_Return)
    assert not window.help_notice.isVisible()
    assert focused(window) is help_here, "the focus goes back where it was"
    assert step(window) is Step.CONSENT


def test_are_you_still_there_is_answered_with_keys_and_keeps_them(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    window = open_kiosk(
        qtbot, database, settings, typed=False, timeout_seconds=1, countdown_seconds=30
    )
    tab_to(qtbot, window, "Start")
    press(qtbot, window, Qt.Key.Key_Return)
    type_keys(qtbot, window, "Ana")
    field = focused(window)
    qtbot.waitUntil(window.still_there.isVisible, timeout=3000)
    assert name_of(focused(window)) == "Yes, continue"
    assert tab_order(qtbot, window, 2) == ["Yes, continue", "I need more time", "Yes, continue"]
    press(qtbot, window, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert name_of(focused(window)) == "I need more time"
    press(qtbot, window, Qt.Key.Key_Space)
    assert not window.still_there.isVisible()
    assert focused(window) is field
    assert window.idle_timer.interval() == 3000


def test_a_notice_keeps_the_keys_until_it_is_answered(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    window = open_kiosk(qtbot, database, settings, typed=False)
    tap(current(window), "Start")  # a finger first: the field has the focus
    field = focused(window)
    tap(current(window), "Ask for help")
    assert window.help_notice.isVisible()
    # No outline after a tap: the focus is on the notice's words, for a screen reader.
    assert focused(window) is window.help_notice.text
    press(qtbot, window, Qt.Key.Key_Tab)  # keys now: they go to the notice, not under it
    assert name_of(focused(window)) == "OK"
    press(qtbot, window, Qt.Key.Key_Tab)
    assert name_of(focused(window)) == "OK", "Tab stays on the notice"
    press(qtbot, window, Qt.Key.Key_Return)
    assert not window.help_notice.isVisible()
    assert focused(window) is field


def test_taps_never_take_the_focus_from_the_field_being_typed_in(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    window = open_kiosk(qtbot, database, settings, typed=False)
    tap(current(window), "Start")
    fill(window, "first_name", "Ana")
    field = focused(window)
    assert name_of(field) == "First name"
    for control in ("Larger text", "High contrast", "Continue"):
        tap(current(window), control)
        assert focused(window) is field, f"tapping {control!r} took the focus"
    tap_text(current(window).keyboard, "b")  # type: ignore[attr-defined]
    assert field.text() == "Anab"  # type: ignore[attr-defined]
    assert focused(window) is field
    # Every touch button, the keyboard's keys included, is reached by Tab but never by
    # a tap.
    buttons = current(window).findChildren(QAbstractButton)
    assert len(buttons) > 30
    assert all(b.focusPolicy() == Qt.FocusPolicy.TabFocus for b in buttons)


def test_a_finger_sees_no_focus_outline_on_a_new_screen(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    window = open_kiosk(qtbot, database, settings, typed=False)
    assert not isinstance(QApplication.focusWidget(), QAbstractButton)
    tap(current(window), "Start")
    fill(window, "first_name", "Ana")
    fill(window, "last_name", "Lee")
    fill(window, "birth_date", "04/15/1968")
    tap(current(window), "Continue")
    assert step(window) is Step.SLIDES
    # The screen's title (a label, which draws no outline), for a screen reader to say.
    assert focused(window) is current(window).title  # type: ignore[attr-defined]


def test_lock_down_leaves_tab_space_and_enter_to_the_patient(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    window = open_kiosk(qtbot, database, settings, typed=False)
    # The lock-down's key filter (what swallows keys), on the window as it is: the full
    # screen itself only changes the window's flags.
    KioskLockdown(window)
    try:
        tab_to(qtbot, window, "Start")
        press(qtbot, window, Qt.Key.Key_Space)
        assert step(window) is Step.DETAILS
        press(qtbot, window, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
        assert name_of(focused(window)) == "Ask for help"
        press(qtbot, window, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
        assert window.help_notice.isVisible()
        press(qtbot, window, Qt.Key.Key_Return)
        assert not window.help_notice.isVisible()
    finally:
        window.leaving_allowed = True


def _pixel(image: QImage, widget: QWidget, window: QWidget, x: int, y: int) -> QColor:
    at = widget.mapTo(window, QPoint(x, y))
    return image.pixelColor(at)


@pytest.mark.parametrize("high_contrast", [False, True], ids=["kiosk theme", "high contrast"])
def test_the_focus_outline_stands_out_in_both_themes(
    qtbot: QtBot, database: Database, settings: Settings, high_contrast: bool
) -> None:
    window = open_kiosk(qtbot, database, settings, typed=False)
    window.show_display(PatientDisplay(high_contrast=high_contrast))
    for name in ("Start", "Larger text"):  # a primary button and a plain one
        tab_to(qtbot, window, name)
        assert_focus_stands_out(qtbot, window)
    # A key of the screen's keyboard, for a patient who types on them with Tab and Space.
    tab_to(qtbot, window, "Start")
    press(qtbot, window, Qt.Key.Key_Space)
    press(qtbot, window, Qt.Key.Key_Tab)
    assert name_of(focused(window)) == "q"
    assert_focus_stands_out(qtbot, window)


def assert_focus_stands_out(qtbot: QtBot, window: KioskWindow) -> None:
    """The focused control's edge is 3:1 against what is outside and inside it."""
    control = focused(window)
    name = name_of(control)
    qtbot.wait(10)  # one turn of the event loop: Qt repaints the focused look
    image = window.grab().toImage()
    middle = control.height() // 2
    edge = _pixel(image, control, window, 2, middle)
    outside = _pixel(image, control, window, -6, middle)
    inside = _pixel(image, control, window, 12, middle)
    assert contrast(edge, outside) >= 3, (name, edge.name(), outside.name())
    assert contrast(edge, inside) >= 3, (name, edge.name(), inside.name())
    # The focused look is not the button's own: Tab away and it is back to normal.
    press(qtbot, window, Qt.Key.Key_Tab)
    qtbot.wait(10)
    image = window.grab().toImage()
    assert _pixel(image, control, window, 12, middle) != inside, name
