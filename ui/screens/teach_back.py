"""Teach-back: one question on what a slide said, answered with a tap, after the slides."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QBoxLayout, QVBoxLayout, QWidget

from kiosk.content import Answer, Question, QuestionKind
from kiosk.overriding import override
from ui.plain_text import WordsButton
from ui.screens.patient_screen import (
    PatientScreen,
    answer_words,
    clear_layout,
    make_button,
    make_label,
)


class TeachBackScreen(PatientScreen):
    """Asks one teach-back question: Yes / No / Not sure, or one button per choice.

    Nothing is marked right or wrong here: an answer that is not right brings the slide
    again (another screen), and the question after it.

    Signals:
        answered(str): the patient tapped an answer (an `Answer` value or a choice's ID).
    """

    answered = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent=parent)
        self.progress = self.add_progress()
        self.intro = make_label("", "instructions")
        self.body.insertWidget(1, self.intro)
        self.title.setObjectName("questionText")
        self.add_read_aloud_button()
        self.yes_no = QWidget()
        row = QBoxLayout(QBoxLayout.Direction.LeftToRight, self.yes_no)
        self.stack_when_too_wide(row)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(24)
        self.answer_buttons: dict[Answer, WordsButton] = {}
        for answer, text in answer_words().items():
            button = make_button(text, "answerButton", self.tr("Chooses this answer."))
            button.clicked.connect(lambda _=False, a=answer: self.answered.emit(a.value))
            row.addWidget(button)
            self.answer_buttons[answer] = button
        self.body.addWidget(self.yes_no)
        self.choices = QWidget()
        self.choice_column = QVBoxLayout(self.choices)
        self.choice_column.setContentsMargins(0, 0, 0, 0)
        self.choice_column.setSpacing(16)
        self.choice_buttons: dict[str, WordsButton] = {}
        self.body.addWidget(self.choices)
        self.body.addStretch(1)
        self.footer.addStretch(1)
        self._kind = QuestionKind.YES_NO

    def show_question(self, question: Question, number: int, total: int, *, again: bool) -> None:
        """Question `number` of `total`; `again` once its slide has been shown again."""
        self._kind = question.kind
        self.progress.setText(self.tr("Checking what you read: {0} of {1}").format(number, total))
        self.intro.setText(
            self.tr("Now that you have seen that page again, here is the question once more.")
            if again
            else self.tr(
                "A few questions about what you have just read. If one is unclear, "
                "we show you that page again."
            )
        )
        self.set_title(question.text)
        self.yes_no.setVisible(question.kind is QuestionKind.YES_NO)
        clear_layout(self.choice_column)
        self.choice_buttons = {}
        self.choices.setVisible(question.kind is QuestionKind.SINGLE_CHOICE)
        if question.kind is QuestionKind.SINGLE_CHOICE:
            for choice in question.choices:
                button = make_button(choice.text, "choiceButton", self.tr("Chooses this answer."))
                button.clicked.connect(lambda _=False, c=choice.id: self.answered.emit(c))
                self.choice_column.addWidget(button)
                button.show()  # now, not at the next turn of the event loop
                self.choice_buttons[choice.id] = button
        self.stack_rows_if_too_wide()
        self.scroll_to_top()

    @override
    def spoken_lines(self) -> list[str]:
        """Where the visit is, the words above the question, the question, the answers."""
        buttons = (
            self.answer_buttons.values()
            if self._kind is QuestionKind.YES_NO
            else self.choice_buttons.values()
        )
        return [
            self.intro.text(),
            self.title.text(),
            *(button.accessibleName() for button in buttons),
        ]
