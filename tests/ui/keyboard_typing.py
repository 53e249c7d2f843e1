"""Type on the kiosk's on-screen keyboard the way a patient does: one tap per key.

`tap_text` never calls the keyboard's own methods to type or switch pages: it finds the
key showing now by its label and clicks it, changing page and pressing Shift only when a
person would have to, so a test that types with it also tests that the keys are there.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from ui.widgets.on_screen_keyboard import KeyboardPage, OnScreenKeyboard, accent_letter

# The label of the key that brings up each page.
PAGE_KEYS = {KeyboardPage.LETTERS: "ABC", KeyboardPage.ACCENTS: "áéí", KeyboardPage.NUMBERS: "123"}


def shift_label() -> str:
    """Shift's accessible name in the language the kiosk speaks now (a person reads it)."""
    return QCoreApplication.translate("OnScreenKeyboard", "Shift")


def tap_text(qtbot: QtBot, keyboard: OnScreenKeyboard, text: str) -> None:
    """Type `text` by tapping keys one at a time, switching page and using Shift as needed.

    A capital costs a Shift tap only when the keyboard is not already offering one (the
    first letter of an empty field is a capital by itself), and a lower-case first letter
    costs a Shift tap to turn that capital off. An accented letter takes "áéí", its
    letter, then the accented letter (which brings the letters back); digits, "/", "("
    and ")" come from the number pad; space, "-" and "'" from whichever page is showing
    if it has them.
    """
    for character in text:
        _tap_character(qtbot, keyboard, character)


def tap_key(qtbot: QtBot, keyboard: OnScreenKeyboard, label: str) -> None:
    """Tap the key showing `label` (or with that accessible name) on the page showing now."""
    button = keyboard.key(label)
    assert button.isVisible(), f"the key {label!r} is not on screen; is the keyboard shown?"
    assert button.isEnabled(), f"the key {label!r} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # type: ignore[no-untyped-call]  # untyped in pytest-qt


def _tap_character(qtbot: QtBot, keyboard: OnScreenKeyboard, character: str) -> None:
    letter = accent_letter(character)
    if letter is not None and not (
        keyboard.page() is KeyboardPage.LETTER_ACCENTS and keyboard.accents_showing() == letter
    ):
        if keyboard.page() is not KeyboardPage.ACCENTS:
            _go_to_page(qtbot, keyboard, KeyboardPage.ACCENTS)
        # The letter's key shows the case Shift is in; either shows its accents.
        tap_key(qtbot, keyboard, letter if _find(keyboard, letter) else letter.upper())
        assert keyboard.page() is KeyboardPage.LETTER_ACCENTS
    elif letter is None and (not _showing(keyboard, character) or _on_an_accents_page(keyboard)):
        # (The letter keys of the accents page show accents; they type nothing.)
        _go_to_page(qtbot, keyboard, _page_for(character))
    if character.isalpha() and _find(keyboard, character) is None:
        # The letter is there in the other case: Shift turns the capital on or off.
        tap_key(qtbot, keyboard, shift_label())
    assert _find(keyboard, character) is not None, (
        f"no key types {character!r} on the {keyboard.page().value} page"
    )
    tap_key(qtbot, keyboard, character)


def _on_an_accents_page(keyboard: OnScreenKeyboard) -> bool:
    return keyboard.page() in (KeyboardPage.ACCENTS, KeyboardPage.LETTER_ACCENTS)


def _page_for(character: str) -> KeyboardPage:
    if character.isdigit() or character in "/()":
        return KeyboardPage.NUMBERS
    return KeyboardPage.LETTERS


def _go_to_page(qtbot: QtBot, keyboard: OnScreenKeyboard, page: KeyboardPage) -> None:
    if _find_key(keyboard, PAGE_KEYS[page]) is None:
        # One letter's accents lead back to the letters, not on to the numbers.
        tap_key(qtbot, keyboard, PAGE_KEYS[KeyboardPage.LETTERS])
    tap_key(qtbot, keyboard, PAGE_KEYS[page])
    assert keyboard.page() is page, f"tapping {PAGE_KEYS[page]!r} did not show the {page} page"


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
    try:
        button = keyboard.key(character)
    except LookupError:
        return None
    # key() also matches accessible names; a character must be on the key itself.
    return button if character in (button.text(), " ") else None
