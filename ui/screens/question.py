"""One contraindication question with big Yes / No / Not sure buttons."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from kiosk.content import Answer, Question
from ui.screens.patient_screen import PatientScreen, answer_words, make_button, make_label


class QuestionScreen(PatientScreen):
    """Asks one question; a flagging answer shows a calm note and waits for Continue.

    Signals:
        answered(str): the patient tapped an answer (an `Answer` value).
        continue_requested: the patient tapped Continue after the calm note.
    """

    answered = Signal(str)
    continue_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent=parent)
        self.progress = make_label("", "progress")
        self.body.insertWidget(0, self.progress)
        self.title.setObjectName("questionText")
        row = QHBoxLayout()
        row.setSpacing(24)
        self.answer_buttons: dict[Answer, QPushButton] = {}
        for answer, text in answer_words().items():
            button = make_button(text, "answerButton")
            button.setCheckable(True)
            button.clicked.connect(lambda _=False, a=answer: self.answered.emit(a.value))
            row.addWidget(button)
            self.answer_buttons[answer] = button
        self.body.addLayout(row)
        self.calm_message = make_label(
            self.tr(
                "Thank you for telling us. A member of our team will talk with you about "
                "this before your treatment. Please go on with your check-in."
            ),
            "calmMessage",
        )
        self.body.addWidget(self.calm_message)
        self.body.addStretch(1)
        self.continue_button = make_button(self.tr("Continue ›"), "primaryButton")
        self.continue_button.setAccessibleName(self.tr("Continue"))
        self.continue_button.clicked.connect(self.continue_requested)
        self.footer.addStretch(1)
        self.footer.addWidget(self.continue_button)

    def show_question(
        self, question: Question, number: int, total: int, answer: Answer | None, *, flagged: bool
    ) -> None:
        """Show the question, the answer already given (if any) and the calm note if flagged."""
        self.progress.setText(self.tr("Question {0} of {1}").format(number, total))
        self.set_title(question.text)
        for option, button in self.answer_buttons.items():
            button.setChecked(option is answer)
        self.calm_message.setVisible(flagged)
        self.continue_button.setVisible(flagged)
        self.scroll_to_top()
