"""The parts every patient screen is made of, Welcome included: buttons a tap does not
take the focus with, plain-text labels, a page a finger scrolls, "A+" and high contrast.

Apart from `ui.screens.patient_screen` so that Welcome, the kiosk's first frame, is
built without the other screens' top bar, step bar and keyboards.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QLayout, QPushButton, QScrollArea, QWidget

from ui.plain_text import WordsButton, plain_label
from ui.widgets.touch_scrolling import scroll_by_touch


def clear_layout(layout: QLayout) -> None:
    """Remove and delete every widget in `layout` (rows rebuilt for new content)."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            # Out of the tree now, not at the next event loop turn, so nothing can
            # find or show the old rows in the meantime.
            widget.hide()
            widget.setParent(None)
            widget.deleteLater()


def make_scroll_area() -> QScrollArea:
    """A vertical scroll area a finger can flick: long text scrolls, it is never cut."""
    area = QScrollArea()
    # A viewport made here as Qt makes its own: the one Qt made is a C++ object PySide has
    # never seen, and wrapping it made PySide load every class of QtWidgets first (some
    # 70 of their enums, 10 ms of Welcome's first frame).
    viewport = QWidget()
    viewport.setObjectName("qt_scrollarea_viewport")
    viewport.setAutoFillBackground(True)
    area.setViewport(viewport)
    area.setWidgetResizable(True)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll_by_touch(viewport)
    return area


def make_display_buttons() -> tuple[QPushButton, QPushButton]:
    """The "A+" (larger text) and high-contrast buttons, for a screen's top bar."""
    larger = make_button("A+", "textSizeButton")
    contrast = make_button("◐", "contrastButton")
    name_display_buttons(larger, contrast)
    return larger, contrast


def name_display_buttons(larger: QPushButton, contrast: QPushButton) -> None:
    """What a screen reader says for them, in the interface's language now."""
    translate = QCoreApplication.translate
    larger.setAccessibleName(translate("PatientScreen", "Larger text"))
    larger.setAccessibleDescription(
        translate(
            "PatientScreen",
            "Makes the words bigger. Tap again for bigger still, and once more for the usual size.",
        )
    )
    contrast.setAccessibleName(translate("PatientScreen", "High contrast"))
    contrast.setAccessibleDescription(
        translate(
            "PatientScreen",
            "Shows white and yellow words on black, which some people find easier to "
            "read. Tap again for the usual colors.",
        )
    )


def make_label(text: str, object_name: str, *, wrap: bool = True) -> QLabel:
    """A plain-text label styled by its object name (patient text is never rich text)."""
    return plain_label(text, object_name, wrap=wrap)


def make_button(text: str, object_name: str = "", description: str = "") -> WordsButton:
    """A touch button that does not steal focus from the field being typed in.

    Tab reaches it and Space or Enter press it (see ui.widgets.keyboard_access), but a tap does
    not take the focus: the cursor stays in the field the patient is typing in. Its
    text reads as written, `&` included (a choice may say "Drugs & alcohol").
    `description` is what a screen reader says the button does (translated by the caller).
    """
    button = WordsButton(text)
    if object_name:
        button.setObjectName(object_name)
    button.setAccessibleDescription(description)
    button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    button.setAutoDefault(False)
    return button
