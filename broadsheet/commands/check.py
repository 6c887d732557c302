"""``site.py check``: build (or read) the output folder and report broken links and feeds."""

from __future__ import annotations

import argparse
import sys

from broadsheet.build import Builder
from broadsheet.commands.options import add_build_options, options_from_args
from broadsheet.commands.progress import ProgressBar
from broadsheet.model.sources import find_sources
from broadsheet.outputs.manifest import read_build_info


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "check",
        help="check every internal link, image, asset and feed",
        description="Build the site, then check every internal link, image and asset reference and every feed.",
    )
    add_build_options(parser)
    parser.add_argument("--no-build", action="store_true", help="check the output folder as it is, without building")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from broadsheet.outputs.linkcheck import check_output  # lxml.html: loaded by this command only

    options = options_from_args(args)
    builder = Builder(options)
    if not args.no_build:
        with ProgressBar(enabled=not args.quiet) as bar:
            builder.build(progress=bar.update)
    # --base-url if given, else the base URL the output was built with (site.toml's may differ), else site.toml's.
    settings = builder.settings()
    base_url = options.base_url or read_build_info(options.output, options.cache_dir).get("base_url") or settings.base_url
    sources = find_sources(options.content) if options.content.is_dir() else []
    sources.append(options.content / settings.authors_file)
    report = check_output(options.output, base_url, sources)
    for problem in report.problems:
        print(problem)
    if report.problems:
        count = len(report.problems)
        print(f"check failed: {count} problem{'s' if count != 1 else ''}", file=sys.stderr)
        return 1
    if not args.quiet:
        print(f"checked {report.pages} pages and {report.feeds} feeds and sitemaps: {report.references} references, none broken")
    return 0
