"""Command-line entry point: parses arguments, runs a command, prints errors one per line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from broadsheet import __version__
from broadsheet.commands import COMMANDS
from broadsheet.errors import BuildFailed, SiteBusy

# "Try again later" (sysexits.h's EX_TEMPFAIL): another build of the site holds its lock.
EXIT_BUSY = 75


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="site.py",
        description="Broadsheet builds a static news site from Markdown articles.",
    )
    parser.add_argument("--version", action="version", version=f"Broadsheet {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        command.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except BuildFailed as failed:
        for error in failed.errors:
            print(f"error: {error}", file=sys.stderr)
        count = len(failed.errors)
        where = getattr(args, "output", None) or Path("output")
        print(f"build failed: {count} problem{'s' if count != 1 else ''}; {where.as_posix()}/ was left as it was", file=sys.stderr)
        return 1
    except SiteBusy as exc:
        print(f"error: {exc}; try again when it has finished", file=sys.stderr)
        return EXIT_BUSY
    except OSError as exc:
        # The disk, not the content: a folder that cannot be created, a full disk, no permission.
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
