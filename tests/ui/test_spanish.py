"""A Spanish speaker does the whole visit in Spanish, and no English shows on the way."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from importlib import resources
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate, QLocale
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDateEdit,
    QLabel,
    QLineEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from kiosk.content import ContentPack, text_keys
from kiosk.database import Database
from kiosk.settings import Settings
from kiosk.station import Station
from kiosk.stored_visits import list_visits, load_visit
from kiosk.summary import build_summary
from kiosk.visit import KioskTiming, Step
from ui.kiosk_window import KioskWindow
from ui.visit_walk import answer_teach_back, button, current, fill, sign, tap


def english_patterns(pack: ContentPack) -> list[re.Pattern[str]]:
    """Every English sentence a Spanish screen could wrongly show, as patterns."""
    ts = resources.files("resources").joinpath("translations", "kiosk_es.ts")
    sentences = set()
    for message in ET.fromstring(ts.read_text("utf-8")).iter("message"):  # noqa: S314
        source, translation = message.findtext("source"), message.findtext("translation")
        if source and source != translation:
            sentences.add(source)
    spanish = text_keys(pack.in_language("es"))
    sentences |= {
        text for key, text in text_keys(pack).items() if text and text != spanish.get(key)
    }
    return [
        re.compile(
            "".join(
                ".+" if part.startswith("{") else re.escape(part)
                for part in re.split(r"(\{\d\})", sentence)
            ),
            re.DOTALL,
        )
        for sentence in sentences
    ]


def shown_words(root: QWidget) -> list[str]:
    """What a person (or a screen reader) finds on screen now."""
    words = []
    for widget in [root, *root.findChildren(QWidget)]:
        # Welcome's language buttons speak their own language, on purpose ("English").
        if not widget.isVisible() or widget.objectName() == "languageButton":
            continue
        if isinstance(widget, QLabel | QAbstractButton):
            words.append(widget.text())
        if isinstance(widget, QLineEdit):
            words.append(widget.placeholderText())
        words += [widget.accessibleName(), widget.accessibleDescription()]
    return [w.strip() for w in words if w.strip()]


def assert_no_english(window: KioskWindow, patterns: list[re.Pattern[str]]) -> None:
    english = [word for word in shown_words(window) if any(p.fullmatch(word) for p in patterns)]
    assert english == [], f"English on a Spanish screen ({type(current(window)).__name__})"


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


def test_a_whole_visit_in_spanish_shows_no_english_and_is_stored_as_spanish(
    qtbot: QtBot, kiosk: KioskWindow, database: Database, pack: ContentPack
) -> None:
    patterns = english_patterns(pack)
    assert kiosk.welcome.start_button.text() == "Start"
    tap(current(kiosk), "Español")
    qtbot.waitUntil(lambda: button(current(kiosk), "English").isVisible())
    assert_no_english(kiosk, patterns)
    assert "English" in [b.text() for b in kiosk.welcome.findChildren(QAbstractButton)]
    tap(current(kiosk), "Empezar")

    assert_no_english(kiosk, patterns)
    tap(current(kiosk), "Pedir ayuda")
    assert kiosk.help_notice.isVisible()
    assert_no_english(kiosk, patterns)
    tap(kiosk.help_notice, "De acuerdo")
    fill(kiosk, "first_name", "María José")
    fill(kiosk, "last_name", "Núñez")
    fill(kiosk, "birth_date", "11/02/1950")
    tap(current(kiosk), "Continuar")
    visit = kiosk.visit
    assert visit is not None
    while visit.step is Step.SLIDES:
        assert_no_english(kiosk, patterns)
        tap(current(kiosk), "Siguiente")
    # Teach-back: each question on what the slides said, answered right.
    assert visit.step is Step.TEACH_BACK
    assert_no_english(kiosk, patterns)
    answer_teach_back(kiosk)
    while visit.step is Step.QUESTIONS:
        assert_no_english(kiosk, patterns)
        tap(current(kiosk), "No")
    assert_no_english(kiosk, patterns)
    tap(current(kiosk), "Confirmo mis respuestas")
    assert_no_english(kiosk, patterns)
    for statement in visit.shown.consent_statements:
        tap(current(kiosk), statement.text)
    sign(kiosk)
    signed_by = current(kiosk).signed_by.text()  # type: ignore[attr-defined]
    assert signed_by.startswith("Firmado por María José Núñez el ")
    assert " de 2026" in signed_by
    assert_no_english(kiosk, patterns)
    tap(current(kiosk), "Firmar y continuar")
    assert_no_english(kiosk, patterns)
    fill(kiosk, "driver_name", "Rosa Núñez")
    fill(kiosk, "phone", "(555) 123-4567")
    fill(kiosk, "relationship", "hija")
    with qtbot.waitSignal(kiosk.visit_stored):
        tap(current(kiosk), "Continuar")
    assert_no_english(kiosk, patterns)

    with database.session() as session:
        record = load_visit(session, next(iter(list_visits(session))).id)
    assert record is not None
    assert record.language == "es"
    assert record.acknowledgements[0].statement_text.startswith("Entiendo los efectos")
    summary = " ".join(
        PdfReader(io.BytesIO(build_summary(record, zone=ZoneInfo("America/Chicago"))))
        .pages[0]
        .extract_text()
        .split()
    )
    # Staff read their own language; the consent is printed as the patient read it.
    assert "Answers (confirmed by the patient as correct)" in summary
    assert "Consent (as shown to the patient, in Spanish)" in summary
    assert "He tenido la oportunidad de hacer preguntas." in summary
    assert "language Spanish" in summary

    tap(current(kiosk), "Terminar")
    assert current(kiosk) is kiosk.welcome
    assert kiosk.welcome.start_button.text() == "Start", "the next patient starts in English"
    assert "Español" in [b.text() for b in kiosk.welcome.findChildren(QAbstractButton)]
    assert QApplication.translate("Answer", "Yes") == "Yes"


def test_a_spanish_check_in_leaves_the_desk_s_dates_in_the_desk_s_language(
    qtbot: QtBot, kiosk: KioskWindow
) -> None:
    # A check-in at the front desk runs in the desk's own process: what the desk opens
    # meanwhile (a visit's dates) keeps the desk's language.
    desk_language = QLocale().name()
    tap(current(kiosk), "Español")
    qtbot.waitUntil(lambda: kiosk.welcome.start_button.text() == "Empezar")

    desk_field = QDateEdit(QDate(2026, 4, 15))
    qtbot.addWidget(desk_field)
    desk_field.setDisplayFormat("d MMMM yyyy")
    assert desk_field.text() == "15 April 2026"
    assert QLocale().name() == desk_language
    # The visit's own controls speak Spanish, to a screen reader too (its voice).
    assert kiosk.welcome.start_button.locale().language() == QLocale.Language.Spanish
    start = QAccessible.queryAccessibleInterface(kiosk.welcome.start_button)
    attributes = start.attributesInterface()
    assert attributes is not None
    told = attributes.attributeValue(QAccessible.Attribute.Locale)
    assert isinstance(told, QLocale)
    assert told.language() == QLocale.Language.Spanish
