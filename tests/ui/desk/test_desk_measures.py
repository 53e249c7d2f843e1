"""The desk shows a visit's PHQ-9 and GAD-7: totals, bands, and the patient's trend chart."""

from __future__ import annotations

import dataclasses
import os
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QUrl
from PySide6.QtGui import QImage, QTextDocument
from pytestqt.qtbot import QtBot

from kiosk.actor import Actor
from kiosk.content import ContentPack
from kiosk.content_versions import store_content
from kiosk.database import Database
from kiosk.front_desk import FrontDesk
from kiosk.settings import Settings
from kiosk.visit_walk import ManualClock, walk_visit
from tests.conftest import earlier_today, store_visit
from tests.ui.desk.test_desk_patients import CLERK, open_desk, select_visit


def _answers(pack: ContentPack, measure_id: str, total: int) -> dict[str, str]:
    measure = pack.measure(measure_id)
    by_score = {choice.score: choice.id for choice in measure.choices}
    answers, left = {}, total
    for item in measure.items:
        answers[item.id] = by_score[min(3, left)]
        left -= min(3, left)
    return answers


def test_a_returning_patients_trend_is_charted_beside_the_visit(
    qtbot: QtBot, database: Database, settings: Settings, pack: ContentPack
) -> None:
    on = dataclasses.replace(
        pack, measures=tuple(dataclasses.replace(m, every_nth_visit=1) for m in pack.measures)
    )
    # The last of six visits nine days apart finishes on the clinic's today.
    clock = ManualClock(earlier_today(settings.zone) - timedelta(days=45))
    with database.session() as session, session.begin():
        store_content(session, on, label="measures on", stored_by="test", now=clock())
    desk = FrontDesk(database, zone=ZoneInfo("UTC"), paper_size="letter")
    patient_id = None
    last = ""
    for phq9, gad7 in [(19, 15), (16, 14), (15, 11), (12, 10), (9, 8), (7, 6)]:
        visit = walk_visit(
            on, clock, answers={**_answers(on, "phq9", phq9), **_answers(on, "gad7", gad7)}
        )
        store_visit(database, visit)
        patient_id = desk.link_visit(
            visit.id, patient_id, Actor.staff(CLERK, station="desk-1", now=clock())
        )
        last = visit.id
        clock.advance(9 * 24 * 3600)
    window = open_desk(qtbot, database, settings)
    select_visit(qtbot, window, last)
    shown = window.details.toPlainText()
    assert "PHQ-9: total 7 of 27 — mild" in shown
    assert "GAD-7: total 6 of 21 — mild" in shown
    assert "Developed by Drs. Robert L. Spitzer" in shown
    chart = window.details.document().resource(
        QTextDocument.ResourceType.ImageResource, QUrl("trend:phq9")
    )
    assert isinstance(chart, QImage)
    assert not chart.isNull()
    # The chart is drawn: more than the white page (stripes, a line, dots).
    colours = {
        chart.pixel(x, y) for x in range(0, chart.width(), 7) for y in range(0, chart.height(), 7)
    }
    assert len(colours) > 5
    if pictures := os.environ.get("MEASURE_PICTURES"):
        for size in [(1920, 1080), (1366, 768)]:
            window.resize(*size)
            qtbot.wait(50)
            window.grab().save(str(Path(pictures) / f"desk-{size[0]}x{size[1]}.png"))
        chart.save(str(Path(pictures) / "desk-trend-phq9.png"))
