"""What changed between two versions of the content, word by word, for an admin to read.

Before restoring an earlier version an admin sees what patients would read differently:
each piece of text that differs, named by its slide, question or statement (as the
editor names them), with the words taken out and put in. Items are matched by ID, so a
reworded question is one change, not a removal and an addition.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from enum import StrEnum

from kiosk.content import ContentPack, language_words, text_keys
from kiosk.draft_check import key_place

# Words and line breaks; other spacing is not a change a patient would notice.
_WORDS = re.compile(r"\n|\S+")


class Piece(StrEnum):
    """Whether words are in both versions, only the earlier, or only the later."""

    SAME = "same"
    REMOVED = "removed"
    ADDED = "added"


@dataclass(frozen=True)
class TextChange:
    """One piece of text that reads differently, as runs of kept, removed and added words."""

    where: str  # "Slide 2 “How it works”, the text" / "Spanish, question 1 “…”, the question"
    pieces: tuple[tuple[Piece, str], ...]


def word_changes(before: str, after: str) -> tuple[tuple[Piece, str], ...]:
    """`before` becoming `after`, word by word (line breaks kept, words one space apart)."""
    old, new = _WORDS.findall(before), _WORDS.findall(after)
    pieces: list[tuple[Piece, str]] = []

    def add(piece: Piece, words: list[str]) -> None:
        if pieces:
            pieces.append((Piece.SAME, " "))
        pieces.append((piece, " ".join(words).replace(" \n ", "\n").replace("\n ", "\n")))

    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add(Piece.SAME, old[i1:i2])
            continue
        if i2 > i1:
            add(Piece.REMOVED, old[i1:i2])
        if j2 > j1:
            add(Piece.ADDED, new[j1:j2])
    return tuple(pieces)


def content_changes(before: ContentPack, after: ContentPack) -> list[TextChange]:
    """Every piece of patient-facing text that differs, in the order `after` shows them.

    Text only in `before` (a removed slide) comes last, all of it removed.
    """
    changes: list[TextChange] = []
    for language in (after.language, *sorted(set(after.translations) | set(before.translations))):
        old, new = _words(before, language), _words(after, language)
        prefix = "" if language == after.language else f"{language_words(language)}, "
        for key, text in new.items():
            if old.get(key, "") != text:
                changes.append(
                    TextChange(_where(after, key, prefix), word_changes(old.get(key, ""), text))
                )
        for key, text in old.items():
            if key not in new and text:
                changes.append(TextChange(_where(before, key, prefix), word_changes(text, "")))
    return changes


def _words(pack: ContentPack, language: str) -> dict[str, str]:
    if language == pack.language:
        return text_keys(pack)
    # Words of items the pack no longer has are not what patients read.
    own = text_keys(pack)
    return {k: v for k, v in pack.translations.get(language, {}).items() if k in own}


def _where(pack: ContentPack, key: str, prefix: str) -> str:
    _, name, field = key_place(pack, key)
    where = f"{prefix}{name}, {field}"
    return where[:1].upper() + where[1:]
