"""One question: big Yes / No / Not sure buttons, one button per choice, or typed words."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QBoxLayout, QVBoxLayout, QWidget

from kiosk.content import SHORT_TEXT_LIMIT, Answer, Question, QuestionKind
from kiosk.overriding import override
from ui.assistive_technology import mark_choice
from ui.plain_text import WordsButton
from ui.screens.patient_screen import (
    PatientScreen,
    answer_words,
    clear_layout,
    make_button,
    make_label,
)
from ui.widgets.keyboard_form import KeyboardForm
from ui.widgets.on_screen_keyboard import KeyboardPage, OnScreenKeyboard


class QuestionScreen(PatientScreen):
    """Asks one question; a flagging answer shows a calm note and waits for Continue.

    Signals:
        answered(str): the patient gave an answer: an `Answer` value, a choice's ID,
            or, for a short-text question, the words typed when they tapped Continue.
        continue_requested: the patient tapped Continue after the calm note.
    """

    answered = Signal(str)
    continue_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent=parent)
        self.progress = self.add_progress()
        # A measure's instructions ("Over the last 2 weeks, …"), above each of its items.
        self.lead = make_label("", "questionLead")
        self.body.insertWidget(1, self.lead)
        self.lead.stackUnder(self.title)
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
            button.setCheckable(True)
            mark_choice(button)
            button.clicked.connect(lambda _=False, a=answer: self.answered.emit(a.value))
            row.addWidget(button)
            self.answer_buttons[answer] = button
        self.body.addWidget(self.yes_no)
        # A single-choice question's buttons, one per row, rebuilt for each question.
        self.choices = QWidget()
        self.choice_column = QVBoxLayout(self.choices)
        self.choice_column.setContentsMargins(0, 0, 0, 0)
        self.choice_column.setSpacing(16)
        self.choice_buttons: dict[str, WordsButton] = {}
        self.body.addWidget(self.choices)
        # A short-text question: one field typed on the kiosk's own keyboard.
        self.keyboard = OnScreenKeyboard()
        self.form = KeyboardForm(self.keyboard)
        self.text_field = self.form.add_field(
            "typed_answer",
            self.tr("Your answer"),
            KeyboardPage.LETTERS,
            max_length=SHORT_TEXT_LIMIT,
        )
        self.body.addWidget(self.form)
        self.dock.addWidget(self.keyboard)
        self.calm_message = make_label(
            self.tr(
                "Thank you for telling us. A member of our team will talk with you about "
                "this before your treatment. Please go on with your check-in."
            ),
            "calmMessage",
        )
        self.body.addWidget(self.calm_message)
        # A question the voice does not read in the waiting room (PHQ-9 item 9 without
        # headphones, `kiosk.risk.read_aloud_skips`): a person can go through it instead.
        self.not_read_note = make_label(
            self.tr(
                "So that only you hear it, this question is not read aloud. You can read it "
                "on the screen, or a member of our team can go through it with you."
            ),
            "calmMessage",
        )
        self.body.addWidget(self.not_read_note)
        self.team_member_button = make_button(
            self.tr("Ask a team member to go through it with me"),
            "helpButton",
            self.tr("Lets the front desk know; someone comes to you."),
        )
        self.team_member_button.clicked.connect(self.help_requested)
        self.body.addWidget(self.team_member_button)
        self._not_read = False
        self.body.addStretch(1)
        # The publisher's attribution under each item of a measure, small and last.
        self.attribution = make_label("", "attribution")
        self.body.addWidget(self.attribution)
        self.continue_button = make_button(
            self.tr("Continue ›"), "primaryButton", self.tr("Goes on to the next page.")
        )
        self.continue_button.setAccessibleName(self.tr("Continue"))
        self.continue_button.clicked.connect(self._continue)
        # Enter in the answer's field: as if Continue were pressed.
        self.form.submitted.connect(self.continue_button.click)
        self.footer.addStretch(1)
        self.footer.addWidget(self.continue_button)
        self._kind = QuestionKind.YES_NO

    def show_question(
        self,
        question: Question,
        number: int,
        total: int,
        answer: str | None,
        *,
        flagged: bool,
        not_read_aloud: bool = False,
    ) -> None:
        """Show the question, the answer already given (if any) and the calm note if flagged.

        `not_read_aloud`: "Read to me" leaves this one unread, and offers a person instead.
        """
        self._kind = question.kind
        self._not_read = not_read_aloud
        self._show_not_read()
        self.progress.setText(self.tr("Question {0} of {1}").format(number, total))
        self.set_title(question.text)
        self.lead.setText(question.lead)
        self.lead.setVisible(bool(question.lead))
        self.attribution.setText(question.attribution)
        self.attribution.setVisible(bool(question.attribution))
        self.yes_no.setVisible(question.kind is QuestionKind.YES_NO)
        words = answer_words()
        for option, button in self.answer_buttons.items():
            _mark(button, words[option], chosen=option == answer)
        self._show_choices(question, answer)
        typed = question.kind is QuestionKind.SHORT_TEXT
        self.form.setVisible(typed)
        self.keyboard.setVisible(typed)
        self.text_field.setText(answer if typed and answer else "")
        if typed:
            self.keep_body_in_view()
            self.form.focus_first()
        self.calm_message.setVisible(flagged)
        self.continue_button.setVisible(flagged or typed)
        # "✓ Not sure" is wider than "Not sure".
        self.stack_rows_if_too_wide()
        self.scroll_to_top()

    def _show_choices(self, question: Question, answer: str | None) -> None:
        clear_layout(self.choice_column)
        self.choice_buttons = {}
        self.choices.setVisible(question.kind is QuestionKind.SINGLE_CHOICE)
        for choice in question.choices:
            button = make_button(choice.text, "choiceButton", self.tr("Chooses this answer."))
            button.setCheckable(True)
            mark_choice(button)
            _mark(button, choice.text, chosen=choice.id == answer)
            button.clicked.connect(lambda _=False, c=choice.id: self.answered.emit(c))
            self.choice_column.addWidget(button)
            button.show()  # now, not at the next turn of the event loop
            self.choice_buttons[choice.id] = button

    @override
    def offer_read_aloud(self, *, available: bool) -> None:
        """Show "Read to me" where a voice can read; with it, the offer of a person for a
        question it does not read."""
        super().offer_read_aloud(available=available)
        self._show_not_read()

    def _show_not_read(self) -> None:
        reading = self.read_aloud_button is not None and self.read_aloud_button.isVisibleTo(self)
        for widget in (self.not_read_note, self.team_member_button):
            widget.setVisible(self._not_read and reading)

    @override
    def spoken_lines(self) -> list[str]:
        """The question, then the answers to choose from (or, for one not read aloud in
        the waiting room, why not and what the patient can do)."""
        if self._not_read:
            return [self.not_read_note.text(), self.team_member_button.text()]
        if self._kind is QuestionKind.YES_NO:
            answers = [button.accessibleName() for button in self.answer_buttons.values()]
        else:
            answers = [button.accessibleName() for button in self.choice_buttons.values()]
        lead = [self.lead.text()] if self.lead.text() else []
        return [*lead, self.title.text(), *answers]

    def first_control(self) -> QWidget | None:
        """Where a keyboard user starts: the typed answer, Continue after the calm note,
        else the answer already given (changing it from review), else the first answer."""
        if self._kind is QuestionKind.SHORT_TEXT:
            return self.text_field
        if self.calm_message.isVisibleTo(self):
            return self.continue_button
        buttons = [*self.answer_buttons.values(), *self.choice_buttons.values()]
        chosen = [b for b in buttons if b.isChecked() and b.isVisibleTo(self)]
        return chosen[0] if chosen else super().first_control()

    def _continue(self) -> None:
        if self._kind is QuestionKind.SHORT_TEXT:
            self.answered.emit(self.text_field.text())
        else:
            self.continue_requested.emit()


def _mark(button: WordsButton, words: str, *, chosen: bool) -> None:
    # Never colour alone: the answer given also has a tick. Its accessible name stays the
    # answer's words; screen readers announce "checked" from the button's state. The
    # words show as written, "&" included (see WordsButton).
    button.setChecked(chosen)
    button.setText(f"✓ {words}" if chosen else words)
    button.setAccessibleName(words)
