"""Read to me: the text of a slide, question or the consent, spoken by the system's voice.

Speech goes through Qt's text to speech (`QtTextToSpeech`, in PySide6's add-ons) and
whatever engine the operating system offers: speech-dispatcher on Linux, the system
voices on Windows. Where there is none (no engine, no voice for the visit's language,
the module's system library missing, or the clinic turned speech off), `available_for`
says so and the screens hide their "Read to me" button rather than show one that does
nothing.

A voice that never says it has finished is given up on. Speech-dispatcher with no
working sound output (no PulseAudio in a kiosk session, a missing device) stays
"speaking" for ever and ignores Stop, and a few requests later stops answering at all:
the next call into it never returns, and the kiosk would freeze. While the kiosk
believes a voice is reading it never asks "Are you still there?", which is what clears
a patient's answers off the screen when they walk away. A speech server stuck like this
does not even answer the next program that connects to it: a kiosk started again would
hang before its first screen.

So before the kiosk makes its own voice, a process of its own (ui.voice_check) says one
word at no volume, and is ended if it has not finished within
`ReadAloud.TRIAL_SECONDS`; only a voice that passed is made and offered (one check per
program). The voice is told to stop only while it reads, and one that has not finished
long after it should have is never called again.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from PySide6.QtCore import QLocale, QObject, QProcess, QTimer, Signal

log = logging.getLogger(__name__)


def _text_to_speech_class() -> Any:
    # The module needs a system library (libpulse on Linux) to load at all: without it
    # the kiosk works as before, with no "Read to me".
    try:
        from PySide6.QtTextToSpeech import QTextToSpeech
    except ImportError as error:
        log.info("no text to speech on this computer: %s", error)
        return None
    return QTextToSpeech


def spoken(lines: list[str]) -> str:
    """Lines as sentences: a voice pauses after a full stop, not at a line break."""
    sentences = []
    for line in lines:
        words = " ".join(line.split())
        if words:
            sentences.append(words if words[-1] in ".?!:;…" else f"{words}.")
    return " ".join(sentences)


# How the voice's check is run: `python -m ui.voice_check ENGINE`.
VOICE_CHECK = ["-m", "ui.voice_check"]


class _VoiceCheck(QObject):
    """One run of ui.voice_check for an engine; its answer is kept for the program.

    Signals:
        finished(bool): whether the voice works.
    """

    finished = Signal(bool)

    def __init__(self, engine: str, seconds: float) -> None:
        super().__init__()
        self.works: bool | None = None
        self._process = QProcess(self)
        self._process.finished.connect(self._ended)
        self._process.errorOccurred.connect(self._failed_to_start)
        self._deadline = QTimer(self)
        self._deadline.setSingleShot(True)
        self._deadline.timeout.connect(self._process.kill)
        self._deadline.start(round(1000 * seconds))
        self._process.start(sys.executable, [*VOICE_CHECK, engine])

    def end(self) -> None:
        """The program is closing: the check's process ends with it, answered or not (Qt
        would otherwise leave it running and warn "Destroyed while process is still
        running")."""
        if self._process.state() == QProcess.ProcessState.NotRunning:
            return
        self._deadline.stop()
        self._process.finished.disconnect(self._ended)
        self._process.kill()
        self._process.waitForFinished(1000)

    def _failed_to_start(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            self._answer(False, "could not start its check")

    def _ended(self, code: int, status: QProcess.ExitStatus) -> None:
        if status == QProcess.ExitStatus.NormalExit and code == 0:
            self._answer(True, "")
        elif self._deadline.isActive():
            self._answer(False, f"failed its check (exit {code})")
        else:
            self._answer(False, "had not finished a silent trial word")

    def _answer(self, works: bool, what_happened: str) -> None:
        if self.works is not None:
            return
        self._deadline.stop()
        self.works = works
        if not works:
            log.warning(
                "the voice %s (is the sound output working?); Read to me is off until the "
                "kiosk starts again",
                what_happened,
            )
        self.finished.emit(works)


# One check per engine for the whole program: every window's voice shares its answer.
_CHECKS: dict[str, _VoiceCheck] = {}


def end_voice_checks() -> None:
    """End every voice check still running (the kiosk is closing), and forget it: a window
    opened later checks again rather than waiting on an answer that will never come."""
    for engine, check in list(_CHECKS.items()):
        if check.works is None:
            check.end()
            del _CHECKS[engine]


class ReadAloud(QObject):
    """The kiosk's one voice, shared by every screen of every visit.

    It is available once the program's check of the voice has passed. A voice whose
    check has not finished its word within `TRIAL_SECONDS`, or that is still "speaking"
    `LEAST_SECONDS` plus `SECONDS_PER_CHARACTER` for each character after it began, has
    stopped working: the kiosk stops waiting for it and offers no voice until it is
    started again.

    Signals:
        speaking_changed(bool): speech started (True) or ended, finished or stopped (False).
        became_available: the voice's check passed; "Read to me" may be offered.
        stopped_working: the voice never finished reading; "Read to me" is no longer
            available.
    """

    speaking_changed = Signal(bool)
    became_available = Signal()
    stopped_working = Signal()

    # Five characters a second (about fifty words a minute) is slower than any
    # system voice reads at its normal rate; the kiosk never slows its voice.
    SECONDS_PER_CHARACTER = 0.2
    LEAST_SECONDS = 10.0
    TRIAL_SECONDS = 10.0

    def __init__(self, *, enabled: bool, engine: str = "", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._speech: Any = None
        self._speaking = False
        # The voice's check (see _VoiceCheck) has not answered yet.
        self._awaiting_check = False
        self._overdue = QTimer(self)
        self._overdue.setSingleShot(True)
        self._overdue.timeout.connect(self._voice_overdue)
        if not enabled:
            return
        speech_class = _text_to_speech_class()
        if speech_class is None:
            return
        engines = list(speech_class.availableEngines())
        if (engine and engine not in engines) or not engines:
            log.warning("text to speech engine %r is not available", engine or "(default)")
            return
        self._speech_class = speech_class
        self._engine = engine
        check = _CHECKS.get(engine)
        if check is None:
            check = _CHECKS[engine] = _VoiceCheck(engine, self.TRIAL_SECONDS)
        if check.works is None:
            self._awaiting_check = True
            check.finished.connect(self._checked)
        elif check.works:
            self._make_voice()

    def _checked(self, works: bool) -> None:
        self._awaiting_check = False
        if works:
            self._make_voice()
            if self._speech is not None:
                self.became_available.emit()

    def _make_voice(self) -> None:
        speech_class, engine = self._speech_class, self._engine
        speech = speech_class(engine, self) if engine else speech_class(self)
        if speech.state() == speech_class.State.Error:
            log.warning("text to speech does not work here: %s", speech.errorString())
            speech.setParent(None)
            speech.deleteLater()
            return
        speech.stateChanged.connect(self._state_changed)
        self._speech = speech
        self._speaking_state = speech_class.State.Speaking

    def available_for(self, language: str) -> bool:
        """Whether a voice can read text in `language` (an ISO 639-1 code such as "es")."""
        return self._locale_for(language) is not None

    def _locale_for(self, language: str) -> QLocale | None:
        if self._speech is None or self._awaiting_check:
            return None
        wanted = QLocale(language).language()
        current = self._speech.locale()
        if current.language() == wanted:
            return current  # type: ignore[no-any-return]
        for locale in self._speech.availableLocales():
            if locale.language() == wanted:
                return locale  # type: ignore[no-any-return]
        return None

    @property
    def speaking(self) -> bool:
        """Whether the voice is reading now."""
        return self._speaking

    def say(self, lines: list[str], language: str) -> None:
        """Read `lines` aloud in `language`, instead of anything being read now."""
        locale = self._locale_for(language)
        text = spoken(lines)
        if locale is None or self._speech is None or not text:
            return
        # Every call into a voice may be the one that never returns (see the module's
        # notes): no more of them than reading needs.
        if self._speaking:
            self._speech.stop()
        if self._speech.locale() != locale:
            self._speech.setLocale(locale)
        self._speech.say(text)
        # Speaking from now on, as far as the kiosk goes: a voice stuck "speaking" since
        # an earlier request reports no change.
        self._set_speaking(True)
        self._overdue.start(round(1000 * self._longest_seconds(text)))

    def _longest_seconds(self, text: str) -> float:
        return self.LEAST_SECONDS + self.SECONDS_PER_CHARACTER * len(text)

    def stop(self) -> None:
        """Stop reading at once (the screen changed, or the visit ended)."""
        if self._speech is not None and self._speaking:
            self._overdue.stop()
            self._speech.stop()
        # Stopped, as far as the kiosk goes, even if the engine never says so.
        self._set_speaking(False)

    def _state_changed(self, state: object) -> None:
        speaking = state == self._speaking_state
        if not speaking:
            self._overdue.stop()
        self._set_speaking(speaking)

    def _set_speaking(self, speaking: bool) -> None:
        if speaking != self._speaking:
            self._speaking = speaking
            self.speaking_changed.emit(speaking)

    def _voice_overdue(self) -> None:
        speech = self._speech
        if speech is None or not self._speaking:
            return
        log.warning(
            "the voice had not finished reading long after it should have (is the sound "
            "output working?); Read to me is off until the kiosk starts again"
        )
        # Not called again, not even to stop: it may never return. It goes with the window.
        self._speech = None
        speech.stateChanged.disconnect(self._state_changed)
        # Nor is a voice made again in this program, for another window.
        _CHECKS[self._engine].works = False
        self._set_speaking(False)
        self.stopped_working.emit()
