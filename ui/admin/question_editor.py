"""Editing one question: its wording, which answers raise a flag, and what staff read."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from kiosk.content import Answer, Question, QuestionKind
from ui.screens.patient_screen import answer_words


class QuestionEditor(QWidget):
    """The fields of one question; each change is reported as the whole question.

    Every question is answered Yes, No or Not sure on the kiosk.

    Signals:
        edited(object): the question as it now reads (a `Question`).
    """

    edited = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.question: Question | None = None
        self._showing = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.text_field = QPlainTextEdit()
        self.text_field.setAccessibleName(self.tr("Question wording"))
        self.text_field.setTabChangesFocus(True)
        self.text_field.setFixedHeight(self.text_field.fontMetrics().lineSpacing() * 4 + 16)
        self.text_field.textChanged.connect(self._changed)
        form.addRow(self.tr("What patients are asked"), self.text_field)
        self.kind_hint = QLabel(self.tr("Patients answer Yes, No or Not sure."))
        self.kind_hint.setObjectName("editorHint")
        self.kind_hint.setWordWrap(True)
        form.addRow("", self.kind_hint)
        layout.addLayout(form)

        flag_box = QGroupBox(self.tr("Clinician review"))
        flag_layout = QVBoxLayout(flag_box)
        self.contraindication = QCheckBox(
            self.tr("This is a contraindication question: its flags ask a clinician to review")
        )
        self.contraindication.toggled.connect(self._changed)
        flag_layout.addWidget(self.contraindication)
        flag_layout.addWidget(QLabel(self.tr("Raise a flag when the patient answers:")))
        answers = QHBoxLayout()
        self.flag_boxes: dict[Answer, QCheckBox] = {}
        for answer, words in answer_words().items():
            box = QCheckBox(words)
            box.toggled.connect(self._changed)
            self.flag_boxes[answer] = box
            answers.addWidget(box)
        answers.addStretch(1)
        flag_layout.addLayout(answers)
        flag_layout.addWidget(QLabel(self.tr("What staff read when it raises a flag:")))
        self.flag_wording = QLineEdit()
        self.flag_wording.setAccessibleName(self.tr("Flag wording for staff"))
        self.flag_wording.setPlaceholderText(
            self.tr("for example: high blood pressure not under control")
        )
        self.flag_wording.textEdited.connect(self._changed)
        flag_layout.addWidget(self.flag_wording)
        layout.addWidget(flag_box)
        layout.addStretch(1)
        self.setEnabled(False)

    def show_question(self, question: Question | None) -> None:
        """Show `question` (None: nothing chosen)."""
        self._showing = True
        self.question = question
        self.setEnabled(question is not None)
        self.text_field.setPlainText(question.text if question else "")
        self.contraindication.setChecked(question.contraindication if question else False)
        for answer, box in self.flag_boxes.items():
            box.setChecked(question is not None and answer in question.flag_answers)
        self.flag_wording.setText(question.flag_wording if question else "")
        yes_no = question is None or question.kind is QuestionKind.YES_NO
        for box in self.flag_boxes.values():
            box.setVisible(yes_no)
        if yes_no:
            self.kind_hint.setText(self.tr("Patients answer Yes, No or Not sure."))
        elif question is not None and question.kind is QuestionKind.SINGLE_CHOICE:
            # Choices and which of them flag are changed in an exported pack for now.
            self.kind_hint.setText(
                self.tr("Patients choose one of: {0}. Flags when they choose: {1}.").format(
                    "; ".join(c.text for c in question.choices),
                    "; ".join(question.answer_words(a) for a in question.flag_answers)
                    or self.tr("never"),
                )
            )
        else:
            self.kind_hint.setText(
                self.tr("Patients type a short answer; typed answers never raise a flag.")
            )
        self._showing = False

    def _changed(self) -> None:
        if self._showing or self.question is None:
            return
        flagged: tuple[str, ...] = (
            tuple(a for a, box in self.flag_boxes.items() if box.isChecked())
            if self.question.kind is QuestionKind.YES_NO
            else self.question.flag_answers
        )
        self.question = dataclasses.replace(
            self.question,
            # A question is one line on the kiosk: a line break typed here is a space.
            text=" ".join(self.text_field.toPlainText().splitlines()),
            contraindication=self.contraindication.isChecked(),
            flag_answers=flagged,
            flag_wording=self.flag_wording.text(),
        )
        self.edited.emit(self.question)
