"""What changed since the last build: which sources, and what they now say.

A rebuild after a few saves should not plan the whole site again. The delta
path compares every source's size and modification time with the stamp the
last build left (``changed_sources``), then reads, parses and renders only the
files that differ (``read_edits``). Either says ``None`` when the change is
more than a delta build handles, and the build takes the full path, which
reports any problem. ``read_edits`` reads files only, so that it can run in
a forked child while the parent loads the snapshot's model and checks the
output folder against its manifest (``read_outputs``).

A source is known between builds by its *content key*, which the content
stage of a full build computes the same way (``content_key``).
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import os
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NamedTuple

from broadsheet import __version__
from broadsheet.errors import BuildFailed
from broadsheet.incremental.cache import BuildCache, LazyHtml
from broadsheet.incremental.pickling import layout
from broadsheet.incremental.snapshot import Model, Stamp, shape
from broadsheet.markup.engines import fingerprint
from broadsheet.markup.limits import too_big
from broadsheet.markup.shortcodesyntax import shortcodes_digest
from broadsheet.model.config import Settings
from broadsheet.model.content import Article, parse_article
from broadsheet.model.fields import FIELDS
from broadsheet.model.record import Correction, is_standing_path
from broadsheet.model.rendered import Rendered
from broadsheet.model.sources import source_paths
from broadsheet.outputs.output import Output

# More changed sources than this take the full path (a checkout, a bulk import).
DELTA_LIMIT = 200
# The cache pickles these as constructor calls, by field position (``pickling.Pickler``).
_CACHED_LAYOUT = layout(Article, Correction, Rendered, LazyHtml)


def namespace(settings: Settings, templates: Path | None) -> str:
    """What, besides a file's bytes, decides how it is read and rendered.

    ``templates`` is the site's templates folder: its shortcode templates (and the theme's) render bodies.
    """
    vocabulary = sorted(FIELDS.items()), sorted(settings.front_matter.items())  # the keys read, built in and the site's
    return (
        f"{__version__}|{fingerprint(settings.markdown)}|{settings.timezone}|{settings.language}|{_CACHED_LAYOUT}"
        f"|{vocabulary!r}|{shortcodes_digest(templates)}|{settings.max_tags}|{settings.max_article_kb}|{settings.markdown_seconds}"
    )


def content_key(namespace: str, shown: str, raw: bytes) -> str:
    """The key the cache keeps a source's parsed article under."""
    return hashlib.sha256(f"{namespace}|{shown}|".encode() + raw).hexdigest()


class Edit(NamedTuple):
    """A source whose content changed: its article (without the body) and rendered body."""

    source: str
    key: str
    article: Article
    rendered: Rendered
    fresh: bool  # parsed and rendered now, not found in the cache


@dataclass(eq=False)
class Changes:
    """What a delta build has to do, as read by ``read_edits`` and ``read_outputs``."""

    edits: list[Edit]
    touched: dict[str, tuple[int, int, str]]  # every changed source's new mtime, size and content key
    previous: dict[str, str]  # the output manifest: output path → page key
    missing: list[str]  # manifest entries whose file is gone from the output folder

    def fits(self, model: Model) -> bool:
        """Whether every edit leaves its story's shape (indexes, lists, links) as the model has it."""
        stories = model.stories
        return all(edit.source in stories and shape(stories[edit.source].article) == shape(edit.article) for edit in self.edits)

    def remember(self, cache: BuildCache, namespace: str) -> None:
        """Keep the new articles and the changed files' stats in the cache (saved without collecting)."""
        for edit in self.edits:
            if edit.fresh:
                cache.put(edit.key, edit.article, edit.rendered)
        for source, stat in self.touched.items():
            cache.remember_file(f"{namespace}|{source}", *stat)
        cache.save()


def changed_sources(
    content: Path, stamp: Stamp, paths: list[str] | None = None, watched: Collection[str] | None = None,
) -> dict[str, tuple[int, int]] | None:
    """The sources whose size or modification time differ from the stamp's, with their new ones.

    None when that is more than a delta build handles: a source added or
    removed, or too many changed. ``paths`` are the content folder's sources if
    already listed; ``watched``, if a file watcher vouches that no other source
    may have changed since the stamp's build, the only ones looked at.
    """
    if not content.is_dir():
        return None
    if watched is not None and paths is not None:
        if stamp.sources.keys() != set(paths) or not all(path in stamp.sources for path in watched):
            return None
        try:
            stats = {path: os.stat(path) for path in watched}
        except OSError:
            return None
        changed = {path: (stat.st_mtime_ns, stat.st_size) for path, stat in stats.items()
                   if stamp.sources[path][:2] != (stat.st_mtime_ns, stat.st_size)}
        return changed if len(changed) <= DELTA_LIMIT else None
    sources: dict[str, tuple[int, int]] = {}
    for path in source_paths(content) if paths is None else paths:
        try:
            stat = os.stat(path)
        except OSError:
            return None
        sources[path] = (stat.st_mtime_ns, stat.st_size)
    if sources.keys() != stamp.sources.keys():
        return None
    changed = {shown: stat for shown, stat in sources.items() if stamp.sources[shown][:2] != stat}
    return changed if len(changed) <= DELTA_LIMIT else None


# What ``read_edits`` gives: the edits, and every changed source's new mtime, size and content key.
EditsRead = tuple[list[Edit], dict[str, tuple[int, int, str]]]


def read_edits(
    stamp: Stamp, settings: Settings, templates: Path, changed: dict[str, tuple[int, int]], cache: BuildCache,
    content: Path = Path("content"),
) -> EditsRead | None:
    """The changed sources read and rendered, and every changed source's new stat and content key.

    None when a delta build cannot handle it: an unreadable or invalid file (the full build reports it).
    """
    space = namespace(settings, templates)
    edits: list[Edit] = []
    touched: dict[str, tuple[int, int, str]] = {}
    for shown, stat in changed.items():
        if too_big(stat[1], settings):
            return None  # the full build reports it
        try:
            raw = Path(shown).read_bytes()
        except OSError:
            return None
        key = content_key(space, shown, raw)
        touched[shown] = (*stat, key)
        if key == stamp.sources[shown][2]:
            continue  # saved again as it was
        cached = cache.get(key)  # an earlier version, say, before an undo
        if cached is not None:
            edits.append(Edit(shown, key, *cached, fresh=False))
            continue
        from broadsheet.markup.limits import render_checked  # a rebuild that renders no Markdown never loads it
        from broadsheet.markup.shortcodes import Shortcodes

        try:
            standing = is_standing_path(shown, content.as_posix())
            article = parse_article(raw, shown, settings.zone, settings.front_matter, standing)
            rendered = render_checked(article, settings, Shortcodes(templates), raw)
            edits.append(Edit(shown, key, replace(article, body=""), rendered, fresh=True))
        except BuildFailed:
            return None
    return edits, touched


def read_outputs(stamp: Stamp, output: Output, look_for_missing: bool = True) -> tuple[dict[str, str], list[str]] | None:
    """The output manifest, and the outputs missing from the output folder; None if the stamp did not write it.

    Looking for missing outputs asks for every file of the site (35 ms at 10,000 articles): the
    parent does it while the child reads the edits. ``look_for_missing=False`` skips it, for an
    output folder that only the caller writes and has just written itself.
    """
    previous, manifest = output.manifest()
    if manifest != stamp.manifest:
        return None
    return previous, missing_files(output.root, previous) if look_for_missing else []


def missing_files(root: Path, paths: Iterable[str]) -> list[str]:
    """Those of ``paths`` (relative to the folder ``root``) that are not there.

    Asked of the folder's own descriptor, in one loop that never leaves C: half the time of
    ``os.path.exists`` on each full path, which walks the folder's own path again every time.
    """
    names = list(paths)
    if os.access not in os.supports_dir_fd:
        return [name for name in names if not os.path.exists(os.path.join(root, name))]
    try:
        folder = os.open(root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return names
    try:
        there = map(functools.partial(os.access, mode=os.F_OK, dir_fd=folder), names)
        return list(itertools.compress(names, [not found for found in there]))
    finally:
        os.close(folder)
