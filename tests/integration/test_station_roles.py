"""Each station's database role on a server, tried as that role: what it must do, and
every refusal of what it must not.

A clinic's database is made as clinic IT makes it: an owner role (with CREATEROLE) owns
the database, `kiosk db init` runs as that owner and writes one settings file per kind
of station; each test then connects as a station with that file and nothing else. Runs
on the test server (`KIOSK_TEST_POSTGRESQL_URL`); skips without one.
"""

from __future__ import annotations

import dataclasses
import secrets
import stat
import tomllib
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from kiosk.actor import Actor, Role, StaffMember
from kiosk.alerts import Alerts, Heartbeat
from kiosk.audit import AuditAction
from kiosk.check_in import CheckIn, Outcome, VisitEnd
from kiosk.cli import main as kiosk_command
from kiosk.content import Answer
from kiosk.database import init_database
from kiosk.desk import VisitQuery
from kiosk.exit_pin import ExitPin, hash_pin, write_pending
from kiosk.settings import Settings, load_settings
from kiosk.station import Station, StorageUnavailableError
from kiosk.stored_visits import store_finished_visit
from kiosk.visit import KioskTiming, Step, VisitFlow
from kiosk.visit_walk import SCRIBBLE, ManualClock, walk_visit
from tests.conftest import PostgreSQLServer

pytestmark = pytest.mark.parametrize("database_engine", ["postgresql"])
psycopg: Any = pytest.importorskip("psycopg")

REFUSED = "42501"  # insufficient_privilege: also "must be owner of ..."
RAISED = "P0001"  # raise_exception: the audit trail's own triggers


@dataclass
class Clinic:
    """A clinic's database on the server, made by `kiosk db init` as its owner."""

    name: str
    owner_url: str
    folder: Path  # where `kiosk db init` wrote the stations' settings files
    printed: str  # what `kiosk db init` said

    def settings_file(self, kind: str) -> Path:
        return self.folder / f"{kind}.toml"

    def url_of(self, kind: str) -> str:
        return str(tomllib.loads(self.settings_file(kind).read_text())["database_url"])

    def connect(self, kind: str) -> Any:
        """A plain psycopg connection as that station's role, as anyone holding its
        settings file could open."""
        url = self.owner_url if kind == "owner" else self.url_of(kind)
        conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        return psycopg.connect(conninfo, autocommit=True)

    def refuses(self, kind: str, statement: str, code: str = REFUSED) -> None:
        with self.connect(kind) as connection, pytest.raises(psycopg.Error) as refusal:
            connection.execute(statement)
        assert refusal.value.sqlstate == code, (statement, refusal.value)

    def owner_reads(self, query: str) -> list[tuple[Any, ...]]:
        with self.connect("owner") as connection:
            return list(connection.execute(query).fetchall())


@pytest.fixture
def clinic(
    database_engine: str,
    postgresql_server: PostgreSQLServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Iterator[Clinic]:
    name = f"clinic_{uuid.uuid4().hex[:10]}"
    owner, password = f"{name}_owner", secrets.token_hex(16)
    server = create_engine(postgresql_server.url, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f"CREATE ROLE {owner} LOGIN CREATEROLE PASSWORD '{password}'"))
        connection.execute(text(f"CREATE DATABASE {name} OWNER {owner}"))
    owner_url = postgresql_server.url.set(username=owner, password=password, database=name)
    # `kiosk db init URL` as clinic IT runs it: the owner's password in libpq's password
    # file, never on the command line.
    password_file = tmp_path / "pgpass"
    password_file.write_text(f"*:*:*:{owner}:{password}\n")
    password_file.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(password_file))
    folder = tmp_path / "stations"
    capsys.readouterr()
    url_given = owner_url._replace(password=None).render_as_string(hide_password=False)
    assert kiosk_command(["db", "init", url_given, "--settings-folder", str(folder)]) == 0
    printed = capsys.readouterr().out
    yield Clinic(name, owner_url.render_as_string(hide_password=False), folder, printed)
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        for role in ("kiosk", "desk", "editor", "owner"):
            connection.execute(text(f'DROP ROLE IF EXISTS "{name}_{role}"'))
    server.dispose()


def station_settings(clinic: Clinic, kind: str, tmp_path: Path, monkeypatch: Any) -> Settings:
    """The station's settings: its settings file as `kiosk db init` wrote it, unchanged."""
    monkeypatch.setenv("KIOSK_CONFIG", str(clinic.settings_file(kind)))
    return load_settings({"held_visits_dir": tmp_path / f"held-{kind}"})


@pytest.fixture
def open_station(
    clinic: Clinic, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[str], tuple[Station, Settings]]]:
    opened: list[Station] = []

    def open_(kind: str) -> tuple[Station, Settings]:
        settings = station_settings(clinic, kind, tmp_path, monkeypatch)
        station = Station.open(settings, name=f"{kind}-1")
        opened.append(station)
        return station, settings

    yield open_
    for station in opened:
        station.close()


# --- kiosk db init ----------------------------------------------------------------------


def test_init_writes_each_stations_settings_file_for_its_owner_alone(clinic: Clinic) -> None:
    for kind in ("kiosk", "desk", "editor"):
        file = clinic.settings_file(kind)
        assert stat.S_IMODE(file.stat().st_mode) == 0o600
        assert str(file) in clinic.printed
        url = make_url(clinic.url_of(kind))
        assert url.username == f"{clinic.name}_{kind}"
        assert url.password
        # Never printed, and the connection is as encrypted as the owner's was.
        assert url.password not in clinic.printed
        assert url.query["sslmode"] == "verify-full"
        assert url.database == clinic.name


def test_init_again_keeps_the_passwords_unless_told_new(clinic: Clinic, capsys: Any) -> None:
    before = clinic.url_of("kiosk")
    url = make_url(clinic.owner_url)._replace(password=None).render_as_string(hide_password=False)
    folder = str(clinic.folder)
    assert kiosk_command(["db", "init", url, "--settings-folder", folder]) == 0
    assert "was there already" in capsys.readouterr().out
    assert clinic.url_of("kiosk") == before
    assert kiosk_command(["db", "init", url, "--settings-folder", folder, "--new-passwords"]) == 0
    after = clinic.url_of("kiosk")
    assert after != before
    with clinic.connect("kiosk") as connection:  # the new password is the one that works
        assert connection.execute("SELECT 1").fetchone() == (1,)


def test_db_upgrade_gives_the_roles_back_what_they_need(clinic: Clinic, capsys: Any) -> None:
    with clinic.connect("owner") as connection:
        connection.execute(f'REVOKE SELECT ON content_versions FROM "{clinic.name}_kiosk"')
    clinic.refuses("kiosk", "SELECT sha256 FROM content_versions")
    url = make_url(clinic.owner_url)._replace(password=None).render_as_string(hide_password=False)
    assert kiosk_command(["db", "upgrade", url]) == 0
    assert "station roles have their privileges" in capsys.readouterr().out
    with clinic.connect("kiosk") as connection:
        assert connection.execute("SELECT count(*) FROM content_versions").fetchone() == (1,)


def test_a_station_role_cannot_make_or_reset_the_roles(clinic: Clinic) -> None:
    # `kiosk db init` with a station's URL would make nothing: it is not the owner.
    assert init_database(clinic.url_of("desk")).value == "already current"
    clinic.refuses("desk", f'CREATE ROLE "{clinic.name}_mallory" LOGIN')
    clinic.refuses("kiosk", f"ALTER ROLE \"{clinic.name}_desk\" PASSWORD 'x'")


# --- the kiosk --------------------------------------------------------------------------


def test_a_whole_kiosk_visit_is_stored_through_the_kiosk_role(
    clinic: Clinic, open_station: Callable[[str], tuple[Station, Settings]]
) -> None:
    station, settings = open_station("kiosk")
    clock = ManualClock()
    check_in = station.check_in(settings, clock=clock, timing=KioskTiming())
    ends: list[Outcome] = []

    class Heard:
        def visit_changed(self, visit: object) -> None:
            pass

        def visit_finished(self, end: VisitEnd) -> None:
            ends.append(end.outcome)

        def held_visit_stored(self, visit_id: str) -> None:
            pass

    check_in.listen(Heard())
    assert check_in.content() is not None, "the kiosk reads the content in use"
    # The patient's taps, as the kiosk's screens forward them.
    finished = check_in.start(language="")
    assert finished is not None
    assert check_in.enter_details("Ana", "García", "04/15/1968") == []
    for _ in finished.content.slides:
        clock.advance(7)
        check_in.next_slide()
    while finished.step.value == "teach_back":  # every teach-back answer right
        check_in.answer_teach_back(str(finished.teach_back_question.right_answer))
    for _ in finished.questions:
        check_in.answer(Answer.NO)
    check_in.confirm_answers()
    for statement in finished.content.consent_statements:
        check_in.acknowledge(statement.id)
    check_in.sign(SCRIBBLE)
    assert check_in.enter_ride_home("Luis García", "(555) 201-3344", "husband") == []
    assert finished.step is Step.DONE
    assert ends == [Outcome.SAVING, Outcome.STORED]
    assert clinic.owner_reads(f"SELECT first_name FROM visits WHERE id = '{finished.id}'") == [
        ("Ana",)
    ]
    stored = clinic.owner_reads(
        f"SELECT actor, action FROM audit_entries WHERE visit_id = '{finished.id}'"
    )
    assert stored == [("kiosk:kiosk-1", "visit_stored")]
    # A replay after a dropped connection stores nothing twice.
    with station.database.session() as session, session.begin():
        assert store_finished_visit(session, finished, station="kiosk-1") is False
    assert clinic.owner_reads("SELECT count(*) FROM visits") == [(1,)]
    assert clinic.owner_reads("SELECT count(*) FROM audit_entries WHERE action = 'visit_stored'")[
        0
    ] == (1,)


def test_the_kiosk_beats_asks_for_help_and_closes_through_its_functions(
    clinic: Clinic, open_station: Callable[[str], tuple[Station, Settings]]
) -> None:
    station, settings = open_station("kiosk")
    check_in: CheckIn = station.check_in(settings, timing=KioskTiming())
    by = Actor.kiosk(station="kiosk-1", now=check_in.clock())
    alerts = Alerts(station.database)
    alerts.heartbeat(Heartbeat(2, True, "abc", held_because="the server is away"), by)
    alerts.heartbeat(Heartbeat(2, True, "abc"), by)  # still held: one alert, not two
    asked = alerts.ask_for_help("questions", by)
    assert alerts.help_state(asked, station="kiosk-1").cleared is False
    # Another kiosk's alert reads as gone: a kiosk reads only its own.
    assert alerts.help_state(asked, station="kiosk-2").cleared is True
    check_in.kiosk_closed(by)
    # Exit PIN tries, kept on the kiosk, go in through the kiosk's function.
    exit_pin = ExitPin(
        hash_pin("482913"),
        station="kiosk-1",
        pending_folder=settings.held_visits_dir,
        clock=check_in.clock,
    )
    exit_pin.try_pin("000000", at=by.now)
    assert (
        write_pending(station.database, station="kiosk-1", pending_folder=settings.held_visits_dir)
        == 1
    )
    open_alerts = clinic.owner_reads(
        "SELECT kind FROM alerts WHERE cleared_at IS NULL ORDER BY kind"
    )
    assert open_alerts == [("check_in_paused",), ("help_requested",), ("visits_held",)]
    alerts.heartbeat(Heartbeat(0, False, "abc"), by)
    assert clinic.owner_reads("SELECT kind FROM alerts WHERE cleared_at IS NULL") == [
        ("help_requested",)
    ]
    assert clinic.owner_reads("SELECT held_visits FROM stations WHERE name = 'kiosk-1'") == [(0,)]
    actions = {row[0] for row in clinic.owner_reads("SELECT action FROM audit_entries")}
    assert {"alert_raised", "alert_cleared", "kiosk_closed", "kiosk_exit_refused"} <= actions


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT first_name FROM visits",
        "SELECT count(*) FROM answers",
        "SELECT password_hash FROM staff_accounts",
        "SELECT detail FROM audit_entries",
        "SELECT detail FROM alerts",
        "SELECT name FROM stations",
        "SELECT canonical FROM content_drafts",
        "SELECT name_key FROM patients",
        "SELECT first_name FROM expected_patients",
        "SELECT typed FROM detail_corrections",
        "SELECT name_key FROM visit_names",
        "INSERT INTO visit_names (name_key, visits) VALUES ('forged', 1)",
        "INSERT INTO expected_patients (day) VALUES (now())",
        "DELETE FROM expected_patients",
        "UPDATE patients SET last_consent_at = now()",
        "INSERT INTO visits (id) VALUES ('forged')",
        (
            "INSERT INTO audit_entries (actor, action, station, detail) "
            "VALUES ('user:maria', 'sign_in', 'x', '')"
        ),
        "INSERT INTO content_publications (content_version_id) VALUES (1)",
        "DELETE FROM content_versions",
        "DELETE FROM visits",
        "UPDATE audit_entries SET detail = 'rewritten'",
        "DELETE FROM audit_entries",
        "TRUNCATE audit_entries",
        "UPDATE alerts SET cleared_at = now()",
        "ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only",
        "DROP TRIGGER audit_entries_append_only ON audit_entries",
        (
            "CREATE OR REPLACE FUNCTION audit_entries_refuse_change() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$"
        ),
        "ALTER FUNCTION kiosk_store_visit(jsonb) SECURITY INVOKER",
        "DROP FUNCTION kiosk_store_visit(jsonb)",
        "CREATE TABLE public.mine (id integer)",
        "CREATE TEMPORARY TABLE content_versions (id integer)",
        "SELECT purge_visits_finished_before(now()::timestamp, 0, 'kiosk:k', 'k')",
        "SELECT staff_let_sign_in(1, now()::timestamp)",
        "SELECT * FROM staff_count_wrong_sign_in(1, now()::timestamp, now()::timestamp, 5)",
    ],
)
def test_the_kiosk_role_is_refused(clinic: Clinic, statement: str) -> None:
    clinic.refuses("kiosk", statement)


def test_the_kiosks_functions_refuse_what_is_not_the_kiosks(clinic: Clinic) -> None:
    clinic.refuses("kiosk", "SELECT kiosk_record_event('user:maria', 'sign_in', 'k', '')", REFUSED)
    clinic.refuses(
        "kiosk", "SELECT kiosk_record_event('kiosk:k', 'visits_purged', 'k', '')", REFUSED
    )
    clinic.refuses(
        "kiosk", "SELECT kiosk_raise_alert('kiosk_not_responding', 'k', '', 'kiosk:k')", REFUSED
    )


def test_a_kiosk_finding_a_protection_missing_raises_an_alert_and_repairs_nothing(
    clinic: Clinic, open_station: Callable[[str], tuple[Station, Settings]]
) -> None:
    with clinic.connect("owner") as connection:
        connection.execute("DROP TRIGGER audit_entries_append_only ON audit_entries")
    open_station("kiosk")
    assert clinic.owner_reads(
        "SELECT count(*) FROM pg_trigger WHERE tgname = 'audit_entries_append_only'"
    ) == [(0,)]
    raised = clinic.owner_reads(
        "SELECT station, detail FROM alerts WHERE kind = 'protection_missing'"
    )
    assert len(raised) == 1
    assert raised[0][0] == "kiosk-1"
    assert "audit_entries_append_only missing" in raised[0][1]
    open_station("kiosk")  # started again: the same alert, not a second
    assert clinic.owner_reads("SELECT count(*) FROM alerts WHERE kind = 'protection_missing'") == [
        (1,)
    ]


# --- the desk ---------------------------------------------------------------------------


def test_a_desk_works_through_the_desk_role(
    clinic: Clinic, open_station: Callable[[str], tuple[Station, Settings]], tmp_path: Path
) -> None:
    kiosk, kiosk_settings = open_station("kiosk")
    clock = ManualClock()
    pack = kiosk.check_in(kiosk_settings, clock=clock).content()
    assert pack is not None
    visit = walk_visit(pack, clock, first="Ana", last="García", ride=None)
    with kiosk.database.session() as session, session.begin():
        assert store_finished_visit(session, visit, station="kiosk-1")

    editor, _ = open_station("editor")
    admin = Actor.command_line(station="editor-1", now=clock())
    editor.staff_accounts().add("maria", {Role.CLINICIAN}, "correct horse battery staple", admin)

    desk, desk_settings = open_station("desk")
    accounts = desk.staff_accounts()
    wrong = accounts.sign_in("maria", "wrong", now=clock(), station="desk-1", lock_minutes=15)
    assert wrong.member is None
    assert clinic.owner_reads("SELECT failed_attempts FROM staff_accounts") == [(1,)]
    signed = accounts.sign_in(
        "maria", "correct horse battery staple", now=clock(), station="desk-1", lock_minutes=15
    )
    assert signed.member is not None
    assert clinic.owner_reads("SELECT failed_attempts FROM staff_accounts") == [(0,)]
    maria = Actor.staff(signed.member, station="desk-1", now=clock())

    front_desk = desk.front_desk(desk_settings)
    listed = front_desk.todays_list(now=clock())
    assert [row.id for row in listed.check_ins] == [visit.id]
    record = front_desk.open_visit(visit.id, maria)
    assert record.first_name == "Ana"
    front_desk.review_flags(visit.id, "called her sister", maria)
    front_desk.arrange_ride(visit.id, "Luis García", "(555) 201-3344", maria)
    front_desk.void_visit(visit.id, "checked in twice", maria)
    front_desk.undo_void(visit.id, maria)
    assert clinic.owner_reads(
        f"SELECT reviewed_by, ride_driver_name, voided_at FROM visits WHERE id = '{visit.id}'"
    ) == [("maria", "Luis García", None)]
    assert front_desk.search(VisitQuery(text="garcía"), maria).check_ins[0].id == visit.id
    assert [v.id for v in front_desk.list_visits(maria)] == [visit.id]
    front_desk.save_summary(visit.id, tmp_path / "summary.pdf", maria)
    assert (tmp_path / "summary.pdf").read_bytes().startswith(b"%PDF")
    # A print the print system refused is recorded (print state) through the desk role.
    sent = front_desk.send_summary(
        visit.id, b"%PDF-1.4\n", printer="no-such-printer", copy="staff", by=maria
    )
    assert sent.failure
    last = front_desk.latest_print(visit.id)
    assert last is not None
    assert last.printer == "no-such-printer"
    trail = front_desk.read_audit(maria, visit_id=visit.id)
    assert trail[0].action == "visit_stored"
    # The kiosk's help request reaches the desk, which shows, acknowledges and clears it.
    asked = Alerts(kiosk.database).ask_for_help(
        "welcome", Actor.kiosk(station="kiosk-1", now=clock())
    )
    desk_alerts = Alerts(desk.database)
    board = desk_alerts.board(maria)
    # The refused print raised the desk's own printer alert beside it.
    assert sorted(alert.kind.value for alert in board.alerts) == [
        "help_requested",
        "printer_problem",
    ]
    desk_alerts.displayed([asked], "desk-1")
    desk_alerts.acknowledge(asked, "on my way", maria)
    desk_alerts.clear(asked, maria)
    assert [alert.kind.value for alert in desk_alerts.board(maria).alerts] == ["printer_problem"]
    # Nobody purges at the kiosk on a server; the desk may.
    assert kiosk.purges_here() is False
    assert desk.purges_here() is True
    # Retention runs on the server side: the desk purges through the owner's function.
    clock.advance(400 * 24 * 3600)
    purged = desk.purge_older_than(365, Actor.staff(signed.member, station="desk-1", now=clock()))
    assert purged.removed == 1
    assert clinic.owner_reads("SELECT count(*) FROM visits") == [(0,)]
    assert clinic.owner_reads("SELECT actor FROM audit_entries WHERE action = 'visits_purged'") == [
        ("user:maria",)
    ]


def test_patients_who_come_back_through_the_desk_and_kiosk_roles(
    clinic: Clinic, open_station: Callable[[str], tuple[Station, Settings]]
) -> None:
    """The desk links, corrects, merges and keeps today's list through its role; the
    kiosk learns only which flow to run (the owner's function); a purge through the
    owner's function takes corrections and patients with their last visits."""
    kiosk, kiosk_settings = open_station("kiosk")
    clock = ManualClock()
    pack = kiosk.check_in(kiosk_settings, clock=clock).content()
    assert pack is not None
    first = walk_visit(pack, clock, first="Ana", last="Garcia", born="04/15/1968")
    typo = walk_visit(pack, clock, first="Ana", last="Garcai", born="04/15/1968")
    for visit in (first, typo):
        with kiosk.database.session() as session, session.begin():
            assert store_finished_visit(session, visit, station="kiosk-1")

    desk, desk_settings = open_station("desk")
    clerk = StaffMember(7, "maria", frozenset({Role.STAFF}))
    maria = Actor.staff(clerk, station="desk-1", now=clock())
    front_desk = desk.front_desk(desk_settings)
    patient = front_desk.link_visit(first.id, None, maria)
    duplicate = front_desk.link_visit(typo.id, None, maria)
    assert front_desk.correct_details(typo.id, maria, last_name="Garcia")
    # The name search follows the correction made through the desk's role (the owner's
    # trigger function writes the names; the desk's role only reads them).
    assert clinic.owner_reads("SELECT name_key, visits FROM visit_names") == [("ana garcia", 2)]
    assert front_desk.search(VisitQuery(text="garcai"), maria).check_ins == ()
    assert len(front_desk.search(VisitQuery(text="garcia"), maria).check_ins) == 2
    assert [p.id for p in front_desk.suggested_patients(typo.id)] == [patient]
    assert front_desk.merge_patients(patient, duplicate, maria) == 1
    record = front_desk.patient(patient)
    assert record is not None
    assert record.visit_count == 2
    clock.advance(7 * 24 * 3600)
    maria = Actor.staff(clerk, station="desk-1", now=clock())
    front_desk.expect("ANA", "García", "04/15/1968", "9:30", maria)
    front_desk.expect("Luis", "Lee", "01/02/1950", "", maria)
    assert [line.patient_id for line in front_desk.expected_today(now=clock())] == [
        patient,
        None,
    ]

    def flow_for(first_name: str, last_name: str) -> VisitFlow:
        check_in = kiosk.check_in(kiosk_settings, clock=clock, timing=KioskTiming())
        started = check_in.start(language="")
        assert started is not None
        assert check_in.enter_details(first_name, last_name, "04/15/1968") == []
        return started.flow

    # Expected, one record, a recent consent on these very slides: the reminder.
    assert flow_for("Ana", "Garcia") is VisitFlow.RETURN_WITHOUT_SLIDES
    # Not on today's list: the whole first visit.
    assert flow_for("Ana", "Lopez") is VisitFlow.FIRST_VISIT
    clock.advance(400 * 24 * 3600)
    assert flow_for("Ana", "Garcia") is VisitFlow.FIRST_VISIT  # that list was another day's

    purged = desk.purge_older_than(365, Actor.staff(clerk, station="desk-1", now=clock()))
    assert purged.removed == 2
    for table in ("visits", "patients", "detail_corrections", "expected_patients", "visit_names"):
        assert clinic.owner_reads(f"SELECT count(*) FROM {table}") == [(0,)], table


def test_a_purge_through_the_owner_recomputes_a_patients_last_consent(
    clinic: Clinic, open_station: Callable[[str], tuple[Station, Settings]]
) -> None:
    """A patient whose signed visit is purged and whose kept visit is not signed has no
    consent left: their next visit is a first visit again (as on SQLite)."""
    kiosk, kiosk_settings = open_station("kiosk")
    clock = ManualClock()
    pack = kiosk.check_in(kiosk_settings, clock=clock).content()
    assert pack is not None
    signed = walk_visit(pack, clock, first="Ana", last="Garcia")
    with kiosk.database.session() as session, session.begin():
        assert store_finished_visit(session, signed, station="kiosk-1")
    clock.advance(300 * 24 * 3600)
    unsigned = walk_visit(pack, clock, first="Ana", last="Garcia", talk_first=True)
    with kiosk.database.session() as session, session.begin():
        assert store_finished_visit(session, unsigned, station="kiosk-1")
    desk, desk_settings = open_station("desk")
    clerk = StaffMember(7, "maria", frozenset({Role.STAFF}))
    front_desk = desk.front_desk(desk_settings)
    maria = Actor.staff(clerk, station="desk-1", now=clock())
    patient = front_desk.link_visit(signed.id, None, maria)
    front_desk.link_visit(unsigned.id, patient, maria)
    assert front_desk.correct_details(signed.id, maria, first_name="Anna")
    before = front_desk.patient(patient)
    assert before is not None
    assert before.last_consent_at is not None
    clock.advance(100 * 24 * 3600)
    purged = desk.purge_older_than(365, Actor.staff(clerk, station="desk-1", now=clock()))
    assert purged.removed == 1
    after = front_desk.patient(patient)
    assert after is not None
    assert after.visit_count == 1
    assert after.last_consent_at is None
    assert after.last_consent_version is None
    assert clinic.owner_reads("SELECT count(*) FROM detail_corrections") == [(0,)]


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO content_publications (content_version_id) VALUES (1)",
        "INSERT INTO content_versions (sha256) VALUES ('x')",
        "UPDATE content_drafts SET canonical = ''",
        "UPDATE staff_accounts SET failed_attempts = 0",
        "UPDATE staff_accounts SET roles = 'admin'",
        "INSERT INTO staff_accounts (username) VALUES ('mallory')",
        "DELETE FROM visits",
        "DELETE FROM answers",
        "DELETE FROM print_jobs",
        "DELETE FROM alerts",
        "DELETE FROM detail_corrections",
        "INSERT INTO visit_names (name_key, visits) VALUES ('forged', 1)",
        "UPDATE visit_names SET visits = 0",
        "DELETE FROM visit_names",
        "UPDATE detail_corrections SET became = 'x'",
        "UPDATE expected_patients SET day = now()",
        "TRUNCATE patients",
        "UPDATE answers SET answer = 'no'",
        # What the patient signed and saw, and where they checked in, stays as stored.
        "UPDATE visits SET signed_name = 'forged'",
        "UPDATE visits SET content_version_id = 1",
        "UPDATE visits SET station = 'elsewhere', finished_at = now()",
        "UPDATE flags SET sentence = 'nothing to see'",
        "UPDATE audit_entries SET detail = 'rewritten'",
        "DELETE FROM audit_entries",
        "TRUNCATE audit_entries",
        "TRUNCATE visits",
        "ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only",
        "DROP TRIGGER audit_entries_database_order ON audit_entries",
        "ALTER TABLE visits ADD COLUMN mine text",
        "SELECT setval('audit_entries_id_seq', 1)",
    ],
)
def test_the_desk_role_is_refused(clinic: Clinic, statement: str) -> None:
    clinic.refuses("desk", statement)


# --- the editor -------------------------------------------------------------------------


def test_the_editor_publishes_through_the_editor_role(
    clinic: Clinic, open_station: Callable[[str], tuple[Station, Settings]]
) -> None:
    editor, _ = open_station("editor")
    editing = editor.content_editing()
    clock = ManualClock()
    admin = Actor.command_line(station="editor-1", now=clock())
    _, pack = editing.content_in_use(now=clock())
    changed = dataclasses.replace(pack, clinic_name="Riverside Infusions")
    editing.save_draft(changed, based_on=None, by=admin)
    published = editing.publish_draft(label="new name", by=admin)
    assert published.label == "new name"
    assert "new name" in [v.label for v in editing.versions()]
    assert clinic.owner_reads("SELECT count(*) FROM content_publications") == [(2,)]
    # The kiosk's next visit shows it.
    kiosk, kiosk_settings = open_station("kiosk")
    shown = kiosk.check_in(kiosk_settings).content()
    assert shown is not None
    assert shown.clinic_name == "Riverside Infusions"


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT first_name FROM visits",
        "SELECT * FROM visits",
        "SELECT name_key FROM visit_names",
        "SELECT answer FROM answers",
        "SELECT first_name FROM patients",
        "SELECT first_name FROM expected_patients",
        "SELECT typed FROM detail_corrections",
        (
            "SELECT kiosk_which_flow('ana garcia', now()::date, now()::date, "
            "now()::timestamp, 1, '{}')"
        ),
        "UPDATE visits SET reviewed_by = 'x'",
        "DELETE FROM visits",
        "DELETE FROM content_versions",
        "DELETE FROM content_publications",
        "UPDATE content_versions SET label = 'x'",
        "UPDATE audit_entries SET detail = 'rewritten'",
        "DELETE FROM audit_entries",
        "TRUNCATE audit_entries",
        "DELETE FROM staff_accounts",
        "DROP TABLE content_drafts",
        "SELECT purge_visits_finished_before(now()::timestamp, 0, 'user:x', 'e')",
    ],
)
def test_the_editor_role_is_refused(clinic: Clinic, statement: str) -> None:
    clinic.refuses("editor", statement)


# --- the owner --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_entries SET detail = 'rewritten'",
        "DELETE FROM audit_entries",
        "TRUNCATE audit_entries",
    ],
)
def test_the_triggers_refuse_even_the_owner(
    clinic: Clinic, open_station: Callable[[str], tuple[Station, Settings]], statement: str
) -> None:
    station, _ = open_station("desk")
    with station.database.session() as session, session.begin():
        Actor.command_line(station="desk-1", now=ManualClock()()).audit(
            session, AuditAction.AUDIT_READ
        )
    clinic.refuses("owner", statement, RAISED)
    assert clinic.owner_reads("SELECT count(*) FROM audit_entries")[0][0] >= 1


def test_a_desk_asked_to_publish_or_add_an_account_says_its_role_may_not(
    clinic: Clinic, open_station: Callable[[str], tuple[Station, Settings]]
) -> None:
    desk, _ = open_station("desk")
    clock = ManualClock()
    admin = Actor.command_line(station="desk-1", now=clock())
    _, pack = desk.content_editing().content_in_use(now=clock())
    with pytest.raises(StorageUnavailableError, match="role may not do that"):
        desk.content_editing().save_draft(pack, based_on=None, by=admin)
    with pytest.raises(StorageUnavailableError, match="role may not do that"):
        desk.staff_accounts().add("mallory", {Role.ADMIN}, "correct horse battery staple", admin)
    assert clinic.owner_reads("SELECT count(*) FROM staff_accounts") == [(0,)]
