"""The fingerprint stage: each page's key, and the pages whose key differs from the last build's.

A full build keys every page and records, while it does, which pages show
each story's content; that record goes into the snapshot's ``Model``. A delta
build re-keys only the pages the model says show the edited stories.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass

from broadsheet.incremental.fingerprints import Fingerprinter
from broadsheet.incremental.snapshot import Model
from broadsheet.model.site import Site, Story
from broadsheet.pages.kinds import Page
from broadsheet.pipeline.run import BuildRun


@dataclass(eq=False)
class Todo:
    """What the write stage does: render ``pages``; ``keys`` becomes the output manifest."""

    keys: dict[str, str]  # output path → page key, for every file the build leaves
    pages: list[Page]  # the pages whose key changed, or whose file is missing


def key_pages(run: BuildRun, site: Site, pages: list[Page], previous: dict[str, str]) -> tuple[Model, Todo]:
    """Key every page; the model to snapshot, and the pages to render."""
    fingerprints = Fingerprinter(site, run.site_key, run.now)
    keys: dict[str, str] = {}
    readers: dict[str, list[int]] = defaultdict(list)
    wide: list[int] = []
    todo: list[Page] = []
    full = run.options.full
    root = f"{run.options.output}/"
    for index, page in enumerate(pages):
        key = keys[page.output_path] = fingerprints.key(page)
        shown = fingerprints.shown()
        if shown is None:
            wide.append(index)
        else:
            for url in shown:
                readers[url].append(index)
        if full or previous.get(page.output_path) != key or not os.path.exists(root + page.output_path):
            todo.append(page)
    return Model(site, pages, fingerprints, dict(readers), wide), Todo(keys, todo)


def rekey(model: Model, revised: list[Story], previous: dict[str, str], missing: list[str]) -> Todo:
    """Key again the pages that show the revised stories; those whose key changed, and those missing, to render."""
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
    return Todo(keys, todo)
