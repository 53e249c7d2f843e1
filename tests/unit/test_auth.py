"""Staff accounts: hashing, roles, lock-out that survives a restart, and their audit."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from kiosk import auth
from kiosk.audit import entries
from kiosk.models import StaffAccountRow
from kiosk.store import Database, open_database
from tests.conftest import FakeClock

PASSWORD = "correct horse battery"


def by(clock: FakeClock) -> auth.AccountAction:
    return auth.AccountAction("cli:tester", "desk-1", clock())


def add(
    database: Database, clock: FakeClock, name: str = "Maria", role: auth.Role = auth.Role.STAFF
) -> None:
    with database.session() as session, session.begin():
        auth.add_account(session, name, role, PASSWORD, by(clock))


def attempt(database: Database, clock: FakeClock, name: str, password: str) -> auth.SignInResult:
    with database.session() as session, session.begin():
        return auth.sign_in(session, name, password, now=clock(), station="desk-1", lock_minutes=5)


def test_the_password_is_stored_only_as_a_salted_scrypt_hash(
    database: Database, clock: FakeClock
) -> None:
    add(database, clock)
    add(database, clock, "Luis")
    with database.session() as session:
        hashes = list(session.scalars(select(StaffAccountRow.password_hash)))
    assert all(h.startswith(f"scrypt${auth.SCRYPT_N}$8$1$") for h in hashes)
    assert hashes[0] != hashes[1]  # same password, different salt
    assert all(PASSWORD not in h for h in hashes)
    assert auth.password_matches(PASSWORD, hashes[0])
    assert not auth.password_matches(PASSWORD + "!", hashes[0])
    assert not auth.password_matches(PASSWORD, "not a hash")


def test_no_password_is_in_the_database_files(tmp_path: Path, clock: FakeClock) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'k.sqlite3'}")
    add(database, clock)
    with database.session() as session, session.begin():
        auth.reset_password(session, "maria", "another long secret", by(clock))
    attempt(database, clock, "maria", "a wrong guess typed here")
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    database.close()
    for secret in (PASSWORD, "another long secret", "a wrong guess typed here"):
        assert secret.encode() not in raw


def test_right_password_signs_in_and_wrong_one_does_not(
    database: Database, clock: FakeClock
) -> None:
    add(database, clock, role=auth.Role.CLINICIAN)
    result = attempt(database, clock, "MARIA", PASSWORD)  # usernames ignore case
    assert result.outcome is auth.SignInOutcome.SIGNED_IN
    assert result.member == auth.StaffMember(1, "Maria", auth.Role.CLINICIAN)
    assert attempt(database, clock, "maria", "wrong").outcome is auth.SignInOutcome.WRONG
    assert attempt(database, clock, "nobody", PASSWORD).outcome is auth.SignInOutcome.WRONG


def test_usernames_are_unique_whatever_their_case(database: Database, clock: FakeClock) -> None:
    add(database, clock)
    with (
        database.session() as session,
        session.begin(),
        pytest.raises(auth.AccountError, match="already an account named 'MARIA'"),
    ):
        auth.add_account(session, "MARIA", auth.Role.ADMIN, PASSWORD, by(clock))


@pytest.mark.parametrize(
    ("name", "password", "message"),
    [
        ("Maria", "short", "at least 10 characters"),
        ("two words", PASSWORD, "no spaces"),
        ("", PASSWORD, "no spaces"),
    ],
)
def test_bad_new_accounts_are_refused(
    database: Database, clock: FakeClock, name: str, password: str, message: str
) -> None:
    with (
        database.session() as session,
        session.begin(),
        pytest.raises(auth.AccountError, match=message),
    ):
        auth.add_account(session, name, auth.Role.STAFF, password, by(clock))


def test_five_wrong_tries_lock_the_account_even_after_a_restart(
    tmp_path: Path, clock: FakeClock
) -> None:
    url = f"sqlite:///{tmp_path / 'k.sqlite3'}"
    database = open_database(url)
    add(database, clock)
    for _ in range(4):
        assert attempt(database, clock, "maria", "wrong").outcome is auth.SignInOutcome.WRONG
    fifth = attempt(database, clock, "maria", "wrong")
    assert fifth.outcome is auth.SignInOutcome.LOCKED
    assert fifth.locked_until == clock() + timedelta(minutes=5)
    database.close()
    restarted = open_database(url)
    assert attempt(restarted, clock, "maria", PASSWORD).outcome is auth.SignInOutcome.LOCKED
    clock.advance(5 * 60 + 1)
    assert attempt(restarted, clock, "maria", PASSWORD).outcome is auth.SignInOutcome.SIGNED_IN
    restarted.close()


def test_an_admin_can_unlock_and_reset(database: Database, clock: FakeClock) -> None:
    add(database, clock)
    for _ in range(5):
        attempt(database, clock, "maria", "wrong")
    with database.session() as session, session.begin():
        auth.unlock(session, "maria", by(clock))
    assert attempt(database, clock, "maria", PASSWORD).outcome is auth.SignInOutcome.SIGNED_IN
    with database.session() as session, session.begin():
        auth.reset_password(session, "maria", "a brand new secret", by(clock))
    assert attempt(database, clock, "maria", PASSWORD).outcome is auth.SignInOutcome.WRONG
    assert attempt(database, clock, "maria", "a brand new secret").member is not None


def test_a_disabled_account_cannot_sign_in(database: Database, clock: FakeClock) -> None:
    add(database, clock)
    with database.session() as session, session.begin():
        auth.set_enabled(session, "maria", False, by(clock))
    assert attempt(database, clock, "maria", PASSWORD).outcome is auth.SignInOutcome.DISABLED
    # A wrong password says only "wrong", so a guesser learns nothing about the account.
    assert attempt(database, clock, "maria", "wrong").outcome is auth.SignInOutcome.WRONG
    with database.session() as session, session.begin():
        auth.set_enabled(session, "maria", True, by(clock))
    assert attempt(database, clock, "maria", PASSWORD).outcome is auth.SignInOutcome.SIGNED_IN


def test_roles_include_the_ones_below() -> None:
    assert auth.Role.ADMIN.allows(auth.Role.CLINICIAN)
    assert auth.Role.CLINICIAN.allows(auth.Role.STAFF)
    assert not auth.Role.STAFF.allows(auth.Role.CLINICIAN)
    assert not auth.Role.CLINICIAN.allows(auth.Role.ADMIN)


def test_every_account_change_and_sign_in_is_audited(database: Database, clock: FakeClock) -> None:
    add(database, clock)
    attempt(database, clock, "maria", "wrong")
    attempt(database, clock, "maria", PASSWORD)
    attempt(database, clock, "ghost", "whatever-typed")
    with database.session() as session, session.begin():
        auth.set_enabled(session, "maria", False, by(clock))
        auth.set_enabled(session, "maria", True, by(clock))
        auth.unlock(session, "maria", by(clock))
        auth.reset_password(session, "maria", "a brand new secret", by(clock))
    with database.session() as session:
        trail = [(e.actor, e.action) for e in entries(session)]
        details = " ".join(e.detail for e in entries(session))
    assert trail == [
        ("cli:tester", "account_added"),
        ("user:Maria", "sign_in_failed"),
        ("user:Maria", "sign_in"),
        ("unknown", "sign_in_failed"),
        ("cli:tester", "account_disabled"),
        ("cli:tester", "account_enabled"),
        ("cli:tester", "account_unlocked"),
        ("cli:tester", "password_reset"),
    ]
    for secret in ("wrong", PASSWORD, "ghost", "whatever-typed", "a brand new secret"):
        assert secret not in details.replace("wrong password", "")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_entries SET actor = 'someone else'",
        "DELETE FROM audit_entries",
    ],
)
def test_the_database_refuses_to_rewrite_the_audit_trail(
    database: Database, clock: FakeClock, statement: str
) -> None:
    add(database, clock)
    refused = pytest.raises(DatabaseError, match="audit entries cannot be changed or deleted")
    with database.session() as session, refused, session.begin():
        session.execute(text(statement))
    with database.session() as session:
        assert [e.actor for e in entries(session)] == ["cli:tester"]
