"""A restore killed at any moment leaves the database as it was, or restored whole."""

from __future__ import annotations

import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kiosk.database import open_database
from kiosk.stored_visits import load_visit
from tests.integration.running import kiosk
from tests.integration.test_backup import store_check_ins

# `kiosk restore` puts a SQLite file in the database's place; a server has pg_restore.
pytestmark = pytest.mark.parametrize("database_engine", ["sqlite"])

KILLS = 20

# Reads "database backup delay" lines; forks a child that restores the backup over the
# database, kills it after `delay` seconds (negative: lets it finish) and answers how
# long it ran and whether it was killed. Only this process kills, and only its children.
FORKER = textwrap.dedent("""
    import os, signal, sys, time
    from datetime import UTC, datetime
    from pathlib import Path
    sys.path.insert(0, sys.argv[1])
    from kiosk.actor import Actor
    from kiosk.backup import check_backup, restore

    check_backup(Path(sys.argv[2]), "sqlite://")  # loads the migrations before any fork
    print("ready", flush=True)
    for line in sys.stdin:
        database, backup, delay = line.split()
        started = time.monotonic()
        child = os.fork()
        if child == 0:
            by = Actor.command_line(station="test", now=datetime.now(UTC))
            restore(f"sqlite:///{database}", Path(backup), by=by)
            os._exit(0)
        if float(delay) >= 0:
            time.sleep(float(delay))
            os.kill(child, signal.SIGKILL)
        _, status = os.waitpid(child, 0)
        killed = os.WIFSIGNALED(status)
        print(f"{time.monotonic() - started:.4f} {'killed' if killed else 'finished'}", flush=True)
""")


def held(path: Path) -> tuple[set[str], list[str]]:
    """The visits and the audit trail's actions, from a file that must be whole."""
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        visits = {row[0] for row in connection.execute("SELECT id FROM visits")}
        actions = [row[0] for row in connection.execute("SELECT action FROM audit_entries")]
        return visits, actions
    finally:
        connection.close()


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="fork and SIGKILL are POSIX only")
def test_a_restore_killed_at_any_moment_leaves_the_database_as_it_was_or_restored(
    home: Path, db: str
) -> None:
    root = Path(__file__).resolve().parents[2]
    store_check_ins(db, "Monday")
    kiosk("backup", str(home / "monday.sqlite3"), "--database", db, home=home, check=True)
    store_check_ins(db, "Tuesday", "Wednesday")
    template = home / "clinic.sqlite3"
    before = held(template)
    forker = subprocess.Popen(
        [sys.executable, "-c", FORKER, str(root), str(home / "monday.sqlite3")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert forker.stdin is not None
    assert forker.stdout is not None

    def run(n: int, delay: float) -> tuple[Path, float, bool]:
        assert forker.stdin is not None
        assert forker.stdout is not None
        folder = home / f"run{n}"
        folder.mkdir()
        database = folder / "clinic.sqlite3"
        shutil.copy(template, database)
        forker.stdin.write(f"{database} {home / 'monday.sqlite3'} {delay}\n")
        forker.stdin.flush()
        took, outcome = forker.stdout.readline().split()
        return database, float(took), outcome == "killed"

    outcomes: list[str] = []
    killed = 0
    try:
        assert forker.stdout.readline().strip() == "ready"
        whole = max(run(n, -1)[1] for n in range(2))
        rng = random.Random(19)
        for n in range(2, 2 + KILLS):
            # Every other kill near the end, where the copy takes the database's place.
            low = 0.0 if n % 2 else 0.85 * whole
            database, _, was_killed = run(n, rng.uniform(low, whole))
            killed += was_killed
            visits, actions = held(database)
            assert visits == before[0], f"run {n}: visits lost or added"
            if actions == before[1]:
                outcomes.append("as it was")
            else:
                assert actions[: len(before[1])] == before[1]
                assert actions[-1] == "restored", f"run {n}: {actions}"
                outcomes.append("restored")
            reopened = open_database(f"sqlite:///{database}")
            try:
                with reopened.session() as session, session.begin():
                    assert all(load_visit(session, visit) for visit in visits)
            finally:
                reopened.close()
    finally:
        forker.stdin.close()
        forker.wait(timeout=60)
        forker.stdout.close()
    # Enough children really died mid-way, or the test proved nothing.
    assert killed >= KILLS // 4
    assert "as it was" in outcomes, outcomes
