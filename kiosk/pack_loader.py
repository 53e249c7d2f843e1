"""Loading a content pack: read a folder of YAML files (and pictures) and validate all of it.

Every problem is reported as `file:line: message`, in a sentence a non-programmer
understands, so the editor and `kiosk content check` can say what to change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import StrEnum
from fractions import Fraction
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import TypeVar

import yaml

from kiosk.content import (
    CONSENT_VALID_DAYS,
    READING_TIME_FRACTION,
    READING_WORDS_PER_MINUTE,
    Answer,
    Choice,
    ConsentStatement,
    ContentPack,
    DifficultyItem,
    Measure,
    MeasureItem,
    Question,
    QuestionKind,
    QuestionSection,
    ReturnConsent,
    ScoredChoice,
    SeverityBand,
    Slide,
    language_words,
    plain_words,
    slide_text_problems,
)
from kiosk.pack_limits import (
    MAX_CHOICE_TEXT,
    MAX_CHOICES,
    MAX_FLAG_WORDING,
    MAX_PACK_PIXELS,
    MAX_PICTURE_ALT,
    MAX_QUESTION_TEXT,
    MAX_QUESTIONS,
    MAX_SIGNATURE_MEANING,
    MAX_SLIDE_TEXT,
    MAX_SLIDES,
    MAX_STATEMENT_TEXT,
    MAX_STATEMENTS,
    MAX_TITLE,
    quoted,
)
from kiosk.pack_reader import ContentProblem, Fields, PackReader
from kiosk.pictures import picture_pixels, picture_problem
from kiosk.risk import PHQ9, SELF_HARM_ITEM
from kiosk.translations import TranslationReader

PACK_FILE = "pack.yaml"
SLIDES_FILE = "slides.yaml"
QUESTIONS_FILE = "questions.yaml"
CONSENT_FILE = "consent.yaml"
# Optional: a pack without it has no scored questionnaires.
MEASURES_FILE = "measures.yaml"
# A measure's total is a small number; its items and bands are few.
MAX_MEASURES = 10
MAX_MEASURE_ITEMS = 40
MAX_SCORE = 10

_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
# A share written as a fraction ("1/3") or a decimal ("0.33"), short enough to read.
_SHARE = re.compile(r"(\d{1,5})\s*/\s*(\d{1,5})|\d{1,3}(?:\.\d{1,4})?")

# A word a content field chooses from (a kind of question, when it is asked).
_Word = TypeVar("_Word", bound=StrEnum)


class ContentPackError(Exception):
    """A pack that cannot be used; `problems` lists every reason."""

    def __init__(self, problems: list[ContentProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


def bundled_pack_dir() -> Path:
    """The default pack shipped inside the package (found through importlib.resources)."""
    folder = resources.files("resources").joinpath("content", "default")
    if not isinstance(folder, Path):  # pragma: no cover - only zipped installs
        raise RuntimeError("the bundled content must be installed as files, not zipped")
    return folder


def load_pack(folder: Path) -> ContentPack:
    """Load and validate the pack in `folder`, or raise ContentPackError with every problem."""
    if not folder.is_dir():
        raise ContentPackError(
            [ContentProblem(str(folder), 1, "this content folder does not exist")]
        )
    reader = PackReader(folder)
    loader = _PackLoader(reader)
    pack = loader.load()
    if reader.problems or pack is None:
        raise ContentPackError(reader.problems)
    return pack


def _named(pairs: Fields) -> str:
    """' (its-id)' for an item with a readable id, so the editor can name it."""
    node = pairs.get("id", (None, None))[1]
    if isinstance(node, yaml.ScalarNode) and str(node.value).strip():
        return f" ({quoted(str(node.value).strip())})"
    return ""


def _too_many(key: str, count: int, most: int) -> str:
    return f"'{key}' has {count:,} items; a content pack can have at most {most}"


@dataclass(frozen=True)
class _Settings:
    """The pack file's own settings."""

    clinic_name: str
    language: str
    seconds_before_next: int
    logo: str | None
    reading_words_per_minute: int = READING_WORDS_PER_MINUTE
    reading_time_fraction: Fraction = READING_TIME_FRACTION
    consent_valid_days: int = CONSENT_VALID_DAYS
    return_consent: ReturnConsent = ReturnConsent.EVERY_VISIT
    risk_responder: str = ""
    kiosk_has_headphones: bool = False


@dataclass
class _PackLoader:
    reader: PackReader
    pictures: dict[str, bytes] = field(default_factory=dict)
    pixels: int = 0
    # The slides read so far: a teach-back question names one and quotes it.
    slides: dict[str, Slide] = field(default_factory=dict)
    slides_sound: bool = True

    def load(self) -> ContentPack | None:
        settings = self._pack_file()
        slides = self._slides()
        self.slides = {slide.id: slide for slide in slides}
        self.slides_sound = all(problem.file != SLIDES_FILE for problem in self.reader.problems)
        questions = self._questions()
        consent = self._consent()
        measures = self._measures({question.id for question in questions})
        if settings is None or consent is None:
            return None
        statements, meaning = consent
        pack = ContentPack(
            clinic_name=settings.clinic_name,
            language=settings.language,
            seconds_before_next=settings.seconds_before_next,
            slides=tuple(slides),
            questions=tuple(questions),
            consent_statements=tuple(statements),
            signature_meaning=meaning,
            pictures=dict(self.pictures),
            logo=settings.logo,
            reading_words_per_minute=settings.reading_words_per_minute,
            reading_time_fraction=settings.reading_time_fraction,
            consent_valid_days=settings.consent_valid_days,
            return_consent=settings.return_consent,
            measures=tuple(measures),
            risk_responder=settings.risk_responder,
            kiosk_has_headphones=settings.kiosk_has_headphones,
        )
        if self.reader.problems:
            # Translations are checked against a sound pack; until then they would only
            # repeat the pack's own problems.
            return pack
        translations = TranslationReader(self.reader)
        return replace(
            pack,
            translations={
                code: self._translation(translations, pack, code)
                for code in translations.languages()
            },
        )

    def _translation(
        self, translations: TranslationReader, pack: ContentPack, code: str
    ) -> dict[str, str]:
        # Problems name the translation, for the editor to open.
        with self.reader.inside(f"the {language_words(code)} translation"):
            return translations.read(pack, code)

    def _top(self, file: str, allowed: set[str], what: str) -> tuple[Fields, yaml.Node] | None:
        node = self.reader.load(file)
        if node is None:
            return None
        pairs = self.reader.mapping(file, node, what)
        if pairs is None:
            return None
        self.reader.unknown(file, pairs, allowed, what)
        return pairs, node

    def _pack_file(self) -> _Settings | None:
        file, r = PACK_FILE, self.reader
        top = self._top(file, {"clinic_name", "language", "logo", "settings"}, "the pack file")
        if top is None:
            return None
        pairs, node = top
        clinic_name = r.text(file, pairs, "clinic_name", node, "the pack", longest=MAX_TITLE)
        language = r.text(file, pairs, "language", node, "the pack") or "en"
        if not re.fullmatch(r"[a-z]{2}", language):
            r.report(
                file, pairs["language"][1], "'language' should be a two-letter code such as en"
            )
        logo = self._picture(file, pairs, "logo", node)
        seconds, rate, fraction = 0, READING_WORDS_PER_MINUTE, READING_TIME_FRACTION
        consent_days, return_consent = CONSENT_VALID_DAYS, ReturnConsent.EVERY_VISIT
        responder, headphones = "", False
        if "settings" in pairs:
            settings = r.mapping(file, pairs["settings"][1], "'settings'")
            if settings is not None:
                r.unknown(
                    file,
                    settings,
                    {
                        "seconds_before_next",
                        "reading_words_per_minute",
                        "reading_time_fraction",
                        "consent_valid_days",
                        "return_consent",
                        "risk_responder",
                        "kiosk_has_headphones",
                    },
                    "'settings'",
                )
                seconds = r.whole_number(
                    file, settings, "seconds_before_next", 0, minimum=0, maximum=120
                )
                rate = r.whole_number(
                    file,
                    settings,
                    "reading_words_per_minute",
                    READING_WORDS_PER_MINUTE,
                    minimum=50,
                    maximum=1000,
                )
                fraction = self._share(settings, "reading_time_fraction", READING_TIME_FRACTION)
                # A day at least; ten years at most (a consent is renewed long before).
                consent_days = r.whole_number(
                    file,
                    settings,
                    "consent_valid_days",
                    CONSENT_VALID_DAYS,
                    minimum=1,
                    maximum=3650,
                )
                return_consent = self._return_consent(settings)
                # Who responds to a PHQ-9 answer about self-harm (`kiosk.risk`).
                responder = (
                    r.text(
                        file,
                        settings,
                        "risk_responder",
                        node,
                        "'settings'",
                        required=False,
                        longest=MAX_TITLE,
                    )
                    or ""
                )
                headphones = r.switch(file, settings, "kiosk_has_headphones", False)
        if clinic_name is None:
            return None
        return _Settings(
            clinic_name,
            language,
            seconds,
            logo,
            rate,
            fraction,
            consent_days,
            return_consent,
            responder,
            headphones,
        )

    def _return_consent(self, settings: Fields) -> ReturnConsent:
        if "return_consent" not in settings:
            return ReturnConsent.EVERY_VISIT
        node = settings["return_consent"][1]
        word = str(node.value).strip() if isinstance(node, yaml.ScalarNode) else ""
        try:
            return ReturnConsent(word)
        except ValueError:
            self.reader.report(
                PACK_FILE,
                node,
                f"'return_consent: {quoted(word)}' is not a rule; use one of: "
                + ", ".join(rule.value for rule in ReturnConsent),
            )
            return ReturnConsent.EVERY_VISIT

    def _share(self, pairs: Fields, key: str, default: Fraction) -> Fraction:
        """A share from 0 to 1, written as a fraction such as 1/3 or a decimal such as 0.33."""
        if key not in pairs:
            return default
        node = pairs[key][1]
        value = str(node.value).strip() if isinstance(node, yaml.ScalarNode) else ""
        match = _SHARE.fullmatch(value)
        share = None
        if match is not None and match.group(2) is not None:
            if int(match.group(2)) > 0:
                share = Fraction(int(match.group(1)), int(match.group(2)))
        elif match is not None:
            share = Fraction(value)
        if share is None or not 0 <= share <= 1:
            self.reader.report(
                PACK_FILE,
                node,
                f"'{key}' should be a share from 0 to 1, written like 1/3 or 0.33 "
                "(0 never notes it)",
            )
            return default
        return share

    def _picture(self, file: str, pairs: Fields, key: str, owner: yaml.Node) -> str | None:
        name = self.reader.text(file, pairs, key, owner, "this item", required=False)
        if not name:
            return None
        node = pairs[key][1]
        relative = PurePosixPath(name).as_posix()
        if relative in self.pictures:  # on another slide too: checked once
            return relative
        data = self.reader.read(name, file, node, "the picture")
        if data is None:
            return None
        # Checking a picture decodes it: the pack's pictures together are bounded first.
        self.pixels += picture_pixels(data)
        if self.pixels > MAX_PACK_PIXELS:
            self.reader.report(
                file,
                node,
                f"with the picture '{quoted(name)}' the pack's pictures add up to more than "
                f"{MAX_PACK_PIXELS // 1_000_000} megapixels; make the pictures smaller",
            )
            return None
        problem = picture_problem(data, name)
        if problem is not None:
            self.reader.report(file, node, problem)
            return None
        self.pictures[relative] = data
        return relative

    def _identifier(
        self, file: str, pairs: Fields, owner: yaml.Node, what: str, seen: set[str]
    ) -> str:
        identifier = self.reader.text(file, pairs, "id", owner, what) or ""
        if identifier and not _ID.match(identifier):
            self.reader.report(
                file,
                pairs["id"][1],
                f"the id '{quoted(identifier)}' should use only "
                "small letters, digits and hyphens, like 'after-the-infusion'",
            )
        if identifier and identifier in seen:
            self.reader.report(
                file,
                pairs["id"][1],
                f"the id '{quoted(identifier)}' is used twice; each one must be different",
            )
        seen.add(identifier)
        return identifier

    def _items(
        self, file: str, key: str, what: str, most: int, also: frozenset[str] = frozenset()
    ) -> tuple[Fields | None, yaml.Node | None, list[tuple[yaml.Node, Fields]]]:
        """The file's top-level pairs and node, and the items of its list under `key`.

        Past `most` items the list is refused and only the first `most` are looked at,
        so a list of thousands costs no more than a full one.
        """
        top = self._top(file, {key} | also, f"the {what} file")
        if top is None:
            return None, None, []
        pairs, node = top
        if key not in pairs:
            self.reader.report(file, node, f"the {what} file needs '{key}:' with a list under it")
            return pairs, node, []
        items = self.reader.sequence(file, pairs[key][1], f"'{key}'")
        if not items:
            self.reader.report(file, pairs[key][1], f"there must be at least one item in '{key}'")
        if len(items) > most:
            self.reader.report(file, pairs[key][1], _too_many(key, len(items), most))
            items = items[:most]
        result = []
        for item in items:
            fields_ = self.reader.mapping(file, item, f"each item of '{key}'")
            if fields_ is not None:
                result.append((item, fields_))
        return pairs, node, result

    def _slides(self) -> list[Slide]:
        file, r, seen = SLIDES_FILE, self.reader, set[str]()
        slides = []
        for number, (node, pairs) in enumerate(
            self._items(file, "slides", "slides", MAX_SLIDES)[2], 1
        ):
            with r.inside(f"slide {number}{_named(pairs)}", ("slide", number - 1)):
                slides.append(self._slide(node, pairs, seen))
        return slides

    def _slide(self, node: yaml.Node, pairs: Fields, seen: set[str]) -> Slide:
        file, r = SLIDES_FILE, self.reader
        r.unknown(file, pairs, {"id", "title", "text", "picture", "picture_alt"}, "a slide")
        identifier = self._identifier(file, pairs, node, "this slide", seen)
        title = r.text(file, pairs, "title", node, "this slide", longest=MAX_TITLE) or ""
        text = r.text(file, pairs, "text", node, "this slide", longest=MAX_SLIDE_TEXT) or ""
        if "text" in pairs:
            first = pairs["text"][1].start_mark.line + 1
            # A block scalar (`text: |`) starts on the line after its key.
            if isinstance(pairs["text"][1], yaml.ScalarNode) and pairs["text"][1].style in (
                "|",
                ">",
            ):
                first += 1
            for offset, message in slide_text_problems(text):
                r.report(file, first + offset, message)
        picture = self._picture(file, pairs, "picture", node)
        alt = r.text(
            file, pairs, "picture_alt", node, "this slide", required=False, longest=MAX_PICTURE_ALT
        )
        if picture and not alt:
            r.report(
                file,
                pairs["picture"][1],
                "a slide with a picture needs 'picture_alt': "
                "a sentence describing the picture for people who cannot see it",
            )
        return Slide(identifier, title, text, picture, alt)

    def _questions(self) -> list[Question]:
        file, r, seen = QUESTIONS_FILE, self.reader, set[str]()
        questions = []
        for number, (node, pairs) in enumerate(
            self._items(file, "questions", "questions", MAX_QUESTIONS)[2], 1
        ):
            with r.inside(f"question {number}{_named(pairs)}", ("question", number - 1)):
                questions.append(self._question(node, pairs, seen))
        return questions

    def _question_kind(self, pairs: Fields) -> QuestionKind:
        return self._one_of(
            pairs, "kind", QuestionKind, QuestionKind.YES_NO, "'{}' is not a kind of question"
        )

    def _one_of(
        self, pairs: Fields, key: str, words: type[_Word], default: _Word, wrong: str
    ) -> _Word:
        """A field naming one of `words` (`default` when absent); anything else is reported
        with `wrong` (its `{}` the word as written) and the words it could be."""
        if key not in pairs:
            return default
        node = pairs[key][1]
        word = str(node.value).strip() if isinstance(node, yaml.ScalarNode) else ""
        try:
            return words(word)
        except ValueError:
            known = ", ".join(choice.value for choice in words)
            self.reader.report(
                QUESTIONS_FILE, node, f"{wrong.format(quoted(word))}; use one of: {known}"
            )
            return default

    def _choices(
        self, node: yaml.Node, pairs: Fields, kind: QuestionKind, *, file: str = QUESTIONS_FILE
    ) -> tuple[Choice, ...]:
        r = self.reader
        if kind is not QuestionKind.SINGLE_CHOICE:
            if "choices" in pairs:
                r.report(file, pairs["choices"][1], "only a single_choice question has 'choices'")
            return ()
        if "choices" not in pairs:
            r.report(file, node, "a single_choice question needs 'choices:' with a list under it")
            return ()
        items = r.sequence(file, pairs["choices"][1], "'choices'")
        if len(items) < 2:
            r.report(file, pairs["choices"][1], "a single_choice question needs at least 2 choices")
        if len(items) > MAX_CHOICES:
            r.report(file, pairs["choices"][1], _too_many("choices", len(items), MAX_CHOICES))
            items = items[:MAX_CHOICES]
        seen: set[str] = set()
        choices = []
        for item in items:
            fields_ = r.mapping(file, item, "each choice")
            if fields_ is None:
                continue
            r.unknown(file, fields_, {"id", "text"}, "a choice")
            identifier = self._identifier(file, fields_, item, "this choice", seen)
            text = r.text(file, fields_, "text", item, "this choice", longest=MAX_CHOICE_TEXT) or ""
            choices.append(Choice(identifier, text))
        return tuple(choices)

    def _question(self, node: yaml.Node, pairs: Fields, seen: set[str]) -> Question:
        file, r = QUESTIONS_FILE, self.reader
        r.unknown(
            file,
            pairs,
            {
                "id",
                "kind",
                "text",
                "choices",
                "contraindication",
                "flag_when",
                "flag_wording",
                "asked",
                "slide",
                "right_answer",
                "key_sentence",
            },
            "a question",
        )
        identifier = self._identifier(file, pairs, node, "this question", seen)
        kind = self._question_kind(pairs)
        section = self._section(pairs)
        if section is QuestionSection.TEACH_BACK:
            return self._teach_back(node, pairs, identifier, kind)
        for key in ("slide", "right_answer", "key_sentence"):
            if key in pairs:
                r.report(
                    file,
                    pairs[key][1],
                    f"only a teach-back question ('asked: teach_back') has '{key}'",
                )
        text = r.text(file, pairs, "text", node, "this question", longest=MAX_QUESTION_TEXT) or ""
        choices = self._choices(node, pairs, kind)
        contraindication = r.switch(
            file, pairs, "contraindication", default=kind is QuestionKind.YES_NO
        )
        if kind is QuestionKind.SHORT_TEXT and "flag_when" in pairs:
            r.report(
                file,
                pairs["flag_when"][1],
                "a short_text question cannot raise a flag: its answers are the patient's "
                "own words; remove 'flag_when'",
            )
        allowed = (
            tuple(answer.value for answer in Answer)
            if kind is QuestionKind.YES_NO
            else tuple(choice.id for choice in choices)
        )
        flag_when = r.words(file, pairs, "flag_when", allowed, "this question")
        if flag_when is None:
            flag_when = (
                [Answer.YES.value, Answer.NOT_SURE.value] if kind is QuestionKind.YES_NO else []
            )
        if kind is QuestionKind.SHORT_TEXT:
            flag_when = []
        wording = (
            r.text(
                file,
                pairs,
                "flag_wording",
                node,
                "this question",
                required=bool(flag_when),
                longest=MAX_FLAG_WORDING,
            )
            or ""
        )
        flag_answers: tuple[str, ...] = tuple(
            Answer(a) if kind is QuestionKind.YES_NO else a for a in flag_when
        )
        return Question(
            identifier,
            text,
            flag_answers,
            wording,
            contraindication,
            kind,
            choices,
            section,
        )

    def _teach_back(
        self, node: yaml.Node, pairs: Fields, identifier: str, kind: QuestionKind
    ) -> Question:
        """A teach-back question: asked after the slides about one of them, never flagged.

        It names its slide, the right answer, and a sentence of the slide's text quoted
        when the patient answers otherwise (checked to be there, so a slide edited later
        cannot leave a quote the slide no longer says).
        """
        file, r = QUESTIONS_FILE, self.reader
        text = r.text(file, pairs, "text", node, "this question", longest=MAX_QUESTION_TEXT) or ""
        if kind is QuestionKind.SHORT_TEXT:
            r.report(
                file,
                pairs["kind"][1],
                "a teach-back question is answered by a tap (yes_no_not_sure or "
                "single_choice), so that it has a right answer",
            )
        choices = self._choices(node, pairs, kind)
        for key in ("flag_when", "flag_wording"):
            if key in pairs:
                r.report(
                    file,
                    pairs[key][1],
                    f"a teach-back question never raises a flag: remove '{key}' (an answer "
                    "still wrong after the slide is shown again is a note for staff)",
                )
        if "contraindication" in pairs and r.switch(file, pairs, "contraindication", False):
            r.report(
                file,
                pairs["contraindication"][1],
                "a teach-back question is not a contraindication",
            )
        slide_id = r.text(file, pairs, "slide", node, "this teach-back question") or ""
        slide = self.slides.get(slide_id)
        # Slides the slides file could not give: its own problem says so.
        if slide_id and slide is None and self.slides_sound:
            r.report(
                file,
                pairs["slide"][1],
                f"there is no slide '{quoted(slide_id)}'; use the id of one of the slides",
            )
        right = r.text(file, pairs, "right_answer", node, "this teach-back question") or ""
        allowed = (
            (Answer.YES.value, Answer.NO.value)
            if kind is QuestionKind.YES_NO
            else tuple(choice.id for choice in choices)
        )
        if right and right not in allowed:
            r.report(
                file,
                pairs["right_answer"][1],
                f"'{quoted(right)}' is not an answer this question can be given; "
                "use one of: " + ", ".join(allowed),
            )
        sentence = (
            r.text(
                file,
                pairs,
                "key_sentence",
                node,
                "this teach-back question",
                longest=MAX_QUESTION_TEXT,
            )
            or ""
        )
        if sentence and slide is not None and plain_words(sentence) not in plain_words(slide.text):
            r.report(
                file,
                pairs["key_sentence"][1],
                f"the key sentence is not in the text of slide '{quoted(slide_id)}'; copy it "
                "from the slide word for word (bold marks aside)",
            )
        return Question(
            identifier,
            text,
            (),
            "",
            contraindication=False,
            kind=kind,
            choices=choices,
            section=QuestionSection.TEACH_BACK,
            slide=slide_id or None,
            right_answer=(
                Answer(right) if kind is QuestionKind.YES_NO and right in allowed else right
            )
            or None,
            key_sentence=sentence,
        )

    def _section(self, pairs: Fields) -> QuestionSection:
        """`asked:` every visit (the default), before a return infusion, or after one."""
        return self._one_of(
            pairs,
            "asked",
            QuestionSection,
            QuestionSection.SCREENING,
            "'asked: {}' is not when a question can be asked",
        )

    def _consent(self) -> tuple[list[ConsentStatement], str] | None:
        file, r, seen = CONSENT_FILE, self.reader, set[str]()
        top, owner, items = self._items(
            file, "statements", "consent", MAX_STATEMENTS, frozenset({"signature_meaning"})
        )
        statements = []
        for number, (node, pairs) in enumerate(items, 1):
            with r.inside(f"consent statement {number}{_named(pairs)}", ("statement", number - 1)):
                r.unknown(file, pairs, {"id", "text"}, "a consent statement")
                identifier = self._identifier(file, pairs, node, "this statement", seen)
                text = (
                    r.text(file, pairs, "text", node, "this statement", longest=MAX_STATEMENT_TEXT)
                    or ""
                )
                statements.append(ConsentStatement(identifier, text))
        if top is None or owner is None:
            return None
        meaning = (
            r.text(
                file,
                top,
                "signature_meaning",
                owner,
                "the consent file",
                longest=MAX_SIGNATURE_MEANING,
            )
            or ""
        )
        return statements, meaning

    # --- scored questionnaires (issue 28) ----------------------------------------------
    def _measures(self, question_ids: set[str]) -> list[Measure]:
        file, r = MEASURES_FILE, self.reader
        if not (r.folder / file).exists():
            return []
        # Item IDs share one space with the questions: an answer is stored by its ID.
        seen = set(question_ids)
        measure_ids: set[str] = set()
        measures = []
        for number, (node, pairs) in enumerate(
            self._items(file, "measures", "measures", MAX_MEASURES)[2], 1
        ):
            with r.inside(f"measure {number}{_named(pairs)}", ("measure", number - 1)):
                measures.append(self._measure(node, pairs, measure_ids, seen))
                self._measure_rules(measures[-1], node, pairs)
        return measures

    def _measure_rules(self, measure: Measure, node: yaml.Node, pairs: Fields) -> None:
        """Rules that refuse a measure as the clinic set it up (the place for more, such
        as what the PHQ-9 needs before it may be turned on)."""
        if measure.turned_on and not measure.items:
            self.reader.report(
                MEASURES_FILE, node, f"{measure.name} is turned on but has no items to ask"
            )
        # The risk path follows the self-harm item's ID: a PHQ-9 without it could never
        # raise the alert its answer needs (`kiosk.risk`).
        if measure.id == PHQ9 and SELF_HARM_ITEM not in measure.item_ids():
            self.reader.report(
                MEASURES_FILE,
                node,
                f"{measure.name} has no item \u201c{SELF_HARM_ITEM}\u201d (thoughts of "
                "self-harm): without it the kiosk cannot raise the alert that answer needs",
            )

    def _measure(
        self, node: yaml.Node, pairs: Fields, measure_ids: set[str], seen: set[str]
    ) -> Measure:
        file, r = MEASURES_FILE, self.reader
        r.unknown(
            file,
            pairs,
            {
                "id",
                "name",
                "instructions",
                "choices",
                "items",
                "difficulty",
                "bands",
                "attribution",
                "validated",
                "every_nth_visit",
            },
            "a measure",
        )
        identifier = self._identifier(file, pairs, node, "this measure", measure_ids)
        name = r.text(file, pairs, "name", node, "this measure", longest=MAX_TITLE) or ""
        instructions = (
            r.text(file, pairs, "instructions", node, "this measure", longest=MAX_QUESTION_TEXT)
            or ""
        )
        attribution = (
            r.text(
                file,
                pairs,
                "attribution",
                node,
                "this measure",
                required=False,
                longest=MAX_QUESTION_TEXT,
            )
            or ""
        )
        choices = self._scored_choices(node, pairs)
        items = self._measure_items(node, pairs, seen)
        difficulty = self._difficulty(pairs, seen)
        highest = len(items) * max((choice.score for choice in choices), default=0)
        bands = self._bands(node, pairs, highest)
        return Measure(
            identifier,
            name,
            instructions,
            choices,
            items,
            bands,
            attribution,
            difficulty,
            validated=r.switch(file, pairs, "validated", default=False),
            every_nth_visit=r.whole_number(
                file, pairs, "every_nth_visit", 0, minimum=0, maximum=52
            ),
        )

    def _list(self, owner: yaml.Node, pairs: Fields, key: str, what: str) -> list[yaml.Node]:
        file, r = MEASURES_FILE, self.reader
        if key not in pairs:
            r.report(file, owner, f"{what} needs '{key}:' with a list under it")
            return []
        items = r.sequence(file, pairs[key][1], f"'{key}'")
        if not items:
            r.report(file, pairs[key][1], f"there must be at least one item in '{key}'")
        return items

    def _scored_choices(self, owner: yaml.Node, pairs: Fields) -> tuple[ScoredChoice, ...]:
        file, r = MEASURES_FILE, self.reader
        items = self._list(owner, pairs, "choices", "a measure")
        if len(items) > MAX_CHOICES:
            r.report(file, pairs["choices"][1], _too_many("choices", len(items), MAX_CHOICES))
            items = items[:MAX_CHOICES]
        seen: set[str] = set()
        choices = []
        for item in items:
            fields_ = r.mapping(file, item, "each choice")
            if fields_ is None:
                continue
            r.unknown(file, fields_, {"id", "text", "score"}, "a choice of a measure")
            identifier = self._identifier(file, fields_, item, "this choice", seen)
            text = r.text(file, fields_, "text", item, "this choice", longest=MAX_CHOICE_TEXT) or ""
            if "score" not in fields_:
                r.report(file, item, "each choice of a measure needs 'score': the points it counts")
            score = r.whole_number(file, fields_, "score", 0, minimum=0, maximum=MAX_SCORE)
            choices.append(ScoredChoice(identifier, text, score))
        return tuple(choices)

    def _measure_items(
        self, owner: yaml.Node, pairs: Fields, seen: set[str]
    ) -> tuple[MeasureItem, ...]:
        file, r = MEASURES_FILE, self.reader
        items = self._list(owner, pairs, "items", "a measure")
        if len(items) > MAX_MEASURE_ITEMS:
            r.report(file, pairs["items"][1], _too_many("items", len(items), MAX_MEASURE_ITEMS))
            items = items[:MAX_MEASURE_ITEMS]
        found = []
        for item in items:
            fields_ = r.mapping(file, item, "each item")
            if fields_ is None:
                continue
            r.unknown(file, fields_, {"id", "text"}, "an item of a measure")
            identifier = self._identifier(file, fields_, item, "this item", seen)
            text = r.text(file, fields_, "text", item, "this item", longest=MAX_QUESTION_TEXT) or ""
            found.append(MeasureItem(identifier, text))
        return tuple(found)

    def _difficulty(self, pairs: Fields, seen: set[str]) -> DifficultyItem | None:
        file, r = MEASURES_FILE, self.reader
        if "difficulty" not in pairs:
            return None
        node = pairs["difficulty"][1]
        fields_ = r.mapping(file, node, "'difficulty'")
        if fields_ is None:
            return None
        r.unknown(file, fields_, {"id", "text", "choices"}, "the difficulty item")
        identifier = self._identifier(file, fields_, node, "the difficulty item", seen)
        text = (
            r.text(file, fields_, "text", node, "the difficulty item", longest=MAX_QUESTION_TEXT)
            or ""
        )
        choices = self._choices(node, fields_, QuestionKind.SINGLE_CHOICE, file=file)
        return DifficultyItem(identifier, text, choices)

    def _bands(self, owner: yaml.Node, pairs: Fields, highest: int) -> tuple[SeverityBand, ...]:
        """Severity bands: each total from 0 to the highest in exactly one band."""
        file, r = MEASURES_FILE, self.reader
        before = len(r.problems)
        items = self._list(owner, pairs, "bands", "a measure")
        bands = []
        for item in items[:MAX_MEASURE_ITEMS]:
            fields_ = r.mapping(file, item, "each band")
            if fields_ is None:
                continue
            r.unknown(file, fields_, {"from", "to", "name"}, "a band")
            lowest = r.whole_number(file, fields_, "from", 0, minimum=0, maximum=999)
            top = r.whole_number(file, fields_, "to", 0, minimum=0, maximum=999)
            name = r.text(file, fields_, "name", item, "this band", longest=MAX_CHOICE_TEXT) or ""
            if "from" not in fields_ or "to" not in fields_ or lowest > top:
                r.report(file, item, "each band needs 'from' and 'to', from the lower total")
            bands.append(SeverityBand(lowest, top, name))
        if bands and len(r.problems) == before:
            covered = sorted(
                total for band in bands for total in range(band.lowest, band.highest + 1)
            )
            if covered != list(range(highest + 1)):
                r.report(
                    file,
                    pairs["bands"][1],
                    f"the bands must cover every total from 0 to {highest} once each "
                    "(no gaps, no overlaps)",
                )
        return tuple(bands)
