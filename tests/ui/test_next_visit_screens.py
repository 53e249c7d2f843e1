"""The next visit's screens are built while Welcome waits, for what Start will begin."""

from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtWidgets import QFormLayout
from pytestqt.qtbot import QtBot

from kiosk.database import Database
from kiosk.settings import Settings
from tests.ui.test_kiosk_visit import open_kiosk
from ui import next_visit
from ui.kiosk_window import KioskWindow
from ui.visit_screens import VisitScreens
from ui.visit_walk import complete_visit, current, reach_consent, tap
from ui.widgets.keyboard_form import KeyboardForm
from ui.widgets.on_screen_keyboard import OnScreenKeyboard
from ui.widgets.typed_signature import TypedSignature


def _built_ahead(qtbot: QtBot, kiosk: KioskWindow) -> VisitScreens:
    qtbot.waitUntil(lambda: kiosk.next_screens.is_ready, timeout=30_000)
    screens = kiosk.next_screens.screens
    assert screens is not None
    return screens


def test_welcome_has_the_next_visits_screens_ready_and_start_shows_them(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    kiosk = open_kiosk(qtbot, database, settings)
    ahead = _built_ahead(qtbot, kiosk)
    # Ready, not shown: Welcome is what the patient sees.
    assert current(kiosk) is kiosk.welcome
    assert not any(screen.isVisible() for screen in ahead.all())

    tap(current(kiosk), "Start")

    assert kiosk.screens is ahead
    assert current(kiosk) is ahead.details


def test_another_language_on_welcome_means_screens_built_in_it(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    kiosk = open_kiosk(qtbot, database, settings)
    english = _built_ahead(qtbot, kiosk)

    tap(current(kiosk), "Español")
    spanish = _built_ahead(qtbot, kiosk)
    assert spanish is not english
    qtbot.waitUntil(lambda: not shiboken6.isValid(english.details))  # destroyed
    tap(current(kiosk), "Empezar")

    assert kiosk.screens is spanish
    shown = [b.text() for b in spanish.details.findChildren(type(kiosk.welcome.start_button))]
    assert "Pedir ayuda" in shown
    assert "Ask for help" not in shown


def test_larger_text_on_welcome_means_screens_with_labels_above_their_fields(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    kiosk = open_kiosk(qtbot, database, settings)
    ordinary = _built_ahead(qtbot, kiosk)

    kiosk.welcome.larger_text_button.click()
    larger = _built_ahead(qtbot, kiosk)

    assert larger is not ordinary
    forms = larger.details.findChildren(KeyboardForm)
    assert forms
    for form in forms:
        layout = form.layout()
        assert isinstance(layout, QFormLayout)
        assert layout.rowWrapPolicy() == QFormLayout.RowWrapPolicy.WrapAllRows
    tap(current(kiosk), "Start")
    assert kiosk.screens is larger


def test_consent_makes_no_typed_name_field_where_the_clinic_offers_none(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    kiosk = open_kiosk(qtbot, database, settings)
    assert not settings.typed_signature
    reach_consent(kiosk, "Ana", "García", "04/15/1968")

    consent = current(kiosk)
    assert kiosk.screens is not None
    assert consent is kiosk.screens.consent
    # No second on-screen keyboard (made, and laid out, on the confirmation's tap).
    assert consent.findChildren(OnScreenKeyboard) == []
    assert not consent.findChildren(TypedSignature)


def test_start_tapped_before_the_screens_are_ready_never_waits_for_memory_to_be_given_back(
    qtbot: QtBot, database: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    given_back: list[str] = []
    monkeypatch.setattr(next_visit, "give_back_free_memory", lambda: given_back.append("now"))
    kiosk = open_kiosk(qtbot, database, settings)
    _built_ahead(qtbot, kiosk)
    # Made while Welcome waited: what was freed went back then.
    assert given_back == ["now"]
    complete_visit(kiosk)
    tap(current(kiosk), "Finish")
    assert current(kiosk) is kiosk.welcome
    assert not kiosk.next_screens.is_ready  # made from the event loop's later turns

    # The next patient taps Start at once: the screens are finished for them, now,
    # without the tens of milliseconds of giving memory back.
    tap(current(kiosk), "Start")

    assert kiosk.screens is not None
    assert current(kiosk) is kiosk.screens.details
    assert given_back == ["now"]
