"""The database URL's secrets: found wherever they are in it, and never shown.

A URL can carry a secret in more than one place: its password (where a SQLCipher key is
written too) and query-string parameters that a driver passes on (`?password=`,
`sslpassword=`, `passphrase=`, `key=`, `token=` …). Every URL a person or a log can see
goes through `shown_url`, and every message a driver wrote about a URL through
`without_secrets`, because drivers quote what they were given.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import quote, quote_plus

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

HIDDEN = "***"

# The embedded default and every SQLite file named by its path alone: no password, no
# parameters, nothing SQLAlchemy could refuse. Such a URL is read without importing
# SQLAlchemy (a fifth of a second), so a kiosk's settings cost its first frame nothing.
_PLAIN_SQLITE_FILE = re.compile(r"sqlite(?:\+pysqlite)?:///[^?#]+")

# A query parameter is a secret when its name contains one of these: by part of the
# name, so a driver's own spelling (sslpassword, passphrase, api_key, access_token,
# hexkey) is covered without a list of every driver's options.
_SECRET_NAME_PARTS = ("pass", "pwd", "key", "secret", "token", "auth", "credential")


class UnreadableURLError(ValueError):
    """The text is not a database URL; the message never repeats it (it may hold a secret)."""


def is_plain_sqlite_file(url: str) -> bool:
    """Whether `url` names a SQLite file by its path and nothing else (no secret in it)."""
    return _PLAIN_SQLITE_FILE.fullmatch(url) is not None


def parse(url: str | URL) -> URL:
    """The URL, checked whole (port included); raises `UnreadableURLError` without its text."""
    from sqlalchemy.engine import URL, make_url
    from sqlalchemy.exc import ArgumentError

    if isinstance(url, URL):
        return url
    try:
        parsed = make_url(url)
        _ = parsed.port  # a port that is not a number fails only when it is read
    except (ArgumentError, ValueError, TypeError):
        # `from None`: the parser's own message may quote the URL (SQLAlchemy 2.0 does).
        raise UnreadableURLError(
            "is not a database URL such as sqlite:///path/to/kiosk.sqlite3 or "
            "postgresql+psycopg://user@host/kiosk"
        ) from None
    return parsed


def is_secret_parameter(name: str) -> bool:
    """Whether a query-string parameter of this name carries a secret."""
    lowered = name.lower()
    return any(part in lowered for part in _SECRET_NAME_PARTS)


def _values(value: str | tuple[str, ...]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def secrets_in(url: str | URL) -> list[str]:
    """Every secret the URL holds: its password and its secret parameters' values.

    A URL that cannot be read is taken whole as a secret: nobody can tell which part
    of it is one.
    """
    if isinstance(url, str) and is_plain_sqlite_file(url):
        return []
    try:
        parsed = parse(url)
    except UnreadableURLError:
        return [str(url)] if str(url) else []
    found = [parsed.password] if parsed.password else []
    for name, value in parsed.query.items():
        if is_secret_parameter(name):
            found.extend(v for v in _values(value) if v)
    return [str(secret) for secret in found]


def holds_secret(url: str | URL) -> bool:
    """Whether the URL holds a password, a key or another secret anywhere."""
    return bool(secrets_in(url))


def shown_url(url: str | URL) -> str:
    """The URL as it may be shown or logged: every secret replaced by `***`."""
    try:
        parsed = parse(url)
    except UnreadableURLError:
        scheme, separator, _ = str(url).partition("://")
        readable = separator and scheme.replace("+", "").replace("_", "").isalnum()
        return f"{scheme}://{HIDDEN} (a URL that cannot be read)" if readable else HIDDEN
    shown = parsed.set(query={}).render_as_string(hide_password=True)
    parameters = [
        f"{quote_plus(name)}={HIDDEN if is_secret_parameter(name) else quote_plus(value)}"
        for name, values in parsed.query.items()
        for value in _values(values)
    ]
    # A secret repeated where it is not expected (`?application_name=` the password) too.
    return without_secrets(f"{shown}?{'&'.join(parameters)}" if parameters else shown, parsed)


def without_secrets(text: str, url: str | URL) -> str:
    """`text` (a driver's message) with every secret of `url` replaced by `***`.

    Each secret is looked for as written and as it would be written inside a URL, the
    two forms a driver's message may quote.
    """
    for secret in sorted(secrets_in(url), key=len, reverse=True):
        for form in {secret, quote(secret, safe=""), quote_plus(secret)}:
            text = text.replace(form, HIDDEN)
    return text
