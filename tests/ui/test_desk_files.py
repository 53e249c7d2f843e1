"""What the front desk writes to disk is for the desk's user and group only."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.actor import Role, StaffMember
from kiosk.content import ContentPack
from kiosk.settings import Settings
from kiosk.store import Database
from tests.conftest import FakeClock, play_visit, store_visit
from ui.desk.desk_window import DeskWindow


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_a_summary_saved_at_the_desk_is_not_readable_by_other_users(
    qtbot: QtBot,
    database: Database,
    settings: Settings,
    pack: ContentPack,
    clock: FakeClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    visit = play_visit(pack, clock, first="Ana", last="Lee")
    store_visit(database, visit)
    window = DeskWindow(database, settings, StaffMember(1, "maria", Role.STAFF), station="desk")
    qtbot.addWidget(window)
    window.open_visit(visit.id)
    target = tmp_path / "summary.pdf"
    previous = os.umask(0)  # the loosest a desktop session could hand over
    try:
        monkeypatch.setattr(DeskWindow, "where_to_save", classmethod(lambda *_a: target))
        qtbot.mouseClick(window.save_button, Qt.MouseButton.LeftButton)
    finally:
        os.umask(previous)
    assert target.read_bytes().startswith(b"%PDF")
    assert stat.S_IMODE(target.stat().st_mode) == 0o660
