"""The `kiosk` console script: the top layer, so window subcommands can live beside the rest.

Only the window subcommands import Qt; every other subcommand is handed to `kiosk.cli`
with Qt never loaded, so they start fast and run without a display.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from kiosk import cli


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run the chosen subcommand."""
    parser, _commands = cli.build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "handler", None) is None:
        parser.print_help()
        return 0
    try:
        return cli.run(args)
    except BrokenPipeError:
        # `kiosk visits | head` closed the pipe early: not an error worth a trace.
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
