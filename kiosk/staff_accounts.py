"""Staff accounts as the command line and the sign-in dialog use them: one transaction each.

The rules (usernames, passwords, lock-out) are `kiosk.auth`'s; each operation here opens
its transaction, calls it, and leaves its audit entry in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from kiosk import auth
from kiosk.actor import Actor, Permission, Role, StaffMember
from kiosk.audit import AuditAction
from kiosk.database import Database
from kiosk.unit_of_work import unit_of_work


class StaffAccounts:
    """The clinic's staff accounts in one database."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def add(self, username: str, roles: Iterable[Role], password: str, by: Actor) -> StaffMember:
        """A new account holding `roles`; the password must be long and hard to guess."""
        with unit_of_work(self.database) as session:
            return auth.add_account(session, username, roles, password, by)

    def set_roles(self, username: str, roles: Iterable[Role], by: Actor) -> StaffMember:
        """Give an account exactly these roles (audited, with what it held before)."""
        with unit_of_work(self.database) as session:
            return auth.set_roles(session, username, roles, by)

    def listing(self, by: Actor) -> list[auth.AccountListing]:
        """Every account, by username (the listing is audited)."""
        with unit_of_work(self.database) as session:
            by.audit(session, AuditAction.ACCOUNTS_LISTED)
            return auth.list_accounts(session)

    def set_enabled(self, username: str, enabled: bool, by: Actor) -> None:
        """Disable an account (it cannot sign in) or enable it again."""
        with unit_of_work(self.database) as session:
            auth.set_enabled(session, username, enabled, by)

    def unlock(self, username: str, by: Actor) -> None:
        """Lift a lock-out before it runs out."""
        with unit_of_work(self.database) as session:
            auth.unlock(session, username, by)

    def reset_password(self, username: str, password: str, by: Actor) -> None:
        """Set a new password (and lift any lock-out)."""
        with unit_of_work(self.database) as session:
            auth.reset_password(session, username, password, by)

    def sign_out(self, by: Actor, reason: str) -> None:
        """A signed-in member's session ended ("idle", "signed out", "window closed")."""
        with unit_of_work(self.database) as session:
            by.audit(session, AuditAction.SIGN_OUT, detail=reason)

    def sign_in(
        self,
        username: str,
        password: str,
        *,
        now: datetime,
        station: str,
        lock_minutes: int,
        needed: Permission = Permission.FRONT_DESK,
    ) -> auth.SignInResult:
        """One sign-in attempt for `needed` work, committed even when refused (so wrong
        tries count)."""
        with unit_of_work(self.database) as session:
            return auth.sign_in(
                session,
                username,
                password,
                now=now,
                station=station,
                lock_minutes=lock_minutes,
                needed=needed,
            )
