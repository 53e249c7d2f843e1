"""Review: every answer on one screen, each changeable with one tap, then confirm."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QWidget

from ui.screens.patient_screen import PatientScreen, clear_layout, make_button, make_label


class ReviewScreen(PatientScreen):
    """Lists the questions with the patient's answers.

    Signals:
        change_requested(str): the patient tapped "Change" on a question (its id).
        confirmed: "I confirm these answers are correct".
    """

    change_requested = Signal(str)
    confirmed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent=parent)
        self.set_title(self.tr("Please check your answers"))
        self.rows = QFrame()
        self.grid = QGridLayout(self.rows)
        self.grid.setHorizontalSpacing(20)
        self.grid.setVerticalSpacing(16)
        self.grid.setColumnStretch(0, 3)
        # Typed words or a long choice wrap in their share; the question keeps the most room.
        self.grid.setColumnStretch(1, 2)
        self.body.addWidget(self.rows)
        self.body.addStretch(1)
        self.confirm_button = make_button(
            self.tr("I confirm these answers are correct"),
            "primaryButton",
            self.tr("Keeps these answers and goes on to the consent page."),
        )
        # Its own size at the footer's right end, as Next and Continue are on every page.
        self.footer.addStretch(1)
        self.footer.addWidget(self.confirm_button)
        self.confirm_button.clicked.connect(self.confirmed)
        self._question_ids: list[str] = []
        self._answer_labels: dict[str, QLabel] = {}

    def set_questions(self, questions: list[tuple[str, str]]) -> None:
        """Lay out a row for each (question id, question text), before any answer is shown.

        The kiosk calls this as a visit begins, so the screen is built and styled before
        the patient reaches it: building fifteen widgets on the last answer's tap made
        that tap take two frames (bench/screens.py).
        """
        clear_layout(self.grid)
        self._question_ids = [question_id for question_id, _ in questions]
        self._answer_labels = {}
        for row, (question_id, text) in enumerate(questions):
            self.grid.addWidget(make_label(text, "reviewQuestion"), row, 0)
            # "Yes" stays on one line; a choice or typed words may need several.
            answer = make_label("", "reviewAnswer")
            self._answer_labels[question_id] = answer
            self.grid.addWidget(answer, row, 1)
            change = make_button(
                self.tr("Change"),
                description=self.tr("Goes back to this question so you can change your answer."),
            )
            change.setAccessibleName(self.tr("Change the answer to: {0}").format(text))
            change.clicked.connect(lambda _=False, q=question_id: self.change_requested.emit(q))
            self.grid.addWidget(change, row, 2)
        self.rows.ensurePolished()

    def show_answers(self, answers: list[tuple[str, str, str]]) -> None:
        """Show (question id, question text, answer as read) rows, replacing what was shown."""
        if [question_id for question_id, _, _ in answers] != self._question_ids:
            self.set_questions([(question_id, text) for question_id, text, _ in answers])
        for question_id, _, words in answers:
            label = self._answer_labels[question_id]
            label.setWordWrap(len(words) > 12)
            label.setText(words)
        self.scroll_to_top()
