"""Scored questionnaires (the PHQ-9, the GAD-7): when one is asked, its total and band.

The wording, scores and bands are the content pack's (`kiosk.content.Measure`); this is
the arithmetic and the clinic's schedule, with no screen and no database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kiosk.content import ContentPack, Measure, language_words


@dataclass(frozen=True)
class MeasureScore:
    """A measure as one visit answered it: every item, its total and its band."""

    measure_id: str
    name: str
    total: int
    band: str
    highest_total: int


def measure_due(measure: Measure, visits_before: int | None) -> bool:
    """Whether the clinic asks `measure` at a patient's visit after `visits_before` others.

    Every Nth visit counts from the first: 3 asks at visits 1, 4, 7… Where the kiosk
    cannot know how many visits came before (None), it asks: a measure missed is a gap
    in the trend a clinician reads, one asked early is not.
    """
    if not measure.turned_on:
        return False
    if visits_before is None:
        return True
    return visits_before % measure.every_nth_visit == 0


def measure_score(measure: Measure, answers: Mapping[str, str]) -> MeasureScore | None:
    """The total and band of a measure whose every scored item has an answer, else None.

    `answers` maps item IDs to the choice tapped; the difficulty item is not scored.
    """
    total = 0
    for item in measure.items:
        choice = answers.get(item.id)
        score = measure.score(choice) if choice is not None else None
        if score is None:
            return None
        total += score
    return MeasureScore(measure.id, measure.name, total, measure.band(total), measure.highest_total)


def visit_scores(pack: ContentPack, answers: Mapping[str, str]) -> tuple[MeasureScore, ...]:
    """Each of the pack's measures the visit answered in full, in the pack's order."""
    scores = (measure_score(measure, answers) for measure in pack.measures)
    return tuple(score for score in scores if score is not None)


def not_asked_wording(measure: Measure, language: str) -> str:
    """Why a measure due today was not asked: no version in the patient's language."""
    return (
        f"{measure.name} not asked — the visit was in {language_words(language)} and the "
        f"clinic's content has no {language_words(language)} {measure.name} (only the "
        "publisher's own translation can be added)"
    )
