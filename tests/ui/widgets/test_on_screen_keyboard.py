"""The on-screen keyboard: what it types, how big its keys are, and where focus stays."""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtCore import QCoreApplication, QRegularExpression, Qt, QTranslator
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from kiosk.database import Database
from kiosk.settings import Settings
from kiosk.station import Station
from kiosk.visit import KioskTiming
from ui.kiosk_window import KioskWindow
from ui.visit_walk import current, fill, tap, tap_key, tap_text
from ui.widgets.on_screen_keyboard import (
    LETTER_ACCENTS,
    LETTER_ROWS,
    KeyboardPage,
    OnScreenKeyboard,
    accent_letter,
    capital,
)

PAGES = list(KeyboardPage)
# The smallest comfortable fingertip target, in pixels (not the module's constant, so
# that lowering that constant fails here).
KEY_MIN_SIZE = 60
# Room a label needs inside its key: the style's border and a little air either side.
LABEL_PADDING = 8


@dataclass
class Form:
    """A window with one field and the keyboard under it, as a screen lays them out."""

    window: QWidget
    field: QLineEdit
    keyboard: OnScreenKeyboard


@pytest.fixture
def form(qtbot: QtBot) -> Form:
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    field = QLineEdit()
    keyboard = OnScreenKeyboard()
    layout.addWidget(field)
    layout.addWidget(keyboard)
    keyboard.set_target(field)
    window.resize(1080, 700)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    return Form(window, field, keyboard)


def show_page(keyboard: OnScreenKeyboard, page: KeyboardPage) -> None:
    {
        KeyboardPage.LETTERS: keyboard.show_letters,
        KeyboardPage.ACCENTS: keyboard.show_accents,
        # The letter with the most accents.
        KeyboardPage.LETTER_ACCENTS: lambda: keyboard.show_accents_of("o"),
        KeyboardPage.NUMBERS: keyboard.show_numbers,
    }[page]()
    assert keyboard.page() is page


def visible_keys(keyboard: OnScreenKeyboard) -> list[QPushButton]:
    """Every button a person can see on the keyboard right now."""
    return [b for b in keyboard.findChildren(QPushButton) if b.isVisible()]


def shift_taps(keyboard: OnScreenKeyboard) -> list[bool]:
    """Record every tap on a Shift key, on any page."""
    taps: list[bool] = []
    for button in keyboard.findChildren(QPushButton):
        if button.accessibleName() == "Shift":
            button.clicked.connect(lambda: taps.append(True))
    return taps


# -- typing --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "María José O'Brien-Núñez",
        "François Müller-Ångström",
        "de la Cruz",
        "JoAnn McDonald",
    ],
)
def test_names_with_capitals_hyphens_apostrophes_and_accents_type_exactly(
    qtbot: QtBot, form: Form, name: str
) -> None:
    tap_text(form.keyboard, name)

    assert form.field.text() == name


# Polish, Romanian, Hungarian, Czech and Turkish names: Latin Extended-A (and ș, ț).
NAMES_FROM_ACROSS_EUROPE = [
    "Łukasz Wróblewski",
    "Ștefan Țurcanu",
    "Ödön Győző",
    "Jiří Dvořák",
    "Ayşe Yıldırım",
]


def taps_allowed(name: str) -> int:
    """A tap a character; an accented letter two more ("áéí", then its letter), a capital
    after the first letter one more (Shift)."""
    accented = sum(1 for c in name if accent_letter(c))
    later_capitals = sum(1 for c in name[1:] if c.isupper())
    return len(name) + 2 * accented + later_capitals


@pytest.mark.parametrize("name", NAMES_FROM_ACROSS_EUROPE)
def test_names_from_across_europe_take_taps_alone_and_few_of_them(
    qtbot: QtBot, form: Form, name: str
) -> None:
    taps: list[bool] = []
    form.keyboard.key_tapped.connect(lambda: taps.append(True))

    tap_text(form.keyboard, name)

    assert form.field.text() == name
    assert len(taps) <= taps_allowed(name)
    assert form.keyboard.page() is KeyboardPage.LETTERS


def test_the_first_letter_of_an_empty_field_is_a_capital_without_shift(
    qtbot: QtBot, form: Form
) -> None:
    taps = shift_taps(form.keyboard)

    tap_text(form.keyboard, "Ana")

    assert form.field.text() == "Ana"
    assert taps == []


def test_shift_gives_one_capital_then_lower_case_again(qtbot: QtBot, form: Form) -> None:
    form.field.setText("Mc")
    keyboard = form.keyboard
    assert not keyboard.is_shifted()

    tap_key(keyboard, "Shift")
    assert keyboard.is_shifted()
    assert keyboard.key("Shift").isChecked()
    tap_key(keyboard, "D")
    tap_key(keyboard, "o")

    assert form.field.text() == "McDo"
    assert not keyboard.key("Shift").isChecked()


def test_letter_keys_show_the_case_they_will_type(qtbot: QtBot, form: Form) -> None:
    keyboard = form.keyboard
    assert keyboard.key("Q").text() == "Q"
    with pytest.raises(LookupError):
        keyboard.key("q")

    tap_key(keyboard, "Q")

    assert keyboard.key("u").text() == "u"
    assert keyboard.key("u").accessibleName() == "u"
    with pytest.raises(LookupError):
        keyboard.key("U")


def test_shift_turns_the_automatic_capital_off_for_a_lower_case_first_letter(
    qtbot: QtBot, form: Form
) -> None:
    tap_key(form.keyboard, "Shift")
    tap_key(form.keyboard, "d")
    tap_key(form.keyboard, "e")

    assert form.field.text() == "de"


def test_the_automatic_capital_comes_back_when_the_field_is_emptied(
    qtbot: QtBot, form: Form
) -> None:
    tap_text(form.keyboard, "Li")
    tap_key(form.keyboard, "⌫")
    tap_key(form.keyboard, "⌫")
    assert form.keyboard.is_shifted()

    tap_key(form.keyboard, "E")

    assert form.field.text() == "E"


def test_text_set_from_elsewhere_takes_the_automatic_capital_away(form: Form) -> None:
    assert form.keyboard.is_shifted()

    form.field.setText("Jo")

    assert not form.keyboard.is_shifted()


def test_an_accented_letter_is_its_letter_then_its_accent_and_the_letters_come_back(
    qtbot: QtBot, form: Form
) -> None:
    form.field.setText("x")
    tap_key(form.keyboard, "áéí")
    assert form.keyboard.page() is KeyboardPage.ACCENTS
    tap_key(form.keyboard, "Shift")
    tap_key(form.keyboard, "N")
    assert form.keyboard.page() is KeyboardPage.LETTER_ACCENTS

    tap_key(form.keyboard, "Ñ")
    assert form.keyboard.page() is KeyboardPage.LETTERS
    tap_key(form.keyboard, "a")
    tap_key(form.keyboard, "áéí")
    tap_key(form.keyboard, "c")
    tap_key(form.keyboard, "ç")

    assert form.field.text() == "xÑaç"
    assert not form.keyboard.is_shifted()


def test_another_letters_accents_are_one_tap_back(qtbot: QtBot, form: Form) -> None:
    form.field.setText("x")
    tap_key(form.keyboard, "áéí")
    tap_key(form.keyboard, "a")
    assert form.keyboard.page() is KeyboardPage.LETTER_ACCENTS

    tap_key(form.keyboard, "áéí")  # not that one: the letters with accents again
    tap_key(form.keyboard, "o")
    tap_key(form.keyboard, "ő")

    assert form.field.text() == "xő"


def test_a_refused_accented_letter_stays_on_its_accents(qtbot: QtBot, form: Form) -> None:
    form.field.setMaxLength(1)
    form.field.setText("x")
    form.keyboard.show_accents_of("e")

    tap_key(form.keyboard, "é")

    assert form.field.text() == "x"
    assert form.keyboard.page() is KeyboardPage.LETTER_ACCENTS


def test_backspace_deletes_before_the_cursor(qtbot: QtBot, form: Form) -> None:
    tap_text(form.keyboard, "Anna")
    form.field.setCursorPosition(2)

    tap_key(form.keyboard, "⌫")

    assert form.field.text() == "Ana"
    assert form.field.cursorPosition() == 1


def test_keys_type_at_the_cursor(qtbot: QtBot, form: Form) -> None:
    form.field.setText("Jon")
    form.field.setCursorPosition(2)

    tap_key(form.keyboard, "h")

    assert form.field.text() == "John"


def test_clear_empties_the_field_and_can_be_undone(qtbot: QtBot, form: Form) -> None:
    tap_text(form.keyboard, "Ana Ruiz")
    form.field.setCursorPosition(3)

    tap_key(form.keyboard, "Clear")

    assert form.field.text() == ""
    form.field.undo()
    assert form.field.text() == "Ana Ruiz"


@pytest.mark.parametrize("page", PAGES)
def test_backspace_and_clear_work_on_every_page(
    qtbot: QtBot, form: Form, page: KeyboardPage
) -> None:
    form.field.setText("04/15")
    show_page(form.keyboard, page)

    tap_key(form.keyboard, "Backspace")
    assert form.field.text() == "04/1"
    tap_key(form.keyboard, "Clear")
    assert form.field.text() == ""


def test_every_edit_emits_text_edited_as_typing_would(qtbot: QtBot, form: Form) -> None:
    edits: list[str] = []
    form.field.textEdited.connect(edits.append)

    tap_text(form.keyboard, "Bo")
    tap_key(form.keyboard, "⌫")
    tap_key(form.keyboard, "Clear")

    assert edits == ["B", "Bo", "B", ""]


@pytest.mark.parametrize("text", ["04/15/1968", "(555) 201-3344"])
def test_the_number_page_types_dates_and_phone_numbers(qtbot: QtBot, form: Form, text: str) -> None:
    tap_text(form.keyboard, text)

    assert form.field.text() == text
    assert form.keyboard.page() is KeyboardPage.NUMBERS


def test_the_field_keeps_its_maximum_length(qtbot: QtBot, form: Form) -> None:
    form.field.setMaxLength(3)

    tap_text(form.keyboard, "Ann")
    tap_key(form.keyboard, "a")

    assert form.field.text() == "Ann"


def test_a_refused_capital_leaves_shift_on(qtbot: QtBot, form: Form) -> None:
    form.field.setMaxLength(3)
    form.field.setText("Ann")
    tap_key(form.keyboard, "Shift")

    tap_key(form.keyboard, "B")

    assert form.field.text() == "Ann"
    assert form.keyboard.is_shifted()


def test_the_field_keeps_its_validator(qtbot: QtBot, form: Form) -> None:
    form.field.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9/]*")))
    tap_text(form.keyboard, "04/")
    tap_key(form.keyboard, "ABC")

    tap_key(form.keyboard, "x")

    assert form.field.text() == "04/"


def test_a_read_only_or_missing_target_is_not_typed_into(qtbot: QtBot, form: Form) -> None:
    form.field.setText("Ana")
    form.field.setReadOnly(True)
    tap_key(form.keyboard, "b")
    tap_key(form.keyboard, "Clear")
    assert form.field.text() == "Ana"

    form.field.setReadOnly(False)
    form.keyboard.set_target(None)
    tap_key(form.keyboard, "b")
    assert form.field.text() == "Ana"
    assert form.keyboard.target() is None


def test_a_new_target_gets_the_typing(qtbot: QtBot, form: Form) -> None:
    other = QLineEdit(form.window)
    other.setText("Luis")
    form.keyboard.set_target(other)

    tap_text(form.keyboard, " García")

    assert other.text() == "Luis García"
    assert form.field.text() == ""
    form.field.setText("old")
    form.field.setText("")  # emptying the old field must not switch on a capital
    assert not form.keyboard.is_shifted()


def test_a_deleted_target_is_forgotten(qtbot: QtBot, form: Form) -> None:
    doomed = QLineEdit(form.window)
    form.keyboard.set_target(doomed)
    doomed.deleteLater()
    qtbot.waitUntil(lambda: form.keyboard.target() is None)

    tap_key(form.keyboard, "A")  # must not touch the deleted line edit

    form.keyboard.set_target(form.field)
    tap_key(form.keyboard, "B")
    assert form.field.text() == "B"


# -- pages ---------------------------------------------------------------------------------


def test_page_keys_switch_pages_and_say_so(qtbot: QtBot, form: Form) -> None:
    pages: list[str] = []
    form.keyboard.page_changed.connect(pages.append)
    assert form.keyboard.page() is KeyboardPage.LETTERS

    tap_key(form.keyboard, "123")
    tap_key(form.keyboard, "áéí")
    tap_key(form.keyboard, "ABC")
    form.keyboard.show_numbers()
    form.keyboard.show_accents()
    form.keyboard.show_letters()
    form.keyboard.show_letters()

    assert pages == ["numbers", "accents", "letters", "numbers", "accents", "letters"]


def labels_on(keyboard: OnScreenKeyboard, page: KeyboardPage) -> set[str]:
    show_page(keyboard, page)
    return {b.text() for b in visible_keys(keyboard)}


def test_the_letters_page_has_every_letter_and_the_name_keys(form: Form) -> None:
    form.field.setText("x")  # lower case showing

    labels = labels_on(form.keyboard, KeyboardPage.LETTERS)

    assert set("".join(LETTER_ROWS)) == set("abcdefghijklmnopqrstuvwxyz")
    assert set("abcdefghijklmnopqrstuvwxyz") | {"-", "'", "Space", "⇧ Shift"} <= labels
    assert {"123", "áéí"} <= labels


def test_the_accents_page_has_each_letter_with_accents_where_the_letter_page_has_it(
    form: Form,
) -> None:
    form.field.setText("x")
    keyboard = form.keyboard
    places = {c: keyboard.key(c).geometry() for c in "abcdefghijklmnopqrstuvwxyz"}

    labels = labels_on(keyboard, KeyboardPage.ACCENTS)

    assert labels == set(LETTER_ACCENTS) | {"⌫", "⇧ Shift", "123", "ABC", "Clear"}
    for letter in LETTER_ACCENTS:
        assert keyboard.key(letter).geometry() == places[letter], letter
    assert [h.text() for h in keyboard.findChildren(QLabel, "keyboardHint") if h.isVisible()] == [
        "Tap a letter to see it with its accents"
    ]


@pytest.mark.parametrize("letter", sorted(LETTER_ACCENTS))
def test_a_letters_accents_show_in_the_case_shift_says(form: Form, letter: str) -> None:
    form.field.setText("x")
    keyboard = form.keyboard

    keyboard.show_accents_of(letter)
    small = {b.text() for b in visible_keys(keyboard)}
    keyboard.key("Shift").click()
    capitals = {b.text() for b in visible_keys(keyboard)}

    assert set(LETTER_ACCENTS[letter]) <= small
    assert {capital(a) for a in LETTER_ACCENTS[letter]} <= capitals
    assert {"⌫", "⇧ Shift", "ABC", "áéí", "Clear"} <= small


LATIN_LETTERS = [
    chr(code)
    for code in [*range(0xC0, 0x180), 0x218, 0x219, 0x21A, 0x21B]
    if unicodedata.category(chr(code)).startswith("L")
]


def test_every_letter_of_latin_1_and_latin_extended_a_can_be_typed(
    qtbot: QtBot, form: Form
) -> None:
    """Including Romanian's ș and ț (Latin Extended-B), and both Turkish i's."""
    assert len(LATIN_LETTERS) == 62 + 128 + 4
    form.field.setMaxLength(1000)
    form.field.setText("x")

    tap_text(form.keyboard, "".join(LATIN_LETTERS))

    assert form.field.text() == "x" + "".join(LATIN_LETTERS)
    assert all(accent_letter(c) for c in LATIN_LETTERS)


def test_the_turkish_is_and_the_letters_without_a_capital_of_their_own(
    qtbot: QtBot, form: Form
) -> None:
    form.field.setText("x")
    form.keyboard.show_accents_of("i")
    assert "ı" in {b.text() for b in visible_keys(form.keyboard)}
    tap_key(form.keyboard, "Shift")
    capitals = {b.text() for b in visible_keys(form.keyboard)}

    # ı's capital is the plain I; the key of ı gives İ (the capital of i) instead.
    assert "İ" in capitals
    assert "I" not in capitals
    form.keyboard.show_accents_of("s")
    assert "ß" in {b.text() for b in visible_keys(form.keyboard)}  # not "SS"


def test_the_number_page_is_a_phone_pad_with_date_and_phone_symbols(form: Form) -> None:
    keyboard = form.keyboard
    labels = labels_on(keyboard, KeyboardPage.NUMBERS)

    assert set("0123456789/-()") | {"Space", "ABC", "áéí"} <= labels
    centres = {d: keyboard.key(d).geometry().center() for d in "1234567890"}
    for row in ("123", "456", "789"):
        ys = {centres[d].y() for d in row}
        assert len(ys) == 1, f"{row} is not one row"
        assert centres[row[0]].x() < centres[row[1]].x() < centres[row[2]].x()
    assert centres["1"].y() < centres["4"].y() < centres["7"].y() < centres["0"].y()
    assert centres["0"].x() == centres["8"].x()


@pytest.mark.parametrize("page", PAGES)
def test_every_page_has_backspace_and_clear(form: Form, page: KeyboardPage) -> None:
    show_page(form.keyboard, page)

    backspace = form.keyboard.key("Backspace")
    clear = form.keyboard.key("Clear")

    assert backspace.text() == "⌫"
    assert backspace.isVisible()
    assert clear.text() == "Clear"
    assert clear.isVisible()


# -- keys: size, names, focus, style -------------------------------------------------------


@pytest.fixture(params=["kiosk-style", "no-style"])
def style(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    """The kiosk's style sheet (from conftest), or none: the keys must hold up either way."""
    kept = qapp.styleSheet()
    if request.param == "no-style":
        qapp.setStyleSheet("")
    yield request.param
    qapp.setStyleSheet(kept)


WIDTHS = (1080, 1280)
# 1 asks for the smallest height the keyboard allows: the worst case for key height.
HEIGHTS = (1, 600)


def shown_keyboard(qtbot: QtBot, width: int, height: int, page: KeyboardPage) -> OnScreenKeyboard:
    """A keyboard alone in a window of that size, showing `page`."""
    keyboard = OnScreenKeyboard()
    qtbot.addWidget(keyboard)
    show_page(keyboard, page)
    keyboard.resize(width, height)
    keyboard.show()
    qtbot.waitExposed(keyboard)
    assert keyboard.width() == width
    assert set(visible_keys(keyboard)) == set(keyboard.page_keys())
    return keyboard


@pytest.mark.usefixtures("style")
def test_every_key_is_at_least_60_by_60(qtbot: QtBot) -> None:
    small = []
    for width, height, page in itertools.product(WIDTHS, HEIGHTS, PAGES):
        keyboard = shown_keyboard(qtbot, width, height, page)
        keys = keyboard.page_keys()
        assert len(keys) >= 15
        small += [
            (width, height, b.text(), b.width(), b.height())
            for b in keys
            if b.width() < KEY_MIN_SIZE or b.height() < KEY_MIN_SIZE
        ]
        keyboard.close()

    assert small == []


@pytest.mark.usefixtures("style")
def test_no_key_label_is_clipped(qtbot: QtBot) -> None:
    clipped = []
    for width, height, page in itertools.product(WIDTHS, HEIGHTS, PAGES):
        keyboard = shown_keyboard(qtbot, width, height, page)
        for button in keyboard.page_keys():
            metrics = button.fontMetrics()
            if (
                metrics.horizontalAdvance(button.text()) > button.width() - 2 * LABEL_PADDING
                or metrics.height() > button.height() - 2 * LABEL_PADDING
            ):
                clipped.append((width, height, button.text()))
        keyboard.close()

    assert clipped == []


@pytest.fixture
def unstyled(qapp: QApplication) -> Iterator[None]:
    """No application style sheet for one test (the kiosk's sets the keys' font)."""
    style = qapp.styleSheet()
    qapp.setStyleSheet("")
    yield
    qapp.setStyleSheet(style)


@pytest.mark.usefixtures("unstyled")
def test_labels_also_fit_with_a_large_font(qtbot: QtBot) -> None:
    keyboard = OnScreenKeyboard()
    qtbot.addWidget(keyboard)
    # 34 px is larger than the kiosk style's own key font.
    font = keyboard.font()
    font.setPixelSize(34)
    keyboard.setFont(font)
    keyboard.resize(1080, 1)
    keyboard.show()
    qtbot.waitExposed(keyboard)

    clipped = []
    for page in PAGES:
        show_page(keyboard, page)
        for button in visible_keys(keyboard):
            metrics = button.fontMetrics()
            assert metrics.height() > 34
            if metrics.horizontalAdvance(button.text()) > button.width() - 2 * LABEL_PADDING:
                clipped.append(button.text())

    assert clipped == []


@pytest.mark.parametrize("page", PAGES)
def test_every_key_says_what_it_is(form: Form, page: KeyboardPage) -> None:
    show_page(form.keyboard, page)

    for button in visible_keys(form.keyboard):
        assert button.accessibleName(), f"{button.text()!r} has no accessible name"
        if len(button.text()) == 1 and button.text().isalnum():
            # A letter is called by its small letter, whichever case it types now.
            assert button.text() in (button.accessibleName(), capital(button.accessibleName()))
        assert form.keyboard.key(button.text()) is button
    names = {b.accessibleName() for b in visible_keys(form.keyboard)}
    assert {"Backspace", "Clear"} <= names
    if page in (KeyboardPage.LETTERS, KeyboardPage.NUMBERS):
        assert "Space" in names
    if page is not KeyboardPage.NUMBERS:
        assert "Shift" in names


@pytest.mark.parametrize("page", PAGES)
def test_keys_are_named_for_the_style_sheet_and_taken_out_of_tabs_way_on_request(
    form: Form, page: KeyboardPage
) -> None:
    show_page(form.keyboard, page)
    special = {"Shift", "Backspace", "Clear", "Letters", "Accented letters", "Numbers"}

    for button in visible_keys(form.keyboard):
        expected = "keyboardKeySpecial" if button.accessibleName() in special else "keyboardKey"
        assert button.objectName() == expected, button.accessibleName()
        assert button.minimumWidth() >= KEY_MIN_SIZE
        assert button.minimumHeight() >= KEY_MIN_SIZE
        # Tab reaches a key (a switch user types on them); a tap never takes the focus.
        assert button.focusPolicy() is Qt.FocusPolicy.TabFocus
    form.keyboard.set_reachable_by_tab(False)
    for button in visible_keys(form.keyboard):
        assert button.focusPolicy() is Qt.FocusPolicy.NoFocus
        assert button.styleSheet() == ""
    assert form.keyboard.styleSheet() == ""


def test_the_field_keeps_focus_through_every_kind_of_tap(qtbot: QtBot, form: Form) -> None:
    keys = ["Shift", "Shift", "K", "123", "4", "áéí", "u", "ü", " ", "-", "⌫", "Clear"]

    for label in keys:
        tap_key(form.keyboard, label)
        assert form.field.hasFocus(), f"focus left the field after {label!r}"
    assert form.keyboard.page() is KeyboardPage.LETTERS


def test_a_tap_gives_focus_back_to_the_target(qtbot: QtBot, form: Form) -> None:
    elsewhere = QLineEdit(form.window)
    elsewhere.show()
    elsewhere.setFocus()
    qtbot.waitUntil(elsewhere.hasFocus)

    tap_key(form.keyboard, "A")

    assert form.field.hasFocus()
    assert form.field.text() == "A"
    assert elsewhere.text() == ""


def test_every_tap_is_announced_without_what_was_typed(qtbot: QtBot, form: Form) -> None:
    announced: list[tuple[object, ...]] = []
    form.keyboard.key_tapped.connect(lambda *args: announced.append(args))

    tap_text(form.keyboard, "Al")
    tap_key(form.keyboard, "123")
    form.keyboard.show_letters()  # not a tap

    assert announced == [(), (), ()]


# -- translation ---------------------------------------------------------------------------


class Bracketing(QTranslator):
    """A translator that puts the keyboard's strings in brackets, to see they are translated."""

    def translate(
        self,
        context: str,
        source_text: str,
        disambiguation: str | None = None,
        n: int = -1,
    ) -> str:
        return f"[{source_text}]" if context == "OnScreenKeyboard" else ""

    def isEmpty(self) -> bool:  # noqa: N802 - Qt's name
        return False


@pytest.fixture
def bracketing(qapp: QApplication) -> Iterator[QTranslator]:
    translator = Bracketing()
    yield translator
    QCoreApplication.removeTranslator(translator)


def test_labels_are_translated_and_follow_a_language_change(
    qtbot: QtBot, form: Form, bracketing: QTranslator
) -> None:
    form.field.setText("x")
    QCoreApplication.installTranslator(bracketing)
    clear = form.keyboard.key("Clear")

    qtbot.waitUntil(lambda: clear.text() == "[Clear]")

    assert form.keyboard.key("[Backspace]").text() == "[⌫]"
    assert form.keyboard.key("[123]").accessibleName() == "[Numbers]"
    assert form.keyboard.key("a").text() == "a"  # letters are not translated
    assert form.keyboard.key("[Space]") is form.keyboard.key(" ")
    fresh = OnScreenKeyboard()
    qtbot.addWidget(fresh)
    assert fresh.key("[Shift]").text() == "[⇧ Shift]"


def test_a_patient_types_a_polish_name_on_the_kiosk_and_it_is_kept_as_typed(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    kiosk = KioskWindow(
        Station(database, "k"), settings, timing=KioskTiming(double_tap_guard_seconds=0)
    )
    qtbot.addWidget(kiosk)
    kiosk.resize(1280, 800)
    kiosk.show()
    tap(current(kiosk), "Start")
    fill(kiosk, "first_name", "Łukasz")
    fill(kiosk, "last_name", "Wróblewski")
    fill(kiosk, "birth_date", "04/15/1968")
    tap(current(kiosk), "Continue")

    assert kiosk.visit is not None
    assert kiosk.visit.details is not None
    assert kiosk.visit.details.full_name == "Łukasz Wróblewski"


def test_shift_changes_what_the_letter_keys_show_not_what_they_are_called(form: Form) -> None:
    """Renaming every key at each Shift flooded a screen reader: the names stay put."""
    keyboard = form.keyboard
    names = [key.accessibleName() for key in keyboard.page_keys()]
    assert keyboard.key("Q").text() == "Q"  # an empty field starts with a capital

    tap_key(keyboard, "Shift")

    assert keyboard.key("q").text() == "q"
    assert [key.accessibleName() for key in keyboard.page_keys()] == names
    assert "q" in names
    assert "Q" not in names
