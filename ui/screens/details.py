"""Your details: first name, last name and date of birth, typed on the screen.

The date of birth is asked so that it cannot be misread: the day and the year typed,
the month chosen by its name, and the date said back in words before Continue.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QWidget

from kiosk.overriding import override
from kiosk.visit import BirthDateParts, DetailsProblem
from ui.interface_language import InterfaceLanguage
from ui.screens.form_screen import FormScreen
from ui.screens.patient_screen import make_button, make_label
from ui.widgets.month_picker import MonthPicker
from ui.widgets.on_screen_keyboard import KeyboardPage


class DetailsScreen(FormScreen):
    """Asks who the patient is.

    Signals:
        submitted(str, str, object): first name and last name as typed, and the date of
            birth as `BirthDateParts`.
    """

    submitted = Signal(str, str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent=parent)
        self.set_title(self.tr("Your details"))
        self.form.add_field("first_name", self.tr("First name"), KeyboardPage.LETTERS)
        self.form.add_field("last_name", self.tr("Last name"), KeyboardPage.LETTERS)
        self.form.add_heading(self.tr("Date of birth"))
        self.form.add_field(
            "birth_day",
            self.tr("Day"),
            KeyboardPage.NUMBERS,
            max_length=2,
            description=self.tr(
                "Type the day of the month you were born, for example 5, with the number "
                "keys below."
            ),
        )
        self.months = MonthPicker()
        self.months.name_months(InterfaceLanguage.locale())
        self.months.chosen.connect(self._say_birth_date)
        self.form.add_row(self.tr("Month"), self.months)
        self.form.add_field(
            "birth_year",
            self.tr("Year"),
            KeyboardPage.NUMBERS,
            placeholder=self.tr("for example 1968"),
            max_length=4,
            description=self.tr("Type the year you were born, all four digits."),
        )
        for key in ("birth_day", "birth_year"):
            self.form.fields[key].textChanged.connect(self._say_birth_date)
        # Said back in words, so that a date typed wrong is seen before Continue.
        self.birth_date_words = make_label("", "birthDateWords")
        self.birth_date_words.hide()
        self.place_form()
        self.body.insertWidget(self.body.indexOf(self.form) + 1, self.birth_date_words)
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
            DetailsProblem.BIRTH_MONTH_MISSING: self.tr("Please choose the month you were born."),
            DetailsProblem.BIRTH_DATE_INVALID: self.tr(
                "Please check your date of birth: the day is a number from 1 to 31, and "
                "the year has four digits, for example 1968."
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
            DetailsProblem.BIRTH_DATE_MISSING: "birth_day",
            DetailsProblem.BIRTH_MONTH_MISSING: "birth_year",
            DetailsProblem.BIRTH_DATE_INVALID: "birth_day",
            DetailsProblem.BIRTH_DATE_IN_FUTURE: "birth_year",
            DetailsProblem.BIRTH_DATE_TOO_OLD: "birth_year",
        }

    @override
    def restyled(self) -> None:
        """Larger text: fewer months side by side."""
        self.months.restyled()
        super().restyled()

    def birth_date(self) -> BirthDateParts:
        """The date of birth as typed and chosen."""
        return BirthDateParts(
            self.form.value("birth_day"), self.months.month(), self.form.value("birth_year")
        )

    def _say_birth_date(self) -> None:
        born = self.birth_date().as_date()
        if born is None:
            self.birth_date_words.hide()
            return
        # Qt's date format, translated with the rest: the month's name from the locale.
        words = InterfaceLanguage.locale().toString(
            QDate(born.year, born.month, born.day), self.tr("MMMM d, yyyy")
        )
        self.birth_date_words.setText(self.tr("Your date of birth: {0}").format(words))
        self.birth_date_words.show()

    def _submit(self) -> None:
        self.submitted.emit(
            self.form.value("first_name"), self.form.value("last_name"), self.birth_date()
        )
