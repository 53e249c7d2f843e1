"""Translations whose clinic-language words changed: marked, kept beside the draft, enforced."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kiosk.actor import Actor, ActorKind
from kiosk.content import ContentPack
from kiosk.database import Database
from kiosk.publishing import PublishError, current_draft, publish_draft, save_draft
from kiosk.translations import confirm_translations, follow_edit, out_of_date
from kiosk.visit_walk import ManualClock


def _stamp(clock: ManualClock) -> Actor:
    return Actor(ActorKind("user"), "maria", "desk-1", clock())


def _first_question(pack: ContentPack, text: str) -> ContentPack:
    first = replace(pack.questions[0], text=text)
    return replace(pack, questions=(first, *pack.questions[1:]))


def _spanish(pack: ContentPack, key: str, words: str) -> ContentPack:
    return replace(pack, translations={"es": {**pack.translations["es"], key: words}})


KEY = "question.psychosis.text"


def test_a_change_to_the_clinics_words_marks_the_translation_until_it_changes_or_reverts(
    pack: ContentPack,
) -> None:
    old = pack.questions[0].text
    reworded = _first_question(pack, "Has a doctor told you of psychosis?")
    marked = follow_edit(pack, reworded, {})
    assert marked == {"es": {KEY: old}}
    assert out_of_date(reworded, marked) == {"es": [KEY]}
    # Reworded again: still translated from the first wording.
    again = _first_question(pack, "Has a doctor ever told you of psychosis?")
    assert follow_edit(reworded, again, marked) == {"es": {KEY: old}}
    # Back to the words that were translated: up to date.
    assert follow_edit(again, pack, marked) == {}
    # Translated again: up to date.
    retranslated = _spanish(reworded, KEY, "Un medico le ha hablado de psicosis?")
    assert follow_edit(reworded, retranslated, marked) == {}
    assert confirm_translations(marked, "es", [KEY]) == {}


def test_publish_refuses_a_draft_with_a_stale_contraindication_question(
    database: Database, clock: ManualClock, pack: ContentPack
) -> None:
    reworded = _first_question(pack, "Has a doctor told you of psychosis?")
    with database.session() as session, session.begin():
        save_draft(session, reworded, by=_stamp(clock))  # worked out against the content in use
    with database.session() as session, session.begin():
        draft = current_draft(session)
        assert draft is not None
        assert draft.translated_from == {"es": {KEY: pack.questions[0].text}}
        with pytest.raises(PublishError, match="out of date") as refused:
            publish_draft(session, label="reworded", by=_stamp(clock))
    assert any("question 1" in problem for problem in refused.value.problems)
    with database.session() as session, session.begin():
        save_draft(session, reworded, by=_stamp(clock), translated_from={})  # confirmed
        assert publish_draft(session, label="reworded", by=_stamp(clock)).number == 2
