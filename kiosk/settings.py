"""The clinic's settings: one `kiosk.toml`, overridden by `KIOSK_…` variables and options.

Precedence, lowest first: built-in defaults, the settings file, environment variables,
command-line options. Every problem is reported by the key's name so clinic IT can fix it.
"""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

from kiosk import APP_NAME
from kiosk.database_url import holds_secret, is_plain_sqlite_file
from kiosk.database_url import parse as parse_url

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

# The time zones and the TOML parser are imported where they are used: the kiosk reads
# its settings before Welcome's first frame, which needs neither (a settings file or a
# time zone of the clinic's own loads them then).

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
    # The hash of this kiosk's exit PIN (`kiosk exit-pin`); "" for none: staff sign in.
    exit_pin: str = ""

    @property
    def zone(self) -> ZoneInfo:
        """The clinic's time zone: visits are stored in UTC and shown in this zone."""
        from zoneinfo import ZoneInfo

        return ZoneInfo(self.timezone)


def station_name() -> str:
    """This machine's name, recorded with every entry and every visit."""
    if hasattr(os, "uname"):
        # POSIX: the name socket.gethostname() gives (gethostname reads uname's), without
        # loading sockets before the kiosk's first frame.
        name = os.uname().nodename
    else:
        import socket  # Windows

        name = socket.gethostname()
    return name or "unknown-station"


def data_dir() -> Path:
    """The user's data folder for this app (database, held visits)."""
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
    if "\x00" in value:
        # No file name, URL or name of anything holds one; TOML can write it ("\u0000").
        raise ValueError("must not hold a NUL character")
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
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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


@dataclass(frozen=True)
class WholeNumber:
    """A whole-number setting: its unit and the values it may take.

    A number is given as an integer in the file or as ASCII digits in a variable or an
    option; a fraction, a sign, a switch or anything else is refused, never rounded or
    cut. A range keeps the value within what the program can act on (a Qt timer takes
    at most 24.8 days) and what a clinic could mean.
    """

    unit: str
    low: int
    high: int
    # A value outside the range with a meaning of its own ("0 (never purge)"), if any.
    zero_means: str = ""

    @property
    def rule(self) -> str:
        """The sentence a bad value is told, after the setting's name."""
        span = f"a whole number of {self.unit} from {self.low} to {self.high}"
        return f"must be 0 ({self.zero_means}) or {span}" if self.zero_means else f"must be {span}"

    def __call__(self, value: Any) -> int:
        number = _whole_number(value)
        if number is not None and (
            self.low <= number <= self.high or (number == 0 and self.zero_means)
        ):
            return number
        raise ValueError(f"{self.rule}; it is {_as_given(value)}")


def _whole_number(value: Any) -> int | None:
    if isinstance(value, bool):  # TOML's true is an int to Python
        return None
    if isinstance(value, int):
        return value
    # Twelve digits are beyond every range; more would only cost time to convert.
    if isinstance(value, str) and re.fullmatch(r"[0-9]{1,12}", value.strip()):
        return int(value.strip())
    return None


def _as_given(value: Any) -> str:
    shown = repr(value)
    return shown if len(shown) <= 24 else shown[:20] + "…"


# Every number a clinic can set, with its range (the README's settings table lists them).
NUMBERS: dict[str, WholeNumber] = {
    "idle_timeout": WholeNumber("seconds", 10, 3600),
    "lockout_minutes": WholeNumber("minutes", 1, 24 * 60),
    # A desk left signed in shows health information to whoever walks up: two hours at most.
    "staff_idle_minutes": WholeNumber("minutes", 1, 120),
    # Fewer than 30 days is far more likely a typo than a policy: a purge cannot be undone.
    "retention_days": WholeNumber("days", 30, 36500, zero_means="never purge"),
}


def _database_url(value: Any) -> str:
    url = _text(value)
    if not is_plain_sqlite_file(url):
        parse_url(url)  # refused here, by the setting's name, rather than when it is opened
    return url


def _engine_name(value: Any) -> str:
    if not isinstance(value, str) or not all(c.isalnum() or c in "-_" for c in value.strip()):
        raise ValueError("must be a text-to-speech engine's name, such as speechd, or empty")
    return value.strip()


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


def _exit_pin_hash(value: Any) -> str:
    # Never the PIN itself: a setting that is not a hash is refused without repeating it.
    text = value.strip() if isinstance(value, str) else None
    if text is None or (text and (not text.startswith("scrypt$") or text.count("$") != 5)):
        raise ValueError("must be set with `kiosk exit-pin`, which keeps the PIN's hash")
    return text


_PARSERS: dict[str, Callable[[Any], Any]] = {
    "database_url": _database_url,
    "content_dir": _optional_path,
    "timezone": _timezone,
    "paper_size": _paper_size,
    "idle_timeout": NUMBERS["idle_timeout"],
    "lockdown": _switch,
    "lockout_minutes": NUMBERS["lockout_minutes"],
    "staff_idle_minutes": NUMBERS["staff_idle_minutes"],
    "held_visits_dir": _path,
    "retention_days": NUMBERS["retention_days"],
    "read_aloud": _switch,
    "speech_engine": _engine_name,
    "typed_signature": _switch,
    "exit_pin": _exit_pin_hash,
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
        "exit_pin": "",
    }


def _owner_name(uid: int) -> str:
    import pwd  # POSIX only

    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def _settings_file_problem(path: Path, from_file: Mapping[str, Any]) -> str | None:
    """Who else could read or change the settings file, when that matters.

    The file decides which database and which content the kiosk uses and whether it is
    locked down, so only its owner (the program's own user, or root) may change it; not
    even the group, which a desk running as another user shares. A file holding a
    database password or key is readable by its owner alone.
    """
    if os.name != "posix":
        # Windows: the file lives in the user's own profile, protected by its ACL.
        return None
    status = path.stat()
    me = os.geteuid()
    if status.st_uid not in (me, 0):
        return (
            f"{path}: this settings file belongs to another user "
            f"({_owner_name(status.st_uid)}), who could change what this program does; "
            f"run as root: chown {_owner_name(me)} {path}"
        )
    url = from_file.get("database_url")
    if isinstance(url, str) and holds_secret(url) and status.st_mode & 0o077:
        return (
            f"{path}: this file holds the database password or key, so only its owner may "
            f"read it; run: chmod 600 {path}"
        )
    if status.st_mode & 0o022:
        return (
            f"{path}: other users can change this settings file, and it decides which "
            f"database and content this program uses; run: chmod go-w {path}"
        )
    return None


def _secret_in_option(overrides: Mapping[str, Any]) -> str | None:
    """A password on the command line: every user of the computer can list it."""
    url = overrides.get("database_url")
    if not isinstance(url, str):
        return None
    try:
        has_secret = not is_plain_sqlite_file(url) and holds_secret(parse_url(url))
    except ValueError:
        return None  # refused anyway, as not a URL (see _database_url)
    if has_secret:
        return (
            "option for 'database_url' holds a password or key, which every user of this "
            "computer can read in the list of running programs; put the URL in the "
            "settings file (chmod 600) or in KIOSK_DATABASE_URL instead"
        )
    return None


def _read_settings_file(path: Path) -> dict[str, Any]:
    import tomllib

    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise SettingsError(f"{path}: this settings file cannot be read: {error}") from error
    except OSError as error:
        reason = error.strerror
        raise SettingsError(f"{path}: this settings file cannot be read: {reason}") from None


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
        from_file = _read_settings_file(path)
        problems.extend(filter(None, [_settings_file_problem(path, from_file)]))
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
    problems.extend(filter(None, [_secret_in_option(overrides or {})]))

    values = _defaults()
    for key, (source, value) in raw.items():
        try:
            values[key] = _PARSERS[key](value)
        except ValueError as error:
            problems.append(f"{source} {error}")
    if problems:
        raise SettingsError("\n".join(problems))
    return Settings(**values)


def add_global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """Options every subcommand takes, before or after its name."""
    default: Any = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--database",
        metavar="URL",
        default=default,
        help="SQLAlchemy database URL (default: SQLite in your data folder)",
    )
    parser.add_argument(
        "--content",
        metavar="DIR",
        type=Path,
        default=default,
        help="run on the content pack in DIR instead of the published content",
    )
