"""The content and Markdown stages: every source as an article with its rendered body, or its errors.

A file whose size and modification time are unchanged is not read again; a
changed file is hashed, and parsed only if its bytes are new, in the worker
pool with its Markdown. Errors are returned, not raised, so that later checks
(two articles claiming one URL) still run on the good articles and every
problem is reported at once.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

from broadsheet.errors import BuildFailed, SiteError
from broadsheet.incremental.cache import BuildCache, LazyHtml
from broadsheet.incremental.delta import content_key, namespace
from broadsheet.markup.limits import too_big
from broadsheet.model.config import Settings
from broadsheet.model.content import Article, parse_article
from broadsheet.model.record import is_standing_path
from broadsheet.model.rendered import Rendered
from broadsheet.model.sources import find_sources
from broadsheet.pipeline.workers import Workers

# Control characters, and the lone surrogates Python uses for file-name bytes that are not UTF-8.
_BAD_NAME = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


# The records below are named tuples rather than frozen dataclasses: as immutable, and a quarter
# the cost to define (a no-change build spends most of its time importing).
class Source(NamedTuple):
    """A good source: its content key, its article without the body, and the body rendered if published."""

    key: str
    article: Article
    rendered: Rendered | None


class New(NamedTuple):
    """A source whose bytes the cache has not seen: to be parsed and rendered in the worker pool."""

    key: str
    path: str
    raw: bytes


class Failed(NamedTuple):
    """A source that cannot be used, and why."""

    errors: list[SiteError]


@dataclass(eq=False)
class Listing:
    """The content stage's result: every source in order, found in the cache, new, or failed."""

    entries: list[Source | New | Failed] = field(default_factory=list)
    stats: dict[str, tuple[int, int, str]] = field(default_factory=dict)  # path → mtime, size, content key
    content: str = "content"  # the content folder, as its sources are listed
    warnings: list[str] = field(default_factory=list)

    def cached(self, published: Callable[[Article], bool]) -> int:
        """How many published articles came from the cache."""
        return sum(isinstance(entry, Source) and published(entry.article) for entry in self.entries)

    def parse(
        self, settings: Settings, templates: Path, published: Callable[[Article], bool], workers: Workers, cache: BuildCache,
    ) -> tuple[list[Source], list[SiteError]]:
        """The Markdown stage: parse and render the new sources (kept in the cache); every good source, and the errors.

        ``templates`` is the site's templates folder, where its shortcode templates are.
        """
        new = [entry for entry in self.entries if isinstance(entry, New)]
        task = ParseSources(new, settings, templates, published, self.content)
        parsed = iter(workers.map("markdown", task, len(new)))
        found: list[Source] = []
        errors: list[SiteError] = []
        for entry in self.entries:
            if isinstance(entry, New):
                result = next(parsed)
                if isinstance(result, Source) and result.rendered is not None:
                    cache.put(result.key, result.article, result.rendered)
                    result = result._replace(rendered=result.rendered.with_html(LazyHtml(cache.source, result.key)))  # bodies stay out of the model
                entry = result
            if isinstance(entry, Failed):
                errors.extend(entry.errors)
            else:
                found.append(entry)
        return found, errors


@dataclass(eq=False)
class ParseSources:
    """The Markdown stage's task: parse new sources and render the Markdown of those that will be published."""

    sources: Sequence[New]
    settings: Settings
    templates: Path
    published: Callable[[Article], bool]
    content: str = "content"

    def run(self, indices: range) -> list[Source | Failed]:
        # The Markdown stage loads with its first new source.
        from broadsheet.markup.limits import check_tags, render_checked
        from broadsheet.markup.shortcodes import Shortcodes

        settings = self.settings
        shortcodes = Shortcodes(self.templates)
        out: list[Source | Failed] = []
        for i in indices:
            new = self.sources[i]
            try:
                standing = is_standing_path(new.path, self.content)
                article = parse_article(new.raw, new.path, settings.zone, settings.front_matter, standing)
                check_tags(article, settings.max_tags, new.raw)
                rendered = render_checked(article, settings, shortcodes, new.raw) if self.published(article) else None
            except BuildFailed as failed:
                out.append(Failed(failed.errors))
                continue
            out.append(Source(new.key, replace(article, body=""), rendered))
        return out


def list_sources(content: Path, settings: Settings, templates: Path, cache: BuildCache, full: bool) -> Listing:
    """The content stage: find every source and look it up in the cache, by its stat or its bytes.

    ``full`` reads every file again rather than trust its size and time.
    """
    if not content.is_dir():
        raise BuildFailed([SiteError(str(content), "content folder not found")])
    space = namespace(settings, templates)
    listing = Listing(content=content.as_posix())
    entries, stats = listing.entries, listing.stats
    if not full:
        cache.load_all()
    for folder in ("_posts", "_drafts"):  # Jekyll's, copied in as they were: skipped like any '_' name
        if any((content / folder).glob("**/*.md")):
            listing.warnings.append(f"{content.as_posix()}/{folder}: folders whose names start with '_' are not read; "
                                    f"rename it to {content.as_posix()}/{folder[1:]} (drafts: mark each draft: true)")
    for path in find_sources(content):
        shown = path.as_posix()
        if _BAD_NAME.search(shown):
            printable = _BAD_NAME.sub(lambda m: ascii(m.group())[1:-1], os.fsencode(shown).decode("utf-8", "backslashreplace"))
            entries.append(Failed([SiteError(printable, "file name is not valid UTF-8 or has control characters; rename the file")]))
            continue
        try:
            stat = path.stat()
            if (problem := too_big(stat.st_size, settings)) is not None:
                entries.append(Failed([SiteError(shown, problem)]))
                continue
            known = None if full else cache.file_key(f"{space}|{shown}", stat.st_mtime_ns, stat.st_size)
            cached = cache.get(known) if known else None
            if known and cached:
                stats[shown] = (stat.st_mtime_ns, stat.st_size, known)
                entries.append(Source(known, *cached))
                continue
            raw = path.read_bytes()
        except OSError as exc:
            entries.append(Failed([SiteError(shown, f"cannot read file: {exc.strerror}")]))
            continue
        key = content_key(space, shown, raw)
        cache.remember_file(f"{space}|{shown}", stat.st_mtime_ns, stat.st_size, key)
        stats[shown] = (stat.st_mtime_ns, stat.st_size, key)
        cached = cache.get(key)
        entries.append(Source(key, *cached) if cached is not None else New(key, shown, raw))
    return listing
