"""Options shared by every command that builds the site."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from broadsheet.build import BuildOptions
from broadsheet.model.config import Settings
from broadsheet.pipeline.run import build_clock

# The build clock for every build command, unless --now is given (reproducible builds, tests).
CLOCK_VARIABLE = "BROADSHEET_NOW"

# Seconds a build waits for another build of the same site before giving up (default 10; 0: at once).
LOCK_WAIT_VARIABLE = "BROADSHEET_LOCK_WAIT"


def add_build_options(parser: argparse.ArgumentParser, preview: bool = False) -> None:
    """The options of every building command; ``preview`` leaves out those the preview decides itself
    (it builds into its own folder, shows drafts and scheduled stories unless told not to, and renders what changed)."""
    parser.add_argument("--config", type=Path, default=None, metavar="FILE", help="settings file (default: site.toml, optional)")
    parser.add_argument("--content", type=Path, default=Path("content"), metavar="DIR", help="articles folder (default: content/)")
    if not preview:
        parser.add_argument("--output", type=Path, default=Path("output"), metavar="DIR", help="where the site is written (default: output/)")
    parser.add_argument("--templates", type=Path, default=Path("templates"), metavar="DIR", help="templates that override the theme (default: templates/)")
    parser.add_argument("--base-url", default=None, metavar="URL", help="public URL of the site, e.g. https://example.org/news/ (overrides site.toml)")
    if not preview:
        parser.add_argument("--drafts", action="store_true", help="include articles marked draft: true")
        parser.add_argument("--future", action="store_true", help="include articles dated in the future")
        parser.add_argument("--full", action="store_true", help="render every page, ignoring what the previous build left")
    parser.add_argument("--no-search", action="store_true", help="skip the Pagefind search index (an existing index is kept)")
    parser.add_argument("--now", default=None, metavar="WHEN",
                        help="build as if it were this time, e.g. 2026-11-20T09:00 (default: $BROADSHEET_NOW, else the clock)")
    parser.add_argument("--jobs", type=int, default=None, metavar="N", help="worker processes (default: one per core)")
    parser.add_argument("--quiet", "-q", action="store_true", help="print nothing but errors")


def options_from_args(args: argparse.Namespace, **overrides: object) -> BuildOptions:
    values: dict[str, object] = {
        "config": args.config or Path("site.toml"),
        "config_required": args.config is not None,
        "content": args.content,
        "output": getattr(args, "output", Path("output")),
        "templates": args.templates,
        "base_url": args.base_url,
        "drafts": args.drafts,
        "future": args.future,
        "full": getattr(args, "full", False),
        "search": not getattr(args, "no_search", False),
    }
    if args.now is not None:
        values["clock"] = ("--now", args.now)
    elif os.environ.get(CLOCK_VARIABLE):
        values["clock"] = (CLOCK_VARIABLE, os.environ[CLOCK_VARIABLE])
    if "clock" in values:  # checked before anything starts (the preview would serve an error page)
        build_clock(values["clock"], Settings())  # type: ignore[arg-type]
    if args.jobs:
        values["jobs"] = max(1, args.jobs)
    wait = os.environ.get(LOCK_WAIT_VARIABLE)
    if wait:
        try:
            values["lock_wait"] = max(0.0, float(wait))
        except ValueError:
            raise SystemExit(f"error: {LOCK_WAIT_VARIABLE}={wait!r} is not a number of seconds") from None
    values.update(overrides)
    return BuildOptions(**values)  # type: ignore[arg-type]
