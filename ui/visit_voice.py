""" "Read to me" for the kiosk: which screens offer it, reading the screen on show, and
what the patient hears when the voice gives up.

Its words are the kiosk window's, translated where they always were (lupdate reads the
context and the text from each call, so both are written out in full).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QStackedWidget

from kiosk.check_in import READ_ALOUD_TIME_FACTOR
from ui.read_aloud import ReadAloud
from ui.screens.patient_screen import PatientScreen
from ui.visit_screens import VisitScreens
from ui.widgets.notice_overlay import NoticeOverlay
from ui.widgets.still_there import StillThere


class VisitVoice:
    """Ties the kiosk's one voice to the visit on screen."""

    def __init__(
        self,
        read_aloud: ReadAloud,
        stack: QStackedWidget,
        asking: StillThere,
        *,
        screens: Callable[[], VisitScreens | None],
        language: Callable[[], str],
        tell: Callable[[NoticeOverlay], None],
        notice: NoticeOverlay,
    ) -> None:
        self.read_aloud = read_aloud
        self.stack = stack
        self.asking = asking
        self._screens, self._language, self._tell, self.notice = screens, language, tell, notice
        read_aloud.speaking_changed.connect(self.reading_changed)
        read_aloud.became_available.connect(self.offer)
        read_aloud.stopped_working.connect(self.stopped_working)

    def read_to_me(self) -> None:
        """Read to me / Stop reading, tapped on the screen on show."""
        if self.read_aloud.speaking:
            self.read_aloud.stop()
            return
        screen = self.stack.currentWidget()
        if not isinstance(screen, PatientScreen):
            return
        self.read_aloud.say(screen.spoken_lines(), self._language())
        # Listening takes longer than reading.
        self.asking.wait_longer(READ_ALOUD_TIME_FACTOR)

    def reading_changed(self, speaking: bool) -> None:
        """The button says Stop while the voice reads; the time to answer starts after."""
        screens = self._screens()
        if screens is not None:
            for screen in screens.all():
                screen.show_reading(speaking=speaking)
        if not speaking and self.asking.idle_timer.isActive():
            self.asking.restart()

    def offer(self) -> None:
        """Show or hide "Read to me" on this visit's screens as the voice is now."""
        screens = self._screens()
        if screens is None:
            return
        available = self.read_aloud.available_for(self._language())
        for screen in screens.all():
            screen.offer_read_aloud(available=available)

    def stopped_working(self) -> None:
        """The voice never finished reading: no "Read to me" now, and the patient told why."""
        self.offer()
        self.notice.show_notice(
            QCoreApplication.translate(
                "KioskWindow",
                "Sorry, the voice is not working right now. You can read the words on the "
                "screen, or ask at the front desk for someone to read them with you.",
            ),
            QCoreApplication.translate("KioskWindow", "OK"),
        )
        self._tell(self.notice)
