"""A publish reaches a kiosk at its next visit, never in the middle of one."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from pytestqt.qtbot import QtBot

from kiosk.actor import Actor
from kiosk.content import ContentPack, QuestionSection
from kiosk.content_versions import content_in_use
from kiosk.database import Database
from kiosk.publishing import publish
from kiosk.settings import Settings
from kiosk.station import Station
from kiosk.stored_visits import load_visit
from kiosk.visit import KioskTiming
from ui.kiosk_window import KioskWindow
from ui.visit_walk import answer_teach_back, consent_and_ride_home, current, fill, tap

OLD_QUESTION = "Are you pregnant, or could you be pregnant?"
NEW_QUESTION = "Could you be expecting a baby?"


def _newer(pack: ContentPack) -> ContentPack:
    """The admin's edit: another clinic name, one slide fewer, a question reworded."""
    questions = tuple(
        replace(q, text=NEW_QUESTION) if q.text == OLD_QUESTION else q for q in pack.questions
    )
    dropped = pack.slides[-1]  # with its picture: a picture no slide shows is not kept
    pictures = {name: data for name, data in pack.pictures.items() if name != dropped.picture}
    return replace(
        pack,
        clinic_name="Serenity Ketamine Clinic",
        slides=pack.slides[:-1],
        questions=questions,
        pictures=pictures,
    )


def _question_on_screen(window: KioskWindow) -> str:
    return str(current(window).title.text())  # type: ignore[attr-defined]


def test_a_kiosk_mid_visit_keeps_its_content_and_takes_the_new_one_at_the_next_visit(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    window = KioskWindow(
        Station(database, "test-kiosk"),
        settings,
        timing=KioskTiming(double_tap_guard_seconds=0, done_seconds=60),
    )
    qtbot.addWidget(window)
    window.resize(1080, 1920)
    window.show()
    qtbot.waitExposed(window)
    with database.session() as session, session.begin():
        old = content_in_use(session, None, datetime.now(UTC))[1]
    assert window.welcome.clinic_name.text() == "Serenity Mental Health Centers"

    tap(current(window), "Start")
    fill(window, "first_name", "Ana")
    fill(window, "last_name", "García")
    fill(window, "birth_date", "04/15/1968")
    tap(current(window), "Continue")
    for _ in old.slides:
        tap(current(window), "Next")
    answer_teach_back(window)

    # An admin publishes while Ana is on the first question.
    newer = _newer(old)
    with database.session() as session, session.begin():
        publish(
            session,
            newer,
            label="new wording",
            by=Actor.staff_named("admin", station="desk-1", now=datetime.now(UTC)),
        )

    seen = []
    # A first visit's questions (a returning patient's come after them).
    for _ in [q for q in old.questions if q.section is QuestionSection.SCREENING]:
        seen.append(_question_on_screen(window))
        tap(current(window), "No")
    assert seen[-1] == OLD_QUESTION
    assert NEW_QUESTION not in seen
    tap(current(window), "I confirm these answers are correct")
    with qtbot.waitSignal(window.visit_stored, timeout=5000) as stored:
        consent_and_ride_home(window)
    with database.session() as session:
        record = load_visit(session, str(stored.args[0]))  # type: ignore[index]
    assert record is not None
    assert record.content_version == old.version
    assert record.answers[-1].question_text == OLD_QUESTION
    assert len(record.slides) == len(old.slides)

    # Back at Welcome, the kiosk shows the new content; the next visit uses it.
    with qtbot.waitSignal(window.visit_ended, timeout=5000):
        tap(current(window), "Finish")
    qtbot.waitUntil(
        lambda: window.welcome.clinic_name.text() == "Serenity Ketamine Clinic", timeout=5000
    )
    tap(current(window), "Start")
    assert window.visit is not None
    assert window.visit.content.version == newer.version
    fill(window, "first_name", "Beatriz")
    fill(window, "last_name", "Lopez")
    fill(window, "birth_date", "02/01/1990")
    tap(current(window), "Continue")
    for _ in newer.slides:
        tap(current(window), "Next")
    answer_teach_back(window)
    for _ in range(len([q for q in newer.questions if q.section is QuestionSection.SCREENING]) - 1):
        tap(current(window), "No")
    assert _question_on_screen(window) == NEW_QUESTION
