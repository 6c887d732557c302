"""RSS 2.0, Atom and JSON Feed 1.1 from one list of feed entries.

RSS and Atom come from feedgen (lxml underneath, so titles and bodies are
escaped, and ``]]>`` in a body is just text); JSON Feed is plain ``json``.
Every date is the stories' own, never the wall clock, so builds are reproducible.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from feedgen.feed import FeedGenerator

from broadsheet import __version__
from broadsheet.errors import BuildFailed, SiteError
from broadsheet.model.config import Settings
from broadsheet.model.site import Site, Story
from broadsheet.model.urls import absolute_url, asset_url, term_url
from broadsheet.outputs.xmltext import absolute_html, xml_text

if TYPE_CHECKING:
    from broadsheet.pages.routes import Page
    from broadsheet.render import Renderer

# The date of a feed with no stories at all (instead of "now", to keep builds reproducible).
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
GENERATOR = "Broadsheet"


@dataclass(frozen=True, slots=True)
class Author:
    name: str
    url: str


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One story as every feed format needs it: absolute URLs, XML-safe text."""

    url: str
    title: str
    published: dt.datetime
    updated: dt.datetime
    authors: tuple[Author, ...]
    categories: tuple[str, ...]
    summary: str
    content_html: str
    image: str | None
    language: str


@dataclass(frozen=True, slots=True)
class FeedInfo:
    """The feed as a whole: what it is about and where it lives."""

    title: str
    description: str
    home: str
    language: str
    publisher: str
    updated: dt.datetime


def feed_entry(site: Site, story: Story) -> FeedEntry:
    settings = site.settings
    url = absolute_url(settings, story.url)
    section = site.section_of(story)
    categories = [section.name] if section else []
    categories += [tag.name for tag in site.tags_of(story) if tag.name not in categories]
    return FeedEntry(
        url=url,
        title=xml_text(story.title),
        published=story.date,
        updated=story.updated or story.date,
        authors=tuple(Author(xml_text(a.name), absolute_url(settings, term_url(a))) for a in site.authors_of(story)),
        categories=tuple(xml_text(c) for c in categories),
        summary=xml_text(story.summary_text),
        content_html=absolute_html(story.html, url),
        image=absolute_url(settings, asset_url(story.image)) if story.image else None,
        language=story.lang or settings.language,
    )


# Feed entries kept for reuse by one process (each holds a story's whole body).
KNOWN_ENTRIES = 4096


def feed_entries(site: Site, stories: Iterable[Story], known: dict[str, FeedEntry] | None = None) -> list[FeedEntry]:
    """The newest ``feed_limit`` stories (``stories`` is newest first) as feed entries.

    ``known`` keeps entries by story URL for the next feed: a story is in the
    site's feeds and in those of its byline, tags and section.
    """
    known = {} if known is None else known
    entries = []
    for _, story in zip(range(site.settings.feed_limit), stories, strict=False):
        entry = known.get(story.url)
        if entry is None:
            if len(known) >= KNOWN_ENTRIES:
                del known[next(iter(known))]  # the oldest: bodies are large, memory is bounded
            entry = known[story.url] = feed_entry(site, story)
        entries.append(entry)
    return entries


def feed_info(settings: Settings, title: str, description: str, home: str, entries: Sequence[FeedEntry]) -> FeedInfo:
    """``updated`` is the newest entry's date, so the same content gives the same feed."""
    return FeedInfo(
        title=xml_text(title),
        description=xml_text(description or title),
        home=absolute_url(settings, home),
        language=settings.language,
        publisher=xml_text(settings.publisher or settings.title),
        updated=max((e.updated for e in entries), default=EPOCH),
    )


def _generator(info: FeedInfo, entries: Sequence[FeedEntry], self_url: str, self_type: str) -> FeedGenerator:
    fg = FeedGenerator()
    fg.load_extension("dc", atom=False, rss=True)
    fg.id(info.home)
    fg.title(info.title)
    fg.subtitle(info.description)
    # feedgen gives RSS's <link> the last link added: the home page, not the feed.
    fg.link(href=self_url, rel="self", type=self_type)
    fg.link(href=info.home, rel="alternate", type="text/html")
    fg.language(info.language)
    fg.author({"name": info.publisher})
    fg.generator(GENERATOR, version=__version__)
    fg.updated(info.updated)
    fg.lastBuildDate(info.updated)
    for entry in entries:
        fe = fg.add_entry(order="append")
        fe.id(entry.url)
        fe.guid(entry.url, permalink=True)
        fe.title(entry.title)
        fe.link(href=entry.url, rel="alternate")
        fe.published(entry.published)
        fe.updated(entry.updated)
        fe.description(entry.summary or entry.title)
        fe.content(entry.content_html, type="html")
        for author in entry.authors:
            fe.author({"name": author.name, "uri": author.url})
            fe.dc.dc_creator(author.name)
        for category in entry.categories:
            fe.category(term=category)
    return fg


def rss_feed(info: FeedInfo, entries: Sequence[FeedEntry], self_url: str) -> bytes:
    return _generator(info, entries, self_url, "application/rss+xml").rss_str(pretty=True)


def atom_feed(info: FeedInfo, entries: Sequence[FeedEntry], self_url: str) -> bytes:
    return _generator(info, entries, self_url, "application/atom+xml").atom_str(pretty=True)


def json_feed(info: FeedInfo, entries: Sequence[FeedEntry], self_url: str) -> bytes:
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1)."""
    items: list[dict[str, Any]] = []
    for entry in entries:
        item: dict[str, Any] = {
            "id": entry.url,
            "url": entry.url,
            "title": entry.title,
            "content_html": entry.content_html,
            "summary": entry.summary,
            "date_published": entry.published.isoformat(),
            "date_modified": entry.updated.isoformat(),
            "authors": [{"name": a.name, "url": a.url} for a in entry.authors],
            "tags": list(entry.categories),
            "language": entry.language,
        }
        if entry.image:
            item["image"] = entry.image
        items.append(item)
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": info.title,
        "home_page_url": info.home,
        "feed_url": self_url,
        "description": info.description,
        "language": info.language,
        "authors": [{"name": info.publisher}],
        "items": items,
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


FORMATS: dict[str, Callable[[FeedInfo, Sequence[FeedEntry], str], bytes]] = {
    "rss": rss_feed,
    "atom": atom_feed,
    "json-feed": json_feed,
}


def _render_feed(renderer: Renderer, page: Page) -> bytes:
    """Page data: ``stories`` (newest first), ``title``, ``description``, ``home`` (a base-relative path)."""
    site = renderer.site
    entries = feed_entries(site, page.data["stories"], renderer.memo.setdefault("feed_entries", {}))
    info = feed_info(site.settings, page.data["title"], page.data.get("description", ""), page.data["home"], entries)
    try:
        return FORMATS[page.renderer](info, entries, absolute_url(site.settings, page.url))
    except ValueError as exc:  # feedgen refuses what it cannot write
        raise BuildFailed([SiteError(page.source, f"cannot write /{page.url}: {exc}")]) from None


FEED_RENDERERS: dict[str, Callable[[Renderer, Page], bytes]] = dict.fromkeys(FORMATS, _render_feed)
