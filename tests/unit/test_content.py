"""The bundled content pack and the validation an admin relies on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.content import (
    Answer,
    BulletList,
    ContentPack,
    Paragraph,
    QuestionSection,
    TextRun,
    pack_from_canonical,
    parse_slide_text,
)
from kiosk.pack_loader import ContentPackError, load_pack

# Each topic of the clinic's article: the slide that covers it and facts it must keep.
TOPICS = {
    "what-it-is": [
        "infusion",
        "depression",
        "PTSD",
        "bipolar",
        "obsessive-compulsive",
        "suicide",
        "anxiety",
    ],
    "how-it-works": ["weeks", "hours", "glutamate", "connections"],
    "common-side-effects": [
        "dizzy",
        "dissociation",
        "sick to your stomach",
        "blurry vision",
        "tired",
        "blood pressure",
        "30–60 minutes",
    ],
    "dissociation": ["temporary", "not dangerous", "supervised", "within an hour"],
    "less-common-effects": ["crying", "anxiety", "see or hear", "headache", "trouble sleeping"],
    "long-term-safety": ["low", "Bladder", "memory", "lasting harm", "addiction"],
    "keeping-you-safe": ["licensed medical office", "blood pressure", "low dose", "private room"],
    "who-should-not": [
        "schizophrenia or psychosis",
        "high blood pressure",
        "alcohol or drug misuse",
        "heart condition",
        "pregnancy",
    ],
    "no-driving": ["must not drive", "rest of the day", "Someone must take you home"],
    "after-the-infusion": [
        "rest for the rest of the day",
        "headache",
        "water",
        "If effects last or get worse, call us",
    ],
    "asking-for-help": [
        "ask questions at any time",
        "stop treatment at any time",
        "Ask for help",
        "front desk",
    ],
}


def _slide_text(pack: ContentPack, slide_id: str) -> str:
    slide = next(s for s in pack.slides if s.id == slide_id)
    return f"{slide.title}\n{slide.text}".replace("**", "")


@pytest.mark.parametrize(("topic", "facts"), TOPICS.items())
def test_every_topic_of_the_article_has_a_slide_with_its_facts(
    pack: ContentPack, topic: str, facts: list[str]
) -> None:
    assert topic in [slide.id for slide in pack.slides]
    text = _slide_text(pack, topic)
    for fact in facts:
        assert fact.lower() in text.lower(), f"slide {topic!r} lost the fact {fact!r}"


def test_the_bundled_pack_carries_no_marketing(pack: ContentPack) -> None:
    everything = " ".join(f"{s.title} {s.text}" for s in pack.slides)
    for phrase in (
        "Request Appointment",
        "insurance",
        "Why Patients Choose",
        "TMS",
        "not all mental health clinics",
    ):
        assert phrase.lower() not in everything.lower()


def test_the_five_contraindications_flag_yes_and_not_sure_never_no(pack: ContentPack) -> None:
    # The screening questions, asked every visit (a returning patient's come after).
    screening = [q for q in pack.questions if q.section is QuestionSection.SCREENING]
    assert pack.questions[:5] == tuple(screening)
    wordings = [q.flag_wording for q in screening]
    assert wordings == [
        "history of schizophrenia or psychosis",
        "high blood pressure not under control",
        "recent alcohol or drug misuse",
        "heart condition that is not stable",
        "pregnant or could be pregnant",
    ]
    for question in screening:
        assert question.contraindication
        assert question.raises_flag(Answer.YES)
        assert question.raises_flag(Answer.NOT_SURE)
        assert not question.raises_flag(Answer.NO)


def test_consent_statements_and_the_meaning_of_the_signature(pack: ContentPack) -> None:
    texts = " | ".join(s.text for s in pack.consent_statements)
    for needed in (
        "common and less common side effects",
        "dissociation",
        "must not drive",
        "someone to take me home",
        "stop treatment at any time",
        "ask questions",
    ):
        assert needed in texts
    assert pack.signature_meaning == "I consent to ketamine infusion treatment today."
    assert pack.seconds_before_next == 0
    assert pack.clinic_name


def test_the_version_is_a_hash_of_the_content_and_survives_storage(pack: ContentPack) -> None:
    assert re.fullmatch(r"[0-9a-f]{64}", pack.version)
    again = pack_from_canonical(pack.canonical_bytes(), pack.pictures)
    assert again == pack
    assert again.version == pack.version


def test_changing_one_word_changes_the_version(pack_copy: Path, pack: ContentPack) -> None:
    slides = pack_copy / "slides.yaml"
    slides.write_text(slides.read_text().replace("Most pass within", "Most go within"))
    assert load_pack(pack_copy).version != pack.version


def test_comments_and_spacing_do_not_change_the_version(pack_copy: Path) -> None:
    before = load_pack(pack_copy).version
    questions = pack_copy / "questions.yaml"
    questions.write_text("# reviewed by Dr. Lee\n\n" + questions.read_text())
    assert load_pack(pack_copy).version == before


def _problems(folder: Path) -> list[str]:
    with pytest.raises(ContentPackError) as caught:
        load_pack(folder)
    return [str(problem) for problem in caught.value.problems]


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_a_typo_in_a_key_names_the_file_line_and_what_is_allowed(pack_copy: Path) -> None:
    slides = pack_copy / "slides.yaml"
    slides.write_text(slides.read_text().replace("title: How it works", "titel: How it works"))
    line = _line_of(slides, "titel:")
    problems = _problems(pack_copy)
    assert f"slides.yaml:{line}: 'titel' is not something a slide can have" in problems[0]
    assert any(p.startswith("slides.yaml:") and "needs 'title'" in p for p in problems)


def test_every_problem_is_reported_not_just_the_first(pack_copy: Path) -> None:
    questions = pack_copy / "questions.yaml"
    text = questions.read_text()
    text = text.replace("id: heart-condition", "id: blood-pressure")
    text = text.replace(
        "flag_when: [yes, not_sure]\n    flag_wording: pregnant",
        "flag_when: [yes, maybe]\n    flag_wording: pregnant",
    )
    questions.write_text(text)
    consent = pack_copy / "consent.yaml"
    consent.write_text(consent.read_text().replace("signature_meaning:", "# signature_meaning:"))
    problems = _problems(pack_copy)
    duplicate_line = [
        n for n, line in enumerate(text.splitlines(), 1) if "id: blood-pressure" in line
    ][1]
    assert (
        f"questions.yaml:{duplicate_line}: the id 'blood-pressure' is used twice; "
        "each one must be different" in problems
    )
    assert (
        f"questions.yaml:{_line_of(questions, 'maybe')}: 'maybe' is not an answer; "
        "use one of: yes, no, not_sure" in problems
    )
    assert any(p.startswith("consent.yaml:") and "needs 'signature_meaning'" in p for p in problems)
    assert len(problems) == 3


def test_broken_yaml_layout_points_at_the_line(pack_copy: Path) -> None:
    consent = pack_copy / "consent.yaml"
    lines = consent.read_text().splitlines()
    target = next(n for n, line in enumerate(lines) if "id: may-stop" in line)
    lines[target + 1] = "  text: I understand: that I may stop: at any time."
    consent.write_text("\n".join(lines) + "\n")
    (problem,) = _problems(pack_copy)
    assert problem.startswith(f"consent.yaml:{target + 2}: the layout is broken near here")


def test_an_unclosed_bold_marker_names_the_line_inside_the_text(pack_copy: Path) -> None:
    slides = pack_copy / "slides.yaml"
    slides.write_text(
        slides.read_text().replace(
            "**Most pass within 30–60 minutes**", "**Most pass within 30–60 minutes"
        )
    )
    (problem,) = _problems(pack_copy)
    line = _line_of(slides, "Most pass within")
    assert problem == (
        f"slides.yaml:{line}: a '**' that starts bold text is never closed on this line"
    )


def test_a_missing_file_is_named(pack_copy: Path) -> None:
    (pack_copy / "questions.yaml").unlink()
    assert _problems(pack_copy) == [
        "questions.yaml:1: this file is missing from the content folder"
    ]


def _with_picture(slides: str, slide_id: str, picture: str, alt: str) -> str:
    """slides.yaml with `picture` in place of the bundled picture of `slide_id`."""
    return re.sub(
        rf"    picture: pictures/{slide_id}.png\n    picture_alt: .*\n",
        f"    picture: {picture}\n    picture_alt: {alt}\n",
        slides,
    )


def test_a_damaged_picture_is_reported_and_a_good_one_is_kept(pack_copy: Path) -> None:
    from PIL import Image

    (pack_copy / "images").mkdir()
    Image.new("RGB", (40, 30), (20, 90, 160)).save(pack_copy / "images" / "room.png")
    (pack_copy / "images" / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 this is not a photo")
    slides = pack_copy / "slides.yaml"
    text = _with_picture(
        slides.read_text(), "how-it-works", "images/broken.jpg", "A nurse beside a patient"
    )
    text = _with_picture(text, "keeping-you-safe", "images/room.png", "A quiet treatment room")
    slides.write_text(text)
    (problem,) = _problems(pack_copy)
    assert problem == (
        f"slides.yaml:{_line_of(slides, 'broken.jpg')}: the picture "
        "'images/broken.jpg' is damaged or is not a picture; save it again as "
        "PNG, JPEG or WebP"
    )
    slides.write_text(text.replace("    picture: images/broken.jpg\n", ""))
    slides.write_text(slides.read_text().replace("    picture_alt: A nurse beside a patient\n", ""))
    loaded = load_pack(pack_copy)
    assert "images/room.png" in loaded.pictures
    assert next(s for s in loaded.slides if s.id == "keeping-you-safe").picture == "images/room.png"


def test_a_picture_outside_the_folder_is_refused(pack_copy: Path) -> None:
    slides = pack_copy / "slides.yaml"
    slides.write_text(_with_picture(slides.read_text(), "dissociation", "../../etc/passwd", "x"))
    (problem,) = _problems(pack_copy)
    assert "must be inside the content folder" in problem


def test_answers_like_yes_and_no_stay_words_not_booleans(pack: ContentPack) -> None:
    # YAML 1.1 reads a bare `yes` as true; the pack reader must not.
    assert pack.questions[0].flag_answers == (Answer.YES, Answer.NOT_SURE)


def test_slide_text_markup() -> None:
    blocks = parse_slide_text("First **bold** line\ncontinues.\n\n- one\n- **two**\nAfter.")
    assert blocks[0] == Paragraph(
        (TextRun("First "), TextRun("bold", bold=True), TextRun(" line continues."))
    )
    assert isinstance(blocks[1], BulletList)
    assert [run.text for item in blocks[1].items for run in item] == ["one", "two"]
    assert isinstance(blocks[2], Paragraph)


@given(
    st.text(
        alphabet=st.characters(blacklist_characters="*", blacklist_categories=("Cs",)), max_size=200
    )
)
def test_slide_text_keeps_every_word_typed(text: str) -> None:
    words = [
        run.text
        for block in parse_slide_text(text)
        for runs in (block.items if isinstance(block, BulletList) else (block.runs,))
        for run in runs
    ]
    lines = [line.strip() for line in text.splitlines()]
    typed = "".join(line[2:] if line.startswith(("- ", "• ")) else line for line in lines)
    # Bullet markers and spacing are the only characters the markup consumes.
    assert "".join("".join(words).split()) == "".join(typed.split())


def test_one_line_slide_text_and_items_without_ids_are_reported_not_crashed(
    pack_copy: Path,
) -> None:
    (pack_copy / "slides.yaml").write_text(
        "slides:\n"
        "  - title: First\n"
        "    text: Short, on one line.\n"
        "  - title: Second\n"
        "    text: Also **short**\n"
    )
    problems = _problems(pack_copy)
    assert problems == [
        "slides.yaml:2: this slide needs 'id'",
        "slides.yaml:4: this slide needs 'id'",
    ]
    (pack_copy / "slides.yaml").write_text(
        "slides:\n  - id: only\n    title: First\n    text: Short, on one line with **bold.\n"
    )
    assert _problems(pack_copy) == [
        "slides.yaml:4: a '**' that starts bold text is never closed on this line"
    ]
