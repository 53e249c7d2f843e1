"""Holding a text field to the length a content pack allows, and saying so."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QTextEdit, QWidget


class LengthLimit(QLabel):
    """A plain sentence under a field, shown while the field is at its longest.

    A one-line field stops at its limit by itself. In a text box, what is typed or pasted
    past the limit is taken out again at once, so the draft never holds more than a pack
    may (`kiosk.pack_limits`); the sentence says why the rest did not go in. Create it
    before anything else listens to the field's changes, so they only see what is kept.
    """

    def __init__(
        self,
        field: QLineEdit | QPlainTextEdit | QTextEdit,
        most: int,
        sentence: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(sentence, parent)
        self.setObjectName("editorProblem")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.hide()
        self.field = field
        self.most = most
        # Where the last change put text in a text box: what goes past the limit is cut
        # from the end of that, so a paste in the middle keeps the words after it.
        self._inserted: tuple[int, int] | None = None
        if isinstance(field, QLineEdit):
            field.setMaxLength(most)
            field.textChanged.connect(lambda text: self.setVisible(len(text) >= most))
        else:
            field.document().contentsChange.connect(self._note_insert)
            field.textChanged.connect(self._hold)

    def _note_insert(self, position: int, _removed: int, added: int) -> None:
        self._inserted = (position, added)

    def _length(self) -> int:
        # A slide's rich field counts as the markup it is kept as (`**`, `- ` and all).
        markup = getattr(self.field, "markup", None)
        if callable(markup):
            return len(str(markup()))
        assert isinstance(self.field, QPlainTextEdit | QTextEdit)
        return len(self.field.toPlainText())

    def _hold(self) -> None:
        assert isinstance(self.field, QPlainTextEdit | QTextEdit)
        length = self._length()
        over = length - self.most
        if over > 0:
            typed = len(self.field.toPlainText())  # the positions are the field's own
            position, added = self._inserted or (typed, 0)
            end = min(position + added, typed)
            cursor = QTextCursor(self.field.document())
            cursor.setPosition(max(end - over, 0))
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            # Changing the text runs this again, and whoever listens after it reads the
            # text as kept.
            cursor.removeSelectedText()
            return
        self.setVisible(length >= self.most)
