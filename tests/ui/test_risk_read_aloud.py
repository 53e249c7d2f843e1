"""With "Read to me" in use and no headphones, PHQ-9 item 9 is not read aloud in the
waiting room: the screen offers a team member to go through it instead (issue 28)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from pytestqt.qtbot import QtBot

from kiosk.alerts import AlertKind, Alerts
from kiosk.database import Database
from kiosk.risk import SELF_HARM_ITEM
from kiosk.settings import Settings
from kiosk.visit import Step
from tests.risk_pack import add_item_9
from tests.ui import test_read_aloud as reading
from tests.ui.test_read_aloud import Listener, open_speaking_kiosk, words_of
from tests.ui.test_risk_path import WATCHER
from ui.kiosk_window import KioskWindow
from ui.visit_walk import answer_teach_back, current, fill, tap

# The speaking kiosk's settings (Qt's mock voice) and database (`tests.ui.test_read_aloud`).
speaking_settings = reading.speaking_settings
database = reading.database


def to_item_9(window: KioskWindow) -> None:
    tap(current(window), "Start")
    fill(window, "first_name", "Ana")
    fill(window, "last_name", "Ruiz")
    fill(window, "birth_date", "04/15/1968")
    tap(current(window), "Continue")
    visit = window.visit
    assert visit is not None
    for _ in visit.content.slides:
        tap(current(window), "Next")
    answer_teach_back(window)
    while (question := visit.questions[visit.question_index]).id != SELF_HARM_ITEM:
        tap(current(window), "Not at all" if question.measure else "No")
    assert visit.step is Step.QUESTIONS


def test_without_headphones_item_9_is_not_read_and_a_team_member_is_offered(
    qtbot: QtBot, database: Database, speaking_settings: Settings, pack_copy: Path
) -> None:
    settings = dataclasses.replace(speaking_settings, content_dir=add_item_9(pack_copy))
    window = open_speaking_kiosk(qtbot, database, settings)
    to_item_9(window)
    screen = current(window)
    assert screen.not_read_note.isVisible()  # type: ignore[attr-defined]
    listener = Listener(window)
    tap(screen, "Read to me")
    qtbot.waitUntil(lambda: not window.read_aloud.speaking and bool(listener.words), timeout=30_000)
    heard = listener.heard()
    assert "dead" not in heard
    assert "hurting" not in heard
    assert listener.words[:6] == words_of("So that only you hear it, this question")[:6]
    tap(screen, "Ask a team member to go through it with me")
    qtbot.waitUntil(lambda: bool(Alerts(database).board(WATCHER).alerts))
    [alert] = Alerts(database).board(WATCHER).alerts
    assert alert.kind is AlertKind.HELP_REQUESTED


def test_with_headphones_item_9_is_read_like_any_question(
    qtbot: QtBot, database: Database, speaking_settings: Settings, pack_copy: Path
) -> None:
    settings = dataclasses.replace(
        speaking_settings, content_dir=add_item_9(pack_copy, headphones=True)
    )
    window = open_speaking_kiosk(qtbot, database, settings)
    to_item_9(window)
    screen = current(window)
    assert not screen.not_read_note.isVisible()  # type: ignore[attr-defined]
    listener = Listener(window)
    tap(screen, "Read to me")
    qtbot.waitUntil(lambda: not window.read_aloud.speaking and bool(listener.words), timeout=30_000)
    assert "hurting" in listener.heard()
