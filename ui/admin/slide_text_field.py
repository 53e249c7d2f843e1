"""A slide's text edited as patients read it: bold words and bullet lists, no markup typed.

The content pack keeps slide text as simple markup (`kiosk.content.parse_slide_text`): a
blank line between paragraphs, `- ` before a bullet, `**` around bold words. This field
shows that markup formatted and gives it back as markup, so a clinic manager never types
`**` or `- ` (typing them still works: `- ` at the start of a line starts a bullet list,
and `**words**` turn bold as the second `**` is typed). Anything pasted arrives as plain
words: formatting from a word processor has no place in the pack.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import (
    QFont,
    QKeyEvent,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextListFormat,
)
from PySide6.QtWidgets import QTextEdit, QWidget

from kiosk.content import BulletList, parse_slide_text
from kiosk.overriding import override

_BULLET_STARTS = ("- ", "• ")
# `**words**` just typed, at the end of what is before the cursor.
_TYPED_BOLD = re.compile(r"\*\*([^*]+)\*\*$")
# Shift+Enter's line break inside a paragraph: the markup joins a paragraph's lines.
_LINE_BREAK = "\u2028"


def _char_format(*, bold: bool) -> QTextCharFormat:
    chosen = QTextCharFormat()
    chosen.setFontWeight(QFont.Weight.Bold if bold else QFont.Weight.Normal)
    return chosen


def _spaced() -> QTextBlockFormat:
    # Room under each paragraph, as on the kiosk: paragraphs are told apart at a glance
    # (Enter carries it to the next one).
    spaced = QTextBlockFormat()
    spaced.setBottomMargin(6)
    return spaced


def _is_bold(chosen: QTextCharFormat) -> bool:
    return chosen.fontWeight() >= QFont.Weight.Bold


def _block_markup(block: QTextBlock) -> str:
    """One paragraph or bullet's words, bold ones between `**`."""
    runs: list[tuple[str, bool]] = []
    pieces = block.begin()
    while not pieces.atEnd():
        fragment = pieces.fragment()
        if fragment.isValid():
            text = fragment.text().replace(_LINE_BREAK, " ").replace("\n", " ")
            bold = _is_bold(fragment.charFormat()) and bool(text.strip())
            if runs and runs[-1][1] == bold:
                runs[-1] = (runs[-1][0] + text, bold)
            else:
                runs.append((text, bold))
        pieces += 1
    return "".join(f"**{text}**" if bold else text for text, bold in runs).strip()


class SlideTextField(QTextEdit):
    """Rich text for the slide, markup in and out (`set_markup`, `markup`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptRichText(False)
        self.setTabChangesFocus(True)

    # --- markup in and out --------------------------------------------------------------
    def set_markup(self, text: str) -> None:
        """Show the pack's markup formatted (undo starts afresh)."""
        self.clear()
        cursor = QTextCursor(self.document())
        first = True
        for block in parse_slide_text(text):
            items = block.items if isinstance(block, BulletList) else (block.runs,)
            bullets = None
            for runs in items:
                if not first:
                    cursor.insertBlock(_spaced(), _char_format(bold=False))
                else:
                    cursor.setBlockFormat(_spaced())
                first = False
                if isinstance(block, BulletList):
                    if bullets is None:
                        bullets = cursor.createList(QTextListFormat.Style.ListDisc)
                    else:
                        bullets.add(cursor.block())
                for run in runs:
                    cursor.insertText(run.text, _char_format(bold=run.bold))
        self.document().clearUndoRedoStacks()
        self.setCurrentCharFormat(_char_format(bold=False))

    def markup(self) -> str:
        """The text as the pack keeps it: paragraphs apart by a blank line, `- ` bullets."""
        pieces: list[tuple[bool, str]] = []
        block = self.document().begin()
        while block.isValid():
            words = _block_markup(block)
            if words:
                pieces.append((block.textList() is not None, words))
            block = block.next()
        parts: list[str] = []
        for number, (bullet, words) in enumerate(pieces):
            if number:
                # As the bundled pack writes it: a list follows its paragraph on the next
                # line; a blank line before any paragraph.
                parts.append("\n" if bullet else "\n\n")
            parts.append(f"- {words}" if bullet else words)
        return "".join(parts)

    # --- formatting ---------------------------------------------------------------------
    def toggle_bold(self) -> None:
        """Make the selected words bold, or plain again if they are bold already."""
        cursor = self.textCursor()
        bold = not _is_bold(cursor.charFormat() if cursor.hasSelection() else
                            self.currentCharFormat())  # fmt: skip
        if cursor.hasSelection():
            cursor.mergeCharFormat(_char_format(bold=bold))
        self.mergeCurrentCharFormat(_char_format(bold=bold))
        self.setFocus()

    def toggle_bullets(self) -> None:
        """Make the selected paragraphs a bullet list, or paragraphs again if they are one."""
        cursor = self.textCursor()
        if cursor.block().textList() is None:
            cursor.createList(QTextListFormat.Style.ListDisc)
        else:
            self._out_of_list(cursor)
        self.setFocus()

    @staticmethod
    def _out_of_list(cursor: QTextCursor) -> None:
        start, end = sorted((cursor.anchor(), cursor.position()))
        block = cursor.document().findBlock(start)
        cursor.beginEditBlock()
        while block.isValid() and block.position() <= end:
            listed = block.textList()
            if listed is not None:
                listed.remove(block)
                plain = QTextCursor(block)
                paragraph = plain.blockFormat()
                paragraph.setIndent(0)
                plain.setBlockFormat(paragraph)
            block = block.next()
        cursor.endEditBlock()

    # --- typing -------------------------------------------------------------------------
    @override
    def keyPressEvent(self, event: QKeyEvent) -> None:
        cursor = self.textCursor()
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if (
            enter
            and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            and cursor.block().textList() is not None
            and not cursor.block().text().strip()
        ):
            # Enter on an empty bullet ends the list, as in a word processor.
            self._out_of_list(cursor)
            return
        super().keyPressEvent(event)
        if self.document().isEmpty() and self.textCursor().block().textList() is not None:
            # Everything deleted: what is typed next starts as a paragraph again.
            self._out_of_list(self.textCursor())
        if event.text() == " ":
            self._bullet_typed()
        elif event.text() == "*":
            self._bold_typed()

    def _bullet_typed(self) -> None:
        cursor = self.textCursor()
        block = cursor.block()
        if cursor.positionInBlock() != 2 or not block.text().startswith(_BULLET_STARTS):
            return
        cursor.beginEditBlock()
        cursor.setPosition(block.position())
        cursor.setPosition(block.position() + 2, QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        if block.textList() is None:
            cursor.createList(QTextListFormat.Style.ListDisc)
        cursor.endEditBlock()

    def _bold_typed(self) -> None:
        cursor = self.textCursor()
        block = cursor.block()
        before = block.text()[: cursor.positionInBlock()]
        typed = _TYPED_BOLD.search(before)
        if typed is None:
            return
        cursor.beginEditBlock()
        cursor.setPosition(block.position() + typed.start())
        cursor.setPosition(block.position() + typed.end(), QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(typed.group(1), _char_format(bold=True))
        cursor.endEditBlock()
        self.setTextCursor(cursor)
        self.setCurrentCharFormat(_char_format(bold=False))

    @override
    def insertFromMimeData(self, source: QMimeData) -> None:
        # Plain words only: a word processor's fonts and colours are not the pack's.
        if source.hasText():
            self.textCursor().insertText(source.text(), self.currentCharFormat())
