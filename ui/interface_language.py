"""The language of the kiosk's own words (buttons, messages), through Qt's translations.

The words of the content (slides, questions, consent) come from the content pack in the
same language; these are the words the program itself says. Sources are the `.ts` files
in `resources/translations`; the `.qm` files beside them are built from them by
`python3 dev.py translations` and a test checks that they match.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale, QTranslator

from resources import FOLDER

# The language the program is written in: no translation file needed.
SOURCE_LANGUAGE = "en"


# Where Qt's own name names a country too ("español de España", "American English").
_PLAIN_NAMES = {"en": "English", "es": "Español"}


def language_name(code: str) -> str:
    """A language's name in that language ("Español"), as its readers look for it."""
    if code in _PLAIN_NAMES:
        return _PLAIN_NAMES[code]
    name = QLocale(code).nativeLanguageName()
    return name[:1].upper() + name[1:] if name else code


# What a language's button on Welcome does, said in that language (see `in_language`).
LANGUAGE_OFFER = (
    "WelcomeScreen",
    #: Name the language of this translation, not English.
    str(QT_TRANSLATE_NOOP("WelcomeScreen", "Shows every page in English.")),
)


@cache  # the translations are the program's own files: they do not change while it runs
def in_language(language: str, words: tuple[str, str]) -> str:
    """`words` (context, source text) in `language`, whichever language is in use now."""
    context, source = words
    path = translation_file(language)
    if language == SOURCE_LANGUAGE or path is None:
        return source
    # Kept in a name while the translator reads it: Qt does not copy the bytes.
    data = Path(path).read_bytes()
    translator = QTranslator()
    if not translator.load(data):
        return source
    return translator.translate(context, source) or source


@cache
def translation_file(language: str) -> str | None:
    """The compiled translation for `language`, if the program has one."""
    candidate = FOLDER / "translations" / f"kiosk_{language}.qm"
    return str(candidate) if candidate.is_file() else None


@cache
def interface_languages() -> frozenset[str]:
    """Languages the program can speak: its own and every shipped translation."""
    folder = FOLDER / "translations"
    shipped = {
        entry.name.removeprefix("kiosk_").removesuffix(".qm")
        for entry in folder.iterdir()
        if entry.name.startswith("kiosk_") and entry.name.endswith(".qm")
    }
    return frozenset({SOURCE_LANGUAGE} | shipped)


class InterfaceLanguage:
    """The application's one translator: which language the program speaks now.

    Shared by every window (the kiosk, a check-in at the desk): Qt translates for the
    whole application, so whichever window changes the language, all of them know it.
    """

    _translator: QTranslator | None = None
    _data = b""
    current = SOURCE_LANGUAGE

    @classmethod
    def use(cls, language: str) -> None:
        """Speak `language` from now on (the source language if there is no translation)."""
        if language == cls.current:
            return
        app = QCoreApplication.instance()
        if cls._translator is not None and app is not None:
            app.removeTranslator(cls._translator)
        cls._translator = None
        path = translation_file(language)
        if path is not None and app is not None:
            # Loaded from bytes kept here, not from the file: Qt would map the file into
            # memory, and replacing it while the kiosk runs (an update) would crash it.
            cls._data = Path(path).read_bytes()
            translator = QTranslator(app)
            if translator.load(cls._data):
                app.installTranslator(translator)
                cls._translator = translator
        cls.current = language if cls._translator is not None else SOURCE_LANGUAGE

    @classmethod
    def locale(cls) -> QLocale:
        """Dates and numbers as the patient reads them."""
        return QLocale(cls.current)
