"""The next visit's screens, built while Welcome waits, so Start shows the details at once.

Building a visit's seven screens takes a third of a second; done on the Start tap, the
patient saw nothing happen and tapped again. So the window asks for them whenever Welcome
is shown with check-in open (`kiosk.check_in.CheckIn.next_visit` says what Start would
begin): after a visit has ended and its screens have been destroyed, when the content
in use, the language, the text size or the contrast changed, or when the voice became
available. They are built one screen per turn of the event loop, so a tap on Welcome
never waits for more than one screen. They are new widgets, made after the last
patient's were destroyed: nothing of anyone is in them.

While an assistive technology listens (a screen reader, a switch), the building waits a
few seconds longer. Each new label and key tells the accessibility bus its name, about a
thousand events for a set, and Qt offers Python no way to keep still the widgets nobody
sees yet. A screen reader goes through every one of them in order: a patient who had
just chosen Español heard the welcome's words in Spanish only 4–6 s later. Built after
the pause, the screens' events come once the screen reader has said what changed;
Start still gets its screens at once (`take` finishes them).
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Hashable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, QTimer, Signal
from PySide6.QtGui import QAccessible, QPixmap, QRegion

from kiosk.free_memory import give_back_free_memory
from ui.patient_display import PatientDisplay
from ui.visit_screens import VisitScreens

if TYPE_CHECKING:
    from kiosk.check_in import NextVisit

# How long after Welcome is shown the next visit's screens begin to be built.
_AFTER_WELCOME_MS = 150
# The same while an assistive technology listens: long enough for a screen reader to have
# said Welcome's change (a language, larger text) before the new screens' names flood in.
_AFTER_WELCOME_WITH_ASSISTIVE_TECHNOLOGY_MS = 3000


def _pause_before_building() -> int:
    """How long the building waits once Welcome is shown (see the module's notes)."""
    if QAccessible.isActive():
        return _AFTER_WELCOME_WITH_ASSISTIVE_TECHNOLOGY_MS
    return _AFTER_WELCOME_MS


def screens_for(visit: NextVisit, display: PatientDisplay, voice: bool) -> Hashable:
    """Everything a visit's screens are built for (`voice`: whether a voice can read its
    language): any change means new screens."""
    content = visit.content.version
    return (content, visit.language, visit.typed_signature, display, voice)


class NextVisitScreens(QObject):
    """The screens built ahead for the next visit, for one description of it (`key`).

    Signals:
        ready: the screens ahead are built (tests and the benchmark wait on it).
    """

    ready = Signal()

    def __init__(
        self, parent: QObject, building: Callable[[], Generator[None, None, VisitScreens]]
    ) -> None:
        """`building` makes a set step by step (`VisitScreens.building`)."""
        super().__init__(parent)
        self._building_of = building
        self._key: Hashable = None
        self._building: Generator[None, None, VisitScreens] | None = None
        self._screens: VisitScreens | None = None
        # Start is waiting for the set being built: draw no more than the layout needs.
        self._hurried = False
        self._step = QTimer(self)
        self._step.setSingleShot(True)
        self._step.timeout.connect(self._build_one)

    @property
    def is_ready(self) -> bool:
        """Whether a set is built and waiting for Start."""
        return self._screens is not None

    @property
    def screens(self) -> VisitScreens | None:
        """The set waiting for Start, if any (for the privacy tests)."""
        return self._screens

    def prepare(self, key: Hashable, fitted: Callable[[VisitScreens], None]) -> None:
        """Have screens ready for a visit described by `key`; what was built for another
        description is destroyed first. `fitted` fits the finished set to the window (into
        its stack, its taps to the check-in service, the visit's language and display)."""
        if key == self._key and (self._screens is not None or self._building is not None):
            return
        self.discard()
        self._key = key
        self._hurried = False
        self._building = self._whole(fitted)
        # After what is on screen now has been painted and the last visit's screens
        # deleted: a patient who just finished sees Welcome at once.
        self._step.start(_pause_before_building())

    def take(self, key: Hashable) -> VisitScreens | None:
        """The set for `key`, now (finished at once if it was still being built), or None
        when none was being made for it: Start then builds its own."""
        if key != self._key:
            self.discard()
            return None
        if self._building is not None:
            self._hurried = True
            while self._building is not None:
                self._build_one(waited_for=True)
        screens, self._screens, self._key = self._screens, None, None
        return screens

    def discard(self) -> None:
        """Destroy whatever was built ahead (a set no visit will use)."""
        self._step.stop()
        if self._building is not None:
            self._building.close()
            self._building = None
        if self._screens is not None:
            self._screens.destroy()
            self._screens = None
        self._key = None

    def _build_one(self, *, waited_for: bool = False) -> None:
        """One step of the building; `waited_for`: Start is waiting for the set."""
        building = self._building
        if building is None:
            return
        try:
            next(building)
        except StopIteration as built:
            self._building = None
            self._screens = built.value
            # The last visit's screens are deleted and the next one's made: what they
            # freed goes back to the system while Welcome waits (kiosk.free_memory),
            # never while a patient's Start waits (it takes tens of milliseconds).
            if not waited_for:
                give_back_free_memory()
            self.ready.emit()
            return
        self._step.start(0)

    def _whole(self, fitted: Callable[[VisitScreens], None]) -> Generator[None, None, VisitScreens]:
        """Made, fitted to the window, then each screen laid out and drawn once off the
        screen at its stack's size, one step at a time: its first show is then a repaint,
        not a first layout of hundreds of widgets (the details screen's keyboard alone
        has three pages of keys). Closed early, the screens made so far are destroyed."""
        screens = yield from self._building_of()
        fitted(screens)
        try:
            for screen in screens.all():
                stack = screen.parentWidget()
                if stack is not None:
                    screen.setGeometry(stack.rect())
                    if self._hurried:
                        # One pixel drawn: Qt lays the whole screen out first.
                        screen.render(QPixmap(1, 1), QPoint(), QRegion(0, 0, 1, 1))
                    else:
                        # Drawn whole while Welcome waits: every widget's style sheet
                        # rules are worked out, and a slide's picture drawn once, before
                        # the screen's first show. The picture of the screen is dropped
                        # at once (its memory goes back once the set is built).
                        screen.grab()
                yield
        except GeneratorExit:
            screens.destroy()
            raise
        return screens
