"""Every screen at the kiosk's three sizes: no clipped text, no tap target under 60 px."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from kiosk.database import Database
from kiosk.settings import Settings
from kiosk.station import Station
from tests.ui.shown_text import wholly_in_view
from ui.kiosk_window import KioskWindow
from ui.screen_tour import tour

SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080), "tablet": (1280, 800)}
MIN_TARGET = 60
MIN_TEXT_PX = 24


def _visible(widget: QWidget) -> bool:
    return widget.isVisible() and widget.width() > 0


def layout_problems(screen: QWidget) -> list[str]:
    """What a person would notice: small targets and text that does not fit its widget."""
    problems = []
    for button in screen.findChildren(QAbstractButton):
        if not _visible(button):
            continue
        name = button.text() or button.accessibleName() or button.objectName()
        if button.width() < MIN_TARGET or button.height() < MIN_TARGET:
            problems.append(f"button {name!r} is {button.width()}×{button.height()} px")
        text = button.text()
        if text and button.fontMetrics().horizontalAdvance(text) > button.contentsRect().width():
            problems.append(f"button {name!r} cuts its label")
    for label in screen.findChildren(QLabel):
        if not _visible(label) or not label.text() or (label.pixmap() and not label.text()):
            continue
        size = label.fontInfo().pixelSize()
        if size < MIN_TEXT_PX:
            problems.append(f"label {label.text()[:40]!r} is set in {size} px type")
        room = label.contentsRect()
        if label.wordWrap():
            needed = label.heightForWidth(label.width())
            if needed > label.height() + 1:
                problems.append(
                    f"label {label.text()[:40]!r} needs {needed} px, has {label.height()}"
                )
        elif label.fontMetrics().horizontalAdvance(label.text()) > room.width():
            problems.append(f"label {label.text()[:40]!r} is cut off at the side")
    for field in screen.findChildren(QLineEdit):
        if _visible(field) and field.height() < MIN_TARGET:
            problems.append(f"field {field.accessibleName()!r} is only {field.height()} px tall")
    return problems


@pytest.mark.parametrize("language", ["", "es"], ids=["english", "spanish"])
@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_every_screen_fits_at_every_size(
    qtbot: QtBot, database: Database, settings: Settings, size: tuple[int, int], language: str
) -> None:
    window = KioskWindow(Station(database, "t"), settings)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    found = {}
    for name, screen in tour(window, language):
        problems = layout_problems(screen)
        if (window.width(), window.height()) != size:
            # A screen whose least size is bigger than the kiosk's would be cut off there.
            problems.append(f"the window grew to {window.width()}×{window.height()}")
        if problems:
            found[name] = problems
    report = "\n".join(f"{name}: {problem}" for name, ps in found.items() for problem in ps)
    assert not found, report


def test_the_size_check_catches_a_clipped_label_and_a_small_button(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QCheckBox, QVBoxLayout

    screen = QWidget()
    qtbot.addWidget(screen)
    layout = QVBoxLayout(screen)
    label = QLabel("A sentence far too long to fit in the tiny width it has been given here")
    label.setFixedWidth(80)
    tiny = QCheckBox("OK")  # the kiosk's style sheet makes every push button big enough
    tiny.setFixedSize(40, 40)
    layout.addWidget(label)
    layout.addWidget(tiny)
    screen.show()
    qtbot.waitExposed(screen)
    problems = layout_problems(screen)
    assert any("cut off" in p for p in problems), problems
    assert any("'OK' is 40×40" in p for p in problems), problems


def _gap(a: QRect, b: QRect) -> int:
    """Pixels between two rectangles (0 when they touch or overlap)."""
    across = max(b.left() - a.right() - 1, a.left() - b.right() - 1, 0)
    down = max(b.top() - a.bottom() - 1, a.top() - b.bottom() - 1, 0)
    return max(across, down)


def targets_too_close(window: QWidget) -> list[str]:
    """Visible targets less than 60×60 or less than 12 px from another (shaky hands)."""
    targets = [
        (widget, QRect(widget.mapTo(window, QPoint(0, 0)), widget.size()))
        for widget in window.findChildren(QAbstractButton) + window.findChildren(QLineEdit)
        # Partly scrolled away, a target is tapped once scrolled into view.
        if widget.isVisible() and wholly_in_view(widget, window)
    ]
    found = [
        f"{widget.objectName() or widget.accessibleName()!r} is {box.width()}×{box.height()}"
        for widget, box in targets
        if box.width() < 60 or box.height() < 60
    ]
    for n, (first, first_box) in enumerate(targets):
        for second, second_box in targets[n + 1 :]:
            if _gap(first_box, second_box) < 12:
                found.append(
                    f"{first.objectName() or first.accessibleName()!r} and "
                    f"{second.objectName() or second.accessibleName()!r} are "
                    f"{_gap(first_box, second_box)} px apart"
                )
    return found


@pytest.mark.parametrize("language", ["", "es"], ids=["english", "spanish"])
def test_targets_are_at_least_60_px_and_12_px_apart_in_portrait(
    qtbot: QtBot, database: Database, settings: Settings, language: str
) -> None:
    window = KioskWindow(Station(database, "t"), settings)
    qtbot.addWidget(window)
    window.resize(1080, 1920)
    window.show()
    found = {name: targets_too_close(window) for name, _ in tour(window, language)}
    assert {name: problems for name, problems in found.items() if problems} == {}


@pytest.mark.parametrize("language", ["", "es"], ids=["english", "spanish"])
@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_signing_by_typing_fits_at_every_size(
    qtbot: QtBot, database: Database, settings: Settings, size: tuple[int, int], language: str
) -> None:
    typed = dataclasses.replace(settings, typed_signature=True)
    window = KioskWindow(Station(database, "t"), typed)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    found = {}
    seen = []
    for name, screen in tour(window, language):
        if not name.startswith("consent"):
            continue
        seen.append(name)
        problems = layout_problems(screen)
        if size == SIZES["portrait"]:
            problems += targets_too_close(window)
        if (window.width(), window.height()) != size:
            problems.append(f"the window grew to {window.width()}×{window.height()}")
        if problems:
            found[name] = problems
    assert "consent-typed" in seen
    assert found == {}
