"""The desk shows the soft note that a visit's slides may not have been read."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from kiosk.database import Database
from kiosk.pack_loader import bundled_pack_dir, load_pack
from kiosk.settings import Settings
from kiosk.visit_walk import ManualClock, walk_visit
from tests.conftest import earlier_today, store_visit
from tests.ui.desk.test_desk import open_desk, select

NOTE = "Education may not have been read"


def test_a_visit_whose_slides_went_by_too_fast_says_so_beside_its_flags(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    pack = load_pack(bundled_pack_dir())
    clock = ManualClock(earlier_today(settings.zone))
    store_visit(database, walk_visit(pack, clock, first="Quick", seconds_per_slide=0.5))
    window = open_desk(qtbot, database, settings)
    select(qtbot, window, 0)
    text = window.details.toPlainText()
    assert f"{NOTE} — 11 slides in 6 s; they take about 187 s to read" in text
    # A note, not a flag.
    assert "No flags" in text


def test_a_visit_whose_slides_were_read_has_no_such_note(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    pack = load_pack(bundled_pack_dir())
    clock = ManualClock(earlier_today(settings.zone))
    store_visit(database, walk_visit(pack, clock, first="Steady", seconds_per_slide=20))
    window = open_desk(qtbot, database, settings)
    select(qtbot, window, 0)
    assert "Steady" in window.details.toPlainText()
    assert NOTE not in window.details.toPlainText()
