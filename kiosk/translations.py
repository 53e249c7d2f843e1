"""A content pack's patient-facing words in other languages.

The pack is written in the clinic's language; `translations/<code>.yaml` in the pack
gives the same slides, questions and consent statements (by ID) in another language.
Only what patients read is translated: IDs, flag rules, pictures and the wording staff
read for a flag stay as they are, so every language asks the same questions and raises
the same flags. A translation must be complete before the pack can be used: a missing
item is refused, named in words an admin understands.

Inside a pack the words are kept flat, one key per piece of text (`slide.<id>.title`,
`question.<id>.choice.<choice-id>`, `consent.<id>`, ...; `kiosk.content.text_keys`), which
is what the content version is computed over and what the editor edits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import yaml

from kiosk.content import (
    ContentPack,
    Question,
    language_words,
    measure_keys,
    measure_text,
    measure_translated,
    plain_words,
    slide_text_problems,
    text_keys,
)
from kiosk.pack_limits import MAX_TITLE, MAX_TRANSLATIONS, longest_words, quoted
from kiosk.pack_reader import Fields, PackReader, too_long

TRANSLATIONS_FOLDER = "translations"
LANGUAGE_CODE = re.compile(r"^[a-z]{2}$")
# What the admin reads in a problem: "has no Spanish text", not "no es text".


def missing_words(pack: ContentPack, language: str) -> list[str]:
    """The keys of text that `language` does not have yet (empty when complete)."""
    words = pack.translations.get(language, {})
    return [
        key
        for key, base in text_keys(pack).items()
        if key != "clinic_name" and base and not words.get(key, "").strip()
    ]


def describe_key(key: str) -> str:
    """A text key in an admin's words: "the title of slide 'dissociation'"."""
    parts = key.split(".")
    if parts[0] == "slide":
        field = {"title": "title", "text": "text", "picture_alt": "picture description"}
        return f"the {field[parts[-1]]} of slide '{quoted(parts[1])}'"
    if parts[0] == "question":
        if parts[2] == "choice":
            return f"choice '{quoted(parts[3])}' of question '{quoted(parts[1])}'"
        if parts[2] == "key_sentence":
            return f"the key sentence of teach-back question '{quoted(parts[1])}'"
        return f"the text of question '{quoted(parts[1])}'"
    if parts[0] == "consent":
        return f"consent statement '{quoted(parts[1])}'"
    return {"signature_meaning": "the meaning of the signature", "clinic_name": "the clinic name"}[
        key
    ]


def _question_words(question: Question, words: Mapping[str, str]) -> dict[str, Any]:
    """One question's entry in a translation file: the words it has, none if none."""
    asked: dict[str, Any] = {}
    if f"question.{question.id}.text" in words:
        asked["text"] = words[f"question.{question.id}.text"]
    if f"question.{question.id}.key_sentence" in words:
        asked["key_sentence"] = words[f"question.{question.id}.key_sentence"]
    choices = {
        choice.id: words[f"question.{question.id}.choice.{choice.id}"]
        for choice in question.choices
        if f"question.{question.id}.choice.{choice.id}" in words
    }
    if choices:
        asked["choices"] = choices
    return asked


def translation_file_text(pack: ContentPack, language: str) -> dict[str, Any]:
    """A translation as the nested data of its YAML file (for export).

    Only words that exist are written: reading the file back names what is missing.
    """
    words = pack.translations[language]
    data: dict[str, Any] = {}
    if "clinic_name" in words:
        data["clinic_name"] = words["clinic_name"]
    slides: dict[str, Any] = {}
    for slide in pack.slides:
        entry = {
            key: words[f"slide.{slide.id}.{key}"]
            for key in ("title", "text", "picture_alt")
            if f"slide.{slide.id}.{key}" in words
        }
        if entry:
            slides[slide.id] = entry
    data["slides"] = slides
    questions: dict[str, Any] = {}
    for question in pack.questions:
        if asked := _question_words(question, words):
            questions[question.id] = asked
    data["questions"] = questions
    consent: dict[str, Any] = {
        "statements": {
            s.id: words[f"consent.{s.id}"]
            for s in pack.consent_statements
            if f"consent.{s.id}" in words
        }
    }
    if "signature_meaning" in words:
        consent["signature_meaning"] = words["signature_meaning"]
    data["consent"] = consent
    measures: dict[str, Any] = {}
    for measure in pack.measures:
        if not measure_translated(measure, words):
            continue
        prefix = f"measure.{measure.id}"
        measure_entry: dict[str, Any] = {
            "instructions": words[f"{prefix}.instructions"],
            "choices": {c.id: words[f"{prefix}.choice.{c.id}"] for c in measure.choices},
            "items": {i.id: words[f"{prefix}.item.{i.id}"] for i in measure.items},
        }
        if measure.difficulty is not None:
            measure_entry["difficulty"] = words[f"{prefix}.difficulty"]
            measure_entry["difficulty_choices"] = {
                c.id: words[f"{prefix}.difficulty_choice.{c.id}"]
                for c in measure.difficulty.choices
            }
        measures[measure.id] = measure_entry
    if measures:
        data["measures"] = measures
    return data


class TranslationReader:
    """Reads `translations/<code>.yaml` files against the pack they translate."""

    def __init__(self, reader: PackReader) -> None:
        self.reader = reader
        # Where each piece of text of the file being read is, to point a problem at it.
        self.found_at: dict[str, yaml.Node] = {}

    def languages(self) -> list[str]:
        """The codes of the translation files in the pack, in order."""
        folder = self.reader.folder / TRANSLATIONS_FOLDER
        if not folder.is_dir():
            return []
        codes = []
        for path in sorted(folder.iterdir()):
            name = f"{TRANSLATIONS_FOLDER}/{path.name}"
            if path.suffix != ".yaml" or not LANGUAGE_CODE.match(path.stem):
                self.reader.report(
                    name, 1, "a translation is named by its two-letter language, like es.yaml"
                )
                continue
            codes.append(path.stem)
        if len(codes) > MAX_TRANSLATIONS:
            self.reader.report(
                f"{TRANSLATIONS_FOLDER}/{codes[MAX_TRANSLATIONS]}.yaml",
                1,
                f"the pack has {len(codes)} translations; it can have at most "
                f"{MAX_TRANSLATIONS} languages besides its own",
            )
            codes = codes[:MAX_TRANSLATIONS]
        return codes

    def read(self, pack: ContentPack, language: str) -> dict[str, str]:
        """The words of one translation, flat; every problem noted on the reader."""
        file, r = f"{TRANSLATIONS_FOLDER}/{language}.yaml", self.reader
        if language == pack.language:
            r.report(file, 1, f"the pack is already in {language_words(language)}")
            return {}
        node = r.load(file)
        pairs = r.mapping(file, node, "the translation") if node is not None else None
        if node is None or pairs is None:
            return {}
        r.unknown(
            file,
            pairs,
            {"clinic_name", "slides", "questions", "consent", "measures"},
            "a translation",
        )
        words: dict[str, str] = {}
        self.found_at = {}
        name = r.text(
            file, pairs, "clinic_name", node, "the translation", required=False, longest=MAX_TITLE
        )
        if name:
            words["clinic_name"] = name
        self._section(file, pairs, "slides", node, words)
        self._section(file, pairs, "questions", node, words)
        consent = self._mapping(file, pairs, "consent", node)
        if consent is not None:
            statements = self._mapping(file, consent[0], "statements", consent[1])
            if statements is not None:
                for key, (_, value) in statements[0].items():
                    self._word(file, f"consent.{key}", value, words)
            meaning = r.text(file, consent[0], "signature_meaning", consent[1], "'consent'")
            words["signature_meaning"] = meaning or ""
            if "signature_meaning" in consent[0]:
                self.found_at["signature_meaning"] = consent[0]["signature_meaning"][1]
        self._measures(file, pairs, words)
        self._check_against(pack, language, file, node, words)
        return {key: value for key, value in words.items() if value}

    def _measures(self, file: str, pairs: Fields, words: dict[str, str]) -> None:
        """A clinic's own copy of a publisher's version of a measure (optional, whole)."""
        if "measures" not in pairs:
            return
        measures = self.reader.mapping(file, pairs["measures"][1], "'measures'")
        for measure_id, (_, value) in (measures or {}).items():
            fields_ = self.reader.mapping(file, value, f"measure '{quoted(measure_id)}'")
            for key, (_, field_node) in (fields_ or {}).items():
                prefix = f"measure.{measure_id}"
                if key in {"choices", "items", "difficulty_choices"}:
                    inner = self.reader.mapping(
                        file, field_node, f"the {key} of '{quoted(measure_id)}'"
                    )
                    kind = {"choices": "choice", "items": "item"}.get(key, "difficulty_choice")
                    for inner_id, (_, inner_node) in (inner or {}).items():
                        self._word(file, f"{prefix}.{kind}.{inner_id}", inner_node, words)
                else:
                    self._word(file, f"{prefix}.{key}", field_node, words)

    def _mapping(
        self, file: str, pairs: Fields, key: str, owner: yaml.Node
    ) -> tuple[Fields, yaml.Node] | None:
        if key not in pairs:
            self.reader.report(file, owner, f"the translation needs '{key}:'")
            return None
        node = pairs[key][1]
        inner = self.reader.mapping(file, node, f"'{key}'")
        return (inner, node) if inner is not None else None

    def _word(self, file: str, key: str, node: yaml.Node, words: dict[str, str]) -> None:
        words[key] = self._scalar(file, node)
        self.found_at[key] = node

    def _scalar(self, file: str, node: yaml.Node) -> str:
        if not isinstance(node, yaml.ScalarNode) or node.tag == "tag:yaml.org,2002:null":
            self.reader.report(file, node, "this should be text")
            return ""
        return str(node.value).strip()

    def _section(
        self, file: str, pairs: Fields, section: str, owner: yaml.Node, words: dict[str, str]
    ) -> None:
        found = self._mapping(file, pairs, section, owner)
        if found is None:
            return
        kind = section.removesuffix("s")
        for item_id, (_, value) in found[0].items():
            fields_ = self.reader.mapping(file, value, f"{kind} '{quoted(item_id)}'")
            if fields_ is None:
                continue
            for key, (_, field_node) in fields_.items():
                if key == "choices":
                    choices = self.reader.mapping(
                        file, field_node, f"the choices of '{quoted(item_id)}'"
                    )
                    for choice_id, (_, choice_node) in (choices or {}).items():
                        self._word(file, f"{kind}.{item_id}.choice.{choice_id}", choice_node, words)
                else:
                    self._word(file, f"{kind}.{item_id}.{key}", field_node, words)

    def _check_against(
        self,
        pack: ContentPack,
        language: str,
        file: str,
        node: yaml.Node,
        words: Mapping[str, str],
    ) -> None:
        base = text_keys(pack)
        measures = measure_keys(pack)
        for measure in pack.measures:
            given = [key for key in measure_text(measure) if words.get(key)]
            if given and not measure_translated(measure, words):
                self.reader.report(
                    file,
                    node,
                    f"the {language_words(language)} {measure.name} is not complete: a "
                    "measure is asked in a language only with all of its words (the "
                    "publisher's own version), so give every one or none",
                )
        for key in words:
            if key in measures:
                continue
            if key not in base:
                self.reader.report(
                    file,
                    node,
                    f"{describe_key(key) if _describable(key) else repr(quoted(key))} is not in "
                    "the pack (check its ID against the pack's own files)",
                )
        for key, text in base.items():
            if key == "clinic_name" or not text:
                continue
            if not words.get(key):
                self.reader.report(
                    file,
                    node,
                    f"{describe_key(key)} has no {language_words(language)} text",
                    key=key,
                )
            elif len(words[key]) > longest_words(key):
                self.reader.report(
                    file,
                    self.found_at.get(key, node),
                    too_long(describe_key(key), len(words[key]), longest_words(key)),
                    key=key,
                )
            elif key.endswith(".text") and key.startswith("slide."):
                for _, message in slide_text_problems(words[key]):
                    self.reader.report(file, node, f"{describe_key(key)}: {message}", key=key)
            elif key.endswith(".key_sentence"):
                self._check_quote(pack, language, file, key, words)

    def _check_quote(
        self, pack: ContentPack, language: str, file: str, key: str, words: Mapping[str, str]
    ) -> None:
        """A translated key sentence is quoted from the translated slide, as in the pack."""
        question = pack.question(key.split(".")[1])
        slide_text = words.get(f"slide.{question.slide}.text", "")
        if slide_text and plain_words(words[key]) not in plain_words(slide_text):
            self.reader.report(
                file,
                self.found_at[key],
                f"{describe_key(key)} is not in the {language_words(language)} text of "
                f"slide '{quoted(question.slide or '')}'; copy it from that text word for word",
                key=key,
            )


def _describable(key: str) -> bool:
    try:
        describe_key(key)
    except (KeyError, IndexError):
        return False
    return True


# --- translations whose source changed --------------------------------------------------------
# For each language, the translated pieces of text whose clinic-language words changed
# after they were translated: text key -> the clinic's words the translation was made
# from. Kept beside the draft (never in the pack, so a version's hash is the text alone).
TranslatedFrom = Mapping[str, Mapping[str, str]]


def follow_edit(
    before: ContentPack, after: ContentPack, translated_from: TranslatedFrom
) -> dict[str, dict[str, str]]:
    """Which translations are out of date once `before` has become `after`.

    A translated text becomes out of date when the clinic's own words for it change
    and its translation does not; it is up to date again once its translation is
    changed, or once the clinic's words are back to what was translated.
    """
    base_before, base_after = text_keys(before), text_keys(after)
    followed: dict[str, dict[str, str]] = {}
    for language, words_after in after.translations.items():
        words_before = before.translations.get(language, {})
        sources = dict(translated_from.get(language, {}))
        for key, text in base_after.items():
            if words_after.get(key, "") != words_before.get(key, ""):
                sources.pop(key, None)  # translated again, from today's words
            elif (
                key not in sources
                and key in base_before
                and base_before[key] != text
                and words_after.get(key, "").strip()
            ):
                sources[key] = base_before[key]
        kept = {k: v for k, v in sources.items() if k in base_after and base_after[k] != v}
        if kept:
            followed[language] = kept
    return followed


def out_of_date(pack: ContentPack, translated_from: TranslatedFrom) -> dict[str, list[str]]:
    """The out-of-date text keys of each language, in the order patients meet them."""
    base = text_keys(pack)
    found: dict[str, list[str]] = {}
    for language, sources in translated_from.items():
        # Words the clinic emptied need no translation: the empty text is the problem.
        keys = [key for key in base if key in sources and base[key] and sources[key] != base[key]]
        if keys:
            found[language] = keys
    return found


def confirm_translations(
    translated_from: TranslatedFrom, language: str, keys: Iterable[str]
) -> dict[str, dict[str, str]]:
    """The admin says these translations still say what the clinic's words say."""
    confirmed = set(keys)
    kept = {
        code: {
            key: words for key, words in sources.items() if code != language or key not in confirmed
        }
        for code, sources in translated_from.items()
    }
    return {code: sources for code, sources in kept.items() if sources}


def must_be_current(pack: ContentPack, key: str) -> bool:
    """Whether an out-of-date translation of `key` stops a publish.

    Patients answer contraindication questions and agree to consent statements in
    their own language: an old wording there asks them something the clinic no longer
    asks, so it is confirmed or translated again before it reaches a kiosk.
    """
    parts = key.split(".")
    if parts[0] == "consent" or key == "signature_meaning":
        return True
    if parts[0] == "question":
        return any(q.id == parts[1] and q.contraindication for q in pack.questions)
    return False
