"""What a person reads on screen: each label, button, tooltip, table cell and text pane of
a window, as Qt renders it (rich text read as HTML, `&` on a button read as a shortcut).

A test types markup somewhere, then asks `not_as_typed` for every place that shows it
other than character for character.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QRect, Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)


def markup(tag: str) -> str:
    """Text that changes a lot if read as HTML: an image of a local file, a huge font,
    an entity and bold. `tag` tells the places apart (and is what survives as HTML)."""
    return f'<img src="/etc/hosts"><font size=40>{tag}</font>&amp;<b>b</b>'


def as_html(text: str) -> str:
    """What Qt shows for `text` read as rich text."""
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText()


def label_shows(label: QLabel) -> str:
    """A label's words as the label draws them (one that names a field, its buddy, reads
    `&` as a shortcut)."""
    text, text_format = label.text(), label.textFormat()
    rich = text_format == Qt.TextFormat.RichText or (
        text_format == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(text)
    )
    if rich:
        return as_html(text)
    return button_shows(text) if label.buddy() is not None else text


def tooltip_shows(text: str) -> str:
    """A tooltip as Qt shows it: read as HTML whenever it looks like HTML."""
    return as_html(text) if GuiQt.mightBeRichText(text) else text


def button_shows(text: str) -> str:
    """A button's label as drawn: `&` marks the next character as a shortcut (and `&&`
    is one `&`)."""
    return re.sub("&(.)", r"\1", text)


@dataclass(frozen=True)
class Shown:
    """Some words on screen and where."""

    where: str
    words: str


def _cells(model: QAbstractItemModel, where: str) -> list[Shown]:
    shown = []
    for row in range(model.rowCount(QModelIndex())):
        # Not columnCount(): a list model keeps it private.
        column = 0
        while (index := model.index(row, column)).isValid():
            column += 1
            for role, what in (
                (Qt.ItemDataRole.DisplayRole, "cell"),
                (Qt.ItemDataRole.ToolTipRole, "cell tooltip"),
            ):
                value = model.data(index, role)
                if isinstance(value, str) and value:
                    words = tooltip_shows(value) if what == "cell tooltip" else value
                    shown.append(Shown(f"{where} {what} {row},{index.column()}", words))
    return shown


def _name(widget: QWidget) -> str:
    return f"{type(widget).__name__} {widget.objectName() or widget.accessibleName()!r}"


def everything_shown(root: QWidget) -> list[Shown]:
    """Every label, button, tooltip, text pane, field and table cell in `root` and the
    widgets in it, shown or not (a hidden label shows the next time it is needed)."""
    shown: list[Shown] = []
    for widget in [root, *root.findChildren(QWidget)]:
        where = _name(widget)
        if widget.toolTip():
            shown.append(Shown(f"{where} tooltip", tooltip_shows(widget.toolTip())))
        if widget.isWindow() and widget.windowTitle():
            shown.append(Shown(f"{where} title", widget.windowTitle()))
        if isinstance(widget, QLabel):
            shown.append(Shown(where, label_shows(widget)))
        elif isinstance(widget, QAbstractButton):
            shown.append(Shown(where, button_shows(widget.text())))
        elif isinstance(widget, QGroupBox):
            shown.append(Shown(where, button_shows(widget.title())))
        elif isinstance(widget, QTextEdit | QPlainTextEdit):
            shown.append(Shown(where, widget.toPlainText()))
        elif isinstance(widget, QLineEdit):
            shown.append(Shown(where, widget.text()))
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            shown.extend(_cells(widget.model(), where))
    return shown


def not_as_typed(roots: list[QWidget], typed: dict[str, str]) -> list[str]:
    """Places that show one of the `typed` texts other than as typed.

    `typed` maps each text's tag (see `markup`) to the text: wherever the tag shows, the
    whole text must show with it.
    """
    return [
        f"{item.where} shows {item.words!r}"
        for root in roots
        for item in everything_shown(root)
        for tag, text in typed.items()
        if tag in item.words and text not in item.words
    ]


def showing(roots: list[QWidget], text: str) -> list[str]:
    """Where `text` shows as typed."""
    return [item.where for root in roots for item in everything_shown(root) if text in item.words]


def in_view(widget: QWidget, window: QWidget) -> QRect:
    """The part of `widget` a person can see in `window`, in the window's coordinates:
    clipped by the scrolling page it sits in (empty when scrolled out of view). A long
    page (a returning patient's twenty answers) runs on below the footer's edge."""
    seen = widget.visibleRegion().boundingRect()
    return QRect(widget.mapTo(window, seen.topLeft()), seen.size()).intersected(window.rect())


def wholly_in_view(widget: QWidget, window: QWidget) -> bool:
    """Whether all of `widget` is in view (not partly scrolled away)."""
    return in_view(widget, window).size() == widget.size()
