"""The render, search and output stages: render the pages to do, stage static files, index, commit.

Everything goes to a staging folder first; if any page fails, or Pagefind
does, the staging folder is removed and the output folder stays exactly as
it was (the failure guarantee in docs/architecture.md).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
import time
import types
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from broadsheet.errors import BuildFailed, SiteError
from broadsheet.model.site import Site, Story
from broadsheet.outputs.manifest import manifest_path
from broadsheet.outputs.output import Output, pause
from broadsheet.pages.kinds import Page
from broadsheet.pipeline.keep import KeptRender
from broadsheet.pipeline.keys import Todo
from broadsheet.pipeline.run import BuildOptions, BuildRun

if TYPE_CHECKING:
    from broadsheet.outputs.search import Pending, SearchIndex
    from broadsheet.outputs.search_early import Early
    from broadsheet.render import Renderer


def render_stage() -> types.ModuleType:
    """The render stage, with Jinja2, imported when first needed."""
    from broadsheet import render

    return render


def search_stage() -> types.ModuleType:
    """The search stage, imported only by builds that index (it brings ``subprocess``, which nothing else here needs)."""
    from broadsheet.outputs import search

    return search


@dataclass(eq=False)
class RenderPages:
    """The render stage's task: render pages and stage their files; the errors."""

    renderer: Renderer
    pages: Sequence[Page]
    output: Output

    def run(self, indices: range) -> list[SiteError]:
        renderer, pages, output = self.renderer, self.pages, self.output
        errors: list[SiteError] = []
        for i in indices:
            page = pages[i]
            if i == indices.start:
                pause("render")
            try:
                output.stage(page.output_path, renderer.render(page))
            except BuildFailed as failed:
                errors.extend(failed.errors)
        return errors


def write(
    run: BuildRun, site: Site, todo: Todo, previous: dict[str, str], kept: KeptRender, revised: Sequence[Story] = (),
    edited: Collection[str] | None = None, since: str = "", early: Early | None = None,
) -> str:
    """Render ``todo``, stage static files, index for search, and commit the output; the manifest's digest.

    ``kept`` is a builder's render state between builds of one site model (``revised``: the stories
    whose content changed since it was used).
    ``edited``/``since``: on the delta path, the URLs of the stories whose content changed since the
    output whose manifest digest is ``since``, so the search stage need look at no other story;
    ``early``: the indexing of their shards, begun by the child that read them (``search_early``).
    """
    opts, report, keys = run.options, run.report, todo.keys
    report.rendered = len(todo.pages)
    report.rendered_urls = [page.url for page in todo.pages]
    search = search_stage() if opts.search else None
    pagefind = search.pagefind_executable() if search else None
    index: SearchIndex | None = None
    pending: Pending | None = None
    output = Output(opts.output, manifest_path(opts.output, opts.cache_dir))
    output.start()
    try:
        if early is not None and run.workers.forks(len(todo.pages)):
            early.cancel()  # forking the render pool wants no other thread: index after rendering
            early = None
        # Pagefind indexes in its own process while pages render; the preview's pages come first.
        if search is not None and pagefind is not None and not run.workers.forks(len(todo.pages)) and not opts.index_after_commit:
            pending = _start_index(run, site, pagefind, edited, since, early)
        render = render_stage()

        def make() -> tuple[Renderer, tuple[str, ...]]:
            bytecode = _bytecode_dir(opts.cache_dir / "templates", run.site_key) if opts.cache_dir else None
            warnings: list[str] = []
            return render.make_renderer(site, opts.templates, run.now, run.assets.names, bytecode, warnings, photos=run.photos), tuple(warnings)

        renderer = kept.renderer(site, run.site_key, run.now, revised, make)
        warnings = kept.warnings
        report.warnings.extend(warnings)
        task = RenderPages(renderer, todo.pages, output)
        errors = _unique(run.workers.map("render", task, len(todo.pages)))
        pause("staged")
        if errors:
            raise BuildFailed(errors)
        for rel, source in run.assets.copies.items():
            keys[rel] = "static"
            output.stage_copy(rel, source)
        for rel, data in run.assets.written.items():
            keys[rel] = "static"
            output.stage(rel, data)
        run.lap("render")
        if search is not None and pagefind is not None and not opts.index_after_commit:
            pending = pending or _start_index(run, site, pagefind, edited, since, early)
            index = pending.finish()
            run.lap("search")
        after = {"search": str(index.folder), "pages": str(index.pages)} if index is not None else {}
        committed = output.commit(keys, previous, after)
    except BaseException:
        output.abort()
        if search is not None and index is not None:
            if not output.committing:  # once the journal is written, the next build finishes the commit with this index
                search.discard(index)
        elif pending is not None:  # the commit, if begun, does not name an index not yet finished
            pending.cancel()
        raise
    report.written, report.unchanged, report.removed = committed.written, committed.unchanged, committed.removed
    run.lap("output")
    if search is not None and index is not None:
        pause("commit-search")
        _install(run, index, committed.manifest)
    output.finish()
    if search is not None and pagefind is not None and opts.index_after_commit:
        pending = _start_index(run, site, pagefind, edited, since, early)
        report.index_later = LaterIndex(run, pending, committed.manifest)
    return committed.manifest


class LaterIndex:
    """A committed build's search index, still being made: ``run()`` waits for it and installs it (once).

    The output's commit journal does not name it, so a process that stops first leaves the old
    index in place, which the next build finds not current for the output and brings up to date.
    """

    def __init__(self, run: BuildRun, pending: Pending, manifest: str) -> None:
        self.build_run, self.pending, self.manifest = run, pending, manifest
        self.error: BuildFailed | None = None
        self._lock = threading.Lock()
        self._done = False

    def run(self) -> None:
        """Wait for Pagefind and install the index; a failure is kept in ``error``, the old index left as it was."""
        with self._lock:
            if self._done:
                return
            self._done = True
            try:
                index = self.pending.finish()
                _install(self.build_run, index, self.manifest)
            except BuildFailed as failed:
                self.error = failed
            except BaseException:
                self.pending.cancel()
                raise


def search_state(run: BuildRun) -> Path | None:
    """Where the search stage keeps what the installed index was built from (None without a cache)."""
    return run.options.cache_dir / "search.json" if run.options.cache_dir else None


def search_current(run: BuildRun, manifest: str) -> bool:
    """Whether the installed search index was made for the output with this manifest digest."""
    return search_stage().is_current(run.options.output, search_state(run), manifest)


def index_only(run: BuildRun, site: Site, manifest: str) -> None:
    """The search stage alone, for a build whose pages did not change but whose index is not current."""
    search = search_stage()
    index = _start_index(run, site, search.pagefind_executable()).finish()
    run.lap("search")
    _install(run, index, manifest)


def early_index(run: BuildRun, since: str) -> Early | None:
    """A Pagefind service for the forked reader of a delta build to send the edited stories' shards to
    (``outputs/search_early.py``), or None where that cannot be done; ``since``: the last output's manifest digest."""
    from broadsheet.outputs.search_early import begin

    search = search_stage()
    try:
        binary = search.pagefind_executable()
    except BuildFailed:
        return None  # the search stage says so
    return begin(binary, search_state(run), run.options.output, search.staging_folder(run.options.output), since)


def _start_index(
    run: BuildRun, site: Site, pagefind: Path, edited: Collection[str] | None = None, since: str = "", early: Early | None = None,
) -> Pending:
    """Start building the shards whose stories changed, into a folder beside the output (see ``outputs/search.py``),
    or take the indexing ``early`` began if it builds exactly those."""
    search = search_stage()
    plan = search.prepare(site, run.options.output, search_state(run), edited, since)
    run.report.search_shards = len(plan.build)
    run.report.searchable = sum(len(urls) for urls in plan.build.values())
    folder = search.staging_folder(run.options.output)
    indexing = early.take(plan.build, plan.state.shards) if early is not None else None
    run.report.search_early = indexing is not None
    pending = search.Pending(folder, plan, indexing) if indexing is not None else search.start(plan, site, pagefind, folder, run.options.jobs)
    run.lap("search plan")
    return pending


def _install(run: BuildRun, index: SearchIndex, manifest: str) -> None:
    search = search_stage()
    search.install(index, run.options.output)
    search.remember(index, search_state(run), manifest)


def recover(options: BuildOptions) -> None:
    """Finish the output commit an earlier build began and could not end (killed, or an I/O error), search index included.

    Run before a build reads anything of the output folder, so that every
    build starts from the old output or the new one, never a mix. The search
    state is not brought forward: the next search stage finds the index not
    current for the output and re-indexes the shards that differ.
    """
    output = Output(options.output, manifest_path(options.output, options.cache_dir))
    after = output.recover()
    if after is None:
        return
    folder = after.get("search")
    if folder:
        search_stage().install_folder(Path(folder), options.output)
    output.finish()


def _bytecode_dir(parent: Path, site_key: str) -> Path:
    """The compiled templates' folder for these settings and assets.

    Jinja folds filters applied to constants (``'css/site.css' | asset_url | url``) into the
    compiled code, so compiled templates hold the base URL and asset names they were compiled with.
    Folders unused for a day are removed; newer ones may belong to a preview running beside a build.
    """
    folder = parent / site_key[:16]
    if not folder.is_dir():
        stale = time.time() - 86400
        with contextlib.suppress(OSError):
            for old in parent.iterdir():
                if not old.is_dir():
                    old.unlink(missing_ok=True)  # compiled templates of the flat layout before this one
                elif old.stat().st_mtime < stale:
                    shutil.rmtree(old, ignore_errors=True)
        folder.mkdir(parents=True, exist_ok=True)
    else:
        with contextlib.suppress(OSError):
            os.utime(folder)  # in use
    return folder


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
