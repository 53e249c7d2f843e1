"""Correct a typo in the name or date of birth a patient typed: the visit's three fields."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kiosk.visit_record import VisitRecord
from ui.plain_text import plain_label


@dataclass(frozen=True)
class TypedCorrection:
    """What staff typed: the fields as they should read (the date as MM/DD/YYYY)."""

    first_name: str
    last_name: str
    date_of_birth: str


class CorrectionDialog(QDialog):
    """The visit's name and date of birth, ready to be corrected; OK hands them on."""

    def __init__(self, visit: VisitRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("correctionDialog")
        self.setWindowTitle(self.tr("Correct the name or date of birth"))
        explanation = plain_label(
            self.tr(
                "Correct what the patient typed. What they typed is kept with the visit, "
                "with your name and the time."
            ),
            wrap=True,
        )
        self.first_name = QLineEdit(visit.first_name)
        self.first_name.setObjectName("correctFirstName")
        self.last_name = QLineEdit(visit.last_name)
        self.last_name.setObjectName("correctLastName")
        self.date_of_birth = QLineEdit(f"{visit.date_of_birth:%m/%d/%Y}")
        self.date_of_birth.setObjectName("correctDateOfBirth")
        form = QFormLayout()
        form.addRow(self.tr("First name"), self.first_name)
        form.addRow(self.tr("Last name"), self.last_name)
        form.addRow(self.tr("Date of birth (MM/DD/YYYY)"), self.date_of_birth)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def correction(self) -> TypedCorrection:
        """What the fields say now."""
        return TypedCorrection(
            self.first_name.text(), self.last_name.text(), self.date_of_birth.text()
        )
