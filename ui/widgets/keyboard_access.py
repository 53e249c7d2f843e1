"""The kiosk with a keyboard alone: Tab and Shift+Tab move, Space and Enter press (WCAG 2.1).

Touch stays the kiosk's first way in. Buttons, the on-screen keyboard's keys included,
take focus by Tab only (`TabFocus`), so a tap never moves the cursor out of the field
being typed in. Focus goes to a new screen's first control only while the patient is
using keys: a patient using a finger sees no focus outline they did not ask for, the
way browsers show `:focus-visible`.

Each screen moves focus through its own controls in the order a person reads them (its
layout's order: top bar, body, keyboard, footer), round and round, never onto a screen
that is hidden or under a notice. The on-screen keyboard's keys come right after the
field they type into, so a patient with Tab, Space and Enter alone (a switch) can type
their name on them; once the patient types a letter on a keyboard of their own, Tab
passes the keys by.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLayout,
    QLineEdit,
    QScrollArea,
    QWidget,
)

from kiosk.overriding import override
from ui.widgets.input_watch import Listening

if TYPE_CHECKING:
    from ui.widgets.on_screen_keyboard import OnScreenKeyboard

# The on-screen keyboard's module is imported where a keyboard is looked for, not here:
# Welcome (the kiosk's first frame) has none, and the module's widgets cost its start.

_ENTER_KEYS = {Qt.Key.Key_Return, Qt.Key.Key_Enter}
# What a notice over the whole screen is called (ui.widgets.notice_overlay).
NOTICE_NAME = "noticeOverlay"
_TOUCHES = {QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin}


def reading_order(root: QWidget) -> list[QWidget]:
    """Every widget under `root` that Tab may reach, in its layouts' order (shown or not)."""
    found: list[QWidget] = []
    _collect_layout(root.layout(), found)
    return found


def _collect_layout(layout: QLayout | None, found: list[QWidget]) -> None:
    if layout is None:
        return
    for index in range(layout.count()):
        item = layout.itemAt(index)
        if item is None:
            continue
        widget = item.widget()
        if widget is not None:
            _collect_widget(widget, found)
        else:
            _collect_layout(item.layout(), found)


def _collect_widget(widget: QWidget, found: list[QWidget]) -> None:
    if isinstance(widget, QScrollArea):
        # The page inside, not the scroll area itself: arrows and Page Down scroll it
        # from wherever the focus is (see PatientScreen.keyPressEvent).
        inner = widget.widget()
        if inner is not None:
            _collect_widget(inner, found)
        return
    if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.focusProxy() is None:
        found.append(widget)
        return
    from ui.widgets.on_screen_keyboard import OnScreenKeyboard

    if isinstance(widget, OnScreenKeyboard):
        # Its keys right after the field they type into (wherever that is on the page).
        keys: list[QWidget] = []
        _collect_layout(widget.layout(), keys)
        field = widget.follows_in_tab_order()
        place = found.index(field) + 1 if field in found else len(found)
        found[place:place] = keys
        return
    _collect_layout(widget.layout(), found)


def can_take_focus(widget: QWidget) -> bool:
    """Whether Tab may stop at `widget` now: on screen and usable."""
    return shiboken6.isValid(widget) and widget.isVisible() and widget.isEnabled()


def first_control(root: QWidget) -> QWidget | None:
    """The first control under `root` that can take focus now."""
    return next((w for w in reading_order(root) if can_take_focus(w)), None)


def give_focus(widget: QWidget, reason: Qt.FocusReason = Qt.FocusReason.OtherFocusReason) -> None:
    """Focus `widget` and scroll it into view if it sits on a scrolling page."""
    widget.setFocus(reason)
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    if parent is not None:
        parent.ensureWidgetVisible(widget, 0, 16)


def place_focus(
    screen: QWidget,
    first: Callable[[], QWidget | None],
    *,
    using_keys: bool,
    heading: QWidget | None = None,
) -> None:
    """Where the keyboard's focus goes as a screen (or its next page) shows.

    A patient using keys lands on the screen's first control (`first`: the next
    statement, the field to fix, Continue after a calm note), so the top bar is not tabbed
    through on every page; it is one Shift+Tab away. A patient using a finger keeps the
    cursor in the field they type in, and otherwise the screen's title (`heading`) holds
    the focus: a screen reader says where the patient is now, no button shows a focus
    outline nobody asked for, nothing hidden keeps the focus, and a first Tab starts from
    the top of this screen.
    """
    if using_keys:
        target = first()
        if target is not None:
            give_focus(target)
            return
    else:
        focused = screen.window().focusWidget()
        if (
            isinstance(focused, QLineEdit)
            and screen.isAncestorOf(focused)
            and can_take_focus(focused)
        ):
            return
    # Visible to the screen, not yet on screen itself: Welcome is placed before the window
    # first shows, and its title then gets the focus as the window does.
    if heading is not None and heading.isEnabled() and heading.isVisibleTo(screen):
        announce(heading)
        return
    screen.setFocus(Qt.FocusReason.OtherFocusReason)


def leave(old: QWidget | None, new: QWidget) -> None:
    """Before `new` replaces `old` on screen: the focus in `old` is let go, or Qt would pass
    it on to the new screen's first button, which a screen reader would say before the
    new screen's title (see `place_focus`)."""
    focused = QApplication.focusWidget()
    if old is not None and old is not new and focused is not None and old.isAncestorOf(focused):
        focused.clearFocus()


def announce(heading: QWidget) -> None:
    """Focus `heading` (a title a Tab does not stop at), also when it has the focus already:
    the next slide's title is the same widget, and a screen reader hears only a change."""
    if heading.hasFocus():
        heading.clearFocus()
    heading.setFocus(Qt.FocusReason.OtherFocusReason)


def move_focus(root: QWidget, *, forward: bool) -> bool:
    """Tab (or Shift+Tab) among `root`'s controls; False when it has none to offer."""
    order = reading_order(root)
    if not any(can_take_focus(w) for w in order):
        return False
    current = root.window().focusWidget()
    if current in order:
        start = order.index(current)
        step = 1 if forward else -1
        candidates = [order[(start + step * n) % len(order)] for n in range(1, len(order) + 1)]
    else:
        # From nowhere in particular (the screen itself has focus): the first or last.
        candidates = order if forward else order[::-1]
    target = next(w for w in candidates if can_take_focus(w))
    give_focus(
        target, Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason
    )
    return True


def _keyboard_of(widget: QWidget) -> OnScreenKeyboard | None:
    """The on-screen keyboard `widget` is a key of, if it is one."""
    from ui.widgets.on_screen_keyboard import OnScreenKeyboard

    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, OnScreenKeyboard):
        parent = parent.parentWidget()
    return parent


class KeyboardUse(QObject):
    """Watches how the patient uses `window`: keys or a finger; Enter presses a button.

    Qt presses a focused push button with Space, but with Enter only when it is a
    dialog's "auto default" button; the kiosk has no dialogs, so Enter is handled here,
    for every button, without changing how any button looks. Enter in a text field goes
    on to the next field, or from the last one presses the page's button to go on
    (ui.widgets.keyboard_form).

    While a notice covers the screen, keys stay inside it.
    """

    def __init__(self, window: QWidget, *, after_painting: QWidget | None = None) -> None:
        """Watches from now on, or with `after_painting` from once that widget has been
        painted (the kiosk's first frame: Welcome)."""
        # The window is only this object's parent, never kept in a Python attribute: a
        # reference cycle would keep a closed kiosk window alive until the garbage
        # collector happened to run.
        super().__init__(window)
        # Whether the patient's last input was a key rather than a tap.
        self.in_use = False
        self._input: Listening | None = None
        self._stopped = False
        if after_painting is None:
            self.start()
        else:
            # An application's filter hears every event of every object, and the first
            # frame's own (Qt's window behind the kiosk's) were new to PySide, which loaded
            # every class of Qt to name them: 8 ms before Welcome could be painted. No key
            # is meant for a screen nobody has seen yet.
            _AfterPaint(after_painting, self, self.start)

    @property
    def watching(self) -> bool:
        """Whether keys and taps are watched now."""
        return self._input is not None and not self._stopped

    def start(self) -> None:
        """Watch from now on (once only; never again after `stop`)."""
        if self._input is None and not self._stopped:
            self._input = Listening(_TOUCHES | {QEvent.Type.KeyPress}, self._heard)

    def stop(self) -> None:
        """Stop watching (the window closed)."""
        self._stopped = True
        if self._input is not None:
            self._input.stop()

    def _window(self) -> QWidget | None:
        window = self.parent()
        return window if isinstance(window, QWidget) else None

    def _inside(self, watched: QObject) -> bool:
        window = self._window()
        return (
            window is not None
            and isinstance(watched, QWidget)
            and (watched is window or window.isAncestorOf(watched))
        )

    def _letters_typed(self) -> None:
        """The patient has letter keys of their own: Tab need not stop on the screen's."""
        window = self._window()
        if window is not None:
            from ui.widgets.on_screen_keyboard import OnScreenKeyboard

            for keyboard in window.findChildren(OnScreenKeyboard):
                keyboard.set_reachable_by_tab(False)

    def notice_on_show(self) -> QWidget | None:
        """The notice covering the window now, if any."""
        window = self._window()
        if window is None:
            return None
        shown = [n for n in window.findChildren(QWidget, NOTICE_NAME) if n.isVisible()]
        return shown[0] if shown else None

    def _heard(self, watched: QObject, event: QEvent) -> bool:
        """Note keys and taps; Enter presses the focused button; a notice keeps the keys."""
        kind = event.type()
        if kind in _TOUCHES and self._inside(watched):
            self.in_use = False
        elif (
            kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and self._inside(watched)
        ):
            self.in_use = True
            assert isinstance(watched, QWidget)
            typed = event.text().strip()
            own_letters = bool(typed and typed.isprintable())
            if isinstance(watched, QLineEdit) and own_letters:
                self._letters_typed()
            keyboard = _keyboard_of(watched)
            if keyboard is not None and (own_letters or event.key() == Qt.Key.Key_Backspace):
                # Typed on a real keyboard while Tab had put the focus on a screen key:
                # the letter belongs in the field, and the screen's keys leave Tab's way.
                field = keyboard.target()
                if field is not None:
                    self._letters_typed()
                    give_focus(field)
                    QApplication.sendEvent(field, QKeyEvent(event))
                    return True
            notice = self.notice_on_show()
            if notice is not None and not notice.isAncestorOf(watched):
                # The notice covers the screen: the first key brings focus into it.
                target = first_control(notice)
                if target is not None:
                    give_focus(target)
                return True
            if (
                event.key() in _ENTER_KEYS
                and isinstance(watched, QAbstractButton)
                and not event.isAutoRepeat()
            ):
                if watched.isEnabled():
                    watched.click()
                return True
        return False


class _AfterPaint(QObject):
    """Calls `then` (a method of `owner`) on the turn of the event loop after `widget` is
    first painted, so that the frame is finished first."""

    def __init__(self, widget: QWidget, owner: QObject, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self._owner, self._then = owner, then
        widget.installEventFilter(self)

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The first paint: call `then` next, and stop listening."""
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            # With `owner` as the context: nothing is called once it has been deleted.
            QTimer.singleShot(0, self._owner, self._then)
        return super().eventFilter(watched, event)
