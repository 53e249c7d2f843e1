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
# The wipe waits this long for another program's reading, not the busy timeout: the
# kiosk's Welcome must not freeze for it.
WIPE_WAIT_MILLISECONDS = 200


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
            if not station.purges_here():
                # A kiosk on a clinic's server: its role may not delete; the server's side
                # (a scheduled `kiosk purge` with a desk's settings) applies retention.
                log.info("this kiosk does not purge: the clinic's server does")
                return
            purge = station.purge_older_than(
                self.days,
                Actor.kiosk(station=station.name, now=window.clock()),
                wait_ms=WIPE_WAIT_MILLISECONDS,
            )
        except StorageUnavailableError as error:
            log.warning("the daily purge could not run: %s", type(error).__name__)
            self.timer.start(RETRY_MILLISECONDS)
            return
        log.info("daily purge removed %d visits older than %d days", purge.removed, self.days)
        if purge.wiped:
            self.timer.start(DAY_MILLISECONDS)
        else:
            # Another program is reading: the next run removes nothing more and wipes.
            log.warning(
                "the purged visits' text is not wiped yet (%d pages): another program "
                "is reading the database; trying again in a minute",
                purge.pages_not_wiped,
            )
            self.timer.start(RETRY_MILLISECONDS)
        self.purged.emit(purge.removed)
