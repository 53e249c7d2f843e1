"""`override`, the decorator that says a method replaces its base class's, for Python 3.11
too, without importing `typing_extensions` while the program runs: that module defines
hundreds of names and took 7–14 ms of the kiosk's cold start, before Welcome's first
frame (bench/README.md). Type checkers see `typing_extensions.override`."""

from __future__ import annotations

import sys
from contextlib import suppress
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING or sys.version_info >= (3, 12):
    from typing_extensions import override
else:
    _Method = TypeVar("_Method")

    def override(method: _Method) -> _Method:
        """Marks `method` as `typing_extensions.override` does, for introspection."""
        # A method that takes no attributes keeps none: the mark is only a courtesy.
        with suppress(AttributeError, TypeError):
            method.__override__ = True  # type: ignore[attr-defined]
        return method


__all__ = ["override"]
