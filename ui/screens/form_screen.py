"""What the details and ride-home screens share: fields, the keyboard, a problem note."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum

from PySide6.QtCore import QEvent, QObject, QPoint, QTimer
from PySide6.QtWidgets import QLineEdit, QWidget

from kiosk.overriding import override
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
        # The keyboard below settles its size only once drawn (its keys are polished
        # then): each time the page's room changes, the question is put back in view.
        self.scroll_area.viewport().installEventFilter(self)

    def place_form(self) -> None:
        """Put the fields, the problem note and the keyboard on the screen (call once)."""
        self.body.addWidget(self.form)
        self.body.addWidget(self.problem)
        self.body.addStretch(1)
        self.dock.addWidget(self.keyboard)
        self.keep_body_in_view()

    def begin(self) -> None:
        """Ready for typing: the keyboard on the first field, the page from its top."""
        self.form.focus_first()
        self.scroll_to_top()
        QTimer.singleShot(0, self, self._top_in_view)

    def _top_in_view(self) -> None:
        """The title and what it asks stay in view as long as the field being typed in
        fits below them; only a field further down scrolls them away."""
        inner = self.scroll_area.widget()
        focused = self.focusWidget()
        if inner is None:
            return
        field = focused if isinstance(focused, QLineEdit) and inner.isAncestorOf(focused) else None
        shown = [w for w in (field, self.problem) if w is not None and not w.isHidden()]
        bottom = max((w.mapTo(inner, QPoint(0, w.height())).y() + 16 for w in shown), default=0)
        if bottom <= self.scroll_area.viewport().height():
            self.scroll_to_top()
        else:
            for widget in shown:
                self.scroll_area.ensureWidgetVisible(widget, 0, 16)

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The page's room changed (the keyboard settled, a rotation): top back in view."""
        if watched is self.scroll_area.viewport() and event.type() == QEvent.Type.Resize:
            QTimer.singleShot(0, self, self._top_in_view)
        return super().eventFilter(watched, event)

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
