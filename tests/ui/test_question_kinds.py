"""A patient answers a single-choice and a short-text question on the kiosk."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from kiosk.database import Database
from kiosk.settings import Settings
from kiosk.station import Station
from kiosk.stored_visits import list_visits, load_visit
from kiosk.visit import KioskTiming, Step
from tests.question_kinds import add_question_kinds
from ui.kiosk_window import KioskWindow
from ui.visit_walk import answer_teach_back, consent_and_ride_home, current, fill, tap


def test_a_choice_and_typed_words_are_answered_reviewed_and_stored(
    qtbot: QtBot, database: Database, settings: Settings, pack_copy: Path
) -> None:
    settings = dataclasses.replace(settings, content_dir=add_question_kinds(pack_copy))
    kiosk = KioskWindow(
        Station(database, "k"), settings, timing=KioskTiming(double_tap_guard_seconds=0)
    )
    qtbot.addWidget(kiosk)
    kiosk.resize(1080, 1920)
    kiosk.show()
    tap(current(kiosk), "Start")
    fill(kiosk, "first_name", "Ana")
    fill(kiosk, "last_name", "Lee")
    fill(kiosk, "birth_date", "04/15/1968")
    tap(current(kiosk), "Continue")
    assert kiosk.visit is not None
    for _ in kiosk.visit.content.slides:
        tap(current(kiosk), "Next")
    answer_teach_back(kiosk)
    while kiosk.visit.step is Step.QUESTIONS:
        question = kiosk.visit.questions[kiosk.visit.question_index]
        screen = current(kiosk)
        if question.id == "arrival":
            assert not screen.keyboard.isVisible()  # type: ignore[attr-defined]
            tap(screen, "I drove myself")
            assert screen.calm_message.isVisible()  # type: ignore[attr-defined]
            tap(screen, "Continue")
        elif question.id == "medicines-today":
            assert not screen.yes_no.isVisible()  # type: ignore[attr-defined]
            fill(kiosk, "typed_answer", "aspirin 81 mg")
            tap(screen, "Continue")
        else:
            assert screen.keyboard.isHidden()  # type: ignore[attr-defined]
            tap(screen, "No")

    review = current(kiosk)
    shown = [label.text() for label in review.findChildren(QLabel) if label.isVisible()]
    assert "I drove myself" in shown
    assert "aspirin 81 mg" in shown
    tap(review, "I confirm these answers are correct")
    with qtbot.waitSignal(kiosk.visit_stored):
        consent_and_ride_home(kiosk)

    with database.session() as session:
        record = load_visit(session, next(iter(list_visits(session))).id)
    assert record is not None
    assert [a.words for a in record.answers][-2:] == ["I drove myself", "aspirin 81 mg"]
    assert any("drove to the clinic themselves" in flag for flag in record.flags)
