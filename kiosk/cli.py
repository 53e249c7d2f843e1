"""The `kiosk` subcommands that need no screen: summary, visits, content, demo-data.

The console script enters through `ui.main`, which adds the window subcommands and hands
everything else here without importing Qt, so these stay fast and run on a server.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from kiosk import auth, name_search
from kiosk.actor import Actor, Role, roles_in_order, staff_audit_name
from kiosk.alerts import Alert, Alerts, StationState
from kiosk.content import ContentPack
from kiosk.content_editing import ContentEditing
from kiosk.database import (
    HEAD_REVISION,
    Database,
    DatabaseNotReadyError,
    DatabaseUnavailableError,
    Initialized,
    NotReady,
    connect_database,
    init_database,
    open_database,
    upgrade_database,
)
from kiosk.database_url import parse as parse_url
from kiosk.database_url import shown_url
from kiosk.desk import DeskError
from kiosk.exit_pin import ExitPinError, write_exit_pin
from kiosk.file_access import restrict_new_files
from kiosk.front_desk import FrontDesk
from kiosk.pack_loader import ContentPackError, bundled_pack_dir, load_pack
from kiosk.server_roles import StationRoleError, grant_after_upgrade
from kiosk.server_roles import prepare as prepare_station_roles
from kiosk.settings import (
    Settings,
    SettingsError,
    add_global_options,
    config_path,
    load_settings,
    station_name,
)
from kiosk.staff_accounts import StaffAccounts
from kiosk.unit_of_work import StorageUnavailableError
from kiosk.upkeep import Upkeep
from kiosk.visit_record import teach_back_counts

Handler = Callable[[argparse.Namespace, Settings], int]


class CommandError(Exception):
    """A command cannot do what was asked; the message is one plain line."""


def _since(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2026-11-28") from error


def _whole_number(low: int, high: int) -> Callable[[str], int]:
    """An option's number: ASCII digits from `low` to `high`, never cut or rounded."""

    def parse(value: str) -> int:
        # isdigit() alone would take "²" and "٣", which int() then refuses with a trace.
        if not (value.isascii() and value.isdigit() and len(value) <= 12) or not (
            low <= int(value) <= high
        ):
            raise argparse.ArgumentTypeError(
                f"{value[:20]!r} is not a whole number from {low} to {high}"
            )
        return int(value)

    return parse


def _database(settings: Settings) -> Database:
    try:
        return open_database(settings.database_url)
    except DatabaseUnavailableError as error:
        raise CommandError(str(error)) from error


def _database_to_read(settings: Settings) -> Database | None:
    """For a question that only reads: None where no database was ever made.

    Nothing there is nothing to list, and asking makes nothing (no file, no folder). A
    database this computer used and is now gone is an error, never an empty answer.
    """
    try:
        return open_database(settings.database_url)
    except DatabaseNotReadyError as error:
        if error.state is not NotReady.NEVER_MADE:
            raise CommandError(str(error)) from error
        print(f"kiosk: {error}", file=sys.stderr)
        return None
    except DatabaseUnavailableError as error:
        raise CommandError(str(error)) from error


def _named_database(args: argparse.Namespace, settings: Settings) -> str:
    """The URL given to `kiosk db`, under the rules of `--database` (no secret in it)."""
    if not args.url:
        return settings.database_url
    try:
        return load_settings({"database_url": args.url}).database_url
    except SettingsError as error:
        raise CommandError(f"the settings have problems:\n{error}") from error


def cmd_db_init(args: argparse.Namespace, settings: Settings) -> int:
    """Make the database with the current schema (a database already current is kept)."""
    url = _named_database(args, settings)
    try:
        done = init_database(url, new=args.new)
    except DatabaseUnavailableError as error:
        raise CommandError(str(error)) from error
    if done is Initialized.MADE:
        print(f"Made the database at {shown_url(url)}")
    else:
        print(f"The database at {shown_url(url)} is already current; nothing was changed")
    if parse_url(url).get_backend_name() == "postgresql":
        _index_name_parts(url)
        _make_station_roles(url, args)
    return 0


def _index_name_parts(url: str) -> None:
    """On a server: the names' trigram index for the desk's search, or why it is missing."""
    database = connect_database(url)
    try:
        with database.engine.begin() as connection:
            made, missing = name_search.index_parts_on_server(connection)
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        raise CommandError(f"the stored names could not be indexed: {reason}") from None
    finally:
        database.close()
    if made:
        print("Indexed the stored names for the desk's search (pg_trgm)")
    if missing:
        print(
            "The desk's name search compares every stored name (it finds the same visits, "
            f"more slowly with tens of thousands of names): pg_trgm cannot be used ({missing})."
            " Install the server's contrib package (postgresql-contrib), or have a superuser"
            " run CREATE EXTENSION pg_trgm in this database, then run `kiosk db upgrade`"
        )


def _make_station_roles(url: str, args: argparse.Namespace) -> None:
    """On a server: a role per kind of station, and each new one's settings file."""
    database = parse_url(url).database or "kiosk"
    folder = Path(args.settings_folder or f"kiosk-stations-{database}").absolute()
    try:
        roles = prepare_station_roles(url, folder, new_passwords=args.new_passwords)
    except StationRoleError as error:
        raise CommandError(str(error)) from error
    for role in roles:
        if role.settings_file is not None:
            print(
                f"Made the {role.kind.value} role {role.role}; its settings (with its "
                f"password) are in {role.settings_file}: copy that file to each {role.kind.value}"
                " computer as its kiosk.toml, readable by the station's user alone"
            )
        else:
            print(
                f"The {role.kind.value} role {role.role} was there already; its password is "
                "unchanged (`--new-passwords` makes new ones and writes the settings files again)"
            )


def cmd_db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    """Bring the database's schema up to this program's (an admin, once per new version)."""
    url = _named_database(args, settings)
    try:
        before = upgrade_database(url)
    except DatabaseUnavailableError as error:
        raise CommandError(str(error)) from error
    if before is None:
        print(f"The database at {shown_url(url)} is already current; nothing was changed")
    else:
        print(f"Upgraded the database at {shown_url(url)} from schema {before} to {HEAD_REVISION}")
    if parse_url(url).get_backend_name() == "postgresql":
        _index_name_parts(url)
    try:
        if grant_after_upgrade(url):
            print("The station roles have their privileges on the upgraded schema")
    except StationRoleError as error:
        raise CommandError(str(error)) from error
    return 0


def cmd_db_copy(args: argparse.Namespace, settings: Settings) -> int:
    """Copy this computer's database into an empty server database (a clinic moving)."""
    from kiosk.database_copy import CopyError, copy_database

    source = _named_database(args, settings)
    target = _named_database(argparse.Namespace(url=args.to), settings)
    try:
        copied = copy_database(source, target, by=_stamp())
    except CopyError as error:
        raise CommandError(str(error)) from error
    for line in copied.words():
        print(line)
    return 0


def _stamp() -> Actor:
    """The command line acts as `cli:<os user>`: its trust boundary is the OS account."""
    return Actor.command_line(station=station_name(), now=datetime.now(UTC))


def _front_desk(database: Database, settings: Settings) -> FrontDesk:
    return FrontDesk(database, zone=settings.zone, paper_size=settings.paper_size)


def cmd_summary(args: argparse.Namespace, settings: Settings) -> int:
    """Write the PDF summary of one visit."""
    output: Path = args.output
    database = _database(settings)
    front_desk = FrontDesk(database, zone=settings.zone, paper_size=settings.paper_size)
    try:
        visit = front_desk.save_summary(args.visit_id, output, _stamp())
    except DeskError as error:
        raise CommandError(str(error)) from error
    finally:
        database.close()
    print(f"Wrote the summary of visit {visit.id} to {output}")
    return 0


def _password(args: argparse.Namespace, prompt: str) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(f"{prompt}: ")
    if getpass.getpass("The same password again: ") != first:
        raise CommandError("the two passwords are not the same; nothing was changed")
    return first


def _roles(given: list[str]) -> frozenset[Role]:
    """`--role staff --role clinician`, or `--role staff,clinician`: the roles named."""
    names = [name.strip().lower() for text in given for name in text.split(",") if name.strip()]
    known = {role.value for role in Role}
    unknown = sorted(set(names) - known)
    if unknown:
        raise CommandError(
            f"there is no role named {', '.join(unknown)}; the roles are staff, clinician "
            "and admin (see the README's table of who may do what)"
        )
    return frozenset(Role(name) for name in names)


def cmd_exit_pin(args: argparse.Namespace, settings: Settings) -> int:
    """Set this kiosk's exit PIN: only its hash goes into this computer's settings file."""
    if args.pin_stdin:
        pin = sys.stdin.readline().strip()
    else:
        pin = getpass.getpass("The kiosk's new exit PIN (6 to 12 digits): ")
        if getpass.getpass("The same PIN again: ") != pin:
            raise CommandError("the two PINs are not the same; nothing was changed")
    file = config_path()
    try:
        write_exit_pin(file, pin)
    except ExitPinError as error:
        raise CommandError(f"{error}; nothing was changed") from error
    except OSError as error:
        message = f"{file} cannot be written ({error.strerror}); nothing was changed"
        raise CommandError(message) from None
    print(
        f"The exit PIN is set in {file} (its hash only); a running kiosk uses it from its "
        "next start"
    )
    return 0


def cmd_users(args: argparse.Namespace, settings: Settings) -> int:
    """Manage staff accounts."""
    database = _database(settings)
    accounts = StaffAccounts(database)
    try:
        action, name = args.users_command, getattr(args, "name", "")
        if action == "add":
            member = accounts.add(
                name, _roles(args.role), _password(args, f"Password for {name}"), _stamp()
            )
            message = f"Added {member.username} as {member.roles_shown}"
        elif action == "roles":
            member = accounts.set_roles(name, _roles(args.role), _stamp())
            message = f"{member.username} now holds: {member.roles_shown}"
        elif action == "list":
            for account in accounts.listing(_stamp()):
                state = "enabled" if account.enabled else "DISABLED"
                if account.locked_until and account.locked_until > datetime.now(UTC):
                    locked = account.locked_until.astimezone(settings.zone)
                    state += f", locked until {locked:%H:%M}"
                last = (
                    account.last_sign_in_at.astimezone(settings.zone).strftime("%Y-%m-%d %H:%M")
                    if account.last_sign_in_at
                    else "never"
                )
                roles = ",".join(role.value for role in roles_in_order(account.roles))
                line = f"{account.username}  {roles}  {state}  last sign-in {last}"
                if not account.name_follows_rule:
                    # Made before the username rule: it still signs in, but a name
                    # outside it can look like another one in the audit trail.
                    line += "  (name outside the username rule: make a new account for"
                    line += " this person and disable this one)"
                print(line)
            return 0
        elif action in {"disable", "enable"}:
            accounts.set_enabled(name, action == "enable", _stamp())
            message = f"{action.capitalize()}d {name}"
        elif action == "unlock":
            accounts.unlock(name, _stamp())
            message = f"Unlocked {name}"
        else:
            accounts.reset_password(name, _password(args, f"New password for {name}"), _stamp())
            message = f"Set a new password for {name}"
    except auth.AccountError as error:
        raise CommandError(str(error)) from error
    finally:
        database.close()
    print(message)
    return 0


def cmd_audit(args: argparse.Namespace, settings: Settings) -> int:
    """List audit entries, oldest first."""
    since = None
    if args.since is not None:
        since = datetime.combine(args.since, time.min, tzinfo=settings.zone).astimezone(UTC)
    # A bare name means a person's account; cli:… and kiosk:… are given in full.
    actor = args.user if args.user is None or ":" in args.user else staff_audit_name(args.user)
    database = _database_to_read(settings)
    if database is None:
        return 0
    try:
        found = _front_desk(database, settings).read_audit(
            _stamp(), since=since, actor=actor, visit_id=args.visit
        )
    finally:
        database.close()
    for entry in found:
        if args.json:
            print(
                json.dumps(
                    {
                        "id": entry.id,
                        "at": entry.at.isoformat(),
                        "actor": entry.actor,
                        "action": entry.action,
                        "visit_id": entry.visit_id,
                        "station": entry.station,
                        "detail": entry.detail,
                        "original_at": entry.original_at and entry.original_at.isoformat(),
                    },
                    ensure_ascii=False,
                )
            )
        else:
            local = entry.at.astimezone(settings.zone)
            detail = entry.detail
            if entry.original_at is not None:
                first = entry.original_at.astimezone(settings.zone)
                detail = f"{detail} (carried over; first written {first:%Y-%m-%d %H:%M:%S})"
            print(
                f"{local:%Y-%m-%d %H:%M:%S}  {entry.actor}  {entry.action}  "
                f"{entry.visit_id or '-'}  {entry.station}  {detail.strip()}".rstrip()
            )
    return 0


def cmd_visits(args: argparse.Namespace, settings: Settings) -> int:
    """List stored visits, newest first."""
    database = _database_to_read(settings)
    if database is None:
        return 0
    try:
        for visit in _front_desk(database, settings).list_visits(_stamp(), since_day=args.since):
            local = visit.finished_at.astimezone(settings.zone)
            if args.json:
                print(
                    json.dumps(
                        {
                            "id": visit.id,
                            "finished_at": visit.finished_at.isoformat(),
                            "first_name": visit.first_name,
                            "last_name": visit.last_name,
                            "date_of_birth": visit.date_of_birth.isoformat(),
                            "ending": visit.ending,
                            "flags": [
                                {"kind": flag.kind, "wording": flag.wording} for flag in visit.flags
                            ],
                            "demo": visit.is_demo,
                            "patient_id": visit.patient_id,
                            "return_visit": visit.return_visit,
                            # None where no teach-back was asked (no slides shown).
                            "teach_back": (
                                teach_back_counts(visit.teach_back) if visit.teach_back else None
                            ),
                            "measures": dict(visit.measures),
                        },
                        ensure_ascii=False,
                    )
                )
            else:
                flags = f"{visit.flag_count} flag(s)" if visit.flag_count else "no flags"
                demo = "  [DEMO]" if visit.is_demo else ""
                print(
                    f"{local:%Y-%m-%d %H:%M}  {visit.id}  {visit.first_name} "
                    f"{visit.last_name}  born {visit.date_of_birth}  {visit.ending}  "
                    f"{flags}{demo}"
                )
    finally:
        database.close()
    return 0


def _alert_json(alert: Alert) -> dict[str, object]:
    return {
        "id": alert.id,
        "kind": alert.kind.value,
        "station": alert.station,
        "detail": alert.detail,
        "raised_at": alert.raised_at.isoformat(),
        "shown_at": alert.shown_at.isoformat() if alert.shown_at else None,
        "shown_on": alert.shown_on,
        "acknowledged_at": alert.acknowledged_at.isoformat() if alert.acknowledged_at else None,
        "acknowledged_by": alert.acknowledged_by,
        "acknowledgement_note": alert.acknowledgement_note,
    }


def _station_json(station: StationState) -> dict[str, object]:
    return {
        "station": station.name,
        "last_heartbeat_at": station.last_heartbeat_at.isoformat(),
        "responding": station.responding,
        "held_visits": station.held_visits,
        "check_in_paused": station.check_in_paused,
        "content_version": station.content_version,
        "program_version": station.program_version,
    }


def cmd_alerts(args: argparse.Namespace, settings: Settings) -> int:
    """List the open alerts, most urgent first, and each kiosk's last heartbeat."""
    database = _database(settings)
    try:
        # Like a desk's look, this raises a silent kiosk's alert if nobody has yet.
        board = Alerts(database).board(_stamp())
    finally:
        database.close()
    if args.json:
        print(
            json.dumps(
                {
                    "now": board.now.isoformat(),
                    "alerts": [_alert_json(alert) for alert in board.alerts],
                    "stations": [_station_json(station) for station in board.stations],
                },
                ensure_ascii=False,
            )
        )
        return 0
    local = settings.zone
    print(f"Open alerts ({len(board.alerts)}), most urgent first:")
    for alert in board.alerts:
        taken = f"  acknowledged by {alert.acknowledged_by}" if alert.acknowledged_by else ""
        shown = f"  shown on {alert.shown_on}" if alert.shown_on else "  not shown on a desk yet"
        print(
            f"  {alert.raised_at.astimezone(local):%Y-%m-%d %H:%M:%S}  #{alert.id}  "
            f"{alert.kind.value}  {alert.station}: {alert.detail}{shown}{taken}"
        )
    print("Kiosks, last heartbeat:")
    for station in board.stations:
        state = "responding" if station.responding else "NOT RESPONDING"
        silent = int((board.now - station.last_heartbeat_at).total_seconds())
        print(
            f"  {station.name}  {station.last_heartbeat_at.astimezone(local):%Y-%m-%d %H:%M:%S}"
            f" ({silent} s ago)  {state}  held {station.held_visits}"
            f"{'  check-in paused' if station.check_in_paused else ''}"
            f"  content {station.content_version[:12] or '-'}  program {station.program_version}"
        )
    if not board.stations:
        print("  (no kiosk has reported yet)")
    return 0


def cmd_content_check(args: argparse.Namespace, settings: Settings) -> int:
    """Validate a content pack folder (or the content in use)."""
    folder: Path | None = args.folder or settings.content_dir
    if folder is None:
        return _check_content_in_use(settings)
    from kiosk.pack_archive import read_pack

    try:
        pack = read_pack(folder)
    except ContentPackError as error:
        for problem in error.problems:
            print(problem)
        print(f"{len(error.problems)} problem(s) in {folder}", file=sys.stderr)
        return 1
    print(
        f"{folder}: valid — {len(pack.slides)} slides, {_questions(pack)}, "
        f"{len(pack.consent_statements)} consent statements; version {pack.short_version}"
    )
    from kiosk.measure_check import measure_warnings

    for warning in measure_warnings(pack):
        print(f"warning: {warning}")
    return 0


def _questions(pack: ContentPack) -> str:
    """'20 questions (4 teach-back)': how many questions a pack asks, and of them how many
    after the slides."""
    taught = len(pack.teach_back)
    return f"{len(pack.questions)} questions" + (f" ({taught} teach-back)" if taught else "")


def _check_content_in_use(settings: Settings) -> int:
    database = _database_to_read(settings)
    if database is None:
        # A new database starts with the bundled pack: that is what would be in use.
        pack = load_pack(bundled_pack_dir())
        print(
            f"content in use: none yet; a new database starts with the bundled pack, version "
            f"{pack.short_version}, valid — {len(pack.slides)} slides, "
            f"{_questions(pack)}, {len(pack.consent_statements)} consent statements"
        )
        return 0
    try:
        label, version, pack = ContentEditing(database).in_use_label(now=datetime.now(UTC))
        version = version[:12]
    finally:
        database.close()
    print(
        f"content in use: version {version} ({label}), valid — {len(pack.slides)} slides, "
        f"{_questions(pack)}, {len(pack.consent_statements)} consent statements"
    )
    return 0


def _content_problems(error: ContentPackError, source: Path) -> CommandError:
    for problem in error.problems:
        print(problem, file=sys.stderr)
    return CommandError(
        f"{len(error.problems)} problem(s) in {source}; nothing was imported and the "
        "content in use is unchanged"
    )


def cmd_content_import(args: argparse.Namespace, settings: Settings) -> int:
    """Check a pack from a folder or .zip and make it the draft (and publish it if asked)."""
    from kiosk.publishing import PublishError

    source: Path = args.source
    database = _database(settings)
    editing = ContentEditing(database)
    try:
        try:
            draft = editing.import_draft(source, by=_stamp())
        except ContentPackError as error:
            raise _content_problems(error, source) from error
        print(
            f"Imported {source} as the draft: {len(draft.pack.slides)} slides, "
            f"{_questions(draft.pack)}, version {draft.pack.short_version}"
        )
        if not args.publish:
            print("Publish it with: kiosk content publish --label TEXT")
            return 0
        label = args.label or f"imported from {source.name}"
        try:
            published = editing.publish_draft(label=label, by=_stamp())
        except PublishError as error:
            raise CommandError(f"{error} (the draft is kept)") from error
    finally:
        database.close()
    print(
        f"Published version {published.short_version} as number {published.number} "
        f"({published.label}); kiosks take it at their next visit"
    )
    return 0


def cmd_content_publish(args: argparse.Namespace, settings: Settings) -> int:
    """Publish the draft as a new content version."""
    from kiosk.publishing import PublishError

    now = datetime.now(UTC)
    label = args.label or f"published {now.astimezone(settings.zone):%Y-%m-%d %H:%M}"
    database = _database(settings)
    try:
        published = ContentEditing(database).publish_draft(label=label, by=_stamp())
    except PublishError as error:
        raise CommandError(str(error)) from error
    finally:
        database.close()
    print(
        f"Published version {published.short_version} as number {published.number} "
        f"({published.label}); kiosks take it at their next visit"
    )
    return 0


def cmd_content_restore(args: argparse.Namespace, settings: Settings) -> int:
    """Publish an earlier version again."""
    from kiosk.publishing import PublishError

    database = _database(settings)
    try:
        number, published = ContentEditing(database).restore_named(
            args.version, label=args.label, by=_stamp()
        )
    except PublishError as error:
        raise CommandError(str(error)) from error
    finally:
        database.close()
    print(
        f"Restored number {number}: version {published.short_version} is published again "
        f"as number {published.number} ({published.label}); kiosks take it at their next visit"
    )
    return 0


def cmd_content_export(args: argparse.Namespace, settings: Settings) -> int:
    """Write the content in use (or the draft, or an earlier version) to a folder or .zip."""
    from kiosk.pack_archive import ExportError
    from kiosk.publishing import PublishError

    target: Path = args.target
    database = _database(settings)
    try:
        pack, what = ContentEditing(database).export(
            target, by=_stamp(), draft=args.draft, version=args.version
        )
    except (ExportError, PublishError) as error:
        raise CommandError(str(error)) from error
    finally:
        database.close()
    print(f"Exported {what} (version {pack.short_version}) to {target}")
    return 0


def cmd_content_versions(args: argparse.Namespace, settings: Settings) -> int:
    """List every published version, newest first, and the draft if there is one."""
    database = _database(settings)
    try:
        listed, draft = ContentEditing(database).listing(_stamp())
    finally:
        database.close()
    for version in listed:
        if args.json:
            print(
                json.dumps(
                    {
                        "number": version.number,
                        "label": version.label,
                        "published_by": version.published_by,
                        "published_at": version.published_at.isoformat(),
                        "version": version.version,
                        "visits": version.visits,
                        "in_use": version.in_use,
                        "restored_from": version.restored_from,
                    },
                    ensure_ascii=False,
                )
            )
            continue
        local = version.published_at.astimezone(settings.zone)
        restored = f"  (restores number {version.restored_from})" if version.restored_from else ""
        in_use = "  <- in use" if version.in_use else ""
        print(
            f"{version.number:>3}  {local:%Y-%m-%d %H:%M}  {version.short_version}  "
            f"{version.label!r} by {version.published_by}  {version.visits} visit(s)"
            f"{restored}{in_use}"
        )
    if draft is not None and not args.json:
        saved = draft.saved_at.astimezone(settings.zone)
        print(
            f"draft  {saved:%Y-%m-%d %H:%M}  {draft.pack.short_version}  saved by "
            f"{draft.saved_by}, not published"
        )
    return 0


def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    """Write a consistent copy of the database, safe while kiosks run."""
    from kiosk.backup import BackupError, backup

    target: Path = args.file
    # Opened first: a copy of a database that is not there would make an empty one.
    database = _database(settings)
    try:
        backup(settings.database_url, target)
    except BackupError as error:
        database.close()
        raise CommandError(str(error)) from error
    try:
        Upkeep(database).backed_up(target, _stamp())
    finally:
        database.close()
    print(f"Backed up the database to {target}")
    return 0


def cmd_restore(args: argparse.Namespace, settings: Settings) -> int:
    """Replace the database's content with a backup, carrying over what the backup lacks."""
    from kiosk.backup import BackupError, restore

    try:
        restoration = restore(settings.database_url, args.file, by=_stamp())
    except BackupError as error:
        raise CommandError(str(error)) from error
    print(
        f"Restored the database from {args.file}; carried over from before the restore "
        f"{restoration.visits_carried} visits and {restoration.entries_carried} audit "
        "entries the backup lacked"
    )
    if restoration.kept is not None:
        print(f"What it held before is in {restoration.kept}")
    return 0


def cmd_purge(args: argparse.Namespace, settings: Settings) -> int:
    """Remove visits older than the retention period; audit entries keep only their IDs."""
    from kiosk.retention import purge_older_than

    database = _database(settings)
    try:
        purge = purge_older_than(database, args.older_than, _stamp())
    finally:
        database.close()
    print(f"Removed {purge.removed} visits older than {args.older_than} days")
    if purge.wiped:
        return 0
    # The rows are gone, but not yet their text: say so rather than claim a clean wipe.
    print(
        f"kiosk: not wiped yet: another program is reading the database, so "
        f"{purge.pages_not_wiped} pages of its files still hold text from before this "
        "purge (including any visits removed now or by an earlier purge). The wipe "
        "finishes at the next purge once that program has finished reading: run this "
        "command again (a kiosk with retention_days set tries again within a minute).",
        file=sys.stderr,
    )
    return 1


def cmd_demo_data(args: argparse.Namespace, settings: Settings) -> int:
    """Fill the database with synthetic, clearly marked visits."""
    from kiosk.demo import RealVisitsError

    database = _database(settings)
    try:
        added = Upkeep(database).add_demo_visits(
            args.visits,
            content_dir=settings.content_dir,
            zone=settings.zone,
            force=args.force,
            by=_stamp(),
        )
    except RealVisitsError as error:
        raise CommandError(
            f"{error}; demo data would mix with them. Use another database "
            "(--database) or add --force if you are sure"
        ) from error
    finally:
        database.close()
    print(f"Added {added} demo visits (marked DEMO) to {shown_url(settings.database_url)}")
    return 0


def global_options() -> argparse.ArgumentParser:
    """A parent parser so `--database` and `--content` also work after the subcommand."""
    common = argparse.ArgumentParser(add_help=False)
    add_global_options(common, suppress=True)
    return common


def _add_content_commands(
    commands: argparse._SubParsersAction[Any], common: argparse.ArgumentParser
) -> None:
    """`kiosk content check|export|import|publish|versions|restore`."""
    content = commands.add_parser("content", parents=[common], help="work with content packs")
    content_commands = content.add_subparsers(
        dest="content_command", metavar="ACTION", required=True
    )
    check = content_commands.add_parser(
        "check",
        parents=[common],
        help="validate a content pack; prints each problem as file:line: message",
    )
    check.add_argument(
        "folder",
        nargs="?",
        type=Path,
        metavar="DIR",
        help="the pack's folder or .zip file (default: the content in use)",
    )
    check.set_defaults(handler=cmd_content_check)
    export = content_commands.add_parser(
        "export",
        parents=[common],
        help="write the content in use to a new folder, or to a .zip file (audited)",
    )
    export.add_argument("target", type=Path, metavar="DIR|FILE.zip")
    which = export.add_mutually_exclusive_group()
    which.add_argument("--draft", action="store_true", help="the draft instead")
    which.add_argument(
        "--version", metavar="VERSION", help="an earlier version (its number or hex digits)"
    )
    export.set_defaults(handler=cmd_content_export)
    load = content_commands.add_parser(
        "import",
        parents=[common],
        help="check a content folder or .zip and make it the draft (audited)",
    )
    load.add_argument("source", type=Path, metavar="DIR|FILE.zip")
    load.add_argument("--publish", action="store_true", help="publish it straight away")
    load.add_argument("--label", metavar="TEXT", help="the new version's label, with --publish")
    load.set_defaults(handler=cmd_content_import)
    publish = content_commands.add_parser(
        "publish",
        parents=[common],
        help="publish the draft as a new version; kiosks take it at their next visit",
    )
    publish.add_argument("--label", metavar="TEXT", help="what changed (default: the date)")
    publish.set_defaults(handler=cmd_content_publish)
    listing = content_commands.add_parser(
        "versions",
        parents=[common],
        help="list every published version: number, when, label, who, visits, which is in use",
    )
    listing.add_argument("--json", action="store_true", help="one JSON object per line")
    listing.set_defaults(handler=cmd_content_versions)
    restore_content = content_commands.add_parser(
        "restore",
        parents=[common],
        help="publish an earlier version again (a new version with its own label)",
    )
    restore_content.add_argument(
        "version", metavar="VERSION", help="its number in `kiosk content versions`, or hex digits"
    )
    restore_content.add_argument("--label", required=True, metavar="TEXT", help="why")
    restore_content.set_defaults(handler=cmd_content_restore)


def _add_exit_pin_command(
    commands: argparse._SubParsersAction[Any], common: argparse.ArgumentParser
) -> None:
    """`kiosk exit-pin`: the kiosk's own way out of lock-down."""
    exit_pin = commands.add_parser(
        "exit-pin",
        parents=[common],
        help="set the PIN staff type to leave this locked-down kiosk (kept hashed in its "
        "settings file; needed where the kiosk's database is on a server)",
    )
    exit_pin.add_argument(
        "--pin-stdin", action="store_true", help="read the PIN from standard input (scripts)"
    )
    exit_pin.set_defaults(handler=cmd_exit_pin)


def _add_database_commands(
    commands: argparse._SubParsersAction[Any], common: argparse.ArgumentParser
) -> None:
    """`kiosk db init|upgrade`: the only ways a database is made or its schema changed."""
    database = commands.add_parser(
        "db",
        parents=[common],
        help="make the database (once) or upgrade its schema (once per new version)",
    )
    database_commands = database.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    init = database_commands.add_parser(
        "init",
        parents=[common],
        help="make the database with the current schema; a database already current is "
        "left as it is",
    )
    init.add_argument(
        "url", nargs="?", metavar="URL", help="the database (default: --database or the settings)"
    )
    init.add_argument(
        "--new",
        action="store_true",
        help="make an empty one even where this computer used a database there that is now gone",
    )
    init.add_argument(
        "--settings-folder",
        metavar="FOLDER",
        help="on a server: where the stations' settings files are written "
        "(default: kiosk-stations-DATABASE in the current folder)",
    )
    init.add_argument(
        "--new-passwords",
        action="store_true",
        help="on a server: give the station roles new passwords and write their settings "
        "files again (a station lost or stolen)",
    )
    init.set_defaults(handler=cmd_db_init)
    upgrade = database_commands.add_parser(
        "upgrade",
        parents=[common],
        help="bring the database's schema up to this version's (an admin, once; back it up first)",
    )
    upgrade.add_argument(
        "url", nargs="?", metavar="URL", help="the database (default: --database or the settings)"
    )
    upgrade.set_defaults(handler=cmd_db_upgrade)
    copy = database_commands.add_parser(
        "copy",
        parents=[common],
        help="copy this computer's database (visits, audit trail, content, accounts, alerts) "
        "into an empty server database made by `kiosk db init`; stop every station first",
    )
    copy.add_argument(
        "url",
        nargs="?",
        metavar="URL",
        help="the database to copy (default: --database or the settings)",
    )
    copy.add_argument(
        "--to",
        required=True,
        metavar="URL",
        help="the server database, made by `kiosk db init` and still empty (a password "
        "comes from ~/.pgpass or PGPASSWORD, never the command line)",
    )
    copy.set_defaults(handler=cmd_db_copy)


def _add_users_parser(
    commands: argparse._SubParsersAction[Any], common: argparse.ArgumentParser
) -> None:
    """`kiosk users …`: accounts and the roles they hold."""
    users = commands.add_parser("users", parents=[common], help="manage staff accounts")
    user_commands = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    add = user_commands.add_parser("add", parents=[common], help="add an account")
    add.add_argument("name", metavar="NAME")
    role_help = (
        "staff (the front desk), clinician (the front desk and clinical review: marking "
        "flags reviewed, undoing a void) or admin (the content editor); give --role once "
        "for each role the account holds, or several at once: --role staff,admin"
    )
    add.add_argument("--role", required=True, action="append", metavar="ROLE", help=role_help)
    roles = user_commands.add_parser(
        "roles",
        parents=[common],
        help="give an account exactly these roles (the ones not named are taken away)",
    )
    roles.add_argument("name", metavar="NAME")
    roles.add_argument("--role", required=True, action="append", metavar="ROLE", help=role_help)
    user_commands.add_parser("list", parents=[common], help="list the accounts")
    for name, text in (
        ("disable", "stop an account from signing in"),
        ("enable", "let a disabled account sign in again"),
        ("unlock", "lift a lock-out after too many wrong passwords"),
    ):
        user_commands.add_parser(name, parents=[common], help=text).add_argument(
            "name", metavar="NAME"
        )
    reset = user_commands.add_parser("reset-password", parents=[common], help="set a new password")
    reset.add_argument("name", metavar="NAME")
    for sub in (add, reset):
        sub.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from the first line of standard input",
        )
    users.set_defaults(handler=cmd_users)


def build_parser() -> tuple[argparse.ArgumentParser, argparse._SubParsersAction[Any]]:
    """The `kiosk` parser with the non-GUI subcommands; the UI layer adds the window ones."""
    common = global_options()
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="Waiting Room Kiosk: patient education, consent and ride-home check-in "
        "for a ketamine-infusion clinic.",
    )
    add_global_options(parser, suppress=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    summary = commands.add_parser(
        "summary", parents=[common], help="write the one-page PDF summary of a visit"
    )
    summary.add_argument("visit_id", metavar="VISIT_ID")
    summary.add_argument("--output", "-o", type=Path, required=True, metavar="FILE.pdf")
    summary.set_defaults(handler=cmd_summary)

    visits = commands.add_parser(
        "visits", parents=[common], help="list stored visits, newest first"
    )
    visits.add_argument("--json", action="store_true", help="one JSON object per line")
    visits.add_argument(
        "--since",
        type=_since,
        metavar="DATE",
        help="only visits on or after this date (clinic time), e.g. 2026-11-01",
    )
    visits.set_defaults(handler=cmd_visits)

    _add_content_commands(commands, common)
    _add_database_commands(commands, common)

    alerts = commands.add_parser(
        "alerts",
        parents=[common],
        help="list the open alerts (help requested, kiosks not responding, check-ins held) "
        "and each kiosk's last heartbeat",
    )
    alerts.add_argument("--json", action="store_true", help="one JSON object")
    alerts.set_defaults(handler=cmd_alerts)

    demo = commands.add_parser(
        "demo-data", parents=[common], help="add realistic synthetic visits, marked as demo data"
    )
    demo.add_argument(
        "--visits",
        type=_whole_number(1, 100_000),
        default=200,
        metavar="N",
        help="how many visits to add (default 200)",
    )
    demo.add_argument(
        "--force", action="store_true", help="add them even if the database holds real visits"
    )
    demo.set_defaults(handler=cmd_demo_data)

    backup = commands.add_parser(
        "backup",
        parents=[common],
        help="write a consistent copy of the database (safe while kiosks run)",
    )
    backup.add_argument("file", type=Path, metavar="FILE")
    backup.set_defaults(handler=cmd_backup)
    restore = commands.add_parser(
        "restore",
        parents=[common],
        help="replace the database with a backup (stop kiosks and desks first; the current "
        "content is kept beside the database)",
    )
    restore.add_argument("file", type=Path, metavar="FILE")
    restore.set_defaults(handler=cmd_restore)

    purge = commands.add_parser(
        "purge",
        parents=[common],
        help="remove visits past the clinic's retention period, leaving no patient text behind",
    )
    purge.add_argument(
        "--older-than",
        type=_whole_number(1, 36500),
        required=True,
        metavar="DAYS",
        help="remove visits that finished more than DAYS days ago",
    )
    purge.set_defaults(handler=cmd_purge)

    _add_exit_pin_command(commands, common)

    _add_users_parser(commands, common)

    audit = commands.add_parser(
        "audit", parents=[common], help="list the audit trail: who did what, when, where"
    )
    audit.add_argument(
        "--since",
        type=_since,
        metavar="DATE",
        help="only entries on or after this date (clinic time)",
    )
    audit.add_argument(
        "--user", metavar="ACTOR", help="only this actor, e.g. user:maria or cli:root"
    )
    audit.add_argument("--visit", metavar="VISIT_ID", help="only entries about this visit")
    audit.add_argument("--json", action="store_true", help="one JSON object per line")
    audit.set_defaults(handler=cmd_audit)
    return parser, commands


def run(args: argparse.Namespace) -> int:
    """Run a parsed non-GUI command; errors become one line on stderr and exit 1 or 2."""
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        return 2
    try:
        settings = load_settings({"database_url": args.database, "content_dir": args.content})
    except SettingsError as error:
        print(f"kiosk: the settings have problems:\n{error}", file=sys.stderr)
        return 2
    try:
        return handler(args, settings)
    except (CommandError, ContentPackError, StorageUnavailableError) as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return 1


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m kiosk.cli`: the non-GUI commands on their own."""
    restrict_new_files()
    parser, _ = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "handler", None) is None:
        parser.print_help()
        return 2
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
