"""What time it is: the kiosk's clock, which tests and the idle policy replace.

A module of its own so that the kiosk's first frame (which keeps the clock it is given)
need not load the visit's module.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current time in UTC."""
    return datetime.now(UTC)
