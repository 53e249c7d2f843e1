"""The database: the app's own connections, and migrations that agree with the models."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from kiosk import publishing
from kiosk.content import Answer, ContentPack
from kiosk.content_versions import content_in_use
from kiosk.database import (
    HEAD_REVISION,
    Database,
    DatabaseUnavailableError,
    connect_database,
    migrate,
    open_database,
    upgrade_database,
)
from kiosk.models import Base
from kiosk.name_search import is_kept_by_the_database
from kiosk.stored_visits import load_visit
from kiosk.visit import RideStatus, Visit
from kiosk.visit_walk import ManualClock, walk_visit
from tests.databases import made_at_revision


@pytest.mark.parametrize("database_engine", ["sqlite"])
def test_the_apps_own_connections_use_wal_full_sync_and_foreign_keys(database: Database) -> None:
    for _ in range(3):  # every pooled connection, not just the first
        with database.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


def test_models_and_migrations_agree(database: Database) -> None:
    with database.engine.connect() as connection:
        # The name search's tables are the database's own, kept by its triggers.
        context = MigrationContext.configure(
            connection,
            opts={
                "include_name": lambda name, kind, _parents: (
                    kind != "table" or not is_kept_by_the_database(name)
                )
            },
        )
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def _store_as_revision_0001_did(database: Database, pack: ContentPack, visit: Visit) -> None:
    """Write a visit with plain SQL into the tables as migration 0001 made them."""
    assert visit.details is not None
    when = "2026-11-02 15:00:00"
    statements = [
        (
            (
                "INSERT INTO content_versions"
                " (id, sha256, label, published_at, published_by, canonical)"
                " VALUES (1, :sha, 'bundled default content', :when, 'first start', :canonical)"
            ),
            {"sha": pack.version, "when": when, "canonical": pack.canonical_bytes()},
        ),
        *[
            (
                "INSERT INTO content_pictures (version_id, name, data) VALUES (1, :name, :data)",
                {"name": name, "data": data},
            )
            for name, data in sorted(pack.pictures.items())
        ],
        (
            (
                "INSERT INTO visits (id, content_version_id, is_demo, station, ending, language,"
                " started_at, finished_at, first_name, last_name, name_key, date_of_birth,"
                " ride_status, flag_count) VALUES (:id, 1, false, 'old-kiosk', 'completed', 'en',"
                " :when, :when, 'Ana', 'García', 'ana garcia', '1968-04-15', 'none_yet', 2)"
            ),
            {"id": visit.id, "when": when},
        ),
        *[
            (
                (
                    "INSERT INTO answers (visit_id, question_id, position, answer, answered_at)"
                    " VALUES (:id, :q, :n, :a, :when)"
                ),
                {
                    "id": visit.id,
                    "q": q.id,
                    "n": n,
                    "a": visit.answers[q.id].answer.value,
                    "when": when,
                },
            )
            for n, q in enumerate(visit.questions)
        ],
        *[
            (
                (
                    "INSERT INTO flags (visit_id, position, kind, question_id, answer, sentence)"
                    " VALUES (:id, :n, :kind, :q, :a, :sentence)"
                ),
                {
                    "id": visit.id,
                    "n": n,
                    "kind": f.kind.value,
                    "q": f.question_id,
                    "a": f.answer.value if f.answer else None,
                    "sentence": f.sentence,
                },
            )
            for n, f in enumerate(visit.flags)
        ],
    ]
    with database.engine.begin() as connection:
        for statement, values in statements:
            connection.execute(text(statement), values)


def test_upgrading_from_the_first_revision_keeps_a_stored_visit(
    database_url: str, pack: ContentPack, clock: ManualClock
) -> None:
    url = database_url
    old = made_at_revision(url, "0001")
    visit = walk_visit(pack, clock, answers={"pregnancy": Answer.YES}, ride=None)
    _store_as_revision_0001_did(old, pack, visit)
    old.close()
    assert upgrade_database(url) == "0001"  # `kiosk db upgrade`
    upgraded = open_database(url)
    with upgraded.session() as session, session.begin():
        record = load_visit(session, visit.id)
        row, in_use = content_in_use(session, None, clock())
    upgraded.close()
    assert record is not None
    assert (record.first_name, record.last_name) == ("Ana", "García")
    assert record.flags == tuple(f.sentence for f in visit.flags)
    assert [a.answer for a in record.answers] == [
        visit.answers[q.id].answer for q in visit.questions
    ]
    assert record.ride.status is RideStatus.NONE_YET
    # The old version is still the published content in use, not replaced.
    assert (row.id, in_use.version) == (1, pack.version)


def test_the_known_head_revision_is_alembics_head() -> None:
    from alembic.script import ScriptDirectory

    from kiosk.database import alembic_config

    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == HEAD_REVISION


@pytest.mark.parametrize("database_engine", ["postgresql"])
def test_the_apps_own_server_connections_give_up_on_slow_statements_and_locks(
    database: Database,
) -> None:
    from kiosk.database import BUSY_TIMEOUT_MS, STATEMENT_TIMEOUT_MS

    for _ in range(3):  # every pooled connection, not just the first
        with database.engine.connect() as connection:
            timeouts = connection.execute(
                text("SELECT current_setting('statement_timeout'), current_setting('lock_timeout')")
            ).one()
            assert tuple(timeouts) == (
                f"{STATEMENT_TIMEOUT_MS // 1000}s",
                f"{BUSY_TIMEOUT_MS // 1000}s",
            )


def test_a_server_that_never_answers_is_given_up_within_the_connect_timeout() -> None:
    """A hung network (the server's port open, nothing answering) ends in a plain error."""
    import socket
    import time

    from kiosk.database import CONNECT_TIMEOUT_S, DatabaseUnavailableError

    pytest.importorskip("psycopg")
    with socket.socket() as silent:
        # The kernel completes the connection; nobody ever reads it or answers.
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        began = time.monotonic()
        with pytest.raises(DatabaseUnavailableError) as refused:
            open_database(f"postgresql+psycopg://kiosk:secret@127.0.0.1:{port}/kiosk")
        waited = time.monotonic() - began
    assert CONNECT_TIMEOUT_S - 1 < waited < CONNECT_TIMEOUT_S + 3
    said = str(refused.value)
    assert said.startswith(
        f"the database at postgresql+psycopg://kiosk:***@127.0.0.1:{port}/kiosk cannot be opened:"
    )
    assert "timeout" in said
    assert "secret" not in said
    assert "\n" not in said.strip()


@pytest.mark.parametrize("database_engine", ["postgresql"])
def test_stations_reach_the_server_over_tls_and_check_its_certificate(
    database: Database, tmp_path: Path
) -> None:
    with database.engine.connect() as connection:
        encrypted = connection.execute(
            text("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        ).scalar()
    assert encrypted is True
    url = database.engine.url
    assert url.query["sslmode"] == "verify-full"
    # A server whose certificate was not signed by the authority the station trusts.
    stranger = tmp_path / "stranger-ca.crt"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=Someone else", "-keyout", str(tmp_path / "k"), "-out", str(stranger),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    elsewhere = url.update_query_dict({"sslrootcert": str(stranger)})
    with pytest.raises(DatabaseUnavailableError, match="certificate verify failed"):
        open_database(elsewhere.render_as_string(hide_password=False))


@pytest.mark.parametrize("database_engine", ["postgresql"])
def test_timeouts_the_url_sets_itself_win(database: Database) -> None:
    """Clinic IT tuning a slow link keeps its own settings; the kiosk adds only the rest."""
    own = database.engine.url.update_query_dict({"options": "-c statement_timeout=60000"})
    tuned = open_database(own.render_as_string(hide_password=False), busy_timeout_ms=2000)
    with tuned.engine.connect() as connection:
        timeouts = connection.execute(
            text("SELECT current_setting('statement_timeout'), current_setting('lock_timeout')")
        ).one()
    tuned.close()
    assert tuple(timeouts) == ("1min", "2s")


def _tables_and_revision(database: Database) -> tuple[list[tuple[str, str]], str | None]:
    with database.engine.connect() as connection:
        objects = connection.exec_driver_sql(
            "SELECT type, name FROM sqlite_master ORDER BY type, name"
        ).all()
        revision = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    return [(kind, name) for kind, name in objects], revision


def test_an_upgrade_that_fails_changes_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    old = connect_database(url)
    migrate(old.engine, "0001")
    # A visit whose content version is missing: the upgrade refuses to finish over it.
    with old.engine.begin() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.exec_driver_sql(
            "INSERT INTO visits (id, content_version_id, is_demo, station, ending, language,"
            " started_at, finished_at, first_name, last_name, name_key, date_of_birth,"
            " ride_status, flag_count) VALUES ('v1', 99, 0, 'old-kiosk', 'completed', 'en',"
            " '2026-11-02 15:00:00', '2026-11-02 15:00:00', 'Ana', 'García', 'ana garcia',"
            " '1968-04-15', 'none_yet', 0)"
        )
    before = _tables_and_revision(old)
    with pytest.raises(DatabaseUnavailableError, match="nothing was changed"):
        migrate(old.engine)
    # Every table the upgrade made or copied went with it: the file is as it was.
    assert _tables_and_revision(old) == before
    old.close()


def test_upgrading_gives_each_stored_visit_the_publish_it_saw(
    tmp_path: Path, pack: ContentPack
) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    old = made_at_revision(url, "0011")
    with old.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO content_versions (id, sha256, label, published_at, published_by,"
                " canonical) VALUES (1, :sha, 'first', '2026-11-01 09:00:00.000000', 'x', :c)"
            ),
            {"sha": pack.version, "c": pack.canonical_bytes()},
        )
        # Published on the 1st, restored on the 3rd (another text in between).
        for number, day in ((1, "01"), (2, "03")):
            connection.execute(
                text(
                    "INSERT INTO content_publications (id, content_version_id, label,"
                    " published_at, published_by) VALUES (:n, 1, 'p', :at, 'x')"
                ),
                {"n": number, "at": f"2026-11-{day} 09:00:00.000000"},
            )
        for visit_id, day in (("a", "02"), ("b", "04"), ("c", "05"), ("early", "01")):
            at = f"2026-11-{day} 08:00:00.000000"
            connection.execute(
                text(
                    "INSERT INTO visits (id, content_version_id, is_demo, station, ending,"
                    " language, started_at, finished_at, first_name, last_name, name_key,"
                    " date_of_birth, ride_status, flag_count, open_flag_count) VALUES (:id, 1,"
                    " 0, 'k', 'completed', 'en', :at, :at, 'A', 'B', 'a b', '1970-01-01',"
                    " 'arranged', 0, 0)"
                ),
                {"id": visit_id, "at": at},
            )
    old.close()
    assert upgrade_database(url) == "0011"  # the revision it found
    upgraded = open_database(url)
    with upgraded.session() as session:
        seen = dict(session.execute(text("SELECT id, content_publication_id FROM visits")).all())
        counted = [(v.number, v.visits) for v in publishing.versions(session)]
    upgraded.close()
    # Before any publish (a kiosk clock behind): the first publish of its text.
    assert seen == {"a": 1, "b": 2, "c": 2, "early": 1}
    assert counted == [(2, 2), (1, 2)]
