"""Storage: open the database, keep its schema current, store and read visits.

Functions take a `Session` and never make one: the caller owns the unit of work, so a
finished visit is written in exactly one transaction. SQLite connections run in WAL
mode with foreign keys on and `synchronous=FULL`, so a visit is on disk before the
patient is told it is saved.
"""

from __future__ import annotations

import json
import logging
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Engine,
    Insert,
    Select,
    Table,
    bindparam,
    create_engine,
    event,
    func,
    insert,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from alembic.config import Config

from kiosk.actor import kiosk_or_staff_audit_name
from kiosk.audit import AuditAction, record, station_name
from kiosk.audit_protections import check_at_start
from kiosk.content import ContentPack, bundled_pack_dir, load_pack, pack_from_canonical
from kiosk.database_url import UnreadableURLError, shown_url, without_secrets
from kiosk.database_url import parse as parse_url
from kiosk.file_access import create_file, keep_from_others, make_folder
from kiosk.models import (
    AnswerRow,
    Base,
    ConsentAcknowledgementRow,
    ContentPictureRow,
    ContentPublicationRow,
    ContentVersionRow,
    FlagRow,
    SlideViewRow,
    VisitRow,
    table_of,
)
from kiosk.visit import Ending, RideStatus, Visit
from kiosk.visit_record import (
    RecordedAcknowledgement,
    RecordedAnswer,
    RecordedRide,
    RecordedSlide,
    VisitListing,
    VisitRecord,
)

BUSY_TIMEOUT_MS = 5000


def _sqlite_pragmas(busy_timeout_ms: int) -> Callable[[Any, Any], None]:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Every connection, not just the first: SQLite forgets foreign_keys per connection.
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        # Deleted rows (a purge) are overwritten with zeros, not left readable in free pages.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    return on_connect


@dataclass
class Database:
    """An engine and the session factory bound to it."""

    engine: Engine
    sessions: sessionmaker[Session]
    # The SQLite file, when there is one: a kiosk must notice when it is deleted.
    file: Path | None = None
    busy_timeout_ms: int = BUSY_TIMEOUT_MS
    _identity: tuple[int, int] | None = field(default=None, init=False, repr=False)

    def session(self) -> Session:
        """A new session; use it as `with db.session() as s, s.begin(): ...`."""
        return self.sessions()

    def close(self) -> None:
        """Release every connection."""
        self.engine.dispose()

    def file_is_gone(self) -> bool:
        """Whether the SQLite file has been deleted or moved away.

        SQLite keeps writing to a deleted file through connections that are already
        open, and a new connection would quietly create an empty one: both would lose
        visits. So a kiosk asks first, and drops its connections while the file is gone.
        """
        if self.file is None:
            return False
        try:
            status = self.file.stat()
        except FileNotFoundError:
            self.engine.dispose()
            return True
        identity = (status.st_dev, status.st_ino)
        if self._identity is not None and identity != self._identity:
            # Put back (a restore) while connections still held the old file: let go.
            self.engine.dispose()
        self._identity = identity
        return False


class DatabaseUnavailableError(Exception):
    """The database cannot be opened; the message says which and why, in one line."""


def open_database(
    url: str,
    *,
    migrate_schema: bool = True,
    busy_timeout_ms: int = BUSY_TIMEOUT_MS,
    station: str | None = None,
) -> Database:
    """Connect to `url` (any SQLAlchemy URL) and bring its schema up to date.

    With the schema brought up to date, the audit trail's protections are checked and any
    missing one is put back, in the name of `station` (this machine's name by default).
    `busy_timeout_ms` is how long a SQLite write waits for another writer to finish.
    """
    try:
        parsed = parse_url(url)
    except UnreadableURLError as error:
        raise DatabaseUnavailableError(f"database_url {error}") from None
    shown = shown_url(parsed)
    is_sqlite = parsed.get_backend_name() == "sqlite"
    file = sqlite_file(parsed)
    try:
        if file is not None:
            _prepare_file(file, read_only=parsed.query.get("mode") == "ro")
        engine = create_engine(parsed)
        if is_sqlite:
            event.listen(engine, "connect", _sqlite_pragmas(busy_timeout_ms))
        database = Database(
            engine, sessionmaker(engine, expire_on_commit=False), file, busy_timeout_ms
        )
        if migrate_schema:
            migrate(engine)
            # Every program opens the database here: kiosk, desk, editor, command line.
            with database.session() as session:
                check_at_start(session, station=station or station_name())
        database.file_is_gone()  # notes which file it is, to notice if it is replaced
    except (ImportError, NoSuchModuleError) as error:
        raise DatabaseUnavailableError(
            f"the database at {shown} needs a driver that is not installed "
            f"({without_secrets(str(error), parsed)})"
        ) from None
    except (SQLAlchemyError, OSError, ValueError, TypeError) as error:
        # ValueError and TypeError: a driver refusing one of the URL's parameters.
        reason = str(getattr(error, "orig", None) or error)
        if parsed.get_driver_name() == "pysqlcipher" and "not a database" in reason:
            reason = "its key does not open it (a wrong key, or not an encrypted kiosk database)"
        # `from None`: a trace of the driver's own error would print what it quoted.
        raise DatabaseUnavailableError(
            f"the database at {shown} cannot be opened: {without_secrets(reason, parsed)}"
        ) from None
    return database


def _prepare_file(file: Path, *, read_only: bool) -> None:
    """Create the SQLite file (and its folder) for the kiosk's user and group only.

    SQLite would create it 0644, readable by every user of the computer; its `-wal` and
    `-shm` files take the database file's mode, so setting it here covers all three. A
    file from an earlier version that others can read loses their access.
    """
    make_folder(file.parent)
    if read_only:
        return  # SQLite opens it as it is, or says it is missing
    if not create_file(file) and keep_from_others(file):
        for companion in (file.with_name(file.name + "-wal"), file.with_name(file.name + "-shm")):
            keep_from_others(companion)
        logging.getLogger(__name__).warning(
            "the database file was open to every user of this computer; now only its "
            "owner and group may use it"
        )


def sqlite_file(database_url: URL | str) -> Path | None:
    """The file behind a SQLite URL (plain or `file:` URI form); None for memory or a server."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    name = url.database
    if name.startswith("file:"):
        name = name.removeprefix("file:").split("?", 1)[0]
        if name.startswith("///"):
            name = name[2:]
        if not name or name == ":memory:" or url.query.get("mode") == "memory":
            return None
    return Path(name)


# The newest migration; a test checks it is Alembic's head. Knowing it lets a database
# that is already current open without loading Alembic (a third of a second per command).
HEAD_REVISION = "0008"


def alembic_config(engine_connection: Any = None) -> Config:
    """Alembic's settings, pointing at the migrations inside the installed package."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "kiosk:migrations")
    config.attributes["connection"] = engine_connection
    return config


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at (None for a new, empty database)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the schema to `revision` (every command works on a new, empty database)."""
    if revision == "head" and current_revision(engine) == HEAD_REVISION:
        return
    from alembic import command

    is_sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if is_sqlite:
            # SQLite changes a table by copying it; with foreign keys on, dropping the old
            # copy would fail (or cascade) for every table visits refer to. The keys are
            # checked once the whole upgrade is done instead. Only outside a transaction.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                command.upgrade(alembic_config(connection), revision)
                if is_sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise DatabaseUnavailableError(
                        "the upgrade would break links between stored records; nothing was changed"
                    )
        finally:
            if is_sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


# --- content versions ---------------------------------------------------------------------


def store_content(
    session: Session, pack: ContentPack, *, label: str, stored_by: str, now: datetime
) -> ContentVersionRow:
    """Store `pack` as a content version (the same text is stored only once), unpublished.

    A version is the clinic's content only once it is published; a trial pack from a
    folder is stored this way so its visits say exactly what they showed.
    """
    existing = session.scalar(
        select(ContentVersionRow).where(ContentVersionRow.sha256 == pack.version)
    )
    if existing is not None:
        return existing
    row = ContentVersionRow(
        sha256=pack.version,
        label=label,
        published_at=now,
        published_by=stored_by,
        canonical=pack.canonical_bytes(),
    )
    row.pictures = [ContentPictureRow(name=name, data=data) for name, data in pack.pictures.items()]
    session.add(row)
    session.flush()
    return row


def publish_content(
    session: Session,
    pack: ContentPack,
    *,
    label: str,
    published_by: str,
    now: datetime,
    restored_from: ContentPublicationRow | None = None,
) -> ContentPublicationRow:
    """Make `pack` the clinic's content from the next visit on: a new publication.

    Publishing text that is already stored (a restore) adds a publication of the stored
    version, so the newest publication always names the content in use.
    """
    version = store_content(session, pack, label=label, stored_by=published_by, now=now)
    publication = ContentPublicationRow(
        content_version=version,
        label=label,
        published_at=now,
        published_by=published_by,
        restored_from_id=restored_from.id if restored_from else None,
    )
    session.add(publication)
    session.flush()
    return publication


def newest_publication(session: Session) -> ContentPublicationRow | None:
    """The newest publication: its version is the content in use."""
    return session.scalar(
        select(ContentPublicationRow).order_by(ContentPublicationRow.id.desc()).limit(1)
    )


def newest_content(session: Session) -> ContentVersionRow | None:
    """The content version in use: the one published last, if any."""
    publication = newest_publication(session)
    return publication.content_version if publication else None


def content_of(row: ContentVersionRow) -> ContentPack:
    """The pack stored in a content version."""
    return pack_from_canonical(row.canonical, {p.name: p.data for p in row.pictures})


# --- visits ---------------------------------------------------------------------------------


def name_key(first_name: str, last_name: str) -> str:
    """Lower-case "first last" without accents, for searching names as people type them."""
    decomposed = unicodedata.normalize("NFKD", f"{first_name} {last_name}".casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Built once: building a statement costs about as much as running it.
_VERSION_ID = select(ContentVersionRow.id).where(ContentVersionRow.sha256 == bindparam("sha256"))
_INSERTS: dict[type[Base], Insert] = {
    model: insert(table_of(model))
    for model in (VisitRow, AnswerRow, SlideViewRow, ConsentAcknowledgementRow, FlagRow)
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


def insert_visit_rows(session: Session, rows: VisitRows) -> None:
    """Insert a visit's rows (from `visit_rows`) in the caller's transaction."""
    connection = session.connection()
    for model, table_rows in rows.items():
        if table_rows:
            connection.execute(_INSERTS[model], table_rows)


def store_finished_visit(session: Session, visit: Visit, *, station: str) -> None:
    """Add a finished visit and its audit entry: what a kiosk commits in one transaction."""
    save_visit(session, visit, station=station)
    record(
        session,
        kiosk_or_staff_audit_name(station, visit.assisted_by),
        AuditAction.VISIT_STORED,
        station=station,
        visit_id=visit.id,
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
    question_order = {q.id: n for n, q in enumerate(visit.content.questions)}
    slide_order = {s.id: n for n, s in enumerate(visit.content.slides)}
    statement_order = {s.id: n for n, s in enumerate(visit.content.consent_statements)}
    return {
        VisitRow: [
            {
                "id": visit.id,
                "content_version_id": content_version_id,
                "is_demo": False,
                "station": station,
                "ending": visit.ending.value,
                "language": visit.language,
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
    }


@lru_cache(maxsize=16)
def _content_words(canonical: bytes) -> ContentPack:
    # A stored record needs the text a visit saw, never its pictures (megabytes each),
    # and a version's text never changes: the desk opening and printing visit after
    # visit parses each version once.
    return pack_from_canonical(canonical, {})


def _ordered_rows(table: Table, *columns: str) -> Select[Any]:
    return (
        select(*(table.c[name] for name in columns))
        .where(table.c.visit_id == bindparam("visit_id"))
        .order_by(table.c.position)
    )


# Core statements built once (SQLAlchemy then reuses their compiled form): the ORM's
# relationship loading made opening a visit cost ten times the same queries through
# sqlite3 (bench/desk.py). Every time column still comes back as an aware UTC datetime.
_VISITS, _VERSIONS = table_of(VisitRow), table_of(ContentVersionRow)
_VISIT_WITH_CONTENT = (
    select(
        _VISITS,
        _VERSIONS.c.canonical.label("content_canonical"),
        _VERSIONS.c.sha256.label("content_sha256"),
        _VERSIONS.c.label.label("content_label"),
    )
    .join_from(_VISITS, _VERSIONS, _VISITS.c.content_version_id == _VERSIONS.c.id)
    .where(_VISITS.c.id == bindparam("visit_id"))
)
_ANSWERS = _ordered_rows(table_of(AnswerRow), "question_id", "answer", "answered_at")
_SLIDE_VIEWS = _ordered_rows(table_of(SlideViewRow), "slide_id", "seconds")
_ACKNOWLEDGEMENTS = _ordered_rows(
    table_of(ConsentAcknowledgementRow), "statement_id", "acknowledged_at"
)
_FLAGS = _ordered_rows(table_of(FlagRow), "sentence", "cleared_at")


def load_visit(session: Session, visit_id: str) -> VisitRecord | None:
    """The stored visit with this ID, with the text of the content version it used."""
    connection = session.connection()
    key = {"visit_id": visit_id}
    row = connection.execute(_VISIT_WITH_CONTENT, key).mappings().one_or_none()
    if row is None:
        return None
    pack = _content_words(row["content_canonical"])
    content_language = pack.language
    if row["language"] in pack.languages:
        # The questions and statements as this patient read them.
        pack = pack.in_language(row["language"])
    questions = {q.id: q for q in pack.questions}
    slides = {s.id: s for s in pack.slides}
    answers = connection.execute(_ANSWERS, key).all()
    slide_views = connection.execute(_SLIDE_VIEWS, key).all()
    acknowledged: dict[str, datetime] = {
        a.statement_id: a.acknowledged_at for a in connection.execute(_ACKNOWLEDGEMENTS, key)
    }
    flags = connection.execute(_FLAGS, key).all()
    return VisitRecord(
        id=row["id"],
        clinic_name=pack.clinic_name,
        content_version=row["content_sha256"],
        content_label=row["content_label"],
        is_demo=row["is_demo"],
        ending=Ending(row["ending"]),
        language=row["language"],
        content_language=content_language,
        started_at=row["started_at"],
        finished_at=row["finished_at"],
        first_name=row["first_name"],
        last_name=row["last_name"],
        date_of_birth=row["date_of_birth"],
        flags=tuple(flag.sentence for flag in flags),
        open_flags=tuple(flag.sentence for flag in flags if flag.cleared_at is None),
        reviewed_by=row["reviewed_by"],
        reviewed_at=row["reviewed_at"],
        review_note=row["review_note"],
        voided_by=row["voided_by"],
        voided_at=row["voided_at"],
        void_reason=row["void_reason"],
        assisted_by=row["assisted_by"],
        signed_on_paper_at=row["signed_on_paper_at"],
        answers=tuple(
            RecordedAnswer(
                questions[a.question_id].text,
                a.answer,
                a.answered_at,
                questions[a.question_id].raises_flag(a.answer),
                questions[a.question_id].answer_words(a.answer),
            )
            for a in answers
        ),
        acknowledgements=tuple(
            RecordedAcknowledgement(s.text, acknowledged.get(s.id)) for s in pack.consent_statements
        ),
        slides=tuple(RecordedSlide(slides[v.slide_id].title, v.seconds) for v in slide_views),
        signature_meaning=pack.signature_meaning,
        signed_name=row["signed_name"],
        signed_at=row["signed_at"],
        signature_png=row["signature_png"],
        typed_signature=row["typed_signature"],
        ride=RecordedRide(
            RideStatus(row["ride_status"]),
            row["ride_driver_name"],
            row["ride_phone"],
            row["ride_relationship"],
        ),
    )


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
    ).order_by(VisitRow.finished_at.desc(), VisitRow.id)
    if since is not None:
        query = query.where(VisitRow.finished_at >= since)
    for row in session.execute(query):
        visit_id, finished_at, first, last, born, ending, flag_count, is_demo = row
        yield VisitListing(
            visit_id, finished_at, first, last, born, Ending(ending), flag_count, is_demo
        )


def count_visits(session: Session, *, demo: bool) -> int:
    """How many stored visits are (or are not) demo data."""
    return (
        session.scalar(select(func.count()).select_from(VisitRow).where(VisitRow.is_demo == demo))
        or 0
    )


def content_in_use(
    session: Session, content_dir: Path | None, now: datetime
) -> tuple[ContentVersionRow, ContentPack]:
    """The content version new visits use, with its pack.

    Normally the newest published version; on a new database the bundled pack becomes
    version 1. A `content_dir` (development and trials) is stored as an unpublished
    version of its own, so its visits still say exactly what was shown, while the
    clinic's published content stays in use for everyone else.
    """
    newest = newest_content(session)
    if newest is None:
        bundled = load_pack(bundled_pack_dir())
        newest = publish_content(
            session, bundled, label="bundled default content", published_by="first start", now=now
        ).content_version
    if content_dir is None:
        return newest, content_of(newest)
    pack = load_pack(content_dir)
    trial = store_content(
        session,
        pack,
        label=f"trial from folder {content_dir.name}",
        stored_by="content folder",
        now=now,
    )
    return trial, pack
