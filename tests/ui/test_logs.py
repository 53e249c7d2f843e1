"""The log file: it exists, it records what went wrong, and it never holds health data."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from kiosk.check_in import CheckIn
from kiosk.database import Database
from kiosk.logs import configure_logging
from kiosk.settings import Settings
from kiosk.station import Station
from kiosk.visit import KioskTiming
from ui.kiosk_app import install_error_screen
from ui.kiosk_window import KioskWindow
from ui.visit_walk import complete_visit, current, fill, tap

SECRETS = (
    "Zelda",
    "Quimby",
    "07/04/1944",
    "1944-07-04",
    "Rosalind",
    "777-8888",
    "sister",
    "Not sure",
)


@pytest.fixture
def log_dir(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "logs"
    configure_logging(folder)
    yield folder
    for handler in list(logging.getLogger().handlers):
        if handler.get_name() == "kiosk-rotating-file":
            logging.getLogger().removeHandler(handler)
            handler.close()


def open_kiosk(qtbot: QtBot, database: Database, settings: Settings) -> KioskWindow:
    kiosk = KioskWindow(
        Station(database, "kiosk-1"),
        settings,
        timing=KioskTiming(double_tap_guard_seconds=0, done_seconds=1),
    )
    qtbot.addWidget(kiosk)
    kiosk.resize(1080, 1920)
    kiosk.show()
    return kiosk


def log_text(folder: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return "".join(p.read_text(encoding="utf-8") for p in folder.iterdir() if p.is_file())


@pytest.mark.qt_no_exception_capture
def test_an_unexpected_error_shows_a_calm_screen_and_logs_no_patient_data(
    qtbot: QtBot,
    database: Database,
    settings: Settings,
    log_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    kiosk = open_kiosk(qtbot, database, settings)
    previous_hook = sys.excepthook
    install_error_screen(kiosk)
    try:

        def broken(self: CheckIn) -> None:
            raise RuntimeError("failed while showing Zelda Quimby, born 07/04/1944")

        # A bug in the check-in service, reached by the patient's tap on Next.
        monkeypatch.setattr(CheckIn, "next_slide", broken)
        tap(current(kiosk), "Start")
        fill(kiosk, "first_name", "Zelda")
        fill(kiosk, "last_name", "Quimby")
        fill(kiosk, "birth_date", "07/04/1944")
        tap(current(kiosk), "Continue")
        tap(current(kiosk), "Next")
        assert kiosk.problem_notice.isVisible()
        assert kiosk.problem_notice.text.text() == (
            "Sorry, something went wrong — please tell the front desk."
        )
        with qtbot.waitSignal(kiosk.visit_ended, timeout=3000):
            pass
        assert current(kiosk) is kiosk.welcome
    finally:
        sys.excepthook = previous_hook
    logged = log_text(log_dir)
    assert "unexpected RuntimeError at" in logged
    assert "test_logs.py" in logged  # where it happened, for whoever fixes it
    for secret in SECRETS:
        assert secret not in logged


def test_whole_visits_and_a_failed_save_leave_no_patient_data_in_the_log(
    qtbot: QtBot, database: Database, settings: Settings, log_dir: Path
) -> None:
    kiosk = open_kiosk(qtbot, database, settings)
    with qtbot.waitSignal(kiosk.visit_stored):
        complete_visit(
            kiosk,
            first="Zelda",
            last="Quimby",
            born="07/04/1944",
            answers={2: "Not sure"},
            ride=("Rosalind", "(555) 777-8888", "sister"),
        )
    with qtbot.waitSignal(kiosk.visit_ended, timeout=3000):
        pass
    with database.engine.begin() as connection:
        connection.execute(text("DROP TABLE flags"))
    with qtbot.waitSignal(kiosk.visit_held):
        complete_visit(
            kiosk,
            first="Zelda",
            last="Quimby",
            born="07/04/1944",
            answers={1: "Not sure"},
            ride=("Rosalind", "(555) 777-8888", "sister"),
        )
    logged = log_text(log_dir)
    assert "could not be stored: OperationalError" in logged
    for secret in SECRETS:
        assert secret not in logged
