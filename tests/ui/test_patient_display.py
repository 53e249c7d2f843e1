"""Larger text and high contrast, one tap away on every screen, measured as rendered."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget
from pytestqt.qtbot import QtBot

from kiosk.database import Database
from kiosk.settings import Settings
from kiosk.station import Station
from kiosk.visit import KioskTiming
from kiosk.visit_walk import answer_teach_back
from tests.ui.shown_text import in_view, wholly_in_view
from tests.ui.test_screen_sizes import SIZES, layout_problems
from ui.kiosk_window import KioskWindow
from ui.patient_display import PatientDisplay
from ui.screen_tour import tour
from ui.visit_walk import current, tap
from ui.widgets.notice_overlay import NoticeOverlay


def open_kiosk(
    qtbot: QtBot, database: Database, settings: Settings, size: tuple[int, int] = (1080, 1920)
) -> KioskWindow:
    window = KioskWindow(
        Station(database, "t"),
        settings,
        timing=KioskTiming(double_tap_guard_seconds=0, timeout_seconds=60),
    )
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    return window


def font_px(widget: QWidget) -> int:
    widget.ensurePolished()
    return widget.fontInfo().pixelSize()


def test_a_plus_makes_text_150_then_200_percent_and_the_next_patient_starts_normal(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    kiosk = open_kiosk(qtbot, database, settings)
    welcome_text = kiosk.welcome.explanation
    assert font_px(welcome_text) == 30
    tap(current(kiosk), "Larger text")
    assert font_px(welcome_text) == 45
    tap(current(kiosk), "Start")
    title = current(kiosk).title  # type: ignore[attr-defined]
    assert font_px(title) == 60  # 40 px titles at 150 %
    assert kiosk.idle_timer.interval() == 120_000, "larger text: more time to read"
    tap(current(kiosk), "Larger text")
    assert font_px(title) == 80
    tap(current(kiosk), "Larger text")
    assert font_px(title) == 40
    tap(current(kiosk), "Larger text")
    tap(current(kiosk), "Back")  # the patient leaves; the next one gets the default
    assert kiosk.visit is None
    assert font_px(welcome_text) == 30
    assert kiosk.display == PatientDisplay()


@pytest.mark.parametrize("language", ["", "es"], ids=["english", "spanish"])
@pytest.mark.parametrize("text_size", [1.5, 2.0])
@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_every_screen_reflows_without_clipping_at_larger_text(
    qtbot: QtBot,
    database: Database,
    settings: Settings,
    size: tuple[int, int],
    text_size: float,
    language: str,
) -> None:
    kiosk = open_kiosk(qtbot, database, settings, size)
    kiosk.show_display(PatientDisplay(text_size=text_size))
    found = {}
    for name, screen in tour(kiosk, language):
        # Each visit's screens are new: the tour's Start reset the choice; choose again.
        if kiosk.display.text_size != text_size:
            kiosk.show_display(PatientDisplay(text_size=text_size))
        problems = layout_problems(screen)
        if (kiosk.width(), kiosk.height()) != size:
            problems.append(f"the window grew to {kiosk.width()}×{kiosk.height()}")
        if problems:
            found[name] = problems
    assert found == {}


def _luminance(color: QColor) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(color.red())
        + 0.7152 * channel(color.green())
        + 0.0722 * channel(color.blue())
    )


def contrast(first: QColor, second: QColor) -> float:
    """WCAG's contrast ratio of two colours."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def rendered_contrast(window: QImage, box: QRect) -> float:
    """Text against its background as drawn on the window: the commonest colour in the
    widget's box is the background, the colour furthest from it the ink (anti-aliased
    edges lie in between)."""
    image = window.copy(box)
    counts: Counter[int] = Counter(
        image.pixel(x, y) for x in range(0, image.width(), 2) for y in range(0, image.height(), 2)
    )
    background = QColor.fromRgb(counts.most_common(1)[0][0])
    return max(contrast(background, QColor.fromRgb(pixel)) for pixel in counts)


@pytest.mark.parametrize("high_contrast", [False, True], ids=["kiosk theme", "high contrast"])
def test_text_meets_wcag_aa_contrast_on_every_screen_in_both_themes(
    qtbot: QtBot, database: Database, settings: Settings, high_contrast: bool
) -> None:
    kiosk = open_kiosk(qtbot, database, settings)
    display = PatientDisplay(high_contrast=high_contrast)
    low = []
    for name, _screen in tour(kiosk):
        if kiosk.display != display:
            kiosk.show_display(display)
        drawn = kiosk.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
        # Under a notice (help, "are you still there?") the screen is dimmed on purpose;
        # what the patient reads then is the notice.
        notices = [n for n in kiosk.findChildren(NoticeOverlay) if n.isVisible()]
        top = notices[0] if notices else kiosk
        for widget in top.findChildren(QLabel) + top.findChildren(QAbstractButton):
            if not widget.isVisible() or not widget.text().strip() or not widget.isEnabled():
                continue
            box = in_view(widget, kiosk)
            if not wholly_in_view(widget, kiosk):
                continue  # scrolled out of view, or partly: its visible part may hold no text
            ratio = rendered_contrast(drawn, box)
            if ratio < 4.5:
                low.append(f"{name}: {widget.text()[:30]!r} {ratio:.1f}:1")
    assert low == []


def test_high_contrast_is_one_tap_away_and_is_really_dark(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    kiosk = open_kiosk(qtbot, database, settings)
    tap(current(kiosk), "Start")
    tap(current(kiosk), "High contrast")
    qtbot.wait(10)  # one turn of the event loop: Qt repaints with the new style
    middle = kiosk.grab().toImage().pixelColor(kiosk.width() // 2, kiosk.height() // 3)
    assert middle.lightness() < 20, f"the screen turns black, not {middle.name()}"
    tap(current(kiosk), "High contrast")
    qtbot.wait(10)
    middle = kiosk.grab().toImage().pixelColor(kiosk.width() // 2, kiosk.height() // 3)
    assert middle.lightness() > 200, middle.name()


def test_the_answer_given_has_a_tick_not_only_a_colour(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    kiosk = open_kiosk(qtbot, database, settings)
    tap(current(kiosk), "Start")
    visit = kiosk.visit
    assert visit is not None
    visit.enter_details("Ana", "Lee", "04/15/1968")
    while visit.step.value == "slides":
        visit.next_slide()
    answer_teach_back(visit)
    kiosk._show_step()
    tap(current(kiosk), "Not sure")  # flags: the question stays with a calm note
    shown = {b.accessibleName(): b.text() for b in current(kiosk).answer_buttons.values()}  # type: ignore[attr-defined]
    assert shown == {"Yes": "Yes", "No": "No", "Not sure": "✓ Not sure"}


def boundary_contrast(window: QImage, box: QRect) -> float:
    """How well a control stands out from what is around it, as drawn (WCAG 1.4.11): the
    better of its border and its fill against the colour just outside it."""
    centre = box.center()
    inside_outside = [
        # (border pixel, fill pixel, pixel just outside), at the middle of each side.
        (
            QPoint(box.left() + 1, centre.y()),
            QPoint(box.left() + 6, centre.y()),
            QPoint(box.left() - 3, centre.y()),
        ),
        (
            QPoint(box.right() - 1, centre.y()),
            QPoint(box.right() - 6, centre.y()),
            QPoint(box.right() + 3, centre.y()),
        ),
        (
            QPoint(centre.x(), box.top() + 1),
            QPoint(centre.x(), box.top() + 6),
            QPoint(centre.x(), box.top() - 3),
        ),
        (
            QPoint(centre.x(), box.bottom() - 1),
            QPoint(centre.x(), box.bottom() - 6),
            QPoint(centre.x(), box.bottom() + 3),
        ),
    ]
    best = 0.0
    for border, fill, outside in inside_outside:
        if not window.rect().contains(outside):
            continue
        around = window.pixelColor(outside)
        best = max(
            best,
            contrast(window.pixelColor(border), around),
            contrast(window.pixelColor(fill), around),
        )
    return best


@pytest.mark.parametrize("high_contrast", [False, True], ids=["kiosk theme", "high contrast"])
def test_controls_stand_out_3_to_1_from_their_surroundings_in_both_themes(
    qtbot: QtBot, database: Database, settings: Settings, high_contrast: bool
) -> None:
    from PySide6.QtWidgets import QLineEdit

    from ui.widgets.signature_pad import SignaturePad

    kiosk = open_kiosk(qtbot, database, settings)
    display = PatientDisplay(high_contrast=high_contrast)
    faint = []
    for name, _screen in tour(kiosk):
        if kiosk.display != display:
            kiosk.show_display(display)
        drawn = kiosk.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
        notices = [n for n in kiosk.findChildren(NoticeOverlay) if n.isVisible()]
        top = notices[0] if notices else kiosk
        controls = (
            top.findChildren(QAbstractButton)
            + top.findChildren(QLineEdit)
            + top.findChildren(SignaturePad)
        )
        for widget in controls:
            # WCAG leaves out controls that cannot be used (disabled).
            if not widget.isVisible() or not widget.isEnabled():
                continue
            box = QRect(widget.mapTo(kiosk, QPoint(0, 0)), widget.size())
            if not wholly_in_view(widget, kiosk):
                continue  # partly scrolled out of view
            ratio = boundary_contrast(drawn, box)
            if ratio < 3:
                label = widget.accessibleName() or widget.objectName()
                faint.append(f"{name}: {type(widget).__name__} {label[:30]!r} {ratio:.1f}:1")
    assert faint == []


def test_larger_text_chosen_on_welcome_puts_labels_above_the_fields(
    qtbot: QtBot, database: Database, settings: Settings
) -> None:
    from PySide6.QtWidgets import QLineEdit

    kiosk = open_kiosk(qtbot, database, settings)
    tap(current(kiosk), "Larger text")
    tap(current(kiosk), "Start")
    qtbot.wait(10)
    screen = current(kiosk)
    field = screen.findChild(QLineEdit, "first_nameField")
    assert field is not None
    caption = next(
        label for label in screen.findChildren(QLabel, "fieldLabel") if label.text() == "First name"
    )
    below_caption = caption.mapTo(screen, QPoint(0, caption.height())).y()
    assert field.mapTo(screen, QPoint(0, 0)).y() >= below_caption, "the label is beside"
    assert field.width() > screen.width() * 0.8, "the field has the whole width"
