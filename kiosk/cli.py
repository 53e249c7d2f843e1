"""The `kiosk` subcommands that need no screen: summary, visits, content, demo-data.

The console script enters through `ui.main`, which adds the window subcommands and hands
everything else here without importing Qt, so these stay fast and run on a server.
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy.exc import OperationalError

from kiosk.content import ContentPackError, bundled_pack_dir, load_pack
from kiosk.demo import RealVisitsError, add_demo_visits
from kiosk.settings import Settings, SettingsError, load_settings
from kiosk.store import Database, content_in_use, list_visits, load_visit, open_database
from kiosk.summary import build_summary

Handler = Callable[[argparse.Namespace, Settings], int]


class CommandError(Exception):
    """A command cannot do what was asked; the message is one plain line."""


def station_name() -> str:
    """This machine's name, recorded with each visit."""
    return socket.gethostname() or "kiosk"


def _since(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2026-11-28") from error


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of at least 1")
    return int(value)


def _database(settings: Settings) -> Database:
    try:
        return open_database(settings.database_url)
    except OperationalError as error:
        raise CommandError(
            f"the database at {settings.database_url} cannot be opened: {error.orig}"
        ) from error


def cmd_summary(args: argparse.Namespace, settings: Settings) -> int:
    """Write the PDF summary of one visit."""
    database = _database(settings)
    try:
        with database.session() as session:
            record = load_visit(session, args.visit_id)
    finally:
        database.close()
    if record is None:
        raise CommandError(f"there is no visit with the ID {args.visit_id}")
    pdf = build_summary(record, zone=settings.zone, paper_size=settings.paper_size)
    output: Path = args.output
    partial = output.with_name(output.name + ".partial")
    try:
        partial.write_bytes(pdf)
        partial.replace(output)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise CommandError(
            f"the summary cannot be written to {output}: {error.strerror}"
        ) from error
    print(f"Wrote the summary of visit {record.id} to {output}")
    return 0


def cmd_visits(args: argparse.Namespace, settings: Settings) -> int:
    """List stored visits, newest first."""
    since = None
    if args.since is not None:
        since = datetime.combine(args.since, time.min, tzinfo=settings.zone).astimezone(UTC)
    database = _database(settings)
    try:
        with database.session() as session:
            for visit in list_visits(session, since=since):
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
                                "flags": visit.flag_count,
                                "demo": visit.is_demo,
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


def cmd_content_check(args: argparse.Namespace, settings: Settings) -> int:
    """Validate a content pack folder (or the content in use)."""
    folder: Path = args.folder or settings.content_dir or bundled_pack_dir()
    try:
        pack = load_pack(folder)
    except ContentPackError as error:
        for problem in error.problems:
            print(problem)
        print(f"{len(error.problems)} problem(s) in {folder}", file=sys.stderr)
        return 1
    print(
        f"{folder}: valid — {len(pack.slides)} slides, {len(pack.questions)} questions, "
        f"{len(pack.consent_statements)} consent statements; version {pack.short_version}"
    )
    return 0


def cmd_demo_data(args: argparse.Namespace, settings: Settings) -> int:
    """Fill the database with synthetic, clearly marked visits."""
    database = _database(settings)
    now = datetime.now(UTC)
    try:
        with database.session() as session, session.begin():
            row, pack = content_in_use(session, settings.content_dir, now)
            added = add_demo_visits(
                session, pack, row.id, args.visits, now=now, zone=settings.zone, force=args.force
            )
    except RealVisitsError as error:
        raise CommandError(
            f"{error}; demo data would mix with them. Use another database "
            "(--database) or add --force if you are sure"
        ) from error
    finally:
        database.close()
    print(f"Added {added} demo visits (marked DEMO) to {settings.database_url}")
    return 0


def add_global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """Options every subcommand takes, before or after its name."""
    default: Any = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--database",
        metavar="URL",
        default=default,
        help="SQLAlchemy database URL (default: SQLite in your data folder)",
    )
    parser.add_argument(
        "--content",
        metavar="DIR",
        type=Path,
        default=default,
        help="run on the content pack in DIR instead of the published content",
    )


def global_options() -> argparse.ArgumentParser:
    """A parent parser so `--database` and `--content` also work after the subcommand."""
    common = argparse.ArgumentParser(add_help=False)
    add_global_options(common, suppress=True)
    return common


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
        help="the pack's folder (default: the content in use)",
    )
    check.set_defaults(handler=cmd_content_check)

    demo = commands.add_parser(
        "demo-data", parents=[common], help="add realistic synthetic visits, marked as demo data"
    )
    demo.add_argument(
        "--visits",
        type=_positive,
        default=200,
        metavar="N",
        help="how many visits to add (default 200)",
    )
    demo.add_argument(
        "--force", action="store_true", help="add them even if the database holds real visits"
    )
    demo.set_defaults(handler=cmd_demo_data)
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
    except (CommandError, ContentPackError) as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return 1


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m kiosk.cli`: the non-GUI commands on their own."""
    parser, _ = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "handler", None) is None:
        parser.print_help()
        return 2
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
