"""A content pack as one readable page, for looking at an earlier version."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication

from kiosk.content import ContentPack
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
