"""A list of slides, questions or statements in the order patients see them."""

from __future__ import annotations

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
    Signal,
    SignalInstance,
)
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

ModelIndex = QModelIndex | QPersistentModelIndex


class OrderedList(QWidget):
    """The items of one part of the content, with buttons to add, copy, remove and move them.

    It shows what it is given and reports what the admin asks for; the admin window
    changes the content and shows the list again (drag and drop included).

    Signals:
        selected(int): the admin chose the item at this row (-1: none).
        add_requested: "Add" was clicked.
        duplicate_requested(int): "Duplicate" was clicked for this row.
        remove_requested(int): "Remove" was clicked for this row.
        move_requested(int, int): the item at the first row should move to the second.
    """

    selected = Signal(int)
    add_requested = Signal()
    duplicate_requested = Signal(int)
    remove_requested = Signal(int)
    move_requested = Signal(int, int)

    def __init__(
        self,
        *,
        add_text: str,
        most: int,
        full_text: str,
        duplicate_text: str | None = None,
        icon_size: QSize | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """`most` items at the most (`kiosk.pack_limits`); `full_text` says so when full."""
        super().__init__(parent)
        self.most = most
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.items = QListWidget()
        self.items.setObjectName("contentList")
        self.items.setWordWrap(True)
        self.items.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.items.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # Dragging an item is the quick way to reorder; Up and Down do the same by keyboard.
        self.items.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.items.setDefaultDropAction(Qt.DropAction.MoveAction)
        if icon_size is not None:
            self.items.setIconSize(icon_size)
        self.items.currentRowChanged.connect(self._on_row_changed)
        self.items.model().rowsMoved.connect(self._on_dropped)
        layout.addWidget(self.items, 1)

        buttons = QHBoxLayout()
        self.add_button = QPushButton(add_text)
        self.add_button.clicked.connect(self.add_requested)
        self.duplicate_button = QPushButton(duplicate_text or self.tr("Duplicate"))
        self.duplicate_button.clicked.connect(lambda: self._for_current(self.duplicate_requested))
        self.duplicate_button.setVisible(duplicate_text is not None)
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.clicked.connect(lambda: self._for_current(self.remove_requested))
        self.up_button = QPushButton(self.tr("Move up"))
        self.up_button.clicked.connect(lambda: self._move_current(-1))
        self.down_button = QPushButton(self.tr("Move down"))
        self.down_button.clicked.connect(lambda: self._move_current(+1))
        for button in (
            self.add_button,
            self.duplicate_button,
            self.remove_button,
            self.up_button,
            self.down_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.full_note = QLabel(full_text)
        self.full_note.setObjectName("editorProblem")
        self.full_note.setWordWrap(True)
        self.full_note.setTextFormat(Qt.TextFormat.PlainText)
        self.full_note.hide()
        layout.addWidget(self.full_note)
        self._showing = False
        self._reorderable = True

    def show_items(self, labels: list[tuple[str, QIcon | None]], current: int) -> None:
        """Show these items (label and optional thumbnail) with row `current` chosen."""
        self._showing = True
        self.items.clear()
        for text, icon in labels:
            item = QListWidgetItem(text)
            if icon is not None:
                item.setIcon(icon)
            self.items.addItem(item)
        self._showing = False
        row = min(max(current, 0), len(labels) - 1) if labels else -1
        self.items.setCurrentRow(row)
        self._enable(row)
        if row == -1 or self.items.currentRow() == row:
            # setCurrentRow does not report a row that did not change.
            self.selected.emit(row)

    def set_item(self, row: int, text: str, icon: QIcon | None = None) -> None:
        """Change one item's label (and thumbnail) while it is being edited."""
        item = self.items.item(row)
        if item is None:
            return
        item.setText(text)
        if icon is not None:
            item.setIcon(icon)

    def current_row(self) -> int:
        """The chosen row, or -1."""
        return self.items.currentRow()

    def set_reorderable(self, allowed: bool) -> None:
        """Whether items may be added, removed and moved (not while editing a translation)."""
        self._reorderable = allowed
        self.items.setDragEnabled(allowed)
        self._enable(self.current_row())

    def _enable(self, row: int) -> None:
        count = self.items.count()
        allowed = self._reorderable
        # A full list takes no more: the buttons say nothing, the sentence says why.
        full = count >= self.most
        self.full_note.setVisible(allowed and full)
        self.add_button.setEnabled(allowed and not full)
        self.duplicate_button.setEnabled(allowed and not full and row >= 0)
        self.remove_button.setEnabled(allowed and row >= 0)
        self.up_button.setEnabled(allowed and row > 0)
        self.down_button.setEnabled(allowed and 0 <= row < count - 1)

    def _on_row_changed(self, row: int) -> None:
        if self._showing:
            return
        self._enable(row)
        self.selected.emit(row)

    def _for_current(self, signal: SignalInstance) -> None:
        row = self.items.currentRow()
        if row >= 0:
            signal.emit(row)

    def _move_current(self, step: int) -> None:
        row = self.items.currentRow()
        target = row + step
        if row >= 0 and 0 <= target < self.items.count():
            self.move_requested.emit(row, target)

    def _on_dropped(
        self, _parent: ModelIndex, start: int, _end: int, _destination: ModelIndex, row: int
    ) -> None:
        # Qt reports the row the item was dropped *before*; moving down, that counts
        # the item itself, which has left its old place.
        target = row - 1 if row > start else row
        if target != start:
            # After Qt has finished the drop: the list is shown afresh in answer.
            QTimer.singleShot(0, lambda: self.move_requested.emit(start, target))
