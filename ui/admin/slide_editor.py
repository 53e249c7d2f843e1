"""Editing one slide: its title, its text, its picture and the picture's description."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QImage, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kiosk.content import Slide, parse_slide_text
from kiosk.pack_limits import MAX_PICTURE_ALT, MAX_SLIDE_TEXT, MAX_TITLE
from kiosk.pictures import PictureError, import_picture, read_picture_file
from ui.admin.length_limit import LengthLimit
from ui.admin.picture_file_dialog import PictureFileDialog
from ui.admin.slide_text_field import SlideTextField
from ui.admin.thumbnail import thumbnail
from ui.plain_text import add_form_row, plain_label, plain_tooltip, rich_label
from ui.screens.slide import slide_html

PICTURE_THUMBNAIL = QSize(240, 150)


class SlideEditor(QWidget):
    """The fields of one slide; each change is reported as the whole slide.

    Signals:
        edited(object, object): the slide as it now reads (a `Slide`) and any picture
            added for it (a dict of picture name to bytes, usually empty).
    """

    edited = Signal(object, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.slide: Slide | None = None
        self._picture_bytes: bytes | None = None
        self._showing = False
        # While a translation is edited: words only, the picture is every language's.
        self.translating = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

        form = QFormLayout()
        self.title_field = QLineEdit()
        self.title_field.setAccessibleName(self.tr("Slide title"))
        self.title_field.textEdited.connect(self._changed)
        add_form_row(form, self.tr("Title"), self.title_field)
        self.title_limit = LengthLimit(
            self.title_field,
            MAX_TITLE,
            self.tr("A title can be at most {0} characters.").format(MAX_TITLE),
        )
        form.addRow(self.title_limit)
        layout.addLayout(form)

        layout.addWidget(self._build_text(), 1)

        layout.addWidget(self._build_picture())
        self.setEnabled(False)

    def _build_text(self) -> QGroupBox:
        text_box = QGroupBox(self.tr("Text"))
        text_layout = QVBoxLayout(text_box)
        tools = QHBoxLayout()
        self.bold_button = QPushButton(self.tr("Bold"))
        self.bold_button.setToolTip(
            plain_tooltip(self.tr("Make the selected words bold, or plain again (Ctrl+B)"))
        )
        self.bold_button.clicked.connect(self.make_bold)
        self.bullet_button = QPushButton(self.tr("Bullet list"))
        self.bullet_button.setToolTip(
            plain_tooltip(self.tr("Turn the selected paragraphs into a bullet list, or back again"))
        )
        self.bullet_button.clicked.connect(self.make_bullets)
        tools.addWidget(self.bold_button)
        tools.addWidget(self.bullet_button)
        tools.addStretch(1)
        text_layout.addLayout(tools)
        hint = plain_label(
            self.tr(
                "Enter starts a new paragraph; Enter on an empty bullet ends the list. "
                "Choose words and click Bold, or put the cursor in a paragraph and click "
                "Bullet list."
            )
        )
        hint.setWordWrap(True)
        hint.setObjectName("editorHint")
        text_layout.addWidget(hint)
        # What is typed beside how it reads: side by side, both fit a 768-pixel-high screen.
        side_by_side = QGridLayout()
        side_by_side.addWidget(plain_label(self.tr("The slide's words:")), 0, 0)
        side_by_side.addWidget(plain_label(self.tr("How patients will read it:")), 0, 1)
        # Bold and bullets shown as such, kept as the pack's markup (which counts).
        self.text_field = SlideTextField()
        self.text_field.setAccessibleName(self.tr("Slide text"))
        self.text_field.setMinimumHeight(200)
        self.text_limit = LengthLimit(
            self.text_field,
            MAX_SLIDE_TEXT,
            self.tr(
                "A slide's text can be at most {0} characters; what went past that was not added."
            ).format(f"{MAX_SLIDE_TEXT:,}"),
        )
        self.text_field.textChanged.connect(self._changed)
        side_by_side.addWidget(self.text_field, 1, 0)
        shortcut = QShortcut(QKeySequence.StandardKey.Bold, self.text_field)
        shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        shortcut.activated.connect(self.make_bold)
        self.text_field.setToolTip(
            plain_tooltip(self.tr("Bold: Ctrl+B. Shift+Enter: a new line in the same paragraph."))
        )
        # Rich text built from the slide's own markup alone, as on the kiosk (`slide_html`).
        self.reads_as = rich_label("slideReadsAs")
        self.reads_as.setWordWrap(True)
        self.reads_as.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.reads_as.setContentsMargins(8, 4, 8, 4)
        reading_room = QScrollArea()
        reading_room.setObjectName("slideReadsAsRoom")
        reading_room.setWidgetResizable(True)
        reading_room.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        reading_room.setWidget(self.reads_as)
        side_by_side.addWidget(reading_room, 1, 1)
        side_by_side.setColumnStretch(0, 1)
        side_by_side.setColumnStretch(1, 1)
        side_by_side.setRowStretch(1, 1)
        text_layout.addLayout(side_by_side, 1)
        text_layout.addWidget(self.text_limit)
        return text_box

    def _build_picture(self) -> QGroupBox:
        picture_box = QGroupBox(self.tr("Picture"))
        picture_layout = QHBoxLayout(picture_box)
        self.picture = plain_label()
        self.picture.setFixedSize(PICTURE_THUMBNAIL)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        picture_layout.addWidget(self.picture)
        picture_side = QVBoxLayout()
        self.picture_size = plain_label()
        self.picture_size.setWordWrap(True)
        picture_side.addWidget(self.picture_size)
        buttons = QHBoxLayout()
        self.choose_button = QPushButton(self.tr("Choose picture…"))
        self.choose_button.clicked.connect(self.choose_picture)
        self.remove_picture_button = QPushButton(self.tr("Remove picture"))
        self.remove_picture_button.clicked.connect(self.remove_picture)
        buttons.addWidget(self.choose_button)
        buttons.addWidget(self.remove_picture_button)
        buttons.addStretch(1)
        picture_side.addLayout(buttons)
        alt_label = plain_label(
            self.tr("Description for people who cannot see it (needed with a picture):")
        )
        alt_label.setWordWrap(True)
        picture_side.addWidget(alt_label)
        self.alt_field = QLineEdit()
        self.alt_field.setAccessibleName(self.tr("Picture description"))
        self.alt_field.textEdited.connect(self._changed)
        picture_side.addWidget(self.alt_field)
        self.alt_limit = LengthLimit(
            self.alt_field,
            MAX_PICTURE_ALT,
            self.tr("A description can be at most {0} characters.").format(MAX_PICTURE_ALT),
        )
        picture_side.addWidget(self.alt_limit)
        self.picture_problem = plain_label()
        self.picture_problem.setObjectName("editorProblem")
        self.picture_problem.setWordWrap(True)
        self.picture_problem.hide()
        picture_side.addWidget(self.picture_problem)
        picture_side.addStretch(1)
        picture_layout.addLayout(picture_side, 1)
        return picture_box

    def set_translating(self, translating: bool) -> None:
        """Edit a translation's words (the picture cannot change) or the clinic's own."""
        self.translating = translating
        why = (
            self.tr("The picture is the same in every language: change it in the clinic's own")
            if translating
            else ""
        )
        for button in (self.choose_button, self.remove_picture_button):
            button.setToolTip(plain_tooltip(why) if why else "")
        self._show_picture(
            None if self.slide is None or not self.slide.picture else self._picture_bytes
        )

    def show_slide(self, slide: Slide | None, picture: bytes | None) -> None:
        """Show `slide` (None: nothing chosen) with its picture's bytes."""
        self._showing = True
        self.slide = slide
        self.setEnabled(slide is not None)
        self.title_field.setText(slide.title if slide else "")
        self.text_field.set_markup(slide.text if slide else "")
        self.alt_field.setText((slide.picture_alt or "") if slide else "")
        self.picture_problem.hide()
        self._show_picture(picture)
        self._show_reading()
        self._showing = False

    def _show_picture(self, picture: bytes | None) -> None:
        self._picture_bytes = picture
        has_picture = self.slide is not None and self.slide.picture is not None
        self.picture.setPixmap(thumbnail(picture if has_picture else None, PICTURE_THUMBNAIL))
        self.picture.setAccessibleName(
            (self.slide.picture_alt or "") if self.slide and has_picture else self.tr("No picture")
        )
        self.choose_button.setEnabled(not self.translating)
        self.remove_picture_button.setEnabled(has_picture and not self.translating)
        self.alt_field.setEnabled(has_picture)
        if not has_picture:
            self.picture_size.setText(self.tr("This slide has no picture."))
        else:
            image = QImage.fromData(picture or b"")
            self.picture_size.setText(
                self.tr("{0} × {1} pixels, scaled for the kiosk's screen").format(
                    image.width(), image.height()
                )
                if not image.isNull()
                else ""
            )

    def _show_reading(self) -> None:
        self.reads_as.setText(slide_html(parse_slide_text(self.text_field.markup())))

    def _changed(self) -> None:
        if self._showing or self.slide is None:
            return
        self._show_reading()
        alt = self.alt_field.text().strip() or None
        self._report(
            dataclasses.replace(
                self.slide,
                title=self.title_field.text(),
                text=self.text_field.markup(),
                picture_alt=alt if self.slide.picture else None,
            ),
            {},
        )

    def _report(self, slide: Slide, pictures: dict[str, bytes]) -> None:
        self.slide = slide
        self.edited.emit(slide, pictures)

    # --- formatting ---------------------------------------------------------------------
    def make_bold(self) -> None:
        """The selected words bold (or plain again); with none chosen, what is typed next."""
        self.text_field.toggle_bold()

    def make_bullets(self) -> None:
        """The selected paragraphs (or the cursor's) a bullet list, or paragraphs again."""
        self.text_field.toggle_bullets()

    # --- the picture --------------------------------------------------------------------
    def choose_picture(self) -> None:
        """Ask for a picture file, scale and re-encode it, and give it to the slide."""
        if self.slide is None:
            return
        path = PictureFileDialog.ask(self, self.tr("Choose a picture for this slide"))
        if path is None:
            return
        try:
            # Its size is looked up first: a film or a disk image is never read.
            imported = import_picture(read_picture_file(path), path.name)
        except PictureError as error:
            message = str(error)
            self._say(self.tr("Not added: {0}.").format(message[:1].upper() + message[1:]))
            return
        self.picture_problem.hide()
        self._showing = True
        self._report(
            dataclasses.replace(
                self.slide,
                picture=imported.name,
                picture_alt=self.alt_field.text().strip() or None,
            ),
            {imported.name: imported.data},
        )
        self._show_picture(imported.data)
        self._showing = False
        self.alt_field.setFocus()

    def remove_picture(self) -> None:
        """Take the picture off the slide (its description goes with it)."""
        if self.slide is None:
            return
        self._showing = True
        self.alt_field.clear()
        self._report(dataclasses.replace(self.slide, picture=None, picture_alt=None), {})
        self._show_picture(None)
        self._showing = False

    def _say(self, text: str) -> None:
        self.picture_problem.setText(text)
        self.picture_problem.show()
