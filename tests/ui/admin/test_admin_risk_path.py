"""The editor refuses to publish a PHQ-9 until the clinic names who responds to a risk
answer, and keeps that and the kiosk's headphones with the content (issue 28, item 4)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk import publishing
from kiosk.actor import Actor, Role, StaffMember
from kiosk.content_versions import content_in_use
from kiosk.database import Database
from kiosk.pack_loader import load_pack
from kiosk.risk import SELF_HARM_ITEM
from kiosk.settings import Settings
from kiosk.visit import utc_now
from tests.risk_pack import RESPONDER, add_item_9
from tests.ui.admin.editor import click, open_editor, retype, tick
from ui.admin.admin_window import AdminWindow
from ui.admin.publish_dialog import PublishDialog


def _admin() -> Actor:
    admin = StaffMember(3, "ines", frozenset({Role.ADMIN}))
    return Actor.staff(admin, station="desk-1", now=utc_now())


@pytest.fixture(autouse=True)
def _quick_saves(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(AdminWindow, "SAVE_DELAY_MILLISECONDS", 50)


def test_the_phq9_is_refused_until_someone_is_named_to_respond(
    qtbot: QtBot,
    database: Database,
    settings: Settings,
    pack_copy: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The clinic's content asks the PHQ-9 (turned on), someone named to respond.
    with database.session() as session, session.begin():
        publishing.publish(session, load_pack(add_item_9(pack_copy)), label="PHQ-9", by=_admin())
    monkeypatch.setattr(PublishDialog, "ask", classmethod(lambda cls, parent, **kw: "again"))
    window = open_editor(qtbot, database, settings)
    assert window.pack.measure("phq9").turned_on
    assert SELF_HARM_ITEM in [item.id for item in window.pack.measure("phq9").items]
    window.tabs.setCurrentWidget(window.clinic_editor)
    assert window.clinic_editor.responder_field.text() == RESPONDER
    # Nobody named any more: Check and publishing refuse, and say why.
    retype(qtbot, window.clinic_editor.responder_field, "")
    tick(qtbot, window.clinic_editor.headphones_box)
    click(qtbot, window.publish_button)
    problems = [window.problems.item(n).text() for n in range(window.problems.count())]
    assert any("cannot be turned on until the clinic names who responds" in p for p in problems)
    assert "Not published" in window.message.text()
    with database.session() as session:
        assert len(publishing.versions(session)) == 2
    retype(qtbot, window.clinic_editor.responder_field, "Dr. Okafor, or the nurse on duty")
    click(qtbot, window.publish_button)
    qtbot.waitUntil(lambda: "Not published" not in window.message.text())
    with database.session() as session:
        assert len(publishing.versions(session)) == 3
        _, pack = content_in_use(session, None, utc_now())
    assert pack.risk_responder == "Dr. Okafor, or the nurse on duty"
    assert pack.kiosk_has_headphones
