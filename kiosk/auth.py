"""Staff accounts: roles, slow salted password hashes, lock-out after wrong tries.

There is no default account: the first admin is made with `kiosk users add`. Passwords
are kept only as scrypt hashes and compared in constant time, and a new one must be long
and hard to guess (zxcvbn). Five wrong tries lock an account for a while; the count and
the lock are kept in the database, so a restart does not lift them and tries made at
once from several stations are all counted. Whatever refuses a sign-in (unknown name,
wrong password, lock, disabled account), the person at the screen is told the same;
only the audit trail says which.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Row, bindparam, case, or_, select, text, update
from sqlalchemy.orm import Session

from kiosk.actor import (
    ROLE_MATRIX,
    Actor,
    Permission,
    Role,
    StaffMember,
    roles_allow,
    roles_from_text,
    roles_in_order,
    roles_text,
)
from kiosk.audit import AuditAction, record
from kiosk.content_versions import newest_content
from kiosk.kiosk_access import through_owner
from kiosk.models import StaffAccountRow, table_of

# scrypt's cost: N=2**15, r=8, p=1 takes about 0.1 s and 32 MiB here, which makes
# guessing offline slow while a sign-in still feels instant.
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
SCRYPT_KEY_BYTES = 32
SALT_BYTES = 16
MIN_PASSWORD_LENGTH = 10
# The sign-in field takes this many characters: a longer password could never be typed.
MAX_PASSWORD_LENGTH = 200
# zxcvbn's scale: 3 is "safely unguessable" against an online attacker and slows an
# offline one (with the scrypt cost above) to years; 2 falls to a stolen database.
MIN_PASSWORD_SCORE = 3
MAX_USERNAME_LENGTH = 60
WRONG_TRIES_BEFORE_LOCK = 5

# ASCII only: names that look alike ("Admin", "Ａｄｍｉｎ", "admın") cannot be told apart in
# the audit trail, so only one of them may exist.
USERNAME_RULE = re.compile(rf"[A-Za-z0-9._-]{{1,{MAX_USERNAME_LENGTH}}}")
USERNAME_RULE_WORDS = (
    f"a username is 1 to {MAX_USERNAME_LENGTH} characters: the letters A to Z (either case), "
    "digits, dots, underscores and hyphens, with no spaces or other letters"
)

# The one answer to every refused sign-in. The dialog shows these words (through its
# translation); which of the reasons it was goes only into the audit trail.
SIGN_IN_REFUSED = "That username and password did not work. Ask an admin if you keep being refused."

# Words an attacker of this clinic's system would try first, beside its name.
_CLINIC_WORDS = (
    "kiosk",
    "clinic",
    "ketamine",
    "infusion",
    "waiting",
    "room",
    "front",
    "desk",
    "staff",
    "clinician",
    "admin",
    "password",
)


class AccountError(Exception):
    """An account change that cannot be made; the message says why in plain words."""


class SignInOutcome(StrEnum):
    """How a sign-in attempt ended: in, or refused (why is only in the audit trail)."""

    SIGNED_IN = "signed_in"
    REFUSED = "refused"
    # The right password, for an account whose roles may not do what it was asked for
    # (a staff account at the content editor): not a sign-in, and audited as refused.
    NOT_ALLOWED = "not_allowed"


@dataclass(frozen=True)
class SignInResult:
    """The outcome and who signed in, if anyone.

    A refusal carries no reason and no lock time on purpose: what a screen cannot know,
    it cannot let slip to someone guessing names and passwords.
    """

    outcome: SignInOutcome
    member: StaffMember | None = None


@dataclass(frozen=True)
class AccountListing:
    """One line of `kiosk users list`."""

    username: str
    roles: frozenset[Role]
    enabled: bool
    locked_until: datetime | None
    last_sign_in_at: datetime | None
    # False for an account made before the username rule, with a name outside it.
    name_follows_rule: bool = True


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


# Checked against when the username is unknown, so a wrong name costs the same scrypt
# work as a wrong password and response times do not reveal which accounts exist. Fixed
# here rather than made on first use: making it would have made the first unknown name
# after a start twice as slow as a known one. Random bytes, no one's password.
_NOBODY_HASH = (
    f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}$R/LxaAdNelH//qxiUZhcHA=="
    "$DR+J6FYdIbdJk9Y/NYm5jE29sfcMInCIpcP6+jhvpLk="
)


def username_key(username: str) -> str:
    """The form usernames are compared in: case-folded and Unicode-normalised.

    For names that follow the rule this is plain lower case; names made before the rule
    keep the key they were made with, so they still sign in.
    """
    return unicodedata.normalize("NFC", username.strip()).casefold()


def follows_username_rule(username: str) -> bool:
    """Whether a name is 1 to 60 of the letters A to Z, digits, `.`, `_` and `-`."""
    return USERNAME_RULE.fullmatch(username) is not None


def check_new_username(username: str) -> str:
    """The name a new account is made with (spaces around it dropped), or why not."""
    name = username.strip()
    if not follows_username_rule(name):
        raise AccountError(USERNAME_RULE_WORDS)
    return name


# zxcvbn keeps the words it is given in a module-wide dictionary between two calls.
_STRENGTH_CHECK = threading.Lock()


def _strength(password: str, words: list[str]) -> tuple[int, list[str]]:
    """zxcvbn's score (0 to 4) and its advice: what makes the password guessable."""
    # Here, not at the top: its word lists load only when a password is set.
    from zxcvbn import zxcvbn

    with _STRENGTH_CHECK:
        result = zxcvbn(password, user_inputs=words, max_length=len(password))
    feedback = result["feedback"]
    advice = [feedback["warning"], *feedback["suggestions"]]
    if any(match.get("dictionary_name") == "user_inputs" for match in result["sequence"]):
        # zxcvbn finds these words but has no words of its own for them.
        advice.insert(0, "It contains the username, the clinic's name or a word like 'kiosk'.")
    return result["score"], advice


def _words_of(texts: Iterable[str]) -> list[str]:
    # Whole and word by word: "Riverside Clinic" is guessed as "riverside2024" too.
    words: list[str] = []
    for words_of_text in texts:
        words += [words_of_text, *re.split(r"[\W_]+", words_of_text)]
    return [word for word in words if word]


def check_new_password(password: str, *, user_inputs: Iterable[str] = ()) -> None:
    """Refuse a password too short, too long, or too easy to guess, saying why.

    `user_inputs` are words an attacker would try first for this account: its username
    and the clinic's name; the clinic's usual words are always added.
    """
    text = unicodedata.normalize("NFC", password)
    if len(text) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password must be at least {MIN_PASSWORD_LENGTH} characters")
    if len(text) > MAX_PASSWORD_LENGTH:
        raise AccountError(
            f"the password must be at most {MAX_PASSWORD_LENGTH} characters "
            "(the sign-in box takes no more)"
        )
    score, advice = _strength(text, _words_of([*user_inputs, *_CLINIC_WORDS]))
    if score >= MIN_PASSWORD_SCORE:
        return
    if not any(advice):
        advice = ["Use three or four words nobody would connect with you or this clinic."]
    raise AccountError(
        "that password is too easy to guess. " + " ".join(line for line in advice if line)
    )


def _clinic_name(session: Session) -> str | None:
    content = newest_content(session)
    if content is None:
        return None
    name = json.loads(content.canonical.decode("utf-8")).get("clinic_name")
    return name if isinstance(name, str) else None


def _guessable_words(session: Session, username: str) -> list[str]:
    return [username, *filter(None, [_clinic_name(session)])]


def _find(session: Session, username: str) -> StaffAccountRow | None:
    return session.scalar(
        select(StaffAccountRow).where(StaffAccountRow.username_key == username_key(username))
    )


def _existing(session: Session, username: str) -> StaffAccountRow:
    row = _find(session, username)
    if row is None:
        raise AccountError(f"there is no account named {username.strip()!r}")
    return row


def check_roles(roles: Iterable[Role]) -> frozenset[Role]:
    """The roles an account is given: at least one."""
    if isinstance(roles, str):
        # One Role is a string, and iterating it gives letters: take it as that one role.
        roles = [Role(roles)]
    chosen = frozenset(roles)
    if not chosen <= set(Role):
        raise AccountError("the roles are staff, clinician and admin")
    if not chosen:
        raise AccountError("an account needs at least one role: staff, clinician or admin")
    return chosen


def add_account(
    session: Session, username: str, roles: Iterable[Role], password: str, by: Actor
) -> StaffMember:
    """Create an account holding `roles`; usernames are unique whatever their case."""
    held = check_roles(roles)
    name = check_new_username(username)
    if _find(session, name) is not None:
        raise AccountError(f"there is already an account named {name!r}")
    check_new_password(password, user_inputs=_guessable_words(session, name))
    row = StaffAccountRow(
        username=name,
        username_key=username_key(name),
        roles=roles_text(held),
        password_hash=hash_password(password),
        enabled=True,
        failed_attempts=0,
        created_at=by.now,
    )
    session.add(row)
    session.flush()
    by.audit(session, AuditAction.ACCOUNT_ADDED, detail=f"account {name} as {roles_text(held)}")
    return StaffMember(row.id, row.username, held)


def set_roles(session: Session, username: str, roles: Iterable[Role], by: Actor) -> StaffMember:
    """Give an account exactly `roles` (taking away any it held besides)."""
    held = check_roles(roles)
    row = _existing(session, username)
    before = row.roles
    row.roles = roles_text(held)
    by.audit(
        session,
        AuditAction.ACCOUNT_ROLES_CHANGED,
        detail=f"account {row.username}: {before} -> {row.roles}",
    )
    return StaffMember(row.id, row.username, held)


def list_accounts(session: Session) -> list[AccountListing]:
    """Every account, by username."""
    rows = session.scalars(select(StaffAccountRow).order_by(StaffAccountRow.username_key))
    return [
        AccountListing(
            r.username,
            roles_from_text(r.roles),
            r.enabled,
            r.locked_until,
            r.last_sign_in_at,
            follows_username_rule(r.username),
        )
        for r in rows
    ]


def set_enabled(session: Session, username: str, enabled: bool, by: Actor) -> None:
    """Disable an account (it cannot sign in) or enable it again."""
    row = _existing(session, username)
    row.enabled = enabled
    action = AuditAction.ACCOUNT_ENABLED if enabled else AuditAction.ACCOUNT_DISABLED
    by.audit(session, action, detail=f"account {row.username}")


def unlock(session: Session, username: str, by: Actor) -> None:
    """Lift a lock-out before it runs out."""
    row = _existing(session, username)
    row.failed_attempts = 0
    row.locked_until = None
    by.audit(session, AuditAction.ACCOUNT_UNLOCKED, detail=f"account {row.username}")


def reset_password(session: Session, username: str, password: str, by: Actor) -> None:
    """Set a new password (and lift any lock-out)."""
    row = _existing(session, username)
    check_new_password(password, user_inputs=_guessable_words(session, row.username))
    row.password_hash = hash_password(password)
    row.failed_attempts = 0
    row.locked_until = None
    by.audit(session, AuditAction.PASSWORD_RESET, detail=f"account {row.username}")


_ACCOUNTS = table_of(StaffAccountRow)


def _naive_utc(moment: datetime) -> datetime:
    """A moment as the database's time columns hold it (see `kiosk.models.UTCDateTime`)."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def _not_locked(now: datetime) -> ColumnElement[bool]:
    return or_(_ACCOUNTS.c.locked_until.is_(None), _ACCOUNTS.c.locked_until <= now)


def _change_account(
    session: Session,
    account_id: int,
    *,
    only_if: list[ColumnElement[bool]],
    values: dict[str, Any],
    returning: list[ColumnElement[Any]],
) -> Row[Any] | None:
    """Change one account in one UPDATE; the `returning` columns, or None if it did not.

    With RETURNING where the database has it (SQLite 3.35+, PostgreSQL); elsewhere the
    row is read back in the same transaction, where the UPDATE's row lock keeps it exact.
    """
    connection = session.connection()
    statement = update(_ACCOUNTS).where(_ACCOUNTS.c.id == account_id, *only_if).values(values)
    if connection.dialect.update_returning:
        return connection.execute(statement.returning(*returning)).first()
    if connection.execute(statement).rowcount == 0:  # pragma: no cover - no such database yet
        return None
    return connection.execute(  # pragma: no cover
        select(*returning).where(_ACCOUNTS.c.id == account_id)
    ).first()


def _count_wrong_try(
    session: Session, account_id: int, *, now: datetime, lock_minutes: int
) -> Row[Any] | None:
    """Add one wrong try and decide the lock, in one statement.

    Counted and decided by the database, not read and written back: tries made at the
    same moment from several stations are all counted. Tries against a locked account
    are not counted (the account is refused anyway); None says it was locked.
    """
    if through_owner(session):
        # No station's role may change an account on a server: the owner's function
        # counts the try, by the same rule.
        return session.execute(
            text(
                "SELECT failed_attempts, locked_until FROM staff_count_wrong_sign_in("
                ":account, :now, :until, :tries)"
            ),
            {
                "account": account_id,
                "now": _naive_utc(now),
                "until": _naive_utc(now + timedelta(minutes=lock_minutes)),
                "tries": WRONG_TRIES_BEFORE_LOCK,
            },
        ).first()
    reaches_lock = _ACCOUNTS.c.failed_attempts + 1 >= WRONG_TRIES_BEFORE_LOCK
    until = bindparam(
        "until", now + timedelta(minutes=lock_minutes), type_=_ACCOUNTS.c.locked_until.type
    )
    return _change_account(
        session,
        account_id,
        only_if=[_not_locked(now)],
        values={
            # A lock starts the count again, so the tries after it runs out are five more.
            "failed_attempts": case((reaches_lock, 0), else_=_ACCOUNTS.c.failed_attempts + 1),
            "locked_until": case((reaches_lock, until), else_=None),
        },
        returning=[_ACCOUNTS.c.failed_attempts, _ACCOUNTS.c.locked_until],
    )


def _let_in(session: Session, account_id: int, *, now: datetime) -> bool:
    """Record a sign-in, unless the account was locked or disabled meanwhile."""
    if through_owner(session):
        return bool(
            session.execute(
                text("SELECT staff_let_sign_in(:account, :now)"),
                {"account": account_id, "now": _naive_utc(now)},
            ).scalar()
        )
    return (
        _change_account(
            session,
            account_id,
            only_if=[_not_locked(now), _ACCOUNTS.c.enabled.is_(True)],
            values={"failed_attempts": 0, "locked_until": None, "last_sign_in_at": now},
            returning=[_ACCOUNTS.c.id],
        )
        is not None
    )


def sign_in(
    session: Session,
    username: str,
    password: str,
    *,
    now: datetime,
    station: str,
    lock_minutes: int,
    needed: Permission = Permission.FRONT_DESK,
) -> SignInResult:
    """Check a username and password for `needed` work (the desk, the editor, closing the
    kiosk); every attempt leaves an audit entry.

    Every refusal looks the same from outside: the same outcome, and the same scrypt
    work whether the name is unknown, the account locked or disabled, or the password
    wrong. The audit entry says which. The caller commits even when the attempt fails,
    so wrong tries are counted.
    """
    account = (
        session.connection()
        .execute(
            select(
                _ACCOUNTS.c.id, _ACCOUNTS.c.username, _ACCOUNTS.c.roles, _ACCOUNTS.c.password_hash
            ).where(_ACCOUNTS.c.username_key == username_key(username))
        )
        .first()
    )
    right = password_matches(password, account.password_hash if account else _NOBODY_HASH)
    refused = SignInResult(SignInOutcome.REFUSED)

    def refuse(actor: str, detail: str) -> SignInResult:
        record(session, actor, AuditAction.SIGN_IN_FAILED, station=station, detail=detail)
        return refused

    if account is None:
        # Not the name typed: people type their password into the username box.
        return refuse("unknown", "unknown username")
    actor = Actor.staff_named(account.username, station=station, now=now).audit_name
    if not right:
        counted = _count_wrong_try(session, account.id, now=now, lock_minutes=lock_minutes)
        if counted is None:
            why = "account locked"
        elif counted.locked_until is not None:
            why = (
                f"wrong password ({WRONG_TRIES_BEFORE_LOCK} in a row); "
                f"locked for {lock_minutes} minutes"
            )
        else:
            why = f"wrong password ({counted.failed_attempts} in a row)"
        return refuse(actor, why)
    if not _let_in(session, account.id, now=now):
        # Why not, read again under the transaction: for the audit only.
        enabled, locked_until = (
            session.connection()
            .execute(
                select(_ACCOUNTS.c.enabled, _ACCOUNTS.c.locked_until).where(
                    _ACCOUNTS.c.id == account.id
                )
            )
            .one()
        )
        locked = locked_until is not None and locked_until > now
        return refuse(actor, "account locked" if locked or enabled else "account disabled")
    roles = roles_from_text(account.roles)
    if not roles_allow(roles, needed):
        record(
            session,
            actor,
            AuditAction.SIGN_IN_FAILED,
            station=station,
            detail=f"holding {roles_text(roles) or 'no role'}, may not sign in here "
            f"({needed.value} needs {' or '.join(roles_in_order(ROLE_MATRIX[needed]))})",
        )
        return SignInResult(SignInOutcome.NOT_ALLOWED)
    record(session, actor, AuditAction.SIGN_IN, station=station)
    return SignInResult(SignInOutcome.SIGNED_IN, StaffMember(account.id, account.username, roles))
