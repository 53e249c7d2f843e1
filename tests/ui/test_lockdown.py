"""Lock-down, tried the way a curious patient and a member of staff would."""

from __future__ import annotations

import dataclasses
import sys
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from kiosk import auth
from kiosk.actor import Actor, ActorKind
from kiosk.audit import AuditAction, entries
from kiosk.database import Database
from kiosk.kiosk_session import STAFF_CLOSED_STATUS
from kiosk.settings import Settings
from kiosk.station import Station
from kiosk.visit import KioskTiming
from ui.kiosk_app import run_kiosk
from ui.kiosk_window import KioskWindow
from ui.lockdown import KioskLockdown, lock_down
from ui.sign_in_dialog import SignInDialog
from ui.visit_walk import current, tap, tap_text

PASSWORD = "correct horse battery"
CORNER = QPoint(12, 12)


@pytest.fixture
def locked(qtbot: QtBot, database: Database, settings: Settings) -> KioskWindow:
    with database.session() as session, session.begin():
        auth.add_account(
            session,
            "maria",
            {auth.Role.STAFF},
            PASSWORD,
            Actor(ActorKind.COMMAND_LINE, "tester", "desk-1", datetime.now(UTC)),
        )
    window = KioskWindow(
        Station(database, "lobby"), settings, timing=KioskTiming(double_tap_guard_seconds=0)
    )
    # pytest-qt closes its widgets before fixtures end: a locked kiosk must allow it, or
    # it stays open, locking down the windows of the tests that follow.
    qtbot.addWidget(window, before_close_func=_allow_leaving)
    window.resize(1080, 1920)
    window.lockdown = lock_down(window)  # type: ignore[attr-defined]
    window.lockdown.hold_timer.setInterval(300)  # type: ignore[attr-defined]
    qtbot.waitExposed(window)
    return window


def _allow_leaving(window: QWidget) -> None:
    assert isinstance(window, KioskWindow)
    window.leaving_allowed = True


def test_locked_down_the_kiosk_is_full_screen_frameless_and_on_top(locked: KioskWindow) -> None:
    assert locked.isFullScreen()
    assert locked.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert locked.windowFlags() & Qt.WindowType.WindowStaysOnTopHint


def test_a_minimised_kiosk_comes_straight_back_full_screen(
    qtbot: QtBot, locked: KioskWindow
) -> None:
    tap(current(locked), "Start")
    locked.showMinimized()  # what a window manager's minimise button or task bar does
    qtbot.waitUntil(lambda: locked.isFullScreen() and not locked.isMinimized())
    assert current(locked) is locked.screens.details  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("key", "modifier"),
    [
        (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
        (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier),
    ],
)
def test_keys_that_close_windows_do_nothing(
    qtbot: QtBot, locked: KioskWindow, key: Qt.Key, modifier: Qt.KeyboardModifier
) -> None:
    tap(current(locked), "Start")
    qtbot.keyClick(current(locked), key, modifier)
    locked.close()  # what the window system does for Alt+F4 or a close button
    assert locked.isVisible()
    assert locked.visit is not None, "the patient's visit goes on"
    assert current(locked) is locked.screens.details  # type: ignore[union-attr]


def test_no_right_click_menu_no_copying_and_no_selecting(qtbot: QtBot, locked: KioskWindow) -> None:
    tap(current(locked), "Start")
    field = current(locked).findChild(QLineEdit, "first_nameField")
    assert field is not None
    tap_text(current(locked).keyboard, "Ana")  # type: ignore[attr-defined]
    at = QPoint(5, 5)
    right_click = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, at, field.mapToGlobal(at), Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(field, right_click)  # what the window system sends on a right click
    assert QApplication.activePopupWidget() is None
    qtbot.mouseDClick(field, Qt.MouseButton.LeftButton)
    assert field.selectedText() == ""
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(field, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert field.selectedText() == ""
    assert field.text() == "Ana"


def test_once_the_kiosk_has_closed_other_windows_are_not_locked_down(
    qtbot: QtBot, locked: KioskWindow
) -> None:
    locked.leaving_allowed = True
    locked.close()
    assert not locked.isVisible()
    # A window left in the same program (the desk, say): select-all works again.
    field = QLineEdit("maria")
    qtbot.addWidget(field)
    field.show()
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert field.selectedText() == "maria"


def test_a_short_press_in_the_corner_does_nothing(qtbot: QtBot, locked: KioskWindow) -> None:
    lockdown: KioskLockdown = locked.lockdown  # type: ignore[attr-defined]
    lockdown.hold_timer.setInterval(5000)  # the real hold, so a slow machine cannot reach it

    def must_not_ask(*_args: object, **_kwargs: object) -> None:
        pytest.fail("a short press must not ask staff to sign in")

    lockdown.ask_sign_in = must_not_ask
    qtbot.mousePress(locked, Qt.MouseButton.LeftButton, pos=CORNER)
    assert lockdown.hold_timer.isActive()
    qtbot.mouseRelease(locked, Qt.MouseButton.LeftButton, pos=CORNER)
    assert not lockdown.hold_timer.isActive(), "lifting the finger cancels the hold"
    assert QApplication.activeModalWidget() is None
    assert locked.isVisible()


def _sign_in_when_asked(qtbot: QtBot, username: str, password: str) -> list[bool]:
    """Staff at the kiosk: when the sign-in appears, type on its on-screen keys and tap
    Sign in (then Cancel if still asked). The list gets True once they are done."""
    finished: list[bool] = []

    def fill_in() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SignInDialog):
            QTimer.singleShot(50, fill_in)
            return
        assert dialog.keyboard.isVisible(), "at a kiosk, the sign-in brings its own keys"
        qtbot.mouseClick(dialog.username, Qt.MouseButton.LeftButton)
        tap_text(dialog.keyboard, username)
        qtbot.mouseClick(dialog.password, Qt.MouseButton.LeftButton)
        tap_text(dialog.keyboard, password)
        tap(dialog, "Sign in")
        if dialog.isVisible():
            assert "did not work" in dialog.message.text()
            tap(dialog, "Cancel")
        finished.append(True)

    QTimer.singleShot(50, fill_in)
    return finished


def test_staff_hold_the_corner_and_sign_in_to_leave(
    qtbot: QtBot, locked: KioskWindow, database: Database
) -> None:
    lockdown: KioskLockdown = locked.lockdown  # type: ignore[attr-defined]
    _sign_in_when_asked(qtbot, "maria", PASSWORD)
    with qtbot.waitSignal(lockdown.staff_left, timeout=10000) as left:
        qtbot.mousePress(locked, Qt.MouseButton.LeftButton, pos=CORNER)
    qtbot.mouseRelease(locked, Qt.MouseButton.LeftButton, pos=CORNER)
    assert left.args == ["maria"]
    assert not locked.isVisible()
    with database.session() as session:
        closed = [e for e in entries(session) if e.action == AuditAction.KIOSK_CLOSED]
    assert [(e.actor, e.station) for e in closed] == [("user:maria", "lobby")]


def test_a_wrong_password_keeps_the_kiosk_locked(
    qtbot: QtBot, locked: KioskWindow, database: Database
) -> None:
    finished = _sign_in_when_asked(qtbot, "maria", "not the password")
    qtbot.mousePress(locked, Qt.MouseButton.LeftButton, pos=CORNER)
    qtbot.waitUntil(lambda: bool(finished), timeout=10000)
    qtbot.mouseRelease(locked, Qt.MouseButton.LeftButton, pos=CORNER)
    assert locked.isVisible()
    assert current(locked) is locked.welcome
    with database.session() as session:
        actions = [e.action for e in entries(session)]
    assert AuditAction.KIOSK_CLOSED not in actions
    assert AuditAction.SIGN_IN_FAILED in actions


def test_kiosk_run_ends_with_the_staff_closed_status_only_when_staff_leave(
    qtbot: QtBot, database: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The kiosk session (`kiosk run --supervised`) tells a staff exit from a crash by this
    # status alone, and starts the kiosk again after anything else.
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_kiosk installs its own
    with database.session() as session, session.begin():
        auth.add_account(
            session,
            "maria",
            {auth.Role.STAFF},
            PASSWORD,
            Actor(ActorKind.COMMAND_LINE, "tester", "desk-1", datetime.now(UTC)),
        )
    settings = dataclasses.replace(settings, lockdown=True, read_aloud=False)
    _sign_in_when_asked(qtbot, "maria", PASSWORD)

    def hold_the_corner() -> None:
        shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, KioskWindow)]
        window = next((w for w in shown if w.isVisible()), None)
        if window is None:
            QTimer.singleShot(50, hold_the_corner)
            return
        qtbot.addWidget(window, before_close_func=_allow_leaving)  # deleted after the test
        lockdown = window.findChild(KioskLockdown)
        assert lockdown is not None
        lockdown.hold_timer.setInterval(300)
        qtbot.mousePress(window, Qt.MouseButton.LeftButton, pos=CORNER)

    QTimer.singleShot(50, hold_the_corner)
    assert run_kiosk(settings, station="lobby", windowed=False) == STAFF_CLOSED_STATUS
