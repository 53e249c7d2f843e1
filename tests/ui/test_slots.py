"""A screen's signal connected to a long-lived object's method leaves nothing behind when
the screen goes (PySide6 keeps a weak reference per connection made to a bound method)."""

from __future__ import annotations

import gc
import weakref

from PySide6.QtCore import QObject, Signal
from pytestqt.qtbot import QtBot

from ui.slots import calling


class _Screen(QObject):
    tapped = Signal(str)


class _Service:
    def __init__(self) -> None:
        self.heard: list[str] = []

    def hear(self, word: str) -> None:
        self.heard.append(word)


def _references() -> int:
    gc.collect()
    return sum(isinstance(o, weakref.ReferenceType) for o in gc.get_objects())


def test_a_hundred_screens_come_and_go_and_leave_no_reference_behind(qtbot: QtBot) -> None:
    service = _Service()
    before = _references()
    for _ in range(100):
        screen = _Screen()
        screen.tapped.connect(calling(service.hear))
        screen.tapped.emit("yes")
        del screen
    assert service.heard == ["yes"] * 100, "every tap reached the service"
    assert _references() - before < 10, "a reference stayed for each screen that went"
