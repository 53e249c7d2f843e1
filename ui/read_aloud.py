"""Read to me: the text of a slide, question or the consent, spoken by the system's voice.

Speech goes through Qt's text to speech (`QtTextToSpeech`, in PySide6's add-ons) and
whatever engine the operating system offers: speech-dispatcher on Linux, the system
voices on Windows. Where there is none (no engine, no voice for the visit's language,
the module's system library missing, or the clinic turned speech off), `available_for`
says so and the screens hide their "Read to me" button rather than show one that does
nothing.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QLocale, QObject, Signal

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


class ReadAloud(QObject):
    """The kiosk's one voice, shared by every screen of every visit.

    Signals:
        speaking_changed(bool): speech started (True) or ended, finished or stopped (False).
    """

    speaking_changed = Signal(bool)

    def __init__(self, *, enabled: bool, engine: str = "", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._speech: Any = None
        self._speaking = False
        if not enabled:
            return
        speech_class = _text_to_speech_class()
        if speech_class is None:
            return
        engines = list(speech_class.availableEngines())
        if (engine and engine not in engines) or not engines:
            log.warning("text to speech engine %r is not available", engine or "(default)")
            return
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
        if self._speech is None:
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
        if locale is None or self._speech is None:
            return
        self._speech.stop()
        if self._speech.locale() != locale:
            self._speech.setLocale(locale)
        self._speech.say(spoken(lines))

    def stop(self) -> None:
        """Stop reading at once (the screen changed, or the visit ended)."""
        if self._speech is not None:
            self._speech.stop()

    def _state_changed(self, state: object) -> None:
        speaking = state == self._speaking_state
        if speaking != self._speaking:
            self._speaking = speaking
            self.speaking_changed.emit(speaking)
