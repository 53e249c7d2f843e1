"""One public way to build each window from the settings, as `kiosk run|desk|admin` do.

For outside scripts (a patient robot, a staff script, a screenshot tool): each opens the
database named in the settings through a `Station` and builds the window on it, without
the sign-in dialog (the caller says who is signed in). The window is not shown.
"""

from __future__ import annotations

from kiosk.actor import StaffMember
from kiosk.settings import Settings, station_name
from kiosk.station import Station
from kiosk.visit import KioskTiming
from ui.admin.admin_window import AdminWindow
from ui.desk.desk_window import DeskWindow
from ui.kiosk_window import KioskWindow


def kiosk_window(
    settings: Settings, *, station: str | None = None, timing: KioskTiming | None = None
) -> KioskWindow:
    """The patient kiosk on the settings' database (DatabaseUnavailableError if none)."""
    return KioskWindow(
        Station.open(settings, name=station or station_name()), settings, timing=timing
    )


def desk_window(
    settings: Settings, member: StaffMember, *, station: str | None = None
) -> DeskWindow:
    """The front desk for `member`, signed in, on the settings' database."""
    return DeskWindow(Station.open(settings, name=station or station_name()), settings, member)


def editor_window(
    settings: Settings, member: StaffMember, *, station: str | None = None
) -> AdminWindow:
    """The content editor for `member` (an admin), on the settings' database."""
    return AdminWindow(Station.open(settings, name=station or station_name()), settings, member)
