"""Teach-back at the kiosk, tapped through: questions on what the slides said, a slide
shown again with its key sentence quoted, and what is stored, printed and shown at the desk."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from pytestqt.qtbot import QtBot

from kiosk.content import ContentPack, TeachBackResult
from kiosk.database import Database
from kiosk.settings import Settings
from kiosk.station import Station
from kiosk.visit import KioskTiming, Step, VisitFlow
from kiosk.visit_walk import ManualClock, walk_visit
from tests.conftest import earlier_today, store_visit
from tests.ui.desk.test_desk import open_desk, select
from tests.ui.test_return_visit_screens import expected_back, summary_text, todays
from tests.ui.test_spanish import assert_no_english, english_patterns
from ui.kiosk_window import KioskWindow
from ui.screens.reminder import ReminderScreen
from ui.screens.slide import SlideScreen
from ui.screens.teach_back import TeachBackScreen
from ui.screens.teach_back_review import TeachBackReviewScreen
from ui.visit_walk import (
    answer_questions,
    answer_teach_back,
    button,
    consent_and_ride_home,
    current,
    enter_details,
    fill,
    learn,
    sign,
    tap,
)

SCREENSHOTS = os.environ.get("KIOSK_TEST_SCREENSHOTS", "")


@pytest.fixture
def kiosk(qtbot: QtBot, database: Database, settings: Settings) -> KioskWindow:
    window = KioskWindow(
        Station(database, "lobby"),
        settings,
        timing=KioskTiming(double_tap_guard_seconds=0, done_seconds=60),
    )
    qtbot.addWidget(window)
    window.resize(1080, 1920)
    window.show()
    qtbot.waitExposed(window)
    return window


def to_teach_back(kiosk: KioskWindow) -> None:
    """From Welcome, through the details and every slide, to the first teach-back question."""
    enter_details(kiosk, "Ana", "García", "04/15/1968")
    while type(current(kiosk)) is SlideScreen:
        tap(current(kiosk), "Next")


def finish(qtbot: QtBot, kiosk: KioskWindow, *, confirm: str) -> None:
    """The questions (calmly), the review, consent and the ride home; stored."""
    answer_questions(kiosk)
    tap(current(kiosk), confirm)
    with qtbot.waitSignal(kiosk.visit_stored, timeout=10000):
        consent_and_ride_home(kiosk)


def test_every_answer_right_first_time(
    qtbot: QtBot, kiosk: KioskWindow, database: Database, pack: ContentPack
) -> None:
    to_teach_back(kiosk)
    screen = current(kiosk)
    assert isinstance(screen, TeachBackScreen)
    assert screen.progress.text() == "Checking what you read: 1 of 4"
    assert screen.title.text() == "Can you drive yourself home after your infusion today?"
    learn(kiosk)
    # Straight on to the questions: no slide was shown again.
    assert current(kiosk).title.text() == pack.questions[0].text  # type: ignore[attr-defined]
    finish(qtbot, kiosk, confirm="I confirm these answers are correct")
    record = todays(database)
    assert [t.result for t in record.teach_back] == [TeachBackResult.RIGHT_FIRST_TIME] * 4
    assert record.teach_back_still_wrong == ()
    # Teach-back is not a questionnaire answer.
    assert len(record.answers) == 5


def test_a_wrong_answer_shows_the_slide_again_quoting_it_then_asks_again(
    qtbot: QtBot, kiosk: KioskWindow, database: Database, tmp_path: Path
) -> None:
    to_teach_back(kiosk)
    tap(current(kiosk), "Yes")  # "Can you drive yourself home?" — not right
    review = current(kiosk)
    assert isinstance(review, TeachBackReviewScreen)
    # The slide itself, as it was: its title, picture and its own bold markup.
    assert review.title.text() == "No driving today"
    assert review.picture.isVisible()
    assert "<b>You must not drive for the rest of the day.</b>" in review.text.text()
    # The question, quoting the slide's key sentence.
    assert review.asked.text() == (
        "You were asked: “Can you drive yourself home after your infusion today?”"
    )
    assert review.quote.text() == "This page says: “You must not drive for the rest of the day.”"
    assert review.quote.isVisible()
    tap(review, "Ask me again")
    again = current(kiosk)
    assert isinstance(again, TeachBackScreen)
    assert again.title.text() == "Can you drive yourself home after your infusion today?"
    assert "seen that page again" in again.intro.text()
    tap(again, "No")
    # On to the second question.
    assert current(kiosk).title.text() == (  # type: ignore[attr-defined]
        "Does someone need to take you home after every session?"
    )
    learn(kiosk)
    finish(qtbot, kiosk, confirm="I confirm these answers are correct")
    record = todays(database)
    first = record.teach_back[0]
    assert first.result is TeachBackResult.RIGHT_AFTER_REVIEW
    assert (first.first_answer_words, first.answer_after_review_words) == ("Yes", "No")
    assert record.teach_back_still_wrong == ()
    printed = summary_text(record, tmp_path)
    assert "Teach-back after the slides: 3 of 4 right first time." in printed
    assert (
        "“Can you drive yourself home after your infusion today?” Yes, then No — right after "
        "the slide again." in printed
    )
    assert "still wrong after the slide" not in printed


def test_an_answer_still_wrong_is_a_soft_note_on_the_summary_and_the_desk(
    qtbot: QtBot, kiosk: KioskWindow, database: Database, settings: Settings, tmp_path: Path
) -> None:
    to_teach_back(kiosk)
    tap(current(kiosk), "Yes")
    tap(current(kiosk), "Ask me again")
    tap(current(kiosk), "Not sure")
    learn(kiosk)
    finish(qtbot, kiosk, confirm="I confirm these answers are correct")
    record = todays(database)
    assert record.teach_back[0].result is TeachBackResult.STILL_WRONG
    # A note, never a flag: nothing waits on it, nothing is refused.
    assert record.flags == ()
    printed = summary_text(record, tmp_path)
    assert "Note: teach-back still wrong after the slide was shown again" in printed
    assert "answered Not sure (right: No; slide “No driving today”)" in printed
    assert "No flags" in printed
    desk = open_desk(qtbot, database, settings)
    # In the list: a note in amber words, not a flag (no ⚠, no red, not bold).
    row = desk.model.index(0, 0)
    assert row.data() == "OK · note: teach-back to go over"
    assert row.data(Qt.ItemDataRole.ForegroundRole).color().name() == "#7a4b00"
    assert row.data(Qt.ItemDataRole.BackgroundRole) is None
    assert row.data(Qt.ItemDataRole.FontRole) is None
    assert "go over it with the patient" in row.data(Qt.ItemDataRole.ToolTipRole)
    select(qtbot, desk, 0)
    shown = desk.details.toPlainText()
    assert "Teach-back still wrong — “Can you drive yourself home after your infusion today?”" in (
        shown
    )
    assert "please go over it with the patient" in shown
    assert "No flags" in shown
    assert "Teach-back: 3 of 4 right first time" in shown


def test_teach_back_in_spanish_quotes_the_spanish_slide(
    qtbot: QtBot, kiosk: KioskWindow, database: Database, pack: ContentPack
) -> None:
    patterns = english_patterns(pack)
    tap(current(kiosk), "Español")
    qtbot.waitUntil(lambda: button(current(kiosk), "English").isVisible())
    tap(current(kiosk), "Empezar")
    fill(kiosk, "first_name", "Ana")
    fill(kiosk, "last_name", "García")
    fill(kiosk, "birth_date", "04/15/1968")
    tap(current(kiosk), "Continuar")
    while type(current(kiosk)) is SlideScreen:
        tap(current(kiosk), "Siguiente")
    question = current(kiosk)
    assert isinstance(question, TeachBackScreen)
    assert question.progress.text() == "Comprobemos lo que leyó: 1 de 4"
    assert question.title.text() == (
        "¿Puede conducir usted mismo/a a casa después de su infusión de hoy?"
    )
    assert_no_english(kiosk, patterns)
    tap(question, "Sí")
    review = current(kiosk)
    assert isinstance(review, TeachBackReviewScreen)
    assert review.title.text() == "Hoy no puede conducir"
    assert "<b>No debe conducir durante el resto del día.</b>" in review.text.text()
    assert review.quote.text() == "Esta página dice: “No debe conducir durante el resto del día.”"
    assert_no_english(kiosk, patterns)
    tap(review, "Preguntarme otra vez")
    assert "ha visto esa página otra vez" in current(kiosk).intro.text()  # type: ignore[attr-defined]
    assert_no_english(kiosk, patterns)
    tap(current(kiosk), "No")
    answer_teach_back(kiosk)
    visit = kiosk.visit
    assert visit is not None
    while visit.step is Step.QUESTIONS:
        tap(current(kiosk), "No")
    tap(current(kiosk), "Confirmo mis respuestas")
    for statement in visit.shown.consent_statements:
        tap(current(kiosk), statement.text)
    sign(kiosk)
    tap(current(kiosk), "Firmar y continuar")
    fill(kiosk, "driver_name", "Rosa Núñez")
    fill(kiosk, "phone", "(555) 123-4567")
    fill(kiosk, "relationship", "hija")
    with qtbot.waitSignal(kiosk.visit_stored, timeout=10000):
        tap(current(kiosk), "Continuar")
    record = todays(database)
    assert record.language == "es"
    assert record.teach_back[0].result is TeachBackResult.RIGHT_AFTER_REVIEW
    assert record.teach_back[0].question_text.startswith("¿Puede conducir")
    assert record.teach_back[0].clinic_question_text == (
        "Can you drive yourself home after your infusion today?"
    )


def test_the_desk_notes_a_still_wrong_answer_from_a_walked_visit(
    qtbot: QtBot, database: Database, settings: Settings, pack: ContentPack
) -> None:
    clock = ManualClock(earlier_today(settings.zone))
    store_visit(
        database,
        walk_visit(pack, clock, teach_back={"teach-back-call-us": ("no", "no")}),
    )
    desk = open_desk(qtbot, database, settings)
    select(qtbot, desk, 0)
    shown = desk.details.toPlainText()
    assert "Teach-back still wrong" in shown
    assert "At home, if side effects last or get worse, should you call the clinic?" in shown


def test_which_visit_to_run_is_asked_off_the_screens_thread(
    qtbot: QtBot,
    kiosk: KioskWindow,
    database: Database,
    settings: Settings,
    pack: ContentPack,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A slow database never freezes the details screen: the expected list is read by an
    errand, and the returning patient's flow still follows once it answers."""
    from kiosk import check_in as service

    expected_back(database, settings, pack, days_since_consent=21)
    asked_on: list[threading.Thread] = []
    answer = threading.Event()
    read = service.which_flow

    def slow_database(*args: Any, **kwargs: Any) -> VisitFlow:
        asked_on.append(threading.current_thread())
        answer.wait(timeout=10)
        return read(*args, **kwargs)

    monkeypatch.setattr(service, "which_flow", slow_database)
    tap(current(kiosk), "Start")
    fill(kiosk, "first_name", "Ana")
    fill(kiosk, "last_name", "García")
    fill(kiosk, "birth_date", "04/15/1968")
    details = current(kiosk)
    # Continue, tapped without waiting for the next screen.
    qtbot.mouseClick(button(details, "Continue"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(asked_on), timeout=5000)
    assert asked_on[0] is not threading.main_thread()
    # Meanwhile the screen's thread goes on: a timer fires, the details stay on show.
    ticked: list[bool] = []
    QTimer.singleShot(0, lambda: ticked.append(True))
    qtbot.waitUntil(lambda: bool(ticked), timeout=2000)
    assert current(kiosk) is details
    # A second Continue while it is asked changes nothing.
    qtbot.mouseClick(button(details, "Continue"), Qt.MouseButton.LeftButton)
    assert len(asked_on) == 1
    answer.set()
    qtbot.waitUntil(lambda: isinstance(current(kiosk), ReminderScreen), timeout=5000)
    assert kiosk.visit is not None
    assert kiosk.visit.flow is VisitFlow.RETURN_WITHOUT_SLIDES


SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080), "tablet": (1280, 800)}


@pytest.mark.parametrize("language", ["", "es"], ids=["english", "spanish"])
@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_teach_back_screens_fit_and_are_saved_for_a_person_to_look_at(
    qtbot: QtBot,
    database: Database,
    settings: Settings,
    tmp_path: Path,
    size: tuple[int, int],
    language: str,
) -> None:
    from tests.ui.test_screen_sizes import layout_problems
    from ui.screen_tour import tour

    window = KioskWindow(Station(database, "t"), settings)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    target = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path
    target.mkdir(parents=True, exist_ok=True)
    shown = []
    for name, screen in tour(window, language):
        if not name.startswith("teach-back"):
            continue
        shown.append(name)
        assert layout_problems(screen) == [], name
        screen.window().grab().save(
            str(target / f"{name}-{language or 'en'}-{size[0]}x{size[1]}.png")
        )
    assert shown == ["teach-back", "teach-back-review", "teach-back-again"]
