"""Run the pipeline: config → content → markdown → site → routes → render → output.

``Builder.build()`` returns a ``BuildReport`` or raises ``BuildFailed`` with
every problem found; it never prints. A ``Builder`` kept alive (as the preview
server does) reuses its cache in memory between builds.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import os
import re
import time
import types
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import markdown as markdown_package

from broadsheet import __version__
from broadsheet.errors import BuildFailed, SiteError
from broadsheet.incremental.cache import BuildCache, LazyHtml
from broadsheet.incremental.fingerprints import Fingerprinter, digest, tree_digest
from broadsheet.incremental.forking import Forked
from broadsheet.incremental.pickling import layout
from broadsheet.incremental.snapshot import Model, Stamp, Store, shape
from broadsheet.markup.markdown import render_article
from broadsheet.model.authors import load_profiles
from broadsheet.model.config import Settings, load_settings
from broadsheet.model.content import Article, find_sources, parse_article, source_paths
from broadsheet.model.rendered import Rendered
from broadsheet.model.site import Site, Story, build_site
from broadsheet.model.static import StaticBundle, collect_static, fingerprint, plain
from broadsheet.outputs import search
from broadsheet.outputs.output import Output, check_output_dir
from broadsheet.pages.articles import article_url
from broadsheet.pages.kinds import Page
from broadsheet.pages.plan import plan
from broadsheet.theme import THEME_DIR

if TYPE_CHECKING:
    from broadsheet.render import Renderer

# Below this many items a process pool costs more than it saves.
POOL_THRESHOLD = 200
CHUNK = 64
# The cache pickles these by field position (``pickling.fast_pickle``).
_CACHED_LAYOUT = layout(Article, Rendered, LazyHtml)
# More changed sources than this take the full path (a checkout, a bulk import).
DELTA_LIMIT = 200
# Control characters, and the lone surrogates Python uses for file-name bytes that are not UTF-8.
_BAD_NAME = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")

Progress = Callable[[str, int, int], None]
# Edited sources (path, content key, article without its body, rendered, whether rendered now or found in the
# cache), changed sources' new stats, the previous manifest, and its files missing from the output.
_Changes = tuple[list[tuple[str, str, Article, Rendered, bool]], dict[str, tuple[int, int, str]], dict[str, str], list[str]]


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


def _read_chunk(indices: range) -> list[tuple[Article | None, Rendered | None, list[SiteError]]]:
    """Parse new sources and render the Markdown of those that will be published."""
    sources: Sequence[tuple[str, str, bytes]] = _WORKER["sources"]
    settings: Settings = _WORKER["settings"]
    published: Callable[[Article], bool] = _WORKER["published"]
    out: list[tuple[Article | None, Rendered | None, list[SiteError]]] = []
    for i in indices:
        _key, shown, raw = sources[i]
        try:
            article = parse_article(raw, shown, settings.zone)
            rendered = render_article(article, settings.language) if published(article) else None
        except BuildFailed as failed:
            out.append((None, None, failed.errors))
            continue
        out.append((replace(article, body=""), rendered, []))
    return out


def _render_chunk(indices: range) -> list[SiteError]:
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
    return errors


class Builder:
    """Builds one site; keep it to rebuild incrementally."""

    def __init__(self, options: BuildOptions) -> None:
        self.options = options
        cache_file = options.cache_dir / "cache.sqlite" if options.cache_dir else None
        self.cache = BuildCache(cache_file)
        self.snapshots = Store(options.cache_dir / "snapshot" if options.cache_dir else None)
        self._stamp: Stamp | None = None
        self._model: Model | None = None
        self._sources: dict[str, tuple[int, int, str]] = {}

    @property
    def site(self) -> Site | None:
        """The site the last successful build made (read from the cache if that build did not need it)."""
        model = self._current_model()
        return model.site if model else None

    def _current_model(self) -> Model | None:
        if self._model is None and self._stamp is not None:
            self._model = self.snapshots.load_model(self._stamp)
        return self._model

    # -- stages -------------------------------------------------------------

    def settings(self) -> Settings:
        opts = self.options
        settings = load_settings(opts.config, required=opts.config_required)
        return settings.with_overrides(base_url=opts.base_url)

    def _namespace(self, settings: Settings) -> str:
        """What, besides a file's bytes, decides how it is read and rendered."""
        return f"{__version__}|{markdown_package.__version__}|{settings.timezone}|{settings.language}|{_CACHED_LAYOUT}"

    def articles(
        self,
        settings: Settings,
        published: Callable[[Article], bool] = lambda article: True,
        report: BuildReport | None = None,
        clock: _Stopwatch | None = None,
        progress: Progress | None = None,
    ) -> tuple[list[tuple[str, Article, Rendered | None]], list[SiteError]]:
        """Every good source as (content key, article, rendered body if published), and the errors.

        A file whose size and modification time are unchanged is not read
        again; a changed file is hashed, and parsed only if its bytes are new,
        in the process pool with its Markdown. Errors are returned, not raised,
        so that later checks (two articles claiming one URL) still run on the
        good articles and every problem is reported at once.
        """
        opts = self.options
        if not opts.content.is_dir():
            raise BuildFailed([SiteError(str(opts.content), "content folder not found")])
        namespace = self._namespace(settings)
        # In source order: (key, article, rendered) from the cache, an index into ``new``, or errors.
        entries: list[tuple[str, Article, Rendered | None] | int | list[SiteError]] = []
        new: list[tuple[str, str, bytes]] = []
        self._sources = {}
        if not opts.full:
            self.cache.load_all()
        for path in find_sources(opts.content):
            shown = path.as_posix()
            if _BAD_NAME.search(shown):
                printable = _BAD_NAME.sub(lambda m: ascii(m.group())[1:-1], os.fsencode(shown).decode("utf-8", "backslashreplace"))
                entries.append([SiteError(printable, "file name is not valid UTF-8 or has control characters; rename the file")])
                continue
            try:
                stat = path.stat()
                known = None if opts.full else self.cache.file_key(f"{namespace}|{shown}", stat.st_mtime_ns, stat.st_size)
                cached = self.cache.get(known) if known else None
                if known and cached:
                    self._sources[shown] = (stat.st_mtime_ns, stat.st_size, known)
                    entries.append((known, *cached))
                    continue
                raw = path.read_bytes()
            except OSError as exc:
                entries.append([SiteError(shown, f"cannot read file: {exc.strerror}")])
                continue
            key = _content_key(namespace, shown, raw)
            self.cache.remember_file(f"{namespace}|{shown}", stat.st_mtime_ns, stat.st_size, key)
            self._sources[shown] = (stat.st_mtime_ns, stat.st_size, key)
            cached = self.cache.get(key)
            if cached is not None:
                entries.append((key, *cached))
            else:
                entries.append(len(new))
                new.append((key, shown, raw))
        if report:
            report.markdown_cached = sum(isinstance(e, tuple) and published(e[1]) for e in entries)
        if clock:
            clock.lap("content")
        state = {"sources": new, "settings": settings, "published": published}
        read = self._map("markdown", _read_chunk, len(new), state, progress)
        found: list[tuple[str, Article, Rendered | None]] = []
        errors: list[SiteError] = []
        for entry in entries:
            if isinstance(entry, list):
                errors.extend(entry)
            elif isinstance(entry, tuple):
                found.append(entry)
            else:
                key = new[entry][0]
                article, rendered, problems = read[entry]
                errors.extend(problems)
                if article is None:
                    continue
                if rendered is not None:
                    self.cache.put(key, article, rendered)
                    rendered = rendered.with_html(LazyHtml(self.cache.source, key))  # bodies stay out of the model
                found.append((key, article, rendered))
        return found, errors

    def _map(self, stage: str, func: Callable[[range], list[Any]], count: int, state: dict[str, Any], progress: Progress | None) -> list[Any]:
        """Run ``func`` over chunks of ``range(count)``, in a process pool when it pays; concatenate its lists."""
        out: list[list[Any]] = []
        _WORKER.clear()
        _WORKER.update(state)
        try:
            if count < POOL_THRESHOLD or self.options.jobs <= 1:
                for chunk in _chunks(count, CHUNK):
                    out.append(func(chunk))
                    if progress:
                        progress(stage, chunk.stop, count)
            else:
                import multiprocessing  # loaded only by builds big enough for a pool
                from concurrent.futures import ProcessPoolExecutor

                context = multiprocessing.get_context("fork")
                # Workers inherit the whole site; frozen, the cycle collector in each worker does not
                # walk it again and again (touching every object also copies its memory page).
                gc.freeze()
                try:
                    with ProcessPoolExecutor(self.options.jobs, mp_context=context) as pool:
                        for chunk, result in zip(_chunks(count, CHUNK), pool.map(func, _chunks(count, CHUNK)), strict=True):
                            out.append(result)
                            if progress:
                                progress(stage, chunk.stop, count)
                finally:
                    gc.unfreeze()
        finally:
            _WORKER.clear()
        return [item for part in out for item in part]

    # -- the pipeline ---------------------------------------------------------

    def build(self, progress: Progress | None = None) -> BuildReport:
        opts = self.options
        report = BuildReport()
        clock = _Stopwatch(report)
        settings = self.settings()
        static_dir = Path(settings.static_dir)
        check_output_dir(opts.output, [opts.content, opts.templates, static_dir, opts.config.resolve().parent])
        now = opts.now or dt.datetime.now(dt.UTC)
        static = collect_static(static_dir)
        assets = (fingerprint if opts.fingerprint else plain)(static)
        site_key = digest(__version__, settings, tree_digest([opts.templates, THEME_DIR]), sorted(assets.names.items()))
        # Everything site-wide a build reads; a snapshot made from other inputs is not used.
        context = digest(
            site_key, self._namespace(settings), opts.content.resolve(), opts.drafts, opts.future,
            _file_digest(opts.content / settings.authors_file), _stats(static.values()),
        )
        clock.lap("config")
        if not opts.full:
            if self._stamp is None:
                self._stamp = self.snapshots.load_stamp()
            if self._stamp is not None and (self._stamp.context != context or not self._stamp.fresh_at(now)):
                self._stamp = self._model = None
            if self._stamp is not None:
                done = self._delta(self._stamp, settings, assets, now, report, clock, progress)
                if done is not None:
                    return done
        return self._full(settings, assets, site_key, context, now, report, clock, progress)

    def _full(
        self, settings: Settings, assets: StaticBundle, site_key: str, context: str, now: dt.datetime,
        report: BuildReport, clock: _Stopwatch, progress: Progress | None,
    ) -> BuildReport:
        """Build from every source: plan every page and render those whose key changed."""
        opts = self.options

        def published(article: Article) -> bool:
            return (opts.drafts or not article.draft) and (opts.future or article.date <= now)

        found, errors = self.articles(settings, published, report, clock, progress)
        articles: list[tuple[str, Article, Rendered]] = []
        for key, article, rendered in found:
            if published(article):
                assert rendered is not None
                articles.append((key, article, rendered))
            elif article.draft and not opts.drafts:
                report.drafts_skipped += 1
            else:
                report.future_skipped += 1
        report.articles = len(articles)
        clock.lap("markdown")

        stories: list[Story] = []
        for key, article, body in articles:
            try:
                stories.append(Story(article, body, article_url(article, settings), key))
            except ValueError as exc:
                errors.append(SiteError(article.source, str(exc)))
        self.cache.save()
        try:
            profiles = load_profiles(self.options.content / settings.authors_file)
        except BuildFailed as failed:
            errors.extend(failed.errors)
            profiles = {}
        site = build_site(settings, stories, profiles)
        clock.lap("site")

        try:
            pages = plan(site, reserved=assets.outputs)
        except BuildFailed as failed:
            errors.extend(failed.errors)
        if errors:
            raise BuildFailed(errors)
        report.pages = len(pages)
        clock.lap("routes")

        output = Output(opts.output)
        previous = output.read_manifest()
        fingerprints = Fingerprinter(site, site_key, now)
        keys: dict[str, str] = {}
        readers: dict[str, list[int]] = defaultdict(list)
        wide: list[int] = []
        todo: list[Page] = []
        root = f"{opts.output}/"
        for index, page in enumerate(pages):
            key = keys[page.output_path] = fingerprints.key(page)
            shown = fingerprints.shown()
            if shown is None:
                wide.append(index)
            else:
                for url in shown:
                    readers[url].append(index)
            if opts.full or previous.get(page.output_path) != key or not os.path.exists(root + page.output_path):
                todo.append(page)
        clock.lap("fingerprints")

        model = Model(site, pages, fingerprints, dict(readers), wide)
        with self.snapshots.writing(model) as commit:
            manifest = self._write(site, assets, now, todo, keys, previous, report, clock, progress)
            scheduled = [article.date for _key, article, _rendered in found if article.date > now]
            stamp = Stamp(
                context=context, model=model.id, sources=self._sources, manifest=manifest,
                since=now, until=min(scheduled, default=None),
                counts=(report.articles, report.drafts_skipped, report.future_skipped, report.pages),
            )
            commit(stamp)
        self._stamp, self._model = stamp, model
        clock.lap("snapshot")
        clock.stop()
        return report

    def _delta(
        self, stamp: Stamp, settings: Settings, assets: StaticBundle, now: dt.datetime,
        report: BuildReport, clock: _Stopwatch, progress: Progress | None,
    ) -> BuildReport | None:
        """Rebuild from the last build's snapshot if no more than story content changed; None if it cannot."""
        changed = self._changed_sources(stamp)
        if changed is None:
            return None
        # With sources edited, the model (and the render stage) are needed: load them while a child
        # reads and renders the edits.
        with Forked(lambda: self._changes(stamp, settings, changed), fork=bool(changed)) as changes:
            if changes.forked:
                self._current_model()
                _render_stage()
            found = changes.result()
        if found is None:
            return None
        edits, touched, previous, missing = found
        report.articles, report.drafts_skipped, report.future_skipped, report.pages = stamp.counts
        report.markdown_cached = report.articles - sum(fresh for *_, fresh in edits)
        clock.lap("content")
        if not edits and not missing:
            if touched:
                stamp.sources.update(touched)
                self.snapshots.save_stamp(stamp)
            report.unchanged = len(previous)
            clock.stop()
            return report

        model = self._current_model()
        if model is None:
            return None
        for shown, _key, article, _rendered, _fresh in edits:
            if shown not in model.stories or shape(model.stories[shown].article) != shape(article):
                return None
        namespace = self._namespace(settings)
        try:
            for _shown, key, article, rendered, fresh in edits:
                if fresh:
                    self.cache.put(key, article, rendered)
            for shown, stat in touched.items():
                self.cache.remember_file(f"{namespace}|{shown}", *stat)
            self.cache.save(collect=False)
            revised = [
                model.revise(shown, article, rendered.with_html(LazyHtml(self.cache.source, key)), key)
                for shown, key, article, rendered, _fresh in edits
            ]
            keys = dict(previous)
            todo: list[Page] = []
            for page in model.affected(revised):
                key = keys[page.output_path] = model.fingerprints.key(page)
                if previous.get(page.output_path) != key:
                    todo.append(page)
            if missing:
                planned = {page.output_path for page in todo}
                pages = {page.output_path: page for page in model.pages}
                todo += [pages[path] for path in missing if path in pages and path not in planned]
            clock.lap("fingerprints")
            manifest = self._write(model.site, assets, now, todo, keys, previous, report, clock, progress)
        except BaseException:
            self._model = None  # revised in memory but not written: read it again from the cache
            raise
        stamp.sources.update(touched)
        stamp.manifest = manifest
        self.snapshots.save_journal(stamp, model)
        clock.lap("snapshot")
        clock.stop()
        return report

    def _changed_sources(self, stamp: Stamp) -> dict[str, tuple[int, int]] | None:
        """The sources whose size or modification time differ from the stamp's, with their new ones.

        None when that is more than a delta build handles: a source added or
        removed, or too many changed.
        """
        opts = self.options
        if not opts.content.is_dir():
            return None
        sources: dict[str, tuple[int, int]] = {}
        for path in source_paths(opts.content):
            try:
                stat = os.stat(path)
            except OSError:
                return None
            sources[path] = (stat.st_mtime_ns, stat.st_size)
        if sources.keys() != stamp.sources.keys():
            return None
        changed = {shown: stat for shown, stat in sources.items() if stamp.sources[shown][:2] != stat}
        return changed if len(changed) <= DELTA_LIMIT else None

    def _changes(self, stamp: Stamp, settings: Settings, changed: dict[str, tuple[int, int]]) -> _Changes | None:
        """The changed sources read and rendered, the manifest, and outputs missing from the output folder.

        None when a delta build cannot handle it: an unreadable or invalid file
        (the full build reports it), or an output manifest the stamp did not
        write. Reads files only, so that it can run in a forked child.
        """
        opts = self.options
        previous, manifest = Output(opts.output).manifest()
        if manifest != stamp.manifest:
            return None
        root = f"{opts.output}/"
        missing = [path for path in previous if not os.path.exists(root + path)]
        namespace = self._namespace(settings)
        edits: list[tuple[str, str, Article, Rendered, bool]] = []
        touched: dict[str, tuple[int, int, str]] = {}
        for shown, stat in changed.items():
            try:
                raw = Path(shown).read_bytes()
            except OSError:
                return None
            key = _content_key(namespace, shown, raw)
            touched[shown] = (*stat, key)
            if key == stamp.sources[shown][2]:
                continue  # saved again as it was
            cached = self.cache.get(key)  # an earlier version, say, before an undo
            if cached is not None:
                edits.append((shown, key, *cached, False))
                continue
            try:
                article = parse_article(raw, shown, settings.zone)
                edits.append((shown, key, replace(article, body=""), render_article(article, settings.language), True))
            except BuildFailed:
                return None
        return edits, touched, previous, missing

    def _write(
        self, site: Site, assets: StaticBundle, now: dt.datetime, todo: list[Page], keys: dict[str, str],
        previous: dict[str, str], report: BuildReport, clock: _Stopwatch, progress: Progress | None,
    ) -> str:
        """Render ``todo``, stage static files, index for search, and commit the output; return the manifest's digest."""
        opts = self.options
        report.rendered = len(todo)
        report.rendered_urls = [page.url for page in todo]
        pagefind = search.pagefind_executable() if opts.search else None
        index: search.SearchIndex | None = None
        output = Output(opts.output)
        output.start()
        try:
            bytecode = opts.cache_dir / "templates" if opts.cache_dir else None
            if bytecode:
                bytecode.mkdir(parents=True, exist_ok=True)
            render = _render_stage()
            renderer = render.Renderer(site, render.make_environment(site, opts.templates, now, assets.names, bytecode))
            results = self._map("render", _render_chunk, len(todo), {"renderer": renderer, "pages": todo, "output": output}, progress)
            errors = _unique(results)
            if errors:
                raise BuildFailed(errors)
            for rel, source in assets.copies.items():
                keys[rel] = "static"
                output.stage_copy(rel, source)
            for rel, data in assets.written.items():
                keys[rel] = "static"
                output.stage(rel, data)
            clock.lap("render")
            # The index covers every page, so it is rebuilt only when some page changed; it is
            # not in the manifest, and the search stage swaps the whole folder after the commit.
            if pagefind is not None and (todo or not search.has_index(opts.output)):
                index = search.index_site(output, keys, pagefind)
                report.searchable = index.pages
                clock.lap("search")
            committed = output.commit(keys, previous)
        except BaseException:
            output.abort()
            if index is not None:
                search.discard(index)
            raise
        report.written, report.unchanged, report.removed = committed.written, committed.unchanged, committed.removed
        clock.lap("output")
        if index is not None:
            search.install(index, opts.output)
        return committed.manifest


def _render_stage() -> types.ModuleType:
    """The render stage, imported when first needed: with Jinja2, feedgen and lxml it takes 0.04 s to load."""
    from broadsheet import render

    return render


def _content_key(namespace: str, shown: str, raw: bytes) -> str:
    return hashlib.sha256(f"{namespace}|{shown}|".encode() + raw).hexdigest()


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
