"""What the front desk writes to disk is for the desk's user and group only."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.auth import Role, StaffMember
from kiosk.content import ContentPack
from kiosk.database import Database
from kiosk.settings import Settings
from kiosk.visit_walk import ManualClock, walk_visit
from tests.conftest import store_visit
from ui.desk.desk_window import DeskWindow


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_a_summary_saved_at_the_desk_is_not_readable_by_other_users(
    qtbot: QtBot,
    database: Database,
    settings: Settings,
    pack: ContentPack,
    clock: ManualClock,
    tmp_path: Path,
) -> None:
    visit = walk_visit(pack, clock, first="Ana", last="Lee")
    store_visit(database, visit)
    window = DeskWindow(database, settings, StaffMember(1, "maria", Role.STAFF), station="desk")
    qtbot.addWidget(window)
    window.open_visit(visit.id)
    target = tmp_path / "summary.pdf"
    previous = os.umask(0)  # the loosest a desktop session could hand over
    try:
        window.save_summary(target)
    finally:
        os.umask(previous)
    assert target.read_bytes().startswith(b"%PDF")
    assert stat.S_IMODE(target.stat().st_mode) == 0o660
