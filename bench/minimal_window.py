"""The cold-start baseline: the least PySide6 program that paints one label, then exits.

Run as a script (`python bench/minimal_window.py`); it quits once its label has been
painted, exactly as `kiosk run --exit-after-first-paint` does for Welcome.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel


def _painted_and_quit() -> None:
    # As the kiosk says it (ui.kiosk_app.FIRST_FRAME_PAINTED), not imported: this
    # program loads nothing but PySide6.
    sys.stderr.write("first frame painted\n")
    sys.stderr.flush()
    QApplication.quit()


class QuitAfterPaint(QObject):
    """Says so and quits on the turn of the event loop after the label's first paint."""

    def __init__(self) -> None:
        super().__init__()
        self.quitting = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Quit after the first paint has finished."""
        if event.type() == QEvent.Type.Paint and not self.quitting:
            self.quitting = True
            QTimer.singleShot(0, _painted_and_quit)
        return super().eventFilter(watched, event)


def main() -> int:
    """Show one label and exit after it is painted."""
    app = QApplication(sys.argv[:1])
    label = QLabel("Serenity Mental Health Centers")
    quitter = QuitAfterPaint()
    label.installEventFilter(quitter)
    label.resize(1080, 1920)
    label.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
