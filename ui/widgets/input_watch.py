"""The application's one watch on input: taps, touches and keys, wherever they land.

Several parts of a window must hear input on any of its widgets: the kiosk's idle timeout
and double-tap guard, whether the patient uses keys or a finger, lock-down's corner hold
and refused keys, a desk's sign-in timeout. Qt's way is an application-wide event filter,
but a filter written in Python is called for every event of every widget, and a screen
change lays out and paints some 400 of them: three such filters cost the Start tap about
3 ms, a fifth of a frame. So the application has one filter, which lets everything but
the kinds of event someone listens for through at once, and hands those to the listeners.

Listeners are held weakly (a closed window is not kept alive by listening) and are asked
newest first, as Qt asks its own filters; one that says True stops the event there.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject

from kiosk.overriding import override

Heard = Callable[[QObject, QEvent], bool]


class _Listener:
    def __init__(self, kinds: frozenset[QEvent.Type], heard: Heard) -> None:
        self.kinds = kinds
        # A bound method held weakly: the listener's owner may be closed and collected.
        self._heard = weakref.WeakMethod(heard)

    def heard(self) -> Heard | None:
        method = self._heard()
        if method is None or not shiboken6.isValid(getattr(method, "__self__", None)):
            return None
        return method


class InputWatch(QObject):
    """The one application-wide event filter (see the module's notes)."""

    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)
        self._listeners: list[_Listener] = []
        self._kinds: frozenset[QEvent.Type] = frozenset()
        app.installEventFilter(self)

    def listen(self, kinds: Iterable[QEvent.Type], heard: Heard) -> _Listener:
        """Hand events of these kinds to `heard` (a method of a QObject) from now on."""
        listener = _Listener(frozenset(kinds), heard)
        self._listeners.insert(0, listener)
        self._kinds_changed()
        return listener

    def stop(self, listener: _Listener) -> None:
        """Hand nothing more to this listener."""
        if listener in self._listeners:
            self._listeners.remove(listener)
            self._kinds_changed()

    def _kinds_changed(self) -> None:
        self._kinds = frozenset().union(*(listener.kinds for listener in self._listeners))

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Input to the listeners that asked for it; every other event straight on."""
        kind = event.type()
        if kind not in self._kinds:
            return False
        for listener in list(self._listeners):
            if kind not in listener.kinds:
                continue
            heard = listener.heard()
            if heard is None:
                self.stop(listener)
            elif heard(watched, event):
                return True
        return False


def input_watch() -> InputWatch | None:
    """The application's input watch, made the first time it is asked for (None before
    there is an application)."""
    app = QCoreApplication.instance()
    if app is None:
        return None
    # Kept here rather than looked up among the application's children: that look-up
    # made PySide build the Python enums of QStyle and more, before Welcome's first frame.
    made = _made.get("watch")
    if made is None or not shiboken6.isValid(made) or made.parent() is not app:
        made = _made["watch"] = InputWatch(app)
    return made


_made: dict[str, InputWatch] = {}


class Listening:
    """One listener's place in the application's input watch, to stop it with."""

    def __init__(self, kinds: Iterable[QEvent.Type], heard: Heard) -> None:
        watch = input_watch()
        self._watch = weakref.ref(watch) if watch is not None else None
        self._listener = watch.listen(kinds, heard) if watch is not None else None

    def stop(self) -> None:
        """Hear nothing more (again harmless)."""
        watch = self._watch() if self._watch is not None else None
        if watch is not None and self._listener is not None and shiboken6.isValid(watch):
            watch.stop(self._listener)
        self._listener = None
