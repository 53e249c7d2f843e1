"""Desks on a database server: a check-in from another computer appears within a second,
and a desk that loses the server says so, stays read-only and comes back by itself."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import text
from sqlalchemy.engine import make_url

from kiosk.actor import Role, StaffMember
from kiosk.database import Database
from kiosk.pack_loader import bundled_pack_dir, load_pack
from kiosk.settings import Settings, load_settings
from kiosk.station import Station
from kiosk.visit_walk import ManualClock, walk_visit
from tests.conftest import PostgreSQLServer, earlier_today, store_visit
from tests.databases import made_database
from ui.desk import desk_window
from ui.desk.desk_window import DeskWindow

DOCTOR = StaffMember(2, "drlee", frozenset({Role.CLINICIAN}))
pytestmark = pytest.mark.parametrize("database_engine", ["postgresql"])


@pytest.fixture
def server_url(new_database_url: Callable[..., str]) -> str:
    return new_database_url(made=True)


@pytest.fixture
def server_settings(server_url: str) -> Settings:
    # As a station's settings hold it: the password is in the environment, not an option.
    return load_settings(environ={"KIOSK_DATABASE_URL": server_url})


@pytest.fixture
def server_database(server_url: str) -> Iterator[Database]:
    database = made_database(server_url)
    yield database
    database.close()


@pytest.fixture
def no_polling(monkeypatch: pytest.MonkeyPatch) -> None:
    """The desk's regular look would come only after ten minutes: what arrives, arrives
    because the server said so."""
    monkeypatch.setattr(desk_window, "REFRESH_MILLISECONDS", 600_000)


def open_desk(qtbot: QtBot, database: Database, settings: Settings) -> DeskWindow:
    window = DeskWindow(Station(database, "desk-1"), settings, DOCTOR)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    qtbot.waitExposed(window)
    # Listening before anything is stored: the first word from the server has come.
    qtbot.waitUntil(
        lambda: window.server_line.live is not None and window.server_line.live.reachable is True
    )
    return window


def kiosk_elsewhere(url: str, first: str, zone: ZoneInfo) -> subprocess.Popen[str]:
    """Another process (the kiosk's computer) stores a finished visit; it prints when."""
    root = Path(__file__).resolve().parents[3]
    start = earlier_today(zone).isoformat()  # on the desk's today
    script = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(root)!r})
        from datetime import UTC, datetime
        from kiosk.pack_loader import bundled_pack_dir, load_pack
        from kiosk.database import open_database
        from kiosk.visit_walk import ManualClock, walk_visit
        from tests.conftest import store_visit
        database = open_database({url!r})
        visit = walk_visit(load_pack(bundled_pack_dir()),
                           ManualClock(datetime.fromisoformat({start!r})),
                           first={first!r}, last="Patient")
        store_visit(database, visit)
        print(time.time())
        database.close()
    """)
    return subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)


def names(window: DeskWindow) -> list[str]:
    model = window.model
    return [model.data(model.index(row, 2)) for row in range(model.rowCount())]


def test_a_check_in_from_another_computer_is_on_the_desk_within_a_second(
    qtbot: QtBot,
    server_database: Database,
    server_settings: Settings,
    server_url: str,
    no_polling: None,
) -> None:
    window = open_desk(qtbot, server_database, server_settings)
    assert names(window) == []
    kiosk = kiosk_elsewhere(server_url, "Kiosk", server_settings.zone)
    qtbot.waitUntil(lambda: names(window) == ["Patient, Kiosk"], timeout=30_000)
    seen = time.time()
    out, _ = kiosk.communicate(timeout=30)
    assert kiosk.returncode == 0
    assert seen - float(out.strip()) < 1.0
    assert window.list_title.text() == "Today's check-ins (1)"


def test_a_desk_that_loses_the_server_says_so_stays_read_only_and_comes_back(
    qtbot: QtBot,
    server_database: Database,
    server_settings: Settings,
    server_url: str,
    postgresql_server: PostgreSQLServer,
    no_polling: None,
) -> None:
    clock = ManualClock(earlier_today(server_settings.zone))
    store_visit(server_database, walk_visit(load_pack(bundled_pack_dir()), clock, first="Early"))
    window = open_desk(qtbot, server_database, server_settings)
    assert window.server_line.live is not None
    window.server_line.live.retry_s = 0.2
    assert names(window) == ["García, Early"]
    window.table.selectRow(0)
    qtbot.waitUntil(lambda: window.current is not None)
    assert window.void_button.isEnabled()
    shown = window.details.toPlainText()

    name = make_url(server_url).database
    with postgresql_server._server.connect() as admin:
        admin.execute(text(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false'))
        admin.execute(
            text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"),
            {"name": name},
        )
        qtbot.waitUntil(window.server_alert.isVisible, timeout=10_000)
        said = window.server_alert.text()
        assert "lost its connection to the clinic's database server" in said
        assert "keeps trying by itself" in said
        # What was on screen stays, and nothing can be changed or looked up meanwhile.
        assert window.details.toPlainText() == shown
        assert len(names(window)) == 1
        for button in (
            window.void_button,
            window.ride_button,
            window.print_button,
            window.save_button,
            window.search_button,
            window.check_in_button,
        ):
            assert not button.isEnabled()
        admin.execute(text(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true'))

    qtbot.waitUntil(lambda: not window.server_alert.isVisible(), timeout=10_000)
    assert window.search_button.isEnabled()
    # Listening again, with nobody clicking anything.
    kiosk_elsewhere(server_url, "Later", server_settings.zone).communicate(timeout=60)
    qtbot.waitUntil(lambda: "Patient, Later" in names(window), timeout=5_000)
