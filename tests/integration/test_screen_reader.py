"""A screen reader's visit: what the kiosk says on the accessibility bus, and to whom.

A blind patient's screen reader, or a switch user's assistive technology, knows the
kiosk only through AT-SPI: each control's name, role, states, text and actions, and the
events the kiosk sends. These tests are such a technology (`screen_reader/reader.py`,
under Debian's Python with pyatspi, in a private D-Bus session with its own X server and
accessibility bus; see `accessibility_bus.py`). They press only each control's default
action (the first: what a switch does), read only names and text, and listen for the
events a screen reader speaks from.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLocale, QTranslator

from kiosk.pack_loader import bundled_pack_dir, load_pack
from tests.conftest import one_at_a_time
from tests.integration.accessibility_bus import (
    ScreenReader,
    Session,
    desktop_session,
    missing_reason,
    start_kiosk,
    start_reader,
)

pytestmark = [
    pytest.mark.skipif(missing_reason() is not None, reason=str(missing_reason())),
    pytest.mark.slow,
]

TRANSLATIONS = Path(__file__).parents[2] / "resources" / "translations"
FOCUSED = "object:state-changed:focused"
# The bundled second slide: how it begins, and its bold words.
SLIDE_TWO = {
    "": ("Most medicines for depression take weeks to help.", ["weeks", "hours"]),
    "es": (
        "La mayoría de los medicamentos para la depresión tardan semanas en ayudar.",
        ["semanas", "horas"],
    ),
}
WELCOME_WORDS = (
    "Welcome. Please check in here before your treatment. It takes about 5–10 minutes: "
    "a few short pages about the treatment, some questions, your consent, and who will "
    "take you home."
)


class Words:
    """The kiosk's words in the visit's language, as its translation file has them."""

    def __init__(self, language: str) -> None:
        self.translator: QTranslator | None = None
        if language:
            self.translator = QTranslator()
            assert self.translator.load(str(TRANSLATIONS / f"kiosk_{language}.qm"))

    def __call__(self, context: str, source: str) -> str:
        if self.translator is None:
            return source
        return self.translator.translate(context, source) or source


@pytest.fixture(autouse=True)
def _one_at_a_time() -> Iterator[None]:
    """With the suite in several test processes, one test at a time drives a whole kiosk
    through a bus of its own: two at once on two cores missed their pages."""
    with one_at_a_time("accessibility bus"):
        yield


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    yield from desktop_session(tmp_path)


def kiosk_reader(session: Session, settings: str = "") -> ScreenReader:
    kiosk, said = start_kiosk(session, "read_aloud = false\ntyped_signature = true\n" + settings)
    reader = start_reader(session, kiosk, said)
    reader.wait_for_node("Start", "push button", timeout=60)
    reader.events()
    return reader


def press(reader: ScreenReader, name: str, role: str | None = None) -> None:
    """Press a control as a switch does: its default (first) action."""
    reader.wait_for_node(name, role)
    reader.act(name, role)


def focused_named(reader: ScreenReader, timeout: float = 10) -> dict[str, Any]:
    """Where the focus ended, once it moved: the named node a screen reader then says.

    Events that were on their way before (a field's, while typing) come first; the last
    named focus once the page has settled is the one the new page gave.
    """
    deadline = time.monotonic() + timeout
    found: list[dict[str, Any]] = []
    settled_at = None
    while time.monotonic() < deadline:
        new = [
            event
            for event in reader.events()
            if event["type"] == FOCUSED and event["detail1"] == 1 and event["name"].strip()
        ]
        found += new
        if new:
            settled_at = time.monotonic() + 0.5
        elif settled_at is not None and time.monotonic() > settled_at:
            return found[-1]
        time.sleep(0.05)
    raise AssertionError("nothing named took the focus: a screen reader said nothing")


def quiet(reader: ScreenReader, for_seconds: float = 4, timeout: float = 60) -> None:
    """Until the kiosk has sent nothing for `for_seconds` (what it builds ahead is built)."""
    deadline = time.monotonic() + timeout
    last = time.monotonic()
    while time.monotonic() - last < for_seconds:
        assert time.monotonic() < deadline, "the kiosk never fell quiet"
        if reader.events():
            last = time.monotonic()
        time.sleep(0.1)


def new_page(reader: ScreenReader, name: str, role: str | None = None) -> dict[str, Any]:
    """Press `name`; the named node the focus then went to (the new page's title)."""
    reader.events()
    press(reader, name, role)
    return focused_named(reader)


def type_on_keys(reader: ScreenReader, words: Words, text: str) -> None:
    """Type `text` on the on-screen keyboard, pressing each key by its (stable) name."""
    shift = words("OnScreenKeyboard", "Shift")
    first = True
    for character in text:
        if character.isdigit():
            to_page(reader, character, words("OnScreenKeyboard", "Numbers"))
            press(reader, character)
        elif character == " ":
            press(reader, words("OnScreenKeyboard", "Space"))
        else:
            if character.isupper() and not first:
                press(reader, shift)
            to_page(reader, character.lower(), words("OnScreenKeyboard", "Letters"))
            press(reader, character.lower())
        first = False


def to_page(reader: ScreenReader, key: str, page_key: str, timeout: float = 15) -> None:
    """Bring `key` on show, pressing `page_key` if the keyboard shows another page. The
    keyboard may be changing page as the field's focus arrives (a field of digits): what
    the bus shows is looked at again until one of the two is there."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        names = {n["name"] for n in reader.showing()}
        if key in names:
            return
        if page_key in names:
            press(reader, page_key)
            # The new page's keys take a moment to reach the bus: not pressed twice.
            turned = time.monotonic() + 3
            while time.monotonic() < turned and all(n["name"] != key for n in reader.showing()):
                time.sleep(0.1)
        else:
            time.sleep(0.1)
    raise AssertionError(f"the keyboard never showed {key!r}")


def fill(reader: ScreenReader, words: Words, field: str, text: str) -> None:
    """A field's default action (it takes the cursor), then its words on the keys."""
    press(reader, field, "text")
    type_on_keys(reader, words, text)
    shown = reader.wait_for_node(field, "text")
    assert shown["text"] == text, f"{field} says {shown['text']!r}, typed {text!r}"


def stored_visits(session: Session) -> int:
    with sqlite3.connect(session.home / "clinic.sqlite3") as database:
        return int(database.execute("SELECT count(*) FROM visits").fetchone()[0])


@pytest.mark.parametrize("language", ["", "es"], ids=["english", "spanish"])
def test_a_whole_visit_by_default_actions_alone_with_the_focus_on_every_new_page(
    session: Session, language: str
) -> None:
    reader = kiosk_reader(session)
    words = Words(language)
    if language:
        # The clinic's name reads the same in Spanish: the focus goes on to the welcome's
        # words, which a screen reader says in the new language.
        # A patient comes after the first visit's screens have been built ahead.
        quiet(reader)
        heard_before, pressed = len(reader.heard), time.monotonic()
        said = new_page(reader, "Español", "push button")
        assert said["name"] == words("WelcomeScreen", WELCOME_WORDS)
        # And nothing else floods the bus while it says them: only Welcome's own words
        # are renamed. (The next visit's screens, made again in Spanish, once renamed
        # about a thousand keys and labels in the first two seconds, and Orca said the
        # welcome's words 5 s after the tap.)
        time.sleep(max(0.0, pressed + 2 - time.monotonic()))
        reader.events()
        renamed = [
            (event.get("role"), event.get("name"))
            for event in reader.heard[heard_before:]
            if event["type"].endswith("accessible-name") and event["time"] < pressed + 2
        ]
        assert len(renamed) <= 20, f"{len(renamed)} names changed: {renamed[:30]}"
    start = words("WelcomeScreen", "Start")
    # Details: the cursor goes to the first field (a finger types there at once), which
    # a screen reader says by its name.
    title = new_page(reader, start, "push button")
    assert (title["role"], title["name"]) == ("text", words("DetailsScreen", "First name"))
    # Every node of the visit says its language: a screen reader picks its voice by it.
    # (The page's named nodes: the window's frames were read on Welcome already, and the
    # reader's library keeps a node's locale once read.)
    locales = {n["locale"] for n in reader.showing() if n["name"] and n["role"] != "frame"}
    assert all(locale.startswith(language or "en") for locale in locales), locales
    fill(reader, words, words("DetailsScreen", "First name"), "Ana")
    fill(reader, words, words("DetailsScreen", "Last name"), "Lopez")
    fill(reader, words, words("DetailsScreen", "Day"), "15")
    april = QLocale(language or "en").standaloneMonthName(4)
    april = april[:1].upper() + april[1:]
    press(reader, april)
    fill(reader, words, words("DetailsScreen", "Year"), "1968")
    continue_ = words("DetailsScreen", "Continue")

    # Every slide: its title takes the focus, a heading, "1 of 11" read before it.
    next_ = words("SlideScreen", "Next")
    title = new_page(reader, continue_, "push button")
    slides = 0
    while any(n["name"] == next_ for n in reader.showing()):
        slides += 1
        assert title["role"] == "heading"
        order = [(n["role"], n["name"]) for n in reader.showing()]
        progress = next(i for i, (_, name) in enumerate(order) if name.startswith(f"{slides} "))
        assert progress < order.index(("heading", title["name"])), order
        if slides == 2:
            # The slide's words as text with their bold, not a label's bare name.
            begins, bold = SLIDE_TWO[language]
            body = reader.ask("text_runs", containing=begins)
            assert body["text"].startswith(begins)
            said_bold = [body["text"][a:b] for a, b, said in body["runs"] if "weight" in said]
            assert said_bold == bold
        title = new_page(reader, next_, "push button")
    assert slides >= 2

    # Teach-back: each question's right answer, a push button its default action presses;
    # the next question's title takes the focus.
    said = {"yes": "Yes", "no": "No", "not_sure": "Not sure"}
    for question in load_pack(bundled_pack_dir()).teach_back:
        assert title["role"] == "heading"
        right = words("Answer", said[str(question.right_answer)])
        title = new_page(reader, right, "push button")

    # Every question: "No" by its default action records it, and the next one's title
    # takes the focus.
    questions = 0
    while any((n["role"], n["name"]) == ("radio button", "No") for n in reader.showing()):
        questions += 1
        no = reader.wait_for_node("No", "radio button")
        assert no["actions"][0] == "Press"
        assert title["role"] == "heading"
        title = new_page(reader, "No", no["role"])
    assert questions >= 2

    # Review, then consent: each statement once, as a check box its default action ticks.
    title = new_page(reader, words("ReviewScreen", "I confirm these answers are correct"))
    assert title["role"] == "heading"
    statements = [n for n in reader.showing() if n["role"] == "check box"]
    assert statements
    for statement in statements:
        assert statement["actions"][0] == "Press"
        press(reader, statement["name"], "check box")
        checked = reader.wait_for(
            "the statement ticked",
            lambda nodes, name=statement["name"]: next(
                (n for n in nodes if n["name"] == name and "checked" in n["states"]), None
            ),
        )
        assert checked
    everything = [n["name"] for n in reader.showing()]
    for statement in statements:
        assert everything.count(statement["name"]) == 1, "a statement is read twice"
    assert not [name for name in everything if name.startswith(("○", "✓"))]
    # The pad is something to sign on, named, and says how to sign another way.
    pad = next(n for n in reader.showing() if n["role"] == "canvas")
    assert pad["name"] == words(
        "SignaturePad", "Signature pad: draw your signature with your finger"
    )
    assert words("ConsentScreen", "Sign by typing my name instead") in pad["description"]
    press(reader, words("ConsentScreen", "Sign by typing my name instead"))
    fill(reader, words, words("TypedSignature", "Your full name"), "Ana Lopez")

    # Ride home: as on the details, the cursor in the first field, which says its name.
    field = new_page(reader, words("ConsentScreen", "Sign and continue"))
    assert (field["role"], field["name"]) == ("text", words("RideHomeScreen", "Their name"))
    done = new_page(reader, words("RideHomeScreen", "I don't have a ride yet"))
    assert done["role"] == "heading"
    deadline = time.monotonic() + 20
    while stored_visits(session) == 0:
        assert time.monotonic() < deadline, "the visit was never stored"
        time.sleep(0.2)


def test_ask_for_help_is_a_dialog_that_takes_the_focus_and_keeps_what_is_behind_out_of_reach(
    session: Session,
) -> None:
    reader = kiosk_reader(session)
    field = new_page(reader, "Start", "push button")

    said = new_page(reader, "Ask for help", "push button")

    dialog = reader.wait_for_node("Ask for help", "dialog")
    assert said["name"].startswith(("We are letting the front desk know", "Someone from"))
    # The focus is inside the dialog: its words, which a screen reader reads.
    showing = reader.showing()
    inside = showing[showing.index(dialog) + 1 :]
    assert said["name"] in [n["name"] for n in inside if n["depth"] > dialog["depth"]]
    # Behind it, nothing can be pressed: Continue shows (dimmed) but is not sensitive
    # and has no action to do.
    behind = reader.wait_for_node("Continue", "push button")
    assert "sensitive" not in behind["states"]
    assert behind["actions"] == []

    # OK closes it: the focus goes back to where the patient was, and Continue works again.
    back = new_page(reader, "OK", "push button")
    assert back["name"] == field["name"]
    behind = reader.wait_for_node("Continue", "push button")
    assert "sensitive" in behind["states"]
    assert behind["actions"][0] == "Press"


def test_keys_pressed_through_the_bus_keep_are_you_still_there_away_and_it_is_an_alert(
    session: Session,
) -> None:
    # 15 s, pressed through for over 20 s: room for a slow bus on a busy machine.
    reader = kiosk_reader(session, "idle_timeout = 15\n")
    words = Words("")
    new_page(reader, words("WelcomeScreen", "Start"), "push button")
    press(reader, "First name", "text")
    # A slow switch user: a key every 3 seconds, for longer than the idle timeout.
    began = time.monotonic()
    for _ in range(8):
        press(reader, "Hyphen")
        asked = [n for n in reader.showing() if n["name"].startswith("Are you still there?")]
        assert not asked, f"asked after {time.monotonic() - began:.0f} s of pressing keys"
        time.sleep(3)
    assert time.monotonic() - began > 20
    assert reader.wait_for_node("First name", "text")["text"] == "--------"

    # Once nothing is pressed, the question comes: an alert, and the focus goes into it.
    reader.events()
    alert = reader.wait_for_node("Are you still there?", "alert", timeout=20)
    said = focused_named(reader)
    showing = reader.showing()
    inside = [n["name"] for n in showing[showing.index(alert) + 1 :]]
    # Its words count down every second: the same words, a second later.
    assert said["name"].startswith("Are you still there?")
    assert any(name.startswith("Are you still there?") for name in inside)
    assert "sensitive" not in reader.wait_for_node("Last name", "text")["states"]


def test_shift_renames_no_key(session: Session) -> None:
    reader = kiosk_reader(session)
    new_page(reader, "Start", "push button")
    reader.events()
    shift = reader.wait_for_node("Shift")
    assert shift["actions"][0] == "Press"
    assert "checked" in shift["states"]  # a capital first: the field is empty

    press(reader, "Shift")
    time.sleep(1)

    renamed = [e for e in reader.events() if e["type"].endswith("accessible-name")]
    assert renamed == []
    assert "checked" not in reader.wait_for_node("Shift")["states"]
    assert reader.wait_for_node("q", "push button")
