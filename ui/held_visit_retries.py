"""Visits that wait for the database, tried again every half minute until none is left."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.check_in import CheckIn


class HeldVisitRetries(QObject):
    """Asks the check-in service to store the waiting visits again, on a timer.

    Signals:
        tried: a try finished (visits stored or not); Welcome may change (a pause lifted).
    """

    tried = Signal()

    # Often enough that the desk sees a held check-in soon after the database is back.
    RETRY_MILLISECONDS = 30_000

    def __init__(self, check_in: CheckIn, parent: QObject) -> None:
        super().__init__(parent)
        self.check_in = check_in
        self.timer = QTimer(self)
        self.timer.setInterval(self.RETRY_MILLISECONDS)
        self.timer.timeout.connect(self.try_now)
        if check_in.visits_waiting:
            # Visits left waiting when the kiosk last stopped: the first try at once.
            self.timer.start()
            QTimer.singleShot(0, self, self.try_now)

    def visit_held(self) -> None:
        """Another visit waits: keep trying."""
        self.timer.start()

    def try_now(self) -> None:
        """Try now (the service skips it while a patient is at the screen)."""
        self.check_in.store_waiting_visits(self._tried)

    def stop(self) -> None:
        """The kiosk closes."""
        self.timer.stop()

    def _tried(self, _stored: list[str]) -> None:
        if not self.check_in.visits_waiting:
            self.timer.stop()
        self.tried.emit()
