"""Connecting a screen's signal to a method of a long-lived object without a leak.

PySide6 keeps a weak reference (and a small object of its own) for every connection made
to a bound method of a plain Python object, so that it can drop the connection when the
object goes; when the sender goes first, both stay for good. A visit's screens are made
and deleted every visit, with some forty such connections: 1,000 visits left 40,000 of
them. A function calling the method is connected instead (PySide keeps nothing for it;
the connection, and the function with it, goes with the sender).
"""

from __future__ import annotations

from collections.abc import Callable


def calling(method: Callable[..., object]) -> Callable[..., None]:
    """A function that calls `method` with whatever the signal carries."""

    def call(*arguments: object) -> None:
        method(*arguments)

    return call
