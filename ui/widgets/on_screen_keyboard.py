"""The kiosk's own on-screen keyboard: names, dates and phone numbers typed with a finger.

Qt Virtual Keyboard is GPL and does not run offscreen, so the kiosk draws its own: pages
of large keys (letters, accented letters, a number pad) that type into one `QLineEdit`
through the line edit's own editing, so its cursor, maximum length, validator and undo
all keep working and it emits `textEdited` as if a person had typed.

Accented letters are found by their letter: "áéí" shows the letters that have accents,
where they are on the letter page, and tapping one (L) shows that letter with each of
its accents (Ł Ľ Ĺ Ļ Ŀ) as big keys; tapping one types it and the letters come back. So
every letter of Latin-1 and Latin Extended-A (and Romanian's ș and ț) is three taps
away, in two steps a person can see: no hidden long press, and no page of a hundred
small keys to search.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

import shiboken6
from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QStyle,
    QStyleOptionButton,
    QStylePainter,
    QVBoxLayout,
    QWidget,
)

from kiosk.overriding import override
from ui.plain_text import escape_ampersands, plain_label

KEY_MIN_SIZE = 60
"""The smallest a key may get, in pixels, either way: a comfortable fingertip target."""
KEY_PREFERRED_HEIGHT = 76
"""How tall a key would like to be, when the screen has the room."""
_ROWS = 4

LETTER_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
LETTER_ACCENTS: dict[str, str] = {
    "a": "áàâäãåąăāæ",
    "c": "çćčĉċ",
    "d": "đďð",
    "e": "éèêëęěėēĕ",
    "g": "ğģĝġ",
    "h": "ħĥ",
    "i": "íìîïıįīĩĭĳ",
    "j": "ĵĳ",
    "k": "ķĸ",
    "l": "łľĺļŀ",
    "n": "ñńňņŋŉ",
    "o": "óöôòõøőōŏœ",
    "p": "þ",
    "r": "řŕŗ",
    "s": "šśşșßŝſ",
    "t": "țţťŧþ",
    "u": "úüûùůűūųũŭ",
    "w": "ŵ",
    "y": "ýÿŷ",
    "z": "žźż",
}
"""Each letter's accented forms (in small letters), most used in names first: every
letter of Latin-1 and Latin Extended-A, and Romanian's ș and ț. A few are under two
letters, where a person might look for either (þ under p and t, ĳ under i and j)."""
_MOST_ACCENTS = 12
"""Room on the page of one letter's accents (the most any letter has is 10)."""


def capital(letter: str) -> str:
    """The capital an accented key types after Shift.

    Letters whose capital is two letters (ß, ŉ) or none (ĸ), or whose capital is the
    plain letter's (ſ), type themselves. Turkish pairs its i's the other way round:
    ı's capital is the plain I, so that key gives İ, the capital of i.
    """
    if letter == "ı":
        return "İ"
    upper = letter.upper()
    plain = next((base for base, accents in LETTER_ACCENTS.items() if letter in accents), "")
    return upper if len(upper) == 1 and upper != plain.upper() else letter


def accent_letter(accented: str) -> str | None:
    """The letter under which `accented` (either case) is found, or None."""
    for base, accents in LETTER_ACCENTS.items():
        if accented in accents or accented in {capital(a) for a in accents}:
            return base
    return None


# The letter pages are laid out on a grid of half-key columns so that rows can be offset
# by half a key, as on a real keyboard; a normal key spans two of them. QGridLayout only
# puts spacing between two columns where some row has a key edge (or a gap) there, so
# every page needs its middle row offset by half a key, or keys come out uneven.
_HALF_COLUMNS = 22
# Gaps between keys: 12 px keeps shaky fingers off the neighbouring key (WCAG's spacing
# for targets) where the screen is tall enough; a short tablet gets 8 px so the fields
# above the keyboard still show.
ROOMY_GAP = 12
TIGHT_GAP = 8
ROOMY_WINDOW_HEIGHT = 1000


# Events after which the keys may look different: drawn again rather than from the cache.
_NEW_LOOK = frozenset(
    {
        QEvent.Type.StyleChange,
        QEvent.Type.FontChange,
        QEvent.Type.PaletteChange,
        QEvent.Type.ParentChange,
    }
)


def gap_for(screen_height: int) -> int:
    """The gap between targets on a screen this tall."""
    return ROOMY_GAP if screen_height >= ROOMY_WINDOW_HEIGHT else TIGHT_GAP


class KeyboardPage(StrEnum):
    """The keyboard's pages; the value is what `page_changed` carries."""

    LETTERS = "letters"
    ACCENTS = "accents"
    """The letters that have accents, each showing `LETTER_ACCENTS` for its letter."""
    LETTER_ACCENTS = "letterAccents"
    """One letter with each of its accents (see `show_accents_of`)."""
    NUMBERS = "numbers"


class _Role(StrEnum):
    """What a key does; also set as the key's `keyRole` property for the style sheet."""

    LETTER = "letter"
    ACCENTED_LETTERS = "accentedLetters"
    """Shows one letter's accents."""
    ACCENTED = "accented"
    """Types one accented letter."""
    CHARACTER = "character"
    SPACE = "space"
    SHIFT = "shift"
    BACKSPACE = "backspace"
    CLEAR = "clear"
    TO_LETTERS = "toLetters"
    TO_ACCENTS = "toAccents"
    TO_NUMBERS = "toNumbers"


_SPECIAL_ROLES = frozenset(
    {
        _Role.SHIFT,
        _Role.BACKSPACE,
        _Role.CLEAR,
        _Role.TO_LETTERS,
        _Role.TO_ACCENTS,
        _Role.TO_NUMBERS,
    }
)


class KeyPictures:
    """Keys as drawn, by name, up to a number of bytes; the least recently shown go first.

    Not Qt's own pixmap cache: the rest of the kiosk fills its 10 MB during a visit, and
    the ride home's keyboard was drawn again every visit."""

    def __init__(self, most_bytes: int) -> None:
        self._most_bytes = most_bytes
        self._bytes = 0
        self._pictures: OrderedDict[str, QPixmap] = OrderedDict()

    def get(self, name: str) -> QPixmap | None:
        """The picture kept under `name`, if any."""
        picture = self._pictures.get(name)
        if picture is not None:
            self._pictures.move_to_end(name)
        return picture

    def keep(self, name: str, picture: QPixmap) -> None:
        """Keep `picture` under `name`, letting the least recently shown go if need be."""
        self._pictures[name] = picture
        self._bytes += _size_of(picture)
        while self._bytes > self._most_bytes and len(self._pictures) > 1:
            _, gone = self._pictures.popitem(last=False)
            self._bytes -= _size_of(gone)

    def clear(self) -> None:
        """Forget every picture."""
        self._pictures.clear()
        self._bytes = 0


def _size_of(picture: QPixmap) -> int:
    return picture.width() * picture.height() * picture.depth() // 8


KEY_PICTURES = KeyPictures(most_bytes=6 * 1024 * 1024)
"""Every keyboard's keys at rest, as drawn: a visit's keyboards in portrait need about
4 MB (each page in both cases, Shift on and off)."""


class KeyButton(QPushButton):
    """A key whose label can show the case it types without renaming it.

    `QPushButton.setText` tells a screen reader the button's name changed even when its
    accessible name did not: with Shift relabelling every letter, that was a hundred
    announcements a press. `show_label` only repaints.

    A key is drawn once per look (its size, label, state, font and the style sheets it
    is under) and then painted from `KEY_PICTURES`, which every keyboard of the
    process shares: the details screen's keyboard is a new one each visit, and drawing
    its 33 keys through the style sheet (rounded borders, text shaped anew) was a third
    of painting the screen, inside the Start tap.
    """

    def __init__(self, look: Callable[[], str] = lambda: "") -> None:
        super().__init__()
        self._label = ""
        self._look = look

    def show_label(self, label: str) -> None:
        """Show `label` on the key (its accessible name stays as it is)."""
        if label != self._label:
            self._label = label
            self.update()

    @override
    def text(self) -> str:
        """What the key shows."""
        return self._label or super().text()

    @override
    def paintEvent(self, event: QPaintEvent) -> None:
        """Drawn as a push button is, with the label shown."""
        option = QStyleOptionButton()
        self.initStyleOption(option)
        if self._label:
            option.text = self._label
        if option.state & QStyle.StateFlag.State_Sunken:
            # Pressed, under a finger: drawn while it rests, and not kept, so the pictures
            # kept are those of a keyboard at rest (half as many).
            QStylePainter(self).drawControl(QStyle.ControlElement.CE_PushButton, option)
            return
        ratio = self.devicePixelRatioF()
        name = (
            f"keyboardKey|{self._look()}|{self.objectName()}|{self.property('keyRole')}"
            f"|{option.rect.width()}x{option.rect.height()}@{ratio}|{int(option.state.value)}"
            f"|{int(option.features.value)}|{self.font().key()}|{option.text}"
        )
        picture = KEY_PICTURES.get(name)
        if picture is None:
            picture = QPixmap(option.rect.size() * ratio)
            picture.setDevicePixelRatio(ratio)
            picture.fill(Qt.GlobalColor.transparent)
            drawing = QPainter(picture)
            self.style().drawControl(QStyle.ControlElement.CE_PushButton, option, drawing, self)
            drawing.end()
            KEY_PICTURES.keep(name, picture)
        QPainter(self).drawPixmap(0, 0, picture)


@dataclass(frozen=True)
class _Key:
    """One key on one page."""

    button: KeyButton
    role: _Role
    base: str = ""
    """What a character key types; letters are kept in lower case."""
    place: int = -1
    """For a key of one letter's accents: which of them it types (`LETTER_ACCENTS`)."""


class OnScreenKeyboard(QWidget):
    """A touch keyboard that types into one line edit, set with `set_target`.

    The letter pages capitalise one letter after Shift, and the first letter of an empty
    field without Shift, since the kiosk mostly asks for names; letter keys show the case
    they will type. A tap never gives a key the focus, so the line edit keeps its cursor;
    a tap on a key also gives the line edit focus back if something else took it.

    For a patient with Tab, Space and Enter alone (a switch), Tab reaches the keys, right
    after the field they type into (`follows_in_tab_order`), and Space or Enter types;
    the focus then stays on the keys. Once the patient types on a keyboard with letters
    of its own, `set_reachable_by_tab(False)` takes the keys out of Tab's way.

    Keys are `QPushButton`s named `keyboardKey` (they type something, or show a letter's
    accents) or `keyboardKeySpecial` (Shift, Backspace, Clear, page switches), with a
    `keyRole` property for finer styling; Shift is checkable and checked while a capital
    is next. The accents pages say in words what to tap (`keyboardHint`).

    Signals:
        page_changed(str): another page is showing; carries its `KeyboardPage` value.
        key_tapped: a key was tapped and has done its work. It carries nothing, so
            nothing typed (a patient's name, birth date) can leak into a log through it.
    """

    page_changed = Signal(str)
    key_tapped = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("onScreenKeyboard")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._target: QLineEdit | None = None
        self._shift = False
        # Whether the capital is only there because the field is empty; such a capital
        # goes away as soon as the field gets text from anywhere, not just from a key.
        self._shift_is_automatic = False
        self._keys: dict[KeyboardPage, list[_Key]] = {page: [] for page in KeyboardPage}
        self._building = KeyboardPage.LETTERS
        self._key_focus = Qt.FocusPolicy.TabFocus
        # The letter whose accents the LETTER_ACCENTS page shows.
        self._accents_of = "a"
        self._hints: dict[KeyboardPage, QLabel] = {}
        # What the keys' pictures depend on beyond each key: see `_look`.
        self._look_name: str | None = None

        self._stack = QStackedWidget()
        self._stack.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._pages: dict[KeyboardPage, QWidget] = {
            KeyboardPage.LETTERS: self._build_letters(),
            KeyboardPage.ACCENTS: self._build_accents(),
            KeyboardPage.LETTER_ACCENTS: self._build_letter_accents(),
            KeyboardPage.NUMBERS: self._build_numbers(),
        }
        for page in KeyboardPage:
            self._stack.addWidget(self._pages[page])
        self._outer = QVBoxLayout(self)
        self._outer.addWidget(self._stack)
        self.set_key_gap(ROOMY_GAP)

        self._retranslate()

    # -- public API ----------------------------------------------------------------------

    def set_target(self, line_edit: QLineEdit | None) -> None:
        """Type into `line_edit` from now on; None makes the keys type nowhere."""
        if line_edit is self._target:
            return
        old = self._live_target()
        if old is not None:
            old.textChanged.disconnect(self._on_target_text_changed)
            old.destroyed.disconnect(self._on_target_destroyed)
        self._target = line_edit
        if line_edit is not None:
            line_edit.textChanged.connect(self._on_target_text_changed)
            line_edit.destroyed.connect(self._on_target_destroyed)
        empty = line_edit is not None and not line_edit.text()
        self._set_shift(empty, automatic=empty)

    def target(self) -> QLineEdit | None:
        """The line edit the keys type into, if any."""
        return self._live_target()

    def follows_in_tab_order(self) -> QWidget | None:
        """Tab comes to the keys right after the field they type into (keyboard_access)."""
        return self._live_target()

    def set_reachable_by_tab(self, reachable: bool) -> None:
        """Whether Tab stops on the keys (not for a patient with letter keys of their own)."""
        self._key_focus = Qt.FocusPolicy.TabFocus if reachable else Qt.FocusPolicy.NoFocus
        for keys in self._keys.values():
            for key in keys:
                key.button.setFocusPolicy(self._key_focus)
        if not reachable and self._has_focus_on_a_key():
            self._keep_focus_on_target()

    def show_letters(self) -> None:
        """Show the a–z page."""
        self._show_page(KeyboardPage.LETTERS)

    def show_accents(self) -> None:
        """Show the letters that have accents (tapping one shows its accents)."""
        self._show_page(KeyboardPage.ACCENTS)

    def show_accents_of(self, letter: str) -> None:
        """Show `letter` (one of `LETTER_ACCENTS`, either case) with each of its accents."""
        if letter.lower() not in LETTER_ACCENTS:
            raise ValueError(f"{letter!r} has no accents on this keyboard")
        self._accents_of = letter.lower()
        self._show_case()
        self._show_page(KeyboardPage.LETTER_ACCENTS)

    def accents_showing(self) -> str:
        """The letter whose accents the `LETTER_ACCENTS` page shows (lower case)."""
        return self._accents_of

    def show_numbers(self) -> None:
        """Show the number pad (digits and the symbols of dates and phone numbers)."""
        self._show_page(KeyboardPage.NUMBERS)

    def page(self) -> KeyboardPage:
        """The page showing now."""
        # The pages were added to the stack in the enum's order.
        return list(KeyboardPage)[self._stack.currentIndex()]

    def is_shifted(self) -> bool:
        """Whether the next letter typed will be a capital."""
        return self._shift

    def page_keys(self) -> list[QPushButton]:
        """Every key on the page showing now (a letter with few accents leaves places empty)."""
        return [key.button for key in self._keys[self.page()] if not key.button.isHidden()]

    def key(self, text: str) -> QPushButton:
        """The key on the page showing now whose label, accessible name or typed text is `text`.

        For example `key("a")`, `key("⌫")`, `key("Backspace")`, `key(" ")` or `key("123")`.
        Letter keys show the case they will type, so `key("a")` is not found while the
        next letter is a capital (the field is empty, or Shift is on); then it is `key("A")`.

        Raises:
            LookupError: no key on this page matches.
        """
        for key in self._keys[self.page()]:
            if key.button.isHidden():
                continue
            # A letter key is found by the case it types (its name is always small).
            named = key.role not in (_Role.LETTER, _Role.ACCENTED_LETTERS, _Role.ACCENTED)
            said = key.button.accessibleName() if named else ""
            if text and text in (key.button.text(), said, self._types(key)):
                return key.button
        hint = ""
        if len(text) == 1 and text.isalpha() and text != text.swapcase():
            hint = " (letter keys show the case they type: tap Shift to change it)"
        raise LookupError(f"no key {text!r} on the {self.page().value} page{hint}")

    def set_key_gap(self, pixels: int) -> None:
        """Space between keys (and around them)."""
        self.key_gap = pixels
        self._outer.setContentsMargins(pixels, pixels, pixels, pixels)
        for page in self._pages.values():
            grid = page.layout()
            if isinstance(grid, QGridLayout):
                grid.setSpacing(pixels)
        self.updateGeometry()

    # -- Qt overrides ----------------------------------------------------------------------

    @override
    def sizeHint(self) -> QSize:
        """Room for keys a little taller than the minimum, where the screen has it."""
        hint = super().sizeHint()
        # Rows and the gaps between them, plus the outer margin above and below.
        height = _ROWS * KEY_PREFERRED_HEIGHT + (_ROWS + 1) * self.key_gap
        return QSize(hint.width(), max(hint.height(), height))

    @override
    def changeEvent(self, event: QEvent) -> None:
        """Relabel the keys when the application's language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        elif event.type() in _NEW_LOOK:
            self._look_name = None
        super().changeEvent(event)

    def _look(self) -> str:
        """A name for the style sheets the keys are drawn under (the application's and
        every enclosing widget's, with the names their rules select on), so a key drawn
        in one look (high contrast, larger text, the desk's window) is never shown in
        another. Worked out once, when first painted after a change."""
        if self._look_name is None:
            application = QApplication.instance()
            sheets = [application.styleSheet() if isinstance(application, QApplication) else ""]
            widget: QWidget | None = self
            while widget is not None:
                sheets.append(f"{widget.objectName()}{{{widget.styleSheet()}}}")
                widget = widget.parentWidget()
            self._look_name = str(hash(tuple(sheets)))
        return self._look_name

    # -- building the pages --------------------------------------------------------------

    def _build_letters(self) -> QWidget:
        return self._build_letter_page(KeyboardPage.LETTERS, LETTER_ROWS, _Role.TO_ACCENTS)

    def _build_letter_page(
        self, page_name: KeyboardPage, rows: tuple[str, str, str], other_letters: _Role
    ) -> QWidget:
        page, grid = self._new_page(page_name, [1] * _HALF_COLUMNS)
        top, middle, bottom = rows
        self._place_row(grid, 0, [*((self._letter(c), 2) for c in top), (self._backspace(), 2)])
        self._place_row(grid, 1, [(None, 1), *((self._letter(c), 2) for c in middle)])
        self._place_row(
            grid,
            2,
            [
                (self._shift_key(), 4),
                *((self._letter(c), 2) for c in bottom),
                (self._character("-"), 2),
                (self._character("'"), 2),
            ],
        )
        self._place_row(
            grid,
            3,
            [
                (self._page_key(_Role.TO_NUMBERS), 3),
                (self._page_key(other_letters), 3),
                (self._space(), 12),
                (self._clear(), 4),
            ],
        )
        return page

    def _build_accents(self) -> QWidget:
        # The letters that have accents, each where it is on the letter page, so a finger
        # finds L where L was; the others leave their places empty.
        page, grid = self._new_page(KeyboardPage.ACCENTS, [1] * _HALF_COLUMNS)
        top, middle, bottom = LETTER_ROWS

        def letters(row: str) -> list[tuple[QWidget | None, int]]:
            return [(self._accented_letters(c) if c in LETTER_ACCENTS else None, 2) for c in row]

        self._place_row(grid, 0, [*letters(top), (self._backspace(), 2)])
        self._place_row(grid, 1, [(None, 1), *letters(middle)])
        self._place_row(grid, 2, [(self._shift_key(), 4), *letters(bottom)])
        self._place_row(
            grid,
            3,
            [
                (self._page_key(_Role.TO_NUMBERS), 3),
                (self._page_key(_Role.TO_LETTERS), 3),
                (self._hint(KeyboardPage.ACCENTS), 12),
                (self._clear(), 4),
            ],
        )
        return page

    def _build_letter_accents(self) -> QWidget:
        # One letter's accents, four to a row as big keys: the marks that tell ş from ș
        # or ö from ő are small. Backspace and Shift stay top right.
        page, grid = self._new_page(KeyboardPage.LETTER_ACCENTS, [1] * _HALF_COLUMNS)
        keys = [self._accented(place) for place in range(_MOST_ACCENTS)]
        self._place_row(grid, 0, [*((k, 4) for k in keys[0:4]), (None, 2), (self._backspace(), 4)])
        self._place_row(grid, 1, [*((k, 4) for k in keys[4:8]), (None, 2), (self._shift_key(), 4)])
        self._place_row(grid, 2, [*((k, 4) for k in keys[8:12]), (None, 6)])
        # Every key edge here falls on one of the rows above, so the keys come out even.
        self._place_row(
            grid,
            3,
            [
                (self._page_key(_Role.TO_LETTERS), 4),
                (self._page_key(_Role.TO_ACCENTS), 4),
                (self._hint(KeyboardPage.LETTER_ACCENTS), 10),
                (self._clear(), 4),
            ],
        )
        return page

    def _hint(self, page: KeyboardPage) -> QLabel:
        # The accents pages need no Space key (they go back to the letters once a letter
        # is typed), so its room says what to tap.
        hint = plain_label("", "keyboardHint", wrap=True)
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._hints[page] = hint
        return hint

    def _build_numbers(self) -> QWidget:
        # A phone's digit block on the left, apart from the symbols and page keys on the
        # right, so that a finger aiming at 3 or 6 does not land on "(" or Backspace.
        page, grid = self._new_page(KeyboardPage.NUMBERS, [4, 4, 4, 1, 4, 4, 4])
        grid.setColumnMinimumWidth(3, 2 * ROOMY_GAP)
        for row, digits in enumerate(("123", "456", "789")):
            self._place_row(grid, row, [(self._character(d), 1) for d in digits])
        self._place_row(grid, 3, [(self._character("0"), 3)])
        self._place_row(grid, 0, [(self._character("("), 1), (self._character(")"), 1)], 4)
        # Backspace is two rows tall: the key most used after the digits gets a big target.
        grid.addWidget(self._backspace(), 0, 6, 2, 1)
        self._place_row(grid, 1, [(self._character("/"), 1), (self._character("-"), 1)], 4)
        self._place_row(grid, 2, [(self._space(), 3)], 4)
        self._place_row(
            grid,
            3,
            [
                (self._page_key(_Role.TO_LETTERS), 1),
                (self._page_key(_Role.TO_ACCENTS), 1),
                (self._clear(), 1),
            ],
            4,
        )
        return page

    def _new_page(self, page: KeyboardPage, stretches: list[int]) -> tuple[QWidget, QGridLayout]:
        widget = QWidget()
        widget.setObjectName(f"keyboardPage{page.value.capitalize()}")
        widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        grid = QGridLayout(widget)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(ROOMY_GAP)
        for column, stretch in enumerate(stretches):
            grid.setColumnStretch(column, stretch)
        for row in range(_ROWS):
            grid.setRowStretch(row, 1)
        self._building = page
        return widget, grid

    @staticmethod
    def _place_row(
        grid: QGridLayout,
        row: int,
        items: Sequence[tuple[QWidget | None, int]],
        first_column: int = 0,
    ) -> None:
        """Put keys side by side, each spanning its count of columns; None leaves a gap."""
        column = first_column
        for widget, span in items:
            if widget is not None:
                grid.addWidget(widget, row, column, 1, span)
            column += span

    # -- making keys -----------------------------------------------------------------------

    def _add_key(
        self, role: _Role, action: Callable[[], None], base: str = "", place: int = -1
    ) -> QPushButton:
        button = KeyButton(self._look)
        button.setObjectName("keyboardKeySpecial" if role in _SPECIAL_ROLES else "keyboardKey")
        button.setProperty("keyRole", role.value)
        button.setMinimumSize(KEY_MIN_SIZE, KEY_MIN_SIZE)
        # Widths come from the grid's column stretches alone: a label's width hint would
        # make keys of the same span come out of different widths.
        button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Expanding)
        # Tab only: a tap must leave the focus in the line edit, or its cursor (and where
        # the next letter goes) would vanish on the first tap.
        button.setFocusPolicy(self._key_focus)
        button.setAutoDefault(False)

        def tapped() -> None:
            action()
            # Pressed with Space or Enter: the patient goes on from this key.
            if not self._has_focus_on_a_key():
                self._keep_focus_on_target()

        button.clicked.connect(tapped)
        # Forwarded by Qt rather than emitted from Python: PySide6 6.12 on Python 3.11
        # loses a reference to True on every Python-side emit(), which ends in a crash
        # after a few thousand taps. Qt calls slots in the order they were connected, so
        # this still comes after the key has done its work.
        button.clicked.connect(self.key_tapped)
        self._keys[self._building].append(_Key(button, role, base, place))
        return button

    def _letter(self, letter: str) -> QPushButton:
        return self._add_key(_Role.LETTER, lambda: self._type(letter, is_letter=True), letter)

    def _accented_letters(self, letter: str) -> QPushButton:
        return self._add_key(_Role.ACCENTED_LETTERS, lambda: self.show_accents_of(letter), letter)

    def _accented(self, place: int) -> QPushButton:
        return self._add_key(_Role.ACCENTED, lambda: self._type_accented(place), place=place)

    def _character(self, character: str) -> QPushButton:
        return self._add_key(_Role.CHARACTER, lambda: self._type(character), character)

    def _space(self) -> QPushButton:
        return self._add_key(_Role.SPACE, lambda: self._type(" "), " ")

    def _shift_key(self) -> QPushButton:
        button = self._add_key(_Role.SHIFT, lambda: self._set_shift(not self._shift))
        button.setCheckable(True)
        return button

    def _backspace(self) -> QPushButton:
        button = self._add_key(_Role.BACKSPACE, self._backspace_once)
        # Holding Backspace deletes a word without a tap per letter; the delay is long
        # enough that an unsteady tap does not delete two.
        button.setAutoRepeat(True)
        button.setAutoRepeatDelay(500)
        button.setAutoRepeatInterval(100)
        return button

    def _clear(self) -> QPushButton:
        return self._add_key(_Role.CLEAR, self._clear_field)

    def _page_key(self, role: _Role) -> QPushButton:
        page = {
            _Role.TO_LETTERS: KeyboardPage.LETTERS,
            _Role.TO_ACCENTS: KeyboardPage.ACCENTS,
            _Role.TO_NUMBERS: KeyboardPage.NUMBERS,
        }[role]
        return self._add_key(role, lambda: self._show_page(page))

    def _retranslate(self) -> None:
        # Literal tr() calls, so that pyside6-lupdate finds every string.
        labels: dict[_Role, tuple[str, str]] = {
            _Role.SPACE: (self.tr("Space"), self.tr("Space")),
            _Role.SHIFT: (self.tr("⇧ Shift"), self.tr("Shift")),
            _Role.BACKSPACE: (self.tr("⌫"), self.tr("Backspace")),
            _Role.CLEAR: (self.tr("Clear"), self.tr("Clear")),
            _Role.TO_LETTERS: (self.tr("ABC"), self.tr("Letters")),
            _Role.TO_ACCENTS: (self.tr("áéí"), self.tr("Accented letters")),
            _Role.TO_NUMBERS: (self.tr("123"), self.tr("Numbers")),
        }
        # A screen reader says "-" and "'" badly or not at all.
        spoken = {
            "-": self.tr("Hyphen"),
            "'": self.tr("Apostrophe"),
            "/": self.tr("Slash"),
            "(": self.tr("Left parenthesis"),
            ")": self.tr("Right parenthesis"),
        }
        # What each key does, for a screen reader (the name says which key it is).
        descriptions = {
            _Role.LETTER: self.tr("Types this letter in the box."),
            _Role.ACCENTED_LETTERS: self.tr("Shows this letter with each of its accents."),
            _Role.ACCENTED: self.tr("Types this letter in the box."),
            _Role.CHARACTER: self.tr("Types this in the box."),
            _Role.SPACE: self.tr("Types a space in the box."),
            _Role.SHIFT: self.tr("Switches between capital and small letters."),
            _Role.BACKSPACE: self.tr(
                "Deletes the letter before the cursor. Hold it down to delete more."
            ),
            _Role.CLEAR: self.tr("Deletes everything typed in this box."),
            _Role.TO_LETTERS: self.tr("Shows the letter keys."),
            _Role.TO_ACCENTS: self.tr("Shows letters with accents, such as á, é and ñ."),
            _Role.TO_NUMBERS: self.tr("Shows the number keys."),
        }
        for keys in self._keys.values():
            for key in keys:
                key.button.setAccessibleDescription(descriptions[key.role])
                if key.role in labels:
                    label, name = labels[key.role]
                    key.button.setText(escape_ampersands(label))
                    key.button.setAccessibleName(name)
                elif key.role is _Role.CHARACTER:
                    key.button.setText(escape_ampersands(key.base))
                    key.button.setAccessibleName(spoken.get(key.base, key.base))
        self._hints[KeyboardPage.ACCENTS].setText(
            self.tr("Tap a letter to see it with its accents")
        )
        self._hints[KeyboardPage.LETTER_ACCENTS].setText(self.tr("Tap the letter you need"))
        self._show_case()

    # -- what the keys do ------------------------------------------------------------------

    def _live_target(self) -> QLineEdit | None:
        if self._target is not None and not shiboken6.isValid(self._target):
            self._target = None
        return self._target

    def _editable_target(self) -> QLineEdit | None:
        target = self._live_target()
        # QLineEdit.insert() ignores read-only, so the keyboard must check for itself.
        if target is None or target.isReadOnly() or not target.isEnabled():
            return None
        return target

    def _types(self, key: _Key) -> str:
        if key.role in (_Role.LETTER, _Role.ACCENTED_LETTERS):
            return key.base.upper() if self._shift else key.base
        if key.role is _Role.ACCENTED:
            return self._accented_letter(key.place)
        return key.base

    def _small(self, key: _Key) -> str:
        """What a key is called: the letter it types, in small letters."""
        if key.role is _Role.ACCENTED:
            accents = LETTER_ACCENTS[self._accents_of]
            return accents[key.place] if key.place < len(accents) else ""
        return key.base

    def _accented_letter(self, place: int) -> str:
        """What the key at `place` among the shown letter's accents types ("": none)."""
        accents = LETTER_ACCENTS[self._accents_of]
        if place >= len(accents):
            return ""
        return capital(accents[place]) if self._shift else accents[place]

    def _type(self, character: str, *, is_letter: bool = False) -> None:
        self._insert(character.upper() if is_letter and self._shift else character, is_letter)

    def _insert(self, text: str, is_letter: bool) -> bool:
        """Type `text` as it is; whether the field took it."""
        target = self._editable_target()
        if target is None:
            return False
        before = target.text()
        target.insert(text)
        typed = target.text() != before
        # A letter that the field refused (full, or not valid there) leaves Shift on for
        # the letter the patient types instead.
        if is_letter and typed:
            self._set_shift(False)
        return typed

    def _type_accented(self, place: int) -> None:
        # In the case Shift says already (the capital of ı is İ, not I).
        letter = self._accented_letter(place)
        if letter and self._insert(letter, is_letter=True):
            # Most names have an accented letter here and there: back to the letters.
            self._show_page(KeyboardPage.LETTERS)

    def _backspace_once(self) -> None:
        target = self._editable_target()
        if target is not None:
            target.backspace()

    def _clear_field(self) -> None:
        target = self._editable_target()
        if target is None:
            return
        # Not QLineEdit.clear(): that one does not emit textEdited, so the screen would
        # not hear about it, and it cannot be undone.
        target.selectAll()
        target.del_()
        if not target.text():
            self._set_shift(True, automatic=True)

    def _keep_focus_on_target(self) -> None:
        target = self._live_target()
        if target is not None and target.isEnabled() and not target.hasFocus():
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _set_shift(self, on: bool, *, automatic: bool = False) -> None:
        self._shift_is_automatic = on and automatic
        # Most letters leave the case as it was; relabelling 53 keys each time is waste.
        if on != self._shift:
            self._shift = on
            self._show_case()

    def _show_case(self) -> None:
        for keys in self._keys.values():
            for key in keys:
                if key.role in (_Role.LETTER, _Role.ACCENTED_LETTERS, _Role.ACCENTED):
                    label = self._types(key)
                    key.button.show_label(label)
                    # The name stays the small letter whatever Shift says: renaming every
                    # key at each Shift flooded a screen reader with a hundred changes, and
                    # it dropped what mattered. Shift's own checked state tells the case.
                    name = self._small(key)
                    if key.button.accessibleName() != name:
                        key.button.setAccessibleName(name)
                    # A letter with few accents leaves the other places empty.
                    key.button.setHidden(not label)
                elif key.role is _Role.SHIFT:
                    key.button.setChecked(self._shift)

    def _show_page(self, page: KeyboardPage) -> None:
        widget = self._pages[page]
        if widget is self._stack.currentWidget():
            return
        on_a_key = self._has_focus_on_a_key()
        if on_a_key:
            # Held by the keyboard itself while the old page hides: Qt would otherwise pass
            # it on down the screen, to the next field, and the keys would type there.
            self.setFocus(Qt.FocusReason.OtherFocusReason)
        self._stack.setCurrentWidget(widget)
        if on_a_key:
            # The key pressed has gone with its page: go on from the new page's first key.
            self._keys[page][0].button.setFocus(Qt.FocusReason.TabFocusReason)
        self.page_changed.emit(page.value)

    def _has_focus_on_a_key(self) -> bool:
        focused = QApplication.focusWidget()
        return focused is not None and self.isAncestorOf(focused)

    def _on_target_text_changed(self, text: str) -> None:
        if not text:
            self._set_shift(True, automatic=True)
        elif self._shift_is_automatic:
            self._set_shift(False)

    def _on_target_destroyed(self) -> None:
        self._target = None
