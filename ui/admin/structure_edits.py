"""Undoable changes to which slides, questions and statements there are, and their order.

Adding, duplicating, removing and moving an item are commands on the editor's
`QUndoStack`, so Undo and Redo step through them; the words typed in a field keep the
field's own undo. Each command changes one item of one list and leaves the others as
they are, so undoing a removal does not take back what was typed since.
"""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtGui import QUndoCommand

from kiosk.overriding import override


class ContentLists(Protocol):
    """The editor's lists, as the commands change them."""

    def items_of(self, part: str) -> tuple[Any, ...]:
        """The slides, questions or statements ("slide", "question", "statement")."""
        ...

    def put_items(self, part: str, items: tuple[Any, ...], current: int) -> None:
        """Make these the part's items, with row `current` chosen, and show them."""
        ...


class InsertItem(QUndoCommand):
    """A new or duplicated item at a row."""

    def __init__(self, lists: ContentLists, text: str, part: str, row: int, item: object) -> None:
        super().__init__(text)
        self.lists, self.part, self.row, self.item = lists, part, row, item

    @override
    def redo(self) -> None:
        items = self.lists.items_of(self.part)
        self.lists.put_items(
            self.part, (*items[: self.row], self.item, *items[self.row :]), self.row
        )

    @override
    def undo(self) -> None:
        items = self.lists.items_of(self.part)
        # As it is now, words and all, for a redo to bring back.
        self.item = items[self.row]
        self.lists.put_items(self.part, items[: self.row] + items[self.row + 1 :], self.row - 1)


class RemoveItem(QUndoCommand):
    """An item taken out of its list."""

    def __init__(self, lists: ContentLists, text: str, part: str, row: int) -> None:
        super().__init__(text)
        self.lists, self.part, self.row = lists, part, row
        self.item: object = None

    @override
    def redo(self) -> None:
        items = self.lists.items_of(self.part)
        self.item = items[self.row]
        self.lists.put_items(self.part, items[: self.row] + items[self.row + 1 :], self.row)

    @override
    def undo(self) -> None:
        items = self.lists.items_of(self.part)
        self.lists.put_items(
            self.part, (*items[: self.row], self.item, *items[self.row :]), self.row
        )


class MoveItem(QUndoCommand):
    """An item moved from one row to another."""

    def __init__(self, lists: ContentLists, text: str, part: str, start: int, target: int) -> None:
        super().__init__(text)
        self.lists, self.part, self.start, self.target = lists, part, start, target

    def _move(self, start: int, target: int) -> None:
        moving = list(self.lists.items_of(self.part))
        moving.insert(target, moving.pop(start))
        self.lists.put_items(self.part, tuple(moving), target)

    @override
    def redo(self) -> None:
        self._move(self.start, self.target)

    @override
    def undo(self) -> None:
        self._move(self.target, self.start)
