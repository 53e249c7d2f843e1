"""The month of birth, chosen by its name: nothing to misread as a day."""

from __future__ import annotations

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QSizePolicy, QWidget

from kiosk.overriding import override
from ui.assistive_technology import mark_choice
from ui.plain_text import WordsButton

MONTHS = range(1, 13)


class MonthPicker(QWidget):
    """Twelve buttons, one a month, named in the interface's language; one is chosen.

    As many months side by side as their names fit (six on a wide screen, three with
    larger text), so no name is cut.

    Signals:
        chosen(int): the patient tapped a month (1 to 12).
    """

    chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("monthPicker")
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(12)
        self.buttons: dict[int, WordsButton] = {}
        for month in MONTHS:
            button = WordsButton()
            button.setObjectName("monthButton")
            button.setCheckable(True)
            mark_choice(button)
            # Tab reaches it and Space chooses it; a tap takes no focus from the fields.
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.setAutoDefault(False)
            # Its width is the picker's to give (see `_columns_for`), never a minimum that
            # would keep six months side by side on a narrower screen.
            button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            button.clicked.connect(lambda _=False, m=month: self._choose(m))
            self.buttons[month] = button
        self._columns = 0
        self.name_months(QLocale())
        self._lay_out(4)

    def name_months(self, locale: QLocale) -> None:
        """Each month's name in `locale`'s language, with a capital as on a button."""
        for month, button in self.buttons.items():
            name = locale.standaloneMonthName(month, QLocale.FormatType.LongFormat)
            button.setText(name[:1].upper() + name[1:])
            button.setAccessibleDescription(self.tr("Chooses the month you were born in."))

    def month(self) -> int | None:
        """The month chosen, if any."""
        return next((m for m, b in self.buttons.items() if b.isChecked()), None)

    def _choose(self, month: int) -> None:
        # One month at a time, and a second tap keeps it chosen. Not a QButtonGroup: an
        # exclusive group lets Tab reach only its checked button, hiding the other months
        # from a patient using keys.
        for other, button in self.buttons.items():
            button.setChecked(other == month)
        self.chosen.emit(month)

    def _lay_out(self, columns: int) -> None:
        if columns == self._columns:
            return
        self._columns = columns
        for month, button in self.buttons.items():
            self._grid.removeWidget(button)
            self._grid.addWidget(button, (month - 1) // columns, (month - 1) % columns)

    def restyled(self) -> None:
        """Larger text: fewer months side by side."""
        self._lay_out(self._columns_for(self.width()))

    def _columns_for(self, width: int) -> int:
        widest = max(button.sizeHint().width() for button in self.buttons.values())
        spacing = self._grid.spacing()
        for columns in (6, 4, 3, 2):
            if columns * widest + (columns - 1) * spacing <= width:
                return columns
        return 1

    @override
    def resizeEvent(self, event: QResizeEvent) -> None:
        """As many months side by side as fit the new width."""
        super().resizeEvent(event)
        self._lay_out(self._columns_for(event.size().width()))
