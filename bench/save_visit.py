"""Saving a finished visit: the kiosk's whole durable transaction, against plain sqlite3.

Both write the same rows to their own copy of the kiosk's schema, with the same
pragmas (WAL, synchronous=FULL, foreign keys, secure_delete), and commit: on disk
before the patient is told it is saved. Both ask what the kiosk must ask first (is the
visit stored already, which version is its text, which publish did it see) and write
the same audit entry. Saves alternate, so noise hits both alike.
"""

from __future__ import annotations

import json
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.measure import Row, Target
from bench.visits import finished_visit
from kiosk.content_versions import content_in_use
from kiosk.database import BUSY_TIMEOUT_MS, init_database, open_database
from kiosk.stored_visits import name_key, publication_seen, store_finished_visit
from kiosk.visit import Visit


def _moment(value: datetime | None) -> str | None:
    # How SQLAlchemy stores the kiosk's UTC times in SQLite.
    return None if value is None else value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _read_moment(value: str | datetime) -> datetime:
    # sqlite3 gives back the stored text, psycopg (bench/server.py) a naive datetime.
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=UTC)


def save_with_sqlite3(connection: sqlite3.Connection, visit: Visit, station: str) -> bool:
    """The same rows as `store_finished_visit`, written with the standard library.

    As the kiosk does: nothing when the visit is stored already (False), and the visit
    is given the publish of its text that it saw.
    """
    details, consent, ride = visit.details, visit.consent, visit.ride_home
    assert details is not None
    assert consent is not None
    assert ride is not None
    assert visit.ending is not None
    assert visit.started_at is not None
    content = visit.content
    flags = visit.flags
    with connection:
        if connection.execute("SELECT 1 FROM visits WHERE id = ?", (visit.id,)).fetchone():
            return False
        (version_id,) = connection.execute(
            "SELECT id FROM content_versions WHERE sha256 = ?", (content.version,)
        ).fetchone()
        publications = [
            (number, _read_moment(at))
            for number, at in connection.execute(
                "SELECT id, published_at FROM content_publications WHERE content_version_id = ?",
                (version_id,),
            )
        ]
        connection.execute(
            "INSERT INTO visits (id, content_version_id, is_demo, station, ending, language,"
            " started_at, finished_at, first_name, last_name, name_key, date_of_birth,"
            " answers_confirmed_at, signed_name, signed_at, signature_png, signature_strokes,"
            " ride_status, ride_driver_name, ride_phone, ride_relationship, flag_count,"
            " open_flag_count, updated_at, assisted_by, signed_on_paper_at,"
            " content_publication_id, flow, typed_signature)"
            " VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            " NULL, NULL, ?, ?, NULL)",
            (
                visit.id,
                version_id,
                station,
                visit.ending.value,
                content.language,
                _moment(visit.started_at),
                _moment(visit.finished_at),
                details.first_name,
                details.last_name,
                name_key(details.first_name, details.last_name),
                details.date_of_birth.isoformat(),
                _moment(visit.answers_confirmed_at),
                consent.signed_name,
                _moment(consent.signed_at),
                consent.png,
                json.dumps(consent.signature.as_data()),
                visit.ride_status.value,
                ride.driver_name,
                ride.phone,
                ride.relationship,
                len(flags),
                len(flags),
                _moment(visit.finished_at),
                publication_seen(publications, visit.started_at),
                visit.flow.value,
            ),
        )
        measure_items = [i for m in content.measures for i in m.item_ids()]
        order = {q: n for n, q in enumerate([*(q.id for q in content.questions), *measure_items])}
        connection.executemany(
            "INSERT INTO answers (visit_id, question_id, position, answer, answered_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [
                (visit.id, q, order[q], str(g.answer), _moment(g.answered_at))
                for q, g in visit.answers.items()
            ],
        )
        order = {s.id: n for n, s in enumerate(content.slides)}
        connection.executemany(
            "INSERT INTO slide_views (visit_id, slide_id, position, seconds) VALUES (?, ?, ?, ?)",
            [(visit.id, s, order[s], round(x, 3)) for s, x in visit.slide_seconds.items()],
        )
        order = {s.id: n for n, s in enumerate(content.consent_statements)}
        connection.executemany(
            "INSERT INTO consent_acknowledgements (visit_id, statement_id, position,"
            " acknowledged_at) VALUES (?, ?, ?, ?)",
            [(visit.id, s, order[s], _moment(w)) for s, w in visit.acknowledged.items()],
        )
        connection.executemany(
            "INSERT INTO flags (visit_id, position, kind, question_id, answer, sentence)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [
                (
                    visit.id,
                    n,
                    f.kind.value,
                    f.question_id,
                    str(f.answer) if f.answer is not None else None,
                    f.sentence,
                )
                for n, f in enumerate(flags)
            ],
        )
        order = {q.id: n for n, q in enumerate(content.teach_back)}
        connection.executemany(
            "INSERT INTO teach_back_answers (visit_id, question_id, position, result,"
            " first_answer, answer_after_review) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (
                    visit.id,
                    q,
                    order[q],
                    a.result.value,
                    str(a.first_answer),
                    str(a.answer_after_review) if a.answer_after_review is not None else None,
                )
                for q, a in visit.teach_back.items()
            ],
        )
        connection.execute(
            "INSERT INTO audit_entries (actor, action, visit_id, station, detail)"
            " VALUES (?, 'visit_stored', ?, ?, '')",
            (f"kiosk:{station}", visit.id, station),
        )
    return True


def _sqlite3_connection(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.isolation_level = "DEFERRED"
    for pragma in (
        "journal_mode=WAL",
        "synchronous=FULL",
        "foreign_keys=ON",
        f"busy_timeout={BUSY_TIMEOUT_MS}",
        "secure_delete=ON",
    ):
        connection.execute(f"PRAGMA {pragma}")
    return connection


def run(workdir: Path, *, quick: bool) -> list[Row]:
    """Alternate a kiosk save and a sqlite3 save of a different, equal visit."""
    count = 40 if quick else 200
    init_database(f"sqlite:///{workdir / 'save-kiosk.sqlite3'}")
    product = open_database(f"sqlite:///{workdir / 'save-kiosk.sqlite3'}")
    plain_path = workdir / "save-sqlite3.sqlite3"
    init_database(f"sqlite:///{plain_path}")
    plain_schema = open_database(f"sqlite:///{plain_path}")
    with product.session() as session, session.begin():
        _, pack = content_in_use(session, None, datetime.now(UTC))
    with plain_schema.session() as session, session.begin():
        content_in_use(session, None, datetime.now(UTC))
    plain_schema.close()
    plain = _sqlite3_connection(plain_path)
    visits = [finished_visit(pack, n, flagged=n % 5 == 0) for n in range(2 * (count + 5))]
    ours: list[float] = []
    theirs: list[float] = []
    for n in range(count + 5):
        mine, other = visits[2 * n], visits[2 * n + 1]
        start = time.perf_counter()
        with product.engine.begin() as connection:  # as the check-in service stores it
            store_finished_visit(connection, mine, station="bench")
        middle = time.perf_counter()
        save_with_sqlite3(plain, other, "bench")
        end = time.perf_counter()
        if n >= 5:  # the first few warm up the connection and SQLAlchemy's caches
            ours.append((middle - start) * 1000)
            theirs.append((end - middle) * 1000)
    plain.close()
    product.close()
    return [Row("save a finished visit (durable)", tuple(ours), tuple(theirs), Target(ratio=1.5))]
