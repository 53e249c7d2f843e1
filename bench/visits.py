"""Finished visits for the benchmarks, walked through the domain by `kiosk.visit_walk`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kiosk.content import Answer, ContentPack
from kiosk.visit import Visit
from kiosk.visit_walk import ManualClock, walk_visit


def finished_visit(pack: ContentPack, n: int, *, flagged: bool = False) -> Visit:
    """Patient number `n`'s completed visit (a minute after patient `n - 1`'s)."""
    clock = ManualClock(datetime(2026, 11, 27, 15, tzinfo=UTC) + timedelta(minutes=n))
    answers = {pack.questions[0].id: Answer.NOT_SURE} if flagged else None
    visit = walk_visit(pack, clock, first=f"Ana{n}", answers=answers)
    assert visit.should_be_stored
    # The signature's PNG is encoded when first asked for (on the kiosk, as the visit is
    # stored, off the screen's thread): here, before any timing, so that a save measures
    # the database's work on both sides, as it always has.
    assert visit.consent is not None
    _ = visit.consent.png
    return visit
