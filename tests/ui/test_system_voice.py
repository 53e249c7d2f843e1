""" "Read to me" through the operating system's own voice: speech-dispatcher and espeak-ng.

The other read-aloud tests use Qt's mock engine; these use the engine a Debian or Ubuntu
kiosk uses, started for each test in a home folder of its own with a sound output the
test chooses: ALSA's null device (a working voice nobody hears), or PulseAudio with no
server, the way a kiosk session without PulseAudio is. A voice there never finishes and
does not stop when told to.

`.ci/run` installs speech-dispatcher; by hand these tests skip, saying so, without it.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLocale
from pytestqt.qtbot import QtBot

from kiosk.database import Database
from kiosk.settings import Settings, load_settings
from tests.databases import made_database
from tests.ui.test_kiosk_visit import open_kiosk
from tests.ui.test_read_aloud import to_first_slide
from ui import read_aloud
from ui.kiosk_window import KioskWindow
from ui.read_aloud import ReadAloud
from ui.visit_walk import button, current, tap, visible_buttons

SYSTEM_CONFIG = Path("/etc/speech-dispatcher/speechd.conf")


def _speech_dispatcher_or_skip() -> None:
    reason = ""
    try:
        from PySide6.QtTextToSpeech import QTextToSpeech
    except ImportError as error:
        reason = f"Qt's text to speech cannot load here ({error})"
    else:
        if shutil.which("speech-dispatcher") is None or not SYSTEM_CONFIG.exists():
            reason = (
                "speech-dispatcher is not installed; `.ci/run` installs it (by hand: "
                "apt install speech-dispatcher speech-dispatcher-espeak-ng)"
            )
        elif "speechd" not in QTextToSpeech.availableEngines():
            reason = f"Qt has no speech-dispatcher engine: {QTextToSpeech.availableEngines()}"
    if reason:
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


def _voice_home(home: Path, monkeypatch: pytest.MonkeyPatch, output: str) -> None:
    """A home folder whose speech-dispatcher plays through `output` ("alsa" or "pulse")."""
    config = home / ".config" / "speech-dispatcher"
    config.mkdir(parents=True)
    system = SYSTEM_CONFIG.read_text(encoding="utf-8")
    (config / "speechd.conf").write_text(
        f'{system}\nAudioOutputMethod "{output}"\n', encoding="utf-8"
    )
    # ALSA's default device throws the sound away: no sound card is needed.
    (home / ".asoundrc").write_text("pcm.!default { type null }\n", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("PULSE_SERVER", f"unix:{home / 'no-pulseaudio-here'}")


def _start_speech_dispatcher(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """This test's own speech-dispatcher, never one already running for this user.

    Started here rather than by the client library, which works out its default address
    once per process (from the home folder of the first test to ask).
    """
    socket = home / "speechd.sock"
    subprocess.run(
        [
            "speech-dispatcher",
            "--run-daemon",
            "--communication-method",
            "unix_socket",
            "--socket-path",
            str(socket),
            "--pid-file",
            str(home / "speechd.pid"),
            "--timeout",
            "60",
        ],
        check=True,
        timeout=30,
    )
    deadline = time.monotonic() + 10
    while not socket.exists():
        assert time.monotonic() < deadline, "speech-dispatcher did not start within 10 s"
        time.sleep(0.05)
    monkeypatch.setenv("SPEECHD_ADDRESS", f"unix_socket:{socket}")


def _stop_speech_dispatcher(home: Path) -> None:
    try:
        pid = int((home / "speechd.pid").read_text(encoding="utf-8").split()[0])
        os.kill(pid, signal.SIGKILL)  # one stuck on its sound output ignores TERM
    except (OSError, ValueError, IndexError):
        pass  # it never started, or has already ended by itself


def _settings(tmp_path: Path) -> Settings:
    return load_settings(
        {
            "database_url": f"sqlite:///{tmp_path / 'kiosk.sqlite3'}",
            "speech_engine": "speechd",
            "read_aloud": True,
        }
    )


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    db = made_database(_settings(tmp_path).database_url)
    yield db
    db.close()


def _speech_dispatcher_playing_through(
    monkeypatch: pytest.MonkeyPatch, output: str
) -> Iterator[None]:
    _speech_dispatcher_or_skip()
    # Each test's voice is checked afresh: the program keeps one answer per engine.
    monkeypatch.setattr(read_aloud, "_CHECKS", {})
    # Short: speech-dispatcher's socket lives in it, and a socket's path may not be
    # longer than about a hundred characters (pytest's own folders are).
    with tempfile.TemporaryDirectory(prefix="voice-") as short:
        home = Path(short)
        _voice_home(home, monkeypatch, output)
        try:
            _start_speech_dispatcher(home, monkeypatch)
            yield
        finally:
            _stop_speech_dispatcher(home)


@pytest.fixture
def with_sound(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    yield from _speech_dispatcher_playing_through(monkeypatch, "alsa")


@pytest.fixture
def without_sound(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    yield from _speech_dispatcher_playing_through(monkeypatch, "pulse")


def _open(qtbot: QtBot, tmp_path: Path, database: Database) -> KioskWindow:
    return open_kiosk(qtbot, database, _settings(tmp_path), timeout_seconds=1, countdown_seconds=1)


def _read_slide(qtbot: QtBot, window: KioskWindow, read: str) -> list[bool]:
    """Tap `read` and wait for the voice to finish by itself; what it reported."""
    changes: list[bool] = []
    window.read_aloud.speaking_changed.connect(changes.append)
    tap(current(window), read)
    qtbot.waitUntil(lambda: changes[-2:] == [True, False], timeout=20_000)
    window.read_aloud.speaking_changed.disconnect(changes.append)
    return changes


def _walk_away(qtbot: QtBot, window: KioskWindow) -> None:
    """The patient leaves: the kiosk asks, then starts over with nothing of theirs."""
    window.idle_timer.setInterval(300)
    qtbot.waitUntil(window.still_there.isVisible, timeout=5000)
    qtbot.waitUntil(lambda: window.visit is None, timeout=10_000)
    assert current(window) is window.welcome
    assert window.screens is None


@pytest.mark.usefixtures("with_sound")
def test_the_systems_voice_reads_a_slide_in_english_and_in_spanish(
    qtbot: QtBot, tmp_path: Path, database: Database
) -> None:
    window = _open(qtbot, tmp_path, database)
    # Offered once the voice's check has said its silent word.
    qtbot.waitUntil(lambda: window.read_aloud.available_for("en"), timeout=10_000)
    assert window.read_aloud.available_for("es"), "espeak-ng has a Spanish voice"
    to_first_slide(qtbot, window, "Start", "Continue")
    assert _read_slide(qtbot, window, "Read to me") == [True, False]
    # Finished by itself: the button offers reading again, and nothing went wrong.
    assert button(current(window), "Read to me").isVisible()
    assert not window.help_notice.isVisible()

    # A Spanish visit is read by a Spanish voice.
    while current(window) is not window.welcome:
        tap(current(window), "Back")
    # Welcome's language buttons are made anew, and shown on the next turn of the loop.
    qtbot.waitUntil(lambda: any(b.text() == "Español" for b in visible_buttons(window.welcome)))
    tap(current(window), "Español")
    to_first_slide(qtbot, window, "Empezar", "Continuar")
    assert _read_slide(qtbot, window, "Léamelo") == [True, False]
    speech: Any = window.read_aloud._speech
    assert speech is not None
    assert speech.locale().language() == QLocale.Language.Spanish
    # The silent word was said by the check's own process: this voice is not muted.
    assert speech.volume() > 0.5
    assert not window.help_notice.isVisible()


@pytest.mark.usefixtures("without_sound")
def test_a_voice_with_no_sound_output_is_found_out_at_start_and_never_offered(
    qtbot: QtBot, tmp_path: Path, database: Database, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    # Found on this machine: with no PulseAudio, speech-dispatcher reports "speaking"
    # for ever, and a few requests later stops answering, freezing whoever called it.
    monkeypatch.setattr(ReadAloud, "TRIAL_SECONDS", 1.0)
    window = _open(qtbot, tmp_path, database)
    assert not window.read_aloud.available_for("en"), "offered before its trial word"
    qtbot.waitUntil(
        lambda: any("silent trial word" in r.getMessage() for r in caplog.records),
        timeout=10_000,
    )
    assert not window.read_aloud.available_for("en")
    to_first_slide(qtbot, window, "Start", "Continue")
    assert not any("Read to me" in b.text() for b in visible_buttons(current(window)))
    # Nobody asked for reading: nobody is told about the voice.
    assert not window.help_notice.isVisible()
    _walk_away(qtbot, window)

    # The kiosk started again (a new program keeps no answer) while the speech server is
    # still stuck: connecting to it would hang before Welcome; the check fails instead.
    monkeypatch.setattr(read_aloud, "_CHECKS", {})
    caplog.clear()
    again = _open(qtbot, tmp_path, database)
    assert current(again) is again.welcome
    qtbot.waitUntil(
        lambda: any("silent trial word" in r.getMessage() for r in caplog.records),
        timeout=10_000,
    )
    assert not again.read_aloud.available_for("en")
