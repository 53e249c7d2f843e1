"""This computer's way into the clinic's records: its name and the use cases it may run.

Every window reaches the clinic's records through a `Station`: opened from the settings
as `kiosk run|desk|admin` do, it hands out the check-in service and the use cases (front
desk, content editing, staff accounts, upkeep), each of which opens its own transaction
and writes its own audit entry. The windows pass the station on and never touch the
database behind it; the import contracts in pyproject.toml keep it so. On several
computers a station's kind of access is its database role, named in the settings'
`database_url` that `kiosk db init` wrote for it (`kiosk.server_roles`): the server
enforces it, and what a kiosk writes goes through the owner's functions there
(`kiosk.kiosk_access`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from kiosk.actor import Actor
from kiosk.alerts import Alerts
from kiosk.check_in import CheckIn, Errands
from kiosk.content import ContentPack
from kiosk.content_editing import ContentEditing, open_preview_database
from kiosk.database import (
    Database,
    DatabaseNotReadyError,
    DatabaseUnavailableError,
    open_database,
)
from kiosk.front_desk import FrontDesk
from kiosk.held_visits import read_only_view
from kiosk.kiosk_access import may_purge
from kiosk.live_updates import Change, LiveUpdates, ServerState
from kiosk.retention import Purge, purge_older_than
from kiosk.settings import Settings, data_dir
from kiosk.staff_accounts import StaffAccounts
from kiosk.unit_of_work import StorageUnavailableError, reading
from kiosk.visit import Clock, KioskTiming, utc_now
from kiosk.welcome_card import welcome_card_file

# What a window catches: the database cannot be opened, or a use case could not reach it.
__all__ = [
    "DatabaseNotReadyError",
    "DatabaseUnavailableError",
    "Station",
    "StorageUnavailableError",
]


class Station:
    """One computer (kiosk, desk, editor or the editor's preview) and its database."""

    def __init__(self, database: Database, name: str) -> None:
        """`name` is how the audit trail and the desk name this computer."""
        self.database = database
        self.name = name

    @classmethod
    def open(cls, settings: Settings, *, name: str) -> Station:
        """The station for `settings.database_url`; DatabaseUnavailableError says why not."""
        return cls(open_database(settings.database_url, station=name), name)

    @classmethod
    def read_only_view(cls, settings: Settings, *, name: str) -> Station | None:
        """For a kiosk whose database cannot be written at all (its file or folder is
        read-only): a view that shows the content while finished visits wait on this
        machine, or None where there is nothing to read either."""
        view = read_only_view(settings.database_url)
        return None if view is None else cls(view, name)

    @classmethod
    def preview(cls, folder: Path, pack: ContentPack, *, now: datetime) -> Station:
        """The editor's preview: a throwaway database in `folder` with `pack` in use."""
        return cls(open_preview_database(folder, pack, now=now), "preview")

    def check_in(
        self,
        settings: Settings,
        *,
        clock: Clock = utc_now,
        timing: KioskTiming | None = None,
        errands: Errands | None = None,
    ) -> CheckIn:
        """The kiosk's check-ins at this station; `errands` runs what waits on storage.

        Welcome's card (`kiosk.welcome_card`) is this station's, in the user's data folder.
        """
        return CheckIn(
            self.database,
            settings,
            station=self.name,
            clock=clock,
            timing=timing,
            errands=errands,
            welcome_card=welcome_card_file(data_dir(), self.name),
        )

    def front_desk(self, settings: Settings) -> FrontDesk:
        """The front desk's operations, in the clinic's time zone and paper size."""
        return FrontDesk(self.database, zone=settings.zone, paper_size=settings.paper_size)

    def live_updates(
        self,
        *,
        on_change: Callable[[Change], None],
        on_state: Callable[[ServerState], None],
    ) -> LiveUpdates | None:
        """Word of every change from any computer, at once (not yet started); None where
        the database cannot tell (SQLite on one computer: the desk keeps asking)."""
        if self.database.engine.dialect.name != "postgresql":
            return None
        return LiveUpdates(self.database.engine, on_change=on_change, on_state=on_state)

    def alerts(self) -> Alerts:
        """Alerts for the front desk, and the kiosks' heartbeats."""
        return Alerts(self.database)

    def content_editing(self) -> ContentEditing:
        """The admins' operations on the clinic's content."""
        return ContentEditing(self.database)

    def staff_accounts(self) -> StaffAccounts:
        """Sign-in, sign-out and the staff accounts."""
        return StaffAccounts(self.database)

    def purges_here(self) -> bool:
        """Whether this station may purge old visits: on a server a kiosk's role may not
        (a desk or a scheduled `kiosk purge` does). StorageUnavailableError if it cannot
        be told now."""
        with reading(self.database) as session:
            return may_purge(session)

    def purge_older_than(self, days: int, by: Actor, *, wait_ms: int | None = None) -> Purge:
        """Remove visits older than `days` and wipe them (see `kiosk.retention`)."""
        return purge_older_than(self.database, days, by, wait_ms=wait_ms)

    def close(self) -> None:
        """Let go of the database's connections."""
        self.database.close()
