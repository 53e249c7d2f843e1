"""Ride home: who takes the patient home, or "I don't have a ride yet"."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from kiosk.visit import RideHomeProblem
from ui.screens.form_screen import FormScreen
from ui.screens.patient_screen import make_button, make_label
from ui.widgets.on_screen_keyboard import KeyboardPage


class RideHomeScreen(FormScreen):
    """Asks who is driving the patient home today.

    Signals:
        submitted(str, str, str): driver's name, phone and relationship as typed.
        no_ride_requested: "I don't have a ride yet".
    """

    submitted = Signal(str, str, str)
    no_ride_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent=parent)
        self.set_title(self.tr("Who is taking you home today?"))
        self.explanation = make_label(
            self.tr(
                "You must not drive for the rest of the day. Please tell us who will take you home."
            ),
            "instruction",
        )
        self.body.addWidget(self.explanation)
        self.form.add_field("driver_name", self.tr("Their name"), KeyboardPage.LETTERS)
        self.form.add_field(
            "phone",
            self.tr("Their phone number"),
            KeyboardPage.NUMBERS,
            max_length=20,
            description=self.tr("Type their phone number with the number keys below this box."),
        )
        self.form.add_field(
            "relationship",
            self.tr("How you know them"),
            KeyboardPage.LETTERS,
            placeholder=self.tr("for example: husband, friend"),
            max_length=60,
        )
        self.place_form()
        self.no_ride_button = make_button(
            self.tr("I don't have a ride yet"),
            "talkFirstButton",
            self.tr("Tells the front desk you still need a ride home, and finishes check-in."),
        )
        self.no_ride_button.clicked.connect(self.no_ride_requested)
        self.continue_button = make_button(
            self.tr("Continue ›"),
            "primaryButton",
            self.tr("Keeps who is taking you home, and finishes check-in."),
        )
        self.continue_button.setAccessibleName(self.tr("Continue"))
        self.continue_button.clicked.connect(self._submit)
        # Enter in the last field: as if Continue were pressed.
        self.form.submitted.connect(self.continue_button.click)
        self.footer.addWidget(self.no_ride_button, 1)
        self.footer.addWidget(self.continue_button, 1)
        self.problem_words = {
            RideHomeProblem.NAME_MISSING: self.tr(
                "Please enter the name of who is taking you home."
            ),
            RideHomeProblem.PHONE_MISSING: self.tr("Please enter their phone number."),
            RideHomeProblem.PHONE_INVALID: self.tr(
                "Please check the phone number: it should have 7 to 15 digits."
            ),
            RideHomeProblem.RELATIONSHIP_MISSING: self.tr("Please tell us how you know them."),
        }
        self.problem_fields = {
            RideHomeProblem.NAME_MISSING: "driver_name",
            RideHomeProblem.PHONE_MISSING: "phone",
            RideHomeProblem.PHONE_INVALID: "phone",
            RideHomeProblem.RELATIONSHIP_MISSING: "relationship",
        }

    def _submit(self) -> None:
        self.submitted.emit(
            self.form.value("driver_name"),
            self.form.value("phone"),
            self.form.value("relationship"),
        )
