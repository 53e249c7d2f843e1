"""The `kiosk` console script: the top layer, so window subcommands can live beside the rest.

Only the window subcommands import Qt; every other subcommand is handed to `kiosk.cli`
with Qt never loaded, so they start fast and run without a display. `kiosk run` is read
without even `kiosk.cli` (which loads SQLAlchemy and every use case): the kiosk paints
Welcome first and loads storage after (see `ui.kiosk_app`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from kiosk.file_access import restrict_new_files
from kiosk.settings import (
    Settings,
    SettingsError,
    add_global_options,
    load_settings,
    station_name,
)


def run_window(args: argparse.Namespace, settings: Settings) -> int:
    """`kiosk run`: the patient kiosk (Qt is imported only here)."""
    from ui.kiosk_app import run_kiosk

    return run_kiosk(
        settings,
        station=station_name(),
        windowed=args.windowed,
        exit_after_first_paint=args.exit_after_first_paint,
    )


def run_desk_window(args: argparse.Namespace, settings: Settings) -> int:
    """`kiosk desk`: the front desk (Qt is imported only here)."""
    from ui.desk.desk_app import run_desk

    return run_desk(settings, station=station_name())


def run_admin_window(args: argparse.Namespace, settings: Settings) -> int:
    """`kiosk admin`: the content editor (Qt is imported only here)."""
    from ui.admin.admin_app import run_admin

    return run_admin(settings, station=station_name())


def _kiosk_arguments(arguments: list[str]) -> list[str]:
    """The command line of the kiosk itself: the session's own options left out."""
    kept: list[str] = []
    skip_value = False
    for argument in arguments:
        if skip_value:
            skip_value = False
        elif argument == "--staff-exit-file":
            skip_value = True
        elif argument != "--supervised" and not argument.startswith("--staff-exit-file="):
            kept.append(argument)
    return kept


def _keep_kiosk_open(args: argparse.Namespace, arguments: list[str]) -> int:
    """`kiosk run --supervised`: the kiosk as a child process, started again after any end
    but a staff exit. This process never loads Qt, so nothing that breaks Qt ends it."""
    from kiosk.kiosk_session import KioskSession

    kiosk = [sys.executable, "-m", "ui.main", *_kiosk_arguments(arguments)]
    return KioskSession(kiosk, staff_exit_file=args.staff_exit_file).run()


def _add_run_options(run: argparse.ArgumentParser) -> None:
    run.add_argument(
        "--windowed", action="store_true", help="an ordinary window even when lock-down is on"
    )
    run.add_argument(
        "--supervised",
        action="store_true",
        help="start the kiosk again whenever it ends other than by a staff exit "
        "(the program of a kiosk session such as cage)",
    )
    run.add_argument(
        "--staff-exit-file",
        type=Path,
        metavar="FILE",
        help="with --supervised: create FILE when staff close the kiosk, so that the "
        "service that starts the session knows not to start it again (deploy/linux)",
    )
    # For the start-up benchmark (bench/): quit once Welcome is ready to be tapped.
    run.add_argument("--exit-after-first-paint", action="store_true", help=argparse.SUPPRESS)


def kiosk_run_arguments(arguments: Sequence[str]) -> argparse.Namespace | None:
    """`kiosk [--database URL] [--content DIR] [run [options]]` read without `kiosk.cli`, or
    None for anything else (another subcommand, help, a typo): the whole parser reads it."""
    if "-h" in arguments or "--help" in arguments:
        return None
    parser = argparse.ArgumentParser(prog="kiosk", add_help=False)
    add_global_options(parser, suppress=False)
    parser.add_argument("command", nargs="?")
    _add_run_options(parser)
    try:
        args, rest = parser.parse_known_args(list(arguments))
    except SystemExit:  # pragma: no cover - argparse exits on a bad value: let the whole
        return None  # parser say what was wrong, in its own words
    if rest or args.command not in (None, "run"):
        return None
    return args


def build_parser() -> argparse.ArgumentParser:
    """The whole `kiosk` command line: the window subcommands and the rest."""
    from kiosk import cli

    parser, commands = cli.build_parser()
    run = commands.add_parser(
        "run", parents=[cli.global_options()], help="start the patient kiosk (the default)"
    )
    _add_run_options(run)
    run.set_defaults(handler=run_window)
    desk = commands.add_parser(
        "desk", parents=[cli.global_options()], help="open the front desk (staff sign in)"
    )
    desk.set_defaults(handler=run_desk_window)
    admin = commands.add_parser(
        "admin",
        parents=[cli.global_options()],
        help="open the content editor: slides, questions, consent, publishing (admin sign in)",
    )
    admin.set_defaults(handler=run_admin_window)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run the chosen subcommand (`run` when none is given)."""
    # First of all: nothing this process creates (database, logs, backups, summaries,
    # Qt's own files) is open to other users of the computer; the group is the desk's.
    restrict_new_files()
    arguments = list(sys.argv[1:] if argv is None else argv)
    kiosk_run = kiosk_run_arguments(arguments)
    if kiosk_run is not None:
        return _run_kiosk(kiosk_run, arguments)
    parser = build_parser()
    args = parser.parse_args(arguments)
    if getattr(args, "handler", None) is None:
        args = parser.parse_args([*arguments, "run"])
    if getattr(args, "staff_exit_file", None) is not None and not args.supervised:
        parser.error("--staff-exit-file goes with --supervised")
    from kiosk import cli
    from kiosk.logs import configure_logging, log_unexpected

    log_file = configure_logging()
    if getattr(args, "supervised", False):
        return _keep_kiosk_open(args, arguments)
    try:
        return cli.run(args)
    except BrokenPipeError:
        # `kiosk visits | head` closed the pipe early: not an error worth a trace.
        sys.stderr.close()
        return 0
    except Exception as error:  # noqa: BLE001 - the last resort: a line and the log, no trace
        # A trace on the terminal can quote what the error was about (a name, a URL);
        # the log keeps where it happened, without its text.
        log_unexpected(type(error), error.__traceback__)
        sys.stderr.write(
            f"kiosk: stopped by an unexpected error ({type(error).__name__}); "
            f"where it happened is in {log_file}\n"
        )
        return 1


def _run_kiosk(args: argparse.Namespace, arguments: list[str]) -> int:
    """`kiosk run`, as `main` runs any subcommand, with only what Welcome's first frame needs
    imported."""
    from kiosk.logs import (
        configure_logging,
        hold_log_records,
        log_file,
        log_unexpected,
        open_held_log,
    )

    if args.staff_exit_file is not None and not args.supervised:
        # As argparse refuses a bad command line: the message and status 2.
        sys.stderr.write("kiosk: error: --staff-exit-file goes with --supervised\n")
        raise SystemExit(2)
    if args.supervised:
        configure_logging()
        return _keep_kiosk_open(args, arguments)
    # The log is opened once Welcome's first frame has been painted (ui.kiosk_app), or as
    # this ends if it ends before; what is logged until then is written to it then.
    hold_log_records()
    try:
        try:
            settings = load_settings({"database_url": args.database, "content_dir": args.content})
        except SettingsError as error:
            sys.stderr.write(f"kiosk: the settings have problems:\n{error}\n")
            return 2
        try:
            return run_window(args, settings)
        except Exception as error:  # noqa: BLE001 - the last resort, as in `main`
            log_unexpected(type(error), error.__traceback__)
            sys.stderr.write(
                f"kiosk: stopped by an unexpected error ({type(error).__name__}); "
                f"where it happened is in {log_file()}\n"
            )
            return 1
    finally:
        open_held_log()


if __name__ == "__main__":
    sys.exit(main())
