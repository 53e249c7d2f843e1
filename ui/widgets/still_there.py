""" "Are you still there?": the check-in service's idle policy, run on Qt's timers.

The policy (how long to wait, how long to count down, when to wait longer) is the
check-in service's (`kiosk.check_in.IdlePolicy`); this only runs the timers, shows the
question with its countdown and reports a patient who never came back. Its words are
the kiosk window's, translated where they always were (lupdate reads the context and the
text from each call, so both are written out in full).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QWidget

from kiosk.check_in import MORE_TIME_FACTOR, IdleAction, IdlePolicy
from kiosk.visit import Step
from ui.assistive_technology import mark_notice
from ui.widgets.notice_overlay import NoticeOverlay


class StillThere(QObject):
    """Asks a patient who stopped touching the screen whether they are still there.

    Signals:
        nobody_came_back: the countdown ran out; the visit is to be given up.
    """

    nobody_came_back = Signal()

    def __init__(
        self,
        policy: IdlePolicy,
        overlay_parent: QWidget,
        *,
        step: Callable[[], Step | None],
        listening: Callable[[], bool],
        focus_notice: Callable[[NoticeOverlay], None],
    ) -> None:
        super().__init__(overlay_parent)
        self.policy = policy
        self._step, self._listening, self._focus_notice = step, listening, focus_notice
        self.notice = NoticeOverlay(overlay_parent)
        # The patient may have walked away: while the question counts down, their name
        # and answers are covered, not merely dimmed, for whoever passes by.
        self.notice.setProperty("covering", True)
        # Urgent, and about the patient's privacy: an alert, not a dialog.
        mark_notice(self.notice, QAccessible.Role.AlertMessage)
        # The seconds count down in its words: the focus goes to the alert, not to them.
        self.notice.words_change = True
        self.notice.dismissed.connect(self._still_here)
        self.notice.second_chosen.connect(self._more_time)
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.setInterval(policy.wait_seconds * 1000)
        self.idle_timer.timeout.connect(self._on_idle)
        self.countdown_timer = QTimer(self)
        self.countdown_timer.setInterval(1000)
        self.countdown_timer.timeout.connect(self._count_down)

    def restart(self) -> None:
        """The patient is there: the wait before asking starts again."""
        self.policy.touched()
        self.idle_timer.start(self.policy.wait_seconds * 1000)

    def touched(self) -> None:
        """A tap, key or move while a step is watched."""
        if self.idle_timer.isActive():
            self.restart()

    def wait_longer(self, factor: int) -> None:
        """For the rest of this visit, wait `factor` times the usual before asking."""
        self.policy.wait_longer(factor)
        self.idle_timer.setInterval(self.policy.wait_seconds * 1000)

    def stop(self) -> None:
        """Nothing to watch (Done, a problem on screen, the window closing)."""
        self.idle_timer.stop()
        self.countdown_timer.stop()

    def reset(self) -> None:
        """A new visit: no question on screen, and the usual wait."""
        self.stop()
        self.notice.hide()
        self.idle_timer.setInterval(self.policy.wait_seconds * 1000)

    def ask(self) -> None:
        """Show the question with the countdown's seconds left."""
        # Named by the question (the first line), so the countdown is not its name.
        self.notice.setAccessibleName(self._text().split("\n", 1)[0])
        self.notice.show_notice(
            self._text(),
            QCoreApplication.translate("KioskWindow", "Yes, continue"),
            QCoreApplication.translate("KioskWindow", "I need more time"),
            descriptions=(
                QCoreApplication.translate("KioskWindow", "Goes back to where you were."),
                QCoreApplication.translate(
                    "KioskWindow",
                    "Goes back to where you were, and waits much longer before asking again.",
                ),
            ),
        )

    def _text(self) -> str:
        return QCoreApplication.translate(
            "KioskWindow",
            "Are you still there?\n\nThis check-in will start over in {0} seconds "
            "to keep your answers private.",
        ).format(self.policy.countdown_left)

    def _on_idle(self) -> None:
        step = self._step()
        listening = self._listening()
        if self.policy.when_idle(step=step, listening=listening) is IdleAction.ASK:
            self.ask()
            self._focus_notice(self.notice)
            self.countdown_timer.start()
        elif step is not None and self.policy.watches(step):
            # Listening, not gone (ask once the voice has finished), or touched since.
            left = self.policy.wait_seconds if listening else self.policy.seconds_left()
            self.idle_timer.start(max(1, round(left * 1000)))

    def _count_down(self) -> None:
        if self.policy.count_down() > 0:
            self.notice.set_text(self._text())
            return
        self.countdown_timer.stop()
        self.nobody_came_back.emit()

    def _still_here(self) -> None:
        self.countdown_timer.stop()
        self.restart()

    def _more_time(self) -> None:
        # Some patients read slowly or need a pause: for the rest of this visit the kiosk
        # waits three times as long before asking again.
        self.countdown_timer.stop()
        self.wait_longer(MORE_TIME_FACTOR)
        self.restart()
