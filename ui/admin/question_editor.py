"""Editing one question: how it is answered, its wording, which answers flag, staff wording."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from kiosk.content import Answer, Choice, Question, QuestionKind
from kiosk.pack_limits import MAX_CHOICE_TEXT, MAX_CHOICES, MAX_FLAG_WORDING, MAX_QUESTION_TEXT
from kiosk.publishing import new_item_id
from ui.admin.length_limit import LengthLimit
from ui.plain_text import add_form_row, plain_label
from ui.screens.patient_screen import answer_words


class QuestionEditor(QWidget):
    """The fields of one question; each change is reported as the whole question.

    A question is answered Yes / No / Not sure, by choosing one item of a list, or with a
    few typed words (which never raise a flag).

    Signals:
        edited(object): the question as it now reads (a `Question`).
    """

    edited = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.question: Question | None = None
        self._showing = False
        # Set while the admin edits a translation: only words change, never the choices.
        self.translating = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.kind_choice = QComboBox()
        self.kind_choice.setAccessibleName(self.tr("How patients answer"))
        for kind, words in (
            (QuestionKind.YES_NO, self.tr("Yes, No or Not sure")),
            (QuestionKind.SINGLE_CHOICE, self.tr("One choice from a list")),
            (QuestionKind.SHORT_TEXT, self.tr("A few typed words")),
        ):
            self.kind_choice.addItem(words, kind.value)
        self.kind_choice.currentIndexChanged.connect(self._changed)
        add_form_row(form, self.tr("Patients answer with"), self.kind_choice)
        self.text_field = QPlainTextEdit()
        self.text_field.setAccessibleName(self.tr("Question wording"))
        self.text_field.setTabChangesFocus(True)
        self.text_field.setFixedHeight(self.text_field.fontMetrics().lineSpacing() * 4 + 16)
        self.text_limit = LengthLimit(
            self.text_field,
            MAX_QUESTION_TEXT,
            self.tr(
                "A question can be at most {0} characters; what went past that was not added."
            ).format(MAX_QUESTION_TEXT),
        )
        self.text_field.textChanged.connect(self._changed)
        add_form_row(form, self.tr("What patients are asked"), self.text_field)
        form.addRow(self.text_limit)
        self.kind_hint = plain_label(self.tr("Patients answer Yes, No or Not sure."))
        self.kind_hint.setObjectName("editorHint")
        self.kind_hint.setWordWrap(True)
        form.addRow(plain_label(), self.kind_hint)
        self.choices_field = QPlainTextEdit()
        self.choices_field.setAccessibleName(self.tr("Choices, one per line"))
        self.choices_field.setTabChangesFocus(True)
        self.choices_field.setFixedHeight(self.choices_field.fontMetrics().lineSpacing() * 5 + 16)
        self.choices_field.textChanged.connect(self._changed)
        self.choices_label = plain_label(self.tr("Choices (one per line)"))
        form.addRow(self.choices_label, self.choices_field)
        self.choices_limit = plain_label(
            self.tr(
                "A question can have at most {0} choices of at most {1} characters each; "
                "only those are kept."
            ).format(MAX_CHOICES, MAX_CHOICE_TEXT)
        )
        self.choices_limit.setObjectName("editorProblem")
        self.choices_limit.setWordWrap(True)
        self.choices_limit.hide()
        form.addRow(self.choices_limit)
        layout.addLayout(form)

        flag_box = self._build_flags()
        layout.addWidget(flag_box)
        layout.addStretch(1)
        self.setEnabled(False)

    def _build_flags(self) -> QGroupBox:
        flag_box = QGroupBox(self.tr("Clinician review"))
        flag_layout = QVBoxLayout(flag_box)
        self.contraindication = QCheckBox(
            self.tr("This is a contraindication question: its flags ask a clinician to review")
        )
        self.contraindication.toggled.connect(self._changed)
        flag_layout.addWidget(self.contraindication)
        self.flag_when = plain_label(self.tr("Raise a flag when the patient answers:"))
        flag_layout.addWidget(self.flag_when)
        answers = QHBoxLayout()
        self.flag_boxes: dict[Answer, QCheckBox] = {}
        for answer, words in answer_words().items():
            box = QCheckBox(words)
            box.toggled.connect(self._changed)
            self.flag_boxes[answer] = box
            answers.addWidget(box)
        answers.addStretch(1)
        flag_layout.addLayout(answers)
        # A single-choice question's choices, each ticked when it raises a flag.
        self.flag_choices = QListWidget()
        self.flag_choices.setAccessibleName(self.tr("Choices that raise a flag"))
        self.flag_choices.setMaximumHeight(140)
        self.flag_choices.itemChanged.connect(self._changed)
        flag_layout.addWidget(self.flag_choices)
        self.flag_wording_label = plain_label(self.tr("What staff read when it raises a flag:"))
        flag_layout.addWidget(self.flag_wording_label)
        self.flag_wording = QLineEdit()
        self.flag_wording.setAccessibleName(self.tr("Flag wording for staff"))
        self.flag_wording.setPlaceholderText(
            self.tr("for example: high blood pressure not under control")
        )
        self.flag_wording.textEdited.connect(self._changed)
        flag_layout.addWidget(self.flag_wording)
        self.flag_wording_limit = LengthLimit(
            self.flag_wording,
            MAX_FLAG_WORDING,
            self.tr("What staff read can be at most {0} characters.").format(MAX_FLAG_WORDING),
        )
        flag_layout.addWidget(self.flag_wording_limit)
        return flag_box

    def show_question(self, question: Question | None) -> None:
        """Show `question` (None: nothing chosen)."""
        self._showing = True
        self.question = question
        self.setEnabled(question is not None)
        kind = question.kind if question else QuestionKind.YES_NO
        self.kind_choice.setCurrentIndex(self.kind_choice.findData(kind.value))
        self.text_field.setPlainText(question.text if question else "")
        self.choices_field.setPlainText(
            "\n".join(c.text for c in question.choices) if question else ""
        )
        self.contraindication.setChecked(question.contraindication if question else False)
        for answer, box in self.flag_boxes.items():
            box.setChecked(question is not None and answer in question.flag_answers)
        self._show_flag_choices(question)
        self.flag_wording.setText(question.flag_wording if question else "")
        self.choices_limit.hide()
        self._show_kind(kind)
        self._showing = False

    def _show_flag_choices(self, question: Question | None) -> None:
        self.flag_choices.blockSignals(True)
        self.flag_choices.clear()
        for choice in question.choices if question else ():
            item = QListWidgetItem(choice.text)
            item.setData(Qt.ItemDataRole.UserRole, choice.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            raises = question is not None and choice.id in question.flag_answers
            item.setCheckState(Qt.CheckState.Checked if raises else Qt.CheckState.Unchecked)
            self.flag_choices.addItem(item)
        self.flag_choices.blockSignals(False)

    def _show_kind(self, kind: QuestionKind) -> None:
        yes_no, choice = kind is QuestionKind.YES_NO, kind is QuestionKind.SINGLE_CHOICE
        for box in self.flag_boxes.values():
            box.setVisible(yes_no)
        self.choices_label.setVisible(choice)
        self.choices_field.setVisible(choice)
        if not choice:
            self.choices_limit.hide()
        self.flag_choices.setVisible(choice)
        typed = kind is QuestionKind.SHORT_TEXT
        for widget in (self.flag_when, self.flag_wording_label, self.flag_wording):
            widget.setVisible(not typed)
        self.kind_hint.setText(
            self.tr("Patients answer Yes, No or Not sure.")
            if yes_no
            else self.tr("Patients tap one of the choices below.")
            if choice
            else self.tr("Patients type a short answer; typed answers never raise a flag.")
        )

    def _choices(self, question: Question) -> tuple[Choice, ...]:
        lines = [line.strip() for line in self.choices_field.toPlainText().splitlines()]
        texts = [line for line in lines if line]
        over = len(texts) > MAX_CHOICES or any(len(text) > MAX_CHOICE_TEXT for text in texts)
        self.choices_limit.setVisible(over)
        # Only what a pack may hold is kept (a long paste costs nothing more).
        texts = [text[:MAX_CHOICE_TEXT].strip() for text in texts[:MAX_CHOICES]]
        if self.translating:
            # A translation changes the words of the same choices, line by line.
            return tuple(
                Choice(choice.id, texts[n] if n < len(texts) else "")
                for n, choice in enumerate(question.choices)
            )
        # In the clinic's language a choice is named by its words (stored visits keep the
        # version they were given in, so a new name never loses an answer).
        choices: list[Choice] = []
        for text in texts:
            choices.append(Choice(new_item_id(text, {c.id for c in choices}), text))
        return tuple(choices)

    def _changed(self) -> None:
        if self._showing or self.question is None:
            return
        kind = QuestionKind(self.kind_choice.currentData())
        choices = self._choices(self.question) if kind is QuestionKind.SINGLE_CHOICE else ()
        flagged: tuple[str, ...]
        if kind is QuestionKind.YES_NO:
            flagged = tuple(a for a, box in self.flag_boxes.items() if box.isChecked())
        elif kind is QuestionKind.SINGLE_CHOICE:
            # Ticks belong to rows: a choice reworded keeps its tick.
            ticked = {
                n
                for n in range(self.flag_choices.count())
                if self.flag_choices.item(n).checkState() == Qt.CheckState.Checked
            }
            flagged = tuple(c.id for n, c in enumerate(choices) if n in ticked)
        else:
            flagged = ()
        kind_changed = kind is not self.question.kind
        self.question = dataclasses.replace(
            self.question,
            kind=kind,
            # A question is one line on the kiosk: a line break typed here is a space.
            text=" ".join(self.text_field.toPlainText().splitlines()),
            choices=choices,
            contraindication=self.contraindication.isChecked(),
            flag_answers=flagged,
            flag_wording=self.flag_wording.text() if kind is not QuestionKind.SHORT_TEXT else "",
        )
        if kind_changed or [c.id for c in choices] != [
            self.flag_choices.item(n).data(Qt.ItemDataRole.UserRole)
            for n in range(self.flag_choices.count())
        ]:
            self._show_kind(kind)
            self._show_flag_choices(self.question)
        self.edited.emit(self.question)
