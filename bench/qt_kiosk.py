"""The kiosk window on a throwaway database, and a way to wait until a screen is painted."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QStackedWidget, QWidget

from kiosk.database import init_database, open_database
from kiosk.settings import load_settings
from kiosk.station import Station
from kiosk.visit import KioskTiming
from ui.kiosk_window import KioskWindow
from ui.patient_display import kiosk_style


def application() -> QApplication:
    """The one QApplication, styled as the kiosk is."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(["kiosk-bench"])
    if not app.styleSheet():
        app.setStyleSheet(kiosk_style())
    return app


def welcome_idle(window: KioskWindow) -> None:
    """Welcome has waited a moment, as between patients: the next visit's screens are
    built (ui.next_visit), and what the last visit's freed has gone back to the system."""
    deadline = time.perf_counter() + 10
    while not window.next_screens.is_ready:
        QTest.qWait(10)
        if time.perf_counter() > deadline:
            raise TimeoutError("the next visit's screens were not built within 10 s")


def kiosk_window(database_file: Path, content_dir: Path | None = None) -> KioskWindow:
    """The kiosk, portrait 1080 × 1920 as `kiosk run` opens it, shown and exposed.

    The double-tap guard is off: the benchmark taps the instant a screen is painted,
    which a person's second tap of a double tap would be refused for.
    """
    application()
    settings = load_settings(
        {"database_url": f"sqlite:///{database_file}", "content_dir": content_dir}
    )
    init_database(settings.database_url)
    database = open_database(settings.database_url)
    window = KioskWindow(
        Station(database, "bench"),
        settings,
        timing=KioskTiming(timeout_seconds=3600, double_tap_guard_seconds=0),
    )
    window.resize(1080, 1920)
    window.show()
    QTest.qWaitForWindowExposed(window)
    return window


class PaintWatcher(QObject):
    """Notes which watched widgets Qt has sent a paint event to since it was last cleared.

    It watches only the widgets it is asked about, never the whole application: a Python
    filter on every event would slow down what it measures.
    """

    def __init__(self) -> None:
        super().__init__()
        self.painted: set[int] = set()
        self._heard_paint: Callable[[], None] | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Remember a paint event's widget; never stop the event."""
        if event.type() == QEvent.Type.Paint:
            self.painted.add(id(watched))
            if self._heard_paint is not None:
                self._heard_paint()
        return False

    def clear(self) -> None:
        """Forget what was painted."""
        self.painted.clear()

    def watch_screens_of(self, widget: QWidget) -> None:
        """Watch every page of every stack in `widget`'s window from now on.

        A tap whose screen change waits for an errand (Continue on the details screen
        looks up the expected list off the screen's thread) can change and paint the
        screen within one `processEvents`, before `wait_until_painted` sees which screen
        is on show; watching every page beforehand catches that paint too.
        """
        for stack in widget.window().findChildren(QStackedWidget):
            for index in range(stack.count()):
                page = stack.widget(index)
                if page is not None:
                    page.installEventFilter(self)

    def wait_until_painted(
        self, widget_of: Callable[[], QWidget | None], timeout_s: float = 5.0
    ) -> None:
        """Run the event loop until the widget `widget_of()` gives has been painted.

        Call it right after the tap: a tap's screen change is painted later, by the event
        loop, so the filter goes on the screen on show before the loop runs. Qt paints a
        window's widgets in one pass, in one event; the loop is left from the turn after
        the watched widget's paint, when the frame is complete.

        The loop sleeps between events, as the kiosk's own does: a loop polled in Python
        would hold the interpreter's lock that a lookup on the errands' thread (Continue
        on the details screen) needs, and slow down what it measures.
        """
        loop = QEventLoop()
        painted = False

        def check() -> None:
            nonlocal painted
            widget = widget_of()
            if widget is None:
                return
            widget.installEventFilter(self)  # once: Qt never installs a filter twice
            if not painted and id(widget) in self.painted:
                painted = True
                QTimer.singleShot(0, loop.quit)

        self._heard_paint = check
        try:
            check()
            if not painted:
                # A new screen is heard as it is painted (`watch_screens_of` watches every
                # page); a widget nobody watched yet is looked for now and then.
                again = QTimer()
                again.timeout.connect(check)
                again.start(20)
                QTimer.singleShot(round(timeout_s * 1000), loop.quit)
                loop.exec()
                again.stop()
            else:
                application().processEvents()
        finally:
            self._heard_paint = None
        if not painted:
            raise TimeoutError(f"{widget_of()} was not painted within {timeout_s} s")
