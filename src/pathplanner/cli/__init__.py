"""``pathplanner-cli``: the console front end. Each command group lives in its own module."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from pathplanner import __version__
from pathplanner.cli import (
    analysis_commands,
    catalog_commands,
    interop_commands,
    plan_commands,
    store_commands,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pathplanner-cli",
        description="Plan routes through stackable credentials to a goal qualification.",
    )
    parser.add_argument("--version", action="version", version=f"pathplanner {__version__}")
    parser.add_argument(
        "--db",
        metavar="URL",
        help="the plan store: a SQLAlchemy URL (e.g. postgresql://host/db) or a SQLite file "
        "path (default: $PATHPLANNER_DB, else a file in the user data directory)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    catalog_commands.register(commands)
    plan_commands.register(commands)
    store_commands.register(commands)
    interop_commands.register(commands)
    analysis_commands.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command; return its exit status (0 ok, 1 bad input, 2 no plan found)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status: int = args.handler(args)
    except BrokenPipeError:  # e.g. `pathplanner-cli show ... | head`
        return 0
    return status


if __name__ == "__main__":
    sys.exit(main())
