"""Welcome's card: what the first frame shows before storage, and hostile cards refused."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.check_in import CheckIn
from kiosk.content import ContentPack
from kiosk.database import Database
from kiosk.held_visits import HeldVisits, HoldReason
from kiosk.settings import Settings, load_settings
from kiosk.visit_walk import ManualClock, walk_visit
from kiosk.welcome_card import (
    WelcomeCard,
    read_welcome_card,
    welcome_card_file,
    write_welcome_card,
)

GOOD = {
    "format": 1,
    "languages": ["en", "es"],
    "clinic_names": ["Serenity Mental Health Centers", "Centros Serenity"],
    "open": True,
}


def test_a_card_is_read_back_as_written(tmp_path: Path, pack: ContentPack) -> None:
    card = WelcomeCard.of(pack, open=True)
    path = welcome_card_file(tmp_path, "front-kiosk")
    write_welcome_card(path, card)

    assert read_welcome_card(path) == card
    assert card.language == pack.language
    assert card.languages == pack.languages
    assert card.clinic_name("es") == pack.in_language("es").clinic_name
    # Whole or not at all: nothing but the card is left in its folder.
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_each_station_has_a_card_of_its_own(tmp_path: Path) -> None:
    lobby, upstairs = welcome_card_file(tmp_path, "lobby"), welcome_card_file(tmp_path, "up")
    assert lobby != upstairs
    # A station's name never leads the card out of its folder.
    sneaky = welcome_card_file(tmp_path, "../../etc/passwd")
    assert sneaky.parent == tmp_path / "welcome"


def _spoiled(**changes: object) -> str:
    return json.dumps({**GOOD, **changes})


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not json",
        "[]",
        "null",
        json.dumps({**GOOD, "extra": 1}),
        json.dumps({k: v for k, v in GOOD.items() if k != "open"}),
        _spoiled(format=2),
        _spoiled(open="yes"),
        _spoiled(languages=[]),
        _spoiled(languages=["en"]),  # names and languages do not pair up
        _spoiled(languages=["en", "en"]),
        _spoiled(languages=["en", "../x"]),
        _spoiled(languages="en"),
        _spoiled(clinic_names=["Serenity", ""]),
        _spoiled(clinic_names=["Serenity", 5]),
        _spoiled(clinic_names=["Serenity", "x" * 301]),
        _spoiled(clinic_names=["Serenity", "Bad\u0000name"]),
        _spoiled(languages=[f"l{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(41)]),
    ],
)
def test_anything_but_a_card_is_no_card(tmp_path: Path, text: str) -> None:
    path = tmp_path / "card.json"
    path.write_text(text, encoding="utf-8")
    assert read_welcome_card(path) is None


def test_no_file_a_folder_a_pipe_a_huge_file_or_bad_bytes_are_no_card(tmp_path: Path) -> None:
    assert read_welcome_card(tmp_path / "missing.json") is None
    assert read_welcome_card(tmp_path) is None
    huge = tmp_path / "huge.json"
    huge.write_text(_spoiled(clinic_names=["S" * 200, "x" * 200]) + " " * 70_000)
    assert read_welcome_card(huge) is None
    undecodable = tmp_path / "bytes.json"
    undecodable.write_bytes(b"\xff\xfe" + json.dumps(GOOD).encode())
    assert read_welcome_card(undecodable) is None
    if hasattr(os, "mkfifo"):
        pipe = tmp_path / "pipe.json"
        os.mkfifo(pipe)
        assert read_welcome_card(pipe) is None  # and it does not wait for a writer


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_give_a_card_or_none_and_never_an_error(raw: bytes) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "card.json"
        path.write_bytes(raw)
        card = read_welcome_card(path)
    assert card is None or isinstance(card, WelcomeCard)


@settings(max_examples=100, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["format", "languages", "clinic_names", "open"]),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=20),
            lambda inner: st.lists(inner, max_size=3),
            max_leaves=6,
        ),
    )
)
def test_hostile_json_gives_a_card_or_none(found: dict[str, object]) -> None:
    card = WelcomeCard.from_json(json.dumps(found))
    if card is not None:
        # What it shows is what it says.
        assert card.clinic_name(card.language)


def _service(tmp_path: Path, database: Database, clock: ManualClock) -> tuple[CheckIn, Path]:
    settings: Settings = load_settings(
        {
            "database_url": f"sqlite:///{tmp_path / 'kiosk.sqlite3'}",
            "held_visits_dir": tmp_path / "held",
        }
    )
    card = welcome_card_file(tmp_path / "data", "lobby")
    return CheckIn(database, settings, station="lobby", clock=clock, welcome_card=card), card


def test_the_check_in_service_writes_the_card_whenever_it_reads_the_content(
    tmp_path: Path, database: Database, clock: ManualClock
) -> None:
    service, path = _service(tmp_path, database, clock)
    assert not path.exists()

    content = service.content()

    assert content is not None
    assert read_welcome_card(path) == WelcomeCard.of(content, open=True)


def test_the_card_says_check_in_is_closed_while_it_is_paused(
    tmp_path: Path, database: Database, clock: ManualClock, pack: ContentPack
) -> None:
    service, path = _service(tmp_path, database, clock)
    visit = walk_visit(pack, clock=clock)
    HeldVisits(tmp_path / "held").hold(
        visit, station="lobby", actor="kiosk:lobby", reason=HoldReason.FULL, now=clock()
    )
    assert service.paused

    service.content()

    card = read_welcome_card(path)
    assert card is not None
    assert not card.open


def test_a_card_that_cannot_be_written_never_stops_the_content_being_read(
    tmp_path: Path, database: Database, clock: ManualClock
) -> None:
    service, path = _service(tmp_path, database, clock)
    path.parent.parent.mkdir(parents=True)
    path.parent.write_text("a file where the card's folder should be")

    assert service.content() is not None
    assert read_welcome_card(path) is None
