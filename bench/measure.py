"""Timing, statistics, the results table and the sandbox every benchmark runs in."""

from __future__ import annotations

import contextlib
import json
import math
import os
import signal
import statistics
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Target:
    """What a row must meet; any part left as None is not asked."""

    median_ms: float | None = None
    p95_ms: float | None = None
    max_ms: float | None = None
    ratio: float | None = None
    text: str = ""

    def describe(self) -> str:
        """The target as the issue words it."""
        if self.text:
            return self.text
        parts = []
        if self.median_ms is not None:
            parts.append(f"median ≤ {self.median_ms:g} ms")
        if self.p95_ms is not None:
            parts.append(f"p95 ≤ {self.p95_ms:g} ms")
        if self.max_ms is not None:
            parts.append(f"max ≤ {self.max_ms:g} ms")
        if self.ratio is not None:
            parts.append(f"ratio ≤ {self.ratio:g}")
        return ", ".join(parts) or "—"


@dataclass(frozen=True)
class Row:
    """One line of the table: a scenario's times and, where there is one, its baseline's."""

    scenario: str
    samples: tuple[float, ...]
    baseline: tuple[float, ...] = ()
    target: Target = Target()
    unit: str = "ms"
    # Memory: how much the scenario grew over an earlier checkpoint, and the limit.
    growth_pct: float | None = None
    growth_limit_pct: float | None = None

    @property
    def median(self) -> float:
        """The middle sample."""
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        """The 95th percentile (nearest rank)."""
        return percentile(self.samples, 95)

    @property
    def worst(self) -> float:
        """The largest sample."""
        return max(self.samples)

    @property
    def baseline_median(self) -> float | None:
        """The baseline's middle sample, if there is a baseline."""
        return statistics.median(self.baseline) if self.baseline else None

    @property
    def ratio(self) -> float | None:
        """Scenario median over baseline median."""
        base = self.baseline_median
        return self.median / base if base else None

    def met(self) -> bool | None:
        """Whether every part of the target is met (None when there is no target)."""
        target = self.target
        checks = []
        if target.median_ms is not None:
            checks.append(self.median <= target.median_ms)
        if target.p95_ms is not None:
            checks.append(self.p95 <= target.p95_ms)
        if target.max_ms is not None:
            checks.append(self.worst <= target.max_ms)
        if target.ratio is not None:
            ratio = self.ratio
            checks.append(ratio is not None and ratio <= target.ratio)
        if self.growth_pct is not None and self.growth_limit_pct is not None:
            checks.append(self.growth_pct <= self.growth_limit_pct)
        return all(checks) if checks else None


def percentile(samples: Iterable[float], pct: float) -> float:
    """Nearest-rank percentile: the smallest sample with `pct` % of samples at or below it."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def time_ms(action: Callable[[], object]) -> float:
    """How long one call takes, in milliseconds."""
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def repeat_ms(action: Callable[[], object], times: int) -> tuple[float, ...]:
    """`times` timings of `action`."""
    return tuple(time_ms(action) for _ in range(times))


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "MB":
        return f"{value:.1f} MB"
    return f"{value:.1f} ms" if value < 1000 else f"{value / 1000:.2f} s"


COLUMNS = ("scenario", "median", "p95", "baseline median", "ratio", "n", "target", "met?")


def table(rows: list[Row]) -> str:
    """The results as a plain aligned table."""
    lines = [list(COLUMNS)]
    for row in rows:
        met = row.met()
        lines.append(
            [
                row.scenario,
                _number(row.median, row.unit),
                _number(row.p95, row.unit),
                _number(row.baseline_median, row.unit),
                "—" if row.ratio is None else f"{row.ratio:.2f}",
                str(len(row.samples)),
                row.target.describe(),
                "—" if met is None else ("yes" if met else "NO"),
            ]
        )
    widths = [max(len(line[n]) for line in lines) for n in range(len(COLUMNS))]
    rendered = [
        "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)) for line in lines
    ]
    rendered.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in rendered)


def rows_as_json(rows: list[Row]) -> str:
    """The results as JSON, for keeping beside the table."""
    return json.dumps(
        [
            {
                "scenario": r.scenario,
                "unit": r.unit,
                "median": r.median,
                "p95": r.p95,
                "max": r.worst,
                "baseline_median": r.baseline_median,
                "ratio": r.ratio,
                "n": len(r.samples),
                "target": r.target.describe(),
                "met": r.met(),
            }
            for r in rows
        ],
        indent=2,
    )


def sandbox() -> Path:
    """A throwaway home for this run: settings, data, logs and Qt's screen, never the user's.

    Sets the environment for this process and every process it starts, so it must run
    before Qt or platformdirs are imported.
    """
    root = Path(tempfile.mkdtemp(prefix="kiosk-bench-"))
    for name, sub in {
        "HOME": "home",
        "XDG_CONFIG_HOME": "config",
        "XDG_DATA_HOME": "data",
        "XDG_STATE_HOME": "state",
        "XDG_CACHE_HOME": "cache",
        "XDG_RUNTIME_DIR": "runtime",
    }.items():
        folder = root / sub
        folder.mkdir(mode=0o700)
        os.environ[name] = str(folder)
    # Qt's offscreen screen is 800 × 800 unless told otherwise; the kiosk is 1080 × 1920.
    screen = {
        "screens": [
            {
                "name": "kiosk",
                "x": 0,
                "y": 0,
                "width": 2000,
                "height": 2000,
                "logicalDpi": 96,
                "logicalBaseDpi": 96,
                "dpr": 1,
            }
        ]
    }
    config = root / "offscreen-screen.json"
    config.write_text(json.dumps(screen))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
    for key in [k for k in os.environ if k.startswith("KIOSK_")]:
        del os.environ[key]
    return root


def rss_mb() -> float:
    """This process's resident set size (Linux: VmRSS in /proc/self/status)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("VmRSS is not in /proc/self/status (the memory benchmark is Linux only)")


def stop_voices(root: Path) -> int:
    """Stop the speech-dispatcher servers this run's kiosks started in its throwaway home;
    returns how many.

    A kiosk's first spoken word starts one (speech-dispatcher's own autospawn), its socket
    in the home's runtime folder, and it outlives the kiosk, as on a desktop where it
    serves the whole session; the run's home is then deleted and nothing would ever speak
    to it again. Asked to stop, such a server was seen to stay (its socket's folder
    gone): after three seconds it is killed. Linux only (it reads /proc).
    """
    ours = [pid for pid in _processes() if _is_voice_of(pid, root)]
    for how in (signal.SIGTERM, signal.SIGKILL):
        for pid in ours:
            with contextlib.suppress(OSError):  # gone meanwhile
                os.kill(pid, how)
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline and any(_is_voice_of(pid, root) for pid in ours):
            time.sleep(0.05)
    return len(ours)


def _processes() -> list[int]:
    return [int(entry.name) for entry in Path("/proc").glob("[0-9]*")]


def _is_voice_of(pid: int, root: Path) -> bool:
    try:
        words = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:  # gone, or not ours to read
        return False
    return words[0].endswith(b"speech-dispatcher") and any(
        str(root).encode() in word for word in words
    )
