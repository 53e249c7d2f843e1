"""Staff accounts: roles, slow salted password hashes, lock-out after wrong tries.

There is no default account: the first admin is made with `kiosk users add`. Passwords
are kept only as scrypt hashes and compared in constant time. Five wrong tries lock an
account for a while; the lock is stored, so a restart does not lift it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.audit import AuditAction, AuditStamp, record
from kiosk.models import StaffAccountRow

# scrypt's cost: N=2**15, r=8, p=1 takes about 0.1 s and 32 MiB here, which makes
# guessing offline slow while a sign-in still feels instant.
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
SCRYPT_KEY_BYTES = 32
SALT_BYTES = 16
MIN_PASSWORD_LENGTH = 10
MAX_USERNAME_LENGTH = 60
WRONG_TRIES_BEFORE_LOCK = 5


class Role(StrEnum):
    """What an account may do; each role can do everything the one before it can."""

    STAFF = "staff"
    CLINICIAN = "clinician"
    ADMIN = "admin"

    def allows(self, needed: Role) -> bool:
        """Whether this role may do what `needed` may."""
        order = list(Role)
        return order.index(self) >= order.index(needed)


class AccountError(Exception):
    """An account change that cannot be made; the message says why in plain words."""


@dataclass(frozen=True)
class StaffMember:
    """A signed-in person (never carries the password or its hash)."""

    id: int
    username: str
    role: Role


class SignInOutcome(StrEnum):
    """How a sign-in attempt ended."""

    SIGNED_IN = "signed_in"
    WRONG = "wrong"
    LOCKED = "locked"
    DISABLED = "disabled"


@dataclass(frozen=True)
class SignInResult:
    """The outcome, who signed in (if anyone), and until when an account is locked."""

    outcome: SignInOutcome
    member: StaffMember | None = None
    locked_until: datetime | None = None


@dataclass(frozen=True)
class AccountListing:
    """One line of `kiosk users list`."""

    username: str
    role: Role
    enabled: bool
    locked_until: datetime | None
    last_sign_in_at: datetime | None


def hash_password(password: str) -> str:
    """A self-describing scrypt hash: `scrypt$N$r$p$salt$key`, both in base64."""
    salt = secrets.token_bytes(SALT_BYTES)
    key = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    encode = base64.b64encode
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${encode(salt).decode()}${encode(key).decode()}"


def password_matches(password: str, stored: str) -> bool:
    """Whether `password` gives `stored`, compared in constant time."""
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(key)
        actual = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(actual, expected)


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    secret = unicodedata.normalize("NFC", password).encode("utf-8")
    return hashlib.scrypt(
        secret, salt=salt, n=n, r=r, p=p, dklen=SCRYPT_KEY_BYTES, maxmem=256 * n * r
    )


@cache
def _nobody_hash() -> str:
    # Checked against when the username is unknown, so a wrong name takes as long as a
    # wrong password and response times do not reveal which accounts exist.
    return hash_password(secrets.token_urlsafe(16))


def username_key(username: str) -> str:
    """The form usernames are compared in: case-folded and Unicode-normalised."""
    return unicodedata.normalize("NFC", username.strip()).casefold()


def check_new_password(password: str) -> None:
    """Refuse a password too short to protect health information."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password must be at least {MIN_PASSWORD_LENGTH} characters")


def _find(session: Session, username: str) -> StaffAccountRow | None:
    return session.scalar(
        select(StaffAccountRow).where(StaffAccountRow.username_key == username_key(username))
    )


def _existing(session: Session, username: str) -> StaffAccountRow:
    row = _find(session, username)
    if row is None:
        raise AccountError(f"there is no account named {username.strip()!r}")
    return row


# Who is changing accounts, from where and when.
AccountAction = AuditStamp


def add_account(
    session: Session, username: str, role: Role, password: str, by: AccountAction
) -> StaffMember:
    """Create an account; usernames are unique whatever their case."""
    name = username.strip()
    if not name or len(name) > MAX_USERNAME_LENGTH or any(ch.isspace() for ch in name):
        raise AccountError(f"a username is 1 to {MAX_USERNAME_LENGTH} characters with no spaces")
    if _find(session, name) is not None:
        raise AccountError(f"there is already an account named {name!r}")
    check_new_password(password)
    row = StaffAccountRow(
        username=name,
        username_key=username_key(name),
        role=role.value,
        password_hash=hash_password(password),
        enabled=True,
        failed_attempts=0,
        created_at=by.now,
    )
    session.add(row)
    session.flush()
    by.audit(session, AuditAction.ACCOUNT_ADDED, detail=f"account {name} as {role.value}")
    return StaffMember(row.id, row.username, role)


def list_accounts(session: Session) -> list[AccountListing]:
    """Every account, by username."""
    rows = session.scalars(select(StaffAccountRow).order_by(StaffAccountRow.username_key))
    return [
        AccountListing(r.username, Role(r.role), r.enabled, r.locked_until, r.last_sign_in_at)
        for r in rows
    ]


def set_enabled(session: Session, username: str, enabled: bool, by: AccountAction) -> None:
    """Disable an account (it cannot sign in) or enable it again."""
    row = _existing(session, username)
    row.enabled = enabled
    action = AuditAction.ACCOUNT_ENABLED if enabled else AuditAction.ACCOUNT_DISABLED
    by.audit(session, action, detail=f"account {row.username}")


def unlock(session: Session, username: str, by: AccountAction) -> None:
    """Lift a lock-out before it runs out."""
    row = _existing(session, username)
    row.failed_attempts = 0
    row.locked_until = None
    by.audit(session, AuditAction.ACCOUNT_UNLOCKED, detail=f"account {row.username}")


def reset_password(session: Session, username: str, password: str, by: AccountAction) -> None:
    """Set a new password (and lift any lock-out)."""
    row = _existing(session, username)
    check_new_password(password)
    row.password_hash = hash_password(password)
    row.failed_attempts = 0
    row.locked_until = None
    by.audit(session, AuditAction.PASSWORD_RESET, detail=f"account {row.username}")


def sign_in(
    session: Session,
    username: str,
    password: str,
    *,
    now: datetime,
    station: str,
    lock_minutes: int,
) -> SignInResult:
    """Check a username and password; every attempt leaves an audit entry.

    The caller commits even when the attempt fails, so wrong tries are counted.
    """
    row = _find(session, username)
    if row is None:
        password_matches(password, _nobody_hash())
        # Not the name typed: people type their password into the username box.
        record(
            session,
            "unknown",
            AuditAction.SIGN_IN_FAILED,
            station=station,
            detail="unknown username",
        )
        return SignInResult(SignInOutcome.WRONG)
    actor = f"user:{row.username}"
    if row.locked_until is not None and row.locked_until > now:
        record(
            session,
            actor,
            AuditAction.SIGN_IN_FAILED,
            station=station,
            detail="account locked",
        )
        return SignInResult(SignInOutcome.LOCKED, locked_until=row.locked_until)
    if not password_matches(password, row.password_hash):
        row.failed_attempts += 1
        detail = f"wrong password ({row.failed_attempts} in a row)"
        if row.failed_attempts >= WRONG_TRIES_BEFORE_LOCK:
            row.locked_until = now + timedelta(minutes=lock_minutes)
            row.failed_attempts = 0
            detail += f"; locked for {lock_minutes} minutes"
        record(session, actor, AuditAction.SIGN_IN_FAILED, station=station, detail=detail)
        if row.locked_until is not None and row.locked_until > now:
            return SignInResult(SignInOutcome.LOCKED, locked_until=row.locked_until)
        return SignInResult(SignInOutcome.WRONG)
    if not row.enabled:
        record(
            session,
            actor,
            AuditAction.SIGN_IN_FAILED,
            station=station,
            detail="account disabled",
        )
        return SignInResult(SignInOutcome.DISABLED)
    row.failed_attempts = 0
    row.locked_until = None
    row.last_sign_in_at = now
    record(session, actor, AuditAction.SIGN_IN, station=station)
    return SignInResult(SignInOutcome.SIGNED_IN, StaffMember(row.id, row.username, Role(row.role)))
