"""RSS 2.0, Atom and JSON Feed 1.1 from one list of feed entries (``pages/feeds.py`` makes the entries).

RSS and Atom come from feedgen (lxml underneath, so titles and bodies are
escaped, and ``]]>`` in a body is just text); JSON Feed is plain ``json``.
Every date is the stories' own, never the wall clock, so builds are reproducible.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from broadsheet import __version__
from broadsheet.model.config import Settings
from broadsheet.model.urls import absolute_url
from broadsheet.outputs.xmltext import xml_text

if TYPE_CHECKING:
    from feedgen.feed import FeedGenerator

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
    from feedgen.feed import FeedGenerator  # with lxml: loaded only when a feed is written

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
        if entry.categories:
            # One call: feedgen rebuilds its RSS list on every call, so one call per tag is quadratic
            # per entry (and, with a feed per tag, cubic for a story with many tags).
            fe.category([{"term": category} for category in entry.categories])
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
