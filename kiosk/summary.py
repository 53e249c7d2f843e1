"""The one-page visit summary the front desk prints (reportlab Platypus).

It takes plain data (a `VisitRecord`), never database or Qt objects. Everything a
patient typed is escaped, so any name prints literally. A pack longer than one page
flows onto more pages, each with the clinic, patient and visit ID repeated.
"""

from __future__ import annotations

import io
import logging
from datetime import datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from reportlab.graphics.barcode.qr import QrCode
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from kiosk.translations import language_words
from kiosk.visit import Ending, RideStatus
from kiosk.visit_record import VisitRecord

log = logging.getLogger(__name__)
PAGE_SIZES = {"A4": A4, "Letter": LETTER}
FONT, BOLD = "KioskSans", "KioskSans-Bold"
MARGIN = 15 * mm
FLAG_RED = colors.HexColor("#9b1c1c")
FLAG_FILL = colors.HexColor("#fdecec")
CALM_GREEN = colors.HexColor("#1e5f3a")
CALM_FILL = colors.HexColor("#e9f5ee")
RULE_GREY = colors.HexColor("#9aa3ad")

RIDE_WORDS = {
    RideStatus.ARRANGED: "Arranged",
    RideStatus.NONE_YET: "No ride home yet — the patient must not drive today",
    RideStatus.NOT_ASKED: "Not asked — the visit stopped before consent was signed",
}
ENDING_WORDS = {
    Ending.COMPLETED: "Completed at the kiosk",
    Ending.STOPPED_TO_TALK: "Stopped at consent: asked to talk to someone first",
    Ending.ABANDONED: "Abandoned",
}


@cache
def _register_fonts() -> None:
    # DejaVu ships with the app: Helvetica covers Latin-1 only, and names come from anywhere.
    fonts = resources.files("resources").joinpath("fonts")
    assert isinstance(fonts, Path)
    pdfmetrics.registerFont(TTFont(FONT, str(fonts / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(fonts / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


def _style(
    name: str,
    size: float,
    *,
    bold: bool = False,
    colour: colors.Color = colors.black,
    leading: float | None = None,
    align: Literal[0, 2] = TA_LEFT,
) -> ParagraphStyle:
    return ParagraphStyle(
        name,
        fontName=BOLD if bold else FONT,
        fontSize=size,
        leading=leading or size * 1.25,
        textColor=colour,
        alignment=align,
    )


BODY = _style("body", 9.5)
SMALL = _style("small", 8, colour=colors.HexColor("#333333"))
HEADING = _style("heading", 11, bold=True, leading=15)
NAME = _style("name", 18, bold=True, leading=22)
FLAG_TITLE = _style("flag-title", 12, bold=True, colour=FLAG_RED)
FLAG_LINE = _style("flag-line", 10.5, bold=True, colour=FLAG_RED, leading=13.5)
CALM = _style("calm", 12, bold=True, colour=CALM_GREEN)
CALM_LINE = _style("calm-line", 10, colour=CALM_GREEN, leading=13)
RIGHT_SMALL = _style("right-small", 8, align=TA_RIGHT, colour=colors.HexColor("#333333"))


def _text(value: str) -> str:
    """Patient or content text, escaped so that `<`, `&` and quotes print as typed."""
    return escape(value, {'"': "&quot;"})


# Fonts for scripts DejaVu lacks (Chinese, Japanese, Korean...), where the system has one.
FALLBACK_FONT_FILES = (
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)
FALLBACK = "KioskFallback"
NOT_PRINTABLE_NOTE = " [some characters of this name cannot be printed here; see the record]"


@cache
def _fallback_registered() -> bool:
    for candidate in FALLBACK_FONT_FILES:
        if Path(candidate).is_file():
            try:
                pdfmetrics.registerFont(TTFont(FALLBACK, candidate))
            except Exception:  # noqa: BLE001 - a broken system font just means no fallback
                log.warning("the fallback font %s cannot be used", candidate)
                continue
            return True
    return False


def _covered(text: str, font: str) -> bool:
    face = pdfmetrics.getFont(font).face  # type: ignore[attr-defined]
    return all(ord(ch) in face.charToGlyph or ch.isspace() for ch in text)


def _name(value: str) -> str:
    """A person's name as paragraph markup that never prints as empty boxes.

    In the built-in font when it has every letter; else in a system fallback font; else
    as far as it goes, with a note that the name is complete in the stored record.
    """
    if _covered(value, FONT):
        return _text(value)
    if _fallback_registered() and _covered(value, FALLBACK):
        return f"<font face='{FALLBACK}'>{_text(value)}</font>"
    return _text(value) + NOT_PRINTABLE_NOTE


def _when(moment: datetime | None, zone: ZoneInfo) -> str:
    if moment is None:
        return "—"
    local = moment.astimezone(zone)
    return local.strftime("%b %d, %Y, %I:%M %p ").replace(" 0", " ") + (local.tzname() or "")


def _time(moment: datetime | None, zone: ZoneInfo) -> str:
    if moment is None:
        return "—"
    return moment.astimezone(zone).strftime("%I:%M:%S %p").lstrip("0")


def _flag_box(record: VisitRecord, width: float, zone: ZoneInfo) -> Table:
    if record.flags:
        # Every flag raised stays on paper; one dealt with says so beside it.
        title = "Needs attention before treatment" if record.open_flags else "Flags (dealt with)"
        rows = [[Paragraph(title, FLAG_TITLE)]]
        rows += [
            [
                Paragraph(
                    "■ " + _text(flag) + ("" if flag in record.open_flags else " — cleared"),
                    FLAG_LINE,
                )
            ]
            for flag in record.flags
        ]
        if record.reviewed_by and record.reviewed_at:
            note = f": “{_text(record.review_note)}”" if record.review_note else ""
            rows.append(
                [
                    Paragraph(
                        f"Reviewed by clinician <b>{_text(record.reviewed_by)}</b> on "
                        f"{_when(record.reviewed_at, zone)}{note}",
                        CALM_LINE,
                    )
                ]
            )
        border, fill = FLAG_RED, FLAG_FILL
    else:
        rows = [
            [Paragraph("No flags — no answers need clinician review, ride home arranged", CALM)]
        ]
        border, fill = CALM_GREEN, CALM_FILL
    box = Table(rows, colWidths=[width])
    box.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 2, border),
                ("BACKGROUND", (0, 0), (-1, -1), fill),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return box


def _void_notice(record: VisitRecord, zone: ZoneInfo) -> list[Flowable]:
    if record.voided_at is None:
        return []
    return [
        Paragraph(
            f"VOID — this check-in was voided by {_text(record.voided_by or '')} on "
            f"{_when(record.voided_at, zone)}: {_text(record.void_reason or '')}",
            FLAG_TITLE,
        ),
        Spacer(1, 2 * mm),
    ]


def _answers(record: VisitRecord, width: float, zone: ZoneInfo) -> Table:
    rows = [[Paragraph("Question", SMALL), Paragraph("Answer", SMALL), Paragraph("Time", SMALL)]]
    flagged_rows = []
    for n, answer in enumerate(record.answers, start=1):
        words = _text(answer.words)
        cell = Paragraph(f"<b>{words} — review</b>" if answer.flagged else words, BODY)
        rows.append(
            [
                Paragraph(_text(answer.question_text), BODY),
                cell,
                Paragraph(_time(answer.answered_at, zone), SMALL),
            ]
        )
        if answer.flagged:
            flagged_rows.append(n)
    table = Table(rows, colWidths=[width * 0.6, width * 0.26, width * 0.14], repeatRows=1)
    style: list[Any] = [
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE_GREY),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    style += [("BACKGROUND", (0, r), (-1, r), FLAG_FILL) for r in flagged_rows]
    table.setStyle(TableStyle(style))
    return table


def _consent(record: VisitRecord, width: float, zone: ZoneInfo) -> list[Flowable]:
    rows = [
        [
            Paragraph(("✓ " if a.acknowledged_at else "✗ ") + _text(a.statement_text), BODY),
            Paragraph(
                _time(a.acknowledged_at, zone) if a.acknowledged_at else "not acknowledged", SMALL
            ),
        ]
        for a in record.acknowledgements
    ]
    table = Table(rows, colWidths=[width * 0.82, width * 0.18])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    heading = "Consent"
    if record.language != record.content_language:
        heading += f" (as shown to the patient, in {language_words(record.language)})"
    parts: list[Flowable] = [Paragraph(heading, HEADING), table, Spacer(1, 3)]
    meaning = Paragraph(f"Meaning of the signature: <b>{_text(record.signature_meaning)}</b>", BODY)
    if record.typed_signature and record.signed_name:
        # No picture to print: say plainly that the name was typed, and what was typed.
        parts += [
            Paragraph(
                f"Signed by typing their name: <b>{_name(record.typed_signature)}</b><br/>"
                f"{_when(record.signed_at, zone)} · typed at the kiosk in place of a drawn "
                "signature, as the clinic's settings allow; it matched the name the patient "
                f"entered ({_name(record.signed_name)})",
                BODY,
            ),
            Spacer(1, 2),
            meaning,
        ]
    elif record.signature_png and record.signed_name:
        picture = Image(io.BytesIO(record.signature_png))
        scale = min(60 * mm / picture.imageWidth, 20 * mm / picture.imageHeight)
        picture.drawWidth, picture.drawHeight = (
            picture.imageWidth * scale,
            picture.imageHeight * scale,
        )
        signer = Paragraph(
            f"Signed by <b>{_name(record.signed_name)}</b><br/>{_when(record.signed_at, zone)}",
            BODY,
        )
        signed = Table(
            [[picture, [signer, Spacer(1, 2), meaning]]], colWidths=[width * 0.42, width * 0.58]
        )
        signed.setStyle(
            TableStyle(
                [
                    ("BOX", (0, 0), (0, 0), 0.6, RULE_GREY),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ]
            )
        )
        parts.append(signed)
    elif record.signed_on_paper_at is not None:
        parts += [
            Paragraph(
                "<b>Signed on paper</b> at the front desk, "
                f"{_when(record.signed_on_paper_at, zone)} "
                f"(recorded by {_text(record.assisted_by or '')}); "
                "the paper form is kept with the patient's record.",
                BODY,
            ),
            meaning,
        ]
    else:
        parts += [
            Paragraph(
                "<b>Not signed.</b> The patient asked to talk to someone before signing consent.",
                FLAG_LINE,
            ),
            meaning,
        ]
    return [KeepTogether(parts)]


def _ride(record: VisitRecord) -> Paragraph:
    ride = record.ride
    if ride.status is RideStatus.ARRANGED:
        details = (
            f"<b>{_text(ride.driver_name or '')}</b> ({_text(ride.relationship or '')}), "
            f"phone {_text(ride.phone or '')}"
        )
    else:
        details = f"<font color='#9b1c1c'><b>{_text(RIDE_WORDS[ride.status])}</b></font>"
    return Paragraph(f"Ride home: {details}", BODY)


def _qr(visit_id: str) -> QrCode:
    # The flowable draws straight on the canvas and works the code out once; the widget
    # in a Drawing worked it out twice (bounds, then drawing) and made a shape per run of
    # modules, over half of a summary's time (bench/summary_pdf.py).
    return QrCode(visit_id, width=24 * mm, height=24 * mm, qrBorder=4)


def build_summary(
    record: VisitRecord, *, zone: ZoneInfo, paper_size: str = "Letter", for_patient: bool = False
) -> bytes:
    """The summary of one stored visit as PDF bytes (identical bytes for identical input).

    `for_patient` gives the patient's copy: their answers, what they consented to and their
    ride home, without the staff's flags, review notes or void notes.
    """
    heading = "Your check-in — copy for you to keep" if for_patient else "Visit summary"
    _register_fonts()
    page_width, page_height = PAGE_SIZES[paper_size]
    width = page_width - 2 * MARGIN
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=(page_width, page_height),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + 8 * mm,
        bottomMargin=MARGIN + 6 * mm,
        title=f"Visit summary {record.id}",
        author=record.clinic_name,
        invariant=1,
    )

    def decorate(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.saveState()
        top = page_height - MARGIN
        canvas.setFont(BOLD, 11)
        canvas.drawString(MARGIN, top, record.clinic_name)
        canvas.setFont(FONT, 9)
        canvas.drawRightString(
            page_width - MARGIN, top, f"{heading} — {record.patient_name} — page {doc.page}"
        )
        canvas.setStrokeColor(RULE_GREY)
        canvas.line(MARGIN, top - 2.5 * mm, page_width - MARGIN, top - 2.5 * mm)
        canvas.setFont(FONT, 7.5)
        canvas.drawString(
            MARGIN,
            MARGIN,
            f"Visit ID {record.id}   ·   content version {record.content_version[:12]}",
        )
        canvas.drawRightString(page_width - MARGIN, MARGIN, "Confidential health information")
        if record.is_demo:
            canvas.setFont(BOLD, 60)
            canvas.setFillColor(colors.Color(0.8, 0.1, 0.1, alpha=0.15))
            canvas.translate(page_width / 2, page_height / 2)
            canvas.rotate(35)
            canvas.drawCentredString(0, 0, "DEMO DATA")
        canvas.restoreState()

    demo = " — DEMO DATA, not a real patient" if record.is_demo else ""
    born = record.date_of_birth.strftime("%b %d, %Y").replace(" 0", " ")
    patient = [
        Paragraph(_name(record.patient_name), NAME),
        Paragraph(f"Date of birth <b>{born}</b>", BODY),
        Paragraph(
            f"Visit {_when(record.finished_at, zone)} · {ENDING_WORDS[record.ending]}"
            + (
                f" · checked in at the front desk with {_text(record.assisted_by)}"
                if record.assisted_by
                else ""
            )
            + _text(demo),
            BODY,
        ),
    ]
    header = Table([[patient, _qr(record.id)]], colWidths=[width - 28 * mm, 28 * mm])
    header.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    staff_only: list[Flowable] = (
        []
        if for_patient
        else [*_void_notice(record, zone), _flag_box(record, width, zone), Spacer(1, 3 * mm)]
    )
    story: list[Flowable] = [
        header,
        Spacer(1, 3 * mm),
        *staff_only,
        Paragraph("Answers (confirmed by the patient as correct)", HEADING),
        _answers(record, width, zone),
        Spacer(1, 3 * mm),
        *_consent(record, width, zone),
        Spacer(1, 3 * mm),
        _ride(record),
        Spacer(1, 2 * mm),
        Paragraph(
            f"Education: {len(record.slides)} slides viewed, "
            f"{round(sum(s.seconds for s in record.slides) / 60, 1)} minutes in all. "
            f"Content version {record.content_version[:12]} ({_text(record.content_label)}); "
            f"language {_text(language_words(record.language))}.",
            SMALL,
        ),
        Paragraph(f"Visit ID {record.id}", RIGHT_SMALL),
    ]
    if for_patient:
        story[-2:-2] = [
            Paragraph(
                "<b>Please remember:</b> do not drive for the rest of today — someone must take "
                "you home. Rest for the day. If side effects last or get worse, call the clinic. "
                "In an emergency call 911; if you are thinking about harming yourself, call or "
                "text 988.",
                BODY,
            ),
            Spacer(1, 2 * mm),
        ]
    document.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()
