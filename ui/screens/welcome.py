"""Welcome: the clinic's name, what happens next, and one big Start button."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui.screens.patient_screen import make_button, make_label


class WelcomeScreen(QWidget):
    """The screen every visit starts from; it holds nothing about any patient.

    Signals:
        start_requested: the patient tapped Start.
    """

    start_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("patientScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(64, 64, 64, 64)
        layout.setSpacing(40)
        self.clinic_name = make_label("", "clinicName")
        self.clinic_name.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.explanation = make_label(
            self.tr(
                "Welcome. Please check in here before your treatment. It takes about "
                "5–10 minutes: a few short pages about the treatment, some questions, your "
                "consent, and who will take you home."
            ),
            "welcomeText",
        )
        self.explanation.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.start_button = make_button(self.tr("Start"), "startButton")
        self.start_button.clicked.connect(self.start_requested)
        layout.addStretch(2)
        layout.addWidget(self.clinic_name)
        layout.addWidget(self.explanation)
        self.paused_sign = make_label(
            self.tr(
                "Check-in at this screen is paused for a moment. Please see the front "
                "desk — we'll check you in there."
            ),
            "pausedSign",
        )
        self.paused_sign.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.paused_sign.hide()
        layout.addStretch(1)
        layout.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.paused_sign)
        layout.addStretch(2)

    def show_clinic(self, clinic_name: str) -> None:
        """Show the clinic's name from the content in use."""
        self.clinic_name.setText(clinic_name)

    def show_paused(self, paused: bool) -> None:
        """While check-in is paused, Start gives way to a sign sending patients to the desk."""
        self.paused_sign.setVisible(paused)
        self.start_button.setVisible(not paused)
