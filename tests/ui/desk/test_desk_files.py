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
from kiosk.database import Database
from kiosk.settings import Settings
from kiosk.station import Station
from kiosk.visit_walk import ManualClock, walk_visit
from tests.conftest import store_visit
from ui.desk.desk_window import DeskWindow


@pytest.fixture
def desk(
    qtbot: QtBot, database: Database, settings: Settings, pack: ContentPack, clock: ManualClock
) -> DeskWindow:
    """A desk with one stored visit open."""
    visit = walk_visit(pack, clock, first="Ana", last="Lee")
    store_visit(database, visit)
    window = DeskWindow(
        Station(database, "desk"), settings, StaffMember(1, "maria", frozenset({Role.STAFF}))
    )
    qtbot.addWidget(window)
    window.open_visit(visit.id)
    return window


def _save_as_pdf(
    qtbot: QtBot, desk: DeskWindow, target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Save as PDF…, answering the file dialog with `target`."""
    monkeypatch.setattr(DeskWindow, "where_to_save", classmethod(lambda *_a: target))
    qtbot.mouseClick(desk.save_button, Qt.MouseButton.LeftButton)


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_a_summary_saved_at_the_desk_is_not_readable_by_other_users(
    qtbot: QtBot, desk: DeskWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "summary.pdf"
    previous = os.umask(0)  # the loosest a desktop session could hand over
    try:
        _save_as_pdf(qtbot, desk, target, monkeypatch)
        qtbot.waitUntil(lambda: "Saved the summary" in desk.banner.text())
    finally:
        os.umask(previous)
    assert target.read_bytes().startswith(b"%PDF")
    assert stat.S_IMODE(target.stat().st_mode) == 0o660


def test_a_summary_that_cannot_be_written_is_said_plainly_and_not_audited(
    qtbot: QtBot,
    desk: DeskWindow,
    database: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from kiosk.audit import entries

    told: list[str] = []
    monkeypatch.setattr("ui.desk.desk_window.tell", lambda _w, _t, text, **_k: told.append(text))
    target = tmp_path / "no-such-folder" / "summary.pdf"
    _save_as_pdf(qtbot, desk, target, monkeypatch)
    qtbot.waitUntil(lambda: "The summary was not saved" in desk.banner.text())
    assert told == [f"the summary cannot be written to {target}: No such file or directory"]
    assert not target.exists()
    assert desk.save_button.isEnabled(), "staff can choose another place"
    with database.session() as session:
        assert [e for e in entries(session) if e.action == "summary_saved"] == []
