"""`kiosk users` and `kiosk audit` as clinic IT uses them."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.integration.running import kiosk

PASSWORD = "correct horse battery"


def add(home: Path, db: str, name: str = "maria", role: str = "staff") -> None:
    kiosk(
        "users",
        "add",
        name,
        "--role",
        role,
        "--password-stdin",
        "--database",
        db,
        home=home,
        check=True,
        stdin=PASSWORD + "\n",
    )


def try_to_add(
    home: Path, db: str, name: str, password: str = PASSWORD
) -> subprocess.CompletedProcess[str]:
    return kiosk(
        "users",
        "add",
        name,
        "--role",
        "staff",
        "--password-stdin",
        "--database",
        db,
        home=home,
        stdin=password + "\n",
    )


def audit(home: Path, db: str, *filters: str) -> list[dict[str, str]]:
    out = kiosk("audit", "--json", *filters, "--database", db, home=home, check=True).stdout
    return [json.loads(line) for line in out.splitlines()]


def test_add_and_list_accounts(home: Path, db: str) -> None:
    result = kiosk(
        "users",
        "add",
        "Maria",
        "--role",
        "clinician",
        "--password-stdin",
        "--database",
        db,
        home=home,
        stdin=PASSWORD + "\n",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Added Maria as clinician\n"
    listing = kiosk("users", "list", "--database", db, home=home, check=True).stdout
    assert listing.startswith("Maria  clinician  enabled  last sign-in never")


def test_there_is_no_default_account(home: Path, db: str) -> None:
    assert kiosk("users", "list", "--database", db, home=home, check=True).stdout == ""


def test_a_duplicate_username_is_refused_whatever_its_case(home: Path, db: str) -> None:
    add(home, db)
    again = kiosk(
        "users",
        "add",
        "MARIA",
        "--role",
        "admin",
        "--password-stdin",
        "--database",
        db,
        home=home,
        stdin=PASSWORD + "\n",
    )
    assert again.returncode == 1
    assert again.stderr == "kiosk: there is already an account named 'MARIA'\n"


def test_a_short_password_is_refused(home: Path, db: str) -> None:
    result = kiosk(
        "users",
        "add",
        "maria",
        "--role",
        "staff",
        "--password-stdin",
        "--database",
        db,
        home=home,
        stdin="short\n",
    )
    assert result.returncode == 1
    assert "at least 10 characters" in result.stderr
    assert kiosk("users", "list", "--database", db, home=home).stdout == ""


def test_disable_enable_unlock_and_reset(home: Path, db: str) -> None:
    add(home, db)
    for action, shown in (("disable", "DISABLED"), ("enable", "enabled")):
        result = kiosk("users", action, "maria", "--database", db, home=home, check=True)
        assert result.stdout == f"{action.capitalize()}d maria\n"
        listing = kiosk("users", "list", "--database", db, home=home).stdout
        assert f"maria  staff  {shown}" in listing
    assert (
        kiosk("users", "unlock", "maria", "--database", db, home=home, check=True).stdout
        == "Unlocked maria\n"
    )
    reset = kiosk(
        "users",
        "reset-password",
        "maria",
        "--password-stdin",
        "--database",
        db,
        home=home,
        stdin="another long secret\n",
    )
    assert reset.stdout == "Set a new password for maria\n"
    missing = kiosk("users", "disable", "nobody", "--database", db, home=home)
    assert missing.returncode == 1
    assert missing.stderr == "kiosk: there is no account named 'nobody'\n"


def test_a_lock_out_shows_in_a_new_process(home: Path, db: str) -> None:
    from datetime import UTC, datetime

    from kiosk import auth
    from kiosk.database import open_database

    add(home, db)
    database = open_database(db)
    for _ in range(5):
        with database.session() as session, session.begin():
            auth.sign_in(
                session, "maria", "wrong", now=datetime.now(UTC), station="t", lock_minutes=5
            )
    database.close()
    assert "locked until" in kiosk("users", "list", "--database", db, home=home).stdout
    kiosk("users", "unlock", "maria", "--database", db, home=home, check=True)
    assert "locked until" not in kiosk("users", "list", "--database", db, home=home).stdout


def test_no_password_reaches_the_output_the_database_or_the_logs(home: Path, db: str) -> None:
    result = kiosk(
        "users",
        "add",
        "maria",
        "--role",
        "staff",
        "--password-stdin",
        "--database",
        db,
        home=home,
        stdin=PASSWORD + "\n",
    )
    everything = result.stdout + result.stderr + kiosk("audit", "--database", db, home=home).stdout
    files = [p for p in home.rglob("*") if p.is_file()]
    if db.startswith("sqlite"):
        assert any(p.name.startswith("clinic.sqlite3") for p in files)
    raw = b"".join(p.read_bytes() for p in files)
    assert PASSWORD not in everything
    assert PASSWORD.encode() not in raw


def test_commands_that_read_patient_data_leave_audit_entries(home: Path, db: str) -> None:
    kiosk("demo-data", "--visits", "3", "--database", db, home=home, check=True)
    visit_id = json.loads(
        kiosk("visits", "--json", "--database", db, home=home, check=True).stdout.splitlines()[0]
    )["id"]
    kiosk("summary", visit_id, "-o", str(home / "s.pdf"), "--database", db, home=home, check=True)
    add(home, db)
    trail = audit(home, db)
    assert [e["action"] for e in trail] == [
        # demo-data publishes its own content (the measures on), then adds its visits.
        "content_published",
        "demo_visits_added",
        "visits_listed",
        "summary_saved",
        "account_added",
    ]
    assert all(e["actor"].startswith("cli:") for e in trail)
    assert trail[3]["visit_id"] == visit_id
    assert all(e["station"] for e in trail)


def test_audit_filters(home: Path, db: str) -> None:
    kiosk("demo-data", "--visits", "2", "--database", db, home=home, check=True)
    visit_id = json.loads(
        kiosk("visits", "--json", "--database", db, home=home, check=True).stdout.splitlines()[0]
    )["id"]
    kiosk("summary", visit_id, "-o", str(home / "s.pdf"), "--database", db, home=home, check=True)
    assert [e["action"] for e in audit(home, db, "--visit", visit_id)] == ["summary_saved"]
    actor = audit(home, db)[0]["actor"]
    assert {e["actor"] for e in audit(home, db, "--user", actor)} == {actor}
    assert audit(home, db, "--user", "somebody-else") == []
    assert audit(home, db, "--since", "2999-01-01") == []
    plain = kiosk("audit", "--database", db, home=home, check=True).stdout
    assert "summary_saved" in plain
    assert visit_id in plain


@pytest.mark.parametrize("password", ["1234567890", "password12", " " * 10])
def test_a_guessable_password_is_refused_saying_why(home: Path, db: str, password: str) -> None:
    added = try_to_add(home, db, "maria", password)
    assert added.returncode == 1
    assert added.stderr.startswith("kiosk: that password is too easy to guess. ")
    assert "Add another word or two" in added.stderr
    assert kiosk("users", "list", "--database", db, home=home).stdout == ""
    add(home, db)
    reset = kiosk(
        "users",
        "reset-password",
        "maria",
        "--password-stdin",
        "--database",
        db,
        home=home,
        stdin=password + "\n",
    )
    assert reset.returncode == 1
    assert "too easy to guess" in reset.stderr
    assert "password_reset" not in [e["action"] for e in audit(home, db)]


def test_names_that_look_like_another_are_refused(home: Path, db: str) -> None:
    add(home, db, "Admin", "admin")
    for look_alike in ("\uff21\uff44\uff4d\uff49\uff4e", "adm\u0131n", "Adm\u0456n"):
        refused = try_to_add(home, db, look_alike)
        assert refused.returncode == 1
        assert "the letters A to Z (either case), digits, dots" in refused.stderr
    same = try_to_add(home, db, "Admin ")
    assert same.returncode == 1
    assert same.stderr == "kiosk: there is already an account named 'Admin'\n"
    listing = kiosk("users", "list", "--database", db, home=home, check=True).stdout
    assert listing.splitlines() == ["Admin  admin  enabled  last sign-in never"]


def test_an_account_named_before_the_rule_is_listed_with_a_note(home: Path, db: str) -> None:
    from datetime import UTC, datetime

    from kiosk import auth
    from kiosk.database import open_database
    from kiosk.models import StaffAccountRow

    add(home, db)
    database = open_database(db)
    with database.session() as session, session.begin():
        session.add(
            StaffAccountRow(
                username="Jos\u00e9",
                username_key=auth.username_key("Jos\u00e9"),
                roles="staff",
                password_hash=auth.hash_password(PASSWORD),
                enabled=True,
                failed_attempts=0,
                created_at=datetime.now(UTC),
            )
        )
    database.close()
    listing = kiosk("users", "list", "--database", db, home=home, check=True).stdout.splitlines()
    assert listing[0].startswith("Jos\u00e9  staff  enabled  last sign-in never  (name outside")
    assert "make a new account for this person and disable this one" in listing[0]
    assert listing[1] == "maria  staff  enabled  last sign-in never"
    disabled = kiosk("users", "disable", "JOS\u00c9", "--database", db, home=home, check=True)
    assert disabled.stdout == "Disabled JOS\u00c9\n"


def test_the_audit_shows_when_a_carried_over_entry_was_first_written(home: Path, db: str) -> None:
    from datetime import UTC, datetime

    from kiosk.audit import AuditEntry, carry_over
    from kiosk.database import open_database

    first = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
    database = open_database(db)
    with database.session() as session, session.begin():
        carry_over(session, [AuditEntry(9, first, "user:maria", "visit_opened", "v-1", "d1", "")])
    database.close()
    (entry,) = [e for e in audit(home, db) if e["action"] == "visit_opened"]
    assert entry["original_at"] == "2026-11-02T15:00:00+00:00"
    assert datetime.fromisoformat(entry["at"]) > first
    plain = kiosk("audit", "--database", db, home=home, check=True).stdout
    assert "visit_opened  v-1  d1  (carried over; first written 2026-11-0" in plain


def test_an_account_is_given_several_roles_and_they_can_be_changed(home: Path, db: str) -> None:
    def users(*words: str) -> subprocess.CompletedProcess[str]:
        return kiosk("users", *words, "--database", db, home=home, stdin=PASSWORD + "\n")

    added = users("add", "ines", "--role", "admin", "--role", "staff", "--password-stdin")
    assert added.returncode == 0, added.stderr
    assert "Added ines as staff, admin" in added.stdout
    also = users("add", "drlee", "--role", "clinician,admin", "--password-stdin")
    assert also.returncode == 0, also.stderr
    listed = users("list").stdout
    assert "ines  staff,admin  enabled" in listed
    assert "drlee  clinician,admin  enabled" in listed
    changed = users("roles", "ines", "--role", "admin", "--role", "clinician")
    assert changed.returncode == 0, changed.stderr
    assert "ines now holds: clinician, admin" in changed.stdout
    assert "ines  clinician,admin  enabled" in users("list").stdout
    unknown = users("roles", "ines", "--role", "doctor")
    assert unknown.returncode == 1
    assert "no role named doctor" in unknown.stderr
    (entry,) = [e for e in audit(home, db) if e["action"] == "account_roles_changed"]
    assert entry["detail"] == "account ines: staff admin -> clinician admin"
