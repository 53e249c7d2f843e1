"""Done: thanks, what to do now, and whether a team member will come to talk."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui.screens.patient_screen import make_button, make_label


class DoneScreen(QWidget):
    """The last screen; the kiosk returns to Welcome by itself a few seconds later.

    Signals:
        finished: the patient tapped "Finish" (back to Welcome at once).
    """

    finished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("patientScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(64, 64, 64, 64)
        layout.setSpacing(32)
        self.heading = make_label(self.tr("Thank you. You are checked in."), "clinicName")
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.next_steps = make_label("", "welcomeText")
        self.next_steps.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.finish_button = make_button(self.tr("Finish"), "primaryButton")
        self.finish_button.clicked.connect(self.finished)
        layout.addStretch(1)
        layout.addWidget(self.heading)
        layout.addWidget(self.next_steps)
        layout.addStretch(1)
        layout.addWidget(self.finish_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)

    def show_outcome(self, *, stopped_to_talk: bool, flagged: bool) -> None:
        """Say what happens next for this visit."""
        if stopped_to_talk:
            self.heading.setText(self.tr("Thank you. A team member will come to talk with you."))
            self.next_steps.setText(
                self.tr(
                    "You do not need to sign anything now. Please take a seat; we will be with "
                    "you soon."
                )
            )
        elif flagged:
            self.heading.setText(self.tr("Thank you. You are checked in."))
            self.next_steps.setText(
                self.tr(
                    "A member of our team will talk with you before your treatment. Please take "
                    "a seat; we will call your name."
                )
            )
        else:
            self.heading.setText(self.tr("Thank you. You are checked in."))
            self.next_steps.setText(
                self.tr(
                    "Please take a seat. We will call your name when it is time for your treatment."
                )
            )
