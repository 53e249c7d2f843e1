"""Kinetic scrolling by touch for the patient screens, with one gesture for all of them.

`QScroller.grabGesture` registers a new gesture recognizer on every call, and Qt never
reuses a gesture's number: each new recognizer stays registered, and PySide keeps a new
enum member for each number. The patient screens are built afresh for every visit, so
the kiosk grew by some 30 kB a visit, 15 % over 1,000 visits (bench/memory.py). The
recognizer only makes flicks for whichever widget it sees touched, each driving that
widget's own QScroller, so one registration serves every screen.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScroller, QWidget

# Holds the one registration: a QScroller unregisters its recognizer when its widget goes.
_holders: list[QWidget] = []


@cache
def _touch_flick() -> Qt.GestureType:
    holder = QWidget()
    _holders.append(holder)
    return QScroller.grabGesture(holder, QScroller.ScrollerGestureType.TouchGesture)


def scroll_by_touch(viewport: QWidget) -> None:
    """Let a finger flick `viewport` (a scroll area's viewport) as QScroller would."""
    QScroller.scroller(viewport)
    viewport.grabGesture(_touch_flick())
    viewport.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
