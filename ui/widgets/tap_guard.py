"""A second tap that lands just after a screen changed belongs to the screen before.

An anxious patient double-taps Next; the second tap must not answer a question they
never saw. For `KioskTiming.double_tap_guard_seconds` after the page changes (which is
the visit's to say: `kiosk.visit.Visit.page`), taps that start on the changed area are
swallowed. A tap that changed nothing under the finger (one consent statement ticked of
several) arms nothing: the next one, a third of a second later, counts. Keys are never
swallowed.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

TAP_STARTS = {
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
        self._page: object = None

    def page_shown(self, page: object, seconds: float) -> None:
        """A page is on show; if it is not the one before, guard the next `seconds`."""
        if page != self._page:
            self._page = page
            self.screen_changed(seconds)

    def screen_changed(self, seconds: float) -> None:
        """What is under the finger has changed: guard the next `seconds`."""
        self._until = self.clock() + seconds

    def swallows(self, watched: QObject, event: QEvent) -> bool:
        """Whether this event is the second half of a double tap meant for the old screen."""
        return (
            event.type() in TAP_STARTS
            and self.clock() < self._until
            and isinstance(watched, QWidget)
            and self.area.isAncestorOf(watched)
        )
