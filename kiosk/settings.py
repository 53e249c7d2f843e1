"""The clinic's settings: one `kiosk.toml`, overridden by `KIOSK_…` variables and options.

Precedence, lowest first: built-in defaults, the settings file, environment variables,
command-line options. Every problem is reported by the key's name so clinic IT can fix it.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from kiosk import APP_NAME

PAPER_SIZES = ("A4", "Letter")


class SettingsError(Exception):
    """The settings cannot be used; the message names every bad key."""


@dataclass(frozen=True)
class Settings:
    """Everything a clinic can configure without touching code."""

    database_url: str
    content_dir: Path | None
    timezone: str
    paper_size: str
    idle_timeout: int
    lockdown: bool
    lockout_minutes: int
    staff_idle_minutes: int
    # Finished visits the database could not take yet wait here (see kiosk.held_visits).
    held_visits_dir: Path
    # Visits older than this many days are purged once a day by the kiosk; 0: never.
    retention_days: int
    # "Read to me" on slides, questions and consent, where the computer has a voice.
    read_aloud: bool = True
    # Qt's text-to-speech engine ("speechd", "sapi", "winrt", …); "" is the system's own.
    speech_engine: str = ""
    # Whether a patient may sign consent by typing their full name instead of drawing
    # (for those who cannot use the pad). A typed name is a weaker signature than a
    # drawn one, so it is off until the clinic's counsel says otherwise.
    typed_signature: bool = False

    @property
    def zone(self) -> ZoneInfo:
        """The clinic's time zone: visits are stored in UTC and shown in this zone."""
        return ZoneInfo(self.timezone)


def data_dir() -> Path:
    """The user's data folder for this app (database, print queue)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_path() -> Path:
    """Where `kiosk.toml` is read from: `KIOSK_CONFIG`, else the user's config folder."""
    named = os.environ.get("KIOSK_CONFIG")
    if named:
        return Path(named)
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "kiosk.toml"


def default_database_url() -> str:
    """SQLite in the user's data folder."""
    return f"sqlite:///{(data_dir() / 'kiosk.sqlite3').as_posix()}"


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be a non-empty text")
    return value.strip()


def _optional_path(value: Any) -> Path | None:
    if value is None or value == "":
        return None
    if isinstance(value, Path):
        return value.expanduser()
    return Path(_text(value)).expanduser()


def _path(value: Any) -> Path:
    path = _optional_path(value)
    if path is None:
        raise ValueError("must name a folder")
    return path


def _timezone(value: Any) -> str:
    name = _text(value)
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"{name!r} is not a time zone name such as 'America/Chicago'") from error
    return name


def _paper_size(value: Any) -> str:
    for size in PAPER_SIZES:
        if isinstance(value, str) and value.strip().lower() == size.lower():
            return size
    raise ValueError(f"must be one of {', '.join(PAPER_SIZES)}")


def _seconds(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError("must be a whole number of seconds")
    try:
        seconds = int(value)
    except (TypeError, ValueError) as error:
        raise ValueError("must be a whole number of seconds") from error
    if seconds < 10:
        raise ValueError("must be at least 10 seconds")
    return seconds


def _retention_days(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError("must be a whole number of days (0 for never)")
    try:
        days = int(value)
    except (TypeError, ValueError) as error:
        raise ValueError("must be a whole number of days (0 for never)") from error
    if days != 0 and not 30 <= days <= 36500:
        # Fewer than 30 days is far more likely a typo than a policy: a purge cannot be undone.
        raise ValueError("must be 0 (never purge) or from 30 to 36500 days")
    return days


def _engine_name(value: Any) -> str:
    if not isinstance(value, str) or not all(c.isalnum() or c in "-_" for c in value.strip()):
        raise ValueError("must be a text-to-speech engine's name, such as speechd, or empty")
    return value.strip()


def _minutes(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError("must be a whole number of minutes")
    try:
        minutes = int(value)
    except (TypeError, ValueError) as error:
        raise ValueError("must be a whole number of minutes") from error
    if not 1 <= minutes <= 24 * 60:
        raise ValueError("must be from 1 to 1440 minutes")
    return minutes


def _switch(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if word in {"1", "true", "yes", "on"}:
            return True
        if word in {"0", "false", "no", "off"}:
            return False
    raise ValueError("must be on or off (true or false)")


_PARSERS: dict[str, Callable[[Any], Any]] = {
    "database_url": _text,
    "content_dir": _optional_path,
    "timezone": _timezone,
    "paper_size": _paper_size,
    "idle_timeout": _seconds,
    "lockdown": _switch,
    "lockout_minutes": _minutes,
    "staff_idle_minutes": _minutes,
    "held_visits_dir": _path,
    "retention_days": _retention_days,
    "read_aloud": _switch,
    "speech_engine": _engine_name,
    "typed_signature": _switch,
}


def _defaults() -> dict[str, Any]:
    return {
        "database_url": default_database_url(),
        "content_dir": None,
        "timezone": "America/Chicago",
        "paper_size": "Letter",
        "idle_timeout": 90,
        "lockdown": False,
        "lockout_minutes": 5,
        "staff_idle_minutes": 10,
        "held_visits_dir": data_dir() / "held-visits",
        "retention_days": 0,
        "read_aloud": True,
        "speech_engine": "",
        "typed_signature": False,
    }


def _secret_readable_by_others(path: Path, from_file: Mapping[str, Any]) -> list[str]:
    """A database key or password in the file: only the kiosk's own user may read it."""
    url = from_file.get("database_url")
    if not isinstance(url, str) or os.name != "posix":
        # Windows: the file lives in the user's own profile, protected by its ACL.
        return []
    try:
        has_secret = make_url(url).password is not None
    except ArgumentError:
        return []
    if has_secret and path.stat().st_mode & 0o077:
        secret = (
            f"{path}: this file holds the database key or password, so only the kiosk's "
            f"user may read it; run: chmod 600 {path}"
        )
        return [secret]
    return []


def load_settings(
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Read the settings file, then `KIOSK_<KEY>` variables, then `overrides` (options)."""
    environ = os.environ if environ is None else environ
    raw: dict[str, tuple[str, Any]] = {}
    problems: list[str] = []

    path = config_path()
    if os.environ.get("KIOSK_CONFIG") and not path.is_file():
        raise SettingsError(f"KIOSK_CONFIG names {path}, but there is no such file")
    if path.is_file():
        try:
            from_file = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise SettingsError(f"{path}: this settings file cannot be read: {error}") from error
        problems.extend(_secret_readable_by_others(path, from_file))
        for key, value in from_file.items():
            if key not in _PARSERS:
                problems.append(f"{path}: unknown setting '{key}'")
                continue
            raw[key] = (f"{path}: setting '{key}'", value)

    for key in _PARSERS:
        variable = f"KIOSK_{key.upper()}"
        if variable in environ:
            raw[key] = (f"environment variable {variable}", environ[variable])

    for key, value in (overrides or {}).items():
        if value is not None:
            raw[key] = (f"option for '{key}'", value)

    values = _defaults()
    for key, (source, value) in raw.items():
        try:
            values[key] = _PARSERS[key](value)
        except ValueError as error:
            problems.append(f"{source} {error}")
    if problems:
        raise SettingsError("\n".join(problems))
    return Settings(**values)
