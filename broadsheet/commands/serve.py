"""``site.py serve``: build, serve the output folder and rebuild on every save (live reload)."""

from __future__ import annotations

import argparse
import errno
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from broadsheet.build import Builder, BuildOptions, BuildReport
from broadsheet.commands.build import changed_note, print_failure, print_warnings
from broadsheet.commands.options import add_build_options, options_from_args
from broadsheet.errors import SiteError

# The preview's folder inside the site's cache folder: its pages in site/, its build cache in cache/.
PREVIEW_FOLDER = "preview"
# Seconds a preview rebuild waits for another build of the site: the server answers no request
# meanwhile, and a rebuild that gives up is tried again every second.
PREVIEW_LOCK_WAIT = 0.5


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "serve",
        help="preview the site with live reload",
        description="Build the site into a preview folder of its own (.broadsheet-cache/preview/site/; the output "
        "folder is never touched), serve it and rebuild it whenever a source file changes; open pages reload by "
        "themselves. Drafts and scheduled articles are shown, marked by a banner.",
    )
    add_build_options(parser, preview=True)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this computer only)")
    parser.add_argument("--port", type=_port, default=8000, help="port to listen on (default: 8000)")
    parser.add_argument("--no-drafts", dest="drafts", action="store_false", help="hide articles marked draft: true")
    parser.add_argument("--no-future", dest="future", action="store_false", help="hide articles dated in the future")
    parser.set_defaults(run=run, drafts=True, future=True)


def preview_options(args: argparse.Namespace, url: str) -> BuildOptions:
    """The preview's build: into its own folder with its own cache, under the site's cache folder.

    Drafts, scheduled stories, the live-reload script and a base URL on this computer must never
    reach the deploy folder, nor a cache or snapshot a deploy build reads; the site's build lock is
    shared, so a 'site.py build' and a preview rebuild take turns. Plain asset names let the browser
    swap a saved stylesheet in place. The search index is made by the builds themselves (unless
    ``--no-search``): the first indexes every story, and a rebuild only the month shards its edits touch;
    the pages are committed (and the tab reloaded) first, the index follows.
    """
    site_cache = BuildOptions().cache_dir or Path(".broadsheet-cache")
    folder = site_cache / PREVIEW_FOLDER
    return options_from_args(
        args, base_url=args.base_url or url, fingerprint=False,
        output=folder / "site", cache_dir=folder / "cache", lock_dir=site_cache, own_output=True,
        lock_wait=PREVIEW_LOCK_WAIT, index_after_commit=True,
    )


def run(args: argparse.Namespace) -> int:
    import asyncio

    from broadsheet.preview.serve import CannotListen, Preview, serve

    url = f"http://{_url_host(args.host)}:{args.port}/"
    options = preview_options(args, url)
    printer = _Printer(quiet=args.quiet)
    preview = Preview(Builder(options), printer, printer.indexed)

    def ready() -> None:
        print(f"serving {options.output}/ at {url} (Ctrl-C to stop)", flush=True)

    try:
        lock = options.output.parent / "preview.lock"
        signum = asyncio.run(serve(preview, args.host, args.port, ready, lock=lock))
    except CannotListen as exc:
        if exc.errno == errno.EADDRINUSE:
            print(f"error: port {args.port} on {args.host} is already in use; try --port {args.port + 1}", file=sys.stderr)
        else:
            print(f"error: cannot listen on {args.host} port {args.port}: {exc.strerror}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # Ctrl-C before the server was listening
        signum = signal.SIGINT
    print("stopped", flush=True)
    return 128 + signum  # the shell's code for a command ended by a signal: 130 for Ctrl-C


class _Printer:
    """Reports each build on the terminal: a summary line, or every error."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet

    def __call__(self, report: BuildReport | None, errors: list[SiteError], changed: Sequence[str]) -> None:
        what = changed_note(changed)
        if report is None:
            print_failure(errors, what, "the browser shows them until fixed")
            return
        print_warnings(report)
        if not self.quiet:
            print(
                f"built{what} in {report.seconds:.2f}s: {report.articles} articles, {report.pages} pages, "
                f"{report.rendered} rendered, {report.written} written, {report.unchanged} unchanged, {report.removed} removed",
                flush=True,
            )
        if report.index_later is None:  # indexed within the build (a missing index made again)
            self.indexed(report, [])

    def indexed(self, report: BuildReport, errors: list[SiteError]) -> None:
        """Told when a build's search index is in place, or could not be made (the old one is kept)."""
        if errors:
            for error in errors:
                print(f"error: {error}", file=sys.stderr)
            print("search index not updated; the next build tries again", file=sys.stderr, flush=True)
        elif report.search_shards and not self.quiet:
            print(f"search index updated: {report.searchable} pages in {report.search_shards} shards", flush=True)


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"must be a number from 1 to 65535, got {text!r}")
    return port


def _url_host(host: str) -> str:
    """The host as written in a URL: IPv6 addresses in brackets, any-address as localhost."""
    if host in ("", "0.0.0.0", "::"):
        return "localhost"
    return f"[{host}]" if ":" in host else host
