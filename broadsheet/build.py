"""Run the pipeline: config → content → markdown → site → routes → render → output.

``Builder.build()`` returns a ``BuildReport`` or raises ``BuildFailed`` with
every problem found; it never prints. A ``Builder`` kept alive (as the preview
server does) reuses its cache in memory between builds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import multiprocessing
import os
import re
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import markdown as markdown_package

from . import __version__
from .cache import BuildCache
from .config import Settings, load_settings
from .content import Article, find_sources, parse_article
from .errors import BuildFailed, SiteError
from .markdown import Rendered, render_article
from .output import Output, check_output_dir
from .render import Renderer, make_environment
from .routes import Page, article_url, plan
from .site import Site, Story, build_site
from .static import collect_static

# Below this many items a process pool costs more than it saves.
POOL_THRESHOLD = 200
CHUNK = 64
# Control characters, and the lone surrogates Python uses for file-name bytes that are not UTF-8.
_BAD_NAME = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")

Progress = Callable[[str, int, int], None]


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


@dataclass
class BuildReport:
    articles: int = 0
    drafts_skipped: int = 0
    future_skipped: int = 0
    pages: int = 0
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    markdown_cached: int = 0
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)


class _Stopwatch:
    def __init__(self, report: BuildReport) -> None:
        self.report = report
        self.start = self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.report.stages[stage] = round(now - self.last, 4)
        self.last = now

    def stop(self) -> None:
        self.report.seconds = round(time.perf_counter() - self.start, 4)


# State shared with forked pool workers (set just before the pool starts).
_WORKER: dict[str, Any] = {}


def _chunks(count: int, size: int) -> Iterator[range]:
    for start in range(0, count, size):
        yield range(start, min(start + size, count))


def _markdown_chunk(indices: range) -> list[Rendered]:
    articles: Sequence[Article] = _WORKER["articles"]
    language: str = _WORKER["language"]
    return [render_article(articles[i], language) for i in indices]


def _render_chunk(indices: range) -> tuple[int, list[SiteError]]:
    renderer: Renderer = _WORKER["renderer"]
    pages: Sequence[Page] = _WORKER["pages"]
    output: Output = _WORKER["output"]
    errors: list[SiteError] = []
    for i in indices:
        page = pages[i]
        try:
            output.stage(page.output_path, renderer.render(page))
        except BuildFailed as failed:
            errors.extend(failed.errors)
    return len(indices), errors


class Builder:
    """Builds one site; keep it to rebuild incrementally."""

    def __init__(self, options: BuildOptions) -> None:
        self.options = options
        cache_file = options.cache_dir / "build.pickle" if options.cache_dir else None
        self.cache = BuildCache(cache_file)
        self.site: Site | None = None

    # -- stages -------------------------------------------------------------

    def settings(self) -> Settings:
        opts = self.options
        settings = load_settings(opts.config, required=opts.config_required)
        return settings.with_overrides(base_url=opts.base_url)

    def articles(
        self, settings: Settings, report: BuildReport
    ) -> tuple[list[tuple[str, Article | None, bytes]], list[SiteError]]:
        """Read every source; return (cache key, article, raw bytes) for the good ones, and the errors.

        Errors are returned, not raised, so that later checks (two articles claiming
        one URL) still run on the good articles and every problem is reported at once.
        """
        opts = self.options
        if not opts.content.is_dir():
            raise BuildFailed([SiteError(str(opts.content), "content folder not found")])
        namespace = f"{__version__}|{markdown_package.__version__}|{settings.timezone}|{settings.language}"
        found: list[tuple[str, Article | None, bytes]] = []
        errors: list[SiteError] = []
        for path in find_sources(opts.content):
            shown = path.as_posix()
            if _BAD_NAME.search(shown):
                printable = _BAD_NAME.sub(lambda m: ascii(m.group())[1:-1], os.fsencode(shown).decode("utf-8", "backslashreplace"))
                errors.append(SiteError(printable, "file name is not valid UTF-8 or has control characters; rename the file"))
                continue
            try:
                raw = path.read_bytes()
            except OSError as exc:
                errors.append(SiteError(shown, f"cannot read file: {exc.strerror}"))
                continue
            key = hashlib.sha256(f"{namespace}|{shown}|".encode() + raw).hexdigest()
            cached = self.cache.get(key)
            if cached is not None:
                found.append((key, cached[0], raw))
                continue
            try:
                found.append((key, parse_article(raw, shown, settings.zone), raw))
            except BuildFailed as failed:
                errors.extend(failed.errors)
        return found, errors

    def render_markdown(self, settings: Settings, items: list[tuple[str, Article]], report: BuildReport, progress: Progress | None) -> list[Rendered]:
        results: list[Rendered | None] = []
        missing: list[int] = []
        for i, (key, _article) in enumerate(items):
            cached = self.cache.get(key)
            results.append(cached[1] if cached is not None else None)
            if cached is None:
                missing.append(i)
        report.markdown_cached = len(items) - len(missing)
        todo = [items[i][1] for i in missing]
        done = self._map("markdown", _markdown_chunk, len(todo), {"articles": todo, "language": settings.language}, progress)
        for i, rendered in zip(missing, done, strict=True):
            results[i] = rendered
            key, article = items[i]
            self.cache.put(key, (article, rendered))
        return [r for r in results if r is not None]

    def _map(self, stage: str, func: Callable[[range], Any], count: int, state: dict[str, Any], progress: Progress | None) -> list[Any]:
        """Run ``func`` over chunks of ``range(count)``, in a process pool when it pays."""
        out: list[Any] = []
        _WORKER.clear()
        _WORKER.update(state)
        try:
            if count < POOL_THRESHOLD or self.options.jobs <= 1:
                for chunk in _chunks(count, CHUNK):
                    out.append(func(chunk))
                    if progress:
                        progress(stage, chunk.stop, count)
            else:
                context = multiprocessing.get_context("fork")
                with ProcessPoolExecutor(self.options.jobs, mp_context=context) as pool:
                    for chunk, result in zip(_chunks(count, CHUNK), pool.map(func, _chunks(count, CHUNK)), strict=True):
                        out.append(result)
                        if progress:
                            progress(stage, chunk.stop, count)
        finally:
            _WORKER.clear()
        if out and isinstance(out[0], list):
            return [item for part in out for item in part]
        return out

    # -- the pipeline ---------------------------------------------------------

    def build(self, progress: Progress | None = None) -> BuildReport:
        opts = self.options
        report = BuildReport()
        clock = _Stopwatch(report)
        settings = self.settings()
        static_dir = Path(settings.static_dir)
        check_output_dir(opts.output, [opts.content, opts.templates, static_dir, opts.config.resolve().parent])
        clock.lap("config")

        now = opts.now or dt.datetime.now(dt.UTC)
        items: list[tuple[str, Article]] = []
        found, errors = self.articles(settings, report)
        for key, article, _raw in found:
            assert article is not None
            if article.draft and not opts.drafts:
                report.drafts_skipped += 1
            elif article.date > now and not opts.future:
                report.future_skipped += 1
            else:
                items.append((key, article))
        report.articles = len(items)
        clock.lap("content")

        rendered = self.render_markdown(settings, items, report, progress)
        clock.lap("markdown")

        stories: list[Story] = []
        for (_key, article), body in zip(items, rendered, strict=True):
            try:
                stories.append(Story(article, body, article_url(article, settings)))
            except ValueError as exc:
                errors.append(SiteError(article.source, str(exc)))
        site = build_site(settings, stories)
        clock.lap("site")

        assets = collect_static(static_dir, opts.templates)
        try:
            pages = plan(site, reserved={rel: str(src) for rel, src in assets.items()})
        except BuildFailed as failed:
            errors.extend(failed.errors)
        if errors:
            raise BuildFailed(errors)
        report.pages = len(pages)
        clock.lap("routes")

        output = Output(opts.output)
        output.start()
        try:
            renderer = Renderer(site, make_environment(site, opts.templates))
            results = self._map("render", _render_chunk, len(pages), {"renderer": renderer, "pages": pages, "output": output}, progress)
            errors = _unique([e for _n, errs in results for e in errs])
            if errors:
                raise BuildFailed(errors)
            for rel, source in assets.items():
                output.stage_copy(rel, source)
            clock.lap("render")
            planned = {p.output_path for p in pages} | set(assets)
            committed = output.commit(planned)
        except BaseException:
            output.abort()
            raise
        report.written, report.unchanged, report.removed = committed.written, committed.unchanged, committed.removed
        self.cache.save()
        self.site = site
        clock.lap("output")
        clock.stop()
        return report


def _unique(errors: list[SiteError]) -> list[SiteError]:
    """One line per template problem, however many pages hit it."""
    seen: set[tuple[str, int | None]] = set()
    out: list[SiteError] = []
    for error in errors:
        key = (error.path, error.line)
        if key not in seen:
            seen.add(key)
            out.append(error)
    return out


def build(options: BuildOptions, progress: Progress | None = None) -> BuildReport:
    """Build the site once."""
    return Builder(options).build(progress)
