"""Editing one consent statement, and what the patient's signature means."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPlainTextEdit, QVBoxLayout, QWidget

from kiosk.content import ConsentStatement
from kiosk.pack_limits import MAX_SIGNATURE_MEANING, MAX_STATEMENT_TEXT
from ui.admin.length_limit import LengthLimit
from ui.plain_text import plain_label


class ConsentEditor(QWidget):
    """The chosen statement's text and the signature's meaning (one for the whole pack).

    Signals:
        statement_edited(object): the statement as it now reads (a `ConsentStatement`).
        meaning_edited(str): what the signature means, as it now reads.
    """

    statement_edited = Signal(object)
    meaning_edited = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.statement: ConsentStatement | None = None
        self._showing = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(plain_label(self.tr("The patient taps to acknowledge this statement:")))
        self.statement_field = QPlainTextEdit()
        self.statement_field.setAccessibleName(self.tr("Consent statement"))
        self.statement_field.setTabChangesFocus(True)
        self.statement_limit = LengthLimit(
            self.statement_field,
            MAX_STATEMENT_TEXT,
            self.tr(
                "A statement can be at most {0} characters; what went past that was not added."
            ).format(f"{MAX_STATEMENT_TEXT:,}"),
        )
        self.statement_field.textChanged.connect(self._statement_changed)
        lines = self.statement_field.fontMetrics().lineSpacing()
        # A statement is a sentence or two; the room left goes below the fields.
        self.statement_field.setFixedHeight(lines * 5 + 16)
        layout.addWidget(self.statement_field)
        layout.addWidget(self.statement_limit)
        meaning_label = plain_label(
            self.tr("What the signature means (shown above the signature pad, for every patient):")
        )
        meaning_label.setWordWrap(True)
        layout.addWidget(meaning_label)
        self.meaning_field = QPlainTextEdit()
        self.meaning_field.setAccessibleName(self.tr("Meaning of the signature"))
        self.meaning_field.setTabChangesFocus(True)
        self.meaning_limit = LengthLimit(
            self.meaning_field,
            MAX_SIGNATURE_MEANING,
            self.tr(
                "What the signature means can be at most {0} characters; what went past that "
                "was not added."
            ).format(f"{MAX_SIGNATURE_MEANING:,}"),
        )
        self.meaning_field.textChanged.connect(self._meaning_changed)
        self.meaning_field.setFixedHeight(lines * 4 + 16)
        layout.addWidget(self.meaning_field)
        layout.addWidget(self.meaning_limit)
        layout.addStretch(1)

    def show_statement(self, statement: ConsentStatement | None) -> None:
        """Show `statement` (None: nothing chosen)."""
        self._showing = True
        self.statement = statement
        self.statement_field.setEnabled(statement is not None)
        self.statement_field.setPlainText(statement.text if statement else "")
        self._showing = False

    def show_meaning(self, meaning: str) -> None:
        """Show the signature's meaning."""
        self._showing = True
        self.meaning_field.setPlainText(meaning)
        self._showing = False

    def _statement_changed(self) -> None:
        if self._showing or self.statement is None:
            return
        text = " ".join(self.statement_field.toPlainText().splitlines())
        self.statement = dataclasses.replace(self.statement, text=text)
        self.statement_edited.emit(self.statement)

    def _meaning_changed(self) -> None:
        if not self._showing:
            self.meaning_edited.emit(" ".join(self.meaning_field.toPlainText().splitlines()))
