"""The desk's look at the alerts, every update, whether anyone is signed in or not.

One watcher per desk process, alive from start to exit: the sign-in dialog and the desk
window both show what it last saw, so a desk signed out by its idle timer still shows
and sounds alerts. The reading runs off the screen's thread (`ui.errands`); what the
alerts are and in which order is `kiosk.alerts`'. The sound is the desk's own choice,
remembered in its settings.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

import shiboken6
from PySide6.QtCore import QObject, QSettings, QTimer, Signal
from PySide6.QtWidgets import QApplication

from kiosk.actor import Actor
from kiosk.alerts import AlertBoard, AlertKind
from kiosk.station import Station
from ui.errands import ErrandAnswer, ErrandKind, run_errand

log = logging.getLogger(__name__)

# The desk's update time on one computer: the same beat as the list of check-ins.
LOOK_MILLISECONDS = 2000
SOUND_SETTING = "desk/alert_sound"


def sound_on() -> bool:
    """Whether this desk sounds new alerts (on unless turned off here)."""
    return QSettings().value(SOUND_SETTING, "true") != "false"


def set_sound(on: bool) -> None:
    """Turn this desk's alert sound on or off, remembered for the next start."""
    QSettings().setValue(SOUND_SETTING, "true" if on else "false")


class DeskAlerts(QObject):
    """Looks at the open alerts every `LOOK_MILLISECONDS` and says what it saw.

    Signals:
        changed(object): the `kiosk.alerts.AlertBoard` just read.
        rang: the sound was played: a new alert arrived, or a risk alert still waits for
            someone to acknowledge it (at every look).
    """

    changed = Signal(object)
    rang = Signal()

    def __init__(
        self,
        station: Station,
        *,
        ring: Callable[[], None] = QApplication.beep,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.station = station
        self.alerts = station.alerts()
        self.ring = ring
        self.board: AlertBoard | None = None
        self._heard: set[int] | None = None  # the alerts this desk has already sounded
        self._reported: set[int] = set()  # the alerts this desk said it showed
        self._looking = self._again = False
        self._awaited: set[ErrandAnswer] = set()
        # Gone with its window without `stop` (a window's child): an answer to a look still
        # on its way must reach nothing of it.
        awaited = self._awaited
        self.destroyed.connect(lambda *_: _forget(awaited))
        self.timer = QTimer(self)
        self.timer.setInterval(LOOK_MILLISECONDS)
        self.timer.timeout.connect(self.look)
        self.timer.start()
        QTimer.singleShot(0, self, self.look)

    def look(self) -> None:
        """Read the alerts now (one look at a time)."""
        if self._looking:
            self._again = True  # something changed meanwhile: look once more after
            return
        self._looking, self._again = True, False
        alerts = self.alerts
        # The desk itself raises a silent kiosk's alert, as the program, not as staff.
        by = Actor.system(station=self.station.name, now=datetime.now(UTC))
        run_errand(ErrandKind.DATABASE, lambda: alerts.board(by), self._seen, self._awaited)

    def _seen(self, result: object) -> None:
        if not shiboken6.isValid(self):
            return  # gone with its window while the look was on its way
        self._looking = False
        if self._again:
            QTimer.singleShot(0, self, self.look)
        if not isinstance(result, AlertBoard):
            log.warning("the desk could not read the alerts: %s", type(result).__name__)
            return
        ids = {alert.id for alert in result.alerts}
        new = ids - self._heard if self._heard is not None else ids
        unacknowledged = {a.id for a in result.alerts if not a.acknowledged}
        self._heard = ids if self._heard is None else self._heard | ids
        self.board = result
        self.changed.emit(result)
        # A risk alert (`kiosk.risk`) sounds at every look until someone acknowledges it,
        # whatever this desk's sound setting: a patient may be at risk in the waiting room.
        at_risk = any(a.kind is AlertKind.RISK_ANSWER and not a.acknowledged for a in result.alerts)
        if at_risk or (new & unacknowledged and sound_on()):
            self.ring()
            self.rang.emit()

    def displayed(self, alert_ids: Iterable[int]) -> None:
        """These alerts are on this desk's screen: tell the patient's kiosk (once each)."""
        fresh = [alert_id for alert_id in alert_ids if alert_id not in self._reported]
        if not fresh:
            return
        self._reported.update(fresh)
        alerts, desk = self.alerts, self.station.name

        def reported(result: object) -> None:
            if isinstance(result, Exception):
                # Said again at the next look.
                self._reported.difference_update(fresh)
                log.warning("the desk could not report its alerts: %s", type(result).__name__)

        run_errand(
            ErrandKind.DATABASE, lambda: alerts.displayed(fresh, desk), reported, self._awaited
        )

    def stop(self) -> None:
        """The desk closes: no more looks, and no answer reaches a closed desk."""
        self.timer.stop()
        _forget(self._awaited)


def _forget(awaited: set[ErrandAnswer]) -> None:
    """Answers still on their way reach nobody."""
    for answer in awaited:
        with contextlib.suppress(RuntimeError):
            answer.arrived.disconnect()
    awaited.clear()
