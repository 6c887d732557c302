"""The render, search and output stages: render the pages to do, stage static files, index, commit.

Everything goes to a staging folder first; if any page fails, or Pagefind
does, the staging folder is removed and the output folder stays exactly as
it was (the failure guarantee in docs/architecture.md).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
import types
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from broadsheet.errors import BuildFailed, SiteError
from broadsheet.model.site import Site, Story
from broadsheet.outputs.output import Output
from broadsheet.pages.kinds import Page
from broadsheet.pipeline.keep import KeptRender
from broadsheet.pipeline.keys import Todo
from broadsheet.pipeline.run import BuildRun

if TYPE_CHECKING:
    from broadsheet.outputs.search import SearchIndex
    from broadsheet.render import Renderer


def render_stage() -> types.ModuleType:
    """The render stage, imported when first needed: with Jinja2, feedgen and lxml it takes 0.04 s to load."""
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
            try:
                output.stage(page.output_path, renderer.render(page))
            except BuildFailed as failed:
                errors.extend(failed.errors)
        return errors


def write(
    run: BuildRun, site: Site, todo: Todo, previous: dict[str, str], kept: KeptRender | None = None, revised: Sequence[Story] = (),
) -> str:
    """Render ``todo``, stage static files, index for search, and commit the output; the manifest's digest.

    ``kept`` is a builder's render state between builds of one site model (``revised``: the stories
    whose content changed since it was used), or None for a new environment.
    """
    opts, report, keys = run.options, run.report, todo.keys
    report.rendered = len(todo.pages)
    report.rendered_urls = [page.url for page in todo.pages]
    search = search_stage() if opts.search else None
    pagefind = search.pagefind_executable() if search else None
    index: SearchIndex | None = None
    output = Output(opts.output)
    output.start()
    try:
        render = render_stage()
        def make() -> tuple[Renderer, tuple[str, ...]]:
            bytecode = _bytecode_dir(opts.cache_dir / "templates", run.site_key) if opts.cache_dir else None
            warnings: list[str] = []
            return render.make_renderer(site, opts.templates, run.now, run.assets.names, bytecode, warnings), tuple(warnings)

        if kept is None:
            renderer, warnings = make()
        else:
            renderer = kept.renderer(site, run.site_key, run.now, revised, make)
            warnings = kept.warnings
        report.warnings.extend(warnings)
        task = RenderPages(renderer, todo.pages, output)
        errors = _unique(run.workers.map("render", task, len(todo.pages)))
        if errors:
            raise BuildFailed(errors)
        for rel, source in run.assets.copies.items():
            keys[rel] = "static"
            output.stage_copy(rel, source)
        for rel, data in run.assets.written.items():
            keys[rel] = "static"
            output.stage(rel, data)
        run.lap("render")
        # The index covers every page, so it is rebuilt only when some page changed; it is
        # not in the manifest, and the search stage swaps the whole folder after the commit.
        if search is not None and pagefind is not None and (todo.pages or not search.has_index(opts.output)):
            index = search.index_site(output, keys, pagefind)
            report.searchable = index.pages
            run.lap("search")
        committed = output.commit(keys, previous)
    except BaseException:
        output.abort()
        if search is not None and index is not None:
            search.discard(index)
        raise
    report.written, report.unchanged, report.removed = committed.written, committed.unchanged, committed.removed
    run.lap("output")
    if search is not None and index is not None:
        search.install(index, opts.output)
    return committed.manifest


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
