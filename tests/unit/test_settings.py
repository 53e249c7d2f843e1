"""Settings: one file, environment variables over it, options over both."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kiosk.settings import SettingsError, load_settings


def write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(text)
    path.chmod(0o600)
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
    assert "setting 'idle_timeout' must be a whole number of seconds from 10 to 3600" in message
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
    with pytest.raises(SettingsError, match=r"retention_days.*0 \(never purge\) or .* from 30"):
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


# Every number a clinic can set, at the ends of its range: (key, lowest, highest).
RANGES = [
    ("idle_timeout", 10, 3600),
    ("lockout_minutes", 1, 1440),
    ("staff_idle_minutes", 1, 120),
    ("retention_days", 30, 36500),
]
# What no number setting takes, however it is written: cut, rounded or wrapped, each
# would quietly become a different number (or crash a Qt timer, as 99999999999 did).
NOT_WHOLE_NUMBERS_IN_THE_FILE = [
    "10.9",
    "60.0",
    "1e3",
    "true",
    "false",
    "-60",
    "99999999999",
    "9223372036854775808",
    '"10.9"',
    '"60 s"',
    "[60]",
    "inf",
    "nan",
]
NOT_WHOLE_NUMBERS_AS_TEXT = [
    "10.9",
    "60.0",
    "1e3",
    "true",
    "yes",
    "-60",
    "+60",
    "99999999999",
    "9" * 5000,
    "1_000",
    "0x10",
    "٣٠٠",
    "²",
    "",
    "sixty",
]


@pytest.mark.parametrize(("key", "lowest", "highest"), RANGES)
def test_every_number_setting_takes_its_whole_range_from_the_file_variables_and_options(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str, lowest: int, highest: int
) -> None:
    for number in (lowest, highest):
        write(tmp_path, monkeypatch, f"{key} = {number}\n")
        assert getattr(load_settings(environ={}), key) == number
    write(tmp_path, monkeypatch, "")
    variable = f"KIOSK_{key.upper()}"
    assert getattr(load_settings(environ={variable: f" {highest}\n"}), key) == highest
    assert getattr(load_settings({key: str(lowest)}, environ={}), key) == lowest
    assert getattr(load_settings({key: lowest}, environ={}), key) == lowest


@pytest.mark.parametrize(("key", "lowest", "highest"), RANGES)
@pytest.mark.parametrize("written", NOT_WHOLE_NUMBERS_IN_THE_FILE)
def test_a_number_setting_in_the_file_that_is_not_a_whole_number_in_range_stops_the_program(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    key: str,
    lowest: int,
    highest: int,
    written: str,
) -> None:
    path = write(tmp_path, monkeypatch, f"{key} = {written}\n")
    with pytest.raises(SettingsError) as refused:
        load_settings(environ={})
    assert f"{path}: setting '{key}' must be " in str(refused.value)
    assert "whole number of" in str(refused.value)
    assert f"from {lowest} to {highest}" in str(refused.value)


@pytest.mark.parametrize(("key", "lowest", "highest"), RANGES)
@pytest.mark.parametrize("written", NOT_WHOLE_NUMBERS_AS_TEXT)
def test_a_number_setting_from_a_variable_or_an_option_is_refused_by_its_name(
    key: str, lowest: int, highest: int, written: str
) -> None:
    variable = f"KIOSK_{key.upper()}"
    with pytest.raises(SettingsError) as refused:
        load_settings(environ={variable: written})
    message = str(refused.value)
    assert f"environment variable {variable} must be " in message
    assert f"from {lowest} to {highest}" in message
    assert len(message) < 300  # a 5000-digit value is not echoed whole
    with pytest.raises(SettingsError, match=f"option for '{key}' must be .* from {lowest} to"):
        load_settings({key: written}, environ={})


@pytest.mark.parametrize(("key", "lowest", "highest"), RANGES)
def test_a_number_just_outside_the_range_is_refused(key: str, lowest: int, highest: int) -> None:
    for outside in {lowest - 1, highest + 1} - {0 if key == "retention_days" else -1}:
        with pytest.raises(SettingsError, match=f"option for '{key}' .* it is {outside}$"):
            load_settings({key: outside}, environ={})
        with pytest.raises(SettingsError, match=f"option for '{key}'"):
            load_settings({key: float(outside)}, environ={})


def test_the_readme_lists_the_range_of_every_number_setting() -> None:
    from kiosk.settings import NUMBERS

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    assert sorted(NUMBERS) == sorted(key for key, _, _ in RANGES)
    for key, lowest, highest in RANGES:
        row = next(line for line in readme.splitlines() if line.startswith(f"| `{key}` |"))
        assert f"{lowest} to {highest}" in row.replace(",", ""), row


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX; Windows uses the profile")
@pytest.mark.parametrize("mode", [0o620, 0o602, 0o666, 0o664, 0o622])
def test_a_settings_file_others_or_the_group_can_change_is_refused_with_the_chmod_to_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: int
) -> None:
    path = write(tmp_path, monkeypatch, 'paper_size = "A4"\n')
    path.chmod(mode)
    with pytest.raises(SettingsError) as refused:
        load_settings(environ={})
    assert "other users can change this settings file" in str(refused.value)
    assert str(refused.value).endswith(f"run: chmod go-w {path}")
    path.chmod(0o644)  # read by others is fine: no secret in it
    assert load_settings(environ={}).paper_size == "A4"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="giving a file away needs root")
def test_a_settings_file_that_belongs_to_another_user_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, monkeypatch, 'paper_size = "A4"\n')
    os.chown(path, 4321, 4321)
    with pytest.raises(SettingsError, match=r"belongs to another user .* chown"):
        load_settings(environ={})
    os.chown(path, 0, 0)  # root's own file is trusted: only root could have written it
    assert load_settings(environ={}).paper_size == "A4"


SECRET = "Sw0rdf1sh-only-here"
# A secret can sit anywhere in the URL; each must keep the settings file private.
URLS_WITH_A_SECRET = [
    f"postgresql+psycopg://kiosk:{SECRET}@db.clinic.lan/kiosk",
    f"postgresql+psycopg://kiosk@db.clinic.lan/kiosk?password={SECRET}",
    f"postgresql+psycopg://kiosk@db.clinic.lan/kiosk?sslmode=require&sslpassword={SECRET}",
    f"postgresql+psycopg://kiosk@db.clinic.lan/kiosk?passphrase={SECRET}",
    f"postgresql+psycopg://kiosk@db.clinic.lan/kiosk?key={SECRET}",
    f"postgresql+psycopg://kiosk@db.clinic.lan/kiosk?access_token={SECRET}",
    f"postgresql+psycopg://kiosk@db.clinic.lan/kiosk?PWD={SECRET}",
    f"sqlite+pysqlcipher://:{SECRET}@//var/lib/kiosk/kiosk.db",
    f"sqlite+pysqlcipher://:{SECRET}@//var/lib/kiosk/kiosk.db?cipher=aes-256-cbc",
    # Not readable as a URL: nobody can tell which part is the secret, so all of it is.
    f"postgresql+psycopg://kiosk:{SECRET}@db.clinic.lan:port/kiosk",
]


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX; Windows uses the profile")
@pytest.mark.parametrize("url", URLS_WITH_A_SECRET)
@pytest.mark.parametrize("mode", [0o640, 0o604, 0o644])
def test_a_settings_file_with_a_secret_anywhere_in_the_url_is_only_for_its_owner(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, url: str, mode: int
) -> None:
    path = write(tmp_path, monkeypatch, f'database_url = "{url}"\n')
    path.chmod(mode)
    with pytest.raises(SettingsError) as refused:
        load_settings(environ={})
    assert "holds the database password or key, so only its owner may read it" in str(refused.value)
    assert f"run: chmod 600 {path}" in str(refused.value)
    assert SECRET not in str(refused.value)


@pytest.mark.parametrize("url", URLS_WITH_A_SECRET)
def test_a_secret_is_never_given_as_a_command_line_option(url: str) -> None:
    with pytest.raises(SettingsError) as refused:
        load_settings({"database_url": url}, environ={})
    message = str(refused.value)
    assert message.startswith("option for 'database_url' ")
    assert "holds a password or key" in message or "is not a database URL" in message
    assert SECRET not in message


def test_a_database_url_that_cannot_be_read_is_refused_without_repeating_it() -> None:
    for url in (f"postgresql://kiosk:{SECRET}@db:port/kiosk", f"{SECRET}", f"[::1{SECRET}"):
        with pytest.raises(SettingsError) as refused:
            load_settings(environ={"KIOSK_DATABASE_URL": url})
        assert "KIOSK_DATABASE_URL is not a database URL such as" in str(refused.value)
        assert SECRET not in str(refused.value)


def test_a_nul_character_in_a_text_setting_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, monkeypatch, 'held_visits_dir = "/var/lib/kiosk\\u0000/held"\n')
    with pytest.raises(SettingsError, match="setting 'held_visits_dir' must not hold a NUL"):
        load_settings(environ={})
