"""Clinic IT's upkeep: recording backups and adding demo visits (a restore: `kiosk.backup`).

Each operation opens its transaction and leaves its audit entry in it; the command
line opens none of its own.
"""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from kiosk.actor import Actor
from kiosk.audit import AuditAction
from kiosk.content_versions import content_in_use
from kiosk.database import Database
from kiosk.unit_of_work import unit_of_work


class Upkeep:
    """Backups, restores and demo data on one database."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def backed_up(self, target: Path, by: Actor) -> None:
        """A backup was written to `target`."""
        with unit_of_work(self.database) as session:
            by.audit(session, AuditAction.BACKUP_MADE, detail=f"to {target}")

    def add_demo_visits(
        self, count: int, *, content_dir: Path | None, zone: ZoneInfo, force: bool, by: Actor
    ) -> int:
        """Add clearly marked synthetic visits (refused beside real ones unless forced)."""
        from kiosk.demo import add_demo_visits, with_measures_on
        from kiosk.publishing import publish
        from kiosk.stored_visits import count_visits

        with unit_of_work(self.database) as session:
            row, pack = content_in_use(session, content_dir, by.now)
            if (
                content_dir is None
                and not any(m.turned_on for m in pack.measures)
                and not count_visits(session, demo=False)
            ):
                # A demo database's content asks the PHQ-9 and GAD-7 at every visit, so
                # the desk and the summaries show trends (never beside real visits: a
                # clinic's content is its own to publish).
                published = publish(
                    session, with_measures_on(pack), label="demo content (measures on)", by=by
                )
                row, pack = content_in_use(session, None, by.now)
                assert row.sha256 == published.version
            added = add_demo_visits(
                session, pack, row.id, count, now=by.now, zone=zone, force=force
            )
            by.audit(session, AuditAction.DEMO_VISITS_ADDED, detail=f"{added} demo visits")
            return added
