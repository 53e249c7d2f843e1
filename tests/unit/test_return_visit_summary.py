"""A return visit's summary: twenty answers, consent, the ride home and the teach-back on
one page, on Letter and on A4."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from kiosk.content import ContentPack
from kiosk.database import Database
from kiosk.stored_visits import load_visit
from kiosk.summary import build_summary
from kiosk.visit import VisitFlow
from kiosk.visit_record import VisitRecord
from kiosk.visit_walk import ManualClock, walk_visit
from tests.conftest import store_visit

CHICAGO = ZoneInfo("America/Chicago")
# Where the PDFs go for a person to look at (the test's own folder unless set).
SCREENSHOTS = os.environ.get("KIOSK_TEST_SCREENSHOTS", "")


def returning(
    database: Database, pack: ContentPack, clock: ManualClock, flow: VisitFlow, **walk: object
) -> VisitRecord:
    visit = walk_visit(pack, clock, flow=flow, **walk)  # type: ignore[arg-type]
    store_visit(database, visit)
    with database.session() as session:
        record = load_visit(session, visit.id)
    assert record is not None
    return record


def printed(record: VisitRecord, paper: str, folder: Path) -> list[str]:
    pdf = build_summary(record, zone=CHICAGO, paper_size=paper, printed_by="maria")
    target = Path(SCREENSHOTS) if SCREENSHOTS else folder
    target.mkdir(parents=True, exist_ok=True)
    (target / f"return-visit-{record.flow}-{paper}.pdf").write_bytes(pdf)
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize("paper", ["Letter", "A4"])
@pytest.mark.parametrize("flow", [VisitFlow.RETURN_WITH_SLIDES, VisitFlow.RETURN_WITHOUT_SLIDES])
def test_a_return_visit_with_a_flag_prints_on_one_page(
    database: Database,
    pack: ContentPack,
    clock: ManualClock,
    tmp_path: Path,
    flow: VisitFlow,
    paper: str,
) -> None:
    record = returning(database, pack, clock, flow, answers={"since-urinary": "yes"})
    assert len(record.answers) == 20
    (page,) = printed(record, paper, tmp_path)
    # All of it: every answer, the flag, the consent, the ride home.
    assert "pain or urgency passing urine since the last infusion" in page
    assert "Since your last infusion, have you noticed changes in your memory" in page
    assert "I have had the chance to ask questions." in page
    assert "Ride home: Luis García" in page
    # One time span for the answers, in place of a time on each.
    assert re.search(r"Question — answered \d+:\d\d AM to \d+:\d\d AM Answer ", page)


@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_two_flags_and_a_teach_back_note_still_fit_one_page(
    database: Database, pack: ContentPack, clock: ManualClock, tmp_path: Path, paper: str
) -> None:
    record = returning(
        database,
        pack,
        clock,
        VisitFlow.RETURN_WITH_SLIDES,
        answers={"since-urinary": "yes", "last-solid-food": "under-8-hours"},
        teach_back={"teach-back-driving": ("yes", "yes"), "teach-back-call-us": ("no", "yes")},
    )
    (page,) = printed(record, paper, tmp_path)
    assert "ate solid food less than 8 hours before the infusion" in page
    assert "Teach-back after the slides: 2 of 4 right first time, 1 still wrong." in page
    assert "Note: teach-back still wrong after the slide was shown again" in page


def test_a_first_visit_keeps_its_roomier_layout(
    database: Database, pack: ContentPack, clock: ManualClock, tmp_path: Path
) -> None:
    record = returning(database, pack, clock, VisitFlow.FIRST_VISIT)
    (page,) = printed(record, "Letter", tmp_path)
    # Each answer with its own time, as before.
    assert "Time" in page
    assert "Question — answered" not in page
