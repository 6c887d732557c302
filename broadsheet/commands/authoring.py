"""Options and error reporting shared by the commands that write articles (import, new)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path
from zoneinfo import ZoneInfo

from broadsheet.errors import SiteError
from broadsheet.model.config import load_settings


def add_writing_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", type=Path, default=Path("content"), metavar="DIR", help="articles folder (default: content/)")
    parser.add_argument("--config", type=Path, default=None, metavar="FILE", help="settings file for the time zone (default: site.toml, optional)")
    parser.add_argument("--force", action="store_true", help="replace an article file that already exists")


def site_zone(args: argparse.Namespace) -> ZoneInfo:
    """The site's time zone; raises ``BuildFailed`` for a bad settings file."""
    return load_settings(Path(args.config or "site.toml"), required=args.config is not None).zone


def fail(errors: Iterable[SiteError], outcome: str) -> int:
    """Print each error on its own line, then what happened; return the exit status 1."""
    errors = list(errors)
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    count = len(errors)
    print(f"{outcome}: {count} problem{'s' if count != 1 else ''}", file=sys.stderr)
    return 1


def exists_error(path: Path) -> SiteError:
    return SiteError(path.as_posix(), "already exists; use --force to replace it")
