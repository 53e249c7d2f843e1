"""A content pack as one readable page, for looking at an earlier version."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication

from kiosk.content import ContentPack
from kiosk.content_changes import Piece, TextChange
from ui.screens.slide import slide_html


def _tr(text: str) -> str:
    return QCoreApplication.translate("ContentPage", text)


def content_html(pack: ContentPack) -> str:
    """Clinic, slides, questions and consent of `pack` as rich text; typed text is escaped."""
    parts = [f"<h2>{escape(pack.clinic_name)}</h2>", f"<h3>{_tr('Slides')}</h3>"]
    for number, slide in enumerate(pack.slides, 1):
        picture = (
            f"<p><i>{_tr('Picture:')} {escape(slide.picture_alt or '')}</i></p>"
            if slide.picture
            else ""
        )
        parts.append(f"<h4>{number}. {escape(slide.title)}</h4>{slide_html(slide.blocks)}{picture}")
    parts.append(f"<h3>{_tr('Questions')}</h3><ol>")
    for question in pack.questions:
        if question.is_teach_back:
            right = (
                question.answer_words(str(question.right_answer)) if question.right_answer else "—"
            )
            parts.append(
                f"<li>{escape(question.text)}<br><small>"
                + _tr("Teach-back on slide “{0}”; right answer: {1}; key sentence: “{2}”").format(
                    escape(question.slide or ""), escape(right), escape(question.key_sentence)
                )
                + "</small></li>"
            )
            continue
        flags = ", ".join(question.answer_words(a) for a in question.flag_answers) or _tr("never")
        kind = (
            _tr("contraindication") if question.contraindication else _tr("not a contraindication")
        )
        parts.append(
            f"<li>{escape(question.text)}<br><small>{_tr('Flag when:')} {escape(flags)} — "
            f"“{escape(question.flag_wording)}” ({kind})</small></li>"
        )
    parts.append(f"</ol><h3>{_tr('Consent')}</h3><ul>")
    parts.extend(f"<li>{escape(s.text)}</li>" for s in pack.consent_statements)
    parts.append(f"</ul><p><b>{escape(pack.signature_meaning)}</b></p>")
    return "".join(parts)


# Taken-out words struck through on red, put-in words on green: told apart by more than
# colour, and dark text on both keeps 4.5:1 contrast.
_PIECE_STYLE = {
    Piece.REMOVED: "background-color:#fbe3e3; color:#6b0f0f; text-decoration:line-through;",
    Piece.ADDED: "background-color:#dff3dc; color:#0d4a17; text-decoration:underline;",
}


def changes_html(changes: list[TextChange], contraindications: list[str]) -> str:
    """What a restore changes, word by word, as rich text; typed text is escaped."""
    if not changes and not contraindications:
        return f"<p>{_tr('Patients would read exactly the same words.')}</p>"
    parts = [
        f"<p><i>{_tr('Struck-through words go; underlined words come in.')}</i></p>",
        *(f"<p><b>{escape(sentence)}</b></p>" for sentence in contraindications),
    ]
    for change in changes:
        words = "".join(
            f'<span style="{_PIECE_STYLE[piece]}">{escape(text)}</span>'
            if piece in _PIECE_STYLE
            else escape(text)
            for piece, text in change.pieces
        ).replace("\n", "<br>")
        parts.append(f"<h4>{escape(change.where)}</h4><p>{words}</p>")
    return "".join(parts)


def source_html(language: str, rows: list[tuple[str, str, str | None]]) -> str:
    """The clinic's own words of the item being translated, beside the translation.

    Each row is (which words, the words, what the translation was made from when the
    words changed since, else None); an out-of-date row says so and shows the old words.
    """
    if not rows:
        return f"<p><i>{_tr('Choose an item to see its words.')}</i></p>"
    parts = [f"<p><i>{escape(language)}</i></p>"]
    for field, words, was in rows:
        text = escape(words).replace("\n", "<br>")
        parts.append(f"<h4>{escape(field)}</h4><p>{text}</p>")
        if was is not None:
            parts.append(
                f'<p style="background-color:#fff4d6; color:#3b2f0b;"><b>'
                f"{_tr('Out of date: translated from')}</b> "
                f"“{escape(was)}”</p>"
            )
    return "".join(parts)
