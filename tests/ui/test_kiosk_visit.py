"""Whole visits on the kiosk, tapped through as a patient would, checked in the database
and on the printed summary."""

from __future__ import annotations

import gc
import io
import re
import shutil
import weakref
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import shiboken6
from pypdf import PdfReader
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from kiosk.database import Database
from kiosk.settings import Settings, load_settings
from kiosk.station import Station
from kiosk.stored_visits import list_visits, load_visit
from kiosk.summary import build_summary
from kiosk.visit import KioskTiming, Step
from kiosk.visit_record import VisitRecord
from ui.kiosk_window import KioskWindow
from ui.visit_walk import (
    answer_teach_back,
    button,
    complete_visit,
    current,
    fill,
    reach_consent,
    sign,
    tap,
    wait_while_saving,
)


def open_kiosk(
    qtbot: QtBot, database: Database, settings: Settings, **timing: float
) -> KioskWindow:
    """A kiosk window at the portrait size; taps are not held back unless a test asks."""
    kiosk = KioskWindow(
        Station(database, "test-kiosk"),
        settings,
        timing=KioskTiming(**{"double_tap_guard_seconds": 0, **timing}),
    )  # type: ignore[arg-type]
    qtbot.addWidget(kiosk)
    kiosk.resize(1080, 1920)
    kiosk.show()
    qtbot.waitExposed(kiosk)
    return kiosk


@pytest.fixture
def window(qtbot: QtBot, database: Database, settings: Settings) -> KioskWindow:
    return open_kiosk(qtbot, database, settings, done_seconds=60)


def stored(database: Database) -> list[VisitRecord]:
    with database.session() as session:
        records = [load_visit(session, v.id) for v in list_visits(session)]
    return [r for r in records if r is not None]


def summary_text(record: VisitRecord) -> str:
    pdf = build_summary(record, zone=ZoneInfo("America/Chicago"))
    return " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())


def finish(qtbot: QtBot, window: KioskWindow, **kwargs: object) -> None:
    with qtbot.waitSignal(window.visit_stored, timeout=5000):
        complete_visit(window, **kwargs)  # type: ignore[arg-type]


def test_a_visit_with_no_flags(qtbot: QtBot, window: KioskWindow, database: Database) -> None:
    finish(qtbot, window, first="María José", last="O'Brien-Núñez")
    assert "Please take a seat" in current(window).next_steps.text()  # type: ignore[attr-defined]
    (record,) = stored(database)
    assert (record.first_name, record.last_name) == ("María José", "O'Brien-Núñez")
    assert record.flags == ()
    assert record.ride.driver_name == "Luis"
    assert record.signature_png is not None
    assert len(record.slides) == 11
    text = summary_text(record)
    assert "María José O'Brien-Núñez" in text
    assert "No flags" in text
    assert "Luis (husband), phone (555) 201-3344" in text


def test_a_contraindication_answered_yes(
    qtbot: QtBot, window: KioskWindow, database: Database
) -> None:
    finish(qtbot, window, answers={2: "Yes"})
    assert "will talk with you" in current(window).next_steps.text()  # type: ignore[attr-defined]
    (record,) = stored(database)
    assert record.flags == (
        "Needs clinician review: high blood pressure not under control — answered Yes",
    )
    assert (
        "Needs clinician review: high blood pressure not under control — answered Yes"
        in summary_text(record)
    )


def test_not_sure_is_flagged_too(qtbot: QtBot, window: KioskWindow, database: Database) -> None:
    finish(qtbot, window, answers={5: "Not sure"})
    (record,) = stored(database)
    assert record.flags == (
        "Needs clinician review: pregnant or could be pregnant — answered Not sure",
    )
    assert "answered Not sure" in summary_text(record)


def test_no_ride_home_yet(qtbot: QtBot, window: KioskWindow, database: Database) -> None:
    finish(qtbot, window, ride=None)
    (record,) = stored(database)
    assert record.ride.status == "none_yet"
    assert "No ride home arranged yet" in summary_text(record)


def test_talking_to_someone_first(qtbot: QtBot, window: KioskWindow, database: Database) -> None:
    finish(qtbot, window, talk_first=True)
    assert "A team member will come" in current(window).heading.text()  # type: ignore[attr-defined]
    (record,) = stored(database)
    assert record.ending == "stopped_to_talk"
    assert record.signature_png is None
    text = summary_text(record)
    assert "Asked to talk to someone before consenting" in text
    assert "Not signed." in text


def test_going_back_to_change_an_answer(
    qtbot: QtBot, window: KioskWindow, database: Database
) -> None:
    tap(current(window), "Start")
    fill(window, "first_name", "Ana")
    fill(window, "last_name", "Lee")
    fill(window, "birth_date", "01/02/1950")
    tap(current(window), "Continue")
    for _ in range(11):
        tap(current(window), "Next")
    answer_teach_back(window)
    for _ in range(5):
        tap(current(window), "No")
    review = current(window)
    assert [label.text() for label in review.findChildren(QLabel, "reviewAnswer")] == ["No"] * 5
    change_buttons = [
        b for b in review.findChildren(QPushButton) if b.text() == "Change" and b.isVisible()
    ]
    assert len(change_buttons) == 5
    qtbot.mouseClick(change_buttons[3], Qt.MouseButton.LeftButton)
    assert "heart condition" in current(window).title.text()  # type: ignore[attr-defined]
    tap(current(window), "Not sure")
    tap(current(window), "Continue")
    assert window.visit is not None
    assert window.visit.step is Step.REVIEW
    answers = [label.text() for label in current(window).findChildren(QLabel, "reviewAnswer")]
    assert answers == ["No", "No", "No", "Not sure", "No"]
    tap(current(window), "I confirm these answers are correct")
    tap(current(window), "I'd like to talk to someone first")
    wait_while_saving(window)
    (record,) = stored(database)
    assert [a.words for a in record.answers] == ["No", "No", "No", "Not sure", "No"]
    assert "heart condition that is not stable — answered Not sure" in summary_text(record)


def test_details_are_checked_in_plain_words(qtbot: QtBot, window: KioskWindow) -> None:
    tap(current(window), "Start")
    fill(window, "first_name", "Ana")
    tap(current(window), "Continue")
    problem = current(window).problem  # type: ignore[attr-defined]
    assert problem.isVisible()
    assert "Please enter your last name." in problem.text()
    assert "Please enter your date of birth." in problem.text()
    assert window.visit is not None
    assert window.visit.step is Step.DETAILS


def test_ask_for_help_stores_no_visit_and_tells_the_desk(
    qtbot: QtBot, window: KioskWindow, database: Database
) -> None:
    tap(current(window), "Start")
    tap(current(window), "Ask for help")
    assert window.help_notice.isVisible()
    # Until a desk shows it (tests/ui/test_help_request.py follows it there).
    assert window.help_notice.text.text() == (
        "We are letting the front desk know that you would like help…"
    )
    tap(window.help_notice, "OK")
    assert not window.help_notice.isVisible()
    assert window.visit is not None
    assert window.visit.step is Step.DETAILS
    assert stored(database) == []


def test_the_idle_timeout_in_the_middle_discards_the_visit(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    kiosk = open_kiosk(qtbot, database, settings, timeout_seconds=1, countdown_seconds=2)
    tap(current(kiosk), "Start")
    fill(kiosk, "first_name", "Ana")
    qtbot.waitUntil(kiosk.still_there.isVisible, timeout=3000)
    assert "Are you still there?" in kiosk.still_there.text.text()
    tap(kiosk.still_there, "Yes, continue")
    assert kiosk.visit is not None
    assert kiosk.visit.step is Step.DETAILS
    with qtbot.waitSignal(kiosk.visit_ended, timeout=6000):
        pass
    assert kiosk.visit is None
    assert current(kiosk) is kiosk.welcome
    assert stored(database) == []


def test_a_patient_who_needs_more_time_gets_it_until_the_visit_ends(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    kiosk = open_kiosk(qtbot, database, settings, timeout_seconds=1, countdown_seconds=2)
    tap(current(kiosk), "Start")
    qtbot.waitUntil(kiosk.still_there.isVisible, timeout=3000)
    tap(kiosk.still_there, "I need more time")
    assert not kiosk.still_there.isVisible()
    assert kiosk.visit is not None
    # Three times as long before the next question: one second here, three now.
    with qtbot.assertNotEmitted(kiosk.visit_ended, wait=2500):
        pass
    assert not kiosk.still_there.isVisible()
    qtbot.waitUntil(kiosk.still_there.isVisible, timeout=3000)
    tap(kiosk.still_there, "Yes, continue")
    tap(current(kiosk), "Back")  # the next patient has the usual time again
    assert kiosk.idle_timer.interval() == 1000


SECRETS = ("Zelda", "Quimby", "1944", "Rosalind", "777-8888", "sister")


def _end_by_finishing(qtbot: QtBot, kiosk: KioskWindow) -> None:
    with qtbot.waitSignal(kiosk.visit_stored):
        complete_visit(
            kiosk,
            first="Zelda",
            last="Quimby",
            born="07/04/1944",
            ride=("Rosalind", "(555) 777-8888", "sister"),
        )
    with qtbot.waitSignal(kiosk.visit_ended):
        tap(current(kiosk), "Finish")


def _end_by_talking_first(qtbot: QtBot, kiosk: KioskWindow) -> None:
    with qtbot.waitSignal(kiosk.visit_stored):
        complete_visit(kiosk, first="Zelda", last="Quimby", born="07/04/1944", talk_first=True)
    with qtbot.waitSignal(kiosk.visit_ended, timeout=3000):
        pass  # Done goes back to Welcome by itself


def _end_by_walking_away(qtbot: QtBot, kiosk: KioskWindow) -> None:
    tap(current(kiosk), "Start")
    fill(kiosk, "first_name", "Zelda")
    fill(kiosk, "last_name", "Quimby")
    fill(kiosk, "birth_date", "07/04/1944")
    tap(current(kiosk), "Continue")
    with qtbot.waitSignal(kiosk.visit_ended, timeout=5000):
        pass  # the idle countdown runs out


@pytest.mark.parametrize("ending", [_end_by_finishing, _end_by_talking_first, _end_by_walking_away])
def test_nothing_of_one_patient_reaches_the_next(
    qtbot: QtBot, database: Database, settings: Settings, ending: object
) -> None:
    kiosk = open_kiosk(
        qtbot, database, settings, timeout_seconds=1, countdown_seconds=1, done_seconds=1
    )
    visits_seen: list[weakref.ref[object]] = []
    screens_seen: list[weakref.ref[object]] = []
    old_screens: list[QWidget] = []

    def seen(_index: int) -> None:
        if kiosk.visit is not None and kiosk.screens is not None:
            visits_seen.append(weakref.ref(kiosk.visit))
            screens_seen.append(weakref.ref(kiosk.screens))
            old_screens.extend(kiosk.screens.all())

    kiosk.stack.currentChanged.connect(seen)
    ending(qtbot, kiosk)  # type: ignore[operator]
    # The next visit's screens are built while Welcome waits: they are looked at too.
    qtbot.waitUntil(lambda: kiosk.next_screens.is_ready, timeout=30_000)
    prebuilt = kiosk.next_screens.screens
    assert prebuilt is not None
    # The screens were scheduled for deletion; run those deletions as the event loop would.
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    gc.collect()
    assert visits_seen
    assert all(ref() is None for ref in visits_seen)
    assert all(ref() is None for ref in screens_seen), "the last patient's screens are gone"
    qtbot.waitUntil(lambda: not any(shiboken6.isValid(screen) for screen in old_screens))
    widgets = kiosk.findChildren(QLabel) + kiosk.findChildren(QLineEdit)
    for screen in prebuilt.all():
        widgets += screen.findChildren(QLabel) + screen.findChildren(QLineEdit)
    texts = [w.text() for w in widgets] + [w.accessibleName() for w in widgets]
    for secret in SECRETS:
        assert not any(secret in text for text in texts), secret
    assert prebuilt.consent.pad.is_empty
    tap(current(kiosk), "Start")
    assert current(kiosk) is prebuilt.details, "Start showed the screens built ahead"
    for screen in prebuilt.all():
        for field in screen.findChildren(QLineEdit):
            assert field.text() == ""
            assert not field.isUndoAvailable()
    assert current(kiosk).window().findChild(type(kiosk.welcome)) is kiosk.welcome


def test_done_returns_to_welcome_by_itself(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    kiosk = open_kiosk(qtbot, database, settings, done_seconds=1)
    with qtbot.waitSignal(kiosk.visit_stored):
        complete_visit(kiosk, talk_first=True)
    assert current(kiosk) is not kiosk.welcome
    with qtbot.waitSignal(kiosk.visit_ended, timeout=3000):
        pass
    assert current(kiosk) is kiosk.welcome
    assert kiosk.visit is None


def test_a_slide_with_a_picture_and_a_minimum_time(
    qtbot: QtBot, database: Database, tmp_path: Path
) -> None:
    from PIL import Image

    from kiosk.pack_loader import bundled_pack_dir

    pack = tmp_path / "pack"
    shutil.copytree(bundled_pack_dir(), pack)
    shutil.rmtree(pack / "translations")  # a new picture would need its Spanish description
    Image.new("RGB", (800, 400), (40, 110, 170)).save(pack / "room.png")
    slides = pack / "slides.yaml"
    slides.write_text(
        # The first slide's picture replaced by the test's own; the second shown without
        # its picture, to see the picture go.
        re.sub(
            r"    picture: pictures/how-it-works.png\n    picture_alt: .*\n",
            "",
            re.sub(
                r"    picture: pictures/what-it-is.png\n    picture_alt: .*\n",
                "    picture: room.png\n    picture_alt: A quiet treatment room\n",
                slides.read_text(),
            ),
        )
    )
    (pack / "pack.yaml").write_text(
        (pack / "pack.yaml").read_text().replace("seconds_before_next: 0", "seconds_before_next: 1")
    )
    trial = load_settings(
        {"database_url": f"sqlite:///{tmp_path / 'trial.sqlite3'}", "content_dir": str(pack)}
    )
    kiosk = open_kiosk(qtbot, database, trial)
    tap(current(kiosk), "Start")
    fill(kiosk, "first_name", "Ana")
    fill(kiosk, "last_name", "Lee")
    fill(kiosk, "birth_date", "01/02/1950")
    tap(current(kiosk), "Continue")
    screen = current(kiosk)
    picture = screen.findChild(QLabel, "slidePicture")
    assert picture is not None
    assert picture.isVisible()
    assert not picture.pixmap().isNull()
    assert picture.accessibleName() == "A quiet treatment room"
    next_button = button(screen, "Next")
    assert not next_button.isEnabled()
    qtbot.waitUntil(next_button.isEnabled, timeout=3000)
    tap(screen, "Next")
    assert not current(kiosk).findChild(QLabel, "slidePicture").isVisible()


def test_a_double_tap_does_not_answer_the_next_question(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    kiosk = open_kiosk(qtbot, database, settings, double_tap_guard_seconds=0.4)
    # The guard's own clock, moved on by hand: a finger's pace, not the machine's.
    now = [1000.0]
    kiosk.tap_guard.clock = lambda: now[0]
    tap(current(kiosk), "Start")
    now[0] += 0.45
    fill(kiosk, "first_name", "Ana")
    fill(kiosk, "last_name", "Lee")
    fill(kiosk, "birth_date", "01/02/1950")
    tap(current(kiosk), "Continue")
    assert kiosk.visit is not None
    tap(current(kiosk), "Next")  # too soon after the slide appeared: held back
    assert kiosk.visit.slide_index == 0
    now[0] += 0.45
    tap(current(kiosk), "Next")
    tap(current(kiosk), "Next")  # the second tap of a double tap, at once
    assert kiosk.visit.slide_index == 1
    now[0] += 0.45
    tap(current(kiosk), "Next")
    assert kiosk.visit.slide_index == 2


def test_going_back_from_ride_home_means_signing_again(qtbot: QtBot, window: KioskWindow) -> None:
    reach_consent(window, "Ana", "Lee", "01/02/1950")
    assert window.visit is not None
    for statement in window.visit.content.consent_statements:
        tap(current(window), statement.text)
    sign(window)
    tap(current(window), "Sign and continue")
    tap(current(window), "Back")
    consent = current(window)
    assert consent.pad.is_empty  # type: ignore[attr-defined]
    assert not button(consent, "Sign and continue").isEnabled()


def test_when_a_visit_cannot_be_saved_the_patient_is_told_and_nothing_stays_on_screen(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    from sqlalchemy import text

    from kiosk.held_visits import HeldVisits

    kiosk = open_kiosk(qtbot, database, settings, done_seconds=1)
    with database.engine.begin() as connection:
        connection.execute(text("DROP TABLE flags"))  # the save will fail half-way
    with qtbot.waitSignal(kiosk.visit_held, timeout=5000):
        complete_visit(kiosk, first="Zelda", last="Quimby", answers={1: "Yes"})
    done = current(kiosk)
    assert "Please tell the front desk you are done" in done.heading.text()  # type: ignore[attr-defined]
    assert "checked in" not in done.heading.text()  # type: ignore[attr-defined]
    with qtbot.waitSignal(kiosk.visit_ended, timeout=3000):
        pass
    assert kiosk.visit is None
    assert current(kiosk) is kiosk.welcome
    with database.session() as session:
        assert session.execute(text("SELECT count(*) FROM visits")).scalar() == 0
    assert len(HeldVisits(settings.held_visits_dir).held()) == 1
