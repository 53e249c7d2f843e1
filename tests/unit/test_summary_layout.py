"""The printed summary as issue 23 designed it: what a reader sees, and where."""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from pypdf import PdfReader
from pypdf.generic import ContentStream

from kiosk.content import Answer, ContentPack
from kiosk.content_versions import content_in_use
from kiosk.database import Database
from kiosk.pack_loader import PACK_FILE, load_pack
from kiosk.stored_visits import load_visit, save_visit
from kiosk.summary import build_summary
from kiosk.visit_record import VisitRecord
from kiosk.visit_walk import ManualClock, walk_visit
from tests.conftest import store_visit

CHICAGO = ZoneInfo("America/Chicago")
PRINTED = {"printed_by": "maria", "printed_at": datetime(2026, 11, 28, 17, 5, tzinfo=UTC)}


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


@dataclass(frozen=True)
class Placed:
    """A run of text where it lands on the first page (points from the bottom left)."""

    x: float
    y: float
    size: float
    text: str


def placed(pdf: bytes, page: int = 0) -> list[Placed]:
    found: list[Placed] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        if text.strip():
            found.append(Placed(tm[4] + cm[4], tm[5] + cm[5], size * (tm[0] or 1), text.strip()))

    PdfReader(io.BytesIO(pdf)).pages[page].extract_text(visitor_text=visit)
    return found


def starting(runs: list[Placed], words: str) -> Placed:
    (run,) = [run for run in runs if run.text.startswith(words)]
    return run


# --- a line for the clinician, the patient's age, who printed it -----------------------------
def test_unreviewed_flags_leave_a_line_for_a_clinician_to_sign(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    record = stored(database, pack, clock, answers={"blood-pressure": Answer.NOT_SURE})
    (text,) = pages(build_summary(record, zone=CHICAGO))
    assert "Clinician review: Clinician (name) Signature Date and time" in text


def test_reviewed_flags_say_who_and_when_and_leave_no_blank_line(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    record = stored(database, pack, clock, answers={"blood-pressure": Answer.NOT_SURE})
    reviewed = replace(
        record,
        reviewed_by="dr.okafor",
        reviewed_at=datetime(2026, 11, 28, 16, tzinfo=UTC),
        open_flags=(),
    )
    (text,) = pages(build_summary(reviewed, zone=CHICAGO))
    assert "Reviewed by clinician dr.okafor on Nov 28, 2026, 10:00 AM CST" in text
    assert "Clinician (name)" not in text


def test_no_ride_alone_is_not_a_clinicians_to_sign(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    (text,) = pages(build_summary(stored(database, pack, clock, ride=None), zone=CHICAGO))
    assert "Clinician (name)" not in text


def test_the_age_stands_beside_the_date_of_birth_on_the_day_of_the_visit(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    # The visit is on Nov 28, 2026: one born Nov 29, 1968 is still 57 that day.
    for born, age in (("04/15/1968", 58), ("11/29/1968", 57), ("11/28/1968", 58)):
        record = stored(database, pack, clock, born=born)
        (text,) = pages(build_summary(record, zone=CHICAGO))
        assert f"1968 (age {age})" in text


def test_the_summary_says_when_it_was_printed_and_by_whom(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    (text,) = pages(build_summary(stored(database, pack, clock), zone=CHICAGO, **PRINTED))  # type: ignore[arg-type]
    assert "Printed Nov 28, 2026, 11:05 AM CST by maria" in text


def test_one_page_has_no_page_number_and_more_pages_say_x_of_y(
    database: Database, pack: ContentPack, clock: ManualClock, pack_copy: Path
) -> None:
    (text,) = pages(build_summary(stored(database, pack, clock), zone=CHICAGO))
    assert "page" not in text.lower().replace("pages", "")
    questions = pack_copy / "questions.yaml"
    questions.write_text(
        questions.read_text()
        + "".join(
            f"\n  - id: extra-{n}\n    text: Extra screening question {n} about your health "
            "history and your medicines this month?\n    flag_when: [yes]\n"
            f"    flag_wording: extra item {n}\n"
            for n in range(60)
        )
    )
    record = _stored_with(database, load_pack(pack_copy), pack_copy, clock)
    texts = pages(build_summary(record, zone=CHICAGO))
    total = len(texts)
    assert total >= 2
    for number, page_text in enumerate(texts, start=1):
        assert f"page {number} of {total}" in page_text


def _stored_with(
    database: Database, pack: ContentPack, folder: Path, clock: ManualClock, **kwargs: object
) -> VisitRecord:
    visit = walk_visit(pack, clock, **kwargs)  # type: ignore[arg-type]
    with database.session() as session, session.begin():
        content_in_use(session, folder, clock())
        save_visit(session, visit, station="t")
    with database.session() as session:
        record = load_visit(session, visit.id)
    assert record is not None
    return record


# --- the ride home, the consent, the signature, the visit ID -------------------------------
def test_the_ride_home_is_its_own_section_as_prominent_as_the_flags(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    record = stored(database, pack, clock, answers={"blood-pressure": Answer.NOT_SURE})
    runs = placed(build_summary(record, zone=CHICAGO))
    flags = starting(runs, "Needs attention before treatment")
    ride = starting(runs, "Ride home:")
    answers = starting(runs, "Answers (confirmed")
    # Its heading as large as the flags' heading, and read before the answers.
    assert ride.size == flags.size
    assert flags.y > ride.y > answers.y


def test_wrapped_consent_lines_start_under_the_statement_not_under_its_mark(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    runs = placed(build_summary(stored(database, pack, clock), zone=CHICAGO))
    mark = [run for run in runs if run.text == "✓"]
    first = starting(runs, "I understand that I may feel detached")
    wrapped = starting(runs, "for a short time.")
    assert wrapped.y < first.y
    assert abs(wrapped.x - first.x) < 0.5
    assert all(m.x < first.x - 5 for m in mark)


INK = (16 / 255, 32 / 255, 64 / 255)  # the signature pad's ink (kiosk.signature.INK)


def _signature_drawing(pdf: bytes) -> tuple[list[float], float, list[tuple[float, float]]]:
    """The box drawn just before the ink, the ink's line width, and the points it joins."""
    reader = PdfReader(io.BytesIO(pdf))
    operations = ContentStream(reader.pages[0].get_contents(), reader).operations
    box: list[float] = []
    width, ink_width = 0.0, 0.0
    points: list[tuple[float, float]] = []
    inking = False
    for arguments, operator in operations:
        values = [float(a) for a in arguments if isinstance(a, (int, float))]
        if operator == b"re" and not inking:
            box = values
        elif operator == b"w":
            width = values[0]
        elif operator == b"RG":
            inking = all(abs(v - ink) < 0.01 for v, ink in zip(values, INK, strict=True))
        elif operator in (b"m", b"l") and inking:
            ink_width = width
            points.append((values[0], values[1]))
        elif operator == b"Q" and points:
            break
    return box, ink_width, points


def test_the_signature_is_drawn_heavy_enough_for_a_laser_printer_in_a_box_its_size(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    box, ink_width, points = _signature_drawing(
        build_summary(stored(database, pack, clock), zone=CHICAGO)
    )
    assert len(points) > 3
    assert ink_width >= 1.2  # points: a hairline vanishes on a laser printer
    x, y, box_width, box_height = box
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    # Every stroke inside the box, and the box no more than a few millimetres bigger.
    assert x <= min(xs)
    assert max(xs) <= x + box_width
    assert y <= min(ys)
    assert max(ys) <= y + box_height
    assert box_width - (max(xs) - min(xs)) < 15
    assert box_height - (max(ys) - min(ys)) < 15


def test_the_visit_id_is_printed_once_as_the_qr_codes_label(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    record = stored(database, pack, clock)
    (text,) = pages(build_summary(record, zone=CHICAGO, **PRINTED))  # type: ignore[arg-type]
    assert text.count(record.id) == 1
    assert f"Visit ID {record.id} (in the QR code above)" in text


# --- education, language, talk first --------------------------------------------------------
NOTE = "education may not have been read"


def test_slides_tapped_through_faster_than_a_third_of_their_reading_time_get_a_soft_note(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    words = sum(slide.words for slide in pack.slides)
    expected = words * 60 / 200
    record = stored(database, pack, clock, seconds_per_slide=0.5)
    assert record.expected_reading_seconds == expected
    (text,) = pages(build_summary(record, zone=CHICAGO))
    assert f"Note: {NOTE} — 11 slides in 6 seconds, under a third of the" in text
    # A note, not a flag: nothing asks for a clinician because of it.
    assert "Needs attention" not in text
    assert "No flags" in text


def test_slides_read_for_more_than_a_third_of_their_time_get_no_note(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    per_slide = sum(slide.words for slide in pack.slides) * 60 / 200 / 3 / len(pack.slides)
    record = stored(database, pack, clock, seconds_per_slide=per_slide + 0.1)
    (text,) = pages(build_summary(record, zone=CHICAGO))
    assert NOTE not in text
    fast = stored(database, pack, clock, seconds_per_slide=per_slide - 0.1)
    (text,) = pages(build_summary(fast, zone=CHICAGO))
    assert NOTE in text


def test_the_patients_copy_has_no_note_about_reading(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    record = stored(database, pack, clock, seconds_per_slide=0.5)
    (text,) = pages(build_summary(record, zone=CHICAGO, for_patient=True))
    assert NOTE not in text


def test_the_reading_rate_and_share_come_from_the_content_pack(
    database: Database, clock: ManualClock, pack_copy: Path
) -> None:
    # 7 seconds a slide is over a third of the reading time at 200 words a minute, but
    # under half of it at 100.
    pack_file = pack_copy / PACK_FILE
    lines = [line for line in pack_file.read_text().splitlines() if "reading_" not in line]
    pack_file.write_text(
        "\n".join(lines) + "\n  reading_words_per_minute: 100\n  reading_time_fraction: 1/2\n"
    )
    record = _stored_with(database, load_pack(pack_copy), pack_copy, clock)
    (text,) = pages(build_summary(record, zone=CHICAGO))
    assert "under half of the" in text
    assert "to read at 100 words a minute" in text


def test_a_visit_in_spanish_prints_each_question_with_the_clinics_words_under_it(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    record = stored(database, pack, clock, language="es")
    pdf = build_summary(record, zone=CHICAGO)
    (text,) = pages(pdf)
    assert "Question (as asked, in Spanish; in English under it)" in text
    runs = placed(pdf)
    asked = starting(runs, "¿Tiene la presión arterial alta sin controlar?")
    clinic = starting(runs, "Do you have high blood pressure that is not under control?")
    assert asked.x == clinic.x
    assert 0 < asked.y - clinic.y < 15
    assert clinic.size < asked.size


def test_a_talk_first_visit_prints_no_meaning_of_a_signature(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    (text,) = pages(build_summary(stored(database, pack, clock, talk_first=True), zone=CHICAGO))
    assert "Not signed." in text
    assert "Meaning of the signature" not in text


def test_a_summary_saved_at_the_desk_names_who_saved_it_and_when(
    database: Database, pack: ContentPack, clock: ManualClock, tmp_path: Path
) -> None:
    from kiosk.actor import Actor, Role, StaffMember
    from kiosk.front_desk import FrontDesk

    record = stored(database, pack, clock)
    front_desk = FrontDesk(database, zone=CHICAGO, paper_size="Letter")
    member = StaffMember(1, "maria", frozenset({Role.STAFF}))
    at = datetime(2026, 11, 28, 17, 5, tzinfo=UTC)
    front_desk.save_summary(record.id, tmp_path / "s.pdf", Actor.staff(member, station="d", now=at))
    (text,) = pages((tmp_path / "s.pdf").read_bytes())
    assert "Printed Nov 28, 2026, 11:05 AM CST by maria" in text


def test_a_later_pages_footer_never_runs_into_confidential_health_information(
    database: Database, pack_copy: Path, clock: ManualClock
) -> None:
    """Pages after the first name the visit ID in the footer too; with who printed it the
    line ran over "Confidential health information"."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from kiosk.summary import FONT

    questions = pack_copy / "questions.yaml"
    questions.write_text(
        questions.read_text()
        + "".join(
            f"\n  - id: extra-{n}\n    text: Extra screening question {n} about your health "
            "history and your medicines this month?\n    flag_when: [yes]\n"
            f"    flag_wording: extra item {n}\n"
            for n in range(60)
        )
    )
    record = _stored_with(database, load_pack(pack_copy), pack_copy, clock)
    pdf = build_summary(record, zone=CHICAGO, **PRINTED)  # type: ignore[arg-type]
    count = len(PdfReader(io.BytesIO(pdf)).pages)
    assert count >= 2
    for number in range(count):
        runs = placed(pdf, number)
        right = starting(runs, "Confidential health information")
        for run in runs:
            if run is right or abs(run.y - right.y) > 1:
                continue
            end = run.x + stringWidth(run.text, FONT, run.size)
            assert end < right.x, f"{run.text!r} runs into {right.text!r}"
        assert any("Printed" in run.text and "by maria" in run.text for run in runs)
