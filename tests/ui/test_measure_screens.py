"""A patient answers the PHQ-9 and GAD-7 on the kiosk, one item a screen (issue 28)."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from kiosk.content import TeachBackResult
from kiosk.database import Database
from kiosk.settings import Settings
from kiosk.station import Station
from kiosk.stored_visits import list_visits, load_visit
from kiosk.visit import KioskTiming, Step
from ui.kiosk_window import KioskWindow
from ui.screens.teach_back import TeachBackScreen
from ui.visit_walk import answer_teach_back, consent_and_ride_home, current, fill, tap

PHQ9_LEAD = (
    "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
)


def measures_on(pack_copy: Path) -> Path:
    """The bundled pack with both measures asked at every visit."""
    measures = pack_copy / "measures.yaml"
    text = measures.read_text(encoding="utf-8")
    measures.write_text(text.replace("every_nth_visit: 0", "every_nth_visit: 1"))
    return pack_copy


def shown_labels(screen: object) -> list[str]:
    assert hasattr(screen, "findChildren")
    return [label.text() for label in screen.findChildren(QLabel) if label.isVisible()]


def test_each_item_is_a_screen_of_big_choices_and_the_totals_are_stored(
    qtbot: QtBot, database: Database, settings: Settings, pack_copy: Path
) -> None:
    settings = dataclasses.replace(settings, content_dir=measures_on(pack_copy))
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
    # The teach-back comes after the slides, before any question or measure item.
    assert isinstance(current(kiosk), TeachBackScreen)
    answer_teach_back(kiosk)
    seen_items = []
    while kiosk.visit.step is Step.QUESTIONS:
        question = kiosk.visit.questions[kiosk.visit.question_index]
        screen = current(kiosk)
        if question.measure is None:
            tap(screen, "No")
            continue
        seen_items.append(question.id)
        labels = shown_labels(screen)
        assert question.text in labels
        assert any(label.startswith("Developed by Drs. Robert L. Spitzer") for label in labels)
        if question.id.endswith("difficulty"):
            assert PHQ9_LEAD not in labels
            tap(screen, "Somewhat difficult")
        else:
            assert (PHQ9_LEAD in labels) is (question.measure == "phq9")
            # Every item "Several days" but the GAD-7's last, "Nearly every day", and the
            # PHQ-9's ninth "Not at all" (above 0 it raises the risk path: test_risk_path).
            answer = {"gad7-7": "Nearly every day", "phq9-9": "Not at all"}
            tap(screen, answer.get(question.id, "Several days"))
    assert len(seen_items) == 18
    review = current(kiosk)
    assert "Several days" in shown_labels(review)
    tap(review, "I confirm these answers are correct")
    with qtbot.waitSignal(kiosk.visit_stored):
        consent_and_ride_home(kiosk)

    with database.session() as session:
        record = load_visit(session, next(iter(list_visits(session))).id)
    assert record is not None
    assert [(m.measure.name, m.total, m.band) for m in record.measures] == [
        ("PHQ-9", 8, "mild"),
        ("GAD-7", 9, "mild"),
    ]
    assert len([a for a in record.answers if a.measure]) == 18
    assert [t.result for t in record.teach_back] == [TeachBackResult.RIGHT_FIRST_TIME] * 4


@pytest.mark.skipif(not os.environ.get("MEASURE_PICTURES"), reason="pictures on request only")
@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080), (1280, 800)])
def test_picture_of_an_item(
    qtbot: QtBot, database: Database, settings: Settings, pack_copy: Path, size: tuple[int, int]
) -> None:
    """MEASURE_PICTURES=folder writes the PHQ-9's eighth item (the longest) at each size."""
    settings = dataclasses.replace(settings, content_dir=measures_on(pack_copy))
    kiosk = KioskWindow(
        Station(database, "k"), settings, timing=KioskTiming(double_tap_guard_seconds=0)
    )
    qtbot.addWidget(kiosk)
    kiosk.resize(*size)
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
    while kiosk.visit.questions[kiosk.visit.question_index].id != "phq9-8":
        question = kiosk.visit.questions[kiosk.visit.question_index]
        tap(current(kiosk), "No" if question.measure is None else "Several days")
    qtbot.wait(50)
    folder = Path(os.environ["MEASURE_PICTURES"])
    folder.mkdir(parents=True, exist_ok=True)
    kiosk.grab().save(str(folder / f"phq9-item-{size[0]}x{size[1]}.png"))
