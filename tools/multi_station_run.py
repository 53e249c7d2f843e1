"""A clinic's morning on one PostgreSQL server: kiosks, desks and an editor at once.

    .venv/bin/python tools/multi_station_run.py [--seconds 150] [--out run.json]

Starts a throwaway PostgreSQL 15 cluster (`.ci/test-postgresql`, TLS, as root it runs as
`postgres`), makes the clinic's database with `kiosk db init`, then runs headless
stations as separate processes, each driving the services the windows use:

- 4 kiosks (`CheckIn`: start, details, slides, questions, consent, signature, ride home,
  finish; storing, holding on the kiosk's disk and replaying held visits as the kiosk
  window does), one visit after another;
- 2 desks (`FrontDesk` and `LiveUpdates`: each hears every change from the server, reloads
  today's list; desk-1, a clinician, reviews every flagged visit; desk-2 prints every
  summary, to the CUPS printer KioskPDF where there is one, else to a PDF file);
- 1 editor, which publishes a new content version midway (`ContentEditing`).

Meanwhile the server is stopped twice and started again: once `fast` (sessions told to
end), once `immediate` (as if the power went). At the end it prints and writes the
figures: visits finished, stored at once, held and replayed, lost, duplicated; which
kiosks were on the new content from their next visit; how long desks took to hear of a
change (median, 95th percentile).
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kiosk.actor import Actor, Role, StaffMember  # noqa: E402
from kiosk.check_in import CheckInListener, Outcome, VisitEnd  # noqa: E402
from kiosk.content import Answer  # noqa: E402
from kiosk.database import init_database, open_database  # noqa: E402
from kiosk.live_updates import Change, ServerState  # noqa: E402
from kiosk.settings import Settings, load_settings  # noqa: E402
from kiosk.station import Station, StorageUnavailableError  # noqa: E402
from kiosk.visit import Step, Visit  # noqa: E402
from kiosk.visit_walk import SCRIBBLE  # noqa: E402

PG_BIN = Path("/usr/lib/postgresql/15/bin")
URL_VARIABLE = "KIOSK_RUN_URL"


# --- the stations ---------------------------------------------------------------------
def _settings(folder: Path, name: str) -> Settings:
    settings = load_settings(environ={"KIOSK_DATABASE_URL": os.environ[URL_VARIABLE]})
    return replace(settings, held_visits_dir=folder / name / "held-visits")


class _Ends(CheckInListener):
    def __init__(self) -> None:
        self.outcomes: dict[str, tuple[str, float]] = {}
        self.replayed: dict[str, float] = {}

    def visit_changed(self, visit: Visit) -> None:
        pass

    def visit_finished(self, end: VisitEnd) -> None:
        if end.outcome is not Outcome.SAVING:
            self.outcomes[end.visit_id] = (end.outcome.value, time.time())

    def held_visit_stored(self, visit_id: str) -> None:
        self.replayed[visit_id] = time.time()


def _walk(service: Any, visit: Visit, number: int) -> None:
    """One patient at the kiosk, tap by tap, through the check-in service."""
    service.enter_details(f"Pat{number}", "Station", "04/15/1968")
    for _ in visit.content.slides:
        service.next_slide()
    for index, _question in enumerate(visit.content.questions):
        if index == 0 and number % 3 == 0:
            service.answer(Answer.NOT_SURE)  # needs a clinician: the desk reviews it
            if visit.step is Step.QUESTIONS:
                service.continue_after_answer()
        else:
            service.answer(Answer.NO)
    service.confirm_answers()
    for statement in visit.content.consent_statements:
        service.acknowledge(statement.id)
    service.sign(SCRIBBLE)
    service.enter_ride_home("Luis Station", "(555) 201-3344", "husband")


def run_kiosk(name: str, folder: Path, until: float) -> dict[str, Any]:
    station = _opened(name)
    service = station.check_in(_settings(folder, name))
    ends = _Ends()
    service.listen(ends)
    visits: list[dict[str, Any]] = []
    storing: dict[str, float] = {}
    store = service._store  # timed around, not changed

    def timed_store(visit: Visit) -> None:
        storing[visit.id] = time.time()  # the storing transaction begins
        store(visit)

    service._store = timed_store  # type: ignore[method-assign]
    number = 0
    while time.time() < until:
        if service.visits_waiting:
            service.store_waiting_visits()
        # Before the content is read: a visit started after the publish reads the new one.
        started = time.time()
        # As the window does when Welcome comes back: read what the next visit shows.
        service.refresh_content(lambda _pack: None)
        visit = service.start(language="")
        if visit is None:
            time.sleep(0.2)
            continue
        number += 1
        _walk(service, visit, number)
        visits.append({"id": visit.id, "started": started, "content": visit.content.version[:12]})
        service.end()
        time.sleep(0.3)
    # After the morning: whatever still waits goes in once the server takes it.
    deadline = time.time() + 120
    while service.visits_waiting and time.time() < deadline:
        service.store_waiting_visits()
        time.sleep(0.5)
    return {
        "visits": visits,
        "outcomes": ends.outcomes,
        "storing": storing,
        "replayed": ends.replayed,
        "still_held": len(service.held_visits.held()),
    }


def _printer() -> str | None:
    from kiosk import printing

    try:
        names = printing.find_printers().names
    except Exception:  # noqa: BLE001 - no print system: print to files
        return None
    return "KioskPDF" if "KioskPDF" in names else None


def _desk_round(
    front_desk: Any,
    name: str,
    *,
    member: StaffMember,
    printer: str | None,
    folder: Path,
    done: set[str],
    actions: list[tuple[str, str, float]],
    printing: ThreadPoolExecutor,
) -> list[str]:
    """Reload today's list as the desk window does, then review (desk-1, a clinician)
    or print (desk-2) what has not been; the IDs on the list."""
    by = Actor.staff(member, station=name, now=datetime.now(UTC))
    listing = front_desk.todays_list(now=by.now)
    for check_in in listing.check_ins:
        if check_in.id in done:
            continue
        # Before the change is asked for: the delay measured is an upper bound.
        asked = time.time()
        if member.role is Role.CLINICIAN:
            if check_in.open_flag_count and not check_in.reviewed:
                front_desk.review_flags(check_in.id, "seen at the desk", by)
                actions.append(("reviewed", check_in.id, asked))
                done.add(check_in.id)
            continue
        # As the window does: laid out and sent on a worker, the list keeps up meanwhile.
        printing.submit(
            _print,
            front_desk,
            check_in.id,
            printer=printer,
            folder=folder / name,
            by=by,
            actions=actions,
        )
        done.add(check_in.id)
    return [check_in.id for check_in in listing.check_ins]


def _print(
    front_desk: Any,
    visit_id: str,
    *,
    printer: str | None,
    folder: Path,
    by: Actor,
    actions: list[tuple[str, str, float]],
) -> None:
    asked = time.time()
    while True:  # the server away: staff try again once it is back
        try:
            visit = front_desk.visit_to_print(visit_id)
            break
        except StorageUnavailableError:
            time.sleep(1)
    if visit is None:
        return
    try:
        if printer is not None:
            front_desk.print_summary(visit, printer=printer, copy="staff", by=by)
        else:
            front_desk.save_summary(visit_id, folder / "printed" / f"{visit_id}.pdf", by)
        actions.append(("printed", visit_id, asked))
    except Exception as error:  # noqa: BLE001 - the server away: counted as not printed
        print(f"print of {visit_id}: {type(error).__name__}: {error}", file=sys.stderr)


def run_desk(name: str, folder: Path, until: float) -> dict[str, Any]:
    station = _opened(name)
    settings = _settings(folder, name)
    front_desk = station.front_desk(settings)
    clinician = name == "desk-1"
    member = StaffMember(1 if clinician else 2, name, Role.CLINICIAN if clinician else Role.STAFF)
    heard: queue.Queue[Change] = queue.Queue()
    states: list[tuple[bool, float]] = []

    def state(now: ServerState) -> None:
        states.append((now.reachable, time.time()))
        if now.reachable:  # back: reload everything, as the window does
            heard.put(Change("server", "", time.time()))

    live = station.live_updates(on_change=heard.put, on_state=state)
    assert live is not None
    live.start()
    printer = None if clinician or os.environ.get("KIOSK_RUN_PRINT_TO_FILES") else _printer()
    (folder / name / "printed").mkdir(parents=True, exist_ok=True)
    changes: list[tuple[str, str, float]] = []
    actions: list[tuple[str, str, float]] = []
    done: set[str] = set()
    seen: set[str] = set()
    # Four at a time, as the desk window's pool for the print system.
    printing = ThreadPoolExecutor(4)
    reload_needed = True
    while time.time() < until + 60:
        try:
            change = heard.get(timeout=0.5)
            changes.append((change.table, change.key, change.at))
            reload_needed = True
            while not heard.empty():  # a burst: one reload, as the window does
                change = heard.get_nowait()
                changes.append((change.table, change.key, change.at))
        except queue.Empty:
            pass
        if not reload_needed:
            continue
        try:
            seen.update(
                _desk_round(
                    front_desk,
                    name,
                    member=member,
                    printer=printer,
                    folder=folder,
                    done=done,
                    actions=actions,
                    printing=printing,
                )
            )
            reload_needed = False
        except StorageUnavailableError:
            time.sleep(0.5)  # the server is away: the listener says when it is back
        except Exception as error:  # noqa: BLE001 - another desk got there first; carry on
            print(f"{name}: {type(error).__name__}: {error}", file=sys.stderr)
    live.stop()
    printing.shutdown(wait=True, cancel_futures=False)
    return {
        "changes": changes,
        "actions": actions,
        "states": states,
        "printer": printer,
        "seen": sorted(seen),
    }


def run_editor(name: str, folder: Path, publish_at: float) -> dict[str, Any]:
    station = _opened(name)
    editing = station.content_editing()
    admin = StaffMember(3, "admin", Role.ADMIN)
    time.sleep(max(0.0, publish_at - time.time()))
    while True:
        by = Actor.staff(admin, station=name, now=datetime.now(UTC))
        try:
            sha, pack = editing.content_in_use(now=by.now)
            spring = replace(pack, clinic_name=f"{pack.clinic_name} — spring hours")
            editing.save_draft(spring, based_on=sha, by=by)
            published = editing.publish_draft(label="spring hours", by=by)
            return {"published_at": time.time(), "version": published.version[:12]}
        except StorageUnavailableError:
            time.sleep(1)


def _opened(name: str) -> Station:
    """The station's database, waited for as a kiosk started while the server is away does."""
    from kiosk.database import DatabaseUnavailableError

    while True:
        try:
            return Station(open_database(os.environ[URL_VARIABLE]), name)
        except DatabaseUnavailableError:
            time.sleep(0.5)


def station_main(arguments: argparse.Namespace) -> int:
    import logging

    logging.basicConfig(
        level=logging.WARNING, format=f"%(asctime)s {arguments.name} %(name)s: %(message)s"
    )
    folder = Path(arguments.folder)
    if arguments.kind == "kiosk":
        result = run_kiosk(arguments.name, folder, arguments.until)
    elif arguments.kind == "desk":
        result = run_desk(arguments.name, folder, arguments.until)
    else:
        result = run_editor(arguments.name, folder, arguments.publish_at)
    (folder / f"{arguments.name}.json").write_text(json.dumps(result))
    return 0


# --- the server -----------------------------------------------------------------------
class Server:
    """The throwaway cluster: started by .ci/test-postgresql, stopped and started here."""

    def __init__(self) -> None:
        said = subprocess.run(
            [str(ROOT / ".ci" / "test-postgresql"), "start"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        values = dict(
            line.removeprefix("export ").split("=", 1) for line in said.splitlines() if "=" in line
        )
        self.folder = Path(values["KIOSK_TEST_POSTGRESQL_FOLDER"].strip("'"))
        self.url = values["KIOSK_TEST_POSTGRESQL_URL"].strip("'")
        self.runner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        # The test cluster trades crash safety for speed; a clinic's server must not, and
        # an immediate stop is exactly when it shows: as a clinic runs it from here on.
        (self.folder / "data" / "postgresql.auto.conf").write_text(
            "fsync = on\nsynchronous_commit = on\nfull_page_writes = on\n"
        )
        self.stop("fast")
        self.start()

    def stop(self, mode: str) -> None:
        subprocess.run(
            [*self.runner, str(PG_BIN / "pg_ctl"), f"--pgdata={self.folder / 'data'}",
             f"--mode={mode}", "--wait", "stop"],
            check=True, capture_output=True,
        )  # fmt: skip

    def start(self) -> None:
        subprocess.run(
            [*self.runner, str(PG_BIN / "pg_ctl"), f"--pgdata={self.folder / 'data'}",
             f"--log={self.folder / 'server.log'}", "--wait", "start"],
            check=True, capture_output=True,
        )  # fmt: skip

    def close(self) -> None:
        env = dict(os.environ, KIOSK_TEST_POSTGRESQL_FOLDER=str(self.folder))
        subprocess.run(
            [str(ROOT / ".ci" / "test-postgresql"), "stop"], env=env, check=False,
            capture_output=True,
        )  # fmt: skip


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _figures(
    folder: Path, url: str, kiosks: list[str], desks: list[str], start_time: float
) -> dict[str, Any]:
    from sqlalchemy import create_engine, text

    results = {name: json.loads((folder / f"{name}.json").read_text()) for name in kiosks + desks}
    editor = json.loads((folder / "editor.json").read_text())
    engine = create_engine(url)
    with engine.connect() as connection:
        stored_ids = set(connection.execute(text("SELECT id FROM visits")).scalars())
        stored_entries = dict(
            connection.execute(
                text(
                    "SELECT visit_id, count(*) FROM audit_entries WHERE action = 'visit_stored' "
                    "GROUP BY visit_id"
                )
            ).all()
        )
    engine.dispose()
    finished: list[str] = []
    at_once = held = replayed = still_held = 0
    stored_at: dict[str, float] = {}
    replayed_at: dict[str, float] = {}
    old_after_publish: dict[str, int] = {}
    for name in kiosks:
        result = results[name]
        finished += [visit["id"] for visit in result["visits"]]
        for visit_id, (outcome, _at) in result["outcomes"].items():
            if outcome == "stored":
                at_once += 1
                # From the moment the kiosk began its storing transaction (an upper bound:
                # the transaction's own time is in it).
                stored_at[visit_id] = result["storing"][visit_id]
            elif outcome == "held":
                held += 1
        replayed += len(result["replayed"])
        replayed_at |= result["replayed"]
        still_held += result["still_held"]
        # Each kiosk reads the content in use before each visit: from its first visit
        # started after the publish, every visit is on the new version.
        after = [v for v in result["visits"] if v["started"] > editor["published_at"]]
        old_after_publish[name] = sum(1 for v in after if v["content"] != editor["version"])
    lost = [visit_id for visit_id in finished if visit_id not in stored_ids]
    duplicated = [visit_id for visit_id, n in stored_entries.items() if n > 1]
    delays: list[float] = []
    for name in desks:
        first_heard: dict[str, float] = {}
        for table, key, at in results[name]["changes"]:
            if table == "visits" and key not in first_heard:
                first_heard[key] = at
        delays += [
            first_heard[visit_id] - at
            for visit_id, at in stored_at.items()
            if visit_id in first_heard and first_heard[visit_id] >= at
        ]
    # A review at desk-1 heard at desk-2, from before the review was asked for.
    action_delays: list[float] = []
    for doer, hearer in ((desks[0], desks[1]), (desks[1], desks[0])):
        heard = results[hearer]["changes"]
        for kind, visit_id, done_at in results[doer]["actions"]:
            if kind != "reviewed":
                continue  # a print's time is the print system's as much as the server's
            later = [at for _t, key, at in heard if key == visit_id and at >= done_at]
            if later:
                action_delays.append(min(later) - done_at)
    return {
        "finished": len(finished),
        "stored_at_once": at_once,
        "held": held,
        "replayed": replayed,
        "still_held": still_held,
        "lost": len(lost),
        "lost_ids": lost,
        "duplicated": len(duplicated),
        "in_database": len(stored_ids),
        "reviewed": sum(
            len([a for a in results[d]["actions"] if a[0] == "reviewed"]) for d in desks
        ),
        "printed": sum(len([a for a in results[d]["actions"] if a[0] == "printed"]) for d in desks),
        "printer": results[desks[-1]]["printer"] or "PDF files",
        "old_content_after_publish": old_after_publish,
        "visits_after_publish": {
            name: sum(1 for v in results[name]["visits"] if v["started"] > editor["published_at"])
            for name in kiosks
        },
        "store_heard_by_desks": len(delays),
        "store_delay_median_ms": round(statistics.median(delays) * 1000, 1) if delays else None,
        "store_delay_p95_ms": round(_percentile(delays, 0.95) * 1000, 1) if delays else None,
        "review_heard_at_other_desk": len(action_delays),
        "review_delay_median_ms": (
            round(statistics.median(action_delays) * 1000, 1) if action_delays else None
        ),
        "review_delay_p95_ms": (
            round(_percentile(action_delays, 0.95) * 1000, 1) if action_delays else None
        ),
        "on_each_desk_list": {d: len(set(results[d]["seen"]) & stored_ids) for d in desks},
        "desk_lost_and_back": {
            d: [round(at - start_time, 1) for _reachable, at in results[d]["states"]][1:]
            for d in desks
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    station = sub.add_parser("station")
    station.add_argument("--kind", choices=["kiosk", "desk", "editor"], required=True)
    station.add_argument("--name", required=True)
    station.add_argument("--folder", required=True)
    station.add_argument("--until", type=float, default=0.0)
    station.add_argument("--publish-at", type=float, default=0.0)
    parser.add_argument("--seconds", type=int, default=150)
    parser.add_argument("--kiosks", type=int, default=4)
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--print-to-files",
        action="store_true",
        help="desk-2 saves each summary as a PDF file even where CUPS has KioskPDF",
    )
    arguments = parser.parse_args()
    if arguments.command == "station":
        return station_main(arguments)

    server = Server()
    folder = Path(tempfile.mkdtemp(prefix="kiosk-multi-station-"))
    try:
        return _run(server, folder, arguments)
    finally:
        server.close()


def _run(server: Server, folder: Path, arguments: argparse.Namespace) -> int:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(server.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text('CREATE DATABASE "clinic"'))
    admin.dispose()
    url = make_url(server.url).set(database="clinic").render_as_string(hide_password=False)
    init_database(url)
    config = folder / "kiosk.toml"
    config.write_text("read_aloud = false\n")
    config.chmod(0o600)
    env = dict(os.environ, KIOSK_CONFIG=str(config), **{URL_VARIABLE: url})
    if arguments.print_to_files:
        env["KIOSK_RUN_PRINT_TO_FILES"] = "1"
    start = time.time()
    until = start + arguments.seconds
    kiosks = [f"kiosk-{n}" for n in range(1, arguments.kiosks + 1)]
    desks = ["desk-1", "desk-2"]

    def launch(kind: str, name: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "station", "--kind", kind,
             "--name", name, "--folder", str(folder), "--until", str(until),
             "--publish-at", str(start + arguments.seconds * 0.45)],
            env=env, cwd=ROOT,
        )  # fmt: skip

    processes = [launch("desk", name) for name in desks]
    time.sleep(3)  # desks listening before the first patient
    processes += [launch("kiosk", name) for name in kiosks]
    processes.append(launch("editor", "editor"))
    events: list[tuple[str, float]] = []
    for at_share, mode in ((0.3, "fast"), (0.65, "immediate")):
        time.sleep(max(0.0, start + arguments.seconds * at_share - time.time()))
        events.append((f"stopped ({mode})", time.time() - start))
        server.stop(mode)
        time.sleep(5)
        server.start()
        events.append(("started", time.time() - start))
    print(f"server: {events}", file=sys.stderr, flush=True)
    for process in processes:
        process.wait()
    figures = _figures(folder, url, kiosks, desks, start)
    figures["seconds"] = round(time.time() - start)
    figures["server_events"] = [(what, round(at, 1)) for what, at in events]
    text_out = json.dumps(figures, indent=2)
    print(text_out)
    if arguments.out:
        arguments.out.write_text(text_out)
    return 0 if figures["lost"] == 0 and figures["duplicated"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
