"""A stored visit as staff read it on screen: the summary's content, and the slides."""

from __future__ import annotations

from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication

from kiosk.content import TeachBackResult
from kiosk.desk import PrintRecord
from kiosk.patients import Patient
from kiosk.printing import PrintState
from kiosk.visit import Ending, RideStatus
from kiosk.visit_record import VisitRecord


def _tr(text: str) -> str:
    return QCoreApplication.translate("VisitDetails", text)


def _when(moment: datetime | None, zone: ZoneInfo) -> str:
    if moment is None:
        return "—"
    return moment.astimezone(zone).strftime("%b %d, %Y %I:%M %p")


def patient_html(
    record: VisitRecord, patient: Patient | None, suggested: int, zone: ZoneInfo
) -> str:
    """Whose visit it is: the patient record, or that none is linked (and a suggestion)."""
    if patient is not None:
        consent = (
            _tr("last consent {0} (content {1})").format(
                _when(patient.last_consent_at, zone),
                escape((patient.last_consent_version or "")[:12]),
            )
            if patient.last_consent_at is not None
            else _tr("no consent kept")
        )
        return (
            f"<p>{_tr('Patient record')} <b>{_tr('number {0}').format(patient.id)}</b> · "
            + _tr("{0} visit(s)").format(patient.visit_count)
            + f" · {consent}</p>"
        )
    text = f"<p>{_tr('Not linked to a patient record.')}"
    if suggested:
        text += (
            " <b>"
            + _tr(
                "Same name and date of birth as {0} patient record(s): Link to patient… to confirm."
            ).format(suggested)
            + "</b>"
        )
    return text + "</p>"


def corrections_html(record: VisitRecord, zone: ZoneInfo) -> str:
    """What staff corrected of what the patient typed, who did and when."""
    if not record.corrections:
        return ""
    items = "".join(
        "<li>"
        + _tr("{0} typed as “{1}”, corrected to “{2}” by {3}, {4}").format(
            escape(c.detail.capitalize()),
            escape(c.typed),
            escape(c.became),
            escape(c.corrected_by),
            _when(c.corrected_at, zone),
        )
        + "</li>"
        for c in record.corrections
    )
    return f"<h3>{_tr('Corrected at the desk')}</h3><ul>{items}</ul>"


def print_html(last: PrintRecord | None, zone: ZoneInfo) -> str:
    """Where the visit's summary is: not printed, sent, printed, or failed and why.

    A failure is a white-on-red box, so it is seen without reading every line.
    """
    if last is None:
        return f"<p>{_tr('Summary')}: <b>{_tr('not printed yet')}</b></p>"
    when = _when(last.sent_at, zone)
    printer = escape(last.printer)
    if last.state is PrintState.FAILED:
        reason = escape(last.reason) if last.reason else _tr("the printer gave no reason")
        return (
            "<table width='100%' cellpadding='6' style='background:#a31515'><tr><td>"
            f"<span style='color:#ffffff'><b>✗ {_tr('Print failed')}</b> — {printer}, "
            f"{_tr('sent')} {when}: {reason}. "
            f"{_tr('Fix the printer, then Retry printing.')}</span></td></tr></table>"
        )
    words = {
        PrintState.SENT: _tr("sent to {0} {1}, not printed yet"),
        PrintState.COMPLETED: _tr("printed on {0} {1}"),
    }.get(last.state, _tr("sent to {0} {1}"))
    by = f" ({_tr('by')} {escape(last.sent_by)})" if last.sent_by else ""
    return f"<p>{_tr('Summary')}: <b>{words.format(printer, when)}</b>{by}</p>"


def teach_back_html(record: VisitRecord) -> str:
    """Each teach-back question after the slides, what the patient tapped, the outcome."""
    if not record.teach_back:
        return ""
    right = sum(t.result is TeachBackResult.RIGHT_FIRST_TIME for t in record.teach_back)
    outcome = {
        TeachBackResult.RIGHT_FIRST_TIME: _tr("right first time"),
        TeachBackResult.RIGHT_AFTER_REVIEW: _tr("right after the slide again"),
        TeachBackResult.STILL_WRONG: _tr("still wrong"),
    }
    rows = "".join(
        f"<tr><td>{escape(t.question_text)}</td><td><b>{escape(t.first_answer_words)}"
        + (f" → {escape(t.answer_after_review_words)}" if t.answer_after_review_words else "")
        + f"</b></td><td>{outcome[t.result]}</td></tr>"
        for t in record.teach_back
    )
    heading = _tr("Teach-back: {0} of {1} right first time").format(right, len(record.teach_back))
    return f"<h3>{heading}</h3><table cellspacing='4'>{rows}</table>"


def trend_address(measure_id: str) -> str:
    """Where the visit's details find the picture of a measure's trend."""
    return f"trend:{measure_id}"


def _score(score: int | None) -> str:
    return "" if score is None else str(score)


def measures_html(record: VisitRecord) -> str:
    """Each measure answered in full: total and band, the trend, the items, attribution."""
    parts = []
    for recorded in record.measures:
        measure = recorded.measure
        items = "".join(
            f"<tr><td>{escape(a.question_text)}</td><td><b>{escape(a.words)}</b></td>"
            f"<td align='right'>{_score(measure.score(a.answer))}</td></tr>"
            for a in record.answers
            if a.measure == measure.id
        )
        parts.append(
            f"<h3>{escape(measure.name)}: "
            + _tr("total {0} of {1} — {2}").format(
                recorded.total, measure.highest_total, escape(recorded.band)
            )
            + "</h3>"
            f"<p><img src='{trend_address(measure.id)}'></p>"
            f"<table cellspacing='4'>{items}</table>"
            f"<p><small>{escape(measure.attribution)}</small></p>"
        )
    return "".join(parts)


def visit_html(
    record: VisitRecord,
    zone: ZoneInfo,
    last_print: PrintRecord | None = None,
    *,
    patient: Patient | None = None,
    suggested: int = 0,
) -> str:
    """The visit as rich text; everything a patient typed is escaped."""
    parts = [f"<h2>{escape(record.patient_name)}</h2>"]
    parts.append(
        f"<p>{_tr('Date of birth')}: <b>{record.date_of_birth:%m/%d/%Y}</b> · "
        f"{_tr('Checked in')}: {_when(record.finished_at, zone)}"
        + (" · <b>DEMO</b>" if record.is_demo else "")
        + "</p>"
    )
    parts.append(print_html(last_print, zone))
    if record.flow != "first_visit":
        shown = (
            _tr("slides shown again") if record.slides else _tr("a reminder in place of the slides")
        )
        parts.append(f"<p><b>{_tr('Return visit')}</b> — {shown}</p>")
    parts.append(patient_html(record, patient, suggested, zone))
    parts.append(corrections_html(record, zone))
    if record.voided_at is not None:
        parts.append(
            f"<p style='color:#7a1010'><b>{_tr('VOID')}</b> — {escape(record.voided_by or '')}, "
            f"{_when(record.voided_at, zone)}: {escape(record.void_reason or '')}</p>"
        )
    if record.flags:
        items = "".join(
            f"<li>{escape(flag)}"
            + ("" if flag in record.open_flags else f" — <i>{_tr('cleared')}</i>")
            + "</li>"
            for flag in record.flags
        )
        parts.append(f"<h3 style='color:#7a1010'>{_tr('Flags')}</h3><ul>{items}</ul>")
    else:
        parts.append(f"<p style='color:#1e5f3a'><b>{_tr('No flags')}</b></p>")
    if record.reviewed_by:
        note = f": “{escape(record.review_note)}”" if record.review_note else ""
        parts.append(
            f"<p>{_tr('Reviewed by')} <b>{escape(record.reviewed_by)}</b>, "
            f"{_when(record.reviewed_at, zone)}{note}</p>"
        )
    if record.education_maybe_unread:
        # A soft note beside the flags, not one of them: nothing waits on it.
        parts.append(
            f"<p style='color:#7a4b00'><b>{_tr('Education may not have been read')}</b> — "
            + _tr("{0} slides in {1:.0f} s; they take about {2:.0f} s to read").format(
                len(record.slides), record.seconds_on_slides, record.expected_reading_seconds
            )
            + "</p>"
        )
    for taught in record.teach_back_still_wrong:
        # As soft as the reading note: a conversation to have, not a flag to clear.
        parts.append(
            f"<p style='color:#7a4b00'><b>{_tr('Teach-back still wrong')}</b> — "
            + _tr("“{0}” answered {1} after the slide “{2}” was shown again (right: {3})").format(
                escape(taught.question_text),
                escape(taught.answer_after_review_words or ""),
                escape(taught.slide_title),
                escape(taught.right_answer_words),
            )
            + f" · {_tr('please go over it with the patient')}</p>"
        )
    parts.append(teach_back_html(record))
    scored = {recorded.measure.id for recorded in record.measures}
    rows = "".join(
        f"<tr><td>{escape(a.question_text)}</td><td><b>{escape(a.words)}</b>"
        + (" ⚠" if a.flagged else "")
        + "</td></tr>"
        for a in record.answers
        if a.measure not in scored
    )
    parts.append(f"<h3>{_tr('Answers')}</h3><table cellspacing='4'>{rows}</table>")
    parts.append(measures_html(record))
    kept_last_consent = (
        not record.signed_name
        and record.signed_on_paper_at is None
        and record.flow == "return_without_slides"
        and record.ending is Ending.COMPLETED
    )
    # Where the clinic's rule kept the last consent, no statement was shown today.
    consent = (
        ""
        if kept_last_consent
        else "".join(
            f"<li>{'✓' if a.acknowledged_at else '✗'} {escape(a.statement_text)}</li>"
            for a in record.acknowledgements
        )
    )
    signed = (
        f"{_tr('Signed by')} <b>{escape(record.signed_name)}</b>, {_when(record.signed_at, zone)}"
        if record.signed_name
        else f"<b>{_tr('Not signed again today (the clinic keeps the last consent)')}</b>"
        if kept_last_consent
        else f"<b>{_tr('Not signed')}</b>"
    )
    if record.signed_name and record.typed_signature:
        signed += f" — {_tr('by typing their name')}: “{escape(record.typed_signature)}”"
    parts.append(f"<h3>{_tr('Consent')}</h3><ul>{consent}</ul><p>{signed}</p>")
    ride = record.ride
    if ride.status is RideStatus.ARRANGED:
        ride_text = (
            f"{escape(ride.driver_name or '')} ({escape(ride.relationship or '')}), "
            f"{escape(ride.phone or '')}"
        )
    elif ride.status is RideStatus.NONE_YET:
        ride_text = f"<b style='color:#7a1010'>{_tr('No ride home yet')}</b>"
    else:
        ride_text = _tr("Not asked (stopped at consent)")
    parts.append(f"<h3>{_tr('Ride home')}</h3><p>{ride_text}</p>")
    slides = "".join(
        f"<tr><td>{escape(s.title)}</td><td align='right'>{s.seconds:.0f} s</td></tr>"
        for s in record.slides
    )
    parts.append(
        f"<h3>{_tr('Slides and time on each')}</h3><table cellspacing='4'>{slides}</table>"
    )
    parts.append(
        f"<p><small>{_tr('Content version')} {escape(record.content_version[:12])} "
        f"({escape(record.content_label)}) · {_tr('Visit ID')} {escape(record.id)}</small></p>"
    )
    return "".join(parts)
