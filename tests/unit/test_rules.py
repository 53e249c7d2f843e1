"""Which visits need a clinician or the front desk."""

from __future__ import annotations

import pytest

from kiosk.content import Answer, ContentPack
from kiosk.rules import Flag, FlagKind, visit_flags

NONE = {
    "psychosis": Answer.NO,
    "blood-pressure": Answer.NO,
    "substance-misuse": Answer.NO,
    "heart-condition": Answer.NO,
    "pregnancy": Answer.NO,
}


def test_all_no_with_a_ride_raises_no_flag(pack: ContentPack) -> None:
    assert visit_flags(pack, NONE, has_ride_home=True, stopped_to_talk=False) == []


@pytest.mark.parametrize("question_id", list(NONE))
@pytest.mark.parametrize("answer", [Answer.YES, Answer.NOT_SURE])
def test_yes_or_not_sure_to_any_contraindication_flags_it(
    pack: ContentPack, question_id: str, answer: Answer
) -> None:
    flags = visit_flags(
        pack, {**NONE, question_id: answer}, has_ride_home=True, stopped_to_talk=False
    )
    assert [(f.kind, f.question_id, f.answer) for f in flags] == [
        (FlagKind.CONTRAINDICATION, question_id, answer)
    ]


def test_the_flag_reads_as_a_sentence_for_staff(pack: ContentPack) -> None:
    (flag,) = visit_flags(
        pack, {**NONE, "blood-pressure": Answer.NOT_SURE}, has_ride_home=True, stopped_to_talk=False
    )
    assert flag.sentence == (
        "Needs clinician review: high blood pressure not under control — answered Not sure"
    )


def test_no_ride_home_flags_it(pack: ContentPack) -> None:
    (flag,) = visit_flags(pack, NONE, has_ride_home=False, stopped_to_talk=False)
    assert flag.kind is FlagKind.NO_RIDE_HOME
    assert "must not drive" in flag.sentence


def test_stopping_to_talk_flags_it_and_the_unasked_ride_is_not_blamed(pack: ContentPack) -> None:
    flags = visit_flags(pack, NONE, has_ride_home=False, stopped_to_talk=True)
    assert [f.kind for f in flags] == [FlagKind.TALK_FIRST]
    assert "not signed" in flags[0].sentence


def test_flags_come_in_question_order_then_ride(pack: ContentPack) -> None:
    answers = {**NONE, "pregnancy": Answer.YES, "psychosis": Answer.NOT_SURE}
    flags = visit_flags(pack, answers, has_ride_home=False, stopped_to_talk=False)
    assert [f.question_id for f in flags] == ["psychosis", "pregnancy", None]
    assert flags[-1] == Flag(FlagKind.NO_RIDE_HOME, flags[-1].wording)


def test_a_flag_in_brief_is_what_it_is_about() -> None:
    from kiosk.rules import NO_RIDE_WORDING, TALK_FIRST_WORDING, Flag, FlagKind, flag_in_brief

    asked = Flag(FlagKind.CONTRAINDICATION, "answered wrongly — answered before", "q", "yes", "Yes")
    assert flag_in_brief(asked.kind, asked.sentence) == "answered wrongly — answered before"
    assert flag_in_brief(FlagKind.NO_RIDE_HOME, NO_RIDE_WORDING) == "no ride home"
    assert flag_in_brief(FlagKind.TALK_FIRST, TALK_FIRST_WORDING) == "wants to talk first"
    # A sentence in another form (an older version's) is shown whole.
    assert flag_in_brief(FlagKind.CONTRAINDICATION, "Call Dr. Lee") == "Call Dr. Lee"
