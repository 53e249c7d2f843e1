"""Welcome before storage: painted from its card, Start taken at once, the rest after."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

import kiosk.check_in
from kiosk.check_in import CheckIn
from kiosk.content import ContentPack
from kiosk.database import Database
from kiosk.held_visits import HeldVisits, HoldReason
from kiosk.settings import Settings
from kiosk.station import Station
from kiosk.visit import KioskTiming, Step
from kiosk.visit_walk import ManualClock, walk_visit
from kiosk.welcome_card import WelcomeCard
from ui.errands import DatabaseErrands, ErrandKind, errand_pool
from ui.kiosk_window import KioskWindow
from ui.visit_walk import current


def _before_storage(qtbot: QtBot, settings: Settings, card: WelcomeCard) -> KioskWindow:
    window = KioskWindow(None, settings, card=card)
    qtbot.addWidget(window)
    window.resize(1080, 1920)
    window.show()
    qtbot.waitExposed(window)
    return window


def _storage(database: Database, settings: Settings) -> tuple[Station, CheckIn]:
    """What `ui.kiosk_app.open_storage` hands the window, on this test's database."""
    station = Station(database, "lobby")
    check_in = station.check_in(
        settings, timing=KioskTiming(double_tap_guard_seconds=0), errands=DatabaseErrands()
    )
    check_in.content()
    return station, check_in


def test_welcome_shows_its_card_and_a_tap_on_start_waits_pressed_for_storage(
    qtbot: QtBot, database: Database, settings: Settings, pack: ContentPack
) -> None:
    window = _before_storage(qtbot, settings, WelcomeCard.of(pack, open=True))
    start = window.welcome.start_button
    assert window.welcome.clinic_name.text() == pack.clinic_name
    assert start.isVisible()
    assert start.isEnabled()
    assert not window.is_storage_ready

    QTest.mouseClick(start, Qt.MouseButton.LeftButton)

    # Pressed at once, and it stays pressed: the patient sees the tap was taken.
    assert start.isDown()
    assert window.visit is None
    assert current(window) is window.welcome

    window.storage_ready(*_storage(database, settings))

    qtbot.waitUntil(lambda: window.visit is not None and window.visit.step is Step.DETAILS)
    assert window.screens is not None
    assert current(window) is window.screens.details
    assert not start.isDown()


def test_a_language_chosen_before_storage_is_the_visits(
    qtbot: QtBot, database: Database, settings: Settings, pack: ContentPack
) -> None:
    window = _before_storage(qtbot, settings, WelcomeCard.of(pack, open=True))
    assert "es" in pack.languages
    spanish = next(
        b
        for b in window.welcome.findChildren(type(window.welcome.start_button))
        if "Espa" in b.text()
    )
    QTest.mouseClick(spanish, Qt.MouseButton.LeftButton)
    QTest.mouseClick(window.welcome.start_button, Qt.MouseButton.LeftButton)

    window.storage_ready(*_storage(database, settings))

    qtbot.waitUntil(lambda: window.visit is not None)
    assert window.visit is not None
    assert window.visit.language == "es"


def test_a_keyboard_user_presses_start_with_enter_before_storage_has_loaded(
    qtbot: QtBot, database: Database, settings: Settings, pack: ContentPack
) -> None:
    window = _before_storage(qtbot, settings, WelcomeCard.of(pack, open=True))
    start = window.welcome.start_button
    # Keys are watched from Welcome's first frame on: what the patient has seen.
    qtbot.waitUntil(lambda: window.keyboard_use.watching)

    for _ in range(6):  # "A+", contrast, Start: Tab goes round in reading order
        qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Tab)
        if start.hasFocus():
            break
    assert start.hasFocus()
    qtbot.keyClick(start, Qt.Key.Key_Return)

    assert start.isDown()
    window.storage_ready(*_storage(database, settings))
    qtbot.waitUntil(lambda: window.visit is not None and window.visit.step is Step.DETAILS)
    assert window.screens is not None
    assert current(window) is window.screens.details


def test_check_in_found_paused_once_storage_has_loaded_sends_the_patient_to_the_desk(
    qtbot: QtBot,
    database: Database,
    settings: Settings,
    pack: ContentPack,
    clock: ManualClock,
) -> None:
    # The card was written before the disk filled up: it still says open.
    window = _before_storage(qtbot, settings, WelcomeCard.of(pack, open=True))
    HeldVisits(settings.held_visits_dir).hold(
        walk_visit(pack, clock),
        station="lobby",
        actor="kiosk:lobby",
        reason=HoldReason.FULL,
        now=clock(),
    )
    QTest.mouseClick(window.welcome.start_button, Qt.MouseButton.LeftButton)

    window.storage_ready(*_storage(database, settings))

    assert window.visit is None
    assert window.welcome.paused_sign.isVisible()
    assert "front desk" in window.welcome.paused_sign.text()
    assert not window.welcome.start_button.isVisible()


def test_a_card_that_says_closed_shows_the_sign_from_the_first_frame(
    qtbot: QtBot, settings: Settings, pack: ContentPack
) -> None:
    window = _before_storage(qtbot, settings, WelcomeCard.of(pack, open=False))
    assert window.welcome.paused_sign.isVisible()
    assert not window.welcome.start_button.isVisible()


def test_the_kiosk_reads_the_content_in_use_once_as_it_starts(
    qtbot: QtBot, database: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[object] = []
    reading: Callable[..., Any] = kiosk.check_in.content_in_use

    def counted(*args: object, **kwargs: object) -> Any:
        reads.append(args)
        return reading(*args, **kwargs)

    monkeypatch.setattr(kiosk.check_in, "content_in_use", counted)
    window = KioskWindow(Station(database, "lobby"), settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    # Whatever the start left to do off the screen's thread is done and delivered.
    assert errand_pool(ErrandKind.DATABASE).waitForDone(10_000)
    QApplication.processEvents()  # their answers delivered

    assert len(reads) == 1
    assert window.welcome.start_button.isEnabled()
