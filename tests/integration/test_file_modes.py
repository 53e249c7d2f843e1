"""Files the program creates are for its user and group only: 0660 files, 2770 folders.

Every test here starts from umask 0, the loosest a caller can hand over: whatever the
program does not set itself would come out open to every user of the computer.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.content import ContentPack
from kiosk.database import open_database
from kiosk.held_visits import HeldVisits, HoldReason
from kiosk.logs import configure_logging
from kiosk.visit_walk import ManualClock, walk_visit
from tests.conftest import store_visit
from tests.databases import made_database
from tests.integration.running import kiosk

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")

FILE, FOLDER = 0o660, 0o2770


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def open_to_others(top: Path) -> list[str]:
    """Everything under `top` that another user of the computer could read or enter."""
    return [
        f"{oct(mode(path))} {path}"
        for path in top.rglob("*")
        if not path.is_symlink() and mode(path) & 0o007
    ]


@pytest.fixture
def loosest_umask() -> Iterator[None]:
    previous = os.umask(0)
    yield
    os.umask(previous)


def test_the_command_line_creates_nothing_other_users_can_read(home: Path) -> None:
    data = home / "data" / "waiting-room-kiosk"
    kiosk("db", "init", home=home, umask=0, check=True)
    kiosk("demo-data", "--visits", "3", home=home, umask=0, check=True)
    visit_id = kiosk("visits", "--json", home=home, umask=0, check=True).stdout.split('"')[3]
    (home / "summaries").mkdir(mode=0o750)
    summary = home / "summaries" / "visit.pdf"
    kiosk("summary", visit_id, "--output", str(summary), home=home, umask=0, check=True)
    backup = home / "backup.sqlite3"
    kiosk("backup", str(backup), home=home, umask=0, check=True)
    kiosk("restore", str(backup), home=home, umask=0, check=True)
    kiosk("content", "export", str(home / "pack"), home=home, umask=0, check=True)
    kiosk(
        "run",
        "--exit-after-first-paint",
        home=home,
        umask=0,
        check=True,
        extra_env={"QT_QPA_PLATFORM": "offscreen"},
    )

    assert mode(data) == FOLDER
    assert mode(data / "kiosk.sqlite3") == FILE
    (kept,) = data.glob("kiosk.before-restore-*.sqlite3")
    assert mode(kept) == FILE
    assert mode(summary) == FILE
    assert mode(backup) == FILE
    logs = Path(os.environ["XDG_STATE_HOME"]) / "waiting-room-kiosk" / "log"
    assert mode(logs) == FOLDER
    assert mode(logs / "kiosk.log") == FILE
    assert open_to_others(home) == []


def test_the_database_and_its_journals_are_for_the_user_and_group(
    tmp_path: Path, pack: ContentPack, clock: ManualClock, loosest_umask: None
) -> None:
    file = tmp_path / "new-folder" / "kiosk.sqlite3"
    database = made_database(f"sqlite:///{file}")
    store_visit(database, walk_visit(pack, clock))
    with database.session() as session:
        session.connection().exec_driver_sql("SELECT count(*) FROM visits").scalar()
        # While a connection is open, SQLite keeps its write-ahead log and shared memory.
        journals = [file.with_name("kiosk.sqlite3-wal"), file.with_name("kiosk.sqlite3-shm")]
        assert [mode(path) for path in [file, *journals]] == [FILE, FILE, FILE]
    database.close()
    assert mode(file.parent) == FOLDER


def test_a_database_an_earlier_version_left_open_to_everyone_is_closed_to_them(
    tmp_path: Path,
) -> None:
    file = tmp_path / "kiosk.sqlite3"
    made_database(f"sqlite:///{file}").close()
    file.chmod(0o644)
    open_database(f"sqlite:///{file}").close()
    assert mode(file) == 0o640


def test_held_visits_are_for_the_kiosk_and_the_desk_and_nobody_else(
    tmp_path: Path, pack: ContentPack, clock: ManualClock, loosest_umask: None
) -> None:
    # The desk reads the folder for its "check-ins are waiting" warning, and may run as
    # another user in the kiosk's group: group-readable, like the database itself.
    folder = tmp_path / "held-visits"
    HeldVisits(folder).hold(
        walk_visit(pack, clock),
        station="kiosk-1",
        actor="kiosk:kiosk-1",
        reason=HoldReason.LOCKED,
        now=clock(),
    )
    files = sorted(folder.iterdir())
    assert [path.name.split("-")[0] for path in files] == ["content", "visit"]
    assert mode(folder) == FOLDER
    assert [mode(path) for path in files] == [FILE, FILE]


@pytest.fixture
def log_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The app's log, configured as a program does it, rotating every kilobyte."""
    monkeypatch.setattr("kiosk.logs.MAX_BYTES", 1000)
    previous = os.umask(0)
    try:
        yield configure_logging(tmp_path / "log")
    finally:
        os.umask(previous)
        for handler in list(logging.getLogger().handlers):
            if handler.get_name() == "kiosk-rotating-file":
                logging.getLogger().removeHandler(handler)
                handler.close()


def test_every_log_file_is_for_the_user_and_group_after_rotation_too(log_file: Path) -> None:
    for number in range(4):
        logging.getLogger("kiosk.test").info("line %d %s", number, "x" * 600)
    names = sorted(p.name for p in log_file.parent.iterdir())
    assert names == ["kiosk.log", "kiosk.log.1", "kiosk.log.2", "kiosk.log.3"]
    assert mode(log_file.parent) == FOLDER
    assert {name: mode(log_file.parent / name) for name in names} == dict.fromkeys(names, FILE)


def test_a_log_file_an_earlier_version_left_open_to_everyone_is_closed_to_them(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "log"
    folder.mkdir()
    (folder / "kiosk.log").write_text("")
    (folder / "kiosk.log").chmod(0o644)
    configure_logging(folder)
    for handler in list(logging.getLogger().handlers):
        if handler.get_name() == "kiosk-rotating-file":
            logging.getLogger().removeHandler(handler)
            handler.close()
    assert mode(folder / "kiosk.log") == 0o640


def test_the_systemd_unit_runs_the_kiosk_with_the_same_umask() -> None:
    unit = Path(__file__).parents[2] / "deploy" / "linux" / "waiting-room-kiosk.service"
    lines = unit.read_text(encoding="utf-8").splitlines()
    assert "UMask=0007" in lines
    assert "#SupplementaryGroups=clinic" in lines
