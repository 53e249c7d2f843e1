"""The kiosk's own exit PIN: set by a command, kept hashed, rate-limited, audited later."""

from __future__ import annotations

import dataclasses
import io
import stat
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.audit import AuditAction, entries
from kiosk.check_in import CheckIn
from kiosk.cli import main as kiosk_command
from kiosk.database import Database
from kiosk.exit_pin import (
    PENDING_FILE,
    ExitOutcome,
    ExitPin,
    ExitPinError,
    check_new_pin,
    hash_pin,
    write_pending,
)
from kiosk.settings import SettingsError, load_settings
from tests.databases import made_database

PIN = "482913"


class SteadyClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def test_the_command_keeps_only_the_pins_hash_in_the_settings_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "kiosk.toml"
    old = hash_pin("918273")
    file.write_text(f'database_url = "sqlite:///k.sqlite3"\nexit_pin = "{old}"\n')
    file.chmod(0o600)
    monkeypatch.setenv("KIOSK_CONFIG", str(file))
    monkeypatch.setattr("sys.stdin", io.StringIO(PIN + "\n"))
    assert kiosk_command(["exit-pin", "--pin-stdin"]) == 0
    assert str(file) in capsys.readouterr().out
    text = file.read_text()
    assert PIN not in text
    assert 'database_url = "sqlite:///k.sqlite3"' in text
    assert text.count("exit_pin") == 1
    assert old not in text
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    settings = load_settings()
    assert settings.exit_pin.startswith("scrypt$")
    assert ExitPin(settings.exit_pin, station="k", pending_folder=tmp_path, clock=SteadyClock())


@pytest.mark.parametrize("pin", ["12345", "1234567890123", "48291a", "111111", "123456", "654321"])
def test_a_short_or_guessable_pin_is_refused(pin: str) -> None:
    with pytest.raises(ExitPinError):
        check_new_pin(pin)


def test_a_pin_written_into_the_settings_by_hand_is_refused_without_repeating_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "kiosk.toml"
    file.write_text(f'exit_pin = "{PIN}"\n')
    file.chmod(0o600)
    monkeypatch.setenv("KIOSK_CONFIG", str(file))
    with pytest.raises(SettingsError, match="kiosk exit-pin") as refused:
        load_settings()
    assert PIN not in str(refused.value)


def test_five_wrong_pins_refuse_every_try_for_five_minutes(tmp_path: Path) -> None:
    clock = SteadyClock()
    pin = ExitPin(hash_pin(PIN), station="k", pending_folder=tmp_path, clock=clock)
    outcomes = [pin.try_pin("000001", at=clock()).outcome for _ in range(5)]
    assert outcomes == [ExitOutcome.WRONG] * 4 + [ExitOutcome.WAIT]
    assert pin.try_pin(PIN, at=clock()).outcome is ExitOutcome.WAIT
    clock.now += timedelta(minutes=4, seconds=59)
    assert pin.try_pin(PIN, at=clock()).minutes_left == 1
    clock.now += timedelta(seconds=1)
    assert pin.try_pin(PIN, at=clock()).outcome is ExitOutcome.LEAVE


def test_tries_wait_on_the_kiosk_until_the_database_takes_them(
    tmp_path: Path, new_database_url: Callable[..., str]
) -> None:
    clock = SteadyClock()
    pin = ExitPin(hash_pin(PIN), station="lobby", pending_folder=tmp_path, clock=clock)
    pin.try_pin("000001", at=clock())
    pin.try_pin(PIN, at=clock())
    assert (tmp_path / PENDING_FILE).exists()
    database: Database = made_database(new_database_url(made=True))
    try:
        assert write_pending(database, station="lobby", pending_folder=tmp_path) == 2
        assert write_pending(database, station="lobby", pending_folder=tmp_path) == 0
        with database.session() as session:
            trail = [(e.actor, e.action) for e in entries(session)]
    finally:
        database.close()
    assert trail[-2:] == [
        ("kiosk:lobby", AuditAction.KIOSK_EXIT_REFUSED),
        ("kiosk:lobby", AuditAction.KIOSK_CLOSED),
    ]
    assert not list(tmp_path.glob(PENDING_FILE + "*"))


def test_tries_kept_while_offline_go_in_with_the_kiosks_first_heartbeat(
    tmp_path: Path, new_database_url: Callable[..., str]
) -> None:
    clock = SteadyClock()
    held = tmp_path / "held"
    # The kiosk before: a wrong PIN, then the exit, while its database was away.
    before = ExitPin(hash_pin(PIN), station="lobby", pending_folder=held, clock=clock)
    before.try_pin("000001", at=clock())
    before.try_pin(PIN, at=clock())
    # Its next start, online.
    database: Database = made_database(new_database_url(made=True))
    settings = dataclasses.replace(load_settings(), exit_pin=hash_pin(PIN), held_visits_dir=held)
    try:
        check_in = CheckIn(database, settings, station="lobby", clock=clock)
        sent: list[bool] = []
        check_in.send_heartbeat(sent.append)
        assert sent == [True]
        with database.session() as session:
            actions = [e.action for e in entries(session) if e.actor == "kiosk:lobby"]
    finally:
        database.close()
    assert AuditAction.KIOSK_EXIT_REFUSED in actions
    assert AuditAction.KIOSK_CLOSED in actions
    assert not list(held.glob(PENDING_FILE + "*"))
