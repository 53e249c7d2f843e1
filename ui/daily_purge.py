"""The clinic's retention period, applied once a day by the kiosk itself."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.actor import Actor
from kiosk.station import StorageUnavailableError
from ui.kiosk_window import KioskWindow

log = logging.getLogger(__name__)

DAY_MILLISECONDS = 24 * 60 * 60 * 1000
# A purge waits for the patient at the screen to finish.
RETRY_MILLISECONDS = 60 * 1000


class DailyPurge(QObject):
    """Removes visits past `retention_days` when the kiosk starts and every day after.

    Signals:
        purged(int): a purge ran; how many visits it removed.
    """

    purged = Signal(int)

    def __init__(self, window: KioskWindow, days: int) -> None:
        super().__init__(window)
        self.window = window
        self.days = days
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.run)
        self.timer.start(0)

    def run(self) -> None:
        """Purge now, unless a patient is using the kiosk (then try again in a minute)."""
        window = self.window
        if window.visit is not None:
            self.timer.start(RETRY_MILLISECONDS)
            return
        station = window.station
        try:
            removed = station.purge_older_than(
                self.days, Actor.kiosk(station=station.name, now=window.clock())
            )
        except StorageUnavailableError as error:
            log.warning("the daily purge could not run: %s", type(error).__name__)
            self.timer.start(RETRY_MILLISECONDS)
            return
        log.info("daily purge removed %d visits older than %d days", removed, self.days)
        self.timer.start(DAY_MILLISECONDS)
        self.purged.emit(removed)
