"""The kiosk's heartbeat reaches the database, off the screen's thread."""

from __future__ import annotations

from datetime import UTC, datetime

from pytestqt.qtbot import QtBot

from kiosk.actor import Actor
from kiosk.alerts import Alerts, StationState, program_version
from kiosk.database import Database
from kiosk.settings import Settings
from kiosk.station import Station
from ui.heartbeat import KioskHeartbeat
from ui.kiosk_window import KioskWindow


def states(database: Database) -> tuple[StationState, ...]:
    return Alerts(database).board(Actor.system(station="t", now=datetime.now(UTC))).stations


def test_a_kiosk_beats_at_start_with_its_content_and_program_versions(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    kiosk = KioskWindow(Station(database, "lobby-kiosk"), settings)
    qtbot.addWidget(kiosk)
    KioskHeartbeat(kiosk.check_in, kiosk)
    qtbot.waitUntil(lambda: bool(states(database)), timeout=5000)
    [state] = states(database)
    content = kiosk.check_in.last_content
    assert content is not None
    assert (state.name, state.responding, state.held_visits) == ("lobby-kiosk", True, 0)
    assert state.content_version == content.version
    assert state.program_version == program_version()
