"""A second tap that lands just after a screen changed belongs to the screen before.

An anxious patient double-taps Next; the second tap must not answer a question they
never saw. For `KioskTiming.double_tap_guard_seconds` after each change, taps that
start on the changed area are swallowed. Keys are never swallowed.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

_TAP_STARTS = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonDblClick,
    QEvent.Type.TouchBegin,
}


class TapGuard:
    """Swallows taps on `area` for a moment after what is under the finger changed."""

    def __init__(self, area: QWidget, clock: Callable[[], float] = time.monotonic) -> None:
        """`clock` counts seconds (monotonic: a clock set back must not stretch the guard)."""
        self.area = area
        self.clock = clock
        self._until = 0.0

    def screen_changed(self, seconds: float) -> None:
        """What is under the finger has changed: guard the next `seconds`."""
        self._until = self.clock() + seconds

    def swallows(self, watched: QObject, event: QEvent) -> bool:
        """Whether this event is the second half of a double tap meant for the old screen."""
        return (
            event.type() in _TAP_STARTS
            and self.clock() < self._until
            and isinstance(watched, QWidget)
            and self.area.isAncestorOf(watched)
        )
