"""A first start or an upgrade killed at any moment leaves the schema as it was, or done.

Each run forks a child from a process that has already loaded SQLAlchemy, Alembic and the
migrations, so the child starts migrating at once; it is killed (SIGKILL) at a random
moment of the time a whole migration takes. Every database must then be at the revision
it started from with exactly that revision's tables, or at the newest with the newest's,
and open and upgrade as any other.
"""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kiosk.database import HEAD_REVISION, connect_database, migrate

KILLS = 25

# Reads "path revision delay" lines; forks a child that migrates `path` to `revision`,
# kills it after `delay` seconds (a negative delay: lets it finish) and answers how long
# it ran and whether it was killed. Only this process kills, and only its own children.
FORKER = textwrap.dedent("""
    import os, signal, sys, time
    sys.path.insert(0, sys.argv[1])
    from kiosk.database import connect_database, migrate

    warm = connect_database("sqlite://")
    migrate(warm.engine)  # loads every migration script before the first fork
    warm.close()
    print("ready", flush=True)
    for line in sys.stdin:
        path, revision, delay = line.split()
        started = time.monotonic()
        child = os.fork()
        if child == 0:
            database = connect_database(f"sqlite:///{path}")
            migrate(database.engine, revision)
            os._exit(0)
        if float(delay) >= 0:
            time.sleep(float(delay))
            os.kill(child, signal.SIGKILL)
        _, status = os.waitpid(child, 0)
        killed = os.WIFSIGNALED(status)
        print(f"{time.monotonic() - started:.4f} {'killed' if killed else 'finished'}", flush=True)
""")

Schema = frozenset[tuple[str, str, tuple[str, ...]]]


def schema_of(path: Path) -> tuple[str | None, Schema]:
    """The revision the file says it is at, and every table, index and trigger in it."""
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        names = connection.execute(
            "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        ).fetchall()
        objects = frozenset(
            (
                kind,
                name,
                tuple(row[1] for row in connection.execute(f'PRAGMA table_info("{name}")'))
                if kind == "table"
                else (),
            )
            for kind, name in names
        )
        revision = None
        if any(name == "alembic_version" for _, name in names):
            rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
            revision = rows[0][0] if rows else None
        return revision, objects
    finally:
        connection.close()


def migrated_file(path: Path, revision: str | None) -> Path:
    database = connect_database(f"sqlite:///{path}")
    try:
        if revision is not None:
            migrate(database.engine, revision)
    finally:
        database.close()
    return path


def store_a_visit_at_0001(path: Path) -> None:
    """Rows in the tables the upgrade copies, so it moves data as a real one does."""
    connection = sqlite3.connect(path)
    try:
        connection.execute(
            "INSERT INTO content_versions (id, sha256, label, published_at, published_by,"
            " canonical) VALUES (1, 'abc', 'first', '2026-11-02 15:00:00', 'first start', x'00')"
        )
        connection.execute(
            "INSERT INTO visits (id, content_version_id, is_demo, station, ending, language,"
            " started_at, finished_at, first_name, last_name, name_key, date_of_birth,"
            " ride_status, flag_count) VALUES ('v1', 1, 0, 'old-kiosk', 'completed', 'en',"
            " '2026-11-02 15:00:00', '2026-11-02 15:00:00', 'Ana', 'García', 'ana garcia',"
            " '1968-04-15', 'none_yet', 1)"
        )
        connection.execute(
            "INSERT INTO flags (visit_id, position, kind, sentence)"
            " VALUES ('v1', 0, 'no_ride_home', 'No ride home arranged yet.')"
        )
        connection.commit()
    finally:
        connection.close()


def broken_after_kills(tmp_path: Path, start: str | None) -> tuple[list[str], int]:
    """Kill migrations from `start` (None: an empty file) to the head; what did not survive.

    Returns one line per broken database and how many children were killed mid-way.
    """
    root = Path(__file__).resolve().parents[2]
    old = migrated_file(tmp_path / "old.sqlite3", start)
    if start == "0001":
        store_a_visit_at_0001(old)
    new = migrated_file(tmp_path / "new.sqlite3", HEAD_REVISION)
    expected = {start: schema_of(old)[1], HEAD_REVISION: schema_of(new)[1]}
    forker = subprocess.Popen(
        [sys.executable, "-c", FORKER, str(root)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert forker.stdin is not None
    assert forker.stdout is not None
    broken: list[str] = []
    killed = 0
    try:
        assert forker.stdout.readline().strip() == "ready"

        def run(path: Path, delay: float) -> tuple[float, bool]:
            assert forker.stdin is not None
            assert forker.stdout is not None
            forker.stdin.write(f"{path} head {delay}\n")
            forker.stdin.flush()
            took, outcome = forker.stdout.readline().split()
            return float(took), outcome == "killed"

        # How long one whole migration takes on this machine, now: the kills land within it.
        whole = max(run(make_copy(old, tmp_path / f"whole{n}.sqlite3"), -1)[0] for n in range(2))
        rng = random.Random(19)
        for n in range(KILLS):
            path = make_copy(old, tmp_path / f"killed{n}.sqlite3")
            _, was_killed = run(path, rng.uniform(0.0, whole))
            killed += was_killed
            try:
                revision, objects = schema_of(path)
                if expected.get(revision) != objects:
                    broken.append(f"#{n}: says {revision}, holds other tables or columns")
                reopened = connect_database(f"sqlite:///{path}")
                try:
                    migrate(reopened.engine)
                finally:
                    reopened.close()
            except Exception as error:  # noqa: BLE001 - any failure is what is counted
                broken.append(f"#{n}: does not open: {type(error).__name__}: {error}"[:200])
    finally:
        forker.stdin.close()
        forker.wait(timeout=60)
        forker.stdout.close()
    return broken, killed


def make_copy(source: Path, target: Path) -> Path:
    target.touch(mode=0o600)  # as the kiosk makes its files, or opening it warns
    target.write_bytes(source.read_bytes())
    return target


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="fork and SIGKILL are POSIX only")
@pytest.mark.parametrize("start", [None, "0001"], ids=["first-start", "upgrade-from-0001"])
def test_a_migration_killed_at_any_moment_leaves_the_old_schema_or_the_new(
    tmp_path: Path, start: str | None
) -> None:
    broken, killed = broken_after_kills(tmp_path, start)
    assert broken == [], f"{len(broken)} of {KILLS} databases broken:\n" + "\n".join(broken)
    # Enough children really died mid-way, or the test proved nothing.
    assert killed >= KILLS // 4
