"""The database tables, as SQLAlchemy 2.0 typed models.

The schema itself is created and changed only by Alembic migrations (`kiosk/migrations`);
a test checks that these models and the migrations agree.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Dialect,
    FetchedValue,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A moment stored as naive UTC and read back as an aware UTC datetime.

    SQLite has no time zones; storing UTC everywhere and converting only for display
    keeps visits comparable across daylight-saving changes.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("times must carry a time zone before they are stored")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    """Base of every table, with constraint names Alembic can rely on."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def table_of(model: type[Base]) -> Table:
    """The table a model maps, for Core inserts that skip the ORM's unit of work."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


class ContentVersionRow(Base):
    """A content version: its text is stored once and never changed.

    `label`, `published_at` and `published_by` say when it was first stored. It is the
    clinic's content only through a publication; a pack run from a folder for a trial
    (`--content`) is stored so its visits say what they showed, but never published.
    """

    __tablename__ = "content_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(200))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime)
    published_by: Mapped[str] = mapped_column(String(200))
    canonical: Mapped[bytes] = mapped_column(LargeBinary)

    pictures: Mapped[list[ContentPictureRow]] = relationship(
        back_populates="version", cascade="all, delete-orphan"
    )


class ContentPublicationRow(Base):
    """One publish: a content version became the clinic's content, with a label, by whom, when.

    The content in use is the version of the newest publication, so a restore (a new
    publication of an older version) makes the old text current again. Never changed.
    """

    __tablename__ = "content_publications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    content_version_id: Mapped[int] = mapped_column(ForeignKey("content_versions.id"), index=True)
    label: Mapped[str] = mapped_column(String(200))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime)
    published_by: Mapped[str] = mapped_column(String(200))
    # For a restore: the publication whose content it brought back.
    restored_from_id: Mapped[int | None] = mapped_column(ForeignKey("content_publications.id"))

    content_version: Mapped[ContentVersionRow] = relationship()


class ContentDraftRow(Base):
    """The admins' draft: content being edited, seen by no patient until it is published.

    The clinic has at most one draft; saving replaces it. It may still have problems
    (an empty title while typing); they are checked when it is published.
    """

    __tablename__ = "content_drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    canonical: Mapped[bytes] = mapped_column(LargeBinary)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime)
    saved_by: Mapped[str] = mapped_column(String(200))
    # The version in use when editing began, so the editor can tell an admin that
    # someone else published in the meantime.
    based_on_version_id: Mapped[int | None] = mapped_column(ForeignKey("content_versions.id"))
    # Translations whose clinic-language words changed after they were translated, as
    # JSON: {language: {text key: the words translated}} (`kiosk.translations.follow_edit`).
    # Beside the pack, never in it: a version's hash stays the hash of its text alone.
    translated_from: Mapped[str | None] = mapped_column(Text)

    pictures: Mapped[list[ContentDraftPictureRow]] = relationship(
        back_populates="draft", cascade="all, delete-orphan"
    )


class ContentDraftPictureRow(Base):
    """A picture belonging to the draft."""

    __tablename__ = "content_draft_pictures"

    draft_id: Mapped[int] = mapped_column(ForeignKey("content_drafts.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(300), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)

    draft: Mapped[ContentDraftRow] = relationship(back_populates="pictures")


class ContentPictureRow(Base):
    """A picture belonging to a content version."""

    __tablename__ = "content_pictures"

    version_id: Mapped[int] = mapped_column(ForeignKey("content_versions.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(300), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)

    version: Mapped[ContentVersionRow] = relationship(back_populates="pictures")


class VisitRow(Base):
    """A finished visit: completed, or stopped to talk to staff first."""

    __tablename__ = "visits"
    __table_args__ = (
        Index("ix_visits_finished_at", "finished_at"),
        # A name search reads a page of a name's visits, newest first, from this index
        # alone (`kiosk.desk.search`). Migration 0017's triggers on this table keep
        # `visit_names` (`kiosk.name_search`) in step.
        Index("ix_visits_name_key_finished_at", "name_key", "finished_at", "id"),
        Index("ix_visits_date_of_birth", "date_of_birth"),
        # A patient's visits newest first, with the content each saw, from this index
        # alone (`kiosk.stored_visits.patient_trends`, migration 0020).
        Index(
            "ix_visits_patient_id_finished_at", "patient_id", "finished_at", "content_version_id"
        ),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    content_version_id: Mapped[int] = mapped_column(ForeignKey("content_versions.id"))
    # The patient staff linked this visit to at the desk (`kiosk.patients`); none until then.
    patient_id: Mapped[int | None] = mapped_column(ForeignKey("patients.id"))
    # Which flow the kiosk ran (`kiosk.visit.VisitFlow`): a first visit, or a return visit
    # with or without the slides.
    flow: Mapped[str] = mapped_column(
        String(24), default="first_visit", server_default="first_visit"
    )
    # The publish the visit saw: the newest of its text made by the time it started
    # (`kiosk.stored_visits.publication_seen`); none for a trial pack never published.
    content_publication_id: Mapped[int | None] = mapped_column(
        ForeignKey("content_publications.id"), index=True
    )
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    station: Mapped[str] = mapped_column(String(200))
    ending: Mapped[str] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(8))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime)
    first_name: Mapped[str] = mapped_column(String(200))
    last_name: Mapped[str] = mapped_column(String(200))
    # Lower-case, accent-free "first last" so the desk can search names as people type them.
    name_key: Mapped[str] = mapped_column(String(400))
    date_of_birth: Mapped[date] = mapped_column(Date)
    answers_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signed_name: Mapped[str | None] = mapped_column(String(400))
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signature_png: Mapped[bytes | None] = mapped_column(LargeBinary)
    signature_strokes: Mapped[str | None] = mapped_column(Text)
    # Where the clinic allows it, the full name the patient typed in place of drawing a
    # signature (then there is no PNG and no strokes).
    typed_signature: Mapped[str | None] = mapped_column(String(400))
    # "arranged", "none_yet" (flagged), or "not_asked" when the visit stopped at consent.
    ride_status: Mapped[str] = mapped_column(String(16))
    ride_driver_name: Mapped[str | None] = mapped_column(String(200))
    ride_phone: Mapped[str | None] = mapped_column(String(40))
    ride_relationship: Mapped[str | None] = mapped_column(String(200))
    flag_count: Mapped[int] = mapped_column(Integer)
    # Flags nobody has dealt with yet; the desk sorts visits that need attention first.
    open_flag_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Bumped by every change after the visit is stored, so a desk can notice it.
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by: Mapped[str | None] = mapped_column(String(100))
    review_note: Mapped[str | None] = mapped_column(Text)
    ride_arranged_by: Mapped[str | None] = mapped_column(String(100))
    # A check-in made at the desk with a member of staff, and a consent signed on paper.
    assisted_by: Mapped[str | None] = mapped_column(String(100))
    signed_on_paper_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    voided_by: Mapped[str | None] = mapped_column(String(100))
    void_reason: Mapped[str | None] = mapped_column(Text)

    answers: Mapped[list[AnswerRow]] = relationship(
        back_populates="visit", cascade="all, delete-orphan", order_by="AnswerRow.position"
    )
    slide_views: Mapped[list[SlideViewRow]] = relationship(
        back_populates="visit", cascade="all, delete-orphan", order_by="SlideViewRow.position"
    )
    acknowledgements: Mapped[list[ConsentAcknowledgementRow]] = relationship(
        back_populates="visit",
        cascade="all, delete-orphan",
        order_by="ConsentAcknowledgementRow.position",
    )
    flags: Mapped[list[FlagRow]] = relationship(
        back_populates="visit", cascade="all, delete-orphan", order_by="FlagRow.position"
    )
    teach_back: Mapped[list[TeachBackAnswerRow]] = relationship(
        back_populates="visit", cascade="all, delete-orphan", order_by="TeachBackAnswerRow.position"
    )
    content_version: Mapped[ContentVersionRow] = relationship()


class PatientRow(Base):
    """A patient who comes back: the visits staff linked to them, and their last consent.

    Known by the name and date of birth of their newest linked visit, and kept only
    while a visit of theirs is: `kiosk.patients.refresh_patient` recomputes all of it
    whenever a link, a correction or a purge changes their visits.
    """

    __tablename__ = "patients"
    __table_args__ = (Index("ix_patients_name_key_date_of_birth", "name_key", "date_of_birth"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    first_name: Mapped[str] = mapped_column(String(200))
    last_name: Mapped[str] = mapped_column(String(200))
    # As visits.name_key: lower-case, accent-free "first last", for exact matching.
    name_key: Mapped[str] = mapped_column(String(400))
    date_of_birth: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Their newest signed visit still kept (not void): when, and the content it showed.
    last_consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_consent_version_id: Mapped[int | None] = mapped_column(ForeignKey("content_versions.id"))


class ExpectedPatientRow(Base):
    """A returning patient staff expect on a day: the only names a kiosk matches against.

    Removed once the day is over (`kiosk.retention`): it holds a name and serves no one.
    """

    __tablename__ = "expected_patients"
    __table_args__ = (Index("ix_expected_patients_day_name_key", "day", "name_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    first_name: Mapped[str] = mapped_column(String(200))
    last_name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(400))
    date_of_birth: Mapped[date] = mapped_column(Date)
    # "HH:MM" in the clinic's time, when the list gave one.
    expected_at: Mapped[str | None] = mapped_column(String(5))
    # The patient record it matched when added, if exactly one did.
    patient_id: Mapped[int | None] = mapped_column(ForeignKey("patients.id", ondelete="SET NULL"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)
    added_by: Mapped[str] = mapped_column(String(200))


class DetailCorrectionRow(Base):
    """A name or date of birth staff corrected on a visit: what was typed, what it became.

    Kept beside the visit (and purged with it), not in the audit trail, which never
    holds a patient's name; the trail's entry names the visit and this row's field.
    """

    __tablename__ = "detail_corrections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id"), index=True)
    # "first_name", "last_name" or "date_of_birth"
    field: Mapped[str] = mapped_column(String(16))
    typed: Mapped[str] = mapped_column(String(200))
    became: Mapped[str] = mapped_column(String(200))
    corrected_at: Mapped[datetime] = mapped_column(UTCDateTime)
    corrected_by: Mapped[str] = mapped_column(String(100))


class PrintJobRow(Base):
    """A summary sent to a printer, and what the print system said became of it."""

    __tablename__ = "print_jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id"), index=True)
    printer: Mapped[str] = mapped_column(String(200))
    job_id: Mapped[str | None] = mapped_column(String(200))
    copy: Mapped[str] = mapped_column(String(16))  # "staff" summary or "patient" copy
    state: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_by: Mapped[str] = mapped_column(String(100))


class AnswerRow(Base):
    """A patient's answer to one question."""

    __tablename__ = "answers"

    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id"), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    # Yes / No / Not sure, a choice's ID or a short-text question's words (up to 200).
    answer: Mapped[str] = mapped_column(Text)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)

    visit: Mapped[VisitRow] = relationship(back_populates="answers")


class SlideViewRow(Base):
    """How long the patient spent on one slide."""

    __tablename__ = "slide_views"

    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id"), primary_key=True)
    slide_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    seconds: Mapped[float] = mapped_column(Float)

    visit: Mapped[VisitRow] = relationship(back_populates="slide_views")


class ConsentAcknowledgementRow(Base):
    """When the patient acknowledged one consent statement."""

    __tablename__ = "consent_acknowledgements"

    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id"), primary_key=True)
    statement_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    acknowledged_at: Mapped[datetime] = mapped_column(UTCDateTime)

    visit: Mapped[VisitRow] = relationship(back_populates="acknowledgements")


class FlagRow(Base):
    """One reason the visit needs attention, as worded when it was stored."""

    __tablename__ = "flags"

    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cleared_by: Mapped[str | None] = mapped_column(String(100))
    question_id: Mapped[str | None] = mapped_column(String(64))
    answer: Mapped[str | None] = mapped_column(String(64))  # never typed words
    sentence: Mapped[str] = mapped_column(Text)

    visit: Mapped[VisitRow] = relationship(back_populates="flags")


class TeachBackAnswerRow(Base):
    """How the patient answered one teach-back question after the slides (issue 27).

    The question's words come from the content version the visit showed; this keeps the
    answers tapped (never typed words) and the outcome staff read.
    """

    __tablename__ = "teach_back_answers"

    visit_id: Mapped[str] = mapped_column(ForeignKey("visits.id"), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    # right_first_time, right_after_review or still_wrong (`kiosk.content.TeachBackResult`).
    result: Mapped[str] = mapped_column(String(24))
    first_answer: Mapped[str] = mapped_column(String(64))
    answer_after_review: Mapped[str | None] = mapped_column(String(64))

    visit: Mapped[VisitRow] = relationship(back_populates="teach_back")


class StaffAccountRow(Base):
    """A front-desk, clinician or admin account; the password only as a slow salted hash."""

    __tablename__ = "staff_accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100))
    # Case-folded, so "Maria" and "maria" are one account.
    username_key: Mapped[str] = mapped_column(String(100), unique=True)
    # The roles the account holds, in the README table's order: "staff clinician"
    # (migration 0013: one ranked role before).
    roles: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(300))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AuditEntryRow(Base):
    """Who did what, to which visit (by ID only), when and where. Never changed or deleted.

    The database gives each entry its number and its time and refuses an insert that
    names either (migration 0008), so one station's clock cannot reorder the trail.
    """

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_at", "at"),
        Index("ix_audit_entries_visit_id", "visit_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=FetchedValue())
    # When an entry carried over from another database (a restore) was first written.
    original_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(64))
    # No foreign key: the trail outlives a visit that is later purged.
    visit_id: Mapped[str | None] = mapped_column(String(36))
    station: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str] = mapped_column(Text, default="")


class StationRow(Base):
    """A station's own record: the kiosk's last heartbeat and what it said then.

    Every time here is the database's clock (see `kiosk.alerts`), so a kiosk whose own
    clock is wrong is still judged alive or silent rightly.
    """

    __tablename__ = "stations"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    last_heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Finished check-ins waiting on the kiosk's own disk for the database.
    held_visits: Mapped[int] = mapped_column(Integer, default=0)
    check_in_paused: Mapped[bool] = mapped_column(Boolean, default=False)
    content_version: Mapped[str] = mapped_column(String(64), default="")
    program_version: Mapped[str] = mapped_column(String(64), default="")
    # Its silence has been raised as an alert (once per silence; a heartbeat resets it).
    silence_reported: Mapped[bool] = mapped_column(Boolean, default=False)


class AlertRow(Base):
    """Something a person at a desk must know: raised by a station, seen, acknowledged,
    cleared. Holds no patient's name: a desk shows it before anyone signs in.

    Times are the database's clock. An open alert (not cleared) is never purged.
    """

    __tablename__ = "alerts"
    __table_args__ = (Index("ix_alerts_cleared_at", "cleared_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    station: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str] = mapped_column(Text, default="")
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # When a desk first reported it had the alert on its screen, and which desk.
    shown_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    shown_on: Mapped[str | None] = mapped_column(String(200))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by: Mapped[str | None] = mapped_column(String(200))
    acknowledgement_note: Mapped[str] = mapped_column(Text, default="")
    cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cleared_by: Mapped[str | None] = mapped_column(String(200))
    # A risk alert (`kiosk.risk`) names its visit (stored with it as `PartialVisitRow`)
    # and is closed by a clinician with a note.
    visit_id: Mapped[str | None] = mapped_column(String(36))
    clearing_note: Mapped[str] = mapped_column(Text, default="", server_default="")


class PartialVisitRow(Base):
    """A visit as it stood when an answer raised a risk alert (`kiosk.risk`): stored with
    the alert at once, before the patient finishes (or walks away). The alert never holds
    the patient's name; this row does, and only a signed-in account opens it."""

    __tablename__ = "partial_visits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # A cleared alert purged past retention takes the patient's partial visit with it.
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), index=True)
    visit_id: Mapped[str] = mapped_column(String(36), index=True)
    station: Mapped[str] = mapped_column(String(200))
    content_version: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8))
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_name: Mapped[str] = mapped_column(String(200))
    last_name: Mapped[str] = mapped_column(String(200))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    # The answers so far, as JSON: [[question ID, answer, answered at (ISO)], ...].
    answers: Mapped[str] = mapped_column(Text)
    responder: Mapped[str] = mapped_column(String(200))
    stored_at: Mapped[datetime] = mapped_column(UTCDateTime)


class database_now(FunctionElement[datetime]):  # noqa: N801 - reads as a SQL function
    """The database's own clock, in UTC, as the stored times are written."""

    type = UTCDateTime()
    inherit_cache = True


@compiles(database_now, "sqlite")
def _sqlite_now(element: database_now, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLAlchemy's own text form of a time (six digits of fraction), as migration 0008.
    return "strftime('%Y-%m-%d %H:%M:%f000', 'now')"


@compiles(database_now)
def _server_now(element: database_now, compiler: SQLCompiler, **kw: Any) -> str:
    return "(CURRENT_TIMESTAMP AT TIME ZONE 'UTC')"
