"""``site.py build``: build the site once into the output folder."""

from __future__ import annotations

import argparse
import sys

from broadsheet.build import Builder, BuildReport
from broadsheet.commands.options import add_build_options, options_from_args
from broadsheet.commands.progress import ProgressBar


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("build", help="build the site into output/", description="Build the site into the output folder.")
    add_build_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    options = options_from_args(args)
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




def print_warnings(report: BuildReport) -> None:
    """``warning: file:line: ...`` on stderr for each: shown even with --quiet, never failing the build."""
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr, flush=True)
