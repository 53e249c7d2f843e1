"""Alerts on the front desk: signed in or not, kiosks in trouble, the desk's own sound."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from kiosk import auth
from kiosk.actor import Actor, ActorKind, Role, StaffMember
from kiosk.alerts import Alerts, Heartbeat, now_in
from kiosk.audit import entries
from kiosk.database import Database
from kiosk.models import StationRow
from kiosk.settings import Settings, station_name
from kiosk.station import Station
from ui.desk.alert_banner import AlertBanner
from ui.desk.desk_alerts import DeskAlerts
from ui.desk.desk_app import DeskShift
from ui.desk.desk_window import DeskWindow
from ui.sign_in_dialog import SignInDialog
from ui.visit_walk import click

ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "correct horse battery"
MARIA = StaffMember(1, "maria", frozenset({Role.STAFF}))
HELP = "Help requested — lobby-kiosk: a patient on the consent screen"


@pytest.fixture
def accounts(database: Database) -> Database:
    action = Actor(ActorKind.COMMAND_LINE, "tester", "front-desk", datetime.now(UTC))
    with database.session() as session, session.begin():
        auth.add_account(session, "maria", {Role.STAFF}, PASSWORD, action)
    return database


@pytest.fixture
def rings() -> list[str]:
    return []


@pytest.fixture
def watcher(database: Database, rings: list[str]) -> Iterator[DeskAlerts]:
    watching = DeskAlerts(Station(database, "front-desk"), ring=lambda: rings.append("ring"))
    yield watching
    watching.stop()


@pytest.fixture
def desk_style(qapp: QApplication) -> Iterator[None]:
    # `kiosk desk` runs without the kiosk's style sheet (the tests' Qt fixture sets it).
    kiosk_style = qapp.styleSheet()
    qapp.setStyleSheet("")
    yield
    qapp.setStyleSheet(kiosk_style)


def kiosk(station: str = "lobby-kiosk") -> Actor:
    return Actor.kiosk(station=station, now=datetime.now(UTC))


def lines(banner: AlertBanner) -> list[str]:
    return [
        label.text()
        for _, line in banner.lines
        for label in line.findChildren(QLabel, "alertText")
        if banner.isVisible()
    ]


def open_desk(
    qtbot: QtBot, database: Database, settings: Settings, watcher: DeskAlerts | None = None
) -> DeskWindow:
    window = DeskWindow(Station(database, "front-desk"), settings, MARIA, alerts=watcher)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.mark.usefixtures("desk_style")
def test_a_desk_signed_out_by_its_idle_timer_still_shows_and_sounds_an_alert(
    qtbot: QtBot,
    accounts: Database,
    settings: Settings,
    watcher: DeskAlerts,
    rings: list[str],
    tmp_path: Path,
) -> None:
    desk = DeskShift(
        Station(accounts, "front-desk"), settings, idle_milliseconds=1500, alerts=watcher
    )
    desk.ask_to_sign_in()
    dialog = desk.sign_in
    assert isinstance(dialog, SignInDialog)
    qtbot.waitExposed(dialog)
    qtbot.mouseClick(dialog.username, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.username, "maria")
    qtbot.keyClick(dialog.username, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: desk.window is not None and desk.window.isVisible())
    # Nobody touches the desk: it signs itself out and asks for a sign-in again.
    qtbot.waitUntil(lambda: desk.sign_in is not None and desk.sign_in.isVisible(), timeout=10000)
    assert desk.window is None
    waiting = desk.sign_in
    assert waiting is not None
    banner = waiting.findChild(AlertBanner)
    assert banner is not None
    alert_id = Alerts(accounts).ask_for_help("consent", kiosk())
    qtbot.waitUntil(lambda: any(HELP in line for line in lines(banner)), timeout=5000)
    assert rings == ["ring"]
    # Nobody is signed in: nothing to acknowledge or clear with, and no note that staff
    # wrote (which could name the patient) shows.
    assert [b.text() for _, line in banner.lines for b in line.findChildren(QPushButton)] == []
    Alerts(accounts).acknowledge(
        alert_id, "Rosa Quintero, about her ride", Actor.staff(MARIA, station="d", now=kiosk().now)
    )
    qtbot.waitUntil(lambda: any("maria is on it" in line for line in lines(banner)), timeout=5000)
    assert not any("Rosa" in line for line in lines(banner))
    folder = Path(os.environ.get("SCREENSHOTS_DIR", str(tmp_path)))
    waiting.grab().save(str(folder / "desk-sign-in-with-an-alert.png"))
    # The kiosk is told a desk showed it.
    assert Alerts(accounts).help_state(alert_id).shown
    waiting.reject()
    qtbot.waitUntil(lambda: desk.sign_in is None)


KIOSK_WITH_HELD_VISITS = """
import sys
sys.path.insert(0, {root!r})
from datetime import UTC, datetime
from kiosk.check_in import CheckIn
from kiosk.database import open_database
from kiosk.held_visits import HoldReason
from kiosk.pack_loader import bundled_pack_dir, load_pack
from kiosk.settings import load_settings
from kiosk.visit_walk import ManualClock, walk_visit

settings = load_settings({{"database_url": {url!r}, "held_visits_dir": {held!r}}})
database = open_database(settings.database_url)
check_in = CheckIn(database, settings, station="lobby-kiosk")
pack = load_pack(bundled_pack_dir())
for first in ("Rosa", "Tomas"):
    visit = walk_visit(pack, ManualClock(datetime.now(UTC)), first=first, last="Quintero")
    check_in.held_visits.hold(
        visit, station="lobby-kiosk", actor="kiosk:lobby-kiosk", reason=HoldReason.LOCKED,
        now=datetime.now(UTC),
    )
sent = []
check_in.send_heartbeat(sent.append)
assert sent == [True], sent
database.close()
"""


def test_held_visits_on_a_kiosk_in_another_process_and_its_silence_reach_the_desk(
    qtbot: QtBot, database: Database, settings: Settings, tmp_path: Path, watcher: DeskAlerts
) -> None:
    window = open_desk(qtbot, database, settings, watcher)
    script = KIOSK_WITH_HELD_VISITS.format(
        root=str(ROOT), url=settings.database_url, held=str(tmp_path / "kiosk-held")
    )
    subprocess.run([sys.executable, "-c", textwrap.dedent(script)], check=True, timeout=60)
    stations = window.alert_banner.stations
    qtbot.waitUntil(
        lambda: stations.text() == "Kiosks — lobby-kiosk: answering, 2 check-in(s) held",
        timeout=5000,
    )
    qtbot.waitUntil(lambda: bool(lines(window.alert_banner)), timeout=5000)
    assert lines(window.alert_banner)[0].startswith(
        "Check-ins held — lobby-kiosk: 2 finished check-in(s) wait on this kiosk for the "
        "database (the database was busy for too long)"
    )
    # The kiosk falls silent: its last heartbeat is over two minutes old by the
    # database's clock.
    with database.session() as session, session.begin():
        silent_since = now_in(session) - timedelta(minutes=2, seconds=5)
        session.execute(update(StationRow).values(last_heartbeat_at=silent_since))
    qtbot.waitUntil(lambda: "lobby-kiosk: not responding" in stations.text(), timeout=5000)
    qtbot.waitUntil(
        lambda: any(
            line.startswith("Kiosk not responding — lobby-kiosk")
            for line in lines(window.alert_banner)
        ),
        timeout=5000,
    )
    listed = subprocess.run(
        [
            sys.executable,
            "-m",
            "kiosk.cli",
            "alerts",
            "--json",
            "--database",
            settings.database_url,
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    board = json.loads(listed.stdout)
    assert [alert["kind"] for alert in board["alerts"]] == [
        "kiosk_not_responding",
        "visits_held",
    ]
    [kiosk_state] = board["stations"]
    assert kiosk_state["station"] == "lobby-kiosk"
    assert kiosk_state["responding"] is False
    assert kiosk_state["held_visits"] == 2
    assert "Rosa" not in listed.stdout
    text = subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "alerts", "--database", settings.database_url],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    ).stdout
    assert "kiosk_not_responding  lobby-kiosk" in text
    assert "NOT RESPONDING" in text


def test_the_alert_sound_is_turned_off_on_this_desk_and_stays_off(
    qtbot: QtBot, database: Database, settings: Settings, watcher: DeskAlerts, rings: list[str]
) -> None:
    window = open_desk(qtbot, database, settings, watcher)
    assert window.alert_sound.isChecked()
    click(window.alert_sound)
    assert QSettings().value("desk/alert_sound") == "false"
    Alerts(database).ask_for_help("slides", kiosk())
    qtbot.waitUntil(lambda: bool(lines(window.alert_banner)), timeout=5000)
    assert rings == []
    window.close()
    again = open_desk(qtbot, database, settings, watcher)
    assert not again.alert_sound.isChecked()
    click(again.alert_sound)
    Alerts(database).heartbeat(Heartbeat(1, False, "v1"), kiosk("hall-kiosk"))
    qtbot.waitUntil(lambda: rings == ["ring"], timeout=5000)


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1366, 768)])
@pytest.mark.usefixtures("desk_style")
def test_the_desk_with_alerts_fits_a_desk_and_a_laptop_screen(
    qtbot: QtBot,
    database: Database,
    settings: Settings,
    watcher: DeskAlerts,
    tmp_path: Path,
    width: int,
    height: int,
) -> None:
    alerts = Alerts(database)
    alerts.heartbeat(Heartbeat(2, False, "v1"), kiosk("hall-kiosk"))
    alerts.heartbeat(Heartbeat(0, False, "v1"), kiosk())
    help_id = alerts.ask_for_help("consent", kiosk())
    alerts.acknowledge(help_id, "On my way", Actor.staff(MARIA, station="d", now=kiosk().now))
    alerts.ask_for_help("slides", kiosk("hall-kiosk"))
    window = open_desk(qtbot, database, settings, watcher)
    window.resize(width, height)
    qtbot.waitUntil(lambda: len(lines(window.alert_banner)) == 3, timeout=5000)
    assert lines(window.alert_banner)[0].startswith("Help requested — hall-kiosk")
    assert "maria is on it: On my way" in lines(window.alert_banner)[1]
    qtbot.wait(100)
    # Kept for a person to look at: SCREENSHOTS_DIR names a folder to keep them in.
    folder = Path(os.environ.get("SCREENSHOTS_DIR", str(tmp_path)))
    window.grab().save(str(folder / f"desk-alerts-{width}x{height}.png"))
    # Nothing of the list is pushed off: the table keeps room for rows.
    assert window.table.height() > height // 4
    for _, line in window.alert_banner.lines:
        assert line.width() <= window.width()


def test_a_kiosk_process_killed_is_not_responding_after_its_silence(
    qtbot: QtBot, database: Database, settings: Settings, watcher: DeskAlerts
) -> None:
    # Two minutes of silence in the product; here a few seconds, or the test would wait
    # two minutes. (A kiosk that lives on beats every 30 s; this one is killed.)
    watcher.alerts = Alerts(database, not_responding_after=timedelta(seconds=8))
    window = open_desk(qtbot, database, settings, watcher)
    stations = window.alert_banner.stations
    name = station_name()
    # The kiosk as clinic IT starts it, in a process of its own.
    kiosk_process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("kiosk")),
            "run",
            "--windowed",
            "--database",
            settings.database_url,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        qtbot.waitUntil(lambda: f"{name}: answering" in stations.text(), timeout=60000)
        kiosk_process.kill()
        kiosk_process.wait(timeout=30)
        qtbot.waitUntil(lambda: f"{name}: not responding" in stations.text(), timeout=20000)
        qtbot.waitUntil(
            lambda: any(
                line.startswith(f"Kiosk not responding — {name}")
                for line in lines(window.alert_banner)
            ),
            timeout=5000,
        )
    finally:
        if kiosk_process.poll() is None:
            kiosk_process.kill()
            kiosk_process.wait()


def test_staff_closing_the_desk_window_sign_out_and_end_the_desk(
    qtbot: QtBot, accounts: Database, settings: Settings, watcher: DeskAlerts
) -> None:
    desk = DeskShift(
        Station(accounts, "front-desk"), settings, idle_milliseconds=600_000, alerts=watcher
    )
    desk.ask_to_sign_in()
    dialog = desk.sign_in
    assert isinstance(dialog, SignInDialog)
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.username, "maria")
    qtbot.keyClick(dialog.username, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: desk.window is not None and desk.window.isVisible())
    window = desk.window
    assert window is not None
    with qtbot.waitSignal(desk.finished):
        window.close()
    assert desk.sign_in is None
    with accounts.session() as session:
        last = list(entries(session))[-1]
    assert (last.actor, last.action, last.detail) == ("user:maria", "sign_out", "window closed")


@pytest.mark.usefixtures("desk_style")
def test_a_summary_that_did_not_print_at_one_desk_shows_on_the_other(
    qtbot: QtBot, database: Database, settings: Settings, watcher: DeskAlerts
) -> None:
    from kiosk.pack_loader import bundled_pack_dir, load_pack
    from kiosk.visit_walk import ManualClock, walk_visit
    from tests.conftest import earlier_today, store_visit

    visit = walk_visit(load_pack(bundled_pack_dir()), ManualClock(earlier_today(settings.zone)))
    store_visit(database, visit)
    window = open_desk(qtbot, database, settings, watcher)
    # Staff at the back office print to a printer the print system does not know.
    back_office = Station(database, "back-office").front_desk(settings)
    staff = Actor.staff(MARIA, station="back-office", now=datetime.now(UTC))
    sent = back_office.send_summary(
        visit.id, b"%PDF-1.4\n", printer="Nowhere", copy="staff", by=staff
    )
    assert sent.failure
    qtbot.waitUntil(lambda: bool(lines(window.alert_banner)), timeout=5000)
    [line] = lines(window.alert_banner)
    assert line.startswith("Printer problem — back-office: a summary did not print on Nowhere")
    assert visit.details is not None
    assert visit.details.last_name not in line
