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
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from broadsheet import __version__
from broadsheet.incremental.delta import namespace
from broadsheet.incremental.fingerprints import digest, tree_digest
from broadsheet.model.config import Settings
from broadsheet.model.content import Article
from broadsheet.model.static import StaticBundle, collect_static, fingerprint, plain
from broadsheet.outputs.output import check_output_dir
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
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    cache_dir: Path | None = Path(".broadsheet-cache")
    config_required: bool = False
    full: bool = False
    search: bool = False  # the CLI turns it on unless --no-search
    fingerprint: bool = True  # content-hashed asset names; the preview keeps plain names


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
    searchable: int = 0
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)


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

    def published(self, article: Article) -> bool:
        """Whether this build shows the article (drafts and scheduled stories only when asked)."""
        opts = self.options
        return (opts.drafts or not article.draft) and (opts.future or article.date <= self.now)

    def lap(self, stage: str) -> None:
        """Record the time since the last stage ended as ``stage``'s."""
        self.report.stages[stage] = self.clock.lap()

    def finish(self) -> BuildReport:
        self.report.seconds = self.clock.total()
        return self.report


def configure(options: BuildOptions, settings: Settings, clock: Stopwatch, progress: Progress | None) -> BuildRun:
    """The config stage: check the output folder, collect static files, and digest what every page depends on."""
    static_dir = Path(settings.static_dir)
    check_output_dir(options.output, [options.content, options.templates, static_dir, options.config.resolve().parent])
    now = options.now or dt.datetime.now(dt.UTC)
    static = collect_static(static_dir)
    assets = (fingerprint if options.fingerprint else plain)(static)
    site_key = digest(__version__, settings, tree_digest([options.templates, THEME_DIR]), sorted(assets.names.items()))
    context = digest(
        site_key, namespace(settings), options.content.resolve(), options.drafts, options.future,
        _file_digest(options.content / settings.authors_file), _stats(static.values()),
    )
    run = BuildRun(options, settings, now, assets, site_key, context, clock, Workers(options.jobs, progress))
    run.lap("config")
    return run


def _stats(paths: Iterable[Path]) -> list[tuple[str, int, int]]:
    """Name, size and modification time of each file (static files keep their names in the preview)."""
    out = []
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            continue
        out.append((str(path), stat.st_size, stat.st_mtime_ns))
    return out


def _file_digest(path: Path) -> str:
    try:
        return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
    except OSError:
        return ""
