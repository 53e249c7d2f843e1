"""Memory: the kiosk's resident set after 10 and after 1,000 visits tapped through in one
process, against a bare QApplication with one QMainWindow. Linux only (VmRSS).

Run by `python -m bench` in a child process of its own, so nothing else in the run
counts: `python -m bench.memory kiosk 10 1000` or `python -m bench.memory baseline`
prints one JSON line.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from bench.measure import Row, Target, rss_mb, sandbox


def kiosk_rss(checkpoints: list[int], workdir: Path) -> dict[str, float]:
    """Tap through visits, noting the RSS after each checkpoint's number of visits."""
    from bench.qt_kiosk import kiosk_window, welcome_idle
    from ui import visit_walk as patient

    window = kiosk_window(workdir / "memory.sqlite3")
    patient.settle()
    seen: dict[str, float] = {"start": rss_mb()}
    names = ("Ana", "Luis", "Zoë", "José", "Mia", "Tom")
    for visit in range(1, max(checkpoints) + 1):
        patient.complete_visit(
            window,
            first=names[visit % len(names)],
            last=f"Lee{visit}"[:6],
            born=f"0{visit % 9 + 1}/15/1968",
        )
        patient.tap(patient.current(window), "Finish")
        patient.settle()
        if window.visit is not None:
            raise RuntimeError("the visit did not end")
        # As between two patients: Welcome waits until the next visit's screens are
        # built (and the kiosk has given freed memory back). Until 2026-12-07 the next
        # Start came in the same turn of the event loop, which no patient does, and the
        # give-back never ran in this benchmark.
        welcome_idle(window)
        if visit in checkpoints:
            seen[str(visit)] = rss_mb()
    window.close()
    return seen


def baseline_rss() -> dict[str, float]:
    """A bare QApplication and one shown QMainWindow."""
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(["baseline"])
    window = QMainWindow()
    window.resize(1080, 1920)
    window.show()
    QTest.qWaitForWindowExposed(window)
    app.processEvents()
    return {"baseline": rss_mb()}


def _child(*args: str) -> dict[str, float]:
    finished = subprocess.run(
        [sys.executable, "-m", "bench.memory", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parent.parent,
    )
    if finished.returncode != 0:
        raise RuntimeError(f"bench.memory {' '.join(args)} failed: {finished.stderr[-3000:]}")
    result: dict[str, float] = json.loads(finished.stdout.strip().splitlines()[-1])
    return result


def run(workdir: Path, *, quick: bool) -> list[Row]:
    """The kiosk after a few and after many visits, and the bare baseline (three times)."""
    few, many = (10, 100) if quick else (10, 1000)
    kiosk = _child("kiosk", str(few), str(many))
    baselines = [_child("baseline")["baseline"] for _ in range(3)]
    growth = (kiosk[str(many)] - kiosk[str(few)]) / kiosk[str(few)] * 100
    print(
        f"  (RSS at start {kiosk['start']:.1f} MB, after {few} visits {kiosk[str(few)]:.1f} MB, "
        f"after {many} visits {kiosk[str(many)]:.1f} MB: growth {growth:+.1f} %)",
        flush=True,
    )
    return [
        Row(
            f"memory: kiosk RSS after {few} visits",
            (kiosk[str(few)],),
            tuple(baselines),
            Target(ratio=2),
            unit="MB",
        ),
        Row(
            f"memory: kiosk RSS after {many} visits",
            (kiosk[str(many)],),
            tuple(baselines),
            Target(ratio=2, text=f"≤ 2 × baseline, ≤ +5 % on {few} visits"),
            unit="MB",
            growth_pct=growth,
            growth_limit_pct=5,
        ),
    ]


def main() -> int:
    """The child process: `kiosk FEW MANY` or `baseline`."""
    workdir = sandbox()
    try:
        if sys.argv[1] == "kiosk":
            result = kiosk_rss([int(n) for n in sys.argv[2:]], workdir)
        else:
            result = baseline_rss()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
