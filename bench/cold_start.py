"""Cold start: launch the kiosk until Welcome's first frame is painted, ready to tap.

Each launch is a new process, timed from spawn until it says its first frame has
reached the screen (a line on stderr, `ui.kiosk_app.FIRST_FRAME_PAINTED`), against the
least PySide6 program that paints one label (bench/minimal_window.py), launched the
same way. Both then quit; spawn to exit is a row of its own (Python's and Qt's
teardown, which a patient never waits for). The kiosk runs on a database that has
already been started once (its schema current, the content published), as it is every
morning after installation.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from bench.measure import Row, Target
from kiosk.database import init_database

HERE = Path(__file__).resolve().parent


def kiosk_command(database_url: str) -> list[str]:
    """`kiosk run` from this environment, quitting once Welcome is painted."""
    script = Path(sys.executable).with_name("kiosk")
    return [str(script), "run", "--database", database_url, "--exit-after-first-paint"]


def baseline_command() -> list[str]:
    """The minimal PySide6 program."""
    return [sys.executable, str(HERE / "minimal_window.py")]


def launch_environment(workdir: Path) -> dict[str, str]:
    """The environment both programs are launched in: as on a kiosk, Python keeps the
    bytecode of what it compiled (here in the scratch folder, not beside the sources).
    A shell with PYTHONDONTWRITEBYTECODE set would otherwise make every launch compile
    the kiosk's own modules again (about 18 ms), which an installed kiosk never does."""
    environment = dict(os.environ)
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    environment["PYTHONPYCACHEPREFIX"] = str(workdir / "bytecode")
    return environment


PAINTED = "first frame painted"  # as ui.kiosk_app.FIRST_FRAME_PAINTED says it


def launch_seconds(
    command: list[str], environment: dict[str, str] | None = None
) -> tuple[float, float]:
    """Wall time from spawn to the first frame painted, and to exit, of one launch;
    fails loudly if it never said it painted or did not exit cleanly."""
    start = time.perf_counter()
    painted = None
    said: list[str] = []
    with subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
    ) as launched:
        assert launched.stderr is not None
        for line in launched.stderr:
            if painted is None and line.strip() == PAINTED:
                painted = time.perf_counter() - start
            said.append(line)
        code = launched.wait(timeout=120)
    ended = time.perf_counter() - start
    if code != 0 or painted is None:
        raise RuntimeError(
            f"{' '.join(command)} exited with {code}"
            f"{'' if painted else ' without painting'}: {''.join(said)[-2000:]}"
        )
    return painted, ended


def peak_mb(command: list[str], environment: dict[str, str] | None = None) -> float:
    """The most memory (resident set, MB) one launch held at any moment; for
    `--exit-after-first-paint`, at first paint.

    Launched through `bench/peak_memory.py`, a small process of its own: a child spawned
    straight from this one would report this process's own peak (the kernel keeps the
    largest resident set across exec, and this process holds Qt and SQLAlchemy)."""
    finished = subprocess.run(
        [sys.executable, str(HERE / "peak_memory.py"), *command],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env=environment,
    )
    if finished.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited with {finished.returncode}")
    return float(finished.stderr.strip().splitlines()[-1]) / 1024  # kB on Linux


def run(workdir: Path, *, quick: bool) -> list[Row]:
    """Alternate kiosk and baseline launches, so noise from other work hits both alike."""
    database_url = f"sqlite:///{workdir / 'cold-start.sqlite3'}"
    init_database(database_url)  # `kiosk db init`, as clinic IT does once
    kiosk, baseline = kiosk_command(database_url), baseline_command()
    environment = launch_environment(workdir)
    # The first start publishes the content and keeps the bytecode; one of each also
    # warms the operating system's file cache.
    launch_seconds(kiosk, environment)
    launch_seconds(baseline, environment)
    times = 5 if quick else 15
    ours: list[float] = []
    theirs: list[float] = []
    ours_ended: list[float] = []
    theirs_ended: list[float] = []
    for _ in range(times):
        painted, ended = launch_seconds(kiosk, environment)
        ours.append(painted * 1000)
        ours_ended.append(ended * 1000)
        painted, ended = launch_seconds(baseline, environment)
        theirs.append(painted * 1000)
        theirs_ended.append(ended * 1000)
    # Apart from the timed launches: the intermediate process would add to both times.
    our_peaks = [peak_mb(kiosk, environment) for _ in range(3)]
    their_peaks = [peak_mb(baseline, environment) for _ in range(3)]
    assert "QT_QPA_PLATFORM" in os.environ
    return [
        Row(
            "cold start (launch to Welcome painted)",
            tuple(ours),
            tuple(theirs),
            Target(ratio=1.5),
        ),
        Row(
            "  the same launches, to the end of the process", tuple(ours_ended), tuple(theirs_ended)
        ),
        Row(
            "peak RSS at first paint",
            tuple(our_peaks),
            tuple(their_peaks),
            Target(ratio=2),
            unit="MB",
        ),
    ]
