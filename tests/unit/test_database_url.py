"""A database URL's secrets: every one hidden wherever the URL is shown."""

from __future__ import annotations

import pytest

from kiosk.database import DatabaseUnavailableError, open_database
from kiosk.database_url import holds_secret, shown_url, without_secrets

SECRET = "Sw0rdf1sh-only-here"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            f"postgresql+psycopg://kiosk:{SECRET}@db.clinic.lan/kiosk",
            "postgresql+psycopg://kiosk:***@db.clinic.lan/kiosk",
        ),
        (
            f"postgresql+psycopg://kiosk@db/kiosk?sslmode=require&password={SECRET}",
            "postgresql+psycopg://kiosk@db/kiosk?sslmode=require&password=***",
        ),
        (
            (
                f"postgresql+psycopg://kiosk@db/kiosk?sslpassword={SECRET}&passphrase={SECRET}"
                f"&key={SECRET}&api_key={SECRET}&token={SECRET}&client_secret={SECRET}"
                f"&Pwd={SECRET}&password={SECRET}&password=second-{SECRET}"
            ),
            (
                "postgresql+psycopg://kiosk@db/kiosk?sslpassword=***&passphrase=***&key=***"
                "&api_key=***&token=***&client_secret=***&Pwd=***&password=***&password=***"
            ),
        ),
        (
            f"sqlite+pysqlcipher://:{SECRET}@//var/lib/kiosk/kiosk.db?cipher=aes-256-cbc",
            "sqlite+pysqlcipher://:***@//var/lib/kiosk/kiosk.db?cipher=aes-256-cbc",
        ),
        # Percent-encoded in the URL, decoded by the parser: hidden in both forms.
        (
            "postgresql+psycopg://kiosk:p%40ss%2Fw0rd@db/kiosk?password=p%26ss",
            "postgresql+psycopg://kiosk:***@db/kiosk?password=***",
        ),
        # A URL that cannot be read: which part is the secret is anyone's guess.
        (f"postgresql+psycopg://kiosk:{SECRET}@db:port/kiosk", "postgresql+psycopg://***"),
        (f"kiosk:{SECRET}", "***"),
    ],
)
def test_every_secret_in_a_url_is_hidden_where_it_is_shown(url: str, shown: str) -> None:
    assert holds_secret(url)
    assert shown_url(url).startswith(shown)
    assert SECRET not in shown_url(url)
    for encoded in ("p@ss/w0rd", "p%40ss%2Fw0rd", "p&ss", "p%26ss"):
        assert encoded not in shown_url(url)


def test_a_url_without_secrets_is_shown_as_it_is() -> None:
    url = "postgresql+psycopg://kiosk@db.clinic.lan:5432/kiosk?sslmode=require"
    assert not holds_secret(url)
    assert shown_url(url) == url
    assert not holds_secret("sqlite:////var/lib/kiosk/kiosk.sqlite3")


def test_a_drivers_message_quoting_a_secret_is_cleaned() -> None:
    url = f"postgresql+psycopg://kiosk:{SECRET}@db/kiosk?sslpassword=a%2Fb"
    message = f'invalid value "{SECRET}", and "a/b", and "a%2Fb"'
    assert without_secrets(message, url) == 'invalid value "***", and "***", and "***"'


@pytest.mark.parametrize(
    "url",
    [
        # SQLAlchemy cannot read these: a port that is not a number, an unclosed [.
        f"postgresql+psycopg://kiosk:{SECRET}@db:port/kiosk",
        f"postgresql+psycopg://kiosk@[::1/kiosk?password={SECRET}",
        f"not a url {SECRET}",
        # No such driver: the message names the URL, with its secrets hidden.
        f"mysql+nosuchdriver://kiosk:{SECRET}@db/kiosk?token={SECRET}",
        # The key again in a parameter the driver refuses, and quotes in its message.
        f"sqlite+pysqlcipher://:{SECRET}@/:memory:?timeout={SECRET}",
    ],
)
def test_a_database_that_cannot_be_opened_is_told_without_its_secrets(url: str) -> None:
    with pytest.raises(DatabaseUnavailableError) as refused:
        open_database(url)
    assert SECRET not in str(refused.value)
    assert refused.value.__cause__ is None  # a trace would print the driver's own text
    assert refused.value.__suppress_context__
