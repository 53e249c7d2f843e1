"""The staff sign-in dialog and the idle sign-out, used as staff would."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget
from pytestqt.qtbot import QtBot

from kiosk import auth
from kiosk.actor import Actor, ActorKind
from kiosk.audit import entries
from kiosk.database import Database, open_database
from kiosk.settings import Settings
from kiosk.station import Station
from tests.databases import made_database
from ui.sign_in_dialog import SignInDialog
from ui.staff_session import StaffSession
from ui.visit_walk import tap, tap_text

PASSWORD = "correct horse battery"
REFUSED = "That username and password did not work. Ask an admin if you keep being refused."


@pytest.fixture
def accounts(database: Database) -> Database:
    action = Actor(ActorKind.COMMAND_LINE, "tester", "desk-1", datetime.now(UTC))
    with database.session() as session, session.begin():
        auth.add_account(session, "maria", {auth.Role.STAFF}, PASSWORD, action)
        auth.add_account(session, "drlee", {auth.Role.CLINICIAN}, PASSWORD, action)
    return database


def dialog(qtbot: QtBot, database: Database, settings: Settings, **kwargs: object) -> SignInDialog:
    shown = SignInDialog(
        Station(database, "desk-1"), settings, purpose="Front desk sign-in", **kwargs
    )  # type: ignore[arg-type]
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def type_in(qtbot: QtBot, shown: SignInDialog, username: str, password: str) -> None:
    """Type with the hardware keyboard, as at the desk, and press Enter."""
    qtbot.mouseClick(shown.username, Qt.MouseButton.LeftButton)
    qtbot.keyClick(shown.username, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(shown.username, username)  # replaces what was selected
    qtbot.keyClick(shown.username, Qt.Key.Key_Return)
    qtbot.keyClicks(shown.password, password)
    qtbot.keyClick(shown.password, Qt.Key.Key_Return)


def test_the_right_password_signs_in(qtbot: QtBot, accounts: Database, settings: Settings) -> None:
    shown = dialog(qtbot, accounts, settings)
    with qtbot.waitSignal(shown.accepted):
        type_in(qtbot, shown, "Maria", PASSWORD)
    assert shown.member is not None
    assert (shown.member.username, shown.member.roles) == ("maria", {auth.Role.STAFF})


def test_sign_in_by_touch_on_the_screen_keyboard(
    qtbot: QtBot, accounts: Database, settings: Settings
) -> None:
    shown = dialog(qtbot, accounts, settings, touch=True)
    assert shown.keyboard.isVisible()
    qtbot.mouseClick(shown.username, Qt.MouseButton.LeftButton)
    tap_text(shown.keyboard, "Maria")
    qtbot.mouseClick(shown.password, Qt.MouseButton.LeftButton)
    tap_text(shown.keyboard, PASSWORD)
    with qtbot.waitSignal(shown.accepted):
        tap(shown, "Sign in")
    assert shown.member is not None


def test_a_wrong_password_says_so_and_keeps_the_dialog_open(
    qtbot: QtBot, accounts: Database, settings: Settings
) -> None:
    shown = dialog(qtbot, accounts, settings)
    type_in(qtbot, shown, "maria", "not the password")
    assert shown.isVisible()
    assert shown.member is None
    assert shown.message.text() == REFUSED
    assert shown.password.text() == ""


def _shown_whole(widget: QWidget, window: QWidget) -> bool:
    """Whether no widget it sits in, up to the window, cuts any of it off."""
    part: QWidget | None = widget
    box = widget.rect()
    while part is not None and part is not window:
        holder = part.parentWidget()
        if holder is None:
            return False
        box = box.translated(part.pos())
        if not holder.rect().contains(box):
            return False
        part = holder
    return True


def test_after_a_wrong_password_every_on_screen_key_is_still_whole_and_on_a_tablet(
    qtbot: QtBot, accounts: Database, settings: Settings
) -> None:
    # The kiosk's staff exit: the sign-in with its own keys, by touch.
    shown = dialog(qtbot, accounts, settings, touch=True)
    qtbot.mouseClick(shown.username, Qt.MouseButton.LeftButton)
    tap_text(shown.keyboard, "maria")
    qtbot.mouseClick(shown.password, Qt.MouseButton.LeftButton)
    tap_text(shown.keyboard, "not the password")
    tap(shown, "Sign in")
    qtbot.waitUntil(shown.message.isVisible)
    QApplication.processEvents()  # the layout makes room for the message on its next turn

    cut = [
        key.text() or key.accessibleName()
        for key in shown.keyboard.findChildren(QAbstractButton)
        if key.isVisible() and not _shown_whole(key, shown)
    ]
    assert cut == [], f"keys cut off after a wrong password: {cut}"
    # All of it, keys at their least size, fits a tablet's 800 px (less the frame).
    least = shown.layout().totalMinimumSize().height()
    assert least + shown.frameGeometry().height() - shown.height() <= 800, least
    assert shown.message.text() == REFUSED


def test_the_dialog_says_the_words_the_domain_gives_for_a_refusal() -> None:
    # The dialog's words go through Qt's translation, so they are written out there.
    assert REFUSED == auth.SIGN_IN_REFUSED


def test_a_staff_account_cannot_do_what_needs_a_clinician(
    qtbot: QtBot, accounts: Database, settings: Settings
) -> None:
    shown = dialog(qtbot, accounts, settings, needed=auth.Permission.MARK_REVIEWED)
    type_in(qtbot, shown, "maria", PASSWORD)
    assert shown.member is None
    assert "cannot do this" in shown.message.text()
    type_in(qtbot, shown, "drlee", PASSWORD)
    assert shown.member is not None
    assert shown.member.roles == {auth.Role.CLINICIAN}


def test_five_wrong_tries_lock_and_the_lock_survives_a_restart(
    qtbot: QtBot, settings: Settings, tmp_path: Path
) -> None:
    database = made_database(settings.database_url)
    action = Actor(ActorKind.COMMAND_LINE, "tester", "desk-1", datetime.now(UTC))
    with database.session() as session, session.begin():
        auth.add_account(session, "maria", {auth.Role.STAFF}, PASSWORD, action)
    shown = dialog(qtbot, database, settings)
    for _ in range(5):
        type_in(qtbot, shown, "maria", "not the password")
    assert shown.message.text() == REFUSED
    database.close()
    restarted = open_database(settings.database_url)
    again = dialog(qtbot, restarted, settings)
    type_in(qtbot, again, "maria", PASSWORD)
    assert again.member is None
    assert again.message.text() == REFUSED
    with restarted.session() as session:
        assert list(entries(session))[-1].detail == "account locked"
    restarted.close()


def _lock_out(database: Database) -> None:
    for _ in range(5):
        with database.session() as session, session.begin():
            auth.sign_in(
                session, "maria", "wrong", now=datetime.now(UTC), station="t", lock_minutes=5
            )


def _disable(database: Database) -> None:
    action = Actor(ActorKind.COMMAND_LINE, "tester", "desk-1", datetime.now(UTC))
    with database.session() as session, session.begin():
        auth.set_enabled(session, "maria", False, action)


@pytest.mark.parametrize(
    ("why", "username", "password", "reason"),
    [
        ("unknown", "mario", PASSWORD, "unknown username"),
        ("wrong", "maria", "not the password", "wrong password (1 in a row)"),
        ("locked", "maria", PASSWORD, "account locked"),
        ("disabled", "maria", PASSWORD, "account disabled"),
        ("locked and wrong", "maria", "not the password", "account locked"),
    ],
)
def test_every_refusal_says_the_same_and_only_the_audit_says_why(
    qtbot: QtBot,
    accounts: Database,
    settings: Settings,
    why: str,
    username: str,
    password: str,
    reason: str,
) -> None:
    if why.startswith("locked"):
        _lock_out(accounts)
    elif why == "disabled":
        _disable(accounts)
    shown = dialog(qtbot, accounts, settings)
    qtbot.mouseClick(shown.username, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(shown.username, username)
    qtbot.mouseClick(shown.password, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(shown.password, password)
    tap(shown, "Sign in")
    qtbot.waitUntil(shown.message.isVisible)
    assert shown.isVisible()
    assert shown.member is None
    # Word for word the same whatever refused it: no lock, no time, no "disabled".
    assert shown.message.text() == REFUSED
    assert shown.windowTitle() == "Staff sign-in"
    assert shown.password.text() == ""
    with accounts.session() as session:
        last = list(entries(session))[-1]
    assert (last.action, last.detail) == ("sign_in_failed", reason)


def test_cancel_signs_nobody_in(qtbot: QtBot, accounts: Database, settings: Settings) -> None:
    shown = dialog(qtbot, accounts, settings)
    with qtbot.waitSignal(shown.rejected):
        tap(shown, "Cancel")
    assert shown.member is None


def test_an_idle_session_signs_itself_out_and_says_so_in_the_audit(
    qtbot: QtBot, accounts: Database, settings: Settings
) -> None:
    member = auth.StaffMember(1, "maria", frozenset({auth.Role.STAFF}))
    session = StaffSession(Station(accounts, "desk-1"), member, idle_milliseconds=300)
    with qtbot.waitSignal(session.signed_out, timeout=3000) as signal:
        pass
    assert signal.args == ["idle"]
    assert session.member is None
    with accounts.session() as db_session:
        last = list(entries(db_session))[-1]
    assert (last.actor, last.action, last.detail) == ("user:maria", "sign_out", "idle")


def test_activity_keeps_a_session_alive(
    qtbot: QtBot, accounts: Database, settings: Settings
) -> None:
    member = auth.StaffMember(1, "maria", frozenset({auth.Role.STAFF}))
    session = StaffSession(Station(accounts, "desk-1"), member, idle_milliseconds=2000)
    shown = dialog(qtbot, accounts, settings)
    # Four seconds of typing, a key every half second: twice the idle time in all, each
    # gap a quarter of it (a quarter-second gap against one second once ran out on a
    # machine busy with other work).
    for _ in range(8):
        qtbot.wait(500)
        qtbot.keyClick(shown.username, Qt.Key.Key_A)
    assert session.member is not None
    session.sign_out()
    assert session.member is None


def test_with_the_screen_keyboard_shown_tab_goes_from_field_to_field(
    qtbot: QtBot, accounts: Database, settings: Settings
) -> None:
    shown = dialog(qtbot, accounts, settings, touch=True)
    assert shown.keyboard.isVisible()
    shown.activateWindow()
    qtbot.waitUntil(shown.username.hasFocus)
    qtbot.keyClick(shown.username, Qt.Key.Key_Tab)
    assert shown.password.hasFocus()
    qtbot.keyClick(shown.password, Qt.Key.Key_Tab)
    focused = QApplication.focusWidget()
    assert focused is not None
    assert focused.accessibleName() == "Show or hide the on-screen keyboard"
