"""Leaving a locked-down kiosk with its own exit PIN, as staff would at the screen."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from kiosk.audit import AuditAction, entries
from kiosk.database import Database
from kiosk.exit_pin import hash_pin
from kiosk.settings import Settings
from kiosk.station import Station
from kiosk.visit import KioskTiming
from ui.exit_pin_dialog import ExitPinDialog
from ui.kiosk_window import KioskWindow
from ui.lockdown import KioskLockdown, lock_down
from ui.visit_walk import tap, tap_text

PIN = "482913"
CORNER = QPoint(12, 12)


def _allow_leaving(window: QWidget) -> None:
    assert isinstance(window, KioskWindow)
    window.leaving_allowed = True


@pytest.fixture
def locked(qtbot: QtBot, database: Database, settings: Settings, tmp_path: Path) -> KioskWindow:
    settings = dataclasses.replace(
        settings, exit_pin=hash_pin(PIN), held_visits_dir=tmp_path / "held"
    )
    window = KioskWindow(
        Station(database, "lobby"), settings, timing=KioskTiming(double_tap_guard_seconds=0)
    )
    qtbot.addWidget(window, before_close_func=_allow_leaving)
    window.resize(1080, 1920)
    window.lockdown = lock_down(window)  # type: ignore[attr-defined]
    window.lockdown.hold_timer.setInterval(300)  # type: ignore[attr-defined]
    qtbot.waitExposed(window)
    return window


def _type_pins_when_asked(qtbot: QtBot, pins: list[str], said: list[str]) -> list[bool]:
    """Staff at the kiosk: type each PIN on the dialog's number keys and tap Close the
    kiosk; what the dialog says after each goes into `said`; then Cancel if still asked."""
    finished: list[bool] = []

    def fill_in() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ExitPinDialog):
            QTimer.singleShot(50, fill_in)
            return
        for pin in pins:
            qtbot.mouseClick(dialog.pin, Qt.MouseButton.LeftButton)
            tap_text(dialog.keyboard, pin)
            tap(dialog, "Close the kiosk")
            if not dialog.isVisible():
                break
            said.append(dialog.message.text())
        if dialog.isVisible():
            tap(dialog, "Cancel")
        finished.append(True)

    QTimer.singleShot(50, fill_in)
    return finished


def _hold_the_corner(qtbot: QtBot, window: KioskWindow, until: Callable[[], bool]) -> None:
    qtbot.mousePress(window, Qt.MouseButton.LeftButton, pos=CORNER)
    qtbot.waitUntil(until, timeout=15000)
    qtbot.mouseRelease(window, Qt.MouseButton.LeftButton, pos=CORNER)


def test_staff_leave_with_the_kiosks_exit_pin(
    qtbot: QtBot, locked: KioskWindow, database: Database
) -> None:
    said: list[str] = []
    finished = _type_pins_when_asked(qtbot, ["111111", PIN], said)
    lockdown: KioskLockdown = locked.lockdown  # type: ignore[attr-defined]
    with qtbot.waitSignal(lockdown.staff_left, timeout=15000):
        qtbot.mousePress(locked, Qt.MouseButton.LeftButton, pos=CORNER)
    qtbot.waitUntil(lambda: bool(finished))
    qtbot.mouseRelease(locked, Qt.MouseButton.LeftButton, pos=CORNER)
    assert said == ["That PIN is not right."]
    assert not locked.isVisible()
    with database.session() as session:
        trail = [(e.action, e.actor, e.detail) for e in entries(session)]
    assert (AuditAction.KIOSK_CLOSED, "kiosk:lobby") in [t[:2] for t in trail]
    refused = [t for t in trail if t[0] == AuditAction.KIOSK_EXIT_REFUSED]
    assert len(refused) == 1
    assert "wrong exit PIN (1 in a row)" in refused[0][2]
    assert PIN not in str(trail)
    assert "111111" not in str(trail)


def test_five_wrong_pins_make_even_the_right_one_wait(
    qtbot: QtBot, locked: KioskWindow, database: Database
) -> None:
    said: list[str] = []
    finished = _type_pins_when_asked(qtbot, ["111111"] * 5 + [PIN], said)
    _hold_the_corner(qtbot, locked, lambda: bool(finished))
    assert said[:4] == ["That PIN is not right."] * 4
    assert said[4:] == ["Too many wrong PINs. Try again in 5 minute(s)."] * 2
    assert locked.isVisible(), "the right PIN during the wait does not let anyone out"

    def refused() -> int:
        with database.session() as session:
            return [e.action for e in entries(session)].count(AuditAction.KIOSK_EXIT_REFUSED)

    # The next heartbeats take them in (a busy machine may need two: the sixth try can
    # come after the first five were taken in).
    held = locked.settings.held_visits_dir / "exit-pin-events.jsonl"
    qtbot.waitUntil(lambda: refused() == 6 and not held.exists(), timeout=30000)
    with database.session() as session:
        actions = [e.action for e in entries(session)]
    assert AuditAction.KIOSK_CLOSED not in actions
    assert actions.count(AuditAction.KIOSK_EXIT_REFUSED) == 6
