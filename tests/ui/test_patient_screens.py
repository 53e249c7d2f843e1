"""The patient's screens as a person sees them: nothing hidden, cut or said too early."""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QPoint, QRect
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget
from pytestqt.qtbot import QtBot

from kiosk.content import BulletList
from kiosk.database import Database
from kiosk.pack_loader import bundled_pack_dir
from kiosk.settings import Settings, load_settings
from kiosk.station import Station
from kiosk.visit import KioskTiming
from ui.kiosk_window import KioskWindow
from ui.visit_walk import (
    PATIENT,
    button,
    current,
    enter_details,
    fill,
    reach_consent,
    sign,
    tap,
)
from ui.widgets.on_screen_keyboard import OnScreenKeyboard


def open_kiosk(
    qtbot: QtBot,
    database: Database,
    settings: Settings,
    size: tuple[int, int] = (1080, 1920),
    **timing: float,
) -> KioskWindow:
    window = KioskWindow(
        Station(database, "t"),
        settings,
        timing=KioskTiming(**{"double_tap_guard_seconds": 0, **timing}),  # type: ignore[arg-type]
    )
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    return window


def shown_labels(root: QWidget) -> Iterator[str]:
    """The words of every label a person can see under `root`."""
    for label in root.findChildren(QLabel):
        if label.isVisible() and label.text():
            yield label.text()


def box_on_window(widget: QWidget) -> QRect:
    """Where `widget` is drawn on its window."""
    return QRect(widget.mapTo(widget.window(), QPoint(0, 0)), widget.size())


def colours_in(image: QImage, box: QRect) -> set[int]:
    part = image.copy(box)
    return {part.pixel(x, y) for x in range(part.width()) for y in range(part.height())}


def test_consent_says_who_signed_only_once_there_is_a_signature(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    kiosk = open_kiosk(qtbot, database, settings)
    reach_consent(kiosk, *PATIENT)
    assert not [t for t in shown_labels(current(kiosk)) if "Signed by" in t]
    assert kiosk.visit is not None
    for statement in kiosk.visit.content.consent_statements:
        tap(current(kiosk), statement.text)
    assert not [t for t in shown_labels(current(kiosk)) if "Signed by" in t]
    sign(kiosk)
    assert [t for t in shown_labels(current(kiosk)) if t.startswith("Signed by Ana García on")]
    tap(current(kiosk), "Clear")
    assert not [t for t in shown_labels(current(kiosk)) if "Signed by" in t]


def test_are_you_still_there_covers_the_patients_answers(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    kiosk = open_kiosk(qtbot, database, settings, timeout_seconds=1, countdown_seconds=30)
    reach_consent(kiosk, *PATIENT)
    title = current(kiosk).title  # type: ignore[attr-defined]
    statements = current(kiosk).statements  # type: ignore[attr-defined]
    before = kiosk.grab().toImage()
    assert len(colours_in(before, box_on_window(title))) > 1, "the title is drawn"
    qtbot.waitUntil(kiosk.still_there.isVisible, timeout=3000)
    drawn = kiosk.grab().toImage()
    card_widget = kiosk.still_there.findChild(QWidget, "noticeCard")
    assert card_widget is not None
    card = box_on_window(card_widget)
    for widget in (title, statements):
        box = box_on_window(widget)
        if box.intersects(card):
            box = QRect(box.left(), box.top(), box.width(), card.top() - box.top())
        assert len(colours_in(drawn, box)) == 1, f"{widget.objectName()} still readable"


def test_in_spanish_the_keyboards_clear_and_the_pads_clear_say_different_things(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    kiosk = open_kiosk(qtbot, database, settings)
    tap(current(kiosk), "Español")
    tap(current(kiosk), "Empezar")
    keyboard = current(kiosk).findChild(OnScreenKeyboard)
    assert keyboard is not None
    assert kiosk.screens is not None
    keyboard_clear = keyboard.key(QCoreApplication.translate("OnScreenKeyboard", "Clear"))
    backspace = keyboard.key("⌫")
    pad_clear = kiosk.screens.consent.clear_button.text()
    assert keyboard_clear.text() != pad_clear
    # Beside ⌫ ("Borrar una letra"), a key that also says "Borrar" reads as the same key.
    assert keyboard_clear.text().split()[0] != backspace.accessibleName().split()[0]


def fully_shown(widget: QWidget) -> bool:
    """Whether every pixel of `widget` can be seen (nothing scrolled away or covered)."""
    return widget.isVisible() and widget.visibleRegion().boundingRect() == widget.rect()


def sign_consent(kiosk: KioskWindow) -> None:
    assert kiosk.visit is not None
    # Drawn as on a real screen, each step: painting polishes widgets, which may then grow.
    kiosk.grab()
    for statement in kiosk.visit.content.consent_statements:
        tap(current(kiosk), statement.text)
    sign(kiosk)
    kiosk.grab()
    tap(current(kiosk), "Sign and continue")


def test_on_the_tablet_ride_home_opens_with_its_question_and_the_no_driving_line_in_view(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    kiosk = open_kiosk(qtbot, database, settings, (1280, 800))
    reach_consent(kiosk, *PATIENT)
    sign_consent(kiosk)
    ride_home = current(kiosk)
    kiosk.grab()
    qtbot.wait(100)
    qtbot.waitUntil(lambda: fully_shown(ride_home.title))  # type: ignore[attr-defined]
    assert ride_home.title.text() == "Who is taking you home today?"  # type: ignore[attr-defined]
    assert fully_shown(ride_home.explanation)  # type: ignore[attr-defined]
    assert fully_shown(ride_home.form.fields["driver_name"])  # type: ignore[attr-defined]


def test_at_200_percent_slide_bullets_are_whole(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    kiosk = open_kiosk(qtbot, database, settings)
    tap(current(kiosk), "Larger text")
    tap(current(kiosk), "Larger text")
    enter_details(kiosk, *PATIENT)
    assert kiosk.visit is not None
    while not any(
        isinstance(b, BulletList) for b in kiosk.visit.shown.slides[kiosk.visit.slide_index].blocks
    ):
        tap(current(kiosk), "Next")
    text = current(kiosk).text  # type: ignore[attr-defined]
    drawn = text.grab().toImage()
    # The bullets' rows (a paragraph's letters may start at the very edge, whole).
    document = text.document()
    block = document.begin()
    rows: list[QRect] = []
    while block.isValid():
        if block.textList() is not None:
            rows.append(document.documentLayout().blockBoundingRect(block).toRect())
        block = block.next()
    assert rows, "the slide has bullets"
    for row in rows:
        edge = colours_in(drawn, QRect(0, row.top(), 3, row.height()))
        assert len(edge) == 1, "a bullet is cut at the text's left edge"
    inked = colours_in(drawn, QRect(0, 0, text.font().pixelSize() * 2, drawn.height()))
    assert len(inked) > 1, "the bullets are drawn"


def test_at_200_percent_in_portrait_the_way_to_get_help_signing_is_in_view_after_signing(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    kiosk = open_kiosk(qtbot, database, settings)
    tap(current(kiosk), "Larger text")
    tap(current(kiosk), "Larger text")
    reach_consent(kiosk, *PATIENT)
    assert kiosk.visit is not None
    kiosk.grab()
    for statement in kiosk.visit.content.consent_statements:
        tap(current(kiosk), statement.text)
    kiosk.grab()
    sign(kiosk)
    kiosk.grab()
    qtbot.wait(50)
    consent = current(kiosk)
    assert fully_shown(consent.cannot_sign)  # type: ignore[attr-defined]
    assert fully_shown(consent.pad)  # type: ignore[attr-defined]


def test_consent_statements_tapped_a_third_of_a_second_apart_each_count(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    kiosk = open_kiosk(qtbot, database, settings)
    reach_consent(kiosk, *PATIENT)
    assert kiosk.visit is not None
    # From here the kiosk's usual guard, on its own clock moved on by hand: a finger's
    # pace, not the machine's.
    kiosk.timing = KioskTiming(double_tap_guard_seconds=0.4)
    now = [time.monotonic() + 10]
    kiosk.tap_guard.clock = lambda: now[0]
    consent = current(kiosk)
    for statement in kiosk.visit.content.consent_statements:
        now[0] += 0.3
        tap(consent, statement.text)
    marks = [b.mark.text() for b in consent.statement_buttons.values()]  # type: ignore[attr-defined]
    assert marks == ["✓"] * len(marks)
    assert consent.pad.isEnabled()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("language", "start", "month", "words"),
    [
        ("es", "Empezar", "Junio", "Su fecha de nacimiento: 5 de junio de 1980"),
        ("", "Start", "June", "Your date of birth: June 5, 1980"),
    ],
    ids=["spanish", "english"],
)
def test_the_date_of_birth_is_asked_by_day_month_name_and_year_and_said_back_in_words(
    qtbot: QtBot,
    database: Database,
    settings: Settings,
    language: str,
    start: str,
    month: str,
    words: str,
) -> None:
    kiosk = open_kiosk(qtbot, database, settings)
    if language:
        tap(current(kiosk), "Español")
    tap(current(kiosk), start)
    fill(kiosk, "first_name", "Rosa")
    fill(kiosk, "last_name", "Díaz")
    fill(kiosk, "birth_day", "05")
    assert words not in list(shown_labels(current(kiosk)))
    tap(current(kiosk), month)
    fill(kiosk, "birth_year", "1980")
    assert words in list(shown_labels(current(kiosk)))
    continue_button = current(kiosk).continue_button  # type: ignore[attr-defined]
    tap(current(kiosk), continue_button.text())
    assert kiosk.visit is not None
    assert kiosk.visit.details is not None
    assert kiosk.visit.details.date_of_birth == date(1980, 6, 5)


def test_a_date_of_birth_without_its_month_is_not_guessed(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    kiosk = open_kiosk(qtbot, database, settings)
    tap(current(kiosk), "Start")
    fill(kiosk, "first_name", "Rosa")
    fill(kiosk, "last_name", "Díaz")
    fill(kiosk, "birth_day", "05")
    fill(kiosk, "birth_year", "1980")
    tap(current(kiosk), "Continue")
    assert "Please choose the month you were born." in list(shown_labels(current(kiosk)))
    assert kiosk.visit is not None
    assert kiosk.visit.details is None


SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080), "tablet": (1280, 800)}


def step_now(kiosk: KioskWindow) -> str:
    """The step the bar marks as the one on show, as a person reads it."""
    bar = current(kiosk).step_bar  # type: ignore[attr-defined]
    if bar.compact:
        return str(bar.summary.text())
    marked = [label.text() for label in bar.stages if label.property("stage") == "now"]
    assert len(marked) == 1
    return str(marked[0])


def test_a_step_bar_says_where_the_patient_is_and_on_a_tablet_in_one_line(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    kiosk = open_kiosk(qtbot, database, settings)
    tap(current(kiosk), "Start")
    assert step_now(kiosk) == "Details"
    enter_details_typed(kiosk)
    assert step_now(kiosk) == "Learn"
    done = [label.text() for label in current(kiosk).step_bar.stages]  # type: ignore[attr-defined]
    assert done == ["✓ Details", "Learn", "Questions", "Consent", "Ride home"]
    tablet = open_kiosk(qtbot, database, settings, (1280, 800))
    tap(current(tablet), "Start")
    enter_details_typed(tablet)
    assert step_now(tablet) == "Step 2 of 5: Learn"
    assert current(tablet).step_bar.summary.isVisible()  # type: ignore[attr-defined]


def enter_details_typed(kiosk: KioskWindow) -> None:
    fill(kiosk, "first_name", PATIENT[0])
    fill(kiosk, "last_name", PATIENT[1])
    fill(kiosk, "birth_date", PATIENT[2])
    tap(current(kiosk), "Continue")


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_the_signature_pad_is_a_third_of_the_width_and_a_sixth_of_the_height(
    qtbot: QtBot, database: Database, settings: Settings, size: tuple[int, int]
) -> None:
    kiosk = open_kiosk(qtbot, database, settings, size)
    reach_consent(kiosk, *PATIENT)
    pad = current(kiosk).pad  # type: ignore[attr-defined]
    assert pad.width() >= size[0] / 3
    assert pad.height() >= size[1] / 6


def test_in_portrait_a_question_and_its_answers_sit_in_the_middle_band(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    kiosk = open_kiosk(qtbot, database, settings)
    enter_details(kiosk, *PATIENT)
    assert kiosk.visit is not None
    for _ in kiosk.visit.content.slides:
        tap(current(kiosk), "Next")
    kiosk.grab()
    qtbot.wait(50)
    question = current(kiosk)
    answers = box_on_window(question.findChild(QAbstractButton, "answerButton") or question)
    text = box_on_window(question.title)  # type: ignore[attr-defined]
    height = kiosk.height()
    assert height * 0.25 < text.top() < answers.bottom() < height * 0.75


def test_instructions_are_never_the_faintest_words_on_screen(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    kiosk = open_kiosk(qtbot, database, settings)
    reach_consent(kiosk, *PATIENT)
    consent = current(kiosk)
    instruction = consent.instructions  # type: ignore[attr-defined]
    statement = next(iter(consent.statement_buttons.values())).label  # type: ignore[attr-defined]
    assert instruction.fontInfo().pixelSize() >= statement.fontInfo().pixelSize()
    assert instruction.fontInfo().bold()


def test_scroll_bars_are_wide_enough_to_find(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    kiosk = open_kiosk(qtbot, database, settings, (1280, 800))
    reach_consent(kiosk, *PATIENT)
    bar = current(kiosk).scroll_area.verticalScrollBar()  # type: ignore[attr-defined]
    assert bar.isVisible()
    assert bar.width() >= 20


def test_in_landscape_slide_lines_stay_a_readable_length(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    kiosk = open_kiosk(qtbot, database, settings, (1920, 1080))
    enter_details(kiosk, *PATIENT)
    text = current(kiosk).text  # type: ignore[attr-defined]
    assert text.width() <= text.fontMetrics().averageCharWidth() * 75


def test_at_200_percent_the_answers_grow_with_their_words(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    kiosk = open_kiosk(qtbot, database, settings)
    enter_details(kiosk, *PATIENT)
    assert kiosk.visit is not None
    for _ in kiosk.visit.content.slides:
        tap(current(kiosk), "Next")
    question = current(kiosk)
    usual = button(question, "Yes").height()
    tap(question, "Larger text")
    tap(question, "Larger text")
    qtbot.waitUntil(lambda: button(question, "Yes").height() >= usual * 1.4)


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_a_slides_picture_is_above_its_text_or_on_a_wide_screen_beside_it(
    qtbot: QtBot, database: Database, tmp_path: Path, size: tuple[int, int]
) -> None:
    from PIL import Image

    pack = tmp_path / "pack"
    shutil.copytree(bundled_pack_dir(), pack)
    shutil.rmtree(pack / "translations")  # a new picture would need its Spanish description
    Image.new("RGB", (900, 600), (40, 110, 170)).save(pack / "room.png")
    slides = pack / "slides.yaml"
    slides.write_text(
        # The bundled first slide's picture replaced by the test's own (900 × 600).
        re.sub(
            r"    picture: pictures/what-it-is.png\n    picture_alt: .*\n",
            "    picture: room.png\n    picture_alt: A quiet treatment room\n",
            slides.read_text(),
        )
    )
    with_picture = load_settings(
        {"database_url": f"sqlite:///{tmp_path / 'trial.sqlite3'}", "content_dir": str(pack)}
    )
    kiosk = open_kiosk(qtbot, database, with_picture, size)
    enter_details(kiosk, *PATIENT)
    slide = current(kiosk)
    picture, text = slide.picture, slide.text  # type: ignore[attr-defined]
    assert picture.isVisible()
    assert picture.accessibleName() == "A quiet treatment room"
    drawn, words = box_on_window(picture), box_on_window(text)
    if size[0] > size[1]:
        assert drawn.left() >= words.right(), "beside the text, on its right"
        assert picture.pixmap().width() <= size[0] / 3
    else:
        assert drawn.bottom() <= words.top(), "above the text"


@pytest.mark.parametrize("text_size", [1, 2], ids=["100 %", "200 %"])
@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_back_and_next_stay_in_one_place_from_slide_to_slide(
    qtbot: QtBot, database: Database, settings: Settings, size: tuple[int, int], text_size: int
) -> None:
    """A finger that tapped Next finds the next Next where it was, whatever the length of
    the slide (a long one scrolls; its buttons do not move down to make room)."""
    kiosk = open_kiosk(qtbot, database, settings, size)
    enter_details(kiosk, *PATIENT)
    if text_size == 2:
        tap(current(kiosk), "Larger text")  # 150 %
        tap(current(kiosk), "Larger text")  # 200 %
    assert kiosk.visit is not None
    places = set()
    for _ in kiosk.visit.content.slides:
        kiosk.grab()  # laid out and balanced, as drawn
        qtbot.wait(20)
        slide = current(kiosk)
        back = slide.back_button  # type: ignore[attr-defined]
        places.add((box_on_window(button(slide, "Next")).getRect(), box_on_window(back).getRect()))
        tap(slide, "Next")
    assert len(places) == 1, sorted(places)


# Screens whose keyboard docks above the footer: their buttons sit below it, lower.
_WITH_KEYBOARD = ("details", "ride-home")


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_the_button_that_moves_on_is_large_and_in_one_place_on_every_screen(
    qtbot: QtBot, database: Database, settings: Settings, size: tuple[int, int]
) -> None:
    """Next, Continue, "I confirm…", "Sign and continue" and Finish: the footer's right
    end, at least as big as a thumb's sweep, and (above a keyboard's screens) at one
    height, so a patient's hand goes to the same place every time."""
    from ui.screen_tour import tour

    kiosk = open_kiosk(qtbot, database, settings, size)
    places: dict[str, QRect] = {}
    for name, screen in tour(kiosk):
        footer = screen.findChild(QWidget, "footer")
        primary = [
            b
            for b in screen.findChildren(QAbstractButton, "primaryButton")
            if b.isVisible() and footer is not None and footer.isAncestorOf(b)
        ]
        if not primary or name.endswith(("accents", "problems", "typed", "problem", "-there")):
            continue  # Welcome; a screen again, with a keyboard page, a problem or a notice
        (moves_on,) = primary
        places[name] = box_on_window(moves_on)
    assert {"details", "slide-01-what-it-is", "review", "consent", "done-flagged"} <= set(places)
    for name, box in places.items():
        assert box.right() == size[0] - 48 - 1, f"{name}: at the footer's right end"
        assert box.width() >= 240, f"{name}: {box.width()} px wide"
        assert box.height() >= 80, f"{name}: {box.height()} px high"
    bottoms = {n: b.bottom() for n, b in places.items() if n not in _WITH_KEYBOARD}
    assert len(set(bottoms.values())) == 1, bottoms


@pytest.mark.parametrize("text_size", [1.0, 2.0], ids=["100 %", "200 %"])
@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_every_screen_keeps_its_design_at_every_size_and_text_size(
    qtbot: QtBot, database: Database, settings: Settings, size: tuple[int, int], text_size: float
) -> None:
    """On every screen after Welcome: one "Ask for help"; what to do ("Tap each
    statement…", "You must not drive…") never smaller or lighter than the words around it;
    the signature pad a third of the width and a sixth of the height."""
    from ui.patient_display import PatientDisplay
    from ui.screen_tour import tour

    kiosk = open_kiosk(qtbot, database, settings, size)
    display = PatientDisplay(text_size=text_size)
    checked = set()
    for name, screen in tour(kiosk):
        if kiosk.display != display:
            kiosk.show_display(display)
            QCoreApplication.processEvents()
        if name.startswith("welcome") or name in ("help", "still-there", "problem"):
            continue  # Welcome has no top bar; the notices cover a screen checked already
        helps = [
            b
            for b in screen.findChildren(QAbstractButton)
            if b.isVisible() and b.text() == "Ask for help"
        ]
        assert len(helps) == 1, f"{name}: {len(helps)} × Ask for help"
        body = [
            label
            for label in screen.findChildren(QLabel)
            if label.isVisible()
            and label.text()
            and label.objectName() in ("", "acknowledgeText", "slideText", "fieldLabel")
        ]
        for instruction in screen.findChildren(QLabel, "instruction"):
            if not instruction.isVisible():
                continue
            checked.add(name)
            assert instruction.fontInfo().bold(), name
            for other in body:
                assert instruction.fontInfo().pixelSize() >= other.fontInfo().pixelSize(), (
                    f"{name}: {instruction.text()!r} smaller than {other.text()!r}"
                )
        pad = getattr(screen, "pad", None)
        if pad is not None and pad.isVisible():
            checked.add(f"{name} pad")
            assert pad.width() >= size[0] / 3, f"{name}: the pad is {pad.width()} px wide"
            assert pad.height() >= size[1] / 6, f"{name}: the pad is {pad.height()} px high"
    assert {"consent", "ride-home", "consent pad"} <= checked


@pytest.mark.parametrize("size", [SIZES["landscape"], SIZES["tablet"]], ids=["landscape", "tablet"])
def test_at_200_percent_on_a_wide_screen_the_picture_goes_below_rather_than_squeeze_lines(
    qtbot: QtBot, database: Database, settings: Settings, size: tuple[int, int]
) -> None:
    """Beside the bundled picture, 200 % text would keep 25 to 42 characters a line: the
    text has the page's width, and the picture follows it."""
    kiosk = open_kiosk(qtbot, database, settings, size)
    enter_details(kiosk, *PATIENT)
    tap(current(kiosk), "Larger text")  # 150 %: beside still leaves lines their room
    slide = current(kiosk)
    text, picture = slide.text, slide.picture  # type: ignore[attr-defined]
    if size == SIZES["landscape"]:
        qtbot.waitUntil(lambda: box_on_window(picture).left() >= box_on_window(text).right())
    tap(slide, "Larger text")  # 200 %
    characters = text.fontMetrics().averageCharWidth()
    page = slide.scroll_area.viewport().width() - 2 * 48  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: text.width() >= min(page, 60 * characters) - characters)
    assert picture.isVisible()
    assert box_on_window(picture).top() >= box_on_window(text).bottom(), "below the text"
