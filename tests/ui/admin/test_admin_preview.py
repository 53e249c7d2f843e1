"""The preview runs the kiosk's own screens over the draft and stores nothing."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from kiosk import publishing
from kiosk.audit import entries
from kiosk.database import Database
from kiosk.settings import Settings
from kiosk.stored_visits import count_visits
from kiosk.visit import KioskTiming
from tests.databases import made_database
from tests.ui.admin.editor import choose_row, click, open_editor, retype
from ui.admin.preview_window import LANDSCAPE, PORTRAIT, PreviewWindow
from ui.screens.question import QuestionScreen
from ui.screens.slide import SlideScreen
from ui.screens.welcome import WelcomeScreen
from ui.visit_walk import answer_teach_back, current, fill, reach_consent, tap


@pytest.fixture(autouse=True)
def _immediate_taps(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        PreviewWindow, "timing", KioskTiming(double_tap_guard_seconds=0, done_seconds=60)
    )


def test_the_preview_steps_through_the_kiosks_screens_built_from_the_draft(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    window = open_editor(qtbot, database, settings)
    choose_row(qtbot, window.slide_list, 0)
    retype(qtbot, window.slide_editor.title_field, "Welcome to your first infusion")
    window.tabs.setCurrentIndex(1)
    choose_row(qtbot, window.question_list, 0)
    retype(qtbot, window.question_editor.text_field, "Have you ever had psychosis?")
    window.tabs.setCurrentIndex(3)
    retype(qtbot, window.clinic_editor.name_field, "Preview Clinic")

    click(qtbot, window.preview_button)
    preview = window.preview
    assert preview is not None
    qtbot.waitExposed(preview)
    kiosk = preview.kiosk
    welcome = current(kiosk)
    assert isinstance(welcome, WelcomeScreen)
    assert welcome.clinic_name.text() == "Preview Clinic"

    tap(welcome, "Start")
    fill(kiosk, "first_name", "Test")
    fill(kiosk, "last_name", "Patient")
    fill(kiosk, "birth_date", "01/02/1980")
    tap(current(kiosk), "Continue")
    slide_screen = current(kiosk)
    assert isinstance(slide_screen, SlideScreen)
    assert slide_screen.title.text() == "Welcome to your first infusion"
    assert slide_screen.progress.text() == f"1 of {len(window.pack.slides)}"
    for _ in window.pack.slides:
        tap(current(kiosk), "Next")
    answer_teach_back(kiosk)
    question_screen = current(kiosk)
    assert isinstance(question_screen, QuestionScreen)
    assert question_screen.title.text() == "Have you ever had psychosis?"

    # Nothing is published by previewing.
    with database.session() as session:
        assert len(publishing.versions(session)) == 1


def _sign_with_the_mouse_through_the_preview(qtbot: QtBot, preview: PreviewWindow) -> None:
    """Drag the mouse across the signature pad as it shows, scaled, in the preview."""
    pad = current(preview.kiosk).pad  # type: ignore[attr-defined]
    assert preview.proxy is not None
    viewport = preview.view.viewport()

    def on_screen(x: float, y: float) -> QPoint:
        in_kiosk = pad.mapTo(preview.kiosk, QPoint(int(pad.width() * x), int(pad.height() * y)))
        return preview.view.mapFromScene(preview.proxy.mapToScene(QPointF(in_kiosk)))

    points = [on_screen(x, y) for x, y in [(0.1, 0.5), (0.3, 0.3), (0.5, 0.7), (0.8, 0.4)]]
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, points[0])
    for point in points[1:]:
        QTest.mouseMove(viewport, point)
    QTest.mouseRelease(
        viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, points[-1]
    )
    assert not pad.is_empty, "the mouse drew nothing on the preview's signature pad"


def test_a_visit_finished_in_the_preview_is_not_stored(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    window = open_editor(qtbot, database, settings)
    click(qtbot, window.preview_button)
    preview = window.preview
    assert preview is not None
    kiosk = preview.kiosk
    reach_consent(kiosk, "Test", "Patient", "01/02/1980")
    for statement in window.pack.consent_statements:
        tap(current(kiosk), statement.text)
    _sign_with_the_mouse_through_the_preview(qtbot, preview)
    tap(current(kiosk), "Sign and continue")
    fill(kiosk, "driver_name", "Luis")
    fill(kiosk, "phone", "(555) 201-3344")
    fill(kiosk, "relationship", "husband")
    with qtbot.waitSignal(kiosk.visit_stored, timeout=5000):
        tap(current(kiosk), "Continue")
    tap(current(kiosk), "Finish")
    folder = preview.folder
    assert folder.exists()
    with qtbot.waitSignal(preview.closed, timeout=5000):
        preview.close()
    assert not folder.exists()  # the throwaway database went with the preview
    with database.session() as session:
        assert count_visits(session, demo=False) == 0
        assert not [e for e in entries(session) if e.action == "visit_stored"]
    assert (
        not any(settings.held_visits_dir.glob("*")) if settings.held_visits_dir.exists() else True
    )


def test_the_preview_switches_between_portrait_and_landscape(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    window = open_editor(qtbot, database, settings)
    click(qtbot, window.preview_button)
    preview = window.preview
    assert preview is not None
    qtbot.waitExposed(preview)
    assert (preview.kiosk.width(), preview.kiosk.height()) == PORTRAIT
    click(qtbot, preview.landscape_button)
    assert (preview.kiosk.width(), preview.kiosk.height()) == LANDSCAPE
    # Scaled so the whole kiosk screen fits the preview window.
    scale = preview.view.transform().m11()
    assert 0 < scale <= 1
    assert LANDSCAPE[0] * scale <= preview.view.viewport().width() + 1
    click(qtbot, preview.portrait_button)
    assert (preview.kiosk.width(), preview.kiosk.height()) == PORTRAIT
    # A portrait kiosk scaled onto a laptop is small: at actual size it scrolls instead.
    click(qtbot, preview.actual_size_button)
    assert preview.view.transform().m11() == 1
    click(qtbot, preview.actual_size_button)
    assert preview.view.transform().m11() < 1


@pytest.mark.parametrize("database_engine", ["postgresql"])
def test_an_editor_on_the_clinics_server_previews_on_a_throwaway_file_never_the_server(
    qtbot: QtBot, new_database_url: Callable[..., str], settings: Settings
) -> None:
    server_url = new_database_url(made=True)
    server = made_database(server_url)
    try:
        on_server = dataclasses.replace(settings, database_url=server_url)
        window = open_editor(qtbot, server, on_server)
        click(qtbot, window.preview_button)
        preview = window.preview
        assert preview is not None
        own = preview.station.database
        assert own.engine.dialect.name == "sqlite"
        assert own.file is not None
        assert own.file.parent == preview.folder
        assert preview.settings.database_url != server_url
        kiosk = preview.kiosk
        reach_consent(kiosk, "Test", "Patient", "01/02/1980")
        for statement in window.pack.consent_statements:
            tap(current(kiosk), statement.text)
        _sign_with_the_mouse_through_the_preview(qtbot, preview)
        tap(current(kiosk), "Sign and continue")
        fill(kiosk, "driver_name", "Luis")
        fill(kiosk, "phone", "(555) 201-3344")
        fill(kiosk, "relationship", "husband")
        with qtbot.waitSignal(kiosk.visit_stored, timeout=5000):
            tap(current(kiosk), "Continue")
        with own.session() as session:
            assert count_visits(session, demo=False) == 1  # in the preview's own file
        with server.session() as session:
            assert count_visits(session, demo=False) == 0
            assert not [e for e in entries(session) if e.action == "visit_stored"]
        with qtbot.waitSignal(preview.closed, timeout=5000):
            preview.close()
        window.close()
    finally:
        server.close()
