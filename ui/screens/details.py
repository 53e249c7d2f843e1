"""Your details: first name, last name and date of birth, typed on the screen."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from kiosk.visit import DetailsProblem
from ui.screens.form_screen import FormScreen
from ui.screens.patient_screen import make_button
from ui.widgets.on_screen_keyboard import KeyboardPage


class DetailsScreen(FormScreen):
    """Asks who the patient is.

    Signals:
        submitted(str, str, str): first name, last name and date of birth as typed.
    """

    submitted = Signal(str, str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent=parent)
        self.set_title(self.tr("Your details"))
        self.form.add_field("first_name", self.tr("First name"), KeyboardPage.LETTERS)
        self.form.add_field("last_name", self.tr("Last name"), KeyboardPage.LETTERS)
        self.form.add_field(
            "birth_date",
            self.tr("Date of birth (month / day / year)"),
            KeyboardPage.NUMBERS,
            placeholder=self.tr("MM/DD/YYYY"),
            max_length=10,
            description=self.tr(
                "Type the month, the day and the year, for example 04/15/1968, with the "
                "number keys below this box."
            ),
        )
        self.place_form()
        self.continue_button = make_button(
            self.tr("Continue ›"), "primaryButton", self.tr("Goes on to the next page.")
        )
        self.continue_button.setAccessibleName(self.tr("Continue"))
        self.continue_button.clicked.connect(self._submit)
        # Enter in the last field: as if Continue were pressed.
        self.form.submitted.connect(self.continue_button.click)
        self.footer.addStretch(1)
        self.footer.addWidget(self.continue_button)
        self.problem_words = {
            DetailsProblem.FIRST_NAME_MISSING: self.tr("Please enter your first name."),
            DetailsProblem.LAST_NAME_MISSING: self.tr("Please enter your last name."),
            DetailsProblem.NAME_TOO_LONG: self.tr(
                "That name is longer than we can store. "
                "Please shorten it, or ask at the front desk."
            ),
            DetailsProblem.BIRTH_DATE_MISSING: self.tr("Please enter your date of birth."),
            DetailsProblem.BIRTH_DATE_INVALID: self.tr(
                "Please enter your date of birth as month / day / year, for example 04/15/1968."
            ),
            DetailsProblem.BIRTH_DATE_IN_FUTURE: self.tr(
                "That date of birth is in the future. Please check it."
            ),
            DetailsProblem.BIRTH_DATE_TOO_OLD: self.tr(
                "Please check the year of your date of birth."
            ),
        }
        self.problem_fields = {
            DetailsProblem.FIRST_NAME_MISSING: "first_name",
            DetailsProblem.LAST_NAME_MISSING: "last_name",
            DetailsProblem.NAME_TOO_LONG: "first_name",
            DetailsProblem.BIRTH_DATE_MISSING: "birth_date",
            DetailsProblem.BIRTH_DATE_INVALID: "birth_date",
            DetailsProblem.BIRTH_DATE_IN_FUTURE: "birth_date",
            DetailsProblem.BIRTH_DATE_TOO_OLD: "birth_date",
        }

    def _submit(self) -> None:
        self.submitted.emit(
            self.form.value("first_name"),
            self.form.value("last_name"),
            self.form.value("birth_date"),
        )
