"""Only an admin account opens the content editor."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk import auth
from kiosk.actor import Actor, ActorKind
from kiosk.audit import entries
from kiosk.database import Database
from kiosk.settings import Settings
from kiosk.station import Station
from ui.admin import admin_app
from ui.admin.admin_window import AdminWindow
from ui.sign_in_dialog import SignInDialog

PASSWORD = "correct horse battery"


@pytest.fixture
def accounts(database: Database) -> Database:
    action = Actor(ActorKind.COMMAND_LINE, "tester", "desk-1", datetime.now(UTC))
    with database.session() as session, session.begin():
        auth.add_account(session, "maria", {auth.Role.STAFF}, PASSWORD, action)
        auth.add_account(session, "ines", {auth.Role.ADMIN}, PASSWORD, action)
    return database


def _type_in(qtbot: QtBot, shown: SignInDialog, username: str, password: str) -> None:
    qtbot.mouseClick(shown.username, Qt.MouseButton.LeftButton)
    qtbot.keyClick(shown.username, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(shown.username, username)
    qtbot.keyClick(shown.username, Qt.Key.Key_Return)
    qtbot.keyClicks(shown.password, password)
    qtbot.keyClick(shown.password, Qt.Key.Key_Return)


def test_the_editor_signs_in_an_admin_and_refuses_a_staff_account(
    qtbot: QtBot, accounts: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialogs: list[SignInDialog] = []

    def ask_by_typing(station: Station, settings: Settings, **kwargs: object) -> object:
        # The real dialog, as `kiosk admin` builds it, typed into with the keyboard.
        shown = SignInDialog(station, settings, **kwargs)  # type: ignore[arg-type]
        qtbot.addWidget(shown)
        shown.show()
        qtbot.waitExposed(shown)
        dialogs.append(shown)
        _type_in(qtbot, shown, "maria", PASSWORD)
        assert shown.member is None
        assert "cannot do this" in shown.message.text()
        assert shown.isVisible()
        with qtbot.waitSignal(shown.accepted):
            _type_in(qtbot, shown, "ines", PASSWORD)
        return shown.member

    monkeypatch.setattr(SignInDialog, "ask", ask_by_typing)
    window = admin_app.open_editor(Station(accounts, "desk-1"), settings)
    assert isinstance(window, AdminWindow)
    qtbot.addWidget(window)
    assert dialogs[0].needed is auth.Permission.EDIT_CONTENT
    assert window.member.username == "ines"
    assert window.stamp().audit_name == "user:ines"
    # Maria's right password at the editor was refused, and the trail says so.
    with accounts.session() as session:
        marias = [(e.action, e.detail) for e in entries(session) if e.actor == "user:maria"]
    assert marias == [
        ("sign_in_failed", "holding staff, may not sign in here (edit_content needs admin)")
    ]


def test_no_editor_when_nobody_signs_in(
    accounts: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(SignInDialog, "ask", lambda *args, **kwargs: None)
    assert admin_app.open_editor(Station(accounts, "desk-1"), settings) is None


def test_kiosk_admin_is_a_window_subcommand() -> None:
    from ui.main import build_parser, run_admin_window

    args = build_parser().parse_args(["admin"])
    assert args.handler is run_admin_window
