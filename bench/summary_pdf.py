"""The visit summary PDF: the desk's path (load the stored visit, build its summary) against
reportlab building the same page from constants.

The baseline has the summary's layout, fonts (DejaVu, embedded), signature picture and
QR code (drawn the same way, reportlab's QrCode flowable), but no database and no domain
code: what reportlab itself costs. The garbage collector runs before each sample, so
neither pays for the other's garbage.
"""

from __future__ import annotations

import gc
import io
import time
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

from reportlab.graphics.barcode.qr import QrCode
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
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

from bench.measure import Row, Target
from bench.visits import finished_visit
from kiosk.content_versions import content_in_use
from kiosk.database import init_database, open_database
from kiosk.stored_visits import load_visit, store_finished_visit
from kiosk.summary import build_summary
from kiosk.visit_walk import SCRIBBLE

ZONE = ZoneInfo("America/Chicago")
MARGIN = 15 * mm
RED, PINK, GREY = colors.HexColor("#9b1c1c"), colors.HexColor("#fdecec"), colors.HexColor("#9aa3ad")
SIGNATURE_PNG = SCRIBBLE.png()
VISIT_ID = "0b7c2a52-3f7e-4d0e-9a53-2d1f0c8e6a41"
QUESTIONS = (
    "Have you ever been told you have schizophrenia or another psychotic illness?",
    "Are you pregnant, or could you be?",
    "Do you have high blood pressure or heart problems that are not under control?",
    "Have you had a bad reaction to ketamine or an anaesthetic before?",
    "Have you used alcohol or recreational drugs in the past 24 hours?",
)
STATEMENTS = (
    "I have read the slides about ketamine treatment and its side effects.",
    "I will not drive or operate machinery for the rest of today.",
    "I can stop the treatment at any time by telling a staff member.",
    "I have had the chance to ask questions and they were answered.",
)


def _fonts() -> tuple[str, str]:
    fonts = resources.files("resources").joinpath("fonts")
    assert isinstance(fonts, Path)
    if "BaselineSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("BaselineSans", str(fonts / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont("BaselineSans-Bold", str(fonts / "DejaVuSans-Bold.ttf")))
    return "BaselineSans", "BaselineSans-Bold"


def baseline_page() -> bytes:
    """The summary's page from constant data, straight reportlab."""
    font, bold = _fonts()
    body = ParagraphStyle("b", fontName=font, fontSize=9.5, leading=11.9)
    small = ParagraphStyle("s", fontName=font, fontSize=8, leading=10)
    heading = ParagraphStyle("h", fontName=bold, fontSize=11, leading=15)
    name = ParagraphStyle("n", fontName=bold, fontSize=18, leading=22)
    flag = ParagraphStyle("f", fontName=bold, fontSize=10.5, leading=13.5, textColor=RED)
    width = LETTER[0] - 2 * MARGIN
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + 8 * mm,
        bottomMargin=MARGIN + 6 * mm,
        invariant=1,
    )

    def decorate(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.saveState()
        top = LETTER[1] - MARGIN
        canvas.setFont(bold, 11)
        canvas.drawString(MARGIN, top, "Serenity Mental Health Centers")
        canvas.setFont(font, 9)
        canvas.drawRightString(
            LETTER[0] - MARGIN, top, f"Visit summary — Ana García — page {doc.page}"
        )
        canvas.setStrokeColor(GREY)
        canvas.line(MARGIN, top - 2.5 * mm, LETTER[0] - MARGIN, top - 2.5 * mm)
        canvas.setFont(font, 7.5)
        canvas.drawString(MARGIN, MARGIN, f"Visit ID {VISIT_ID}   ·   content version 3f2a9c01d4e7")
        canvas.drawRightString(LETTER[0] - MARGIN, MARGIN, "Confidential health information")
        canvas.restoreState()

    code = QrCode(VISIT_ID, width=24 * mm, height=24 * mm, qrBorder=4)
    patient = [
        Paragraph("Ana García", name),
        Paragraph("Date of birth <b>Apr 15, 1968</b>", body),
        Paragraph("Visit Nov 27, 2026, 9:14 AM CST · Completed at the kiosk", body),
    ]
    header = Table([[patient, code]], colWidths=[width - 28 * mm, 28 * mm])
    header.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    box = Table(
        [
            [Paragraph("Needs attention before treatment", flag)],
            [Paragraph("■ Not sure about: psychotic illness — please talk with the patient", flag)],
        ],
        colWidths=[width],
    )
    box.setStyle(
        TableStyle([("BOX", (0, 0), (-1, -1), 2, RED), ("BACKGROUND", (0, 0), (-1, -1), PINK)])
    )
    answers = Table(
        [[Paragraph("Question", small), Paragraph("Answer", small), Paragraph("Time", small)]]
        + [
            [Paragraph(q, body), Paragraph("No", body), Paragraph("9:0{n}:12 AM", small)]
            for n, q in enumerate(QUESTIONS)
        ],
        colWidths=[width * 0.6, width * 0.26, width * 0.14],
        repeatRows=1,
    )
    answers.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.4, GREY)]))
    consent = Table(
        [[Paragraph("✓ " + s, body), Paragraph("9:10:02 AM", small)] for s in STATEMENTS],
        colWidths=[width * 0.82, width * 0.18],
    )
    picture = Image(io.BytesIO(SIGNATURE_PNG))
    scale = min(60 * mm / picture.imageWidth, 20 * mm / picture.imageHeight)
    picture.drawWidth, picture.drawHeight = picture.imageWidth * scale, picture.imageHeight * scale
    signed = Table(
        [[picture, [Paragraph("Signed by <b>Ana García</b><br/>Nov 27, 2026, 9:11 AM CST", body)]]],
        colWidths=[width * 0.42, width * 0.58],
    )
    signed.setStyle(TableStyle([("BOX", (0, 0), (0, 0), 0.6, GREY)]))
    story: list[Flowable] = [
        header,
        Spacer(1, 3 * mm),
        box,
        Spacer(1, 3 * mm),
        Paragraph("Answers (confirmed by the patient as correct)", heading),
        answers,
        Spacer(1, 3 * mm),
        KeepTogether([Paragraph("Consent", heading), consent, Spacer(1, 3), signed]),
        Spacer(1, 3 * mm),
        Paragraph("Ride home: <b>Luis García</b> (husband), phone (555) 201-3344", body),
        Spacer(1, 2 * mm),
        Paragraph("Education: 8 slides viewed, 0.9 minutes in all.", small),
        Paragraph(f"Visit ID {VISIT_ID}", small),
    ]
    document.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()


def run(workdir: Path, *, quick: bool) -> list[Row]:
    """Summaries of stored visits, one each, alternating with the baseline page."""
    count = 40 if quick else 200
    init_database(f"sqlite:///{workdir / 'summaries.sqlite3'}")
    database = open_database(f"sqlite:///{workdir / 'summaries.sqlite3'}")
    with database.session() as session, session.begin():
        _, pack = content_in_use(session, None, datetime.now(UTC))
    visit_ids = []
    for n in range(count + 5):
        visit = finished_visit(pack, n, flagged=n % 5 == 0)
        with database.session() as session, session.begin():
            store_finished_visit(session, visit, station="bench")
        visit_ids.append(visit.id)

    def summary_of(visit_id: str) -> bytes:
        with database.session() as session:
            record = load_visit(session, visit_id)
        assert record is not None
        return build_summary(record, zone=ZONE)

    ours, theirs = [], []
    for n, visit_id in enumerate(visit_ids):
        # Each sample starts with no garbage left by the other one's page.
        gc.collect()
        start = time.perf_counter()
        summary_of(visit_id)
        ours_done = time.perf_counter()
        gc.collect()
        baseline_start = time.perf_counter()
        baseline_page()
        end = time.perf_counter()
        if n >= 5:
            ours.append((ours_done - start) * 1000)
            theirs.append((end - baseline_start) * 1000)
    database.close()
    return [
        Row(
            "summary PDF of a stored visit",
            tuple(ours),
            tuple(theirs),
            Target(median_ms=30, ratio=1.5),
        )
    ]
