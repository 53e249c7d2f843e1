"""`python -m bench [--quick] [--only SCENARIO ...] [--json FILE]`: run and print the table.

Scenarios run one after another in this process (cold start and memory start processes
of their own), each beside its baseline, in a throwaway home: no real settings, data or
logs are touched.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bench.measure import Row, rows_as_json, sandbox, stop_voices, table

Scenario = Callable[..., list[Row]]
NAMES = ("cold-start", "screens", "summary", "save", "desk", "desk-decade", "memory")


def _scenarios() -> dict[str, Scenario]:
    # Imported only now: the sandbox must set the environment before Qt is loaded.
    from bench import cold_start, desk, memory, save_visit, screens, summary_pdf

    return {
        "cold-start": cold_start.run,
        "screens": screens.run,
        "summary": summary_pdf.run,
        "save": save_visit.run,
        "desk": desk.run,
        "desk-decade": desk.run_decade,
        "memory": memory.run,
    }


def machine() -> str:
    """One line about where the numbers came from."""
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break

    import PySide6
    import reportlab
    import sqlalchemy

    return (
        f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, PySide6 {PySide6.__version__}, "
        f"SQLAlchemy {sqlalchemy.__version__}, reportlab {reportlab.Version}, "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the chosen scenarios and print one table."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="fewer repeats and smaller data: a smoke run"
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=NAMES,
        metavar="SCENARIO",
        help=f"run only this scenario (repeatable): {', '.join(NAMES)}",
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the rows as JSON")
    parser.add_argument(
        "--keep", action="store_true", help="keep the scratch folder (databases, pictures)"
    )
    parser.add_argument(
        "--server",
        metavar="URL",
        default=os.environ.get("KIOSK_BENCH_POSTGRESQL_URL", ""),
        help="also run save and desk on this PostgreSQL server, against psycopg "
        "(default: $KIOSK_BENCH_POSTGRESQL_URL, which keeps the password off the command line)",
    )
    args = parser.parse_args(argv)
    workdir = sandbox()
    scenarios = _scenarios()
    chosen = args.only or list(NAMES)
    kind = "quick" if args.quick else "full"
    print(f"Benchmarks ({kind} run), {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(f"on {machine()}", flush=True)
    rows: list[Row] = []
    began = time.perf_counter()
    for name in chosen:
        start = time.perf_counter()
        print(f"- {name} …", flush=True)
        rows += scenarios[name](workdir, quick=args.quick)
        print(f"  done in {time.perf_counter() - start:.0f} s", flush=True)
    on_server = [name for name in chosen if name in ("save", "desk")]
    if args.server and on_server:
        from bench import server

        start = time.perf_counter()
        print(f"- {', '.join(on_server)} on PostgreSQL …", flush=True)
        rows += server.run(workdir, quick=args.quick, server_url=args.server, only=on_server)
        print(f"  done in {time.perf_counter() - start:.0f} s", flush=True)
    print()
    print(table(rows))
    print(f"\n{len(rows)} rows in {time.perf_counter() - began:.0f} s")
    if args.json:
        args.json.write_text(rows_as_json(rows))
    stop_voices(workdir)
    if args.keep:
        print(f"scratch files kept in {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
