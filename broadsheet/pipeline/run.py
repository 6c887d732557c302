"""One build's run: what it was asked for, what it found site-wide, and what it reports.

``configure`` is the config stage: it reads the settings' consequences
(static files, asset names, the site key) once, and every later stage takes
the ``BuildRun`` instead of a handful of parameters.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from broadsheet import __version__
from broadsheet.errors import BuildFailed, SiteError
from broadsheet.incremental.delta import namespace
from broadsheet.incremental.fingerprints import digest, tree_digest
from broadsheet.model.config import Settings
from broadsheet.model.content import Article
from broadsheet.model.dates import DateError, parse_date
from broadsheet.model.matter import split_front_matter
from broadsheet.model.static import StaticBundle, collect_static, fingerprint, plain
from broadsheet.model.urls import asset_url
from broadsheet.outputs.manifest import manifest_path, write_build_info
from broadsheet.outputs.output import check_output_dir
from broadsheet.pipeline.listing import ContentListing, Vouched, file_stats
from broadsheet.pipeline.lock import LOCK_FILE, WAIT_SECONDS
from broadsheet.pipeline.workers import Progress, Workers
from broadsheet.theme import THEME_DIR


@dataclass(frozen=True)
class BuildOptions:
    config: Path = Path("site.toml")
    content: Path = Path("content")
    output: Path = Path("output")
    templates: Path = Path("templates")
    base_url: str | None = None
    drafts: bool = False
    future: bool = False
    now: dt.datetime | None = None
    # The build clock as the user gave it: (where, text), e.g. ("--now", "2026-11-20T09:00"); read in the
    # site's time zone. ``now`` wins over it; without either the build runs at the computer's time.
    clock: tuple[str, str] | None = None
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    cache_dir: Path | None = Path(".broadsheet-cache")
    config_required: bool = False
    full: bool = False
    search: bool = False  # the CLI turns it on unless --no-search
    fingerprint: bool = True  # content-hashed asset names; the preview keeps plain names
    # Only this builder writes the output folder (the preview's own): once it has built, it does not
    # stat every output file on each rebuild to find files deleted behind its back.
    own_output: bool = False
    # The folder of the site's build lock (one build of a site at a time); None: ``cache_dir``.
    # The preview keeps its own cache but shares the site's lock.
    lock_dir: Path | None = None
    lock_wait: float = WAIT_SECONDS  # seconds to wait for another build of the site before giving up
    # The preview's: commit the pages (and reload the tab) first, then finish the search index,
    # when the caller runs ``BuildReport.index_later``.
    index_after_commit: bool = False

    @property
    def lock(self) -> Path | None:
        """The site's lock file, or None for a build that keeps no state (no cache folder)."""
        folder = self.lock_dir or self.cache_dir
        return folder / LOCK_FILE if folder is not None else None


@dataclass
class BuildReport:
    articles: int = 0
    drafts_skipped: int = 0
    future_skipped: int = 0
    pages: int = 0
    rendered: int = 0
    rendered_urls: list[str] = field(default_factory=list)
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    markdown_cached: int = 0
    searchable: int = 0  # pages given to Pagefind by this build
    search_shards: int = 0  # search index shards this build (re)built
    search_early: bool = False  # whether that indexing began in the child that read the edits (``search_early``)
    # Shown, never fatal: Liquid left in Jekyll content (by file and line), a language without a theme catalog.
    warnings: list[SiteError | str] = field(default_factory=list)
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)
    # With ``index_after_commit``: finishes and installs this build's search index (``write.LaterIndex``).
    index_later: Any = field(default=None, repr=False, compare=False)


class Stopwatch:
    """Seconds since it started, and since the last lap."""

    def __init__(self) -> None:
        self.start = self.last = time.perf_counter()

    def lap(self) -> float:
        now = time.perf_counter()
        seconds, self.last = now - self.last, now
        return round(seconds, 4)

    def total(self) -> float:
        return round(time.perf_counter() - self.start, 4)


@dataclass(eq=False)
class BuildRun:
    """One build: its options and site-wide inputs, its clock, its workers and the report it fills in."""

    options: BuildOptions
    settings: Settings
    now: dt.datetime
    assets: StaticBundle
    site_key: str  # what every page key starts from (``Fingerprinter``)
    context: str  # everything site-wide the build read; a snapshot made from other inputs is not used
    clock: Stopwatch
    workers: Workers
    report: BuildReport = field(default_factory=BuildReport)
    listing: ContentListing = field(default_factory=lambda: ContentListing([], []))  # the content folder, listed once per build
    watched: frozenset[str] | None = None  # the only sources that may have changed since the last build (None: any)
    photos: Mapping[str, Any] = field(default_factory=dict)  # static path → its ProcessedImage (the photo stage's)

    @property
    def sources(self) -> list[str]:
        """The content folder's sources."""
        return self.listing.sources

    def published(self, article: Article) -> bool:
        """Whether this build shows the article (drafts and scheduled stories only when asked; expired ones never)."""
        opts = self.options
        return (
            (opts.drafts or not article.draft) and (opts.future or article.date <= self.now)
            and (article.expires is None or article.expires > self.now)
        )

    def lap(self, stage: str) -> None:
        """Record the time since the last stage ended as ``stage``'s."""
        self.report.stages[stage] = self.clock.lap()

    def missing_files(
        self, articles: Iterable[Article], profiles: Mapping[str, Mapping[str, Any]] = {}, authors_file: Path | None = None,
    ) -> list[SiteError]:
        """Files front matter and author profiles name (lead ``image``, ``photo``) that the static folder lacks."""
        known = self.assets.outputs
        static_dir = Path(self.settings.static_dir).as_posix()

        def missing(path: object) -> bool:
            rel = asset_url(path) if isinstance(path, str) else ""
            return rel.startswith("static/") and rel not in known

        errors: list[SiteError] = []
        for article in articles:
            if missing(article.image):
                lines = _key_lines(Path(article.source))
                line = lines.get("image") or lines.get("images")
                errors.append(SiteError(article.source, f"image: '{article.image}' is not in {static_dir}/", line))
        for key, profile in profiles.items():
            photo = profile.get("photo")
            if missing(photo) and authors_file is not None:
                line = _line_naming(authors_file, str(photo))
                errors.append(SiteError(authors_file.as_posix(), f"{key}.photo: '{photo}' is not in {static_dir}/", line))
        return errors

    def finish(self) -> BuildReport:
        """The build succeeded: record what ``check --no-build`` needs to know of it, beside the output."""
        if self.options.cache_dir is not None:
            write_build_info(self.options.output, self.options.cache_dir, {"base_url": self.settings.base_url})
        self.report.seconds = self.clock.total()
        return self.report


def _key_lines(source: Path) -> dict[str, int]:
    try:
        text = source.read_text("utf-8").lstrip("\ufeff").replace("\r\n", "\n")
        return split_front_matter(text, source.as_posix()).key_lines()
    except (OSError, UnicodeDecodeError, BuildFailed):
        return {}


def _line_naming(path: Path, value: str) -> int | None:
    """The first line of ``path`` that mentions ``value`` (a YAML value as written)."""
    try:
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            if value in line:
                return number
    except (OSError, UnicodeDecodeError):
        pass
    return None


def configure(
    options: BuildOptions, settings: Settings, clock: Stopwatch, progress: Progress | None, check_output: bool = True,
    vouched: Vouched | None = None,
) -> BuildRun:
    """The config stage: check the output folder (unless the caller has), collect static files, list the
    content folder (or take the last build's listing, if a file watcher ``vouched`` for it), and digest what
    every page depends on."""
    static_dir = Path(settings.static_dir)
    if check_output:
        check_output_dir(
            options.output, [options.content, options.templates, static_dir, options.config.resolve().parent],
            manifest_path(options.output, options.cache_dir),
        )
    now = options.now or build_clock(options.clock, settings)
    static = collect_static(static_dir)
    assets = (fingerprint if options.fingerprint else plain)(static)
    site_key = digest(__version__, settings, tree_digest([options.templates, THEME_DIR]), sorted(assets.names.items()))
    listing = vouched.listing if vouched is not None else ContentListing.of(options.content)
    watched = vouched.changed if vouched is not None else None
    context = digest(
        site_key, namespace(settings, options.templates), options.content.resolve(), options.drafts, options.future,
        _file_digest(options.content / settings.authors_file), file_stats(static.values()), listing.bundles,
    )
    run = BuildRun(options, settings, now, assets, site_key, context, clock, Workers(options.jobs, progress), listing=listing, watched=watched)
    run.lap("config")
    return run


def build_clock(clock: tuple[str, str] | None, settings: Settings) -> dt.datetime:
    """The build's "now": the time the user set (``--now``, ``BROADSHEET_NOW``), else the computer's."""
    if clock is None:
        return dt.datetime.now(dt.UTC)
    where, text = clock
    try:
        return parse_date(text, settings.zone)
    except DateError as exc:
        raise BuildFailed([SiteError(where, str(exc))]) from None


def _file_digest(path: Path) -> str:
    try:
        return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
    except OSError:
        return ""
