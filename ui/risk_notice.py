"""What the patient whose PHQ-9 answer raised a risk alert reads (`kiosk.risk`).

The check-in service raises the alert the moment the answer is recorded and asks after
it off the screen's thread; `kiosk.risk.RiskRequest` decides the words. This notice only
shows them, calmly, with the crisis numbers, and looks again every second: "someone is
coming" only once a desk has acknowledged the alert, "please go to the front desk now"
when no desk showed it within 15 seconds, none acknowledged it within 60, or it could
not be raised at all. The patient may close it and go on with the check-in; whenever the
words change it comes back. Closing it withdraws nothing: the alert is the desks'.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from kiosk.check_in import CheckIn
from kiosk.risk import RiskRequest, RiskWording
from ui.widgets.notice_overlay import NoticeOverlay


class RiskNotice(QObject):
    """Keeps the patient's notice true to what the desks did with the risk alert."""

    LOOK_MILLISECONDS = 1000

    def __init__(
        self,
        check_in: CheckIn,
        notice: NoticeOverlay,
        *,
        before: Callable[[], None],
        focus: Callable[[NoticeOverlay], None],
        held: Callable[[], None],
    ) -> None:
        """`before` silences the voice; `focus` gives the notice the keyboard's focus;
        `held` is told when the alert waits on this kiosk (the retries keep trying)."""
        super().__init__(notice)
        self.check_in = check_in
        self.notice = notice
        self._before, self._focus, self._held = before, focus, held
        self.request: RiskRequest | None = None
        self._shown: RiskWording | None = None
        self._asking = False  # one question to the database at a time
        self.timer = QTimer(self)
        self.timer.setInterval(self.LOOK_MILLISECONDS)
        self.timer.timeout.connect(self._look)
        # An answer from the database can arrive after the window is gone (it outlives no
        # kiosk, but a test's window): then there is nothing left to show it on.
        self._alive = alive = [True]
        notice.destroyed.connect(lambda *_: alive.__setitem__(0, False))
        check_in.listen_for_risk(self._raised)

    def _raised(self, request: RiskRequest) -> None:
        """The service raised the alert (or heard back from raising it)."""
        if not self._alive[0]:
            return
        if request.failed:
            self._held()
        if request is not self.request:
            # A new alert: the voice stops (the waiting room hears nothing of it).
            self._before()
            self.request, self._shown = request, None
            self.timer.start()
        self._show(request)

    def stop(self) -> None:
        """The visit ended: nothing more to show here (the alert stays on every desk)."""
        self.timer.stop()
        self.request, self._shown = None, None
        self.notice.hide()

    def words(self, wording: RiskWording) -> str:
        """The patient's words for `wording`, the crisis numbers always with them."""
        crisis = self.tr(
            "If you are thinking about hurting yourself, you can call or text 988 (the "
            "Suicide & Crisis Lifeline) at any time. In an emergency, call 911."
        )
        if wording is RiskWording.COMING:
            first = self.tr(
                "Thank you for telling us. Someone from our team is on their way to talk "
                "with you now."
            )
        elif wording is RiskWording.TALK_NOW:
            first = self.tr(
                "Thank you for telling us. A member of our team would like to talk with "
                "you now. Please stay here."
            )
        else:
            first = self.tr(
                "Thank you for telling us. Please go to the front desk now and let them "
                "know you would like to talk with someone."
            )
        return f"{first}\n\n{crisis}"

    def _show(self, request: RiskRequest) -> None:
        wording = request.wording()
        if wording is self._shown:
            return
        self.notice.setAccessibleName(self.tr("A member of our team would like to talk with you"))
        self.notice.show_notice(
            self.words(wording),
            self.tr("OK"),
            descriptions=(self.tr("Closes this message. Your check-in goes on."), ""),
        )
        self._focus(self.notice)
        self._shown = wording

    def _look(self) -> None:
        request = self.request
        if request is None:
            return
        self._show(request)  # the 15 or 60 seconds may be up
        if request.following and not self._asking and not request.acknowledged:
            self._asking = True
            self.check_in.follow_risk(request, self._heard)

    def _heard(self, request: RiskRequest) -> None:
        self._asking = False
        if self._alive[0] and request is self.request:
            self._show(request)
