"""Stored visits: write a finished visit in one transaction, read it back, list and count.

Functions take a `Session` and never make one: the caller owns the unit of work, so a
finished visit is written in exactly one transaction.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import IntEnum
from functools import lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    BindParameter,
    CompoundSelect,
    Connection,
    Float,
    Insert,
    Integer,
    Select,
    Table,
    Text,
    bindparam,
    exists,
    func,
    insert,
    literal_column,
    null,
    select,
    text,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import Session

from kiosk.actor import kiosk_or_staff_audit_name, shown_name
from kiosk.audit import AuditAction, record
from kiosk.content import (
    ContentPack,
    Measure,
    Question,
    TeachBackResult,
    pack_from_canonical,
)
from kiosk.kiosk_access import ContentNotStoredError, as_json, through_owner
from kiosk.measures import measure_score, visit_scores
from kiosk.models import (
    AnswerRow,
    Base,
    ConsentAcknowledgementRow,
    ContentPublicationRow,
    ContentVersionRow,
    DetailCorrectionRow,
    FlagRow,
    SlideViewRow,
    TeachBackAnswerRow,
    VisitRow,
    table_of,
)
from kiosk.visit import Ending, RideStatus, Visit
from kiosk.visit_record import (
    ListedFlag,
    RecordedAcknowledgement,
    RecordedAnswer,
    RecordedCorrection,
    RecordedMeasure,
    RecordedRide,
    RecordedSlide,
    RecordedTeachBack,
    TrendPoint,
    VisitListing,
    VisitRecord,
)


def name_key(first_name: str, last_name: str) -> str:
    """Lower-case "first last" without accents, for searching names as people type them."""
    decomposed = unicodedata.normalize("NFKD", f"{first_name} {last_name}".casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Built once: building a statement costs about as much as running it.
_VERSION_ID = select(ContentVersionRow.id).where(ContentVersionRow.sha256 == bindparam("sha256"))
_PUBLICATIONS = select(ContentPublicationRow.id, ContentPublicationRow.published_at).where(
    ContentPublicationRow.content_version_id == bindparam("version")
)
_VERSION_TABLE, _PUBLICATION_TABLE = table_of(ContentVersionRow), table_of(ContentPublicationRow)
_STORED = exists().where(table_of(VisitRow).c.id == bindparam("visit_id"))
_IS_STORED = select(_STORED)
# What storing a visit asks first, in one query: whether the visit is stored already,
# the version its text is stored as, and every publish of that text (a row each; one
# row with no publish for a text never published). Asked as three statements, the
# first through the ORM (`session.get`), it took 0.4 ms of a 1.7 ms save
# (bench/save_visit.py).
_BEFORE_STORING = (
    select(
        _STORED.label("stored"),
        _VERSION_TABLE.c.id.label("version_id"),
        _PUBLICATION_TABLE.c.id.label("publication_id"),
        _PUBLICATION_TABLE.c.published_at,
    )
    .select_from(
        _VERSION_TABLE.outerjoin(
            _PUBLICATION_TABLE, _PUBLICATION_TABLE.c.content_version_id == _VERSION_TABLE.c.id
        )
    )
    .where(_VERSION_TABLE.c.sha256 == bindparam("sha256"))
)
_STORE_THROUGH_OWNER = text("SELECT kiosk_store_visit(CAST(:finished AS jsonb))")
_INSERTS: dict[type[Base], Insert] = {
    model: insert(table_of(model))
    for model in (
        VisitRow,
        AnswerRow,
        SlideViewRow,
        ConsentAcknowledgementRow,
        FlagRow,
        TeachBackAnswerRow,
    )
}

# A finished visit as plain rows, table by table: what is inserted, and what a kiosk
# keeps in its held-visits folder while the database cannot take it.
VisitRows = dict[type[Base], list[dict[str, Any]]]


def save_visit(session: Session, visit: Visit, *, station: str) -> None:
    """Write a finished visit in the caller's transaction (the caller commits).

    The visit refers to the stored content version with exactly the text it showed.
    Rows are written with Core inserts on the session's connection, not as ORM objects:
    the ORM's unit of work made a save take six times as long as the same rows written
    with sqlite3 (bench/save_visit.py).
    """
    rows = visit_rows(visit, station=station, content_version_id=0)
    connection = session.connection()
    version_id = connection.execute(_VERSION_ID, {"sha256": visit.content.version}).scalar()
    if version_id is None:
        raise ValueError("the content this visit showed is not stored as a version")
    rows[VisitRow][0]["content_version_id"] = version_id
    insert_visit_rows(session, rows)


def publication_seen(
    publications: Sequence[tuple[int, datetime]], started_at: datetime
) -> int | None:
    """Which publish of a text a visit that started at `started_at` saw.

    `publications` are the (number, time) of every publish of the visit's text. A
    visit sees the newest made by the time it started; a kiosk whose clock was behind
    the editor's is given the first. None when the text was never published (a trial).
    """
    if started_at.tzinfo is None:  # a time read back from a file without its zone: UTC
        started_at = started_at.replace(tzinfo=UTC)
    before = [p for p in publications if p[1] <= started_at]
    if before:
        return max(before, key=lambda p: (p[1], p[0]))[0]
    return min((p[0] for p in publications), default=None)


def publications_of(connection: Connection, version_id: int) -> list[tuple[int, datetime]]:
    """Every publish of a content version: its number and when it was made."""
    return [(row[0], row[1]) for row in connection.execute(_PUBLICATIONS, {"version": version_id})]


def insert_visit_rows(session: Session, rows: VisitRows) -> None:
    """Insert a visit's rows (from `visit_rows`) in the caller's transaction.

    The visit is given the publish it saw (`publication_seen`) from its text and start.
    """
    connection = session.connection()
    visit = rows[VisitRow][0]
    visit["content_publication_id"] = publication_seen(
        publications_of(connection, visit["content_version_id"]), visit["started_at"]
    )
    _insert_rows(connection, rows)


def _insert_rows(connection: Connection, rows: VisitRows) -> None:
    # One executemany a table, with statements built once (SQLAlchemy reuses their
    # compiled form).
    for model, table_rows in rows.items():
        if table_rows:
            connection.execute(_INSERTS[model], table_rows)


def store_visit(
    transaction: Session | Connection,
    rows: VisitRows,
    *,
    content: str,
    actor: str,
    station: str,
    detail: str,
) -> bool:
    """Store a finished visit's rows and its audit entry; False when it was stored before.

    `content` is the hash of the content version it showed. Idempotent on the visit's
    ID: a replay after a dropped connection, or a held visit stored twice, stores nothing
    the second time. Raises `ContentNotStoredError` when that version is not stored.
    `transaction` is the caller's: a session, or a Core connection in a transaction.
    """
    connection = transaction.connection() if isinstance(transaction, Session) else transaction
    visit = rows[VisitRow][0]
    if through_owner(connection):
        tables: dict[str, Any] = {
            model.__tablename__: [
                {name: as_json(value) for name, value in row.items()} for row in table_rows
            ]
            for model, table_rows in rows.items()
        }
        visit_row = tables.pop(VisitRow.__tablename__)[0]
        document = {
            "content": content,
            "actor": actor,
            "station": station,
            "detail": detail,
            "visit": visit_row,
            **tables,
        }
        stored = connection.execute(
            _STORE_THROUGH_OWNER, {"finished": json.dumps(document)}
        ).scalar_one()
        return bool(stored)
    found = connection.execute(_BEFORE_STORING, {"visit_id": visit["id"], "sha256": content}).all()
    if not found:  # no such version: asked apart, so a replay still stores nothing
        if connection.execute(_IS_STORED, {"visit_id": visit["id"]}).scalar():
            return False
        raise ContentNotStoredError("the content this visit showed is not stored as a version")
    if found[0].stored:
        return False
    visit["content_version_id"] = found[0].version_id
    visit["content_publication_id"] = publication_seen(
        [(row.publication_id, row.published_at) for row in found if row.publication_id is not None],
        visit["started_at"],
    )
    _insert_rows(connection, rows)
    record(
        connection,
        actor,
        AuditAction.VISIT_STORED,
        station=station,
        visit_id=visit["id"],
        detail=detail,
    )
    return True


def store_finished_visit(transaction: Session | Connection, visit: Visit, *, station: str) -> bool:
    """Add a finished visit and its audit entry: what a kiosk commits in one transaction.

    Through `kiosk.kiosk_access` (on a server, the owner's function): False when the
    visit was stored before, so a replay stores nothing twice. The kiosk stores through
    a Core connection (`kiosk.check_in`); a session does as well.
    """
    return store_visit(
        transaction,
        visit_rows(visit, station=station, content_version_id=0),
        content=visit.content.version,
        actor=kiosk_or_staff_audit_name(station, visit.assisted_by),
        station=station,
        detail="checked in at the front desk" if visit.assisted_by else "",
    )


def visit_rows(visit: Visit, *, station: str, content_version_id: int) -> VisitRows:
    """The rows of a finished visit, table by table, not yet written anywhere."""
    if (
        not visit.should_be_stored
        or visit.details is None
        or visit.started_at is None
        or visit.finished_at is None
        or visit.ending is None
    ):
        raise ValueError("only a completed or stopped visit with the patient's details is stored")
    details, consent, ride = visit.details, visit.consent, visit.ride_home
    flags = visit.flags
    # A measure's items come after the pack's questions, in the pack's order.
    measure_items = [i for m in visit.content.measures for i in m.item_ids()]
    question_order = {
        qid: n for n, qid in enumerate([*(q.id for q in visit.content.questions), *measure_items])
    }
    slide_order = {s.id: n for n, s in enumerate(visit.content.slides)}
    statement_order = {s.id: n for n, s in enumerate(visit.content.consent_statements)}
    teach_back_order = {q.id: n for n, q in enumerate(visit.content.teach_back)}
    return {
        VisitRow: [
            {
                "id": visit.id,
                "content_version_id": content_version_id,
                "is_demo": False,
                "station": station,
                "ending": visit.ending.value,
                "language": visit.language,
                "flow": visit.flow.value,
                "started_at": visit.started_at,
                "finished_at": visit.finished_at,
                "first_name": details.first_name,
                "last_name": details.last_name,
                "name_key": name_key(details.first_name, details.last_name),
                "date_of_birth": details.date_of_birth,
                "answers_confirmed_at": visit.answers_confirmed_at,
                "signed_name": consent.signed_name if consent else None,
                "signed_at": consent.signed_at if consent else None,
                "signature_png": consent.png if consent else None,
                "signature_strokes": (
                    json.dumps(consent.signature.as_data())
                    if consent and consent.signature
                    else None
                ),
                "typed_signature": consent.typed_name if consent else None,
                "ride_status": visit.ride_status.value,
                "ride_driver_name": ride.driver_name if ride else None,
                "ride_phone": ride.phone if ride else None,
                "ride_relationship": ride.relationship if ride else None,
                "flag_count": len(flags),
                "open_flag_count": len(flags),
                "updated_at": visit.finished_at,
                "assisted_by": visit.assisted_by,
                "signed_on_paper_at": visit.signed_on_paper_at,
            }
        ],
        AnswerRow: [
            {
                "visit_id": visit.id,
                "question_id": qid,
                "position": question_order[qid],
                "answer": str(given.answer),
                "answered_at": given.answered_at,
            }
            for qid, given in visit.answers.items()
        ],
        SlideViewRow: [
            {
                "visit_id": visit.id,
                "slide_id": sid,
                "position": slide_order[sid],
                "seconds": round(seconds, 3),
            }
            for sid, seconds in visit.slide_seconds.items()
        ],
        ConsentAcknowledgementRow: [
            {
                "visit_id": visit.id,
                "statement_id": sid,
                "position": statement_order[sid],
                "acknowledged_at": when,
            }
            for sid, when in visit.acknowledged.items()
        ],
        FlagRow: [
            {
                "visit_id": visit.id,
                "position": n,
                "kind": flag.kind.value,
                "question_id": flag.question_id,
                "answer": str(flag.answer) if flag.answer is not None else None,
                "sentence": flag.sentence,
            }
            for n, flag in enumerate(flags)
        ],
        TeachBackAnswerRow: [
            {
                "visit_id": visit.id,
                "question_id": qid,
                "position": teach_back_order[qid],
                "result": answered.result.value,
                "first_answer": str(answered.first_answer),
                "answer_after_review": (
                    str(answered.answer_after_review)
                    if answered.answer_after_review is not None
                    else None
                ),
            }
            for qid, answered in visit.teach_back.items()
        ],
    }


@lru_cache(maxsize=16)
def _content_words(canonical: bytes) -> ContentPack:
    # A stored record needs the text a visit saw, never its pictures (megabytes each),
    # and a version's text never changes: the desk opening and printing visit after
    # visit parses each version once.
    return pack_from_canonical(canonical, {})


# Core statements built once (SQLAlchemy then reuses their compiled form): the ORM's
# relationship loading made opening a visit cost ten times the same queries through
# sqlite3 (bench/desk.py). Every time column still comes back as an aware UTC datetime.
_VISITS, _VERSIONS = table_of(VisitRow), table_of(ContentVersionRow)
_VISIT_WITH_CONTENT = (
    select(
        _VISITS,
        _VERSIONS.c.sha256.label("content_sha256"),
        _VERSIONS.c.label.label("content_label"),
    )
    .join_from(_VISITS, _VERSIONS, _VISITS.c.content_version_id == _VERSIONS.c.id)
    .where(_VISITS.c.id == bindparam("visit_id"))
)


class _Stored(IntEnum):
    """Which table a row of `_STORED_WITH_VISIT` comes from."""

    ANSWER = 0
    SLIDE_VIEW = 1
    ACKNOWLEDGEMENT = 2
    FLAG = 3
    TEACH_BACK = 4
    CORRECTION = 5


def _stored_with_visit() -> CompoundSelect[Any]:
    """Everything stored with one visit, in one statement (unordered: `load_visit` puts
    each table's rows in order).

    One statement rather than six: each costs more in SQLAlchemy's hands than its few
    rows do, and staff open visit after visit (bench/desk.py). Each row carries its
    table's columns in shared places:

    | table | key | value | more | last | at |
    | --- | --- | --- | --- | --- | --- |
    | answers | question_id | answer | | | answered_at |
    | slide views | slide_id | | | | | (and `seconds`)
    | consent acknowledgements | statement_id | | | | acknowledged_at |
    | flags | kind | sentence | | | cleared_at |
    | teach-back answers | question_id | result | first_answer | answer_after_review | |
    | detail corrections | field | typed | became | corrected_by | corrected_at |
    """
    visit_id: BindParameter[str] = bindparam("visit_id")
    nothing = null()

    def rows(stored: _Stored, table: Table, *columns: Any, order: str = "position") -> Select[Any]:
        return select(literal_column(str(stored.value)), table.c[order], *columns).where(
            table.c.visit_id == visit_id
        )

    answers, slides, acknowledgements, flags, teach_back, corrections = (
        table_of(AnswerRow),
        table_of(SlideViewRow),
        table_of(ConsentAcknowledgementRow),
        table_of(FlagRow),
        table_of(TeachBackAnswerRow),
        table_of(DetailCorrectionRow),
    )
    # The first statement names the columns and their types (the rest are NULL there).
    first = select(
        literal_column(str(_Stored.ANSWER.value), Integer).label("stored"),
        answers.c.position.label("position"),
        answers.c.question_id.label("key"),
        answers.c.answer.label("value"),
        type_coerce(nothing, Text).label("more"),
        type_coerce(nothing, Text).label("last"),
        answers.c.answered_at.label("at"),
        type_coerce(nothing, Float).label("seconds"),
    ).where(answers.c.visit_id == visit_id)
    return union_all(
        first,
        rows(_Stored.SLIDE_VIEW, slides, slides.c.slide_id, *[nothing] * 4, slides.c.seconds),
        rows(
            _Stored.ACKNOWLEDGEMENT,
            acknowledgements,
            acknowledgements.c.statement_id,
            *[nothing] * 3,
            acknowledgements.c.acknowledged_at,
            nothing,
        ),
        rows(
            _Stored.FLAG,
            flags,
            flags.c.kind,
            flags.c.sentence,
            nothing,
            nothing,
            flags.c.cleared_at,
            nothing,
        ),
        rows(
            _Stored.TEACH_BACK,
            teach_back,
            teach_back.c.question_id,
            teach_back.c.result,
            teach_back.c.first_answer,
            teach_back.c.answer_after_review,
            nothing,
            nothing,
        ),
        rows(
            _Stored.CORRECTION,
            corrections,
            corrections.c.field,
            corrections.c.typed,
            corrections.c.became,
            corrections.c.corrected_by,
            corrections.c.corrected_at,
            nothing,
            order="id",
        ),
    )


_STORED_WITH_VISIT = _stored_with_visit()
_in_order = itemgetter(0, 1)  # a row's table, then its place in it
_STORED_PARTS = tuple(_Stored)
_CORRECTED_DETAIL = {
    "first_name": "first name",
    "last_name": "last name",
    "date_of_birth": "date of birth",
}


@dataclass(frozen=True)
class _Reading:
    """A content version's words as a patient reading one language saw them, looked up
    by ID: what opening a stored visit needs from its content, worked out once."""

    pack: ContentPack  # in the visit's language
    clinic_pack: ContentPack  # in the clinic's own
    questions: Mapping[str, Question]
    # The questions in the clinic's own language, when the patient read another.
    clinic_questions: Mapping[str, str]
    # Each slide's title and its words (a regular expression counts them).
    slides: Mapping[str, tuple[str, int]]
    # Each answer a patient can tap, by question and answer, as staff read it: the
    # question, whether the answer raises a flag, its words, the question in the clinic's
    # language, the measure. Typed answers are not here (they are the patient's).
    tapped: Mapping[tuple[str, str], tuple[str, bool, str, str | None, str | None]]

    def answer(self, question_id: str, answer: str, answered_at: datetime) -> RecordedAnswer:
        """A stored answer as staff read it."""
        found = self.tapped.get((question_id, answer))
        if found is None:
            question = self.questions[question_id]
            found = (
                question.text,
                question.raises_flag(answer),
                question.answer_words(answer),
                self.clinic_questions.get(question_id),
                question.measure,
            )
        text, flagged, words, clinic_text, measure = found
        return RecordedAnswer(text, answer, answered_at, flagged, words, clinic_text, measure)

    def words_of(self, question_id: str, answer: str) -> str:
        """How an answer to the question reads."""
        found = self.tapped.get((question_id, answer))
        return found[2] if found else self.questions[question_id].answer_words(answer)

    def teach_back(
        self, question_id: str, result: str, first: str, after_review: str | None
    ) -> RecordedTeachBack:
        """A stored teach-back answer as staff read it."""
        question = self.questions[question_id]
        return RecordedTeachBack(
            question.text,
            TeachBackResult(result),
            self.words_of(question_id, first),
            self.words_of(question_id, after_review) if after_review is not None else None,
            self.words_of(question_id, str(question.right_answer)),
            self.slides[question.slide or ""][0],
            self.clinic_questions.get(question_id),
        )


# Readings by content version (its SHA-256) and language, the least used going first.
_READINGS: OrderedDict[tuple[str, str], _Reading] = OrderedDict()


def _reading_of(connection: Connection, version_id: int, version: str, language: str) -> _Reading:
    """The reading of a stored visit's content, worked out once per version and language
    (only for words that are that version's: see `_words_of_versions`)."""
    found = _READINGS.get((version, language))
    if found is not None:
        with suppress(KeyError):  # another thread's reading may have pushed it out
            _READINGS.move_to_end((version, language))
        return found
    pack = _words_of_versions(connection, [(version_id, version)])[version_id]
    reading = _reading(pack, language)
    if _WORDS_BY_VERSION.get(version) is pack:
        _READINGS[(version, language)] = reading
        while len(_READINGS) > 32:
            _READINGS.popitem(last=False)
    return reading


def _reading(words: ContentPack, language: str) -> _Reading:
    # Opening visit after visit (the desk, a day's printing), each answer looks up its
    # question and each slide view its slide; a version's words never change, so the
    # lookups (and a translation's pack, a measure's items as questions, a slide's word
    # count) are made once per version and language, not once per visit.
    pack = clinic_pack = words
    if language in pack.languages:
        # The questions and statements as this patient read them.
        pack = pack.in_language(language)
    questions = {q.id: q for q in pack.questions}
    # A measure's items as the patient read them; in the clinic's words where the
    # language had no version of it (never answered then, but a stored record reads).
    for measure in (*clinic_pack.measures, *pack.measures):
        questions.update((q.id, q) for q in measure.as_questions())
    # Staff read what was asked in the clinic's own language too.
    clinic_questions = (
        {q.id: q.text for q in clinic_pack.questions} if pack is not clinic_pack else {}
    )
    tapped = {
        (question.id, answer): (
            question.text,
            question.raises_flag(answer),
            question.answer_words(answer),
            clinic_questions.get(question.id),
            question.measure,
        )
        for question in questions.values()
        for answer in question.possible_answers()
    }
    slides = {s.id: (s.title, s.words) for s in pack.slides}
    return _Reading(pack, clinic_pack, questions, clinic_questions, slides, tapped)


def load_visit(transaction: Session | Connection, visit_id: str) -> VisitRecord | None:
    """The stored visit with this ID, with the text of the content version it used."""
    connection = transaction.connection() if isinstance(transaction, Session) else transaction
    key = {"visit_id": visit_id}
    # A mapping: each of its forty columns is read once, and a row's attributes are
    # looked up by name each time (seven times as long).
    row = connection.execute(_VISIT_WITH_CONTENT, key).mappings().one_or_none()
    if row is None:
        return None
    reading = _reading_of(
        connection, row["content_version_id"], row["content_sha256"], row["language"]
    )
    pack, slides = reading.pack, reading.slides
    stored: tuple[list[Sequence[Any]], ...] = tuple([] for _ in _STORED_PARTS)
    # Each table's rows in order of their place (a correction's: its ID), put in order
    # here: ordered in the statement, SQLite sorted all six tables' rows in a temporary
    # B-tree, a fifth of the statement's time.
    for stored_row in sorted(connection.execute(_STORED_WITH_VISIT, key).all(), key=_in_order):
        stored[stored_row[0]].append(stored_row)
    # Unpacked by place (`_stored_with_visit`'s columns: stored, position, key, value,
    # more, last, at, seconds): a row's attributes are looked up by name each time.
    answers = stored[_Stored.ANSWER]
    acknowledged = {
        statement_id: at for _, _, statement_id, _, _, _, at, _ in stored[_Stored.ACKNOWLEDGEMENT]
    }
    flags = stored[_Stored.FLAG]
    measures = recorded_measures(
        reading.clinic_pack,
        {question_id: choice for _, _, question_id, choice, _, _, _, _ in answers},
    )
    trends: dict[str, tuple[TrendPoint, ...]] = {}
    if measures:
        # Only a visit with measures asks for the patient's others.
        earlier = (
            patient_trends(connection, row["patient_id"], up_to=row["finished_at"])
            if (row["patient_id"] is not None)
            else {}
        )
        for recorded in measures:
            found = earlier.get(recorded.measure.id, (recorded.measure, ()))[1]
            here = TrendPoint(row["id"], row["finished_at"], recorded.total, recorded.band)
            trends[recorded.measure.id] = found if here in found else (*found, here)[-10:]
    return VisitRecord(
        id=row["id"],
        clinic_name=pack.clinic_name,
        content_version=row["content_sha256"],
        content_label=row["content_label"],
        is_demo=row["is_demo"],
        ending=Ending(row["ending"]),
        language=row["language"],
        content_language=reading.clinic_pack.language,
        started_at=row["started_at"],
        finished_at=row["finished_at"],
        first_name=row["first_name"],
        last_name=row["last_name"],
        date_of_birth=row["date_of_birth"],
        # A flag's kind, its sentence, when it was cleared (`_stored_with_visit`).
        flags=tuple(sentence for _, _, _, sentence, _, _, _, _ in flags),
        flag_kinds=tuple(kind for _, _, kind, _, _, _, _, _ in flags),
        open_flags=tuple(
            sentence for _, _, _, sentence, _, _, cleared_at, _ in flags if cleared_at is None
        ),
        reviewed_by=row["reviewed_by"],
        reviewed_at=row["reviewed_at"],
        review_note=row["review_note"],
        voided_by=row["voided_by"],
        voided_at=row["voided_at"],
        void_reason=row["void_reason"],
        assisted_by=row["assisted_by"],
        signed_on_paper_at=row["signed_on_paper_at"],
        answers=tuple(
            reading.answer(question_id, answer, at)
            for _, _, question_id, answer, _, _, at, _ in answers
        ),
        measures=measures,
        trends=trends,
        acknowledgements=tuple(
            RecordedAcknowledgement(s.text, acknowledged.get(s.id)) for s in pack.consent_statements
        ),
        slides=tuple(
            RecordedSlide(slides[slide_id][0], seconds, slides[slide_id][1])
            for _, _, slide_id, _, _, _, _, seconds in stored[_Stored.SLIDE_VIEW]
        ),
        signature_meaning=pack.signature_meaning,
        signed_name=row["signed_name"],
        signed_at=row["signed_at"],
        signature_png=row["signature_png"],
        typed_signature=row["typed_signature"],
        stored_strokes=row["signature_strokes"],
        reading_words_per_minute=pack.reading_words_per_minute,
        reading_time_fraction=pack.reading_time_fraction,
        ride=RecordedRide(
            RideStatus(row["ride_status"]),
            row["ride_driver_name"],
            row["ride_phone"],
            row["ride_relationship"],
        ),
        patient_id=row["patient_id"],
        flow=row["flow"],
        # A teach-back question, its result, the first answer, the answer after review.
        teach_back=tuple(
            reading.teach_back(question_id, result, first, after_review)
            for _, _, question_id, result, first, after_review, _, _ in stored[_Stored.TEACH_BACK]
        ),
        # The detail, what was typed, what it became, who corrected it, when.
        corrections=tuple(
            RecordedCorrection(
                _CORRECTED_DETAIL.get(field, field), typed, became, shown_name(by), at
            )
            for _, _, field, typed, became, by, at, _ in stored[_Stored.CORRECTION]
        ),
    )


def recorded_measures(pack: ContentPack, answers: Mapping[str, str]) -> tuple[RecordedMeasure, ...]:
    """Each measure of `pack` the answers complete, with its total and band."""
    found = []
    for measure in pack.measures:
        score = measure_score(measure, answers)
        if score is not None:
            found.append(RecordedMeasure(measure, score.total, score.band))
    return tuple(found)


def list_visits(session: Session, *, since: datetime | None = None) -> Iterator[VisitListing]:
    """Stored visits, newest first."""
    query = select(
        VisitRow.id,
        VisitRow.finished_at,
        VisitRow.first_name,
        VisitRow.last_name,
        VisitRow.date_of_birth,
        VisitRow.ending,
        VisitRow.flag_count,
        VisitRow.is_demo,
        VisitRow.patient_id,
        VisitRow.flow,
    ).order_by(VisitRow.finished_at.desc(), VisitRow.id)
    flag_query = select(FlagRow.visit_id, FlagRow.kind, FlagRow.sentence).order_by(
        FlagRow.visit_id, FlagRow.position
    )
    if since is not None:
        query = query.where(VisitRow.finished_at >= since)
        flag_query = flag_query.join(VisitRow).where(VisitRow.finished_at >= since)
    teach_back_query = select(
        TeachBackAnswerRow.visit_id, TeachBackAnswerRow.question_id, TeachBackAnswerRow.result
    ).order_by(TeachBackAnswerRow.visit_id, TeachBackAnswerRow.position)
    if since is not None:
        teach_back_query = teach_back_query.join(VisitRow).where(VisitRow.finished_at >= since)
    totals = measure_totals(session, since=since)
    # One query for every listed visit's flags, not one a visit (and teach-back alike).
    flags: dict[str, list[ListedFlag]] = {}
    for flag_visit_id, kind, sentence in session.execute(flag_query):
        flags.setdefault(flag_visit_id, []).append(ListedFlag(kind, sentence))
    teach_back: dict[str, list[tuple[str, TeachBackResult]]] = {}
    for taught_visit_id, question_id, result in session.execute(teach_back_query):
        teach_back.setdefault(taught_visit_id, []).append((question_id, TeachBackResult(result)))
    for row in session.execute(query):
        (
            visit_id,
            finished_at,
            first,
            last,
            born,
            ending,
            flag_count,
            is_demo,
            patient_id,
            flow,
        ) = row
        yield VisitListing(
            visit_id,
            finished_at,
            first,
            last,
            born,
            Ending(ending),
            flag_count,
            is_demo,
            tuple(flags.get(visit_id, ())),
            patient_id,
            flow != "first_visit",
            tuple(teach_back.get(visit_id, ())),
            totals.get(visit_id, {}),
        )


def _measure_answers(
    session: Session | Connection, visits: Select[str, int]
) -> dict[str, tuple[ContentPack, dict[str, str]]]:
    """The measure items' answers of the visits `visits` selects (their ID, finished
    time and content version ID), with the words of the content each showed."""
    chosen = visits.subquery()
    packs = {
        version_id: _content_words(canonical)
        for version_id, canonical in session.execute(
            select(ContentVersionRow.id, ContentVersionRow.canonical).where(
                ContentVersionRow.id.in_(select(chosen.c.content_version_id).distinct())
            )
        )
    }
    items = {i for pack in packs.values() for m in pack.measures for i in m.item_ids()}
    found: dict[str, tuple[ContentPack, dict[str, str]]] = {}
    if not items:
        return found
    query = (
        select(chosen.c.id, chosen.c.content_version_id, AnswerRow.question_id, AnswerRow.answer)
        .join_from(chosen, AnswerRow, AnswerRow.visit_id == chosen.c.id)
        .where(AnswerRow.question_id.in_(items))
    )
    for visit_id, version_id, question_id, answer in session.execute(query):
        found.setdefault(visit_id, (packs[version_id], {}))[1][question_id] = answer
    return found


def measure_totals(session: Session, *, since: datetime | None = None) -> dict[str, dict[str, int]]:
    """Each stored visit's measure totals ({"phq9": 14, "gad7": 9}) by visit ID."""
    visits = select(VisitRow.id, VisitRow.content_version_id)
    if since is not None:
        visits = visits.where(VisitRow.finished_at >= since)
    return {
        visit_id: {score.measure_id: score.total for score in visit_scores(pack, answers)}
        for visit_id, (pack, answers) in _measure_answers(session, visits).items()
    }


# The most of a patient's visits `patient_trends` reads at a time, newest first. The
# first page is just enough when every visit asks its measures; each next one doubles.
_MOST_TREND_PAGE = 96
# Content versions' words by their SHA-256, so a patient's trend does not read every
# version they ever saw (tens of kilobytes each) whenever a visit is opened.
_WORDS_BY_VERSION: OrderedDict[str, ContentPack] = OrderedDict()


# The statements of a trend, built once (a visit with measures is opened often).
_VERSIONS_SEEN = select(ContentVersionRow.id, ContentVersionRow.sha256).where(
    ContentVersionRow.id.in_(
        select(VisitRow.content_version_id)
        .where(VisitRow.patient_id == bindparam("patient_id"))
        .distinct()
    )
)
_VERSION_WORDS = select(ContentVersionRow.id, ContentVersionRow.canonical).where(
    ContentVersionRow.id.in_(bindparam("version_ids", expanding=True))
)
_PATIENTS_VISITS = select(VisitRow.id, VisitRow.finished_at, VisitRow.content_version_id).where(
    VisitRow.patient_id == bindparam("patient_id"), VisitRow.voided_at.is_(None)
)
_NEWEST_FIRST = (VisitRow.finished_at.desc(), VisitRow.id.desc())
_PAGE_SIZE = bindparam("page_size", type_=Integer)
_NEWEST_VISITS = _PATIENTS_VISITS.order_by(*_NEWEST_FIRST).limit(_PAGE_SIZE)
# Up to a time (the visit opened, or the last page's oldest), without the visits already
# read at that very time.
_VISITS_UP_TO = (
    _PATIENTS_VISITS.where(
        VisitRow.finished_at <= bindparam("up_to"),
        VisitRow.id.not_in(bindparam("read_at_that_time", expanding=True)),
    )
    .order_by(*_NEWEST_FIRST)
    .limit(_PAGE_SIZE)
)
_MEASURE_ANSWERS = select(AnswerRow.visit_id, AnswerRow.question_id, AnswerRow.answer).where(
    AnswerRow.visit_id.in_(bindparam("visit_ids", expanding=True)),
    AnswerRow.question_id.in_(bindparam("items", expanding=True)),
)


def _words_of_versions(
    transaction: Session | Connection, versions: Sequence[tuple[int, str]]
) -> dict[int, ContentPack]:
    """The words of content versions (ID, SHA-256), by ID: read from the database (tens
    of kilobytes each) only the first time a version is asked for in this process.

    Kept under the hash of the words themselves: a row whose words do not match its
    recorded version is read from the database each time, never trusted.
    """
    packs = {
        version_id: pack
        for version_id, sha256 in versions
        if (pack := _WORDS_BY_VERSION.get(sha256)) is not None
    }
    missing = [version_id for version_id, _ in versions if version_id not in packs]
    if missing:
        for version_id, canonical in transaction.execute(_VERSION_WORDS, {"version_ids": missing}):
            packs[version_id] = _content_words(canonical)
            _WORDS_BY_VERSION[hashlib.sha256(canonical).hexdigest()] = packs[version_id]
            while len(_WORDS_BY_VERSION) > 64:
                _WORDS_BY_VERSION.popitem(last=False)
    return packs


def _packs_seen(session: Session | Connection, patient_id: int) -> dict[int, ContentPack]:
    """The words of every content version the patient's visits used, by version ID."""
    seen = session.execute(_VERSIONS_SEEN, {"patient_id": patient_id}).all()
    return _words_of_versions(session, [(version_id, sha256) for version_id, sha256 in seen])


def patient_trends(
    session: Session | Connection, patient_id: int, *, last: int = 10, up_to: datetime | None = None
) -> dict[str, tuple[Measure, tuple[TrendPoint, ...]]]:
    """A patient's last `last` totals of each measure, oldest first, with the measure as
    their newest visit's content had it (its bands, for a chart). Void visits are left out;
    with `up_to`, so are visits finished after it (an old visit's summary shows its past).

    It reads the patient's visits newest first, a page at a time, and stops once every
    measure their content ever asked has `last` totals: a patient with years of weekly
    infusions is not scored from their first visit each time one is opened.
    """
    packs = _packs_seen(session, patient_id)
    # A measure a version has but does not ask (as shipped) is never waited for.
    asked = {m.id for pack in packs.values() for m in pack.measures if m.turned_on}
    items = sorted({i for pack in packs.values() for m in pack.measures for i in m.item_ids()})
    if not asked:
        return {}
    points: dict[str, list[TrendPoint]] = {}
    measures: dict[str, Measure] = {}
    older_than, same_time, page_size = up_to, set[str](), last + 2
    while True:
        wanted: dict[str, object] = {"patient_id": patient_id, "page_size": page_size}
        if older_than is None:
            read = session.execute(_NEWEST_VISITS, wanted).all()
        else:
            wanted.update(up_to=older_than, read_at_that_time=sorted(same_time))
            read = session.execute(_VISITS_UP_TO, wanted).all()
        answers: dict[str, dict[str, str]] = {}
        for visit_id, question_id, answer in session.execute(
            _MEASURE_ANSWERS, {"visit_ids": [row[0] for row in read], "items": items}
        ).all():
            answers.setdefault(visit_id, {})[question_id] = answer
        for visit_id, finished_at, version_id in read:
            for measure in packs[version_id].measures if visit_id in answers else ():
                found = points.setdefault(measure.id, [])
                score = measure_score(measure, answers[visit_id])
                if score is not None and len(found) < last:
                    measures.setdefault(measure.id, measure)
                    found.append(TrendPoint(visit_id, finished_at, score.total, score.band))
        if len(read) < page_size or all(len(points.get(m, ())) >= last for m in asked):
            break
        oldest = read[-1][1]
        same_time = (same_time if oldest == older_than else set()) | {
            visit_id for visit_id, finished_at, _ in read if finished_at == oldest
        }
        older_than, page_size = oldest, min(2 * page_size, _MOST_TREND_PAGE)
    return {key: (measures[key], tuple(reversed(found))) for key, found in points.items() if found}


def count_visits(session: Session, *, demo: bool) -> int:
    """How many stored visits are (or are not) demo data."""
    return (
        session.scalar(select(func.count()).select_from(VisitRow).where(VisitRow.is_demo == demo))
        or 0
    )
