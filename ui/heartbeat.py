"""The kiosk's heartbeat: at start, every half minute, and when a visit is held or stored.

What it says (alive, held check-ins, content and program versions) and what the desks
make of it are `kiosk.alerts`'; the write runs as one of the check-in service's errands,
off the screen's thread. Only a kiosk beats: a check-in window at a desk does not, or
the desk would be "not responding" once that window closed.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

from kiosk.alerts import HEARTBEAT_INTERVAL
from kiosk.check_in import CheckIn, VisitEnd
from kiosk.visit import Visit


class KioskHeartbeat(QObject):
    """Beats for one kiosk's check-in service until its window closes."""

    def __init__(self, check_in: CheckIn, parent: QObject) -> None:
        super().__init__(parent)
        self.check_in = check_in
        self._beating = False  # one beat at a time: a slow database never piles them up
        self._again = False  # news came during a beat: beat once more after it
        self.timer = QTimer(self)
        self.timer.setInterval(int(HEARTBEAT_INTERVAL.total_seconds() * 1000))
        self.timer.timeout.connect(self.beat)
        self.timer.start()
        check_in.listen(self)
        QTimer.singleShot(0, self, self.beat)

    def beat(self) -> None:
        """Tell the desks now."""
        if self._beating:
            self._again = True
            return
        self._beating = True
        self.check_in.send_heartbeat(self._sent)

    def _sent(self, _sent: bool) -> None:
        self._beating = False
        if self._again:
            self._again = False
            self.beat()

    # The check-in service's news (`kiosk.check_in.CheckInListener`): held counts change.
    def visit_changed(self, visit: Visit) -> None:
        """Nothing for the desks in a visit's steps."""

    def visit_finished(self, end: VisitEnd) -> None:
        """A visit held on this kiosk: the desks' count goes up at once."""
        if end.kept_on_kiosk:
            self.beat()

    def held_visit_stored(self, visit_id: str) -> None:
        """A held visit reached the database: the count goes down."""
        self.beat()
