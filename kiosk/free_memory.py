"""Memory the kiosk has freed, given back to the operating system (Linux).

The C library keeps memory a program frees for the program's own later use, in pieces
that later allocations split up. A kiosk makes and deletes a visit's screens all day:
over 1,000 visits its resident memory grew by about 20 MB that way (bench/README.md,
issue 26), none of it in use, where a periodic `malloc_trim` kept it flat. Elsewhere (Windows,
macOS, a C library without `malloc_trim`) this does nothing.
"""

from __future__ import annotations

import gc
import sys
from functools import cache
from typing import Any


@cache
def _trim() -> Any:
    """glibc's `malloc_trim`, or None where there is none."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        # The program's own symbols, the C library's among them (no search for its file).
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return None


def give_back_free_memory() -> bool:
    """Return freed memory to the operating system; whether there was a way to.

    It collects Python's garbage and walks the C library's free lists (tens of
    milliseconds): call it when nobody waits, such as while Welcome shows between two
    patients."""
    trim = _trim()
    if trim is None:
        return False
    # First what only Python's cycle collector frees: the screens' wrappers and their
    # signal closures hold each other.
    gc.collect()
    trim(0)
    return True
