"""The content in other languages: complete, checked, and the same questions and flags."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kiosk.content import ContentPack
from kiosk.pack_loader import ContentPackError, bundled_pack_dir, load_pack


@pytest.fixture
def with_spanish(tmp_path: Path) -> Path:
    target = tmp_path / "pack"
    shutil.copytree(bundled_pack_dir(), target)
    return target


def test_the_bundled_pack_speaks_english_and_spanish_with_the_same_questions_and_flags(
    pack: ContentPack,
) -> None:
    assert pack.languages == ("en", "es")
    spanish = pack.in_language("es")
    assert spanish.language == "es"
    assert spanish.slides[0].title == "¿Qué es el tratamiento con ketamina?"
    assert spanish.consent_statements[-1].text == "He tenido la oportunidad de hacer preguntas."
    assert [s.id for s in spanish.slides] == [s.id for s in pack.slides]
    for english, translated in zip(pack.questions, spanish.questions, strict=True):
        assert translated.id == english.id
        assert translated.text != english.text
        assert translated.flag_answers == english.flag_answers
        # Staff read flags in the clinic's language, whatever the patient read.
        assert translated.flag_wording == english.flag_wording
    assert pack.in_language("en") is pack


def _problems(folder: Path) -> list[tuple[str, str]]:
    with pytest.raises(ContentPackError) as caught:
        load_pack(folder)
    return [(problem.where, str(problem)) for problem in caught.value.problems]


def test_an_incomplete_translation_is_refused_naming_what_is_missing(with_spanish: Path) -> None:
    spanish = with_spanish / "translations" / "es.yaml"
    text = spanish.read_text()
    start = text.index("  no-driving:\n    title:")
    end = text.index("  after-the-infusion:")
    spanish.write_text(text[:start] + text[end:])
    problems = _problems(with_spanish)
    assert (
        "the Spanish translation",
        "translations/es.yaml:4: the title of slide 'no-driving' has no Spanish text",
    ) in problems
    assert any("the text of slide 'no-driving' has no Spanish text" in p for _, p in problems)


def test_a_translation_of_something_not_in_the_pack_is_refused(with_spanish: Path) -> None:
    spanish = with_spanish / "translations" / "es.yaml"
    spanish.write_text(spanish.read_text().replace("  pregnancy:\n", "  pregnant-now:\n", 1))
    problems = [p for _, p in _problems(with_spanish)]
    assert any("question 'pregnant-now'" in p and "is not in the pack" in p for p in problems)
    assert any("the text of question 'pregnancy' has no Spanish text" in p for p in problems)


def test_a_translation_file_is_named_by_its_language(with_spanish: Path) -> None:
    shutil.copy(
        with_spanish / "translations" / "es.yaml", with_spanish / "translations" / "spanish.yaml"
    )
    problems = [p for _, p in _problems(with_spanish)]
    expected = (
        "translations/spanish.yaml:1: a translation is named by its two-letter language, "
        "like es.yaml"
    )
    assert problems == [expected]


def test_a_third_language_is_one_more_file(with_spanish: Path) -> None:
    third = with_spanish / "translations" / "pt.yaml"
    shutil.copy(with_spanish / "translations" / "es.yaml", third)
    third.write_text(third.read_text().replace("¿Qué es el tratamiento con ketamina?", "O que é?"))
    pack = load_pack(with_spanish)
    assert pack.languages == ("en", "es", "pt")
    assert pack.in_language("pt").slides[0].title == "O que é?"


def test_removing_an_item_takes_its_translations_with_it(pack: ContentPack) -> None:
    from dataclasses import replace

    from kiosk.publishing import check_pack

    removed = pack.slides[-1]
    # The slide goes with its picture: a picture no slide shows is not written out.
    pictures = {name: data for name, data in pack.pictures.items() if name != removed.picture}
    fewer = replace(pack, slides=pack.slides[:-1], pictures=pictures)
    checked = check_pack(fewer)  # written out and read back, as a publish does
    assert checked.version == fewer.version
    assert "slide.asking-for-help.title" not in checked.translations["es"]
