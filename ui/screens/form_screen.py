"""What the details and ride-home screens share: fields, the keyboard, a problem note."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum

from PySide6.QtWidgets import QWidget

from ui.screens.patient_screen import PatientScreen, make_label
from ui.widgets.keyboard_access import can_take_focus
from ui.widgets.keyboard_form import KeyboardForm
from ui.widgets.on_screen_keyboard import OnScreenKeyboard


class FormScreen(PatientScreen):
    """Fields typed on the kiosk's keyboard; what is wrong is said in plain words."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent=parent)
        self.keyboard = OnScreenKeyboard()
        self.form = KeyboardForm(self.keyboard)
        self.problem = make_label("", "problemMessage")
        self.problem.hide()
        self.problem_words: Mapping[StrEnum, str] = {}
        # The field to fix for each problem: a keyboard user is taken to the first one.
        self.problem_fields: Mapping[StrEnum, str] = {}
        self._problems: list[StrEnum] = []

    def place_form(self) -> None:
        """Put the fields, the problem note and the keyboard on the screen (call once)."""
        self.body.addWidget(self.form)
        self.body.addWidget(self.problem)
        self.body.addStretch(1)
        self.dock.addWidget(self.keyboard)
        self.keep_body_in_view()

    def begin(self) -> None:
        """Ready for typing: the keyboard on the first field."""
        self.form.focus_first()

    def show_problems(self, problems: Sequence[StrEnum]) -> None:
        """Say in plain words what to fix."""
        self._problems = list(problems)
        self.problem.setText("\n".join(self.problem_words[p] for p in problems))
        self.problem.setVisible(bool(problems))
        if problems:
            # On a short screen the message sits below the fields.
            self.bring_into_view(self.problem)

    def first_control(self) -> QWidget | None:
        """The first field to fix, when something is wrong; else the first field."""
        for problem in self._problems:
            field = self.form.fields.get(self.problem_fields.get(problem, ""))
            if field is not None and can_take_focus(field):
                return field
        return super().first_control()
