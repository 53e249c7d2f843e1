"""What changes between two versions, word by word."""

from __future__ import annotations

from dataclasses import replace

from kiosk.content import ContentPack
from kiosk.content_changes import Piece, content_changes, word_changes


def test_only_the_words_that_differ_are_marked() -> None:
    pieces = word_changes(
        "Have you ever been told you have psychosis?", "Has a doctor told you you have psychosis?"
    )
    assert "".join(text for piece, text in pieces if piece is not Piece.ADDED).split() == (
        "Have you ever been told you have psychosis?".split()  # noqa: SIM905
    )
    assert "".join(text for piece, text in pieces if piece is not Piece.REMOVED).split() == (
        "Has a doctor told you you have psychosis?".split()  # noqa: SIM905
    )
    assert [text for piece, text in pieces if piece is Piece.REMOVED] == ["Have", "ever been told"]
    assert word_changes("Side effects", "Side effects") == ((Piece.SAME, "Side effects"),)


def test_changes_name_the_item_and_include_translations_and_removed_items(
    pack: ContentPack,
) -> None:
    first = replace(pack.questions[0], text="Has a doctor told you of psychosis?")
    after = replace(
        pack,
        questions=(first, *pack.questions[1:]),
        consent_statements=pack.consent_statements[:-1],
    )
    where = [change.where for change in content_changes(pack, after)]
    assert where[0] == "Question 1 “Has a doctor told you of psychosis?”, the question"
    assert where[1].startswith(f"Consent statement {len(pack.consent_statements)} “")
    assert where[2].startswith("Spanish, consent statement")
    assert len(where) == 3
