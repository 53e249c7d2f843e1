"""A patient's "Ask for help": the front desk is told, and the patient reads what became of it.

The check-in service raises the alert and asks after it off the screen's thread
(`kiosk.check_in.CheckIn.ask_for_help`); `kiosk.alerts.HelpRequest` decides the words:
"told" only once a desk reports it had the alert on its screen, "please go to the front
desk" when none has within 15 seconds. This notice only shows them, looks again every
second, and closes when staff clear the alert: the visit goes on where the patient was.
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QTimer

from kiosk.alerts import HelpRequest, HelpWording
from kiosk.check_in import CheckIn
from ui.widgets.notice_overlay import NoticeOverlay


class HelpRequestNotice(QObject):
    """Raises a help request and keeps the patient's notice true to what the desk did."""

    LOOK_MILLISECONDS = 1000

    def __init__(
        self,
        check_in: CheckIn,
        notice: NoticeOverlay,
        *,
        before: Callable[[], None],
        focus: Callable[[NoticeOverlay], None],
    ) -> None:
        super().__init__(notice)
        self.check_in = check_in
        self.notice = notice
        self._before, self._focus = before, focus
        self.request: HelpRequest | None = None
        self._shown: HelpWording | None = None
        self._asking = False  # one question to the database at a time
        self.timer = QTimer(self)
        self.timer.setInterval(self.LOOK_MILLISECONDS)
        self.timer.timeout.connect(self._look)
        notice.dismissed.connect(self.stop)

    def start(self) -> None:
        """ "Ask for help" tapped: tell the desks, and say so at once."""
        self._before()
        self.stop()
        self._asking = True
        self.request = self.check_in.ask_for_help(self._heard)
        self._show(self.request)
        self._focus(self.notice)
        self.timer.start()

    def stop(self) -> None:
        """The patient closed the notice, or the visit ended: nothing more to show."""
        self.timer.stop()
        self.request, self._shown = None, None

    def _words(self, wording: HelpWording) -> str:
        if wording is HelpWording.TOLD:
            return self.tr(
                "Someone from the front desk has been told and will come to you. You can "
                "go on where you were."
            )
        if wording is HelpWording.TELLING:
            return self.tr("We are letting the front desk know that you would like help…")
        return self.tr("Please go to the front desk — we'll be glad to help.")

    def _show(self, request: HelpRequest) -> None:
        wording = request.wording()
        if wording is self._shown:
            return
        if self._shown is None or not self.notice.isVisible():
            # Named by what the patient asked for (the top bar's words).
            self.notice.setAccessibleName(
                QCoreApplication.translate("PatientScreen", "Ask for help")
            )
            self.notice.show_notice(self._words(wording), self.tr("OK"))
        else:
            self.notice.set_text(self._words(wording))
        self._shown = wording

    def _look(self) -> None:
        request = self.request
        if request is None:
            return
        self._show(request)  # the 15 seconds may be up
        if request.following and not self._asking:
            self._asking = True
            self.check_in.follow_help(request, self._heard)

    def _heard(self, request: HelpRequest) -> None:
        self._asking = False
        if not shiboken6.isValid(self.notice):
            return  # the window closed while the desk's answer was on its way
        if request is not self.request:
            return  # the notice was closed (or the visit ended) meanwhile
        if request.cleared:
            # Staff came and cleared it: the patient goes on where they were.
            self.notice.hide()
            self.stop()
            return
        self._show(request)
