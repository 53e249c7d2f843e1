"""Bad settings and secret-holding URLs, through the installed `kiosk` command."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.integration.running import kiosk

OFFSCREEN = {"QT_QPA_PLATFORM": "offscreen"}
SECRET = "Sw0rdf1sh-only-here"


def settings_file(home: Path, text: str, mode: int = 0o600) -> Path:
    path = home / "kiosk.toml"
    path.write_text(text)
    path.chmod(mode)
    return path


def log_text(home: Path) -> str:
    # The command's own log folder: XDG_STATE_HOME is inherited from the tests' isolation.
    folder = Path(os.environ["XDG_STATE_HOME"]) / "waiting-room-kiosk" / "log"
    return "".join(p.read_text(errors="replace") for p in folder.glob("kiosk.log*"))


# The kiosk, the desk, the editor and a plain command: each stops before doing anything.
COMMANDS = [("run", "--exit-after-first-paint"), ("desk",), ("admin",), ("visits",)]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_a_huge_idle_timeout_stops_every_command_with_its_name_and_no_trace(
    home: Path, command: tuple[str, ...]
) -> None:
    # Before: `kiosk run` crashed inside Qt's timer with an OverflowError and a trace.
    settings_file(home, "idle_timeout = 99999999999\n")
    result = kiosk(*command, home=home, extra_env=OFFSCREEN)
    assert result.returncode == 2, result.stderr
    assert "setting 'idle_timeout' must be a whole number of seconds from 10 to 3600" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr
    assert not (home / "data" / "waiting-room-kiosk" / "kiosk.sqlite3").exists()


@pytest.mark.parametrize(
    ("text", "variables", "named"),
    [
        ("idle_timeout = 10.9\n", {}, "setting 'idle_timeout'"),
        ("", {"KIOSK_IDLE_TIMEOUT": "10.9"}, "variable KIOSK_IDLE_TIMEOUT must"),
        ("staff_idle_minutes = true\n", {}, "setting 'staff_idle_minutes'"),
        ("lockout_minutes = -5\n", {}, "setting 'lockout_minutes'"),
        ("", {"KIOSK_RETENTION_DAYS": "7.5"}, "variable KIOSK_RETENTION_DAYS must"),
    ],
)
def test_a_number_that_is_not_whole_or_in_range_is_refused_not_cut(
    home: Path, text: str, variables: dict[str, str], named: str
) -> None:
    settings_file(home, text)
    result = kiosk("run", "--exit-after-first-paint", home=home, extra_env=OFFSCREEN | variables)
    assert result.returncode == 2
    assert named in result.stderr
    assert "must be" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("option", "value"),
    [("--visits", "99999999999"), ("--visits", "2.5"), ("--visits", "²"), ("--visits", "0")],
)
def test_a_number_given_as_an_option_has_a_range_too(home: Path, option: str, value: str) -> None:
    result = kiosk("demo-data", option, value, home=home)
    assert result.returncode == 2
    assert "is not a whole number from 1 to 100000" in result.stderr
    assert "Traceback" not in result.stderr
    purge = kiosk("purge", "--older-than", "99999999999", home=home)
    assert "is not a whole number from 1 to 36500" in purge.stderr
    assert "Traceback" not in purge.stderr


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX; Windows uses the profile")
def test_a_settings_file_the_group_can_change_stops_the_kiosk_with_the_chmod_to_run(
    home: Path,
) -> None:
    path = settings_file(home, "lockdown = true\n", mode=0o664)
    result = kiosk("run", "--exit-after-first-paint", home=home, extra_env=OFFSCREEN)
    assert result.returncode == 2
    assert f"run: chmod go-w {path}" in result.stderr


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX; Windows uses the profile")
def test_a_password_in_the_urls_query_string_keeps_the_settings_file_private(
    home: Path,
) -> None:
    url = f"postgresql+psycopg://kiosk@127.0.0.1:1/kiosk?sslmode=disable&password={SECRET}"
    path = settings_file(home, f'database_url = "{url}"\n', mode=0o644)
    result = kiosk("visits", home=home)
    assert result.returncode == 2
    assert f"run: chmod 600 {path}" in result.stderr
    assert SECRET not in result.stdout + result.stderr + log_text(home)


# Each way a URL can carry the secret to a database that is not there.
UNREACHABLE = [
    # A closed port, the password in the query string.
    f"postgresql+psycopg://kiosk@127.0.0.1:1/kiosk?sslmode=disable&password={SECRET}",
    # A closed port, the password where passwords go.
    f"postgresql+psycopg://kiosk:{SECRET}@127.0.0.1:1/kiosk?sslmode=disable",
    # A host that does not exist, the password and the key's passphrase in the query.
    (
        f"postgresql+psycopg://kiosk@no-such-host.invalid/kiosk?password={SECRET}"
        f"&sslpassword={SECRET}"
    ),
    # A value the driver refuses and quotes, next to the password.
    f"postgresql+psycopg://kiosk@127.0.0.1:1/kiosk?sslmode={SECRET}&password={SECRET}",
    # A port that is not a number: SQLAlchemy cannot even read the URL.
    f"postgresql+psycopg://kiosk:{SECRET}@127.0.0.1:port/kiosk",
]


@pytest.mark.parametrize(
    ("command", "url"),
    [(("visits",), url) for url in UNREACHABLE]
    + [(command, UNREACHABLE[0]) for command in COMMANDS[:3]],
    ids=lambda value: value[0] if isinstance(value, tuple) else str(UNREACHABLE.index(value)),
)
def test_no_message_or_log_line_shows_a_secret_from_the_database_url(
    home: Path, command: tuple[str, ...], url: str
) -> None:
    pytest.importorskip("psycopg", reason="the PostgreSQL driver comes with the test extra")
    result = kiosk(*command, home=home, extra_env=OFFSCREEN | {"KIOSK_DATABASE_URL": url})
    assert result.returncode in (1, 2), result.stderr
    assert "database" in result.stderr
    assert "Traceback" not in result.stderr
    assert SECRET not in result.stdout + result.stderr + log_text(home)


def test_a_secret_on_the_command_line_is_refused_before_it_is_used(home: Path) -> None:
    url = f"postgresql+psycopg://kiosk:{SECRET}@127.0.0.1:1/kiosk"
    result = kiosk("visits", "--database", url, home=home)
    assert result.returncode == 2
    assert "option for 'database_url' holds a password or key" in result.stderr
    assert SECRET not in result.stderr
