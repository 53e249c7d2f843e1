""" "Read to me": slides, questions and consent read aloud through Qt's text to speech.

The tests use Qt's own mock engine, which "speaks" word by word on a timer and reports
each word, so what the patient would hear is checked word for word.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from kiosk.database import Database
from kiosk.settings import Settings, load_settings
from kiosk.visit import KioskTiming, Step
from tests.ui.test_kiosk_visit import open_kiosk
from ui.kiosk_window import KioskWindow
from ui.visit_walk import (
    answer_teach_back,
    button,
    complete_visit,
    current,
    fill,
    reach_consent,
    tap,
    visible_buttons,
)


def _mock_speech_or_skip() -> None:
    try:
        from PySide6.QtTextToSpeech import QTextToSpeech
    except ImportError as error:
        reason = (
            f"Qt's text to speech cannot load here ({error}); on Debian or Ubuntu "
            "`python3 dev.py test` installs libpulse0 for it"
        )
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    if "mock" not in QTextToSpeech.availableEngines():
        pytest.fail(f"Qt's mock speech engine is missing: {QTextToSpeech.availableEngines()}")


@pytest.fixture
def speaking_settings(tmp_path: Path) -> Settings:
    _mock_speech_or_skip()
    return load_settings(
        {
            "database_url": f"sqlite:///{tmp_path / 'kiosk.sqlite3'}",
            "speech_engine": "mock",
            "read_aloud": True,
        }
    )


def open_speaking_kiosk(
    qtbot: QtBot, database: Database, settings: Settings, **timing: float
) -> KioskWindow:
    """A kiosk whose voice has said its silent trial word, so "Read to me" is offered."""
    window = open_kiosk(qtbot, database, settings, **timing)
    qtbot.waitUntil(lambda: window.read_aloud.available_for("en"))
    return window


@pytest.fixture
def window(qtbot: QtBot, speaking_settings: Settings, database: Database) -> KioskWindow:
    return open_speaking_kiosk(qtbot, database, speaking_settings)


@pytest.fixture
def database(speaking_settings: Settings) -> Any:
    from tests.databases import made_database

    db = made_database(speaking_settings.database_url)
    yield db
    db.close()


class Listener:
    """What a patient hears: every word the voice says, in order."""

    def __init__(self, window: KioskWindow) -> None:
        self.words: list[str] = []
        speech = window.read_aloud._speech
        assert speech is not None, "no voice, though the mock engine was asked for"
        self.speech = speech
        speech.sayingWord.connect(lambda word, *_: self.words.append(word))

    def heard(self) -> str:
        return " ".join(self.words)


def to_first_slide(
    qtbot: QtBot, window: KioskWindow, start: str = "Start", go_on: str = "Continue"
) -> None:
    """From Welcome to the first slide; `start` and `go_on` in the visit's language."""
    tap(current(window), start)
    fill(window, "first_name", "Ana")
    fill(window, "last_name", "Ruiz")
    fill(window, "birth_date", "04/15/1968")
    tap(current(window), go_on)
    assert window.visit is not None
    assert window.visit.step is Step.SLIDES


def words_of(text: str) -> list[str]:
    """Words as Qt's mock engine reports them (it splits at anything but ASCII letters)."""
    return re.findall(r"[A-Za-z0-9]+", text)


def test_read_to_me_reads_the_slide_then_stop_reading_stops_it(
    qtbot: QtBot, window: KioskWindow
) -> None:
    to_first_slide(qtbot, window)
    listener = Listener(window)
    slide = window.visit.shown.slides[0]  # type: ignore[union-attr]
    tap(current(window), "Read to me")
    qtbot.waitUntil(lambda: len(listener.words) >= 4, timeout=5000)
    # The slide's title comes first, word for word.
    title = words_of(slide.title)
    assert listener.words[: len(title)] == title
    assert window.read_aloud.speaking
    # While it reads, the same button stops it.
    stop = button(current(window), "Stop reading")
    assert stop.text().startswith("■")
    qtbot.mouseClick(stop, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.read_aloud.speaking, timeout=3000)
    assert button(current(window), "Read to me").isVisible()
    said = len(listener.words)
    qtbot.wait(400)
    assert len(listener.words) == said, "the voice went on after Stop reading"


def test_the_whole_slide_is_read_title_then_text(qtbot: QtBot, window: KioskWindow) -> None:
    to_first_slide(qtbot, window)
    listener = Listener(window)
    slide_screen = current(window)
    tap(slide_screen, "Read to me")
    qtbot.waitUntil(lambda: not window.read_aloud.speaking and bool(listener.words), timeout=30_000)
    assert window.visit is not None
    slide = window.visit.shown.slides[0]
    expected = words_of(slide.title) + words_of(slide.text.replace("**", ""))
    assert listener.words == expected


def test_reading_stops_when_the_patient_moves_on(qtbot: QtBot, window: KioskWindow) -> None:
    to_first_slide(qtbot, window)
    listener = Listener(window)
    tap(current(window), "Read to me")
    qtbot.waitUntil(lambda: window.read_aloud.speaking, timeout=3000)
    tap(current(window), "Next")
    qtbot.waitUntil(lambda: not window.read_aloud.speaking, timeout=3000)
    said = len(listener.words)
    qtbot.wait(400)
    assert len(listener.words) == said
    # The next slide offers reading again, from its start.
    assert button(current(window), "Read to me").isVisible()


def test_a_question_is_read_with_its_answers(qtbot: QtBot, window: KioskWindow) -> None:
    to_first_slide(qtbot, window)
    assert window.visit is not None
    for _ in window.visit.content.slides:
        tap(current(window), "Next")
    answer_teach_back(window)
    assert window.visit.step is Step.QUESTIONS
    listener = Listener(window)
    tap(current(window), "Read to me")
    qtbot.waitUntil(lambda: not window.read_aloud.speaking and bool(listener.words), timeout=30_000)
    question = window.visit.shown.questions[0]
    assert listener.words == [*words_of(question.text), "Yes", "No", "Not", "sure"]


def test_each_line_is_read_as_a_sentence() -> None:
    from ui.read_aloud import spoken

    # A voice pauses at a full stop, not at a line break: the answers must not run on.
    lines = ["Have you ever had a seizure?", "Yes", "No", "Not sure", "", "  spaced   out  "]
    assert spoken(lines) == "Have you ever had a seizure? Yes. No. Not sure. spaced out."


def test_consent_statements_are_read_in_order(qtbot: QtBot, window: KioskWindow) -> None:
    reach_consent(window, "Ana", "Ruiz", "04/15/1968")
    assert window.visit is not None
    statements = [s.text for s in window.visit.shown.consent_statements]
    screen = current(window)
    # Everything the screen asks the patient to agree to, in the order shown.
    assert screen.spoken_lines() == [  # type: ignore[attr-defined]
        "Your consent",
        *statements,
        f"By signing: {window.visit.shown.signature_meaning}",
    ]
    listener = Listener(window)
    tap(screen, "Read to me")
    first = [*words_of("Your consent"), *words_of(statements[0])]
    qtbot.waitUntil(lambda: len(listener.words) >= len(first), timeout=10_000)
    assert listener.words[: len(first)] == first
    tap(screen, "Stop reading")


def test_no_read_to_me_when_the_clinic_turns_speech_off(
    qtbot: QtBot, tmp_path: Path, database: Database
) -> None:
    quiet = load_settings(
        {
            "database_url": f"sqlite:///{tmp_path / 'kiosk.sqlite3'}",
            "speech_engine": "mock",
            "read_aloud": False,
        }
    )
    window = open_kiosk(qtbot, database, quiet)
    to_first_slide(qtbot, window)
    assert not any("Read to me" in b.text() for b in visible_buttons(current(window)))


def test_no_voice_hides_the_button_and_the_visit_still_completes(
    qtbot: QtBot, tmp_path: Path, database: Database
) -> None:
    no_voice = load_settings(
        {
            "database_url": f"sqlite:///{tmp_path / 'kiosk.sqlite3'}",
            "speech_engine": "no-such-engine",
            "read_aloud": True,
        }
    )
    window = open_kiosk(qtbot, database, no_voice)
    stored: list[str] = []
    window.visit_stored.connect(stored.append)
    complete_visit(window)
    assert len(stored) == 1
    assert window.screens is None or not any(
        s.read_aloud_button is not None and s.read_aloud_button.isVisible()
        for s in window.screens.all()
    )


def test_no_still_there_prompt_while_the_voice_reads(
    qtbot: QtBot, speaking_settings: Settings, database: Database
) -> None:
    window = open_speaking_kiosk(qtbot, database, speaking_settings, timeout_seconds=1)
    window.idle_timer.setInterval(300)
    to_first_slide(qtbot, window)
    window.timing = KioskTiming(timeout_seconds=1, double_tap_guard_seconds=0)
    tap(current(window), "Read to me")
    qtbot.waitUntil(lambda: window.read_aloud.speaking, timeout=3000)
    # Listening for well past the timeout: the patient is there, not gone.
    qtbot.wait(2500)
    assert window.read_aloud.speaking
    assert not window.still_there.isVisible()
    # Read-aloud doubles the time before the kiosk asks, for the rest of the visit.
    assert window.idle_timer.interval() >= 2 * 1000


def test_asking_for_help_silences_the_voice(qtbot: QtBot, window: KioskWindow) -> None:
    to_first_slide(qtbot, window)
    tap(current(window), "Read to me")
    qtbot.waitUntil(lambda: window.read_aloud.speaking, timeout=3000)
    tap(current(window), "Ask for help")
    qtbot.waitUntil(lambda: not window.read_aloud.speaking, timeout=3000)
    assert window.help_notice.isVisible()


def test_read_to_me_is_a_big_target_with_words(qtbot: QtBot, window: KioskWindow) -> None:
    to_first_slide(qtbot, window)
    read = button(current(window), "Read to me")
    assert isinstance(read, QPushButton)
    assert read.width() >= 60
    assert read.height() >= 60
    assert read.accessibleName() == "Read to me"


def test_no_voice_for_the_visits_language_hides_the_button(
    qtbot: QtBot, window: KioskWindow
) -> None:
    # Qt's mock engine has English, Norwegian and Finnish voices, no Spanish one: a
    # Spanish visit gets no button rather than English words read as Spanish.
    qtbot.waitUntil(lambda: window.read_aloud.available_for("en"))
    assert not window.read_aloud.available_for("es")
    tap(current(window), "Español")
    tap(current(window), "Empezar")
    assert window.visit is not None
    assert window.visit.language == "es"
    fill(window, "first_name", "Ana")
    fill(window, "last_name", "Ruiz")
    fill(window, "birth_date", "04/15/1968")
    tap(current(window), "Continuar")
    assert window.visit.step is Step.SLIDES
    assert window.screens is not None
    assert window.screens.slide.read_aloud_button is not None
    assert not window.screens.slide.read_aloud_button.isVisible()


def test_a_voice_that_never_finishes_is_given_up_and_the_kiosk_still_asks(
    qtbot: QtBot, speaking_settings: Settings, database: Database, monkeypatch: Any
) -> None:
    from ui import read_aloud
    from ui.read_aloud import ReadAloud

    # The mock voice reads a slide in a few seconds; give it half a second, so it is
    # still "speaking" when its time is up, as a voice with no sound output is for ever.
    monkeypatch.setattr(ReadAloud, "LEAST_SECONDS", 0.5)
    monkeypatch.setattr(ReadAloud, "SECONDS_PER_CHARACTER", 0.0)
    # The voice given up stays given up for the program: only for this test's.
    monkeypatch.setattr(read_aloud, "_CHECKS", {})
    window = open_speaking_kiosk(qtbot, database, speaking_settings, timeout_seconds=1)
    to_first_slide(qtbot, window)
    listener = Listener(window)
    tap(current(window), "Read to me")
    qtbot.waitUntil(window.help_notice.isVisible, timeout=5000)
    # The patient is told, in plain words, and the kiosk no longer waits on the voice.
    # (It is not told to stop: a voice this late may never answer again. The mock one,
    # merely slow, reads on; a voice with no sound output makes none.)
    assert "voice is not working" in window.help_notice.text.text()
    assert not window.read_aloud.speaking
    assert listener.words, "the mock voice never began"
    tap(window.help_notice, "OK")
    # No button that does nothing: not on this slide, nor on the next.
    assert not any("Read to me" in b.text() for b in visible_buttons(current(window)))
    tap(current(window), "Next")
    assert not any("Read to me" in b.text() for b in visible_buttons(current(window)))
    assert not window.read_aloud.available_for("en")
    # And a patient who walks away is asked, so their answers do not stay on screen.
    window.idle_timer.setInterval(300)
    qtbot.waitUntil(window.still_there.isVisible, timeout=5000)
