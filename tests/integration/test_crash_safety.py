"""A kiosk killed at any moment loses no stored visit and leaves none half-written."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.databases import make_database

KILLS = 50

CHILD = textwrap.dedent("""
    import sys
    sys.path.insert(0, sys.argv[2])
    from datetime import UTC, datetime
    from kiosk.content import Answer
    from kiosk.pack_loader import bundled_pack_dir, load_pack
    from kiosk.database import open_database
    from kiosk.visit_walk import ManualClock, walk_visit
    from tests.conftest import store_visit

    pack = load_pack(bundled_pack_dir())
    database = open_database(sys.argv[1])
    clock = ManualClock(datetime.now(UTC))
    print("ready", flush=True)
    n = 0
    while True:
        n += 1
        visit = walk_visit(pack, clock, first=f"Crash{n}",
                           answers={"pregnancy": Answer.YES} if n % 2 else None,
                           ride=None if n % 3 == 0 else ("Luis", "555 201 3344", "friend"))
        store_visit(database, visit)  # one transaction, committed before we say so
        print(visit.id, flush=True)
""")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX only")
def test_visits_survive_being_killed_at_random_moments(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    path = tmp_path / "crash.sqlite3"
    url = make_database(f"sqlite:///{path}")
    reported: list[str] = []
    rng = random.Random(7)
    for _ in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, url, str(root)], stdout=subprocess.PIPE, text=True
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        # One visit stored first, however slow the machine: every kill then lands in the
        # middle of the loop of writes, at a random moment.
        reported.append(child.stdout.readline().strip())
        time.sleep(rng.uniform(0.0, 0.25))
        os.kill(child.pid, signal.SIGKILL)
        out, _ = child.communicate(timeout=30)
        reported += [line for line in out.splitlines() if line]
    database = sqlite3.connect(path)
    try:
        assert database.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        stored = {row[0] for row in database.execute("SELECT id FROM visits")}
        assert set(reported) <= stored  # every visit the child said was stored is there
        assert len(stored) >= KILLS  # every child stored at least one before it was killed
        for visit_id, flag_count in database.execute("SELECT id, flag_count FROM visits"):
            counts = [
                database.execute(
                    f"SELECT count(*) FROM {table} WHERE visit_id = ?",
                    (visit_id,),
                ).fetchone()[0]
                for table in ("answers", "slide_views", "consent_acknowledgements", "flags")
            ]
            # Whole or absent: a stored visit has all its rows.
            assert counts == [5, 11, 5, flag_count], visit_id
    finally:
        database.close()
