"""Staff accounts: hashing, roles, lock-out that survives a restart, and their audit."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from kiosk import auth
from kiosk.actor import Actor, ActorKind
from kiosk.audit import entries
from kiosk.content_versions import content_in_use
from kiosk.database import Database, open_database
from kiosk.models import StaffAccountRow
from kiosk.visit_walk import ManualClock
from tests.databases import made_database

PASSWORD = "correct horse battery"
REFUSED = auth.SignInResult(auth.SignInOutcome.REFUSED)


def by(clock: ManualClock) -> Actor:
    return Actor(ActorKind.COMMAND_LINE, "tester", "desk-1", clock())


def add(
    database: Database, clock: ManualClock, name: str = "Maria", role: auth.Role = auth.Role.STAFF
) -> None:
    with database.session() as session, session.begin():
        auth.add_account(session, name, {role}, PASSWORD, by(clock))


def attempt(database: Database, clock: ManualClock, name: str, password: str) -> auth.SignInResult:
    with database.session() as session, session.begin():
        return auth.sign_in(session, name, password, now=clock(), station="desk-1", lock_minutes=5)


def last_reason(database: Database) -> str:
    """What the audit trail says of the last attempt (the screen is never told)."""
    with database.session() as session:
        return list(entries(session))[-1].detail


def locked_until(database: Database, name: str) -> object:
    with database.session() as session:
        return session.scalar(
            select(StaffAccountRow.locked_until).where(StaffAccountRow.username == name)
        )


def test_the_password_is_stored_only_as_a_salted_scrypt_hash(
    database: Database, clock: ManualClock
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


def test_no_password_is_in_the_database_files(tmp_path: Path, clock: ManualClock) -> None:
    database = made_database(f"sqlite:///{tmp_path / 'k.sqlite3'}")
    add(database, clock)
    with database.session() as session, session.begin():
        auth.reset_password(session, "maria", "another long secret", by(clock))
    attempt(database, clock, "maria", "a wrong guess typed here")
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    database.close()
    for secret in (PASSWORD, "another long secret", "a wrong guess typed here"):
        assert secret.encode() not in raw


def test_right_password_signs_in_and_wrong_one_does_not(
    database: Database, clock: ManualClock
) -> None:
    add(database, clock, role=auth.Role.CLINICIAN)
    result = attempt(database, clock, "MARIA", PASSWORD)  # usernames ignore case
    assert result.outcome is auth.SignInOutcome.SIGNED_IN
    assert result.member == auth.StaffMember(1, "Maria", frozenset({auth.Role.CLINICIAN}))
    assert attempt(database, clock, "maria", "wrong") == REFUSED
    assert attempt(database, clock, "nobody", PASSWORD) == REFUSED


def test_usernames_are_unique_whatever_their_case(database: Database, clock: ManualClock) -> None:
    add(database, clock)
    with (
        database.session() as session,
        session.begin(),
        pytest.raises(auth.AccountError, match="already an account named 'MARIA'"),
    ):
        auth.add_account(session, "MARIA", {auth.Role.ADMIN}, PASSWORD, by(clock))


@pytest.mark.parametrize(
    ("name", "password", "message"),
    [
        ("Maria", "short", "at least 10 characters"),
        ("Maria", "correct horse battery staple " * 7, "at most 200 characters"),
        ("two words", PASSWORD, "no spaces"),
        ("", PASSWORD, "no spaces"),
    ],
)
def test_bad_new_accounts_are_refused(
    database: Database, clock: ManualClock, name: str, password: str, message: str
) -> None:
    with (
        database.session() as session,
        session.begin(),
        pytest.raises(auth.AccountError, match=message),
    ):
        auth.add_account(session, name, {auth.Role.STAFF}, password, by(clock))


def test_five_wrong_tries_lock_the_account_even_after_a_restart(
    database_url: str, clock: ManualClock
) -> None:
    url = database_url
    database = made_database(url)
    add(database, clock)
    for _ in range(4):
        assert attempt(database, clock, "maria", "wrong") == REFUSED
    assert last_reason(database) == "wrong password (4 in a row)"
    assert attempt(database, clock, "maria", "wrong") == REFUSED
    assert last_reason(database) == "wrong password (5 in a row); locked for 5 minutes"
    assert locked_until(database, "Maria") == clock() + timedelta(minutes=5)
    database.close()
    restarted = open_database(url)
    assert attempt(restarted, clock, "maria", PASSWORD) == REFUSED
    assert last_reason(restarted) == "account locked"
    clock.advance(5 * 60 + 1)
    assert attempt(restarted, clock, "maria", PASSWORD).outcome is auth.SignInOutcome.SIGNED_IN
    restarted.close()


def test_wrong_tries_made_at_once_from_many_stations_are_all_counted(
    database_url: str, clock: ManualClock
) -> None:
    # 24 stations (each its own connection to one database) guess at the same moment:
    # read-then-write counting lost most of them and never reached the lock.
    url = database_url
    database = made_database(url)
    add(database, clock)
    tries = 24
    stations = [open_database(url) for _ in range(tries)]
    start = threading.Barrier(tries)
    failures: list[BaseException] = []

    def guess(station: Database, number: int) -> None:
        try:
            start.wait()
            attempt(station, clock, "maria", f"guess number {number}")
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            failures.append(error)

    threads = [threading.Thread(target=guess, args=(s, n)) for n, s in enumerate(stations)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for station in stations:
        station.close()
    assert failures == []
    assert locked_until(database, "Maria") == clock() + timedelta(minutes=5)
    with database.session() as session:
        reasons = [e.detail for e in entries(session) if e.action == "sign_in_failed"]
    assert len(reasons) == tries
    # Exactly five counted, the fifth locked; every later one refused as locked.
    assert sorted(r for r in reasons if r.startswith("wrong password")) == [
        "wrong password (1 in a row)",
        "wrong password (2 in a row)",
        "wrong password (3 in a row)",
        "wrong password (4 in a row)",
        "wrong password (5 in a row); locked for 5 minutes",
    ]
    assert reasons.count("account locked") == tries - 5
    assert attempt(database, clock, "maria", PASSWORD) == REFUSED
    assert last_reason(database) == "account locked"
    database.close()


def test_every_refusal_looks_the_same_and_costs_the_same(
    database: Database, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(database, clock)
    add(database, clock, "Luis")
    with database.session() as session, session.begin():
        auth.set_enabled(session, "Luis", False, by(clock))
    for _ in range(5):
        attempt(database, clock, "maria", "wrong")
    hashed: list[int] = []
    real_scrypt = auth._scrypt

    def counted_scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
        hashed.append(n)
        return real_scrypt(password, salt, n, r, p)

    monkeypatch.setattr(auth, "_scrypt", counted_scrypt)
    refusals = {
        "unknown username": ("nobody", PASSWORD),
        "account locked": ("maria", PASSWORD),
        "account disabled": ("luis", PASSWORD),
        "wrong password (1 in a row)": ("luis", "not his password"),
    }
    for reason, (name, password) in refusals.items():
        hashed.clear()
        # The same answer to the caller, the same scrypt work: only the audit tells.
        assert attempt(database, clock, name, password) == REFUSED
        assert hashed == [auth.SCRYPT_N], reason
        assert last_reason(database) == reason


@pytest.mark.parametrize(
    "password",
    [
        "1234567890",
        "password12",
        " " * 10,
        "qwertyuiop",
        "aaaaaaaaaaaaaaaa",
        "P@ssw0rd2024",
        "ketamineinfusion",
    ],
)
def test_guessable_passwords_are_refused_with_the_reason(
    database: Database, clock: ManualClock, password: str
) -> None:
    with (
        database.session() as session,
        session.begin(),
        pytest.raises(auth.AccountError, match=r"too easy to guess. [A-Z]") as refused,
    ):
        auth.add_account(session, "Maria", {auth.Role.STAFF}, password, by(clock))
    assert password.strip() == "" or password not in str(refused.value)
    add(database, clock)
    with (
        database.session() as session,
        session.begin(),
        pytest.raises(auth.AccountError, match="too easy to guess"),
    ):
        auth.reset_password(session, "maria", password, by(clock))
    assert attempt(database, clock, "maria", PASSWORD).member is not None


def test_a_password_made_of_the_username_or_the_clinic_name_is_refused(
    database: Database, clock: ManualClock
) -> None:
    # Each is strong enough on its own; not for this account at this clinic.
    for password in ("mariagonzalez1", "Serenity2024!"):
        auth.check_new_password(password)
    with database.session() as session, session.begin():
        content_in_use(session, None, clock())  # the bundled pack: Serenity Mental Health ...
    for password in ("mariagonzalez1", "Serenity2024!"):
        with (
            database.session() as session,
            session.begin(),
            pytest.raises(auth.AccountError, match="contains the username, the clinic's name"),
        ):
            auth.add_account(session, "MariaGonzalez", {auth.Role.STAFF}, password, by(clock))


@pytest.mark.parametrize(
    "name",
    [
        "\uff21\uff44\uff4d\uff49\uff4e",  # Ａｄｍｉｎ in full-width letters
        "adm\u0131n",  # a dotless i
        "Adm\u0456n",  # a Cyrillic i
        "Admin\u200b",  # a zero-width space
        "Ad min",
        "Adm\u00edn",
        "admin@clinic",
        "a" * 61,
        "",
        "   ",
    ],
)
def test_usernames_outside_the_rule_are_refused(
    database: Database, clock: ManualClock, name: str
) -> None:
    add(database, clock, "Admin", auth.Role.STAFF)
    with (
        database.session() as session,
        session.begin(),
        pytest.raises(auth.AccountError, match=r"the letters A to Z .* no spaces or other letters"),
    ):
        auth.add_account(session, name, {auth.Role.STAFF}, PASSWORD, by(clock))
    with database.session() as session:
        assert [a.username for a in auth.list_accounts(session)] == ["Admin"]


@pytest.mark.parametrize("name", ["admin", "ADMIN", "Admin ", " aDmIn\t", "Admin\u00a0"])
def test_a_username_is_the_same_whatever_its_case_or_spaces_around_it(
    database: Database, clock: ManualClock, name: str
) -> None:
    add(database, clock, "Admin", auth.Role.STAFF)
    with (
        database.session() as session,
        session.begin(),
        pytest.raises(auth.AccountError, match="already an account named"),
    ):
        auth.add_account(session, name, {auth.Role.STAFF}, PASSWORD, by(clock))
    assert attempt(database, clock, name, PASSWORD).member == auth.StaffMember(
        1, "Admin", frozenset({auth.Role.STAFF})
    )


@pytest.mark.parametrize("name", ["a", "Maria.Lopez", "m_lopez-2", "x" * 60, "123"])
def test_usernames_inside_the_rule_are_accepted(
    database: Database, clock: ManualClock, name: str
) -> None:
    add(database, clock, name)
    assert attempt(database, clock, name.upper(), PASSWORD).member is not None


def test_an_account_named_before_the_rule_still_signs_in_and_is_pointed_out(
    database: Database, clock: ManualClock
) -> None:
    # Made by an earlier version, beside "Admin": it keeps working, so no one is shut out
    # by an upgrade, and the list tells the admin to replace it.
    add(database, clock, "Admin", auth.Role.STAFF)
    with database.session() as session, session.begin():
        session.add(
            StaffAccountRow(
                username="adm\u0131n",
                username_key=auth.username_key("adm\u0131n"),
                roles="staff",
                password_hash=auth.hash_password("his own long secret"),
                enabled=True,
                failed_attempts=0,
                created_at=clock(),
            )
        )
    assert attempt(database, clock, "ADM\u0131N", "his own long secret").member == (
        auth.StaffMember(2, "adm\u0131n", frozenset({auth.Role.STAFF}))
    )
    assert attempt(database, clock, "Admin", "his own long secret") == REFUSED
    with database.session() as session, session.begin():
        auth.reset_password(session, "adm\u0131n", "a brand new secret", by(clock))
        auth.set_enabled(session, "adm\u0131n", False, by(clock))
        listed = {a.username: a.name_follows_rule for a in auth.list_accounts(session)}
    assert listed == {"Admin": True, "adm\u0131n": False}


def test_an_admin_can_unlock_and_reset(database: Database, clock: ManualClock) -> None:
    add(database, clock)
    for _ in range(5):
        attempt(database, clock, "maria", "wrong")
    with database.session() as session, session.begin():
        auth.unlock(session, "maria", by(clock))
    assert attempt(database, clock, "maria", PASSWORD).outcome is auth.SignInOutcome.SIGNED_IN
    with database.session() as session, session.begin():
        auth.reset_password(session, "maria", "a brand new secret", by(clock))
    assert attempt(database, clock, "maria", PASSWORD) == REFUSED
    assert attempt(database, clock, "maria", "a brand new secret").member is not None


def test_a_disabled_account_cannot_sign_in(database: Database, clock: ManualClock) -> None:
    add(database, clock)
    with database.session() as session, session.begin():
        auth.set_enabled(session, "maria", False, by(clock))
    assert attempt(database, clock, "maria", PASSWORD) == REFUSED
    assert last_reason(database) == "account disabled"
    assert attempt(database, clock, "maria", "wrong") == REFUSED
    assert last_reason(database) == "wrong password (1 in a row)"
    with database.session() as session, session.begin():
        auth.set_enabled(session, "maria", True, by(clock))
    assert attempt(database, clock, "maria", PASSWORD).outcome is auth.SignInOutcome.SIGNED_IN


def test_who_may_do_what_is_a_matrix_not_a_ranking() -> None:
    def may(*roles: auth.Role) -> set[str]:
        member = auth.StaffMember(1, "x", frozenset(roles))
        return {permission.value for permission in auth.Permission if member.may(permission)}

    desk = {"front_desk", "close_kiosk"}
    clinical = {"mark_reviewed", "undo_void", "close_risk_alert"}
    assert may(auth.Role.STAFF) == desk
    assert may(auth.Role.CLINICIAN) == desk | clinical
    # An admin edits the content; being admin does not make anyone a clinician.
    assert may(auth.Role.ADMIN) == {"edit_content", "close_kiosk"}
    assert may(auth.Role.STAFF, auth.Role.ADMIN) == desk | {"edit_content"}
    assert may(auth.Role.ADMIN, auth.Role.CLINICIAN) == desk | clinical | {"edit_content"}
    assert may() == set()


def test_an_account_holds_several_roles_and_they_can_be_changed(
    database: Database, clock: ManualClock
) -> None:
    with database.session() as session, session.begin():
        auth.add_account(session, "ines", {auth.Role.ADMIN, auth.Role.STAFF}, PASSWORD, by(clock))
        with pytest.raises(auth.AccountError, match="at least one role"):
            auth.add_account(session, "nobody", set(), PASSWORD, by(clock))
    desk = attempt(database, clock, "ines", PASSWORD)
    assert desk.member is not None
    assert desk.member.roles == {auth.Role.STAFF, auth.Role.ADMIN}
    assert not desk.member.may(auth.Permission.MARK_REVIEWED)
    with database.session() as session, session.begin():
        auth.set_roles(session, "ines", {auth.Role.ADMIN, auth.Role.CLINICIAN}, by(clock))
    with database.session() as session:
        (listed,) = auth.list_accounts(session)
        stored = session.scalar(select(StaffAccountRow.roles))
        trail = list(entries(session))[-1]
    assert listed.roles == {auth.Role.ADMIN, auth.Role.CLINICIAN}
    assert stored == "clinician admin"
    assert (trail.action, trail.detail) == (
        "account_roles_changed",
        "account ines: staff admin -> clinician admin",
    )
    member = attempt(database, clock, "ines", PASSWORD).member
    assert member is not None
    assert member.may(auth.Permission.MARK_REVIEWED)


def test_an_upgrade_keeps_what_accounts_could_do_but_clinical_review_for_admins(
    tmp_path: Path, clock: ManualClock
) -> None:
    from kiosk.database import upgrade_database
    from tests.databases import made_at_revision

    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    old = made_at_revision(url, "0012")
    with old.engine.begin() as connection:
        for number, (name, role) in enumerate(
            [("maria", "staff"), ("drlee", "clinician"), ("ines", "admin")], start=1
        ):
            connection.execute(
                text(
                    "INSERT INTO staff_accounts (id, username, username_key, role, password_hash,"
                    " enabled, failed_attempts, created_at) VALUES (:id, :name, :name, :role,"
                    " :hash, 1, 0, '2026-11-01 09:00:00.000000')"
                ),
                {"id": number, "name": name, "role": role, "hash": auth.hash_password(PASSWORD)},
            )
    old.close()
    assert upgrade_database(url) == "0012"
    upgraded = open_database(url)
    members = {}
    for name in ("maria", "drlee", "ines"):
        result = attempt(upgraded, clock, name, PASSWORD)
        assert result.member is not None, f"{name} still signs in at the desk"
        members[name] = result.member
    upgraded.close()
    assert members["maria"].roles == {auth.Role.STAFF}
    assert members["drlee"].roles == {auth.Role.CLINICIAN}
    # The admin keeps the desk and the editor; clinical review is a clinician's.
    assert members["ines"].roles == {auth.Role.STAFF, auth.Role.ADMIN}
    assert members["ines"].may(auth.Permission.EDIT_CONTENT)
    assert not members["ines"].may(auth.Permission.MARK_REVIEWED)
    assert members["drlee"].may(auth.Permission.MARK_REVIEWED)


def test_every_account_change_and_sign_in_is_audited(
    database: Database, clock: ManualClock
) -> None:
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
    database: Database, clock: ManualClock, statement: str
) -> None:
    add(database, clock)
    refused = pytest.raises(DatabaseError, match="audit entries cannot be changed or deleted")
    with database.session() as session, refused, session.begin():
        session.execute(text(statement))
    with database.session() as session:
        assert [e.actor for e in entries(session)] == ["cli:tester"]
