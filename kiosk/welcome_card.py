"""What Welcome shows before storage is loaded: the clinic's name, its languages, and
whether check-in is open, kept in a small file of the kiosk's own.

The kiosk paints Welcome from this card in its first frame, before SQLAlchemy, the models
and the database are loaded (they take most of a second); the check-in service writes it
again whenever it reads the content in use, and after each start. It holds nothing about
any patient. A card that is missing, unreadable, too large or not exactly what this
module writes counts as no card at all: Welcome then waits for storage, as on the very
first start. This module uses only the standard library, so reading the card costs the
first frame nothing.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # Only named: the first frame reads a card without loading the content's module.
    from kiosk.content import ContentPack

# What this module writes is a few hundred bytes; anything much larger is not a card.
_MOST_BYTES = 64 * 1024
_MOST_LANGUAGES = 40
_MOST_NAME_CHARACTERS = 300
_FORMAT = 1
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# A station's name becomes part of a file name: only these characters are kept.
_UNSAFE_IN_FILE_NAME = re.compile(r"[^A-Za-z0-9._-]")


@dataclass(frozen=True)
class WelcomeCard:
    """Welcome's words for the next visit, without the content pack behind them."""

    # The content's own language first, then its translations, as `ContentPack.languages`.
    languages: tuple[str, ...]
    clinic_names: tuple[str, ...]
    open: bool

    @property
    def language(self) -> str:
        """The content's own language (the next patient's, unless they choose another)."""
        return self.languages[0]

    def clinic_name(self, language: str) -> str:
        """The clinic's name in `language` (its own where there is no such language)."""
        names = dict(zip(self.languages, self.clinic_names, strict=True))
        return names.get(language, self.clinic_names[0])

    @classmethod
    def of(cls, pack: ContentPack, *, open: bool) -> WelcomeCard:  # noqa: A002 - the card's word
        """The card for `pack`; `open` is whether check-in can start."""
        languages = pack.languages
        return cls(languages, tuple(pack.in_language(code).clinic_name for code in languages), open)

    def as_json(self) -> str:
        """The file's text."""
        return json.dumps(
            {
                "format": _FORMAT,
                "languages": list(self.languages),
                "clinic_names": list(self.clinic_names),
                "open": self.open,
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> WelcomeCard | None:
        """The card in `text`, or None when it is not exactly a card."""
        try:
            found: Any = json.loads(text)
        except ValueError:
            return None
        if not isinstance(found, Mapping) or set(found) != {
            "format",
            "languages",
            "clinic_names",
            "open",
        }:
            return None
        languages, names, is_open = found["languages"], found["clinic_names"], found["open"]
        if found["format"] != _FORMAT or not isinstance(is_open, bool):
            return None
        if not (
            isinstance(languages, list)
            and isinstance(names, list)
            and 0 < len(languages) == len(names) <= _MOST_LANGUAGES
            and len(set(languages)) == len(languages)
            and all(isinstance(c, str) and _LANGUAGE_CODE.fullmatch(c) for c in languages)
            and all(_fit_to_show(name) for name in names)
        ):
            return None
        return cls(tuple(languages), tuple(names), is_open)


def _fit_to_show(name: object) -> bool:
    return (
        isinstance(name, str)
        and 0 < len(name) <= _MOST_NAME_CHARACTERS
        and not _CONTROL.search(name)
    )


def welcome_card_file(data_folder: Path, station: str) -> Path:
    """The card of `station` (one per station: several kiosks may share a data folder)."""
    safe = _UNSAFE_IN_FILE_NAME.sub("_", station)[:100] or "station"
    return data_folder / "welcome" / f"{safe}.json"


def read_welcome_card(path: Path) -> WelcomeCard | None:
    """The card at `path`, or None: missing, not a plain file, too large or not a card."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        # Never wait on a pipe or a device put where the card should be.
        descriptor = os.open(path, flags)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return None
        with os.fdopen(descriptor, "rb", closefd=False) as file:
            raw = file.read(_MOST_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(descriptor)
    if len(raw) > _MOST_BYTES:
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return WelcomeCard.from_json(text)


def write_welcome_card(path: Path, card: WelcomeCard) -> None:
    """Write `card` to `path` whole or not at all (a new file moved over the old one), so
    a kiosk switched off mid-write starts from the old card or none, never half of one.
    OSError when it cannot be written."""
    # Only here: reading the card (the first frame's part) need not load tempfile.
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=".welcome-", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(card.as_json())
            file.flush()
            os.fsync(file.fileno())
        Path(name).replace(path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
