"""The desk's search by part of a name: its names and their index stay right, and it finds
exactly what comparing every visit's name found."""

from __future__ import annotations

import logging
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from kiosk import backup, desk, name_search, retention
from kiosk.actor import Actor, Role, StaffMember
from kiosk.cli import main as kiosk_command
from kiosk.content import ContentPack
from kiosk.database import Database, migrate, open_database
from kiosk.models import VisitRow
from kiosk.patients import correct_details
from kiosk.visit_walk import ManualClock, walk_visit
from tests.conftest import PostgreSQLServer, store_visit
from tests.databases import made_at_revision

CHICAGO = ZoneInfo("America/Chicago")
CLERK = StaffMember(1, "maria", frozenset({Role.STAFF}))

# Names as patients type them: accents, apostrophes, case, ñ, hyphens, several words,
# letters NFKD does not take apart (ł, ß), and two spellings with one key.
TRICKY = [
    ("José", "García-Núñez"),
    ("ANA", "O'Brien"),
    ("ana", "o'brien"),
    ("María del Carmen", "Peña Ruiz"),
    ("Iñaki", "Muñoz"),
    ("Zoë", "D'Arcy-Smith"),
    ("Nguyễn", "Văn An"),
    ("Björn", "Straße"),
    ("Mary-Jane", "van der Berg"),
    ("Łukasz", "Żółć"),
    ("Chloé", "Ñúñez"),
    ("Ana", "Smith"),
]
TYPED = [
    "garcia",
    "GARCÍA",
    "García-Nú",
    "a-n",
    "o'b",
    "O'BRIEN",
    "d'arcy",
    "'",
    "peña",
    "pena",
    "PEÑA",
    "ñ",
    "n",
    "nu",
    "del carmen",
    "  van   der  ",
    "van der b",
    "straße",
    "strasse",
    "ß",
    "ss",
    "ł",
    "l",
    "żółć",
    "zolc",
    "nguyen van",
    "ễ",
    "a",
    "an",
    "ana",
    "ana s",
    "smith",
    "%",
    "_",
    "\\",
]


def by(clock: ManualClock) -> Actor:
    return Actor.staff(CLERK, station="desk-1", now=clock())


def check_in(
    database: Database,
    pack: ContentPack,
    clock: ManualClock,
    first: str,
    last: str,
    *,
    before_teach_back: bool = False,
) -> str:
    visit = walk_visit(pack, clock, first=first, last=last)
    if before_teach_back:
        # A kiosk from before migration 0019 asked no teach-back (it had no table for it).
        visit.teach_back.clear()
    store_visit(database, visit)
    clock.advance(60)
    return visit.id


def every_visits_name(database: Database, typed: str) -> tuple[list[str], int]:
    """What the search found before it had its own index: every visit's name compared."""
    key = desk.search_key(typed)
    with database.session() as session:
        ids = list(
            session.scalars(
                select(VisitRow.id)
                .where(VisitRow.name_key.like(name_search.like_pattern(key), escape="\\"))
                .order_by(VisitRow.finished_at.desc(), VisitRow.id)
            )
        )
    return ids, len(ids)


def searched(database: Database, typed: str, page_size: int = 500) -> tuple[list[str], int]:
    with database.session() as session:
        page = desk.search(session, desk.VisitQuery(text=typed, page_size=page_size), zone=CHICAGO)
    return [c.id for c in page.check_ins], page.total


def assert_names_in_step(database: Database) -> None:
    """The names table holds each visit's name once with its count, and nothing else; on
    SQLite its parts index agrees with it (FTS5's own check against its content)."""
    with database.session() as session:
        kept = dict(
            session.execute(
                select(name_search.VISIT_NAMES.c.name_key, name_search.VISIT_NAMES.c.visits)
            ).all()
        )
        stored = dict(
            session.execute(text("SELECT name_key, count(*) FROM visits GROUP BY name_key")).all()
        )
        assert kept == stored
        if database.engine.dialect.name == "sqlite":
            session.execute(
                text(
                    "INSERT INTO visit_name_parts (visit_name_parts, rank) "
                    "VALUES ('integrity-check', 1)"
                )
            )


def test_a_search_finds_exactly_what_comparing_every_visits_name_found(
    database: Database, pack: ContentPack, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    for first, last in TRICKY:
        check_in(database, pack, clock, first, last)
    check_in(database, pack, clock, "José", "García-Núñez")  # a name with two visits
    assert_names_in_step(database)
    keys = {desk.search_key(f"{first} {last}") for first, last in TRICKY}
    # Every part of every name, of one to five characters, and the parts typed above.
    parts = {
        key[start : start + size]
        for key in keys
        for size in range(1, 6)
        for start in range(len(key))
    }
    typed_parts = sorted(parts | set(TYPED))
    found_somewhere = 0
    for typed in typed_parts:
        expected = (
            every_visits_name(database, typed) if desk.search_key(typed) else searched(database, "")
        )
        assert searched(database, typed) == expected, typed
        found_somewhere += bool(expected[1])
    assert found_somewhere > 100
    # The same through the other way to a page: the newest visits read until it is full.
    monkeypatch.setattr(desk, "NAME_LOOKUP_LIMIT", 0)
    monkeypatch.setattr(desk, "ROW_COST", 0)
    for typed in TYPED:
        if desk.search_key(typed):
            assert searched(database, typed, page_size=2) == (
                every_visits_name(database, typed)[0][:2],
                every_visits_name(database, typed)[1],
            ), typed


def test_the_names_follow_every_store_correction_void_purge_and_restore(
    database: Database, pack: ContentPack, clock: ManualClock, tmp_path: Path
) -> None:
    old = check_in(database, pack, clock, "Quinn", "Zephyr")
    ana = check_in(database, pack, clock, "Ana", "Smith")
    assert_names_in_step(database)
    assert searched(database, "zeph") == ([old], 1)
    clock.advance(400 * 24 * 3600)
    newer = check_in(database, pack, clock, "Ana", "Smith")
    typo = check_in(database, pack, clock, "Luis", "Vegs")
    assert_names_in_step(database)
    with database.session() as session, session.begin():
        correct_details(session, typo, by(clock), last_name="Vega")
    assert_names_in_step(database)
    assert searched(database, "vegs") == ([], 0)
    assert searched(database, "vega") == ([typo], 1)
    with database.session() as session, session.begin():
        desk.void_visit(session, newer, "checked in twice", by(clock))
    assert_names_in_step(database)
    assert searched(database, "smith") == ([newer, ana], 2)

    assert database.url is not None
    url = database.url.render_as_string(hide_password=False)
    if database.engine.dialect.name == "sqlite":
        saved = tmp_path / "before-purge.sqlite3"
        backup.backup(url, saved)
    purged = retention.purge_older_than(database, 365, by(clock))
    assert purged.removed == 2
    assert_names_in_step(database)
    assert searched(database, "zeph") == ([], 0)
    assert searched(database, "smith") == ([newer], 1)
    if database.engine.dialect.name != "sqlite":
        return  # a server's restore runs PostgreSQL's own tools (tests/integration)
    # A visit stored after the backup is carried over by the restore; the backup's own
    # visits come back with it.
    later = check_in(database, pack, clock, "Bea", "Ortiz")
    database.close()
    backup.restore(url, saved, by=by(clock))
    restored = open_database(url)
    try:
        assert_names_in_step(restored)
        assert searched(restored, "ortiz") == ([later], 1)
        assert searched(restored, "zeph") == ([old], 1)
        assert searched(restored, "smith") == ([newer, ana], 2)
    finally:
        restored.close()


@pytest.mark.parametrize("database_engine", ["sqlite"])
def test_a_purged_name_leaves_nothing_in_the_parts_index(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    check_in(database, pack, clock, "Quinn", "Zephyr")
    clock.advance(400 * 24 * 3600)
    for first, last in (("Ana", "Smith"), ("Luis", "Vega"), ("Bob", "Lee")):
        check_in(database, pack, clock, first, last)
    # Parts of the name that no other name starts a part with, so the index's pages hold
    # them whole (FTS5 stores a term after the part it shares with the one before).
    unique_parts = (b"qui", b"zep")

    def index_pages() -> bytes:
        with database.engine.connect() as connection:
            return b"".join(
                bytes(block)
                for (block,) in connection.exec_driver_sql(
                    "SELECT block FROM visit_name_parts_data"
                )
                if block is not None
            )

    def names_matching(part: str) -> list[str]:
        with database.engine.connect() as connection:
            return [
                name
                for (name,) in connection.exec_driver_sql(
                    "SELECT name_key FROM visit_names WHERE id IN (SELECT rowid FROM "
                    f"visit_name_parts WHERE visit_name_parts MATCH '\"{part}\"')"
                )
            ]

    assert all(part in index_pages() for part in unique_parts)
    assert names_matching("zeph") == ["quinn zephyr"]
    assert retention.purge_older_than(database, 365, by(clock)).removed == 1
    assert names_matching("zeph") == []
    with database.engine.connect() as connection:
        assert (
            connection.exec_driver_sql(
                "SELECT count(*) FROM visit_names WHERE name_key LIKE '%zeph%'"
            ).scalar()
            == 0
        )
    assert not any(part in index_pages() for part in unique_parts)


def test_upgrading_indexes_the_names_already_stored(
    database_url: str, pack: ContentPack, clock: ManualClock
) -> None:
    old = made_at_revision(database_url, "0016")
    try:
        for first, last in (("José", "García"), ("José", "García"), ("Ana", "O'Brien")):
            check_in(old, pack, clock, first, last, before_teach_back=True)
        migrate(old.engine)
        assert_names_in_step(old)
        with old.session() as session:
            assert name_search.names_containing(session, "garc") == {"jose garcia": 2}
            assert name_search.names_containing(session, "o'") == {"ana o'brien": 1}
        check_in(old, pack, clock, "Ana", "O'Brien")
        assert_names_in_step(old)
    finally:
        old.close()


@pytest.mark.parametrize("database_engine", ["postgresql"])
def test_on_a_server_the_names_have_a_trigram_index_the_search_uses(
    database: Database, pack: ContentPack, clock: ManualClock
) -> None:
    check_in(database, pack, clock, "José", "García")
    with database.session() as session:
        indexes = session.execute(
            text("SELECT indexname FROM pg_indexes WHERE tablename = 'visit_names'")
        ).scalars()
        assert "ix_visit_names_name_key_parts" in set(indexes)
        # A handful of names: the planner would read them all; told not to, it can use
        # the index for the search's LIKE.
        session.execute(text("SET LOCAL enable_seqscan = off"))
        plan = session.execute(
            text(
                "EXPLAIN SELECT name_key, visits FROM visit_names "
                "WHERE name_key LIKE :pattern ESCAPE '\\'"
            ),
            {"pattern": "%garc%"},
        ).scalars()
        assert "ix_visit_names_name_key_parts" in "\n".join(plan)
        assert name_search.names_containing(session, "garc") == {"jose garcia": 1}


@pytest.mark.parametrize("database_engine", ["postgresql"])
def test_a_server_without_pg_trgm_for_its_owner_searches_all_names_and_says_so(
    database_engine: str,
    postgresql_server: PostgreSQLServer,
    pack: ContentPack,
    clock: ManualClock,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An owner who may make tables but not extensions (no CREATE on the database):
    `kiosk db init` still makes the database, logs and says what the search lacks, and
    `kiosk db upgrade` makes the index once a superuser has made the extension."""
    name, url = postgresql_server.new_database()
    role = f"{name}_owner"
    server = create_engine(postgresql_server.url, isolation_level="AUTOCOMMIT")
    as_superuser = create_engine(make_url(url), isolation_level="AUTOCOMMIT")
    database: Database | None = None
    try:
        with server.connect() as connection:
            connection.execute(
                text(f"CREATE ROLE {role} LOGIN CREATEROLE PASSWORD 'owner-password'")
            )
        with as_superuser.connect() as connection:
            connection.execute(text(f"GRANT USAGE, CREATE ON SCHEMA public TO {role}"))
            connection.execute(text("DROP EXTENSION IF EXISTS pg_trgm"))
        # As clinic IT runs it: the password in libpq's password file, not the URL.
        password_file = tmp_path / "pgpass"
        password_file.write_text(f"*:*:*:{role}:owner-password\n")
        password_file.chmod(0o600)
        monkeypatch.setenv("PGPASSFILE", str(password_file))
        owner_url = make_url(url).set(username=role)._replace(password=None)
        given = owner_url.render_as_string(hide_password=False)
        with caplog.at_level(logging.WARNING, logger="kiosk.name_search"):
            assert kiosk_command(["db", "init", given, "--settings-folder", str(tmp_path)]) == 0
        assert "the desk's name search reads every stored name" in caplog.text
        assert "pg_trgm" in caplog.text
        assert "The desk's name search compares every stored name" in capsys.readouterr().out
        database = open_database(given)
        check_in(database, pack, clock, "José", "García")
        check_in(database, pack, clock, "Ana", "Smith")
        assert_names_in_step(database)
        assert searched(database, "garc")[1] == 1
        assert searched(database, "a")[1] == 2
        # The extension made by a superuser: the next upgrade indexes the names.
        with as_superuser.connect() as connection:
            connection.execute(text("CREATE EXTENSION pg_trgm"))
        assert kiosk_command(["db", "upgrade", given]) == 0
        assert "Indexed the stored names for the desk's search" in capsys.readouterr().out
        with database.session() as session:
            indexes = session.execute(
                text("SELECT indexname FROM pg_indexes WHERE tablename = 'visit_names'")
            ).scalars()
            assert name_search.PARTS_INDEX in set(indexes)
        assert searched(database, "garc")[1] == 1
    finally:
        if database is not None:
            database.close()
        as_superuser.dispose()
        postgresql_server.drop(name)
        with server.connect() as connection:
            for kind in ("owner", "kiosk", "desk", "editor"):
                connection.execute(text(f"DROP ROLE IF EXISTS {name}_{kind}"))
        server.dispose()
