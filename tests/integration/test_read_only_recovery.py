"""A read-only database, or data folder, and the obvious fix: check-ins go on, then the
held visits are stored (README, "When the database cannot take a check-in").

Permissions do not stop root, and CI runs as root: each case runs in a child process
as an ordinary user (`nobody` when the tests run as root, else the tester), in a folder
of its own that user owns, so a `chmod` means there what it means on a clinic's kiosk.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.running import KIOSK

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")

ROOT = Path(__file__).resolve().parents[2]
NOBODY = 65534

# What every case runs first: a kiosk's database, used once, in `folder`.
PROLOGUE = f"""
import json, os, sys
from pathlib import Path
sys.path.insert(0, {str(ROOT)!r})
from kiosk.check_in import CheckIn, Outcome
from kiosk.content import Answer
from kiosk.content_versions import content_in_use
from kiosk.database import init_database, open_database
from kiosk.held_visits import HeldVisits, read_only_view
from kiosk.settings import load_settings
from kiosk.visit import KioskTiming
from kiosk.visit_walk import SCRIBBLE, ManualClock

folder = Path(sys.argv[1])
data = folder / "data"
database_file = data / "kiosk.sqlite3"
url = f"sqlite:///{{database_file}}"
settings = load_settings({{"database_url": url, "held_visits_dir": data / "held-visits"}})
clock = ManualClock()
init_database(url)  # `kiosk db init`, as clinic IT does once
first_run = open_database(url)
with first_run.session() as session, session.begin():
    content_in_use(session, None, clock())
first_run.close()
said = {{}}


def kiosk_on(database):
    return CheckIn(database, settings, station="lobby", clock=clock, timing=KioskTiming(),
                   idle_clock=clock)


def retry(service):
    stored = []
    service.store_waiting_visits(stored.append)
    return stored[0]


def check_in(service, first):
    visit = service.start(language="")
    assert visit is not None, "check-in did not start"
    assert service.enter_details(first, "Okonkwo", "04/15/1968") == []
    for _ in visit.content.slides:
        clock.advance(7)
        service.next_slide()
    while visit.step.value == "teach_back":  # every teach-back answer right
        service.answer_teach_back(str(visit.teach_back_question.right_answer))
    for _ in visit.questions:
        service.answer(Answer.NO)
    service.confirm_answers()
    service.talk_first()
    service.end()
    return visit.id


def stored(first):
    check = open_database(url)
    with check.engine.connect() as connection:
        found = connection.exec_driver_sql(
            "SELECT count(*) FROM visits WHERE first_name = ?", (first,)).scalar()
    check.close()
    return found
"""


@pytest.fixture
def own_folder() -> Iterator[Path]:
    """A folder the ordinary user owns (pytest's own are root's and closed to others)."""
    folder = Path(tempfile.mkdtemp(prefix="kiosk-read-only-"))
    folder.chmod(0o755)
    if os.geteuid() == 0:
        os.chown(folder, NOBODY, NOBODY)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        if path.is_dir():
            path.chmod(0o755)
    shutil.rmtree(folder)


def as_ordinary_user(script: str, folder: Path, *command: str) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("KIOSK_")}
    settings_file = folder / "kiosk.toml"
    settings_file.write_text("read_aloud = false\n")
    settings_file.chmod(0o600)
    if os.geteuid() == 0:
        os.chown(settings_file, NOBODY, NOBODY)
    environment |= {
        "HOME": str(folder),
        "XDG_STATE_HOME": str(folder / "state"),
        "XDG_CONFIG_HOME": str(folder / "config"),
        "XDG_DATA_HOME": str(folder / "data-home"),
        "KIOSK_CONFIG": str(settings_file),
        "QT_QPA_PLATFORM": "offscreen",
    }
    user = {"user": NOBODY, "group": NOBODY, "extra_groups": []} if os.geteuid() == 0 else {}
    result = subprocess.run(
        list(command) or [sys.executable, "-c", PROLOGUE + textwrap.dedent(script), str(folder)],
        capture_output=True,
        text=True,
        env=environment,
        cwd=folder,
        timeout=120,
        check=False,
        **user,  # type: ignore[arg-type]
    )
    assert result.returncode == 0, result.stderr
    return result


def said(result: subprocess.CompletedProcess[str]) -> dict[str, object]:
    return dict(json.loads(result.stdout.splitlines()[-1]))


def test_after_chmod_of_a_read_only_database_the_next_retry_stores_the_held_visits(
    own_folder: Path,
) -> None:
    result = as_ordinary_user(
        """
        database_file.chmod(0o444)  # a copy put back read-only, a wrong chmod
        kiosk = kiosk_on(open_database(url))
        visit_id = check_in(kiosk, "Ada")
        said["held"] = [h.reason.value for h in HeldVisits(settings.held_visits_dir).held()]
        said["modes"] = sorted(oct(p.stat().st_mode & 0o777) for p in data.glob("kiosk*"))
        database_file.chmod(0o660)  # the obvious fix: the database file alone
        said["next_retry"] = retry(kiosk) == [visit_id]
        said["stored"] = stored("Ada")
        print(json.dumps(said))
        """,
        own_folder,
    )
    assert said(result) == {
        "held": ["read-only"],
        # SQLite gives the -wal and -shm the read-only mode of the database file.
        "modes": ["0o440", "0o440", "0o440"],
        "next_retry": True,
        "stored": 1,
    }


def test_after_chmod_of_a_read_only_database_a_restarted_kiosk_stores_the_held_visits(
    own_folder: Path,
) -> None:
    result = as_ordinary_user(
        """
        database_file.chmod(0o444)
        before = open_database(url)
        check_in(kiosk_on(before), "Ben")
        before.close()  # the kiosk is stopped
        database_file.chmod(0o660)
        restarted = kiosk_on(open_database(url))
        said["stored_at_start"] = len(retry(restarted))
        said["stored"] = stored("Ben")
        said["waiting"] = restarted.visits_waiting
        print(json.dumps(said))
        """,
        own_folder,
    )
    assert said(result) == {"stored_at_start": 1, "stored": 1, "waiting": False}


def test_a_kiosk_started_in_a_read_only_data_folder_starts_and_shows_welcome(
    own_folder: Path,
) -> None:
    as_ordinary_user("data.chmod(0o555)\nprint(json.dumps(said))", own_folder)
    result = as_ordinary_user(
        "",
        own_folder,
        str(KIOSK),
        "run",
        "--database",
        f"sqlite:///{own_folder / 'data' / 'kiosk.sqlite3'}",
        "--exit-after-first-paint",
    )
    # It quits only once Welcome shows the clinic's name and Start is enabled.
    assert "Check-ins go on: finished visits wait in" in result.stderr


def test_in_a_read_only_data_folder_visits_are_held_and_stored_once_it_is_writable(
    own_folder: Path,
) -> None:
    result = as_ordinary_user(
        """
        data.chmod(0o555)  # the data folder, and so no -wal or -shm, read-only
        try:
            open_database(url)
            said["opened"] = True
        except Exception:
            said["opened"] = False
        view = read_only_view(url)  # what `kiosk run` starts on (ui/kiosk_app.py)
        kiosk = kiosk_on(view)
        first = check_in(kiosk, "Chioma")
        second = check_in(kiosk, "Dara")  # check-in goes on
        held = HeldVisits(settings.held_visits_dir).held()
        said["held"] = [h.reason.value for h in held]
        said["where"] = sorted({str(h.folder.relative_to(folder)) for h in held})
        said["paused"] = kiosk.paused
        said["still_read_only"] = retry(kiosk)
        data.chmod(0o755)  # the fix
        said["next_retry"] = sorted(retry(kiosk)) == sorted([first, second])
        said["stored"] = stored("Chioma") + stored("Dara")
        said["waiting"] = kiosk.visits_waiting
        print(json.dumps(said))
        """,
        own_folder,
    )
    assert said(result) == {
        "opened": False,
        "held": ["read-only", "read-only"],
        # The held-visits folder cannot be made in the read-only data folder: the visits
        # wait in the user's state folder, beside the logs.
        "where": ["state/waiting-room-kiosk/held-visits"],
        "paused": False,
        "still_read_only": [],
        "next_retry": True,
        "stored": 2,
        "waiting": False,
    }
