"""The front desk on a year of visits: today's list, a search by part of a name, opening a visit.

100,000 synthetic visits come from `kiosk demo-data` (the product's own generator), once
per run. Each sample is what the desk window runs for the action, in one transaction:

- today's list: the change marker and today's check-ins (the desk's refresh);
- search: the marker, the first 100 matches for part of a name, and the search's audit
  entry, committed;
- open a visit: the stored visit with everything stored with it, and the opening's
  audit entry, committed.

The baseline runs the same SQL through sqlite3 on the same file with the same pragmas,
and builds no objects from the rows.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select, true

from bench.measure import Row, Target
from kiosk import desk, name_search
from kiosk.actor import Actor, Role, StaffMember
from kiosk.database import (
    BUSY_TIMEOUT_MS,
    HEAD_REVISION,
    connect_database,
    init_database,
    migrate,
    open_database,
)
from kiosk.front_desk import FrontDesk
from kiosk.models import VisitRow
from kiosk.visit import Ending

ZONE = ZoneInfo("America/Chicago")
# Parts of names as staff type them; the demo names hold each a few thousand times.
NAME_PARTS = ("garc", "smit", "nguy", "okaf", "mull", "kowal", "dubo", "rene", "ana g", "jose")
STAFF = StaffMember(1, "bench", frozenset({Role.STAFF}))

CHECK_IN_COLUMNS = (
    "visits.id, visits.finished_at, visits.first_name, visits.last_name,"
    " visits.date_of_birth, visits.ending, visits.flag_count, visits.open_flag_count,"
    " visits.reviewed_at, visits.ride_status,"
    " coalesce((SELECT print_jobs.state FROM print_jobs WHERE print_jobs.visit_id = visits.id"
    " ORDER BY print_jobs.id DESC LIMIT 1), 'not_printed'), visits.voided_at, visits.is_demo"
)
ATTENTION_FIRST = (
    " ORDER BY (visits.open_flag_count > 0 AND visits.voided_at IS NULL) DESC,"
    " visits.finished_at DESC, visits.id"
)
# A search lists the newest first (`kiosk.desk.search`).
NEWEST_FIRST = " ORDER BY visits.finished_at DESC, visits.id"
MARKER = (
    # The visits counted from each name's count (`kiosk.desk.desk_marker`).
    (
        "SELECT (SELECT coalesce(sum(visit_names.visits), 0) FROM visit_names),"
        " (SELECT max(audit_entries.id) FROM audit_entries)"
    ),
    (
        "SELECT count(print_jobs.id), coalesce(sum(CASE WHEN print_jobs.state = 'completed'"
        " THEN 1 WHEN print_jobs.state = 'failed' THEN 1000 ELSE 0 END), 0) FROM print_jobs"
    ),
)
AUDIT = (
    # The database numbers and times an entry (migration 0008).
    "INSERT INTO audit_entries (actor, action, visit_id, station, detail)"
    " VALUES ('user:bench', ?, ?, 'bench-desk', ?)"
)


# The tables stored with a visit, in position order (answers first: visit_id,
# question_id, ...).
STORED_WITH_A_VISIT = (
    "answers",
    "slide_views",
    "consent_acknowledgements",
    "flags",
    "teach_back_answers",
)
# The scored questionnaires' items as the bundled content has them (PHQ-9, GAD-7).
MEASURE_ITEMS = (
    *(f"phq9-{n}" for n in range(1, 10)),
    "phq9-difficulty",
    *(f"gad7-{n}" for n in range(1, 8)),
    "gad7-difficulty",
)


def _moment(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def make_year_of_visits(database_file: Path, visits: int) -> float:
    """`kiosk demo-data --visits N` into a new file; returns the seconds it took."""
    script = Path(sys.executable).with_name("kiosk")
    start = time.perf_counter()
    init_database(f"sqlite:///{database_file}")  # `kiosk db init`
    subprocess.run(
        [
            str(script),
            "demo-data",
            "--visits",
            str(visits),
            "--database",
            f"sqlite:///{database_file}",
        ],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


class PlainDesk:
    """The desk's SQL through sqlite3: the baseline."""

    # On a server (bench/server.py) the names' index is pg_trgm's, under a plain LIKE.
    on_server = False

    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(path, isolation_level=None)
        self.connection.isolation_level = "DEFERRED"
        for pragma in (
            "journal_mode=WAL",
            "synchronous=FULL",
            "foreign_keys=ON",
            f"busy_timeout={BUSY_TIMEOUT_MS}",
            "secure_delete=ON",
        ):
            self.connection.execute(f"PRAGMA {pragma}")

    def _marker(self) -> None:
        for sql in MARKER:
            self.connection.execute(sql).fetchall()

    def todays_list(self, now: datetime) -> int:
        """Marker, then today's check-ins."""
        start = datetime.combine(now.astimezone(ZONE).date(), datetime.min.time(), tzinfo=ZONE)
        with self.connection:
            self._marker()
            rows = self.connection.execute(
                f"SELECT {CHECK_IN_COLUMNS} FROM visits WHERE visits.finished_at >= ?"
                f" AND visits.finished_at < ?{ATTENTION_FIRST}",
                (_moment(start), _moment(start + timedelta(days=1))),
            ).fetchall()
        return len(rows)

    def search(self, part: str, now: datetime) -> int:
        """Marker; the matching names with their counts from `visit_names` (through the
        parts index); the first 100 matches, read by name through the (name, finish time,
        ID) index when they are few, else the newest visits until 100 match; the audit
        entry; committed. As `kiosk.desk.search` decides, with the same SQL."""
        pattern = f"%{part}%"
        with self.connection:
            self._marker()
            if len(part) >= name_search.SHORTEST_INDEXED_PART and not self.on_server:
                found = self.connection.execute(
                    "SELECT name_key, visits FROM visit_names WHERE id IN (SELECT rowid FROM"
                    " visit_name_parts WHERE visit_name_parts MATCH ?)"
                    " AND name_key LIKE ? ESCAPE '\\'",
                    (f'"{part}"', pattern),
                ).fetchall()
            else:
                found = self.connection.execute(
                    "SELECT name_key, visits FROM visit_names WHERE name_key LIKE ? ESCAPE '\\'",
                    (pattern,),
                ).fetchall()
            total = sum(n for _, n in found)
            few = total <= desk.NAME_LOOKUP_LIMIT or (
                len(found) <= desk.MOST_NAMES_LISTED
                and total * total
                <= desk.ROW_COST
                * 100
                * self.connection.execute("SELECT sum(visits) FROM visit_names").fetchone()[0]
            )
            if few:
                names = [name for name, _ in found]
                rows = self.connection.execute(
                    f"SELECT {CHECK_IN_COLUMNS} FROM visits WHERE visits.id IN (SELECT visits.id"
                    f" FROM visits WHERE visits.name_key IN ({', '.join('?' * len(names))})"
                    f"{NEWEST_FIRST} LIMIT 100 OFFSET 0){NEWEST_FIRST}",
                    names,
                ).fetchall()
            else:
                rows = self.connection.execute(
                    f"SELECT {CHECK_IN_COLUMNS} FROM visits WHERE visits.name_key LIKE ?"
                    f" ESCAPE '\\'{NEWEST_FIRST} LIMIT 100 OFFSET 0",
                    (pattern,),
                ).fetchall()
            self.connection.execute(
                AUDIT,
                ("visits_searched", None, f"by name or birth date; {total} found"),
            )
        return len(rows)

    def search_before_0017(self, part: str, now: datetime) -> int:
        """The search's SQL before migration 0017: every visit's name compared for the
        matching names, then the page by name or by one pass over the table."""
        pattern = f"%{part}%"
        with self.connection:
            self._marker()
            found = self.connection.execute(
                "SELECT visits.name_key, count(*) FROM visits WHERE visits.name_key LIKE ?"
                " ESCAPE '\\' GROUP BY visits.name_key",
                (pattern,),
            ).fetchall()
            total = sum(n for _, n in found)
            if total <= 15_000:
                names = [name for name, _ in found]
                where = f"visits.name_key IN ({', '.join('?' * len(names))})"
                parameters: tuple[object, ...] = tuple(names)
            else:
                where, parameters = "visits.name_key LIKE ? ESCAPE '\\'", (pattern,)
            rows = self.connection.execute(
                f"SELECT {CHECK_IN_COLUMNS} FROM visits WHERE {where}{NEWEST_FIRST}"
                " LIMIT 100 OFFSET 0",
                parameters,
            ).fetchall()
            self.connection.execute(
                AUDIT,
                ("visits_searched", None, f"by name or birth date; {total} found"),
            )
        return len(rows)

    def open_visit(self, visit_id: str, now: datetime) -> None:
        """What the desk must ask to show a visit: the visit and its content's words,
        everything stored with it, and for a visit with scored questionnaires the
        patient's newest visits' answers to them (their trend); the audit entry."""
        with self.connection:
            visit = self.connection.execute(
                "SELECT visits.patient_id, visits.finished_at, visits.*, content_versions.*"
                " FROM visits JOIN content_versions"
                " ON content_versions.id = visits.content_version_id WHERE visits.id = ?",
                (visit_id,),
            ).fetchone()
            answers, *_ = (
                self.connection.execute(
                    f"SELECT * FROM {table} WHERE visit_id = ? ORDER BY position", (visit_id,)
                ).fetchall()
                for table in STORED_WITH_A_VISIT
            )
            self.connection.execute(
                "SELECT * FROM detail_corrections WHERE visit_id = ? ORDER BY id", (visit_id,)
            ).fetchall()
            patient_id, finished_at = visit[0], visit[1]
            if patient_id is not None and any(row[1] in MEASURE_ITEMS for row in answers):
                self._trend(patient_id, finished_at)
            self.connection.execute(AUDIT, ("visit_opened", visit_id, ""))

    def _trend(self, patient_id: int, up_to: object) -> None:
        # The versions the patient saw, their ten newest visits (and two), those visits'
        # answers to the measures: what the kiosk reads when every visit asks them.
        self.connection.execute(
            "SELECT id, sha256 FROM content_versions WHERE id IN"
            " (SELECT DISTINCT content_version_id FROM visits WHERE patient_id = ?)",
            (patient_id,),
        ).fetchall()
        newest = self.connection.execute(
            "SELECT id, finished_at, content_version_id FROM visits WHERE patient_id = ?"
            " AND voided_at IS NULL AND finished_at <= ?"
            " ORDER BY finished_at DESC, id DESC LIMIT 12",
            (patient_id, up_to),
        ).fetchall()
        marks = ", ".join("?" * len(newest))
        items = ", ".join("?" * len(MEASURE_ITEMS))
        self.connection.execute(
            f"SELECT visit_id, question_id, answer FROM answers WHERE visit_id IN ({marks})"
            f" AND question_id IN ({items})",
            (*(row[0] for row in newest), *MEASURE_ITEMS),
        ).fetchall()


def _alternate(
    ours: Callable[[int], object], theirs: Callable[[int], object], times: int
) -> tuple[list[float], list[float]]:
    mine: list[float] = []
    plain: list[float] = []
    for n in range(times + 3):
        # Each side goes first every other time: the first to read a visit's pages pays
        # for reading them from the disk (a million visits are not all in memory).
        first, second = (ours, theirs) if n % 2 == 0 else (theirs, ours)
        start = time.perf_counter()
        first(n)
        middle = time.perf_counter()
        second(n)
        end = time.perf_counter()
        if n >= 3:  # the first few warm the file cache and SQLAlchemy's statement cache
            went_first, went_second = (middle - start) * 1000, (end - middle) * 1000
            mine.append(went_first if n % 2 == 0 else went_second)
            plain.append(went_second if n % 2 == 0 else went_first)
    return mine, plain


# Where the ten-clinic decade is kept between runs (bulk SQL still takes a minute).
CACHE = Path(__file__).resolve().parent / ".cache"
# The visits `kiosk demo-data` makes for the decade; the rest are copies of them.
DECADE_SEED_VISITS = 10_000


def make_decade_of_visits(visits: int, workdir: Path) -> Path:
    """A ten-clinic group's decade: `visits` visits, cached by schema revision.

    `kiosk demo-data` makes the first 10,000 (with answers, signatures and all); bulk SQL
    copies their rows under new IDs, each copy a few weeks further back, without the
    signature's ink and without answers (no desk action here reads a copy's answers: the
    visits opened are among the first 10,000). Names, dates of birth, flags, endings and
    reviews are the demo's, so searches match as many rows as they would.
    """
    cached = CACHE / f"desk-{visits}-visits-schema-{HEAD_REVISION}.sqlite3"
    if cached.exists():
        return cached
    CACHE.mkdir(exist_ok=True)
    older = sorted(CACHE.glob(f"desk-{visits}-visits-schema-*.sqlite3"))
    if older:
        # An earlier revision's file, upgraded as `kiosk db upgrade` upgrades a clinic's.
        shutil.copyfile(older[-1], workdir / "decade-upgrading.sqlite3")
        (workdir / "decade-upgrading.sqlite3").chmod(0o660)  # as `kiosk db init` makes it
        upgrading = connect_database(f"sqlite:///{workdir / 'decade-upgrading.sqlite3'}")
        start = time.perf_counter()
        migrate(upgrading.engine)
        upgrading.close()
        print(f"  ({older[-1].name} upgraded in {time.perf_counter() - start:.0f} s)", flush=True)
        (workdir / "decade-upgrading.sqlite3").replace(cached)
        return cached
    seed = workdir / "decade-seed.sqlite3"
    make_year_of_visits(seed, DECADE_SEED_VISITS)
    connection = sqlite3.connect(seed, isolation_level=None)
    columns = [row[1] for row in connection.execute("PRAGMA table_info(visits)")]
    moved = {
        "id": "printf('%08x', :copy) || substr(id, 9)",
        "started_at": "datetime(started_at, printf('-%d days', 36 * :copy))",
        "finished_at": "datetime(finished_at, printf('-%d days', 36 * :copy))",
        "signature_png": "NULL",
        "signature_strokes": "NULL",
    }
    chosen = ", ".join(moved.get(column, column) for column in columns)
    copy = (
        f"INSERT INTO visits ({', '.join(columns)}) SELECT {chosen} FROM visits"
        f" WHERE rowid <= {DECADE_SEED_VISITS}"
    )
    connection.execute("BEGIN")
    for number in range(1, visits // DECADE_SEED_VISITS):
        connection.execute(copy, {"copy": number})
    connection.execute("COMMIT")
    connection.close()
    seed.replace(cached)
    return cached


def run(workdir: Path, *, quick: bool) -> list[Row]:
    """Generate the year, then time each desk action against its sqlite3 twin; then the
    same on a ten-clinic group's decade (1,000,000 visits, 100,000 in a quick run)."""
    visits = 10_000 if quick else 100_000
    database_file = workdir / "year-of-visits.sqlite3"
    seconds = make_year_of_visits(database_file, visits)
    print(f"  ({visits:,} demo visits generated in {seconds:.0f} s)", flush=True)
    rows = _desk_rows(database_file, visits, times=30 if quick else 100)
    decade = 100_000 if quick else 1_000_000
    start = time.perf_counter()
    decade_file = make_decade_of_visits(decade, workdir)
    print(
        f"  ({decade:,} visits ready in {time.perf_counter() - start:.0f} s: {decade_file})",
        flush=True,
    )
    return rows + _desk_rows(decade_file, decade, times=30 if quick else 60, scale=True)


def run_decade(workdir: Path, *, quick: bool) -> list[Row]:
    """Only the ten-clinic group's decade (`--only desk-decade`): its three actions, and
    the search's SQL before migration 0017 in the same run for comparison."""
    decade = 100_000 if quick else 1_000_000
    start = time.perf_counter()
    decade_file = make_decade_of_visits(decade, workdir)
    print(
        f"  ({decade:,} visits ready in {time.perf_counter() - start:.0f} s: {decade_file})",
        flush=True,
    )
    return _desk_rows(decade_file, decade, times=30 if quick else 60, scale=True)


def _desk_rows(database_file: Path, visits: int, *, times: int, scale: bool = False) -> list[Row]:
    database = open_database(f"sqlite:///{database_file}")
    plain = PlainDesk(database_file)
    now = datetime.now(UTC)
    chooser = random.Random(9)
    with database.session() as session:
        # At scale, among the visits stored whole (the copies have no answers).
        whole = VisitRow.signature_strokes.is_not(None) if scale else true()
        all_ids = [row[0] for row in session.execute(select(VisitRow.id).where(whole))]
    to_open = chooser.sample(all_ids, times + 3)

    def action() -> Actor:
        return Actor.staff(STAFF, station="bench-desk", now=datetime.now(UTC))

    def todays_list(_: int) -> None:
        with database.session() as session, session.begin():
            desk.desk_marker(session)
            desk.todays_check_ins(session, zone=ZONE, now=now)

    def search(n: int) -> None:
        wanted = desk.VisitQuery(text=NAME_PARTS[n % len(NAME_PARTS)], page_size=100)
        with database.session() as session, session.begin():
            desk.desk_marker(session)
            page = desk.search(session, wanted, zone=ZONE)
            desk.audit_search(session, wanted, page.total, action())
        assert page.total > 0

    # Opened as the desk window opens one: through the front desk's operation.
    front_desk = FrontDesk(database, zone=ZONE, paper_size="letter")

    def open_one(n: int) -> None:
        record = front_desk.open_visit(to_open[n], action())
        assert record.ending in Ending

    rows = []
    for label, ours, theirs in (
        ("desk: today's list", todays_list, lambda _: plain.todays_list(now)),
        (
            "desk: search part of a name (first 100)",
            search,
            lambda n: plain.search(NAME_PARTS[n % len(NAME_PARTS)], now),
        ),
        ("desk: open a visit", open_one, lambda n: plain.open_visit(to_open[n], now)),
    ):
        mine, base = _alternate(ours, theirs, times)
        rows.append(
            Row(
                f"{label} ({visits // 1000:,}k visits)",
                tuple(mine),
                tuple(base),
                # At scale the issue asks only for the median (first page only).
                Target(median_ms=50) if scale else Target(median_ms=50, ratio=2),
            )
        )
        if scale and ours is search:
            # The same parts through the SQL before migration 0017, beside the same
            # run's: what the names table and its index changed, under the same load.
            before, now_plain = _alternate(
                lambda n: plain.search_before_0017(NAME_PARTS[n % len(NAME_PARTS)], now),
                theirs,
                times,
            )
            rows.append(
                Row(
                    f"  the SQL before 0017 ({visits // 1000:,}k visits)",
                    tuple(before),
                    tuple(now_plain),
                    Target(text="ratio: before / now (sqlite3 both)"),
                )
            )
    database.close()
    plain.connection.close()
    return rows
