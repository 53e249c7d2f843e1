"""Who acts: a member of staff, the command line, a kiosk, or the program itself.

Every operation that leaves an audit entry is told who acts by one `Actor`. The audit
trail names them `user:<username>`, `cli:<operating-system user>`, `kiosk:<station>` or
`system`; only this module builds those names.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy.orm import Session

from kiosk.audit import AuditAction, record


class Role(StrEnum):
    """What an account may do; each role can do everything the one before it can."""

    STAFF = "staff"
    CLINICIAN = "clinician"
    ADMIN = "admin"

    def allows(self, needed: Role) -> bool:
        """Whether this role may do what `needed` may."""
        order = list(Role)
        return order.index(self) >= order.index(needed)


@dataclass(frozen=True)
class StaffMember:
    """A signed-in person (never carries the password or its hash)."""

    id: int
    username: str
    role: Role


class ActorKind(StrEnum):
    """How the audit trail knows who acted."""

    STAFF = "user"
    # The command line trusts the operating-system account that runs it.
    COMMAND_LINE = "cli"
    KIOSK = "kiosk"
    # The program on its own (protections put back at start, a daily purge).
    SYSTEM = "system"


def _operating_system_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        # No user name in the environment and none in the passwd file for this user id
        # (containers, kiosk images): the id still tells clinic IT who it was. Python
        # 3.11 and 3.12 raise KeyError here, later versions OSError.
        uid = getattr(os, "getuid", None)
        return f"uid-{uid()}" if uid is not None else "unknown"


@dataclass(frozen=True)
class Actor:
    """Who acts, from which station, and when.

    `now` is the station's clock, for what the action itself changes (a review's time);
    the audit entry's own time comes from the database.
    """

    kind: ActorKind
    name: str
    station: str
    now: datetime
    # The account, for a member of staff signed in at a desk or the editor.
    member: StaffMember | None = None

    @classmethod
    def staff(cls, member: StaffMember, *, station: str, now: datetime) -> Actor:
        """A signed-in member of staff."""
        return cls(ActorKind.STAFF, member.username, station, now, member)

    @classmethod
    def staff_named(cls, username: str, *, station: str, now: datetime) -> Actor:
        """A member of staff known only by name (a patient checked in beside them)."""
        return cls(ActorKind.STAFF, username, station, now)

    @classmethod
    def command_line(cls, *, station: str, now: datetime) -> Actor:
        """Whoever runs `kiosk` on this computer."""
        return cls(ActorKind.COMMAND_LINE, _operating_system_user(), station, now)

    @classmethod
    def kiosk(cls, *, station: str, now: datetime) -> Actor:
        """A kiosk, for what patients do there."""
        return cls(ActorKind.KIOSK, station, station, now)

    @classmethod
    def system(cls, *, station: str, now: datetime) -> Actor:
        """The program itself."""
        return cls(ActorKind.SYSTEM, "", station, now)

    @property
    def audit_name(self) -> str:
        """How the audit trail names this actor."""
        if self.kind is ActorKind.SYSTEM:
            return ActorKind.SYSTEM.value
        return f"{self.kind.value}:{self.name}"

    @property
    def username(self) -> str:
        """The member of staff's username ("" for anyone else)."""
        return self.name if self.kind is ActorKind.STAFF else ""

    def may(self, needed: Role) -> bool:
        """Whether this actor may do what `needed` may (the command line may do all)."""
        if self.kind is ActorKind.COMMAND_LINE:
            return True
        return self.member is not None and self.member.role.allows(needed)

    def audit(
        self,
        session: Session,
        action: AuditAction,
        visit_id: str | None = None,
        *,
        detail: str = "",
    ) -> None:
        """Leave this action's audit entry (written with the caller's transaction)."""
        record(
            session, self.audit_name, action, station=self.station, visit_id=visit_id, detail=detail
        )


def staff_audit_name(username: str) -> str:
    """How the audit trail names a member of staff (to find their entries)."""
    return f"{ActorKind.STAFF.value}:{username}"


def kiosk_or_staff_audit_name(station: str, assisted_by: str | None) -> str:
    """Who stored a patient's visit: the kiosk, or the staff member who checked them in."""
    if assisted_by:
        return staff_audit_name(assisted_by)
    return f"{ActorKind.KIOSK.value}:{station}"


def shown_name(audit_name: str) -> str:
    """An audit name as staff read it: a username without its `user:`."""
    return audit_name.removeprefix(f"{ActorKind.STAFF.value}:")
