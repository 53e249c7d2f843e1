"""Editing what the pack says about the clinic: its name, its logo, the slides' pace, and
the risk path's settings (who responds to a PHQ-9 answer about self-harm, headphones)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kiosk.pack_limits import MAX_TITLE
from kiosk.pictures import PictureError, import_picture, read_picture_file
from ui.admin.length_limit import LengthLimit
from ui.admin.picture_file_dialog import PictureFileDialog
from ui.admin.thumbnail import thumbnail
from ui.plain_text import add_form_row, plain_label

LOGO_THUMBNAIL = QSize(240, 120)


class ClinicEditor(QWidget):
    """The clinic's name (on the kiosk's Welcome screen), logo, and seconds per slide.

    Signals:
        name_edited(str): the clinic's name as it now reads.
        seconds_edited(int): seconds a slide stays before "Next" can be tapped.
        logo_chosen(object, object): the logo's picture name (None: no logo) and its
            bytes as a dict of name to bytes (empty when removed).
        responder_edited(str): who responds to a risk answer (`kiosk.risk`), as typed.
        headphones_edited(bool): whether the kiosk's "Read to me" uses headphones.
    """

    name_edited = Signal(str)
    seconds_edited = Signal(int)
    logo_chosen = Signal(object, object)
    responder_edited = Signal(str)
    headphones_edited = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._showing = False
        # While a translation is edited only the clinic's name changes.
        self.translating = False
        outer = QVBoxLayout(self)
        form = QFormLayout()
        self.name_field = QLineEdit()
        self.name_field.setAccessibleName(self.tr("Clinic name"))
        self.name_field.textEdited.connect(self.name_edited)
        add_form_row(form, self.tr("Clinic name"), self.name_field)
        self.name_limit = LengthLimit(
            self.name_field,
            MAX_TITLE,
            self.tr("The clinic's name can be at most {0} characters.").format(MAX_TITLE),
        )
        form.addRow(self.name_limit)
        self.seconds_field = QSpinBox()
        self.seconds_field.setRange(0, 120)
        self.seconds_field.setSuffix(self.tr(" seconds"))
        self.seconds_field.setAccessibleName(self.tr("Seconds before Next"))
        self.seconds_field.valueChanged.connect(self._seconds_changed)
        add_form_row(form, self.tr("Each slide stays at least"), self.seconds_field)
        logo_row = QHBoxLayout()
        self.logo = plain_label()
        self.logo.setFixedSize(LOGO_THUMBNAIL)
        self.logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo.setObjectName("logoThumbnail")
        logo_row.addWidget(self.logo)
        self.choose_button = QPushButton(self.tr("Choose logo…"))
        self.choose_button.clicked.connect(self.choose_logo)
        self.remove_button = QPushButton(self.tr("Remove logo"))
        self.remove_button.clicked.connect(lambda: self.logo_chosen.emit(None, {}))
        logo_row.addWidget(self.choose_button)
        logo_row.addWidget(self.remove_button)
        logo_row.addStretch(1)
        add_form_row(form, self.tr("Logo"), logo_row)
        self._build_risk_path(form)
        outer.addLayout(form)
        self.problem = plain_label()
        self.problem.setObjectName("editorProblem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        outer.addWidget(self.problem)
        outer.addStretch(1)

    def show_clinic(self, name: str, seconds: int, logo: bytes | None) -> None:
        """Show the clinic's name, the slides' pace and the logo's bytes (None: no logo)."""
        self._showing = True
        self.name_field.setText(name)
        self.seconds_field.setValue(seconds)
        if logo is None:
            self.logo.setText(self.tr("No logo"))
        else:
            self.logo.setPixmap(thumbnail(logo, LOGO_THUMBNAIL))
        self.logo.setAccessibleName(self.tr("Clinic logo") if logo else self.tr("No logo"))
        self.remove_button.setEnabled(logo is not None and not self.translating)
        self._showing = False

    def _build_risk_path(self, form: QFormLayout) -> None:
        # The risk path (`kiosk.risk`): the PHQ-9 cannot be turned on until it is named.
        self.responder_field = QLineEdit()
        self.responder_field.setAccessibleName(self.tr("Who responds to a risk answer"))
        self.responder_field.setPlaceholderText(
            self.tr("For example: the nurse on duty (extension 214)")
        )
        self.responder_field.textEdited.connect(self.responder_edited)
        add_form_row(form, self.tr("Who responds to a risk answer"), self.responder_field)
        self.responder_limit = LengthLimit(
            self.responder_field,
            MAX_TITLE,
            self.tr("Who responds can be at most {0} characters.").format(MAX_TITLE),
        )
        form.addRow(self.responder_limit)
        self.responder_note = plain_label(
            self.tr(
                "Named on every desk's alert when a patient answers above 0 to PHQ-9 item 9 "
                "(thoughts of self-harm). The PHQ-9 cannot be turned on until someone is "
                "named. How to respond is for the clinic's clinicians to decide."
            )
        )
        self.responder_note.setWordWrap(True)
        form.addRow(self.responder_note)
        self.headphones_box = QCheckBox(
            self.tr(
                "The kiosk has headphones (\u201cRead to me\u201d is heard by the patient only)"
            )
        )
        self.headphones_box.toggled.connect(self._headphones_changed)
        form.addRow(self.headphones_box)

    def show_risk_path(self, responder: str, headphones: bool) -> None:
        """Show who responds to a risk answer and whether the kiosk has headphones."""
        self._showing = True
        self.responder_field.setText(responder)
        self.headphones_box.setChecked(headphones)
        self._showing = False

    def _headphones_changed(self, on: bool) -> None:
        if not self._showing:
            self.headphones_edited.emit(on)

    def set_translating(self, translating: bool) -> None:
        """Edit a translation's name only: the logo and the slides' pace are every language's."""
        self.translating = translating
        for widget in (
            self.seconds_field,
            self.choose_button,
            self.responder_field,
            self.headphones_box,
        ):
            widget.setEnabled(not translating)
        if translating:
            self.remove_button.setEnabled(False)

    def _seconds_changed(self, value: int) -> None:
        if not self._showing:
            self.seconds_edited.emit(value)

    def choose_logo(self) -> None:
        """Ask for a picture file and make it the clinic's logo (scaled, re-encoded)."""
        path = PictureFileDialog.ask(self, self.tr("Choose the clinic's logo"))
        if path is None:
            return
        try:
            # Its size is looked up first: a film or a disk image is never read.
            imported = import_picture(read_picture_file(path), path.name)
        except PictureError as error:
            message = str(error)
            self._say(self.tr("Not added: {0}.").format(message[:1].upper() + message[1:]))
            return
        self.problem.hide()
        self.logo_chosen.emit(imported.name, {imported.name: imported.data})

    def _say(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()
