"""Words on screen exactly as they were typed.

Qt reads text that looks like HTML as HTML wherever it is left to guess: a `QLabel` or
`QMessageBox` left at `AutoText`, and every tooltip. A patient's name typed as
`<img src="/etc/hosts">` would load a local file into the desk's banner, and
`<font size=40>` could push the "needs attention" alert out of sight. A button reads
`&` as the mark of a keyboard shortcut, so "Drugs & alcohol" shows as "Drugs _alcohol".

So every label, message box, tooltip and button text in the app comes from here: plain
text unless a place asks for rich text by name (`rich_label`, only for text the app
builds itself with everything typed escaped, such as a slide's paragraphs and bullets).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6 import QtGui
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLayout, QPushButton, QWidget

from kiosk.overriding import override

if TYPE_CHECKING:
    # Imported where they are used: the kiosk's first frame (Welcome, whose labels and
    # buttons come from here) has neither, and PySide makes each class it names.
    from PySide6.QtWidgets import QFormLayout, QMessageBox

RICH_TEXT = "richText"
"""The property `rich_label` sets, so a test can tell a deliberate rich-text label
from one left to Qt's guess."""


def plain_label(
    text: str = "", object_name: str = "", *, wrap: bool = False, names: QWidget | None = None
) -> QLabel:
    """A label that shows `text` as typed, whatever characters it holds.

    `names`: the field the label names, for a screen reader (its buddy). A label with a
    buddy reads `&` as a shortcut, even in plain text: it is escaped here.
    """
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    if names is not None:
        label.setBuddy(names)
        text = escape_ampersands(text)
    label.setText(text)
    if object_name:
        label.setObjectName(object_name)
    label.setWordWrap(wrap)
    return label


def add_form_row(form: QFormLayout, text: str, field: QWidget | QLayout) -> None:
    """A row of `form`: a plain label (naming `field` for a screen reader) and the field.

    `QFormLayout.addRow` with a string would make a label that reads HTML.
    """
    label = plain_label(text, names=field if isinstance(field, QWidget) else None)
    form.addRow(label, field)


def rich_label(object_name: str) -> QLabel:
    """A label for rich text the app builds itself, escaping everything typed in it
    (`html.escape`): never for text as someone typed it."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setProperty(RICH_TEXT, True)
    label.setObjectName(object_name)
    return label


def escape_ampersands(words: str) -> str:
    """`words` for a button (or a label naming a field): every `&` shows as `&`, none
    becomes a shortcut.

    A screen reader still reads the words themselves (Qt names a button by its text
    with the shortcut marks taken out, which turns `&&` back into `&`).
    """
    return words.replace("&", "&&")


def plain_html(words: str) -> str:
    """`words` as HTML that shows them as typed, line breaks kept.

    For text Qt guesses the format of (a tooltip, a QInputDialog's or QMessageBox's
    label): text that looks like HTML would be shown as HTML; this is HTML already, with
    `words` escaped in it.
    """
    if not words:
        return ""
    return QtGui.Qt.convertFromPlainText(words, Qt.WhiteSpaceMode.WhiteSpaceNormal)


def plain_tooltip(words: str) -> str:
    """`words` as a tooltip that shows them as typed."""
    return plain_html(words)


class WordsButton(QPushButton):
    """A push button whose text is words, never a shortcut: `&` shows as `&`.

    `setText` takes the words as they should read (a choice from the content pack,
    a translated sentence); `words()` gives them back.
    """

    def __init__(self, words: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setText(words)

    @override
    def setText(self, text: str) -> None:
        """Show `text` as it reads."""
        super().setText(escape_ampersands(text))

    def words(self) -> str:
        """What the button says (its text without the escaping of `&`)."""
        return self.text().replace("&&", "&")


def plain_message_box(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    *,
    details: str = "",
) -> QMessageBox:
    """A message box that shows `text` and `details` (its informative text) as typed."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(parent)
    box.setIcon(icon)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    if details:
        box.setInformativeText(details)
    # The informative text has a label of its own, which Qt leaves to guess.
    for label in box.findChildren(QLabel):
        label.setTextFormat(Qt.TextFormat.PlainText)
    return box


def tell(
    parent: QWidget | None,
    title: str,
    text: str,
    *,
    icon: QMessageBox.Icon | None = None,
) -> None:
    """Show `text` in a message box with an OK button, and wait for it (`icon`: Information
    unless told)."""
    from PySide6.QtWidgets import QMessageBox

    shown = QMessageBox.Icon.Information if icon is None else icon
    plain_message_box(parent, shown, title, text).exec()
