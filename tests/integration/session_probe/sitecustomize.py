"""Test instrumentation, loaded only by tests/integration/test_kiosk_session_under_cage.py.

That test starts the real kiosk session under cage, where no input device exists to hold
a corner or type a password, and no screenshot shows what the kiosk shows. This module
(on PYTHONPATH as `sitecustomize`, so Python loads it at start) acts inside the kiosk
process only, through the same widgets a person uses:

- once Welcome is on screen covering the whole screen, it saves the window's picture as
  `shown-<pid>.png` and writes `shown-<pid>.txt` ("width height screen-width
  screen-height") in KIOSK_PROBE_DIR;
- when the file `staff-exit` appears there, it presses the top-left corner and holds it
  (the lock-down's own hold, shortened), then fills in the sign-in dialog that appears
  with KIOSK_PROBE_STAFF and KIOSK_PROBE_PASSWORD and clicks Sign in.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any


def _watch(window: Any, lockdown: Any, folder: Path) -> None:
    from PySide6.QtCore import QObject, QPoint, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from ui.sign_in_dialog import SignInDialog

    pid = os.getpid()
    state = {"shown": False, "held": False, "signed": False}

    def look() -> None:
        if not state["shown"] and window.isVisible():
            size, screen = window.size(), window.screen().geometry().size()
            welcome = window.welcome
            if size == screen and welcome.isVisible() and welcome.start_button.isEnabled():
                window.grab().save(str(folder / f"shown-{pid}.png"))
                said = folder / f"shown-{pid}.part"
                said.write_text(
                    f"{size.width()} {size.height()} {screen.width()} {screen.height()}"
                )
                said.rename(folder / f"shown-{pid}.txt")
                state["shown"] = True
        asked = folder / "staff-exit"
        if state["shown"] and not state["held"] and asked.exists():
            asked.unlink()
            lockdown.hold_timer.setInterval(500)
            QTest.mousePress(
                window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(10, 10)
            )
            state["held"] = True
        dialog = QApplication.activeModalWidget()
        if state["held"] and not state["signed"] and isinstance(dialog, SignInDialog):
            dialog.username.setText(os.environ["KIOSK_PROBE_STAFF"])
            dialog.password.setText(os.environ["KIOSK_PROBE_PASSWORD"])
            # A click, not a synthetic press and release: the dialog's own window may not be
            # mapped yet under the headless compositor, and a press there goes nowhere.
            dialog.sign_in_button.click()
            state["signed"] = True

    timer = QTimer(window)
    timer.setInterval(100)
    timer.timeout.connect(look)
    timer.start()
    QObject.setObjectName(timer, "sessionProbe")


def _install() -> None:
    folder = os.environ.get("KIOSK_PROBE_DIR")
    # The kiosk itself is `python -m ui.main run`; its session (`--supervised`) and the
    # command line are left alone.
    if not folder or sys.argv[:1] != ["-m"] or "--supervised" in sys.argv:
        return
    import ui.lockdown

    real_lock_down = ui.lockdown.lock_down

    def lock_down(window: Any) -> Any:
        lockdown = real_lock_down(window)
        _watch(window, lockdown, Path(folder))
        return lockdown

    ui.lockdown.lock_down = lock_down  # before ui.kiosk_app imports it


_install()
