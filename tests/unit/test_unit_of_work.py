"""A use case on a database that cannot do it now says so in plain words, and keeps nothing."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from kiosk.actor import Actor, Role, StaffMember
from kiosk.database import Database, open_database
from kiosk.front_desk import FrontDesk
from kiosk.unit_of_work import StorageUnavailableError
from kiosk.visit import RideStatus
from kiosk.visit_walk import ManualClock, walk_visit
from tests.conftest import another_writer, store_visit, url_of


def test_a_locked_database_gives_plain_words_and_no_half_change(
    database: Database, clock: ManualClock, pack: object
) -> None:
    visit = walk_visit(pack, clock, first="Ana", last="Núñez", ride=None)  # type: ignore[arg-type]
    store_visit(database, visit)
    quick = open_database(url_of(database), busy_timeout_ms=100)
    front_desk = FrontDesk(quick, zone=ZoneInfo("America/Chicago"), paper_size="Letter")
    clinician = Actor.staff(
        StaffMember(1, "ines", frozenset({Role.CLINICIAN})), station="desk", now=clock()
    )
    with another_writer(database), pytest.raises(StorageUnavailableError) as refused:
        front_desk.arrange_ride(visit.id, "Luis Núñez", "555 201 3344", clinician)
    assert str(refused.value) == "the database is busy; try again in a moment"
    assert "Núñez" not in str(refused.value)
    assert front_desk.open_visit(visit.id, clinician).ride.status is RideStatus.NONE_YET
    quick.close()
