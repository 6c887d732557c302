"""``site.py build``: build the site once into the output folder."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from broadsheet.build import Builder, BuildOptions, BuildReport
from broadsheet.commands.options import add_build_options, options_from_args
from broadsheet.commands.progress import ProgressBar
from broadsheet.errors import SiteError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("build", help="build the site into output/", description="Build the site into the output folder.")
    add_build_options(parser)
    parser.add_argument(
        "--watch", action="store_true",
        help="stay running and build again on every save (the deploy build, search index included; Ctrl-C to stop)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    options = options_from_args(args)
    if args.watch:
        return watch(options, args.quiet)
    with ProgressBar(enabled=not args.quiet) as bar:
        report = Builder(options).build(progress=bar.update)
    print_warnings(report)
    if not args.quiet:
        print(summary(report, str(options.output)))
    return 0


def summary(report: BuildReport, output: str) -> str:
    hidden = []
    if report.drafts_skipped:
        hidden.append(f"{report.drafts_skipped} draft{'s' if report.drafts_skipped != 1 else ''}")
    if report.future_skipped:
        hidden.append(f"{report.future_skipped} scheduled")
    note = f" ({', '.join(hidden)} not published)" if hidden else ""
    return (
        f"built {report.articles} articles{note} into {report.pages} pages in {output}/ "
        f"in {report.seconds:.2f}s: {report.rendered} rendered, {report.written} written, {report.unchanged} unchanged, {report.removed} removed"
    )


def watch(options: BuildOptions, quiet: bool) -> int:
    """Build, then build again on every save until Ctrl-C (``broadsheet.preview.resident``)."""
    import asyncio
    import signal

    from broadsheet.preview.resident import watch as watching
    from broadsheet.preview.serve import Preview

    def told(report: BuildReport | None, errors: list[SiteError], changed: Sequence[str]) -> None:
        what = changed_note(changed)
        if report is None:
            print_failure(errors, what, f"{options.output}/ keeps the last good build")
            return
        print_warnings(report)
        if not quiet:
            print(summary(report, str(options.output)) + what, flush=True)

    def ready() -> None:
        if not quiet:
            print(f"watching for changes; {options.output}/ is rebuilt on every save (Ctrl-C to stop)", flush=True)

    try:
        signum = asyncio.run(watching(Preview(Builder(options), told), ready))
    except KeyboardInterrupt:  # Ctrl-C before the watch was in place
        signum = signal.SIGINT
    return 128 + signum  # the shell's code for a command ended by a signal: 130 for Ctrl-C


def changed_note(paths: Sequence[str]) -> str:
    """What set a rebuild off, said after its summary: " (content/a.md changed)", or "" for none."""
    if not paths:
        return ""
    shown = sorted((os.path.relpath(path) for path in paths), key=lambda rel: rel.startswith(os.pardir))  # the site's own first
    first = shown[0]
    return f" ({first} changed)" if len(paths) == 1 else f" ({first} and {len(paths) - 1} more changed)"


def print_failure(errors: Sequence[SiteError], what: str, outcome: str) -> None:
    """A failed rebuild on stderr: ``error: ...`` for each problem, then ``build failed (what): N problems; outcome``."""
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    count = len(errors)
    print(f"build failed{what}: {count} problem{'s' if count != 1 else ''}; {outcome}", file=sys.stderr, flush=True)


def print_warnings(report: BuildReport) -> None:
    """``warning: file:line: ...`` on stderr for each: shown even with --quiet, never failing the build."""
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr, flush=True)
