"""The alert banner at the top of the desk and of its sign-in dialog.

It names the station and what happened, most urgent first, and each kiosk's state
(answering or not, check-ins held). It never shows a patient's name: alerts hold none,
and a note staff wrote when acknowledging (which might) shows only to a signed-in
member. Signed in, each alert has Acknowledge… and Clear; both go through
`kiosk.alerts.Alerts`, which checks the account and leaves the audit entry.

A risk alert (a PHQ-9 answer about self-harm, `kiosk.risk`) comes first, in its own
colour, and says who the clinic named to respond. Signed in, Open… shows the patient and
the answers so far (audited); Acknowledge… needs a note; only a clinician's Close…
closes it, with a note. Signed out it says to sign in; it never shows the name.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.actor import Actor, Permission, StaffMember, shown_name
from kiosk.alerts import Alert, AlertBoard, AlertError, AlertKind, OpenedRiskAlert
from kiosk.station import Station, StorageUnavailableError
from ui.desk.desk_alerts import DeskAlerts
from ui.plain_text import plain_label, tell

# At most this many alerts take room from the list on a laptop; the rest are counted.
SHOWN_AT_MOST = 3

# The desk has no style sheet of its own: a person waiting stands out from the rest.
_URGENT = "background: #fde2e1; color: #5c0b08; border: 2px solid #b3261e;"
_WARNING = "background: #fff4d6; color: #3b2f0b; border: 2px solid #8a6d1d;"
# A patient who may be at risk: unlike anything else on the desk until acknowledged.
_AT_RISK = "background: #8c1d18; color: #ffffff; border: 3px solid #410e0b;"


class AlertBanner(QFrame):
    """Shows the open alerts the desk's watcher saw; hidden when there are none."""

    def __init__(
        self,
        watcher: DeskAlerts,
        station: Station,
        zone: ZoneInfo,
        *,
        member: StaffMember | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("alertBanner")
        self.watcher = watcher
        self.station = station
        self.zone = zone
        self.member = member
        self._shown: tuple[object, ...] | None = None
        # While a line's button has a dialog open, the lines stay as they are: rebuilt
        # then, the pressed button would be deleted under its own click (a crash when
        # the dialog closes). What the watcher read meanwhile is shown after.
        self._asking = False
        self._read_meanwhile: AlertBoard | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.stations = plain_label(object_name="deskStations", wrap=True)
        self.stations.hide()
        layout.addWidget(self.stations)
        self.rows = QVBoxLayout()
        self.rows.setSpacing(4)
        layout.addLayout(self.rows)
        self.more = plain_label(object_name="moreAlerts")
        self.more.hide()
        layout.addWidget(self.more)
        self.lines: list[tuple[Alert, QFrame]] = []
        watcher.changed.connect(self.show_board)
        if watcher.board is not None:
            self.show_board(watcher.board)

    def _when(self, moment: datetime) -> str:
        return moment.astimezone(self.zone).strftime("%I:%M %p").lstrip("0")

    def _kind_words(self, kind: AlertKind) -> str:
        return {
            AlertKind.RISK_ANSWER: self.tr("Talk with a patient now"),
            AlertKind.HELP_REQUESTED: self.tr("Help requested"),
            AlertKind.CHECK_IN_PAUSED: self.tr("Check-in paused"),
            AlertKind.KIOSK_NOT_RESPONDING: self.tr("Kiosk not responding"),
            AlertKind.VISITS_HELD: self.tr("Check-ins held"),
            AlertKind.PROTECTIONS_RESTORED: self.tr("Audit trail protections put back"),
            AlertKind.PROTECTION_MISSING: self.tr("Audit trail protection missing"),
            AlertKind.PRINTER_PROBLEM: self.tr("Printer problem"),
        }[kind]

    def alert_text(self, alert: Alert) -> str:
        """One alert in words: what, where, since when, and who is on it."""
        text = self.tr("{0} — {1}: {2} (since {3})").format(
            self._kind_words(alert.kind), alert.station, alert.detail, self._when(alert.raised_at)
        )
        if alert.acknowledged_by:
            text += " " + self.tr("— {0} is on it").format(shown_name(alert.acknowledged_by))
            if self.member is not None and alert.acknowledgement_note:
                text += f": {alert.acknowledgement_note}"
        elif alert.kind is AlertKind.RISK_ANSWER and self.member is None:
            text += " " + self.tr("— sign in to see who it is and acknowledge it")
        return text

    def show_board(self, board: object) -> None:
        """Show what the desk's watcher just read (rebuilt only when it changed)."""
        if not isinstance(board, AlertBoard):
            return
        if self._asking:
            self._read_meanwhile = board
            return
        self._show_stations(board)
        shown = board.alerts[:SHOWN_AT_MOST]
        key = tuple((a.id, a.acknowledged_at, a.acknowledgement_note, a.detail) for a in shown)
        if key != self._shown:
            self._shown = key
            self._show_alerts(shown)
        hidden = len(board.alerts) - len(shown)
        self.more.setText(self.tr("…and {0} more alert(s)").format(hidden))
        self.more.setVisible(hidden > 0)
        self.setVisible(bool(board.alerts) or not self.stations.isHidden())
        if self.isVisible() and shown:
            # Only what a person can see counts as shown: the patient is told so.
            self.watcher.displayed(alert.id for alert in shown)

    def _show_stations(self, board: AlertBoard) -> None:
        parts = []
        for kiosk in board.stations:
            if not kiosk.responding:
                parts.append(
                    self.tr("{0}: not responding (last heard {1})").format(
                        kiosk.name, self._when(kiosk.last_heartbeat_at)
                    )
                )
            elif kiosk.held_visits:
                parts.append(
                    self.tr("{0}: answering, {1} check-in(s) held").format(
                        kiosk.name, kiosk.held_visits
                    )
                )
            else:
                parts.append(self.tr("{0}: answering").format(kiosk.name))
        self.stations.setText(self.tr("Kiosks — {0}").format(" · ".join(parts)))
        self.stations.setVisible(bool(parts))

    def _show_alerts(self, shown: tuple[Alert, ...]) -> None:
        for _, line in self.lines:
            self.rows.removeWidget(line)
            line.deleteLater()
        self.lines = []
        for alert in shown:
            line = QFrame()
            line.setObjectName("alertLine")
            style = {
                AlertKind.RISK_ANSWER: _AT_RISK,
                AlertKind.HELP_REQUESTED: _URGENT,
            }.get(alert.kind, _WARNING)
            # The words take the line's own colour (white on the risk alert's dark red).
            words_colour = style.split("color:")[1].split(";")[0].strip()
            line.setStyleSheet(
                f"QFrame#alertLine {{ {style} }} "
                f"QLabel {{ border: none; background: transparent; color: {words_colour}; }}"
            )
            row = QHBoxLayout(line)
            row.setContentsMargins(8, 4, 8, 4)
            words = plain_label(self.alert_text(alert), "alertText", wrap=True)
            words.setStyleSheet("font-weight: 600;")
            row.addWidget(words, 1)
            if alert.kind is AlertKind.RISK_ANSWER:
                self._risk_buttons(alert, row)
            elif self.member is not None:
                acknowledge = QPushButton(self.tr("Acknowledge…"))
                acknowledge.setEnabled(not alert.acknowledged)
                acknowledge.clicked.connect(lambda _=False, a=alert: self.acknowledge(a))
                clear = QPushButton(self.tr("Clear"))
                clear.clicked.connect(lambda _=False, a=alert: self.clear(a))
                row.addWidget(acknowledge)
                row.addWidget(clear)
            self.rows.addWidget(line)
            self.lines.append((alert, line))

    def _risk_buttons(self, alert: Alert, row: QHBoxLayout) -> None:
        if self.member is None:
            return
        opening = QPushButton(self.tr("Open…"))
        opening.clicked.connect(lambda _=False, a=alert: self.open_risk(a))
        acknowledge = QPushButton(self.tr("Acknowledge…"))
        acknowledge.setEnabled(not alert.acknowledged)
        acknowledge.clicked.connect(lambda _=False, a=alert: self.acknowledge(a))
        close = QPushButton(self.tr("Close…"))
        clinician = self.member.may(Permission.CLOSE_RISK_ALERT)
        close.setEnabled(clinician and alert.acknowledged)
        close.setToolTip(
            self.tr("A clinician closes it, once acknowledged")
            if not (clinician and alert.acknowledged)
            else ""
        )
        close.clicked.connect(lambda _=False, a=alert: self.close_risk(a))
        for button in (opening, acknowledge, close):
            row.addWidget(button)

    @classmethod
    def show_patient(cls, parent: QWidget, title: str, words: str) -> None:
        """Show an opened risk alert (a classmethod, so tests can read it instead)."""
        QMessageBox.information(parent, title, words)

    def open_risk(self, alert: Alert) -> None:
        """Who the patient is and what they answered so far (audited)."""
        by = self._actor()
        if by is None:
            return
        try:
            opened = self.station.alerts().open_risk(alert.id, by)
        except (AlertError, StorageUnavailableError) as error:
            tell(self, self.tr("Alerts"), str(error))
            return
        with self._asking_staff():
            self.show_patient(self, self.tr("Talk with a patient now"), self.risk_words(opened))

    def risk_words(self, opened: OpenedRiskAlert) -> str:
        """An opened risk alert in words for staff."""
        partial = opened.partial
        born = partial.date_of_birth.strftime("%m/%d/%Y") if partial.date_of_birth else "—"
        lines = [
            self.tr("{0} {1}, born {2}").format(partial.first_name, partial.last_name, born),
            self.tr("Who responds: {0}").format(partial.responder),
            "",
            self.tr("Answers so far:"),
        ]
        lines += [f"• {question} — {answer}" for question, answer in opened.answers]
        return "\n".join(lines)

    def close_risk(self, alert: Alert) -> None:
        """A clinician closes it with a note saying what was done (audited)."""
        by = self._actor()
        if by is None:
            return
        with self._asking_staff():
            note, ok = QInputDialog.getText(
                self,
                self.tr("Close the alert"),
                self.tr("{0}\n\nWhat was done (required):").format(self.alert_text(alert)),
            )
        if ok:
            self._change(lambda: self.station.alerts().clear(alert.id, by, note))

    @contextlib.contextmanager
    def _asking_staff(self) -> Iterator[None]:
        """A dialog opened from a line's button: the lines wait until it closes."""
        self._asking = True
        try:
            yield
        finally:
            self._asking = False
            board, self._read_meanwhile = self._read_meanwhile, None
            if board is not None:
                # After the button's click has returned: the pressed button may go then.
                QTimer.singleShot(0, self, lambda: self.show_board(board))

    def _actor(self) -> Actor | None:
        if self.member is None:
            return None
        return Actor.staff(self.member, station=self.station.name, now=datetime.now(self.zone))

    def acknowledge(self, alert: Alert) -> None:
        """Staff are on it: a note for the others (optional), then audited."""
        by = self._actor()
        if by is None:
            return
        asked = (
            self.tr("{0}\n\nWho is going to the patient (required):")
            if alert.kind is AlertKind.RISK_ANSWER
            else self.tr("{0}\n\nNote for the other desks (optional):")
        )
        with self._asking_staff():
            note, ok = QInputDialog.getText(
                self, self.tr("Acknowledge the alert"), asked.format(self.alert_text(alert))
            )
        if ok:
            self._change(lambda: self.station.alerts().acknowledge(alert.id, note, by))

    def clear(self, alert: Alert) -> None:
        """Done with: gone from every desk (audited)."""
        by = self._actor()
        if by is not None:
            self._change(lambda: self.station.alerts().clear(alert.id, by))

    def _change(self, change: Callable[[], None]) -> None:
        try:
            change()
        except (AlertError, StorageUnavailableError) as error:
            tell(self, self.tr("Alerts"), str(error))
        self.watcher.look()
