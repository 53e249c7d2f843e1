"""The risk path on a server: the kiosk's role stores the alert and the visit so far only
through the owner's function, reads back only its own alert's state, and the desk's role
opens, acknowledges and closes it (issue 28, item 4). Skips without a test server."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kiosk.actor import Actor, Role, StaffMember
from kiosk.alerts import AlertKind, Alerts
from kiosk.risk import PartialVisit, RiskState
from kiosk.settings import Settings
from kiosk.station import Station
from kiosk.visit_walk import ManualClock, walk_visit
from tests.integration import test_station_roles as roles
from tests.integration.test_station_roles import REFUSED, Clinic

pytestmark = pytest.mark.parametrize("database_engine", ["postgresql"])
# The clinic's database as `kiosk db init` makes it, and its stations (the roles' tests').
clinic = roles.clinic
open_station = roles.open_station


def test_a_risk_alert_goes_through_the_kiosk_role_and_is_closed_at_the_desk(
    clinic: Clinic, open_station: Callable[[str], tuple[Station, Settings]]
) -> None:
    kiosk, kiosk_settings = open_station("kiosk")
    clock = ManualClock()
    pack = kiosk.check_in(kiosk_settings, clock=clock).content()
    assert pack is not None
    visit = walk_visit(pack, clock, first="Ana", last="García", ride=None)
    by = Actor.kiosk(station="kiosk-1", now=clock())
    alerts = Alerts(kiosk.database)
    partial = PartialVisit.of(visit)
    alert_id = alerts.raise_risk(partial, by)
    # Raised again (a held one, a replay): the same alert, nothing stored twice.
    assert alerts.raise_risk(partial, by) == alert_id
    assert clinic.owner_reads("SELECT count(*) FROM partial_visits") == [(1,)]
    assert clinic.owner_reads(f"SELECT kind, visit_id FROM alerts WHERE id = {alert_id}") == [
        ("risk_answer", visit.id)
    ]
    assert clinic.owner_reads(
        f"SELECT actor, action FROM audit_entries WHERE visit_id = '{visit.id}'"
    ) == [("kiosk:kiosk-1", "alert_raised")]
    assert alerts.risk_state(alert_id, station="kiosk-1") == RiskState(False, False, False)
    # Another kiosk's reads as gone.
    assert alerts.risk_state(alert_id, station="kiosk-2").cleared
    # The kiosk's role cannot read the patient back, nor raise one by hand as staff.
    clinic.refuses("kiosk", "SELECT first_name FROM partial_visits")
    clinic.refuses("kiosk", "INSERT INTO partial_visits (visit_id) VALUES ('forged')")
    clinic.refuses(
        "kiosk",
        'SELECT kiosk_raise_risk_alert(\'{"station": "k", "actor": "system", '
        '"partial": {"visit_id": "x"}}\'::jsonb)',
        REFUSED,
    )

    desk, _ = open_station("desk")
    desk_alerts = Alerts(desk.database)
    [alert] = desk_alerts.board(Actor.system(station="desk-1", now=clock())).alerts
    assert (alert.kind, alert.visit_id) == (AlertKind.RISK_ANSWER, visit.id)
    nurse = StaffMember(1, "maria", frozenset({Role.STAFF}))
    doctor = StaffMember(2, "okafor", frozenset({Role.CLINICIAN}))
    opened = desk_alerts.open_risk(alert_id, Actor.staff(nurse, station="desk-1", now=clock()))
    assert (opened.partial.first_name, opened.partial.last_name) == ("Ana", "García")
    desk_alerts.acknowledge(
        alert_id, "Maria is with her", Actor.staff(nurse, station="desk-1", now=clock())
    )
    assert alerts.risk_state(alert_id, station="kiosk-1") == RiskState(True, True, False)
    desk_alerts.clear(
        alert_id, Actor.staff(doctor, station="desk-1", now=clock()), "Seen; safety plan made"
    )
    assert alerts.risk_state(alert_id, station="kiosk-1").cleared
