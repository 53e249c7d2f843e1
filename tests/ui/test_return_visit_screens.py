"""A returning patient at the kiosk, tapped through: the reminder or the slides, the
pre-infusion checklist and side effects, in English and in Spanish."""

from __future__ import annotations

import dataclasses
import io
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from kiosk.actor import Actor, Role, StaffMember
from kiosk.content import ContentPack
from kiosk.database import Database
from kiosk.front_desk import FrontDesk
from kiosk.settings import Settings
from kiosk.station import Station
from kiosk.stored_visits import list_visits, load_visit
from kiosk.summary import build_summary
from kiosk.visit import KioskTiming, Step
from kiosk.visit_record import VisitRecord
from kiosk.visit_walk import ManualClock, walk_visit
from tests.conftest import store_visit
from tests.ui.test_spanish import assert_no_english, english_patterns
from ui.kiosk_window import KioskWindow
from ui.screens.reminder import ReminderScreen
from ui.visit_walk import (
    button,
    complete_visit,
    current,
    fill,
    learn,
    sign,
    tap,
)

CLERK = StaffMember(1, "maria", frozenset({Role.STAFF}))
# Where the renders go for a person to look at (a test's own folder unless set).
SCREENSHOTS = os.environ.get("KIOSK_TEST_SCREENSHOTS", "")


def expected_back(
    database: Database, settings: Settings, pack: ContentPack, *, days_since_consent: int
) -> None:
    """Ana signed a visit `days_since_consent` days ago, was linked, and is expected today."""
    clock = ManualClock(datetime.now(UTC) - timedelta(days=days_since_consent))
    visit = walk_visit(pack, clock, first="Ana", last="García", born="04/15/1968")
    store_visit(database, visit)
    front_desk = FrontDesk(database, zone=settings.zone, paper_size="letter")
    today = Actor.staff(CLERK, station="desk-1", now=datetime.now(UTC))
    front_desk.link_visit(visit.id, None, today)
    front_desk.expect("Ana", "García", "04/15/1968", "9:30", today)


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


def todays(database: Database) -> VisitRecord:
    with database.session() as session:
        newest = max(list_visits(session), key=lambda v: v.finished_at)
        record = load_visit(session, newest.id)
    assert record is not None
    return record


def summary_text(record: VisitRecord, folder: Path) -> str:
    """The printed summary's words (the PDF kept in `folder` for a person to look at)."""
    pdf = build_summary(record, zone=ZoneInfo("America/Chicago"))
    target = Path(SCREENSHOTS) if SCREENSHOTS else folder
    target.mkdir(parents=True, exist_ok=True)
    (target / f"summary-{record.flow}.pdf").write_bytes(pdf)
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def screens_seen(window: KioskWindow) -> list[str]:
    seen: list[str] = []
    window.stack.currentChanged.connect(
        lambda _: seen.append(type(window.stack.currentWidget()).__name__)
    )
    return seen


def test_a_return_visit_without_slides_shows_the_reminder_and_the_checklist(
    qtbot: QtBot,
    kiosk: KioskWindow,
    database: Database,
    settings: Settings,
    pack: ContentPack,
    tmp_path: Path,
) -> None:
    expected_back(database, settings, pack, days_since_consent=21)
    seen = screens_seen(kiosk)
    tap(current(kiosk), "Start")
    fill(kiosk, "first_name", "Ana")
    fill(kiosk, "last_name", "Garcia")
    fill(kiosk, "birth_date", "04/15/1968")
    tap(current(kiosk), "Continue")
    reminder = current(kiosk)
    assert isinstance(reminder, ReminderScreen)
    assert reminder.title.text() == "Welcome back"
    # The slides' titles from the content in use; nothing of the earlier visit.
    assert "What is ketamine treatment?" in reminder.topics.text()
    # A screen reader reads the topics as text, not as a label's bare name.
    told = QAccessible.queryAccessibleInterface(reminder.topics)
    text = told.textInterface() if told is not None else None
    assert text is not None
    assert "What is ketamine treatment?" in text.text(0, text.characterCount())
    assert "Ana" not in " ".join(label.text() for label in reminder.findChildren(QLabel))
    learn(kiosk)
    visit = kiosk.visit
    assert visit is not None
    assert len(visit.questions) == 20
    # Question 6 is the first of the checklist: solid food.
    while visit.question_index < 5:
        tap(current(kiosk), "No")
    assert current(kiosk).title.text() == "When did you last eat solid food?"  # type: ignore[attr-defined]
    answer_questions_from_here(kiosk, {"since-urinary": "Yes"})
    tap(current(kiosk), "I confirm these answers are correct")
    with qtbot.waitSignal(kiosk.visit_stored, timeout=5000):
        from ui.visit_walk import consent_and_ride_home

        consent_and_ride_home(kiosk)
    assert "SlideScreen" not in seen
    record = todays(database)
    assert record.flow == "return_without_slides"
    assert record.slides == ()
    assert record.signed_name == "Ana Garcia"
    assert record.flags == (
        (
            "Needs clinician review: pain or urgency passing urine since the last infusion"
            " — answered Yes"
        ),
    )
    assert record.flag_kinds == ("side_effect",)
    answered = {a.question_text: a.words for a in record.answers}
    assert answered["When did you last eat solid food?"] == "8 hours ago or more"
    printed = summary_text(record, tmp_path)
    assert "return visit, a reminder in place of the slides" in printed
    assert "pain or urgency passing urine since the last infusion" in printed
    assert "Since your last infusion, have you had headaches? No" in printed


def answer_questions_from_here(window: KioskWindow, answers: dict[str, str]) -> None:
    """Answer the questions left: `answers` by question ID, the rest calmly."""
    visit = window.visit
    assert visit is not None
    from ui.visit_walk import _calm_label

    while visit.step is Step.QUESTIONS:
        question = visit.shown_questions[visit.question_index]
        label = answers.get(question.id) or _calm_label(question)
        index = visit.question_index
        tap(current(window), label)
        if visit.step is Step.QUESTIONS and visit.question_index == index:
            tap(current(window), "Continue")


def test_an_old_consent_brings_the_slides_back(
    qtbot: QtBot, kiosk: KioskWindow, database: Database, settings: Settings, pack: ContentPack
) -> None:
    expected_back(database, settings, pack, days_since_consent=400)
    seen = screens_seen(kiosk)
    complete_visit(kiosk, first="Ana", last="García", born="04/15/1968")
    assert "ReminderScreen" not in seen
    assert "SlideScreen" in seen
    record = todays(database)
    assert record.flow == "return_with_slides"
    assert len(record.slides) == len(pack.slides)
    assert len(record.answers) == 20


def test_show_me_the_information_again(
    qtbot: QtBot, kiosk: KioskWindow, database: Database, settings: Settings, pack: ContentPack
) -> None:
    expected_back(database, settings, pack, days_since_consent=3)
    complete_visit(kiosk, first="Ana", last="García", born="04/15/1968", slides_again=True)
    record = todays(database)
    assert record.flow == "return_without_slides"
    assert len(record.slides) == len(pack.slides)


def test_a_return_visit_in_spanish_shows_no_english(
    qtbot: QtBot,
    kiosk: KioskWindow,
    database: Database,
    settings: Settings,
    pack: ContentPack,
    tmp_path: Path,
) -> None:
    expected_back(database, settings, pack, days_since_consent=10)
    patterns = english_patterns(pack)
    tap(current(kiosk), "Español")
    qtbot.waitUntil(lambda: button(current(kiosk), "English").isVisible())
    tap(current(kiosk), "Empezar")
    fill(kiosk, "first_name", "Ana")
    fill(kiosk, "last_name", "García")
    fill(kiosk, "birth_date", "04/15/1968")
    tap(current(kiosk), "Continuar")
    reminder = current(kiosk)
    assert isinstance(reminder, ReminderScreen)
    assert reminder.title.text() == "Bienvenido/a de nuevo"
    assert "¿Qué es el tratamiento con ketamina?" in reminder.topics.text()
    assert_no_english(kiosk, patterns)
    learn(kiosk)
    visit = kiosk.visit
    assert visit is not None
    while visit.step is Step.QUESTIONS:
        assert_no_english(kiosk, patterns)
        if visit.question_index == 5:
            assert current(kiosk).title.text() == (  # type: ignore[attr-defined]
                "¿Cuándo comió alimentos sólidos por última vez?"
            )
        answer_questions_from_here(kiosk, {})
    tap(current(kiosk), "Confirmo mis respuestas")
    for statement in visit.shown.consent_statements:
        tap(current(kiosk), statement.text)
    sign(kiosk)
    tap(current(kiosk), "Firmar y continuar")
    fill(kiosk, "driver_name", "Rosa García")
    fill(kiosk, "phone", "(555) 123-4567")
    fill(kiosk, "relationship", "hija")
    with qtbot.waitSignal(kiosk.visit_stored):
        tap(current(kiosk), "Continuar")
    record = todays(database)
    assert (record.language, record.flow) == ("es", "return_without_slides")
    assert any(a.question_text.startswith("Desde su última infusión") for a in record.answers)


def test_where_the_clinic_keeps_the_last_consent_the_review_leads_to_the_ride_home(
    qtbot: QtBot,
    database: Database,
    settings: Settings,
    pack: ContentPack,
    tmp_path: Path,
) -> None:
    from kiosk.content import ReturnConsent

    keeps = dataclasses.replace(pack, return_consent=ReturnConsent.WHEN_SLIDES_SHOWN)
    expected_back(database, settings, pack, days_since_consent=10)
    with database.session() as session, session.begin():
        from kiosk.publishing import publish

        publish(
            session,
            keeps,
            label="keep consent",
            by=Actor.staff(CLERK, station="d", now=datetime.now(UTC)),
        )
    window = KioskWindow(
        Station(database, "lobby"),
        settings,
        timing=KioskTiming(double_tap_guard_seconds=0, done_seconds=60),
    )
    qtbot.addWidget(window)
    window.resize(1080, 1920)
    window.show()
    qtbot.waitExposed(window)
    seen = screens_seen(window)
    with qtbot.waitSignal(window.visit_stored, timeout=5000):
        complete_visit(window, first="Ana", last="García", born="04/15/1968")
    assert "ConsentScreen" not in seen
    record = todays(database)
    assert record.signed_name is None
    assert record.flags == ()
    printed = summary_text(record, tmp_path)
    assert "Not signed again today." in printed
    assert "not acknowledged" not in printed  # no statement was shown
