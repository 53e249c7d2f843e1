"""Who acts: a member of staff, the command line, a kiosk, or the program itself.

Every operation that leaves an audit entry is told who acts by one `Actor`. The audit
trail names them `user:<username>`, `cli:<operating-system user>`, `kiosk:<station>` or
`system`; only this module builds those names.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from kiosk.audit import AuditAction, record


class Role(StrEnum):
    """A part a person plays at the clinic; an account may hold several.

    Roles are not ranked: what each may do is `ROLE_MATRIX`'s, so an admin who edits the
    content is not, by being admin, a clinician who may clear clinical flags.
    """

    STAFF = "staff"
    CLINICIAN = "clinician"
    ADMIN = "admin"


class Permission(StrEnum):
    """Something a signed-in member of staff may do (a row of the README's role table)."""

    # Sign in at a desk; see, search, open and print visits; record a ride arranged,
    # void a check-in, check a patient in at the desk, acknowledge and clear alerts.
    FRONT_DESK = "front_desk"
    MARK_REVIEWED = "mark_reviewed"
    # A void hides a patient from the list: only a clinician takes one back.
    UNDO_VOID = "undo_void"
    # The content editor: drafts, publishing, restoring a version.
    EDIT_CONTENT = "edit_content"
    # Leave the kiosk's lock-down (clinic IT, signed in as admin, too).
    CLOSE_KIOSK = "close_kiosk"
    # Close a risk alert (a PHQ-9 answer about self-harm, `kiosk.risk`), with a note:
    # whoever acknowledged it, only a clinician says it has been dealt with.
    CLOSE_RISK_ALERT = "close_risk_alert"


# Who may do what: clinical actions need the clinician role whatever else an account holds.
ROLE_MATRIX: dict[Permission, frozenset[Role]] = {
    Permission.FRONT_DESK: frozenset({Role.STAFF, Role.CLINICIAN}),
    Permission.MARK_REVIEWED: frozenset({Role.CLINICIAN}),
    Permission.UNDO_VOID: frozenset({Role.CLINICIAN}),
    Permission.EDIT_CONTENT: frozenset({Role.ADMIN}),
    Permission.CLOSE_KIOSK: frozenset({Role.STAFF, Role.CLINICIAN, Role.ADMIN}),
    Permission.CLOSE_RISK_ALERT: frozenset({Role.CLINICIAN}),
}


def roles_allow(roles: Iterable[Role], permission: Permission) -> bool:
    """Whether an account holding `roles` may do `permission`."""
    return not ROLE_MATRIX[permission].isdisjoint(roles)


def roles_in_order(roles: Iterable[Role]) -> tuple[Role, ...]:
    """Roles in the order the README's table lists them (staff, clinician, admin)."""
    held = set(roles)
    return tuple(role for role in Role if role in held)


def roles_text(roles: Iterable[Role]) -> str:
    """Roles as stored and as `kiosk users list` shows them: "staff clinician"."""
    return " ".join(role.value for role in roles_in_order(roles))


def roles_from_text(text: str) -> frozenset[Role]:
    """The roles stored as `roles_text` wrote them (unknown words are ignored)."""
    known = {role.value for role in Role}
    return frozenset(Role(word) for word in text.replace(",", " ").split() if word in known)


@dataclass(frozen=True)
class StaffMember:
    """A signed-in person (never carries the password or its hash)."""

    id: int
    username: str
    roles: frozenset[Role]

    def __post_init__(self) -> None:
        # One Role is a string, and a frozenset of it would hold its letters.
        if isinstance(self.roles, str):
            object.__setattr__(self, "roles", frozenset({Role(self.roles)}))

    def may(self, permission: Permission) -> bool:
        """Whether this account's roles allow `permission`."""
        return roles_allow(self.roles, permission)

    @property
    def roles_shown(self) -> str:
        """The roles as staff read them: "staff, clinician"."""
        return ", ".join(role.value for role in roles_in_order(self.roles))


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

    def may(self, permission: Permission) -> bool:
        """Whether this actor may do `permission` (the command line may do all: it is
        the computer's own account, which manages the accounts themselves)."""
        if self.kind is ActorKind.COMMAND_LINE:
            return True
        return self.member is not None and self.member.may(permission)

    def audit(
        self,
        session: Session | Connection,
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
