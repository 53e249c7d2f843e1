"""Scored questionnaires (issue 28): the PHQ-9 and GAD-7 as shipped, word for word; their
scoring and bands; when a visit asks them; a Spanish visit without the publisher's
version; answers stored and read back with their totals."""

from __future__ import annotations

import dataclasses
import io
import os
import shutil
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from kiosk.content import ContentPack, Measure
from kiosk.content_versions import store_content
from kiosk.database import Database
from kiosk.measures import measure_due, measure_score
from kiosk.pack_loader import ContentPackError, bundled_pack_dir, load_pack
from kiosk.rules import FlagKind
from kiosk.stored_visits import load_visit
from kiosk.summary import build_summary
from kiosk.visit import Step, Visit, VisitFlow
from kiosk.visit_walk import ManualClock, answer_teach_back, walk_visit
from tests.conftest import store_visit, url_of

# The text, character for character (em dashes, the "?" inside item 8).
PHQ9_INSTRUCTIONS = (
    "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
)
GAD7_INSTRUCTIONS = (
    "Over the last 2 weeks, how often have you been bothered by the following problems?"
)
CHOICES = [
    ("Not at all", 0),
    ("Several days", 1),
    ("More than half the days", 2),
    ("Nearly every day", 3),
]
PHQ9_ITEMS = [
    "Little interest or pleasure in doing things",
    "Feeling down, depressed, or hopeless",
    "Trouble falling or staying asleep, or sleeping too much",
    "Feeling tired or having little energy",
    "Poor appetite or overeating",
    (
        "Feeling bad about yourself \u2014 or that you are a failure or have let yourself or "
        "your family down"
    ),
    "Trouble concentrating on things, such as reading the newspaper or watching television",
    (
        "Moving or speaking so slowly that other people could have noticed? Or the opposite "
        "\u2014 being so fidgety or restless that you have been moving around a lot more than "
        "usual"
    ),
    "Thoughts that you would be better off dead or of hurting yourself in some way",
]
DIFFICULTY = (
    "If you checked off any problems, how difficult have these problems made it for you to "
    "do your work, take care of things at home, or get along with other people?"
)
DIFFICULTY_CHOICES = [
    "Not difficult at all",
    "Somewhat difficult",
    "Very difficult",
    "Extremely difficult",
]
GAD7_ITEMS = [
    "Feeling nervous, anxious, or on edge",
    "Not being able to stop or control worrying",
    "Worrying too much about different things",
    "Trouble relaxing",
    "Being so restless that it is hard to sit still",
    "Becoming easily annoyed or irritable",
    "Feeling afraid, as if something awful might happen",
]
ATTRIBUTION = (
    "Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, "
    "with an educational grant from Pfizer Inc."
)


def bands_of(measure: Measure) -> list[tuple[int, int, str]]:
    return [(band.lowest, band.highest, band.name) for band in measure.bands]


def test_the_phq9_is_shipped_word_for_word(pack: ContentPack) -> None:
    phq9 = pack.measure("phq9")
    assert phq9.name == "PHQ-9"
    assert phq9.instructions == PHQ9_INSTRUCTIONS
    assert [(c.text, c.score) for c in phq9.choices] == CHOICES
    assert [item.id for item in phq9.items] == [f"phq9-{n}" for n in range(1, 10)]
    assert [item.text for item in phq9.items] == PHQ9_ITEMS
    assert phq9.difficulty is not None
    assert phq9.difficulty.id == "phq9-difficulty"
    assert phq9.difficulty.text == DIFFICULTY
    assert [c.text for c in phq9.difficulty.choices] == DIFFICULTY_CHOICES
    assert bands_of(phq9) == [
        (0, 4, "minimal"),
        (5, 9, "mild"),
        (10, 14, "moderate"),
        (15, 19, "moderately severe"),
        (20, 27, "severe"),
    ]
    assert phq9.attribution == ATTRIBUTION
    assert phq9.validated


def test_the_gad7_is_shipped_word_for_word(pack: ContentPack) -> None:
    gad7 = pack.measure("gad7")
    assert gad7.name == "GAD-7"
    assert gad7.instructions == GAD7_INSTRUCTIONS
    assert [(c.text, c.score) for c in gad7.choices] == CHOICES
    assert [item.id for item in gad7.items] == [f"gad7-{n}" for n in range(1, 8)]
    assert [item.text for item in gad7.items] == GAD7_ITEMS
    assert gad7.difficulty is not None
    assert gad7.difficulty.id == "gad7-difficulty"
    assert bands_of(gad7) == [
        (0, 4, "minimal"),
        (5, 9, "mild"),
        (10, 14, "moderate"),
        (15, 21, "severe"),
    ]
    assert gad7.attribution == ATTRIBUTION


def test_both_are_off_in_the_default_pack_and_no_spanish_ships(pack: ContentPack) -> None:
    assert [(m.id, m.turned_on) for m in pack.measures] == [("phq9", False), ("gad7", False)]
    assert pack.in_language("es").measures == ()
    visit = walk_visit(pack, ManualClock())
    assert not any(q.measure for q in visit.questions)


def _answers_for(measure: Measure, total: int) -> dict[str, str]:
    """Answers whose scores add up to `total`, filled from the first item."""
    by_score = {choice.score: choice.id for choice in measure.choices}
    answers, left = {}, total
    for item in measure.items:
        score = min(3, left)
        answers[item.id] = by_score[score]
        left -= score
    assert left == 0
    return answers


@pytest.mark.parametrize(
    ("measure_id", "expected"),
    [
        (
            "phq9",
            ["minimal"] * 5
            + ["mild"] * 5
            + ["moderate"] * 5
            + ["moderately severe"] * 5
            + ["severe"] * 8,
        ),
        ("gad7", ["minimal"] * 5 + ["mild"] * 5 + ["moderate"] * 5 + ["severe"] * 7),
    ],
)
def test_every_total_is_scored_and_banded(
    pack: ContentPack, measure_id: str, expected: list[str]
) -> None:
    measure = pack.measure(measure_id)
    assert measure.highest_total == len(expected) - 1
    for total, band in enumerate(expected):
        score = measure_score(measure, _answers_for(measure, total))
        assert score is not None
        assert (score.total, score.band) == (total, band)
    # An item unanswered: no total at all.
    partial = _answers_for(measure, 3)
    del partial[measure.items[-1].id]
    assert measure_score(measure, partial) is None


def turned_on(pack: ContentPack, every: int = 1) -> ContentPack:
    return dataclasses.replace(
        pack,
        measures=tuple(dataclasses.replace(m, every_nth_visit=every) for m in pack.measures),
    )


def test_every_nth_visit_counts_from_the_first(pack: ContentPack) -> None:
    phq9 = turned_on(pack, 3).measure("phq9")
    due = [True, False, False, True, False, False, True]
    assert [measure_due(phq9, n) for n in range(7)] == due
    # Where the kiosk cannot count the visits before, it asks.
    assert measure_due(phq9, None)
    assert not measure_due(pack.measure("phq9"), 0)


def test_a_visit_asks_each_item_and_records_its_score_in_one_place(
    pack: ContentPack, clock: ManualClock
) -> None:
    on = turned_on(pack)
    heard: list[tuple[str, int]] = []
    visit = Visit(on, clock=clock, scored_answer_recorded=lambda i, s: heard.append((i, s)))
    visit.start()
    visit.enter_details("Ana", "García", "04/15/1968", flow=VisitFlow.FIRST_VISIT)
    ids = [q.id for q in visit.questions]
    assert ids[-18:] == [
        *(f"phq9-{n}" for n in range(1, 10)),
        "phq9-difficulty",
        *(f"gad7-{n}" for n in range(1, 8)),
        "gad7-difficulty",
    ]
    item = visit.shown_questions[-18]
    assert (item.text, item.lead) == (PHQ9_ITEMS[0], PHQ9_INSTRUCTIONS)
    answers = {"phq9-2": "more-than-half-the-days", "phq9-9": "several-days"}
    while visit.step is Step.SLIDES:
        visit.next_slide()
    # The teach-back comes between the slides and the questions (the measures' items last).
    assert visit.step is Step.TEACH_BACK
    answer_teach_back(visit, clock)
    assert visit.step is Step.QUESTIONS
    assert len(visit.teach_back) == len(on.teach_back) > 0
    for question in visit.questions:
        visit.answer(answers.get(question.id, question.choices[0].id if question.choices else "no"))
        visit.next_question()
    assert ("phq9-9", 1) in heard
    assert ("phq9-2", 2) in heard
    # The difficulty item is not scored: no score is told for it.
    assert [i for i, _ in heard] == [*ids[-18:-9], *ids[-8:-1]]
    visit.confirm_answers()
    assert [(s.measure_id, s.total, s.band) for s in visit.measure_scores] == [
        ("phq9", 3, "minimal"),
        ("gad7", 0, "minimal"),
    ]
    assert not any(flag.kind is FlagKind.MEASURE_NOT_ASKED for flag in visit.flags)


def test_a_spanish_visit_skips_them_and_says_why(pack: ContentPack, clock: ManualClock) -> None:
    visit = walk_visit(turned_on(pack), clock, language="es")
    assert not any(q.measure for q in visit.questions)
    sentences = [f.sentence for f in visit.flags if f.kind is FlagKind.MEASURE_NOT_ASKED]
    assert sentences == [
        (
            f"{name} not asked — the visit was in Spanish and the clinic's content has no "
            f"Spanish {name} (only the publisher's own translation can be added)"
        )
        for name in ("PHQ-9", "GAD-7")
    ]


TEST_ONLY_SPANISH = """
measures:
  gad7:
    instructions: "[es] instructions"
    choices:
      not-at-all: "[es] 0"
      several-days: "[es] 1"
      more-than-half-the-days: "[es] 2"
      nearly-every-day: "[es] 3"
    items:
{items}
    difficulty: "[es] difficulty"
    difficulty_choices:
      not-difficult-at-all: "[es] a"
      somewhat-difficult: "[es] b"
      very-difficult: "[es] c"
      extremely-difficult: "[es] d"
"""


def spanish_pack(tmp_path: Path, *, items: int = 7) -> Path:
    """The bundled pack with a test-only Spanish GAD-7 (placeholders, not a translation)."""
    folder = tmp_path / "pack"
    shutil.copytree(bundled_pack_dir(), folder)
    es = folder / "translations" / "es.yaml"
    lines = "\n".join(f'      gad7-{n}: "[es] item {n}"' for n in range(1, items + 1))
    es.write_text(es.read_text(encoding="utf-8") + TEST_ONLY_SPANISH.format(items=lines))
    measures = folder / "measures.yaml"
    measures.write_text(
        measures.read_text(encoding="utf-8").replace("every_nth_visit: 0", "every_nth_visit: 1")
    )
    return folder


def test_a_clinic_provided_spanish_version_is_asked_in_spanish(
    tmp_path: Path, clock: ManualClock
) -> None:
    pack = load_pack(spanish_pack(tmp_path))
    visit = Visit(pack, clock=clock, language="es")
    visit.start()
    visit.enter_details("Ana", "García", "04/15/1968")
    asked = [q for q in visit.shown_questions if q.measure]
    assert [q.id for q in asked] == [*(f"gad7-{n}" for n in range(1, 8)), "gad7-difficulty"]
    assert asked[0].text == "[es] item 1"
    assert asked[0].lead == "[es] instructions"
    done = walk_visit(pack, clock, language="es")
    assert [s.measure_id for s in done.measure_scores] == ["gad7"]
    # The PHQ-9 has no Spanish version: not asked, and said so.
    assert [f.sentence[:18] for f in done.flags if f.kind is FlagKind.MEASURE_NOT_ASKED] == [
        "PHQ-9 not asked — "
    ]


def test_half_a_spanish_version_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ContentPackError, match="Spanish GAD-7 is not complete"):
        load_pack(spanish_pack(tmp_path, items=6))


@pytest.mark.parametrize("database_engine", ["sqlite"])
def test_answers_are_stored_and_read_back_with_totals(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    on = turned_on(pack)
    visit = walk_visit(on, clock, answers={"gad7-1": "nearly-every-day"})
    with database.session() as session, session.begin():
        store_content(session, on, label="measures on", stored_by="test", now=clock())
    store_visit(database, visit)
    with database.session() as session:
        record = load_visit(session, visit.id)
    assert record is not None
    assert [(m.measure.id, m.total, m.band) for m in record.measures] == [
        ("phq9", 0, "minimal"),
        ("gad7", 3, "minimal"),
    ]
    scored = [a for a in record.answers if a.measure == "gad7"]
    assert (scored[0].question_text, scored[0].words) == (GAD7_ITEMS[0], "Nearly every day")
    assert len([a for a in record.answers if a.measure]) == 18


def test_check_warns_of_a_changed_validated_instrument(pack: ContentPack) -> None:
    from kiosk.draft_check import draft_problems
    from kiosk.measure_check import measure_warnings

    assert measure_warnings(pack) == []
    # Turning a measure on is the clinic's to do: no warning.
    assert measure_warnings(turned_on(pack, 3)) == []
    phq9 = pack.measure("phq9")
    reworded = dataclasses.replace(
        phq9,
        items=(
            dataclasses.replace(phq9.items[0], text="Little interest in doing things"),
            *phq9.items[1:],
        ),
    )
    changed = dataclasses.replace(pack, measures=(reworded, pack.measure("gad7")))
    assert measure_warnings(changed) == [
        (
            "PHQ-9: its wording, scores or bands differ from the published PHQ-9; changed, it "
            "is no longer that validated instrument (restore the shipped text, or give it "
            "another ID and name)"
        )
    ]
    problems = draft_problems(changed, {})
    assert [(p.blocks, p.words[:6]) for p in problems] == [(False, "PHQ-9:")]


def test_a_patients_trend_and_each_visits_totals_are_listed(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    from kiosk.actor import Actor, Role, StaffMember
    from kiosk.front_desk import FrontDesk
    from kiosk.stored_visits import list_visits, patient_trends

    on = turned_on(pack)
    with database.session() as session, session.begin():
        store_content(session, on, label="measures on", stored_by="test", now=clock())
    desk = FrontDesk(database, zone=ZoneInfo("UTC"), paper_size="letter")
    clerk = StaffMember(1, "maria", frozenset({Role.STAFF}))
    patient_id = None
    phq9 = on.measure("phq9")
    stored = []
    # Twelve visits, the PHQ-9 falling by two each time from 24; the GAD-7 at 5.
    for n in range(12):
        answers = {**_answers_for(phq9, 24 - 2 * n), **_answers_for(on.measure("gad7"), 5)}
        visit = walk_visit(on, clock, answers=answers)
        store_visit(database, visit)
        stored.append(visit.id)
        patient_id = desk.link_visit(
            visit.id, patient_id, Actor.staff(clerk, station="desk", now=clock())
        )
        clock.advance(7 * 24 * 3600)
    assert patient_id is not None
    with database.session() as session:
        listed = {v.id: dict(v.measures) for v in list_visits(session)}
        trends = patient_trends(session, patient_id)
    assert listed[stored[0]] == {"phq9": 24, "gad7": 5}
    assert listed[stored[-1]] == {"phq9": 2, "gad7": 5}
    measure, points = trends["phq9"]
    assert measure.name == "PHQ-9"
    # The last ten, oldest first.
    assert [p.total for p in points] == [20, 18, 16, 14, 12, 10, 8, 6, 4, 2]
    assert [p.visit_id for p in points] == stored[2:]
    assert points[0].band == "severe"
    assert [p.total for p in trends["gad7"][1]] == [5] * 10

    # The summary of the sixth visit: its total and band, the trend up to that visit only.
    with database.session() as session:
        sixth = load_visit(session, stored[5])
    assert sixth is not None
    assert [p.total for p in sixth.trends["phq9"]] == [24, 22, 20, 18, 16, 14]
    pdf = build_summary(sixth, zone=ZoneInfo("UTC"))
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )
    assert "PHQ-9: total 14 of 27 — moderate" in text
    assert "GAD-7: total 5 of 21 — mild" in text
    assert "PHQ-9 — last 6 totals" in text
    assert text.count(ATTRIBUTION) == 2
    assert "Thoughts that you would be better off dead" in text
    if pictures := os.environ.get("MEASURE_PICTURES"):
        Path(pictures, "summary-with-measures.pdf").write_bytes(pdf)
    # The patient's copy: their answers, no total, band or trend.
    mine = build_summary(sixth, zone=ZoneInfo("UTC"), for_patient=True)
    text = " ".join(PdfReader(io.BytesIO(mine)).pages[0].extract_text().split())
    assert "total 14" not in text


@pytest.mark.parametrize("database_engine", ["sqlite"])
def test_every_nth_visit_counts_the_patients_linked_visits(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    from kiosk.actor import Actor, Role, StaffMember
    from kiosk.expected import visits_before
    from kiosk.front_desk import FrontDesk

    every_third = turned_on(pack, 3)
    desk = FrontDesk(database, zone=ZoneInfo("UTC"), paper_size="letter")
    clerk = Actor.staff(StaffMember(1, "maria", frozenset({Role.STAFF})), station="d", now=clock())
    with database.session() as session:
        assert visits_before(session, "Ana", "García", date(1968, 4, 15)) == 0
    patient_id = None
    for _ in range(2):
        visit = walk_visit(pack, clock)
        store_visit(database, visit)
        patient_id = desk.link_visit(visit.id, patient_id, clerk)
    with database.session() as session:
        before = visits_before(session, "Ana", "García", date(1968, 4, 15))
    assert before == 2
    # Her third visit: not due (due at the first, the fourth, the seventh…).
    third = Visit(every_third, clock=clock, visits_before=before)
    assert third.measures_due == ()
    fourth = Visit(every_third, clock=clock, visits_before=3)
    assert [m.id for m in fourth.measures_due] == ["phq9", "gad7"]


@pytest.mark.parametrize("database_engine", ["sqlite"])
def test_a_spanish_visits_record_says_what_was_not_asked(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    on = turned_on(pack)
    with database.session() as session, session.begin():
        store_content(session, on, label="measures on", stored_by="test", now=clock())
    visit = walk_visit(on, clock, language="es")
    store_visit(database, visit)
    with database.session() as session:
        record = load_visit(session, visit.id)
    assert record is not None
    assert record.measures == ()
    not_asked = [
        flag
        for flag, kind in zip(record.flags, record.flag_kinds, strict=True)
        if kind == FlagKind.MEASURE_NOT_ASKED
    ]
    assert [flag[:18] for flag in not_asked] == ["PHQ-9 not asked — ", "GAD-7 not asked — "]
    text = " ".join(
        " ".join(page.extract_text().split())
        for page in PdfReader(io.BytesIO(build_summary(record, zone=ZoneInfo("UTC")))).pages
    )
    assert "PHQ-9 not asked — the visit was in Spanish" in text


@pytest.mark.parametrize("database_engine", ["sqlite"])
def test_the_kiosk_counts_the_visits_before_where_a_measure_is_asked_every_nth(
    tmp_path: Path, database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    from kiosk.actor import Actor, Role, StaffMember
    from kiosk.check_in import CheckIn
    from kiosk.front_desk import FrontDesk
    from kiosk.settings import load_settings
    from kiosk.visit import KioskTiming

    folder = spanish_pack(tmp_path)  # both asked at every visit; now every third
    measures = folder / "measures.yaml"
    measures.write_text(
        measures.read_text(encoding="utf-8").replace("every_nth_visit: 1", "every_nth_visit: 3")
    )
    desk = FrontDesk(database, zone=ZoneInfo("UTC"), paper_size="letter")
    clerk = Actor.staff(StaffMember(1, "maria", frozenset({Role.STAFF})), station="d", now=clock())
    patient_id = None
    for _ in range(2):
        earlier = walk_visit(pack, clock)
        store_visit(database, earlier)
        patient_id = desk.link_visit(earlier.id, patient_id, clerk)
    settings = load_settings(
        {
            "database_url": url_of(database),
            "held_visits_dir": tmp_path / "held",
            "content_dir": folder,
        }
    )
    service = CheckIn(
        database, settings, station="lobby", clock=clock, timing=KioskTiming(), idle_clock=clock
    )
    visit = service.start(language="")
    assert visit is not None
    assert service.enter_details("Ana", "García", "04/15/1968") == []
    assert visit.visits_before == 2
    assert not any(question.measure for question in visit.questions)
    # Someone else, unknown to the desk: a first visit, so both are asked.
    other = service.start(language="")
    assert other is not None
    assert service.enter_details("Bea", "Lee", "01/02/1970") == []
    assert other.visits_before == 0
    assert {question.measure for question in other.questions} >= {"phq9", "gad7"}


def _linked_visits(
    database: Database,
    content: ContentPack,
    clock: ManualClock,
    how_many: int,
    patient_id: int | None,
    *,
    phq9_total: int = 0,
    days_apart: int = 7,
) -> tuple[int, list[str]]:
    """`how_many` stored visits of one patient on `content`, the PHQ-9 at `phq9_total`."""
    from kiosk.actor import Actor, Role, StaffMember
    from kiosk.front_desk import FrontDesk

    desk = FrontDesk(database, zone=ZoneInfo("UTC"), paper_size="letter")
    clerk = StaffMember(1, "maria", frozenset({Role.STAFF}))
    answers = {
        **_answers_for(content.measure("phq9"), phq9_total),
        **_answers_for(content.measure("gad7"), 5),
    }
    stored = []
    for _ in range(how_many):
        visit = walk_visit(content, clock, answers=answers)
        store_visit(database, visit)
        stored.append(visit.id)
        patient_id = desk.link_visit(
            visit.id, patient_id, Actor.staff(clerk, station="desk", now=clock())
        )
        clock.advance(days_apart * 24 * 3600)
    assert patient_id is not None
    return patient_id, stored


@pytest.mark.parametrize("database_engine", ["sqlite"])
def test_a_trend_asked_only_years_ago_is_still_charted_after_many_later_visits(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    """Trends read a patient's visits newest first and stop early; a measure the clinic
    stopped asking must still be found behind pages of visits that did not ask it."""
    from kiosk.stored_visits import patient_trends

    on = turned_on(pack)
    with database.session() as session, session.begin():
        store_content(session, on, label="measures on", stored_by="test", now=clock())
    patient_id, early = _linked_visits(database, on, clock, 3, None, phq9_total=12)
    with database.session() as session, session.begin():
        store_content(session, pack, label="measures off", stored_by="test", now=clock())
    patient_id, later = _linked_visits(database, pack, clock, 60, patient_id)
    with database.session() as session:
        trends = patient_trends(session, patient_id)
    assert [(p.visit_id, p.total) for p in trends["phq9"][1]] == [(v, 12) for v in early]
    assert [p.total for p in trends["gad7"][1]] == [5, 5, 5]
    # Opening the newest visit (no measures of its own) charts nothing; the newest
    # early visit charts the three.
    with database.session() as session:
        newest, third = load_visit(session, later[-1]), load_visit(session, early[-1])
    assert newest is not None
    assert newest.trends == {}
    assert third is not None
    assert [p.total for p in third.trends["phq9"]] == [12, 12, 12]


@pytest.mark.parametrize("database_engine", ["sqlite", "postgresql"])
def test_a_trend_counts_each_visit_once_when_many_finished_at_the_same_moment(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    """Visits with one finished time (a restore, a batch from held visits) straddle the
    pages the trend reads: each is counted once, and voided ones not at all."""
    from kiosk.actor import Actor, Role, StaffMember
    from kiosk.front_desk import FrontDesk
    from kiosk.stored_visits import patient_trends

    on = turned_on(pack)
    with database.session() as session, session.begin():
        store_content(session, on, label="measures on", stored_by="test", now=clock())
    patient_id, older = _linked_visits(database, on, clock, 12, None, phq9_total=20)
    patient_id, same = _linked_visits(
        database, on, clock, 30, patient_id, phq9_total=4, days_apart=0
    )
    desk = FrontDesk(database, zone=ZoneInfo("UTC"), paper_size="letter")
    clinician = StaffMember(2, "dr-lee", frozenset({Role.CLINICIAN}))
    for visit_id in same[:4]:
        desk.void_visit(
            visit_id, "checked in twice", Actor.staff(clinician, station="desk", now=clock())
        )
    with database.session() as session:
        every = patient_trends(session, patient_id, last=40)["phq9"][1]
        last_ten = patient_trends(session, patient_id)["phq9"][1]
    # All 26 left at the shared moment (more than a page), then the 12 older, once each.
    assert len(every) == len({p.visit_id for p in every}) == 38
    assert sorted(p.visit_id for p in every[12:]) == sorted(same[4:])
    assert [p.visit_id for p in every[:12]] == older
    assert [p.total for p in every] == [20] * 12 + [4] * 26
    assert [p.total for p in last_ten] == [4] * 10
