"""The one-page visit summary the front desk prints (reportlab Platypus).

It takes plain data (a `VisitRecord`), never database or Qt objects. Everything a
patient typed is escaped, so any name prints literally. A pack longer than one page
flows onto more pages, each with the clinic, patient and visit ID repeated.
"""

from __future__ import annotations

import io
import logging
from datetime import date, datetime
from fractions import Fraction
from functools import cache
from importlib import resources
from itertools import pairwise
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
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from kiosk.content import TeachBackResult, language_words
from kiosk.overriding import override
from kiosk.rules import FlagKind
from kiosk.signature import Signature
from kiosk.trend_chart import TrendChart, trend_chart
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
QUIET_GREY = colors.HexColor("#555555")
NOTE_AMBER = colors.HexColor("#7a4b00")
NOTE_FILL = colors.HexColor("#fff6e0")
INK = colors.HexColor("#102040")
# Thick enough to read once a laser printer has had its way with it.
SIGNATURE_LINE_WIDTH = 1.6
SIGNATURE_MOST = (70 * mm, 18 * mm)
# On a compact (return visit's) summary: still a signature a person recognises.
SIGNATURE_MOST_COMPACT = (50 * mm, 12 * mm)
SIGNATURE_PADDING = 2 * mm

RIDE_WORDS = {
    RideStatus.ARRANGED: "Arranged",
    RideStatus.NONE_YET: "No ride home yet — the patient must not drive today",
    RideStatus.NOT_ASKED: "Not asked — the visit stopped before consent was signed",
}
# Flags a clinician reviews (the desk's "mark reviewed" clears these kinds).
CLINICAL_KINDS = {kind.value for kind in FlagKind if kind.clinical}
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
FLAG_LINE_COMPACT = _style("flag-line-compact", 10, bold=True, colour=FLAG_RED, leading=12.5)
HEADING_COMPACT = _style("heading-compact", 10.5, bold=True, leading=13)
CALM = _style("calm", 12, bold=True, colour=CALM_GREEN)
CALM_LINE = _style("calm-line", 10, colour=CALM_GREEN, leading=13)
RIGHT_SMALL = _style("right-small", 8, align=TA_RIGHT, colour=colors.HexColor("#333333"))
CAPTION = _style("caption", 6.5, leading=8, align=TA_RIGHT, colour=QUIET_GREY)
CLINIC_WORDS = _style("clinic-words", 8, colour=QUIET_GREY, leading=10)
RIDE_LINE = _style("ride-line", 10.5, leading=13.5)
NOTE = _style("note", 9, colour=NOTE_AMBER, leading=11.5)
NOTE_COMPACT = _style("note-compact", 8, colour=NOTE_AMBER, leading=10)
# A mark hangs in the margin; wrapped lines start under the statement's text, not the mark.
STATEMENT = ParagraphStyle(
    "statement", parent=BODY, leftIndent=14, bulletIndent=0, bulletFontName=FONT, bulletFontSize=9.5
)
# A return visit asks about twice a first visit's questions: its answers and statements
# in smaller type on one line each where they can be, so the summary stays one page.
COMPACT_FROM = 12
ANSWER_COMPACT = _style("answer-compact", 7.5, leading=8.8)
STATEMENT_COMPACT = ParagraphStyle(
    "statement-compact",
    parent=ANSWER_COMPACT,
    leftIndent=12,
    bulletIndent=0,
    bulletFontName=FONT,
    bulletFontSize=8,
)


def _compact(record: VisitRecord) -> bool:
    """Whether the visit's answers are many enough to print compactly (a return visit)."""
    return len(record.answers) >= COMPACT_FROM


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


def _time(moment: datetime | None, zone: ZoneInfo, *, seconds: bool = True) -> str:
    if moment is None:
        return "—"
    return moment.astimezone(zone).strftime("%I:%M:%S %p" if seconds else "%I:%M %p").lstrip("0")


def _flag_box(record: VisitRecord, width: float, zone: ZoneInfo) -> Table:
    extra_style: list[Any] = []
    if record.flags:
        # Every flag raised stays on paper; one dealt with says so beside it.
        title = "Needs attention before treatment" if record.open_flags else "Flags (dealt with)"
        rows: list[list[Any]] = [[Paragraph(title, FLAG_TITLE)]]
        rows += [
            [
                Paragraph(
                    "■ " + _text(flag) + ("" if flag in record.open_flags else " — cleared"),
                    FLAG_LINE_COMPACT if _compact(record) else FLAG_LINE,
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
        elif _awaits_clinician(record):
            rows.append([_clinician_line(width - 16)])
            extra_style.append(("TOPPADDING", (0, -1), (-1, -1), 6))
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
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ("TOPPADDING", (0, 0), (-1, 0), 3),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 4),
                *extra_style,
            ]
        )
    )
    return box


def _awaits_clinician(record: VisitRecord) -> bool:
    """Whether a flag a clinician reviews is still open and no review is recorded."""
    open_kinds = {
        kind
        for flag, kind in zip(record.flags, record.flag_kinds, strict=False)
        if flag in record.open_flags
    }
    return record.reviewed_by is None and bool(open_kinds & CLINICAL_KINDS)


def _clinician_line(width: float) -> Table:
    """Blanks for a clinician to sign on paper: name, signature, date and time."""
    gap = 4 * mm
    blank = (width - 0.2 * width - 2 * gap) / 3
    blanks = Table(
        [
            [Paragraph("<b>Clinician review:</b>", BODY)] + [""] * 5,
            [""]
            + [
                Paragraph(words, SMALL) if words else ""
                for words in ("Clinician (name)", "", "Signature", "", "Date and time")
            ],
        ],
        colWidths=[0.2 * width, blank, gap, blank, gap, blank],
        rowHeights=[7 * mm, None],
    )
    blanks.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                *(
                    ("LINEBELOW", (column, 0), (column, 0), 0.8, colors.black)
                    for column in (1, 3, 5)
                ),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, 0), 1),
                ("BOTTOMPADDING", (0, 1), (-1, 1), 0),
            ]
        )
    )
    return blanks


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
    question_heading = "Question"
    if record.language != record.content_language:
        question_heading += (
            f" (as asked, in {language_words(record.language)}; "
            f"in {language_words(record.content_language)} under it)"
        )
    compact = _compact(record)
    if compact and record.answers:
        # Twenty answers a few seconds apart: when, once, for the lot.
        first, last = record.answers[0].answered_at, record.answers[-1].answered_at
        question_heading += (
            f" — answered {_time(min(first, last), zone, seconds=False)} to "
            f"{_time(max(first, last), zone, seconds=False)}"
        )
    rows: list[list[Any]] = [
        [Paragraph(question_heading, SMALL), Paragraph("Answer", SMALL)]
        + ([] if compact else [Paragraph("Time", SMALL)])
    ]
    style_of_answer = ANSWER_COMPACT if compact else BODY
    flagged_rows = []
    # A measure answered in full prints under its own heading, with its total.
    scored = {recorded.measure.id for recorded in record.measures}
    asked = [answer for answer in record.answers if answer.measure not in scored]
    for n, answer in enumerate(asked, start=1):
        words = _text(answer.words)
        cell = Paragraph(f"<b>{words} — review</b>" if answer.flagged else words, style_of_answer)
        question: list[Flowable] = [Paragraph(_text(answer.question_text), style_of_answer)]
        if answer.clinic_question_text:
            question.append(Paragraph(_text(answer.clinic_question_text), CLINIC_WORDS))
        rows.append(
            [question, cell]
            + ([] if compact else [Paragraph(_time(answer.answered_at, zone), SMALL)])
        )
        if answer.flagged:
            flagged_rows.append(n)
    shares = (0.79, 0.21) if compact else (0.6, 0.26, 0.14)
    table = Table(rows, colWidths=[width * share for share in shares], repeatRows=1)
    padding = 0.25 if compact else 2
    style: list[Any] = [
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE_GREY),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), padding),
        ("BOTTOMPADDING", (0, 0), (-1, -1), padding),
    ]
    style += [("BACKGROUND", (0, r), (-1, r), FLAG_FILL) for r in flagged_rows]
    table.setStyle(TableStyle(style))
    return table


def _measures(
    record: VisitRecord, width: float, zone: ZoneInfo, *, for_patient: bool
) -> list[Flowable]:
    """Each measure answered in full: its items and answers; for staff, its total, band and
    the patient's trend; the publisher's attribution under each."""
    if not record.measures:
        return []
    heading = (
        "Questionnaires" if for_patient else "How the patient is doing (scored questionnaires)"
    )
    parts: list[Flowable] = [Paragraph(heading, HEADING)]
    for recorded in record.measures:
        measure = recorded.measure
        items = [a for a in record.answers if a.measure == measure.id]
        rows: list[list[Any]] = [
            [
                Paragraph(_text(measure.instructions), SMALL),
                Paragraph("Answer", SMALL),
                Paragraph("Score", RIGHT_SMALL),
            ]
        ]
        for answer in items:
            score = measure.score(answer.answer)
            rows.append(
                [
                    Paragraph(_text(answer.question_text), BODY),
                    Paragraph(_text(answer.words), BODY),
                    Paragraph("" if score is None else str(score), RIGHT_SMALL),
                ]
            )
        table = Table(rows, colWidths=[width * 0.62, width * 0.28, width * 0.1], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE_GREY),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ]
            )
        )
        total = Paragraph(
            f"<b>{_text(measure.name)}</b>: total <b>{recorded.total}</b> of "
            f"{measure.highest_total} — <b>{_text(recorded.band)}</b>",
            RIDE_LINE,
        )
        block: list[Flowable] = [Spacer(1, 1.5 * mm)]
        if for_patient:
            block += [Paragraph(f"<b>{_text(measure.name)}</b>", RIDE_LINE), table]
        else:
            chart = trend_chart(measure, record.trends.get(measure.id, ()), zone)
            block += [total, table, Spacer(1, 1.5 * mm), TrendDrawing(chart, width, 42 * mm)]
        if measure.attribution:
            block.append(Paragraph(_text(measure.attribution), CLINIC_WORDS))
        parts.append(KeepTogether(block))
    return [*parts, Spacer(1, 3 * mm)]


class TrendDrawing(Flowable):
    """The last totals of a measure by date, each severity band a shaded, named stripe."""

    def __init__(self, chart: TrendChart, width: float, height: float) -> None:
        super().__init__()
        self.chart, self.width, self.height = chart, width, height

    @override
    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:  # reportlab's Flowable.draw (not in its type stubs)
        """Draw the stripes, the band names, the axis, the line and the dots."""
        chart, canvas = self.chart, self.canv
        left, right, bottom, top = 8 * mm, 30 * mm, 7 * mm, 6 * mm
        plot_width = self.width - left - right
        plot_height = self.height - bottom - top

        def at(x: float, y: float) -> tuple[float, float]:
            return left + x * plot_width, bottom + y * plot_height

        canvas.saveState()
        canvas.setFont(BOLD, 8.5)
        canvas.setFillColor(INK)
        canvas.drawString(0, self.height - 4 * mm, chart.title)
        for band in chart.bands:
            x, y = at(0, band.bottom)
            canvas.setFillColor(colors.HexColor(band.fill))
            canvas.setStrokeColor(colors.HexColor(band.fill))
            canvas.rect(x, y, plot_width, (band.top - band.bottom) * plot_height, fill=1, stroke=0)
            canvas.setFillColor(QUIET_GREY)
            canvas.setFont(FONT, 6.5)
            middle = at(1, (band.bottom + band.top) / 2)
            canvas.drawString(middle[0] + 1.5 * mm, middle[1] - 2, band.name)
        canvas.setStrokeColor(RULE_GREY)
        canvas.setLineWidth(0.5)
        canvas.rect(left, bottom, plot_width, plot_height, fill=0, stroke=1)
        canvas.setFont(FONT, 6.5)
        canvas.setFillColor(QUIET_GREY)
        canvas.drawRightString(left - 1.5 * mm, bottom - 2, "0")
        canvas.drawRightString(left - 1.5 * mm, bottom + plot_height - 2, str(chart.highest_total))
        points = [at(point.x, point.y) for point in chart.points]
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(1.2)
        for start, end in pairwise(points):
            canvas.line(*start, *end)
        for point, (x, y) in zip(chart.points, points, strict=True):
            canvas.setFillColor(INK)
            canvas.circle(x, y, 1.6, fill=1, stroke=0)
            canvas.setFont(BOLD, 7)
            canvas.drawCentredString(
                x, y + 2 * mm if point.y < 0.8 else y - 3.6 * mm, str(point.total)
            )
            canvas.setFont(FONT, 6.5)
            canvas.setFillColor(QUIET_GREY)
            canvas.drawCentredString(x, bottom - 3.5 * mm, point.label)
        canvas.restoreState()


def flow_words(record: VisitRecord) -> str:
    """How the summary names a returning patient's visit (a first visit goes unsaid)."""
    if record.flow == "return_with_slides":
        return " · <b>return visit</b>, slides shown again"
    if record.flow == "return_without_slides":
        if record.slides:
            return " · <b>return visit</b>, slides shown again as the patient asked"
        return " · <b>return visit</b>, a reminder in place of the slides"
    return ""


def _consent(record: VisitRecord, width: float, zone: ZoneInfo) -> list[Flowable]:
    if (
        record.ending is Ending.COMPLETED
        and not record.signed_name
        and record.signed_on_paper_at is None
    ):
        # A return visit the clinic's rule (`return_consent`) did not ask to sign again:
        # no statement was shown, so none is listed as not acknowledged.
        return [
            KeepTogether(
                [
                    Paragraph("Consent", HEADING),
                    Paragraph(
                        "<b>Not signed again today.</b> A return visit without the slides: the "
                        "clinic's rule keeps the patient's last consent (see the patient's "
                        "record).",
                        BODY,
                    ),
                ]
            )
        ]
    rows = [
        [
            Paragraph(
                _text(a.statement_text),
                STATEMENT_COMPACT if _compact(record) else STATEMENT,
                bulletText="✓" if a.acknowledged_at else "✗",
            ),
            Paragraph(
                _time(a.acknowledged_at, zone, seconds=not _compact(record))
                if a.acknowledged_at
                else "not acknowledged",
                SMALL,
            ),
        ]
        for a in record.acknowledgements
    ]
    compact = _compact(record)
    table = Table(rows, colWidths=[width * 0.82, width * 0.18])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 0.4 if compact else 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0.4 if compact else 1),
            ]
        )
    )
    heading = "Consent"
    if record.language != record.content_language:
        heading += f" (as shown to the patient, in {language_words(record.language)})"
    parts: list[Flowable] = [
        Paragraph(heading, HEADING_COMPACT if compact else HEADING),
        table,
        Spacer(1, 1 if compact else 3),
    ]
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
    elif (record.signature_strokes or record.signature_png) and record.signed_name:
        picture = SignatureBox(
            record.signature_strokes,
            record.signature_png,
            SIGNATURE_MOST_COMPACT if compact else SIGNATURE_MOST,
        )
        signer = Paragraph(
            f"Signed by <b>{_name(record.signed_name)}</b><br/>{_when(record.signed_at, zone)}",
            BODY,
        )
        signed = Table(
            [[picture, [signer, Spacer(1, 2), meaning]]],
            colWidths=[picture.width + 8, None],
        )
        signed.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("LEFTPADDING", (0, 0), (0, 0), 0),
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
        # Nothing was signed, so no signature has a meaning to print.
        parts.append(
            Paragraph(
                "<b>Not signed.</b> The patient asked to talk to someone before signing consent.",
                FLAG_LINE,
            )
        )
    return [KeepTogether(parts)]


def _ride(record: VisitRecord, width: float) -> Table:
    """The ride home as its own box, as prominent as the flags."""
    ride = record.ride
    if ride.status is RideStatus.ARRANGED:
        details = (
            f"<b>{_text(ride.driver_name or '')}</b> ({_text(ride.relationship or '')}), "
            f"phone <b>{_text(ride.phone or '')}</b>"
        )
        border, fill, colour = CALM_GREEN, CALM_FILL, "#1e5f3a"
    elif ride.status is RideStatus.NONE_YET:
        details = f"<b>{_text(RIDE_WORDS[ride.status])}</b>"
        border, fill, colour = FLAG_RED, FLAG_FILL, "#9b1c1c"
    else:
        details = f"<b>{_text(RIDE_WORDS[ride.status])}</b>"
        border, fill, colour = QUIET_GREY, colors.white, "#333333"
    box = Table(
        [
            [
                Paragraph(
                    f"<font name='{BOLD}' size='12' color='{colour}'>Ride home:</font> "
                    f"<font color='{colour}'>{details}</font>",
                    RIDE_LINE,
                )
            ]
        ],
        colWidths=[width],
    )
    box.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 2, border),
                ("BACKGROUND", (0, 0), (-1, -1), fill),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return box


def _duration(seconds: float) -> str:
    """'6 seconds', '3 min 13 s': how long, as staff say it."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole} second{'' if whole == 1 else 's'}"
    minutes, rest = divmod(whole, 60)
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


def _share(fraction: Fraction) -> str:
    """'a third', 'a quarter', 'half', or a percentage."""
    named = {Fraction(1, 2): "half", Fraction(1, 3): "a third", Fraction(1, 4): "a quarter"}
    return named.get(fraction, f"{float(fraction) * 100:.0f}%")


def _education(record: VisitRecord, *, for_patient: bool, also: str = "") -> list[Flowable]:
    count = len(record.slides)
    parts: list[Flowable] = [
        Paragraph(
            f"Education: {count} slide{'' if count == 1 else 's'} viewed in "
            f"{_duration(record.seconds_on_slides)} (about "
            f"{_duration(record.expected_reading_seconds)} to read at "
            f"{record.reading_words_per_minute} words a minute). "
            # Compact: the version is in every page's footer already.
            + (
                f"Content: {_text(record.content_label)}; "
                if _compact(record)
                else f"Content version {record.content_version[:12]} "
                f"({_text(record.content_label)}); "
            )
            + f"language {_text(language_words(record.language))}."
            + also,
            SMALL,
        )
    ]
    if record.education_maybe_unread and not for_patient:
        # A soft note for the clinician's conversation, never a flag: nothing waits on it.
        note = Table(
            [
                [
                    Paragraph(
                        "<b>Note: education may not have been read</b> — "
                        f"{count} slides in {_duration(record.seconds_on_slides)}, under "
                        f"{_share(record.reading_time_fraction)} of the "
                        f"{_duration(record.expected_reading_seconds)} they take to read. "
                        "Not a flag; worth asking whether the patient has questions.",
                        NOTE,
                    )
                ]
            ]
        )
        note.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), NOTE_FILL),
                    ("LEFTPADDING", (0, 0), (-1, -1), 6),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        parts += [Spacer(1, 1 * mm), note]
    return parts


def _soft_note(text: str, *, compact: bool = False) -> Table:
    """An amber note for the clinician's conversation, never a flag: nothing waits on it."""
    note = Table([[Paragraph(text, NOTE_COMPACT if compact else NOTE)]])
    note.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), NOTE_FILL),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return note


def _teach_back_words(record: VisitRecord) -> str:
    """How the teach-back after the slides went, in a sentence or two (none: not asked)."""
    if not record.teach_back:
        return ""
    right = sum(t.result is TeachBackResult.RIGHT_FIRST_TIME for t in record.teach_back)
    missed = record.teach_back_still_wrong
    # The others were answered right at once, and one still wrong is the note below.
    lines = "".join(
        f" “{_text(t.question_text)}” {_text(t.first_answer_words)}, then "
        f"{_text(t.answer_after_review_words or '')} — right after the slide again."
        for t in record.teach_back
        if t.result is TeachBackResult.RIGHT_AFTER_REVIEW
    )
    still = f", {len(missed)} still wrong" if missed else ""
    return (
        f" Teach-back after the slides: {right} of {len(record.teach_back)} right first "
        f"time{still}.{lines}"
    )


def _teach_back_note(record: VisitRecord) -> list[Flowable]:
    """A soft note for each teach-back answer still wrong once its slide was shown again."""
    missed = record.teach_back_still_wrong
    if not missed:
        return []
    which = "; ".join(
        f"“{_text(t.question_text)}” answered {_text(t.answer_after_review_words or '')} "
        f"(right: {_text(t.right_answer_words)}; slide “{_text(t.slide_title)}”)"
        for t in missed
    )
    return [
        Spacer(1, 1 * mm),
        _soft_note(
            f"<b>Note: teach-back still wrong after the slide was shown again</b> — {which}. "
            "Not a flag; please go over it with the patient before the infusion.",
            compact=_compact(record),
        ),
    ]


class SignatureBox(Flowable):
    """A drawn signature in a box its own size: strokes as lines of a printable weight.

    From the stored strokes where there are some (crisp at any printer's resolution);
    otherwise the stored picture.
    """

    def __init__(
        self,
        strokes: Signature | None,
        png: bytes | None,
        most: tuple[float, float] = SIGNATURE_MOST,
    ) -> None:
        super().__init__()
        self.strokes = strokes if strokes is not None and strokes.strokes else None
        self.png = png
        most_width, most_height = most
        if self.strokes is not None:
            points = [point for stroke in self.strokes.strokes for point in stroke]
            self.left = min(x for x, _ in points)
            self.top = min(y for _, y in points)
            ink_width = max(max(x for x, _ in points) - self.left, 1.0)
            ink_height = max(max(y for _, y in points) - self.top, 1.0)
        else:
            self.left = self.top = 0.0
            reader = ImageReader(io.BytesIO(png or b""))
            ink_width, ink_height = (float(n) for n in reader.getSize())
        self.scale = min(most_width / ink_width, most_height / ink_height)
        self.ink = (ink_width * self.scale, ink_height * self.scale)
        self.width = self.ink[0] + 2 * SIGNATURE_PADDING
        self.height = self.ink[1] + 2 * SIGNATURE_PADDING

    @override
    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:  # reportlab's Flowable.draw (not in its type stubs)
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(RULE_GREY)
        canvas.setLineWidth(0.6)
        canvas.rect(0, 0, self.width, self.height)
        if self.strokes is not None:
            canvas.setStrokeColor(INK)
            canvas.setFillColor(INK)
            canvas.setLineWidth(SIGNATURE_LINE_WIDTH)
            canvas.setLineCap(1)
            canvas.setLineJoin(1)
            for stroke in self.strokes.strokes:
                # The pad counts y downwards; the page counts it upwards.
                at = [
                    (
                        SIGNATURE_PADDING + (x - self.left) * self.scale,
                        self.height - SIGNATURE_PADDING - (y - self.top) * self.scale,
                    )
                    for x, y in stroke
                ]
                if len(at) == 1:
                    canvas.circle(*at[0], SIGNATURE_LINE_WIDTH / 2, stroke=0, fill=1)
                    continue
                path = canvas.beginPath()
                path.moveTo(*at[0])
                for point in at[1:]:
                    path.lineTo(*point)
                canvas.drawPath(path, stroke=1, fill=0)
        elif self.png is not None:
            canvas.drawImage(
                ImageReader(io.BytesIO(self.png)),
                SIGNATURE_PADDING,
                SIGNATURE_PADDING,
                *self.ink,
                mask="auto",
            )
        canvas.restoreState()


def _qr(visit_id: str, *, compact: bool = False) -> Table:
    """The visit's QR code, labelled with what it holds: the visit ID, printed once.

    Compact (a return visit's many answers): 20 mm, still over half a millimetre a module.
    """
    # The flowable draws straight on the canvas and works the code out once; the widget
    # in a Drawing worked it out twice (bounds, then drawing) and made a shape per run of
    # modules, over half of a summary's time (bench/summary_pdf.py).
    side = 20 * mm if compact else 24 * mm
    code = QrCode(visit_id, width=side, height=side, qrBorder=4)
    code.hAlign = "RIGHT"
    labelled = Table(
        [
            [code],
            [Paragraph(f"<b>Visit ID</b> {_text(visit_id)}<br/>(in the QR code above)", CAPTION)],
        ],
        colWidths=[QR_COLUMN],
    )
    labelled.setStyle(
        TableStyle(
            [
                ("ALIGN", (0, 0), (-1, -1), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return labelled


# Wide enough for the visit ID on one line under the code.
QR_COLUMN = 62 * mm


def _age(born: date, on: date) -> int:
    """Whole years from `born` to `on`."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _counted_pages(stamp: Any) -> type[Canvas]:
    """A canvas that knows, on each page, how many pages there are (for "page x of y").

    Pages are kept until the document is saved, then `stamp(canvas, page, total)` draws
    on each before it is written.
    """

    class CountedPages(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.kept: list[dict[str, Any]] = []

        @override
        def showPage(self) -> None:
            self.kept.append(dict(self.__dict__))
            self._startPage()  # type: ignore[attr-defined]

        @override
        def save(self) -> None:
            for number, page in enumerate(self.kept, start=1):
                self.__dict__.update(page)
                stamp(self, number, len(self.kept))
                super().showPage()
            super().save()

    return CountedPages


def _page_heading(canvas: Canvas, record: VisitRecord, heading: str, page: int, total: int) -> None:
    """The top right of each page: which summary, whose, and (if more than one) which page."""
    page_width, page_height = canvas._pagesize  # type: ignore[attr-defined]
    pages = f" — page {page} of {total}" if total > 1 else ""
    room = page_width - 2 * MARGIN - pdfmetrics.stringWidth(record.clinic_name, BOLD, 11) - 8 * mm
    words = f"{heading} — {record.patient_name}{pages}"
    size = 9.0
    # A long name gets smaller type, then is shortened, never over the clinic's name.
    while size > 7 and pdfmetrics.stringWidth(words, FONT, size) > room:
        size -= 0.5
    name = record.patient_name
    while name and pdfmetrics.stringWidth(words, FONT, size) > room:
        name = name[:-1]
        words = f"{heading} — {name.rstrip()}…{pages}"
    canvas.saveState()
    canvas.setFont(FONT, size)
    canvas.drawRightString(page_width - MARGIN, page_height - MARGIN, words)
    canvas.restoreState()


def _footer(canvas: Canvas, page_width: float, footer: str, printed: str) -> None:
    """The page's last line; who printed it goes on a line of its own under it when the
    two would run into "Confidential health information" (a later page names the visit)."""
    confidential = "Confidential health information"
    room = page_width - 2 * MARGIN - canvas.stringWidth(confidential, FONT, 7.5) - 6 * mm
    below = ""
    if printed and canvas.stringWidth(f"{footer}   ·   {printed}", FONT, 7.5) > room:
        below = printed
    elif printed:
        footer = f"{footer}   ·   {printed}"
    canvas.drawString(MARGIN, MARGIN, footer)
    if below:
        canvas.drawString(MARGIN, MARGIN - 3.5 * mm, below)
    canvas.drawRightString(page_width - MARGIN, MARGIN, confidential)


def build_summary(
    record: VisitRecord,
    *,
    zone: ZoneInfo,
    paper_size: str = "Letter",
    for_patient: bool = False,
    printed_by: str | None = None,
    printed_at: datetime | None = None,
) -> bytes:
    """The summary of one stored visit as PDF bytes (identical bytes for identical input).

    `for_patient` gives the patient's copy: their answers, what they consented to and their
    ride home, without the staff's flags, review notes or void notes. `printed_by` and
    `printed_at` say who printed (or saved) it and when, on every page.
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
        bottomMargin=MARGIN + 4 * mm,
        title=f"Visit summary {record.id}",
        author=record.clinic_name,
        invariant=1,
    )
    printed = ""
    if printed_at is not None:
        printed = f"Printed {_when(printed_at, zone)}" + (f" by {printed_by}" if printed_by else "")

    def decorate(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.saveState()
        top = page_height - MARGIN
        canvas.setFont(BOLD, 11)
        canvas.drawString(MARGIN, top, record.clinic_name)
        canvas.setStrokeColor(RULE_GREY)
        canvas.line(MARGIN, top - 2.5 * mm, page_width - MARGIN, top - 2.5 * mm)
        canvas.setFont(FONT, 7.5)
        # Page 1 has the visit ID under its QR code; later pages say it here.
        visit_id = f"Visit ID {record.id}   ·   " if doc.page > 1 else ""
        _footer(
            canvas, page_width, f"{visit_id}content version {record.content_version[:12]}", printed
        )
        if record.is_demo:
            canvas.setFont(BOLD, 60)
            canvas.setFillColor(colors.Color(0.8, 0.1, 0.1, alpha=0.15))
            canvas.translate(page_width / 2, page_height / 2)
            canvas.rotate(35)
            canvas.drawCentredString(0, 0, "DEMO DATA")
        canvas.restoreState()

    def stamp(canvas: Canvas, page: int, total: int) -> None:
        _page_heading(canvas, record, heading, page, total)

    demo = " — DEMO DATA, not a real patient" if record.is_demo else ""
    born = record.date_of_birth.strftime("%b %d, %Y").replace(" 0", " ")
    age = _age(record.date_of_birth, record.finished_at.astimezone(zone).date())
    patient = [
        Paragraph(_name(record.patient_name), NAME),
        Paragraph(f"Date of birth <b>{born}</b> (age {age})", BODY),
        Paragraph(
            f"Visit {_when(record.finished_at, zone)} · {ENDING_WORDS[record.ending]}"
            + (
                f" · checked in at the front desk with {_text(record.assisted_by)}"
                if record.assisted_by
                else ""
            )
            + flow_words(record)
            + _text(demo),
            BODY,
        ),
    ]
    header = Table(
        [[patient, _qr(record.id, compact=_compact(record))]],
        colWidths=[width - QR_COLUMN, QR_COLUMN],
    )
    header.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    # A return visit's summary, set closer, stays one page (`_compact`).
    gap = 1 * mm if _compact(record) else 3 * mm
    small_gap = 1 * mm if _compact(record) else 2 * mm
    staff_only: list[Flowable] = (
        []
        if for_patient
        else [*_void_notice(record, zone), _flag_box(record, width, zone), Spacer(1, small_gap)]
    )
    story: list[Flowable] = [
        header,
        Spacer(1, small_gap),
        *staff_only,
        _ride(record, width),
        Spacer(1, 3 * mm),
        Paragraph(
            "Answers (confirmed by the patient as correct)",
            HEADING_COMPACT if _compact(record) else HEADING,
        ),
        _answers(record, width, zone),
        Spacer(1, gap),
        *_measures(record, width, zone, for_patient=for_patient),
        *_consent(record, width, zone),
        Spacer(1, gap),
        *_education(
            record, for_patient=for_patient, also="" if for_patient else _teach_back_words(record)
        ),
        *([] if for_patient else _teach_back_note(record)),
    ]
    if for_patient:
        story[-1:-1] = [
            Paragraph(
                "<b>Please remember:</b> do not drive for the rest of today — someone must take "
                "you home. Rest for the day. If side effects last or get worse, call the clinic. "
                "In an emergency call 911; if you are thinking about harming yourself, call or "
                "text 988.",
                BODY,
            ),
            Spacer(1, 2 * mm),
        ]
    document.build(
        story,
        onFirstPage=decorate,
        onLaterPages=decorate,
        canvasmaker=_counted_pages(stamp),
    )
    return buffer.getvalue()
