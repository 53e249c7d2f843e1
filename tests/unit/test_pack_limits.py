"""The limits on what a pack holds: far above a clinic's content, and each one checked.

A pack is written out and read back (`check_pack`, the way publishing checks one), so
each limit is met exactly where an imported pack meets it, with its file and line.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from kiosk.content import Choice, ConsentStatement, ContentPack, Question, QuestionKind, Slide
from kiosk.pack_archive import export_pack, read_pack
from kiosk.pack_limits import quoted
from kiosk.pack_loader import ContentPackError, load_pack
from kiosk.publishing import check_pack


@pytest.fixture
def plain(pack: ContentPack) -> ContentPack:
    """The bundled pack in its own language only and without its pictures: a change
    needs no translation, and a test's pictures are the only ones."""
    slides = tuple(replace(s, picture=None, picture_alt=None) for s in pack.slides)
    return replace(pack, translations={}, slides=slides, pictures={})


def _problems(pack: ContentPack) -> list[str]:
    with pytest.raises(ContentPackError) as caught:
        check_pack(pack)
    return [str(problem) for problem in caught.value.problems]


def _png(width: int = 40, height: int = 30, shade: int = 0) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (shade, 90, 120)).save(out, format="PNG")
    return out.getvalue()


def _noise() -> bytes:
    out = io.BytesIO()
    Image.effect_noise((160, 160), 60).convert("RGB").save(out, format="PNG")
    return out.getvalue()


def _choice_question(count: int, first: str = "Someone drove me") -> Question:
    choices = tuple(Choice(f"choice-{n}", first if n == 0 else f"Choice {n}") for n in range(count))
    return Question(
        "arrival", "How did you come?", (), "", False, QuestionKind.SINGLE_CHOICE, choices
    )


def _slide(pack: ContentPack, **changes: str) -> ContentPack:
    return replace(pack, slides=(replace(pack.slides[0], **changes), *pack.slides[1:]))


def _question(pack: ContentPack, **changes: str) -> ContentPack:
    return replace(pack, questions=(replace(pack.questions[0], **changes), *pack.questions[1:]))


LONG_TEXT: dict[str, tuple[Callable[[ContentPack], ContentPack], str]] = {
    "clinic name": (
        lambda p: replace(p, clinic_name="N" * 121),
        "pack.yaml:2: 'clinic_name' of the pack is 121 characters long; it can be at most 120",
    ),
    "slide title": (
        lambda p: _slide(p, title="T" * 121),
        "'title' of this slide is 121 characters long; it can be at most 120",
    ),
    "slide text": (
        lambda p: _slide(p, text="Ketamine is a medicine. " * 200 + "Ask us."),
        "'text' of this slide is 4,807 characters long; it can be at most 4,000",
    ),
    "picture description": (
        lambda p: replace(
            _slide(p, picture="pictures/room.png", picture_alt="A " * 200),
            pictures={"pictures/room.png": _png()},
        ),
        "'picture_alt' of this slide is 399 characters long; it can be at most 300",
    ),
    "question": (
        lambda p: _question(p, text="Q" * 501),
        "'text' of this question is 501 characters long; it can be at most 500",
    ),
    "flag wording": (
        lambda p: _question(p, flag_wording="w" * 201),
        "'flag_wording' of this question is 201 characters long; it can be at most 200",
    ),
    "choice": (
        lambda p: replace(p, questions=(*p.questions, _choice_question(2, "c" * 121))),
        "'text' of this choice is 121 characters long; it can be at most 120",
    ),
    "consent statement": (
        lambda p: replace(p, consent_statements=(ConsentStatement("long", "s" * 1001),)),
        (
            "consent.yaml:4: 'text' of this statement is 1,001 characters long; "
            "it can be at most 1,000"
        ),
    ),
    "signature meaning": (
        lambda p: replace(p, signature_meaning="m" * 1001),
        "'signature_meaning' of the consent file is 1,001 characters long; it can be at most 1,000",
    ),
}


@pytest.mark.parametrize("change", LONG_TEXT.values(), ids=LONG_TEXT.keys())
def test_text_over_its_limit_is_a_problem_at_its_line(
    plain: ContentPack, change: tuple[Callable[[ContentPack], ContentPack], str]
) -> None:
    make, expected = change
    (problem,) = _problems(make(plain))
    assert expected in problem


TOO_MANY: dict[str, tuple[Callable[[ContentPack], ContentPack], str]] = {
    "slides": (
        lambda p: replace(p, slides=tuple(Slide(f"s{n}", "T", "Text") for n in range(61))),
        "slides.yaml:3: 'slides' has 61 items; a content pack can have at most 60",
    ),
    "questions": (
        lambda p: replace(
            p, questions=tuple(replace(p.questions[0], id=f"q{n}") for n in range(101))
        ),
        "questions.yaml:3: 'questions' has 101 items; a content pack can have at most 100",
    ),
    "choices": (
        lambda p: replace(p, questions=(_choice_question(21),)),
        "'choices' has 21 items; a content pack can have at most 20",
    ),
    "statements": (
        lambda p: replace(
            p, consent_statements=tuple(ConsentStatement(f"s{n}", "I agree") for n in range(31))
        ),
        "consent.yaml:3: 'statements' has 31 items; a content pack can have at most 30",
    ),
}


@pytest.mark.parametrize("change", TOO_MANY.values(), ids=TOO_MANY.keys())
def test_one_item_too_many_is_one_problem(
    plain: ContentPack, change: tuple[Callable[[ContentPack], ContentPack], str]
) -> None:
    make, expected = change
    problems = _problems(make(plain))
    assert len(problems) == 1
    assert expected in problems[0]


def test_the_largest_pack_the_limits_allow_is_accepted(plain: ContentPack) -> None:
    text = ("Ketamine is a medicine, given slowly. " * 200)[:4000]
    choices = tuple(Choice(f"c{n}", "c" * 120) for n in range(20))
    biggest = replace(
        plain,
        clinic_name="N" * 120,
        slides=tuple(Slide(f"s{n}", "T" * 120, text) for n in range(60)),
        questions=tuple(
            Question(
                f"q{n}", "Q" * 500, ("c0",), "w" * 200, True, QuestionKind.SINGLE_CHOICE, choices
            )
            for n in range(100)
        ),
        consent_statements=tuple(ConsentStatement(f"t{n}", "s" * 1000) for n in range(30)),
        signature_meaning="m" * 1000,
    )
    assert check_pack(biggest) == biggest


def test_translated_words_have_the_same_limits(pack: ContentPack) -> None:
    key = f"slide.{pack.slides[0].id}.text"
    spanish = {**pack.translations["es"], key: "Texto. " * 700}
    with pytest.raises(ContentPackError) as caught:
        check_pack(replace(pack, translations={"es": spanish}))
    (problem,) = caught.value.problems
    assert (problem.file, problem.message) == (
        "translations/es.yaml",
        (
            f"the text of slide '{pack.slides[0].id}' is 4,899 characters long; "
            "it can be at most 4,000"
        ),
    )
    assert problem.line > 2  # the line of that text, not of the file


def test_more_than_ten_translations(pack_copy: Path) -> None:
    (pack_copy / "translations").mkdir()
    for code in ("aa", "bb", "cc", "dd", "ee", "ff", "gg", "hh", "ii", "jj", "kk"):
        (pack_copy / "translations" / f"{code}.yaml").write_text("clinic_name: X\n")
    with pytest.raises(ContentPackError) as caught:
        load_pack(pack_copy)
    assert str(caught.value.problems[0]) == (
        "translations/kk.yaml:1: the pack has 11 translations; it can have at most 10 "
        "languages besides its own"
    )


# --- what a problem says -------------------------------------------------------------------------


def test_at_most_100_problems_are_listed(pack_copy: Path) -> None:
    slides = pack_copy / "slides.yaml"
    slides.write_text("slides:\n  - id: a\n    title: T\n    text: Hello\n")
    slides.write_text(
        slides.read_text() + "".join(f"    typo-{n}: x\n" for n in range(500)), encoding="utf-8"
    )
    with pytest.raises(ContentPackError) as caught:
        load_pack(pack_copy)
    problems = [str(problem) for problem in caught.value.problems]
    assert len(problems) == 101
    assert problems[99].startswith("slides.yaml:104: 'typo-99' is not something a slide can have")
    assert problems[100] == (
        "slides.yaml:105: there are more problems from here on; fix those above and check again"
    )


def test_a_name_from_the_pack_is_quoted_short_and_on_one_line(pack_copy: Path) -> None:
    pack_file = pack_copy / "pack.yaml"
    pack_file.write_text(
        pack_file.read_text() + '"sneaky\\nslides.yaml:1: all fine\\x1b[2J' + "x" * 900 + '": 1\n'
    )
    with pytest.raises(ContentPackError) as caught:
        load_pack(pack_copy)
    (problem,) = [str(problem) for problem in caught.value.problems]
    assert "\n" not in problem
    assert "\x1b" not in problem
    assert problem.startswith("pack.yaml:")
    assert "'sneaky slides.yaml:1: all fine?[2Jxxx" in problem
    assert "xxx…' is not something the pack file can have" in problem
    assert len(problem) < 250


def test_quoted_text() -> None:
    assert quoted("slides.yaml") == "slides.yaml"
    assert quoted("a" * 61) == "a" * 59 + "…"
    assert quoted("two\nlines\there") == "two lines here"
    assert quoted("bell\x07") == "bell?"


def test_a_list_used_as_a_name(pack_copy: Path) -> None:
    pack_file = pack_copy / "pack.yaml"
    pack_file.write_text(pack_file.read_text() + "? [a, b]\n: x\n")
    with pytest.raises(ContentPackError) as caught:
        load_pack(pack_copy)
    (problem,) = [str(problem) for problem in caught.value.problems]
    assert problem.endswith(": each name in the pack file should be a word before a ':'")


@pytest.mark.parametrize(
    "name", ['"pictures/room\\0.png"', "pictures/" + "r" * 300 + ".png"], ids=["nul", "long"]
)
def test_a_picture_name_no_disk_could_hold(pack_copy: Path, name: str) -> None:
    pack_file = pack_copy / "pack.yaml"
    pack_file.write_text(pack_file.read_text() + f"logo: {name}\n")
    with pytest.raises(ContentPackError) as caught:
        load_pack(pack_copy)
    (problem,) = [str(problem) for problem in caught.value.problems]
    assert "is not a file name a content pack can use" in problem


# --- what reading a pack may cost ----------------------------------------------------------------


def test_the_pack_s_pictures_together_are_bounded_before_decoding(
    plain: ContentPack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("kiosk.pack_loader.MAX_PACK_PIXELS", 3 * 40 * 30)
    decoded: list[str] = []
    monkeypatch.setattr(
        "kiosk.pack_loader.picture_problem", lambda _data, name: decoded.append(name)
    )
    pictures = {f"pictures/{n}.png": _png(shade=n) for n in range(4)}
    slides = tuple(
        replace(slide, picture=f"pictures/{n}.png", picture_alt="A room")
        for n, slide in enumerate(plain.slides[:4])
    )
    (problem,) = _problems(replace(plain, slides=(*slides, *plain.slides[4:]), pictures=pictures))
    assert "with the picture 'pictures/3.png' the pack's pictures add up to more than" in problem
    assert decoded == ["pictures/0.png", "pictures/1.png", "pictures/2.png"]


def test_a_picture_on_many_slides_is_read_once(
    plain: ContentPack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("kiosk.pack_reader.MAX_PACK_BYTES", 100_000)
    room, logo = _noise(), _noise()
    assert 60_000 < len(room) < 90_000
    slides = tuple(
        replace(slide, picture="pictures/room.png", picture_alt="A room") for slide in plain.slides
    )
    pack = replace(plain, slides=slides, pictures={"pictures/room.png": room})
    assert check_pack(pack) == pack
    with_another = replace(
        pack, logo="pictures/logo.png", pictures={**pack.pictures, "pictures/logo.png": logo}
    )
    # The logo is read first (pack.yaml), then the slides' picture is one too many.
    (problem,) = _problems(with_another)
    assert "with the picture 'pictures/room.png' the pack's files add up to more than" in problem


def test_the_pack_s_yaml_files_together_are_bounded(
    pack_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sizes = {name: (pack_copy / name).stat().st_size for name in ("pack.yaml", "slides.yaml")}
    monkeypatch.setattr("kiosk.pack_reader.MAX_PACK_YAML_BYTES", sum(sizes.values()) + 10)
    with pytest.raises(ContentPackError) as caught:
        load_pack(pack_copy)
    assert [str(problem) for problem in caught.value.problems] == [
        (
            "questions.yaml:1: with this file the pack's YAML files add up to more than 0.0 MB; "
            "a content pack never needs that much text"
        )
    ]


# --- zips naming one file twice ------------------------------------------------------------------


def _zip_with(tmp_path: Path, pack: ContentPack, extra: dict[str, bytes]) -> Path:
    export_pack(pack, tmp_path / "pack")
    target = tmp_path / "pack.zip"
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted((tmp_path / "pack").rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(tmp_path / "pack").as_posix())
        for name, data in extra.items():
            archive.writestr(name, data)
    return target


@pytest.mark.parametrize(
    ("other", "named"),
    [
        ("./slides.yaml", "'slides.yaml' and './slides.yaml'"),
        ("SLIDES.yaml", "'slides.yaml' and 'SLIDES.yaml'"),
        ("pictures//room.png", "'pictures/room.png' and 'pictures//room.png'"),
        (
            unicodedata.normalize("NFD", "pictures/café.png"),
            "'pictures/café.png' and 'pictures/café.png'",
        ),
    ],
    ids=["dot", "case", "double slash", "accents"],
)
def test_a_zip_naming_one_file_twice_in_other_words(
    tmp_path: Path, plain: ContentPack, other: str, named: str
) -> None:
    pictures = {"pictures/room.png": _png(), "pictures/café.png": _png(shade=9)}
    pictured = replace(
        _slide(plain, picture="pictures/room.png", picture_alt="A room"),
        logo="pictures/café.png",
        pictures=pictures,
    )
    source = _zip_with(tmp_path, pictured, {other: b"something else"})
    with pytest.raises(ContentPackError) as caught:
        read_pack(source)
    (problem,) = [unicodedata.normalize("NFC", str(problem)) for problem in caught.value.problems]
    assert problem.startswith(f"pack.zip:1: this .zip holds {unicodedata.normalize('NFC', named)}")
    assert problem.endswith(
        "which are the same file once unpacked; tools disagree on which one counts, so make "
        "the .zip again from the pack's folder"
    )
