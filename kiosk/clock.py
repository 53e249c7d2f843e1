"""What time it is: the kiosk's clock, which tests and the idle policy replace.

A module of its own so that the kiosk's first frame (which keeps the clock it is given)
need not load the visit's module.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime

Clock = Callable[[], "datetime"]


def utc_now() -> datetime:
    """The current time in UTC."""
    # Imported when first asked, after Welcome's first frame (about 2 ms of a cold start).
    from datetime import UTC, datetime

    return datetime.now(UTC)
