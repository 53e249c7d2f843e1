"""Fixtures for the Qt tests: offscreen, the kiosk's real style, a throwaway database."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path


def _offscreen_with_a_kiosk_sized_screen() -> None:
    # Qt's offscreen screen is 800×800 by default, and a touch outside the screen never
    # arrives; the kiosk is tested at up to 1920 px either way, so give it room.
    platform = os.environ.get("QT_QPA_PLATFORM", "offscreen")
    if platform != "offscreen":
        return
    config = Path(tempfile.gettempdir()) / "waiting-room-kiosk-offscreen.json"
    screen = {
        "name": "kiosk",
        "x": 0,
        "y": 0,
        "width": 2000,
        "height": 2000,
        "logicalDpi": 96,
        "logicalBaseDpi": 96,
        "dpr": 1,
    }
    config.write_text(json.dumps({"screens": [screen]}))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


_offscreen_with_a_kiosk_sized_screen()

from collections.abc import Iterator  # noqa: E402 - the platform must be chosen before Qt loads

import pytest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from kiosk.database import Database  # noqa: E402
from kiosk.settings import Settings, load_settings  # noqa: E402
from ui.patient_display import kiosk_style  # noqa: E402


@pytest.fixture(autouse=True)
def _desk_preferences_in_tmp(tmp_path: Path) -> None:
    from PySide6.QtCore import QSettings

    # Remembered choices (the desk's printer) go to a throwaway folder, not the home.
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))


@pytest.fixture(autouse=True)
def _kiosk_style(qapp: QApplication) -> None:
    # Once per run: setting a style sheet re-styles every widget that exists.
    if not qapp.styleSheet():
        qapp.setStyleSheet(kiosk_style())


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings({"database_url": f"sqlite:///{tmp_path / 'kiosk.sqlite3'}"})


@pytest.fixture
def database(settings: Settings) -> Iterator[Database]:
    from tests.databases import made_database

    db = made_database(settings.database_url)
    yield db
    db.close()


@pytest.fixture(autouse=True)
def _english_after_each_test() -> Iterator[None]:
    # A test that leaves a Spanish visit open must not make the next test's widgets Spanish.
    yield
    from ui.interface_language import SOURCE_LANGUAGE, InterfaceLanguage

    InterfaceLanguage.use(SOURCE_LANGUAGE)
