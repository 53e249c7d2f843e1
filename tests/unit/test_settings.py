"""Settings: one file, environment variables over it, options over both."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.settings import SettingsError, load_settings


def write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(text)
    monkeypatch.setenv("KIOSK_CONFIG", str(path))
    return path


def test_defaults_put_the_database_in_the_users_data_folder() -> None:
    settings = load_settings(environ={})
    assert settings.database_url.startswith("sqlite:///")
    assert settings.database_url.endswith("kiosk.sqlite3")
    assert (settings.idle_timeout, settings.paper_size, settings.lockdown) == (90, "Letter", False)
    assert settings.content_dir is None


def test_file_then_environment_then_options(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        monkeypatch,
        'timezone = "America/New_York"\npaper_size = "a4"\nidle_timeout = 120\nlockdown = true\n',
    )
    settings = load_settings(environ={"KIOSK_IDLE_TIMEOUT": "60"})
    assert (settings.timezone, settings.paper_size, settings.idle_timeout, settings.lockdown) == (
        "America/New_York",
        "A4",
        60,
        True,
    )
    settings = load_settings(
        {"database_url": "sqlite:///x.db"}, environ={"KIOSK_DATABASE_URL": "sqlite:///y.db"}
    )
    assert settings.database_url == "sqlite:///x.db"


def test_unknown_keys_and_bad_values_are_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(
        tmp_path, monkeypatch, 'timezone = "Mars/Olympus"\npaper = "A4"\nidle_timeout = 3\n'
    )
    with pytest.raises(SettingsError) as caught:
        load_settings(environ={"KIOSK_LOCKDOWN": "sometimes"})
    message = str(caught.value)
    assert f"{path}: unknown setting 'paper'" in message
    assert "setting 'timezone' 'Mars/Olympus' is not a time zone name" in message
    assert "setting 'idle_timeout' must be at least 10 seconds" in message
    assert "environment variable KIOSK_LOCKDOWN must be on or off" in message


def test_an_unreadable_settings_file_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, monkeypatch, "timezone = \n")
    with pytest.raises(SettingsError, match="cannot be read"):
        load_settings(environ={})


def test_a_named_settings_file_that_is_missing_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIOSK_CONFIG", str(tmp_path / "typo.toml"))
    with pytest.raises(SettingsError, match=r"KIOSK_CONFIG names .*typo\.toml, but there is no"):
        load_settings(environ={})


def test_retention_is_never_by_default_and_a_typo_sized_period_is_refused() -> None:
    assert load_settings().retention_days == 0
    assert load_settings({"retention_days": "365"}).retention_days == 365
    with pytest.raises(SettingsError, match=r"retention_days.*0 \(never purge\) or from 30"):
        load_settings({"retention_days": 7})


def test_read_aloud_is_on_by_default_and_can_be_turned_off_with_a_named_engine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Not the tests' own settings file, which turns the voice off.
    empty = tmp_path / "nothing-set.toml"
    empty.write_text("")
    monkeypatch.setenv("KIOSK_CONFIG", str(empty))
    assert load_settings().read_aloud is True
    assert load_settings().speech_engine == ""
    quiet = load_settings({"read_aloud": "off", "speech_engine": "speechd"})
    assert quiet.read_aloud is False
    assert quiet.speech_engine == "speechd"
    with pytest.raises(SettingsError, match=r"speech_engine.*engine's name"):
        load_settings({"speech_engine": "speechd; rm -rf /"})
