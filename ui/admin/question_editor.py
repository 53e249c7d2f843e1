"""Editing one question: how it is answered, when it is asked, its wording, which answers
flag and what staff read; for a teach-back question, its slide, right answer and the
sentence of the slide quoted when the slide is shown again."""

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

from kiosk.content import Answer, Choice, Question, QuestionKind, QuestionSection, Slide
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
        self.asked_choice = QComboBox()
        self.asked_choice.setAccessibleName(self.tr("When it is asked"))
        for section, words in (
            (QuestionSection.SCREENING, self.tr("Every visit, with the questions")),
            (QuestionSection.PRE_INFUSION, self.tr("Return visits: before today's infusion")),
            (QuestionSection.SIDE_EFFECTS, self.tr("Return visits: since the last infusion")),
            (QuestionSection.TEACH_BACK, self.tr("Right after the slides: teach-back")),
        ):
            self.asked_choice.addItem(words, section.value)
        self.asked_choice.currentIndexChanged.connect(self._changed)
        add_form_row(form, self.tr("Asked"), self.asked_choice)
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

        self.flag_box = self._build_flags()
        layout.addWidget(self.flag_box)
        self.teach_back_box = self._build_teach_back()
        layout.addWidget(self.teach_back_box)
        layout.addStretch(1)
        # The slides a teach-back question can be about (id, title), from the draft.
        self._slides: tuple[Slide, ...] = ()
        self.setEnabled(False)

    def _build_teach_back(self) -> QGroupBox:
        box = QGroupBox(self.tr("Teach-back"))
        form = QFormLayout(box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        hint = plain_label(
            self.tr(
                "Asked right after the slides. An answer that is not right shows the slide "
                "again with its key sentence quoted, then asks once more; an answer still "
                "not right is a note for staff, never a flag."
            )
        )
        hint.setObjectName("editorHint")
        hint.setWordWrap(True)
        form.addRow(hint)
        self.slide_choice = QComboBox()
        self.slide_choice.setAccessibleName(self.tr("The slide it is about"))
        self.slide_choice.currentIndexChanged.connect(self._changed)
        add_form_row(form, self.tr("About the slide"), self.slide_choice)
        self.right_answer_choice = QComboBox()
        self.right_answer_choice.setAccessibleName(self.tr("The right answer"))
        self.right_answer_choice.currentIndexChanged.connect(self._changed)
        add_form_row(form, self.tr("Right answer"), self.right_answer_choice)
        self.key_sentence = QLineEdit()
        self.key_sentence.setAccessibleName(self.tr("Key sentence of the slide"))
        self.key_sentence.setPlaceholderText(self.tr("copied word for word from the slide's text"))
        self.key_sentence.setMaxLength(MAX_QUESTION_TEXT)
        self.key_sentence.textEdited.connect(self._changed)
        add_form_row(form, self.tr("Key sentence (quoted)"), self.key_sentence)
        return box

    def set_slides(self, slides: tuple[Slide, ...]) -> None:
        """The slides a teach-back question can name (the draft's, in the language shown)."""
        self._slides = slides

    def _show_teach_back(self, question: Question | None) -> None:
        self.slide_choice.clear()
        for slide in self._slides:
            self.slide_choice.addItem(slide.title or slide.id, slide.id)
        named = question.slide if question else None
        if named is not None and self.slide_choice.findData(named) < 0:
            self.slide_choice.addItem(self.tr("(no such slide: {0})").format(named), named)
        self.slide_choice.setCurrentIndex(max(self.slide_choice.findData(named), 0))
        self.right_answer_choice.clear()
        kind = question.kind if question else QuestionKind.YES_NO
        if kind is QuestionKind.YES_NO:
            words = answer_words()
            for answer in (Answer.YES, Answer.NO):
                self.right_answer_choice.addItem(words[answer], answer.value)
        else:
            for choice in question.choices if question else ():
                self.right_answer_choice.addItem(choice.text, choice.id)
        right = str(question.right_answer) if question and question.right_answer else None
        self.right_answer_choice.setCurrentIndex(max(self.right_answer_choice.findData(right), 0))
        self.key_sentence.setText(question.key_sentence if question else "")

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
        section = question.section if question else QuestionSection.SCREENING
        self.asked_choice.setCurrentIndex(self.asked_choice.findData(section.value))
        self._show_teach_back(question)
        self.choices_limit.hide()
        self._show_kind(kind)
        self._show_section(section)
        self._showing = False

    def _show_section(self, section: QuestionSection) -> None:
        # A teach-back question has a right answer, never a flag.
        taught = section is QuestionSection.TEACH_BACK
        self.flag_box.setVisible(not taught)
        self.teach_back_box.setVisible(taught)

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
        section = QuestionSection(self.asked_choice.currentData())
        section_changed = section is not self.question.section
        taught = section is QuestionSection.TEACH_BACK
        right = self.right_answer_choice.currentData() if taught else None
        self.question = dataclasses.replace(
            self.question,
            kind=kind,
            # A question is one line on the kiosk: a line break typed here is a space.
            text=" ".join(self.text_field.toPlainText().splitlines()),
            choices=choices,
            # A teach-back question never raises a flag; another has no right answer.
            contraindication=self.contraindication.isChecked() and not taught,
            flag_answers=() if taught else flagged,
            flag_wording=(
                self.flag_wording.text()
                if kind is not QuestionKind.SHORT_TEXT and not taught
                else ""
            ),
            section=section,
            slide=self.slide_choice.currentData() if taught else None,
            right_answer=(Answer(right) if kind is QuestionKind.YES_NO and right else right)
            or None,
            key_sentence=self.key_sentence.text().strip() if taught else "",
        )
        if section_changed:
            self._show_section(section)
        if taught and (kind_changed or section_changed):
            self._showing = True
            self._show_teach_back(self.question)
            self._showing = False
        if kind_changed or [c.id for c in choices] != [
            self.flag_choices.item(n).data(Qt.ItemDataRole.UserRole)
            for n in range(self.flag_choices.count())
        ]:
            self._show_kind(kind)
            self._show_flag_choices(self.question)
        self.edited.emit(self.question)
