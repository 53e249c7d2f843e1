"""Which parts of a visit need a clinician or the front desk before treatment.

A flag never refuses treatment: it asks a person to look. The wording here is what
front-desk staff read on the desk and on the printed summary.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from kiosk.content import ContentPack, QuestionSection


class FlagKind(StrEnum):
    """Why a visit was flagged."""

    CONTRAINDICATION = "contraindication"
    # A returning patient's answers (issue 27): before today's infusion, and since the last.
    PRE_INFUSION = "pre_infusion"
    SIDE_EFFECT = "side_effect"
    NO_RIDE_HOME = "no_ride_home"
    TALK_FIRST = "talk_first"
    # A scored questionnaire due today but not asked: no version in the visit's language.
    MEASURE_NOT_ASKED = "measure_not_asked"

    @property
    def clinical(self) -> bool:
        """A clinician reviews it (a ride home is staff's to arrange)."""
        return self is not FlagKind.NO_RIDE_HOME


def stored_flag_kind(stored: str) -> FlagKind:
    """A stored flag's kind. One no kiosk writes (a hand edit, damage) counts as a
    contraindication: a clinician looks at it, and only a clinician's review clears it."""
    try:
        return FlagKind(stored)
    except ValueError:
        return FlagKind.CONTRAINDICATION


# A question's section names its flag: staff see what kind of answer it was.
_SECTION_FLAGS = {
    QuestionSection.SCREENING: FlagKind.CONTRAINDICATION,
    QuestionSection.PRE_INFUSION: FlagKind.PRE_INFUSION,
    QuestionSection.SIDE_EFFECTS: FlagKind.SIDE_EFFECT,
}


# How a contraindication's sentence reads, so that `flag_in_brief` can take it apart.
_REVIEW_PREFIX = "Needs clinician review: "
_ANSWERED = " — answered "


@dataclass(frozen=True)
class Flag:
    """One reason a visit needs attention, in staff's words."""

    kind: FlagKind
    wording: str
    question_id: str | None = None
    answer: str | None = None
    # How the answer reads ("Not sure", a choice's text), for the sentence.
    answer_words: str | None = None

    @property
    def sentence(self) -> str:
        """The flag as one sentence for the desk and the summary."""
        # Every answer the pack marks (a contraindication, a pre-infusion answer, a side
        # effect) reads the same way, so `flag_in_brief` takes each apart alike.
        if self.question_id is not None and self.answer_words is not None:
            return f"{_REVIEW_PREFIX}{self.wording}{_ANSWERED}{self.answer_words}"
        return self.wording


NO_RIDE_WORDING = "No ride home arranged yet — the patient must not drive today"
TALK_FIRST_WORDING = "Asked to talk to someone before consenting — consent not signed"


def flag_in_brief(kind: str, sentence: str) -> str:
    """What a stored flag is about, in a few words for the desk's list: the question's
    flag wording ("high blood pressure not under control"), "no ride home", "wants to
    talk first". The whole sentence stays for the details and the hover."""
    if kind == FlagKind.NO_RIDE_HOME:
        return "no ride home"
    if kind == FlagKind.TALK_FIRST:
        return "wants to talk first"
    if kind == FlagKind.MEASURE_NOT_ASKED:
        return sentence.partition(" — ")[0]
    if sentence.startswith(_REVIEW_PREFIX):
        # `Flag.sentence`'s own form, taken apart at its last "answered" (a question's
        # wording may say "answered" itself).
        return sentence.removeprefix(_REVIEW_PREFIX).rpartition(_ANSWERED)[0] or sentence
    return sentence


def contraindication_flags(content: ContentPack, answers: Mapping[str, str]) -> list[Flag]:
    """A flag for each answer the content says needs clinician review, in question order."""
    flags = []
    for question in content.questions:
        answer = answers.get(question.id)
        if answer is not None and question.raises_flag(answer):
            flags.append(
                Flag(
                    _SECTION_FLAGS[question.section],
                    question.flag_wording,
                    question.id,
                    answer,
                    question.answer_words(answer),
                )
            )
    return flags


def visit_flags(
    content: ContentPack,
    answers: Mapping[str, str],
    *,
    has_ride_home: bool,
    stopped_to_talk: bool,
    measures_not_asked: Sequence[str] = (),
) -> list[Flag]:
    """Every flag of a finished visit: contraindications, measures due but not asked
    (each sentence says why), then ride home, then talk first."""
    flags = contraindication_flags(content, answers)
    flags.extend(Flag(FlagKind.MEASURE_NOT_ASKED, wording) for wording in measures_not_asked)
    if stopped_to_talk:
        flags.append(Flag(FlagKind.TALK_FIRST, TALK_FIRST_WORDING))
    elif not has_ride_home:
        flags.append(Flag(FlagKind.NO_RIDE_HOME, NO_RIDE_WORDING))
    return flags
