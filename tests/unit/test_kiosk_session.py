"""The kiosk session: the kiosk comes back after any end but a staff exit."""

from __future__ import annotations

import os
import signal
import sys
import threading
from pathlib import Path

import pytest

from kiosk.kiosk_session import STAFF_CLOSED_STATUS, KioskSession, RestartPauses

# Each start of this stand-in kiosk writes a line, then ends the way the next word says.
STAND_IN = """
import os, signal, sys
from pathlib import Path
starts = Path(sys.argv[1])
with starts.open("a") as file:
    file.write("started\\n")
n = len(starts.read_text().splitlines())
ends = sys.argv[2].split(",")
end = ends[min(n, len(ends)) - 1]
if end == "killed":
    os.kill(os.getpid(), signal.SIGKILL)
if end == "sleep":
    import time
    time.sleep(60)
sys.exit(int(end))
"""


class FakeTime:
    """A clock that moves only when the session waits."""

    def __init__(self) -> None:
        self.now = 0.0
        self.waited: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.waited.append(seconds)
        self.now += seconds


def session(
    tmp_path: Path,
    ends: str,
    time: FakeTime,
    staff_exit_file: Path | None = None,
    **pauses: float,
) -> KioskSession:
    command = [sys.executable, "-c", STAND_IN, str(tmp_path / "starts"), ends]
    return KioskSession(
        command,
        pauses=RestartPauses(**pauses),
        sleep=time.sleep,
        clock=time.clock,
        staff_exit_file=staff_exit_file,
    )


def starts(tmp_path: Path) -> int:
    return len((tmp_path / "starts").read_text().splitlines())


def test_a_staff_exit_ends_the_session_at_once(tmp_path: Path) -> None:
    time = FakeTime()
    assert session(tmp_path, str(STAFF_CLOSED_STATUS), time).run() == 0
    assert starts(tmp_path) == 1
    assert time.waited == []


def test_a_staff_exit_leaves_the_staff_exit_file_for_the_service(tmp_path: Path) -> None:
    # systemd starts the session again after every end (the session itself can be
    # killed, and cage 0.1.4 then ends with 0 too); this file tells it not to.
    mark = tmp_path / "staff-exit"
    ends = f"1,{STAFF_CLOSED_STATUS}"
    assert session(tmp_path, ends, FakeTime(), staff_exit_file=mark).run() == 0
    assert starts(tmp_path) == 2
    assert mark.exists()


def test_a_staff_exit_file_left_from_before_does_not_close_a_new_session(tmp_path: Path) -> None:
    mark = tmp_path / "staff-exit"
    mark.touch()
    seen_by_the_kiosk = tmp_path / "seen"
    # The stand-in kiosk notes whether the mark was there while it ran, then staff close it.
    notes_the_mark = (
        "import sys, pathlib; "
        "pathlib.Path(sys.argv[2]).write_text(str(pathlib.Path(sys.argv[1]).exists())); "
        f"sys.exit({STAFF_CLOSED_STATUS})"
    )
    command = [sys.executable, "-c", notes_the_mark, str(mark), str(seen_by_the_kiosk)]
    kiosk_session = KioskSession(command, staff_exit_file=mark)
    assert kiosk_session.run() == 0
    assert seen_by_the_kiosk.read_text() == "False"
    assert mark.exists(), "made again by this session's own staff exit"


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX only")
def test_a_crash_a_kill_and_a_plain_quit_each_bring_the_kiosk_back(tmp_path: Path) -> None:
    # 1: an unexpected error; killed: kill -9 or the out-of-memory killer; 0: the program
    # quit without staff (a library, a window closed from outside).
    time = FakeTime()
    ends = f"1,killed,0,{STAFF_CLOSED_STATUS}"
    assert session(tmp_path, ends, time, first=2, longest=60).run() == 0
    assert starts(tmp_path) == 4
    assert sum(time.waited) == 2 + 4 + 8, "each quick end waits twice as long as the last"


def test_a_crash_loop_waits_no_longer_than_the_longest_pause(tmp_path: Path) -> None:
    time = FakeTime()
    ends = f"1,1,1,1,1,{STAFF_CLOSED_STATUS}"
    assert session(tmp_path, ends, time, first=2, longest=5).run() == 0
    assert starts(tmp_path) == 6
    assert sum(time.waited) == 2 + 4 + 5 + 5 + 5


@pytest.mark.skipif(os.name != "posix", reason="SIGTERM to oneself is POSIX")
def test_stopping_the_session_stops_the_kiosk_and_does_not_restart_it(tmp_path: Path) -> None:
    time = FakeTime()
    kiosk_session = session(tmp_path, "sleep", time)

    def stop_once_the_kiosk_runs() -> None:
        while not (tmp_path / "starts").exists():
            threading.Event().wait(0.05)
        os.kill(os.getpid(), signal.SIGTERM)  # systemctl stop, a shutdown

    stopper = threading.Thread(target=stop_once_the_kiosk_runs)
    stopper.start()
    before = signal.getsignal(signal.SIGTERM)
    assert kiosk_session.run() == 0
    stopper.join()
    assert starts(tmp_path) == 1
    assert signal.getsignal(signal.SIGTERM) == before, "the handler is put back"


@pytest.mark.skipif(os.name != "posix", reason="SIGTERM to oneself is POSIX")
def test_a_session_stopped_by_the_system_leaves_no_staff_exit_file(tmp_path: Path) -> None:
    mark = tmp_path / "staff-exit"
    kiosk_session = session(tmp_path, "sleep", FakeTime(), staff_exit_file=mark)

    def stop_once_the_kiosk_runs() -> None:
        while not (tmp_path / "starts").exists():
            threading.Event().wait(0.05)
        os.kill(os.getpid(), signal.SIGTERM)

    stopper = threading.Thread(target=stop_once_the_kiosk_runs)
    stopper.start()
    assert kiosk_session.run() == 0
    stopper.join()
    assert not mark.exists()


def test_a_staff_exit_file_without_a_session_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ui.main import main

    with pytest.raises(SystemExit) as refused:
        main(["run", "--staff-exit-file", str(tmp_path / "staff-exit")])
    assert refused.value.code == 2
    assert "--staff-exit-file goes with --supervised" in capsys.readouterr().err
