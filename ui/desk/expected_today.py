"""Today's expected returning patients: the list the kiosk matches names against.

Staff add a patient by name and date of birth, the patient of the visit open at the
desk, or a day's schedule as a CSV; every decision and audit entry is in
`kiosk.expected` (through the front desk's use cases); this window shows and forwards.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.actor import Actor
from kiosk.expected import ExpectedListError, ExpectedPatient, ImportedList
from kiosk.front_desk import FrontDesk
from kiosk.patients import PatientError
from kiosk.station import StorageUnavailableError
from ui.plain_text import plain_label

# Refused before reading: a day's list is far smaller (kiosk.expected checks it too).
_LARGEST_FILE = 1024 * 1024


class ExpectedTodayDialog(QDialog):
    """Who is expected back today; add, import, remove."""

    def __init__(
        self,
        front_desk: FrontDesk,
        action: Callable[[], Actor],
        *,
        patient_id: int | None = None,
        patient_name: str = "",
        parent: QWidget | None = None,
    ) -> None:
        """`patient_id`: the patient of the visit open at the desk, offered with one tap."""
        super().__init__(parent)
        self.setObjectName("expectedToday")
        self.setWindowTitle(self.tr("Expected today"))
        self.front_desk = front_desk
        self.action = action
        self.patient_id = patient_id
        self.entries: list[ExpectedPatient] = []
        self.explanation = plain_label(
            self.tr(
                "Returning patients expected today. A patient on this list who types the "
                "same name and date of birth at the kiosk gets the shorter return visit; "
                "anyone else gets the whole first visit."
            ),
            wrap=True,
        )
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Time"), self.tr("Name"), self.tr("Date of birth"), self.tr("Record")]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.message = plain_label(object_name="expectedMessage", wrap=True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addWidget(self.table, 1)
        layout.addLayout(self._build_form())
        layout.addLayout(self._build_buttons(patient_name))
        layout.addWidget(self.message)
        self.resize(900, 560)
        self.reload()

    def _build_form(self) -> QGridLayout:
        self.first_name = QLineEdit()
        self.first_name.setObjectName("expectedFirstName")
        self.last_name = QLineEdit()
        self.last_name.setObjectName("expectedLastName")
        self.date_of_birth = QLineEdit()
        self.date_of_birth.setObjectName("expectedDateOfBirth")
        self.date_of_birth.setPlaceholderText("MM/DD/YYYY")
        self.time = QLineEdit()
        self.time.setObjectName("expectedTime")
        self.time.setPlaceholderText(self.tr("9:30 AM (optional)"))
        self.add_button = QPushButton(self.tr("Add"))
        self.add_button.clicked.connect(self.add_typed)
        form = QGridLayout()
        for column, (words, field) in enumerate(
            (
                (self.tr("First name"), self.first_name),
                (self.tr("Last name"), self.last_name),
                (self.tr("Date of birth"), self.date_of_birth),
                (self.tr("Time"), self.time),
            )
        ):
            form.addWidget(plain_label(words, names=field), 0, column)
            form.addWidget(field, 1, column)
        form.addWidget(self.add_button, 1, 4)
        return form

    def _build_buttons(self, patient_name: str) -> QHBoxLayout:
        self.add_patient_button = QPushButton(
            self.tr("Add {0} (the visit open at the desk)").format(patient_name)
            if self.patient_id is not None
            else self.tr("Add the open visit's patient")
        )
        self.add_patient_button.setEnabled(self.patient_id is not None)
        self.add_patient_button.clicked.connect(self.add_open_patient)
        self.import_button = QPushButton(self.tr("Import a CSV…"))
        self.import_button.setToolTip(
            self.tr("A file whose first line names the columns: name, date of birth, time.")
        )
        self.import_button.clicked.connect(self.import_csv)
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.clicked.connect(self.remove_selected)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        for button in (self.add_patient_button, self.import_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        return buttons

    @classmethod
    def file_to_import(cls, parent: QWidget) -> Path | None:
        """Ask which CSV to import (a class method, so a test can answer it)."""
        chosen, _ = QFileDialog.getOpenFileName(
            parent, parent.tr("Import today's list"), "", parent.tr("CSV files (*.csv)")
        )
        return Path(chosen) if chosen else None

    def reload(self) -> None:
        """Show today's list as stored."""
        try:
            self.entries = self.front_desk.expected_today(now=self.action().now)
        except StorageUnavailableError:
            self._say(self.tr("The list cannot be loaded right now; try again."))
            return
        self.table.setRowCount(len(self.entries))
        for row, entry in enumerate(self.entries):
            record = (
                self.tr("number {0}").format(entry.patient_id)
                if entry.patient_id is not None
                else self.tr("no record: a first visit")
            )
            for column, text in enumerate(
                (entry.expected_at, entry.name, f"{entry.date_of_birth:%m/%d/%Y}", record)
            ):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.setWindowTitle(self.tr("Expected today ({0})").format(len(self.entries)))

    def _say(self, text: str) -> None:
        self.message.setText(text)

    def _do(self, change: Callable[[], object], done: str) -> bool:
        try:
            change()
        except (ExpectedListError, PatientError, StorageUnavailableError) as error:
            self._say(str(error))
            return False
        self._say(done)
        self.reload()
        return True

    def add_typed(self) -> None:
        """Add the patient typed in the fields."""
        first, last = self.first_name.text(), self.last_name.text()
        born, at = self.date_of_birth.text(), self.time.text()
        if self._do(
            lambda: self.front_desk.expect(first, last, born, at, self.action()),
            self.tr("Added to today's list."),
        ):
            for field in (self.first_name, self.last_name, self.date_of_birth, self.time):
                field.clear()

    def add_open_patient(self) -> None:
        """Add the patient of the visit open at the desk."""
        patient_id, at = self.patient_id, self.time.text()
        if patient_id is None:
            return
        self._do(
            lambda: self.front_desk.expect_patient(patient_id, at, self.action()),
            self.tr("Added to today's list."),
        )

    def remove_selected(self) -> None:
        """Take the chosen patient off the list."""
        rows = sorted({index.row() for index in self.table.selectedIndexes()})
        if not rows:
            self._say(self.tr("Choose a patient in the list first."))
            return
        entry = self.entries[rows[0]]
        self._do(
            lambda: self.front_desk.remove_expected(entry.id, self.action()),
            self.tr("Removed from today's list."),
        )

    def import_csv(self) -> None:
        """Import a day's schedule: all of it, or nothing and a plain reason."""
        path = self.file_to_import(self)
        if path is None:
            return
        try:
            if path.stat().st_size > _LARGEST_FILE:
                self._say(
                    self.tr("The file is far larger than a day's list: is it the right file?")
                )
                return
            raw = path.read_bytes()
        except OSError as error:
            self._say(self.tr("The file cannot be read: {0}").format(error.strerror))
            return
        imported: list[ImportedList] = []
        if self._do(
            lambda: imported.append(self.front_desk.import_expected(raw, self.action())), ""
        ):
            self._say(
                self.tr("Imported: {0} added, {1} already on the list.").format(
                    imported[0].added, imported[0].already_listed
                )
            )
