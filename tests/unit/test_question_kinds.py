"""Questions answered by a choice or in the patient's own words, besides Yes / No / Not sure."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.content import Answer, ContentPack, QuestionKind, pack_from_canonical
from kiosk.pack_archive import export_pack, read_pack
from kiosk.pack_loader import ContentPackError, bundled_pack_dir, load_pack
from kiosk.stored_visits import load_visit
from kiosk.summary import build_summary
from kiosk.visit import Visit, VisitError
from kiosk.visit_walk import ManualClock, answer_teach_back
from tests.question_kinds import add_question_kinds


@pytest.fixture
def kinds_pack(pack_copy: Path) -> ContentPack:
    return load_pack(add_question_kinds(pack_copy))


def test_a_pack_with_each_kind_of_question_loads_and_keeps_its_version_through_storage(
    kinds_pack: ContentPack, tmp_path: Path
) -> None:
    arrival = kinds_pack.question("arrival")
    assert arrival.kind is QuestionKind.SINGLE_CHOICE
    assert [c.text for c in arrival.choices][1] == "I drove myself"
    assert arrival.raises_flag("drove-myself")
    assert not arrival.raises_flag("driven")
    assert not arrival.contraindication  # only yes / no questions default to one
    medicines = kinds_pack.question("medicines-today")
    assert medicines.kind is QuestionKind.SHORT_TEXT
    assert not medicines.raises_flag("anything at all")

    again = pack_from_canonical(kinds_pack.canonical_bytes(), kinds_pack.pictures)
    assert again == kinds_pack
    export_pack(kinds_pack, tmp_path / "exported.zip")
    assert read_pack(tmp_path / "exported.zip").version == kinds_pack.version


def test_yes_no_questions_keep_the_canonical_form_they_had_before_kinds() -> None:
    canonical = load_pack(bundled_pack_dir()).canonical()
    assert all(
        "kind" not in q and "choices" not in q
        for q in canonical["questions"]
        # The screening questions; a returning patient's are new, with kinds of their own.
        if "section" not in q
    )


def _problems(folder: Path) -> list[str]:
    with pytest.raises(ContentPackError) as caught:
        load_pack(folder)
    return [problem.message for problem in caught.value.problems]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("kind: single_choice", "kind: multiple_choice"), "'multiple_choice' is not a kind"),
        (("flag_when: [drove-myself]", "flag_when: [flew]"), "'flew' is not an answer"),
        (
            ("    text: Which medicines", "    flag_when: [yes]\n    text: Which medicines"),
            "a short_text question cannot raise a flag",
        ),
        (
            ("      - id: taxi-or-bus\n        text: Taxi, ride share or bus\n", ""),
            None,
        ),
    ],
)
def test_a_bad_question_of_a_new_kind_is_refused_in_plain_words(
    pack_copy: Path, change: tuple[str, str], expected: str | None
) -> None:
    folder = add_question_kinds(pack_copy)
    questions = folder / "questions.yaml"
    text = questions.read_text()
    assert change[0] in text
    questions.write_text(text.replace(change[0], change[1]))
    if expected is None:  # two choices are still enough
        assert len(load_pack(folder).question("arrival").choices) == 2
        return
    assert any(expected in problem for problem in _problems(folder))


def test_a_single_choice_question_needs_two_choices(pack_copy: Path) -> None:
    folder = add_question_kinds(pack_copy)
    questions = folder / "questions.yaml"
    text = questions.read_text()
    questions.write_text(
        text.replace("      - id: drove-myself\n        text: I drove myself\n", "")
        .replace("      - id: taxi-or-bus\n        text: Taxi, ride share or bus\n", "")
        .replace("flag_when: [drove-myself]", "flag_when: []")
    )
    assert any("at least 2 choices" in problem for problem in _problems(folder))


def _answer_all(visit: Visit, answers: dict[str, str]) -> None:
    for question in visit.questions:
        visit.answer(answers.get(question.id, Answer.NO))
        visit.next_question()


def test_a_visit_takes_a_choice_and_tidied_words_and_flags_by_the_choice(
    kinds_pack: ContentPack, clock: ManualClock, database: object
) -> None:
    visit = Visit(kinds_pack, clock=clock)
    visit.start()
    assert visit.enter_details("Ana", "García", "04/15/1968") == []
    for _ in kinds_pack.slides:
        clock.advance(10)
        visit.next_slide()
    answer_teach_back(visit, clock)
    # Not a choice of this question, nor an answer to a yes / no one.
    visit.question_index = 0
    with pytest.raises(VisitError):
        visit.answer("drove-myself")
    _answer_all(
        visit,
        {"arrival": "drove-myself", "medicines-today": "  sertraline\x07 50 mg\n and  aspirin "},
    )
    assert visit.answers["medicines-today"].answer == "sertraline 50 mg and aspirin"
    [flag] = visit.flags[:1]
    assert flag.sentence == (
        "Needs clinician review: drove to the clinic themselves — check how they get home "
        "— answered I drove myself"
    )


def test_a_stored_visit_prints_the_choice_and_the_typed_words(
    kinds_pack: ContentPack,
    clock: ManualClock,
    database: object,
    database_engine: str,
) -> None:
    # On both engines: PostgreSQL once refused a typed answer longer than the 16-character
    # column SQLite never checked (migration 0009 widened it).
    import io

    from pypdf import PdfReader

    from kiosk.content_versions import store_content
    from kiosk.database import Database
    from kiosk.stored_visits import save_visit
    from kiosk.visit_walk import SCRIBBLE

    assert isinstance(database, Database)
    visit = Visit(kinds_pack, clock=clock)
    visit.start()
    visit.enter_details("Ana", "García", "04/15/1968")
    for _ in kinds_pack.slides:
        clock.advance(10)
        visit.next_slide()
    answer_teach_back(visit, clock)
    _answer_all(visit, {"arrival": "taxi-or-bus", "medicines-today": "<b>none</b> & water"})
    visit.confirm_answers()
    for statement in kinds_pack.consent_statements:
        visit.acknowledge(statement.id)
    visit.sign(SCRIBBLE)
    visit.enter_ride_home("Luis García", "(555) 201-3344", "husband")
    with database.session() as session, session.begin():
        store_content(session, kinds_pack, label="trial", stored_by="test", now=clock())
        save_visit(session, visit, station="k")
    with database.session() as session:
        record = load_visit(session, visit.id)
    assert record is not None
    assert [a.words for a in record.answers][-2:] == [
        "Taxi, ride share or bus",
        "<b>none</b> & water",
    ]
    text = " ".join(
        PdfReader(io.BytesIO(build_summary(record, zone=clock().tzinfo)))
        .pages[0]  # type: ignore[arg-type]
        .extract_text()
        .split()
    )
    assert "Taxi, ride share or bus" in text
    assert "<b>none</b> & water" in text


def test_the_longest_words_a_patient_may_type_are_stored_whole(
    kinds_pack: ContentPack, clock: ManualClock, database: object
) -> None:
    # A PostgreSQL server refused any answer longer than 16 characters (SQLite never checks).
    from kiosk.content import SHORT_TEXT_LIMIT
    from kiosk.content_versions import store_content
    from kiosk.database import Database
    from kiosk.stored_visits import save_visit
    from kiosk.visit_walk import SCRIBBLE

    assert isinstance(database, Database)
    words = ("lisinopril 10 mg, " * 20)[:SHORT_TEXT_LIMIT]
    visit = Visit(kinds_pack, clock=clock)
    visit.start()
    visit.enter_details("Ana", "García", "04/15/1968")
    for _ in kinds_pack.slides:
        clock.advance(10)
        visit.next_slide()
    answer_teach_back(visit, clock)
    _answer_all(visit, {"arrival": "drove-myself", "medicines-today": words})
    visit.confirm_answers()
    for statement in kinds_pack.consent_statements:
        visit.acknowledge(statement.id)
    visit.sign(SCRIBBLE)
    visit.enter_ride_home("Luis García", "(555) 201-3344", "husband")
    with database.session() as session, session.begin():
        store_content(session, kinds_pack, label="trial", stored_by="test", now=clock())
        save_visit(session, visit, station="k")
    with database.session() as session:
        record = load_visit(session, visit.id)
    assert record is not None
    assert [a.words for a in record.answers][-1] == words.strip()
