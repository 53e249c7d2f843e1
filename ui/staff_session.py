"""A signed-in staff member, signed out by itself after a while with nobody at the screen."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

from kiosk.actor import Actor, StaffMember, staff_audit_name
from kiosk.station import Station
from kiosk.visit import Clock, utc_now
from ui.widgets.input_watch import Listening

_ACTIVITY = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.KeyPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.Wheel,
}


class StaffSession(QObject):
    """Who is signed in at this window, until they sign out or walk away.

    Signals:
        signed_out(str): the session ended; "idle" or "signed out".
    """

    signed_out = Signal(str)

    def __init__(
        self,
        station: Station,
        member: StaffMember,
        *,
        idle_milliseconds: int,
        clock: Clock = utc_now,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.member: StaffMember | None = member
        self.station = station
        self.clock = clock
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.setInterval(idle_milliseconds)
        self.idle_timer.timeout.connect(lambda: self.sign_out("idle"))
        self.idle_timer.start()
        self._input = Listening(_ACTIVITY, self._heard)

    @property
    def actor(self) -> str:
        """How the audit trail names the signed-in member."""
        return staff_audit_name(self.member.username) if self.member else "nobody"

    def sign_out(self, reason: str = "signed out") -> None:
        """End the session (once), leaving an audit entry."""
        if self.member is None:
            return
        self.station.staff_accounts().sign_out(
            Actor.staff(self.member, station=self.station.name, now=self.clock()), reason
        )
        self.member = None
        self.idle_timer.stop()
        self._input.stop()
        self.signed_out.emit(reason)

    def _heard(self, _watched: QObject, _event: QEvent) -> bool:
        """Any click, key or touch keeps the session alive."""
        if self.member is not None:
            self.idle_timer.start()
        return False
