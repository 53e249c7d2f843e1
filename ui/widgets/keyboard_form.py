"""Labelled text fields filled with the kiosk's on-screen keyboard (no hardware keyboard)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFormLayout, QLineEdit, QScrollArea, QWidget

from kiosk.overriding import override
from ui.plain_text import plain_label
from ui.widgets.keyboard_access import can_take_focus, give_focus
from ui.widgets.on_screen_keyboard import (
    ROOMY_GAP,
    KeyboardPage,
    OnScreenKeyboard,
)


class KeyboardForm(QWidget):
    """A column of labelled fields; the field being filled gets the keyboard.

    Enter in a field goes on to the next one, as a patient with a keyboard expects; in
    the last, it emits `submitted` (the screen presses its button to go on).

    Signals:
        submitted: Enter was pressed in the last field shown.
    """

    submitted = Signal()

    def __init__(self, keyboard: OnScreenKeyboard, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.keyboard = keyboard
        self.fields: dict[str, QLineEdit] = {}
        self._pages: dict[QLineEdit, KeyboardPage] = {}
        # Label beside its field where the screen is wide enough, above it where not: on a
        # short tablet screen all fields and the keyboard then fit without scrolling.
        self._layout = QFormLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self._layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # With larger text a long label goes above its field rather than squeezing it.
        self._layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self._layout.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self._layout.setHorizontalSpacing(20)
        self._layout.setVerticalSpacing(ROOMY_GAP)

    def add_field(
        self,
        key: str,
        label: str,
        page: KeyboardPage,
        *,
        placeholder: str = "",
        max_length: int = 80,
        description: str = "",
    ) -> QLineEdit:
        """Add a field; tapping it points the keyboard at it with the right page.

        `description` is how to fill it in, for a screen reader (translated by the
        caller); by default, where the keys are.
        """
        field = QLineEdit()
        field.setObjectName(f"{key}Field")
        field.setAccessibleName(label)
        field.setAccessibleDescription(
            description or self.tr("Type with the keyboard on the screen, below this box.")
        )
        field.setPlaceholderText(placeholder)
        field.setMaxLength(max_length)
        # Patients type on screen only: no context menu, no drag-and-drop of text.
        field.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        field.setDragEnabled(False)
        field.installEventFilter(self)
        field.returnPressed.connect(self._enter_pressed)
        caption = plain_label(label, "fieldLabel", wrap=True, names=field)
        self._layout.addRow(caption, field)
        self.fields[key] = field
        self._pages[field] = page
        return field

    def add_row(self, label: str, widget: QWidget) -> None:
        """A row that is not typed in (the month of birth's buttons), labelled like the rest."""
        caption = plain_label(label, "fieldLabel", wrap=True, names=widget)
        self._layout.addRow(caption, widget)

    def add_heading(self, text: str) -> None:
        """Words across the form, above the rows they are about (the date of birth)."""
        self._layout.addRow(plain_label(text, "fieldGroup", wrap=True))

    def keyboard_on_first(self) -> None:
        """Set the keyboard for the first field before the form is shown (a capital
        first, the letters' page), so the tap that shows it only moves the focus:
        relabelling the keys then took a millisecond or two of that tap."""
        self._point_keyboard_at(next(iter(self.fields.values())))

    def focus_first(self) -> None:
        """Put the keyboard on the first field."""
        first = next(iter(self.fields.values()))
        first.setFocus(Qt.FocusReason.OtherFocusReason)
        self._point_keyboard_at(first)

    def _enter_pressed(self) -> None:
        shown = [field for field in self.fields.values() if can_take_focus(field)]
        field = self.sender()
        later = shown[shown.index(field) + 1 :] if field in shown else []
        if later:
            give_focus(later[0], Qt.FocusReason.TabFocusReason)
        else:
            self.submitted.emit()

    def value(self, key: str) -> str:
        """What has been typed in a field."""
        return self.fields[key].text()

    def _point_keyboard_at(self, field: QLineEdit) -> None:
        self.keyboard.set_target(field)
        scroll_area = self._scroll_area()
        if scroll_area is not None:
            scroll_area.ensureWidgetVisible(field, 0, 16)
        if self._pages[field] is KeyboardPage.NUMBERS:
            self.keyboard.show_numbers()
        else:
            self.keyboard.show_letters()

    def _scroll_area(self) -> QScrollArea | None:
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        return parent

    def set_labels_above(self, above: bool) -> None:
        """Each label above its field (larger text), or beside it."""
        self._layout.setRowWrapPolicy(
            QFormLayout.RowWrapPolicy.WrapAllRows
            if above
            else QFormLayout.RowWrapPolicy.WrapLongRows
        )

    def set_gap(self, pixels: int) -> None:
        """Space between the fields (they are targets too)."""
        self._layout.setVerticalSpacing(pixels)

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Follow taps and focus so the keyboard types where the patient tapped."""
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.isAutoRepeat()
        ):
            # Enter held down (a tremor, a leaning hand) goes on once, not through the
            # whole form and past it.
            return True
        # A tap counts even when the window is not the active one (a kiosk that was
        # never clicked into), where Qt moves no focus.
        if (
            event.type() in (QEvent.Type.FocusIn, QEvent.Type.MouseButtonPress)
            and isinstance(watched, QLineEdit)
            and watched in self._pages
        ):
            self._point_keyboard_at(watched)
        return super().eventFilter(watched, event)
