"""The printed summary: what staff read at a glance, from the stored visit."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from sqlalchemy import text as sql

from kiosk.content import Answer, ContentPack
from kiosk.database import Database
from kiosk.pack_loader import load_pack
from kiosk.stored_visits import load_visit
from kiosk.summary import build_summary
from kiosk.visit_record import VisitRecord
from kiosk.visit_walk import ManualClock, walk_visit
from tests.conftest import store_visit

CHICAGO = ZoneInfo("America/Chicago")


def stored(
    database: Database, pack: ContentPack, clock: ManualClock, **kwargs: object
) -> VisitRecord:
    visit = walk_visit(pack, clock, **kwargs)  # type: ignore[arg-type]
    store_visit(database, visit)
    with database.session() as session:
        record = load_visit(session, visit.id)
    assert record is not None
    return record


def pages(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def test_the_summary_shows_name_flags_answers_consent_and_ride(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    record = stored(database, pack, clock, answers={"blood-pressure": Answer.NOT_SURE})
    pdf = build_summary(record, zone=CHICAGO)
    (text,) = pages(pdf)
    assert "Serenity Mental Health Centers" in text
    assert "Ana García" in text
    assert "Date of birth Apr 15, 1968" in text
    assert (
        "Needs clinician review: high blood pressure not under control — answered Not sure" in text
    )
    assert "No flags" not in text
    assert "Luis García (husband), phone (555) 201-3344" in text
    assert "I consent to ketamine infusion treatment today." in text
    assert "Signed by Ana García" in text
    assert record.id in text
    assert pack.version[:12] in text
    # 15:00 UTC on Nov 28 is 9 AM in Chicago: staff read the clinic's time, not UTC.
    assert "Nov 28, 2026, 9:" in text
    assert "CST" in text


def test_a_visit_with_no_flags_says_so(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    (text,) = pages(build_summary(stored(database, pack, clock), zone=CHICAGO))
    assert "No flags" in text
    assert "Needs clinician review" not in text


def test_a_stopped_visit_says_not_signed_and_why(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    (text,) = pages(build_summary(stored(database, pack, clock, talk_first=True), zone=CHICAGO))
    assert "Asked to talk to someone before consenting — consent not signed" in text
    assert "Not signed." in text
    assert "Ride home: Not asked" in text


def test_no_ride_home_is_flagged_on_paper(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    (text,) = pages(build_summary(stored(database, pack, clock, ride=None), zone=CHICAGO))
    assert text.count("must not drive today") >= 2  # the flag box and the ride line


@pytest.mark.parametrize(
    ("first", "last"),
    [
        ("<b>Zoë</b>", "Smith & Sons"),
        ("Renée", 'O\'Brien "Jr"'),
        ("Nguyễn", "Đặng <script>"),
    ],
)
def test_any_name_prints_literally(
    database: Database, pack: ContentPack, clock: ManualClock, first: str, last: str
) -> None:
    record = stored(
        database,
        pack,
        clock,
        first=first,
        last=last,
        ride=(f"{first} {last}", "555 201 3344", "friend & neighbor"),
    )
    (text,) = pages(build_summary(record, zone=CHICAGO))
    assert f"{first} {last}" in text
    assert "friend & neighbor" in text


def test_same_visit_gives_the_same_bytes(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    record = stored(database, pack, clock)
    assert build_summary(record, zone=CHICAGO) == build_summary(record, zone=CHICAGO)


def test_paper_size_follows_the_setting(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    record = stored(database, pack, clock)
    for paper, (width, height) in {"A4": (595, 842), "Letter": (612, 792)}.items():
        box = PdfReader(io.BytesIO(build_summary(record, zone=CHICAGO, paper_size=paper))).pages[0]
        assert (round(float(box.mediabox.width)), round(float(box.mediabox.height))) == (
            width,
            height,
        )


def test_a_longer_pack_flows_onto_a_second_page_with_the_header_repeated(
    tmp_path: Path, pack_copy: Path, clock: ManualClock, database: Database
) -> None:
    questions = pack_copy / "questions.yaml"
    extra = "".join(
        f"\n  - id: extra-{n}\n    text: Extra screening question number {n} about your health "
        f"history and your medicines this month?\n    flag_when: [yes]\n"
        f"    flag_wording: extra screening item {n}\n"
        for n in range(60)
    )
    questions.write_text(questions.read_text() + extra)
    long_pack = load_pack(pack_copy)
    visit = walk_visit(long_pack, clock)
    with database.session() as session, session.begin():
        from kiosk.content_versions import content_in_use
        from kiosk.stored_visits import save_visit

        _row, _ = content_in_use(session, pack_copy, clock())
        save_visit(session, visit, station="t")
    with database.session() as session:
        record = load_visit(session, visit.id)
    assert record is not None
    texts = pages(build_summary(record, zone=CHICAGO))
    assert len(texts) >= 2
    for text in texts:
        assert "Serenity Mental Health Centers" in text
        assert f"Visit ID {record.id}" in text
        assert "Ana García" in text


def test_the_default_pack_fits_one_page_even_with_every_flag(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    everything = {q.id: Answer.NOT_SURE for q in pack.questions}
    record = stored(
        database,
        pack,
        clock,
        answers=everything,
        ride=None,
        first="Maximiliana-Guadalupe",
        last="Fernández-Castellanos de la Torre",
    )
    record = replace(record, is_demo=True)
    texts = pages(build_summary(record, zone=CHICAGO))
    assert len(texts) == 1
    assert texts[0].count("Needs clinician review") == 5
    assert "DEMO" in texts[0]


NAME_LETTERS = st.text(
    alphabet=st.sampled_from(
        list("abcdefghijklmnopqrstuvwxyzABCXYZáéíóúüñçàèêôÁÉÑÇßøåæłđő<>&'\"-")
    ),
    min_size=1,
    max_size=24,
).filter(lambda name: name.strip(" -") == name)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(first=NAME_LETTERS, last=NAME_LETTERS)
def test_any_name_round_trips_through_storage_and_prints_literally(
    database: Database, pack: ContentPack, first: str, last: str
) -> None:
    record = stored(database, pack, ManualClock(), first=first, last=last)
    assert (record.first_name, record.last_name) == (first, last)
    (text,) = pages(build_summary(record, zone=CHICAGO))
    assert f"{first} {last}" in text


def test_the_patients_copy_leaves_out_staff_notes(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    record = stored(database, pack, clock, answers={"psychosis": Answer.YES})
    (text,) = pages(build_summary(record, zone=CHICAGO, for_patient=True))
    assert "Your check-in — copy for you to keep" in text
    assert "Needs clinician review" not in text
    assert "Please remember: do not drive for the rest of today" in text
    assert "I consent to ketamine infusion treatment today." in text
    assert "Luis García (husband)" in text


SCRIPTS = {
    "latin": "abcdefghijklmnopqrstuvwxyzáéíóúüñçàèêôøåæßłđőăâêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệ",
    "greek": "αβγδεζηθικλμνξοπρστυφχψωάέήίόύώ",
    "cyrillic": "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ",
}


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(script=st.sampled_from(sorted(SCRIPTS)), data=st.data())
def test_names_in_latin_greek_and_cyrillic_print_as_typed(
    database: Database, pack: ContentPack, script: str, data: st.DataObject
) -> None:
    letters = SCRIPTS[script]
    first = data.draw(st.text(alphabet=letters, min_size=2, max_size=12)).capitalize()
    last = data.draw(st.text(alphabet=letters, min_size=2, max_size=16)).capitalize()
    record = stored(database, pack, ManualClock(), first=first, last=last)
    (text,) = pages(build_summary(record, zone=CHICAGO))
    assert f"{first} {last}" in text


@pytest.mark.parametrize(("first", "last"), [("美玲", "王"), ("Ana", "🌻 García"), ("健", "佐藤")])
def test_names_the_font_cannot_show_still_print_with_a_note(
    database: Database, pack: ContentPack, clock: ManualClock, first: str, last: str
) -> None:
    from kiosk.summary import NOT_PRINTABLE_NOTE

    record = stored(database, pack, clock, first=first, last=last)
    assert (record.first_name, record.last_name) == (first, last)  # stored exactly
    pdf = build_summary(record, zone=CHICAGO)
    (text,) = pages(pdf)
    assert NOT_PRINTABLE_NOTE.strip() in text or b"KioskFallback" in pdf


def test_control_characters_never_reach_the_record(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    record = stored(database, pack, clock, first="Ana\x00\x07", last="Lee\u0085Smith")
    assert record.first_name == "Ana"
    assert record.last_name == "LeeSmith"


@pytest.mark.parametrize("stored_strokes", ["{not json", '{"strokes": [[1]], "width": 9}', "[]"])
def test_a_signature_whose_stored_strokes_cannot_be_read_still_prints_its_picture(
    database: Database, pack: ContentPack, clock: ManualClock, stored_strokes: str
) -> None:
    drawn = stored(database, pack, clock)
    assert drawn.signature_strokes is not None  # the strokes print as lines
    assert not PdfReader(io.BytesIO(build_summary(drawn, zone=CHICAGO))).pages[0].images
    with database.engine.begin() as connection:
        connection.execute(
            sql("UPDATE visits SET signature_strokes = :bad WHERE id = :id"),
            {"bad": stored_strokes, "id": drawn.id},
        )
    with database.session() as session:
        record = load_visit(session, drawn.id)
    assert record is not None
    assert record.signature_strokes is None
    pdf = build_summary(record, zone=CHICAGO)
    (page,) = PdfReader(io.BytesIO(pdf)).pages
    assert "Signed by Ana García" in " ".join(page.extract_text().split())
    assert len(page.images) == 1  # the picture stored beside the strokes
