"""RSS 2.0, Atom and JSON Feed 1.1 from one list of feed entries (``pages/feeds.py`` makes the entries).

A feed format is data plus a template: RSS and Atom are the string templates
below, filled with text escaped for XML (``&``, ``<`` and ``>`` as entities, so
``]]>`` in a body is just text; quotes too inside attributes), laid out as
lxml's pretty printer wrote them; JSON Feed is plain ``json``. Building no
element tree takes less than half the time feedgen took, each story's item is
written once for all the feeds that carry it, and the writers load without
lxml (``bench/feeds.py`` times them). Every date is the stories' own, never
the wall clock, so builds are reproducible.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from broadsheet import __version__
from broadsheet.model.config import Settings
from broadsheet.model.urls import absolute_url
from broadsheet.outputs.xmltext import xml_text

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
    # Its RSS item and Atom entry once written, in UTF-8, by format: a story is in the feeds of its
    # site, byline, tags and section, and the memo of entries keeps it for all of them.
    written: dict[str, bytes] = field(default_factory=dict, init=False, repr=False, compare=False)


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
        home=xml_text(absolute_url(settings, home)),
        language=settings.language,
        publisher=xml_text(settings.publisher or settings.title),
        updated=max((e.updated for e in entries), default=EPOCH),
    )


def _text(value: str) -> str:
    """Character data: ``&``, ``<`` and ``>`` as entities (so ``]]>`` is just text), CR as a reference so it survives parsing."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _attribute(value: str) -> str:
    """An attribute value in double quotes; tab, LF and CR as references, which attribute normalisation keeps."""
    return _text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def _rfc822(when: dt.datetime) -> str:
    """RSS's date: ``Wed, 18 Nov 2026 08:50:00 +0800``, in English whatever the locale."""
    return email.utils.format_datetime(when)


# The templates. Each placeholder is filled with text already escaped for where it stands;
# the layout is what lxml's pretty printer wrote, so feeds keep their bytes.
RSS = """<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" \
xmlns:content="http://purl.org/rss/1.0/modules/content/" version="2.0">
  <channel>
    <title>{title}</title>
    <link>{home}</link>
    <description>{description}</description>
    <atom:link href="{self_url}" rel="self" type="application/rss+xml"/>
    <docs>http://www.rssboard.org/rss-specification</docs>
    <generator>{generator}</generator>
{language}    <lastBuildDate>{updated}</lastBuildDate>
"""
RSS_END = """  </channel>
</rss>
"""
RSS_LANGUAGE = "    <language>{}</language>\n"
RSS_ITEM = """    <item>
      <title>{title}</title>
      <link>{url}</link>
      <description>{description}</description>
      <content:encoded>{content}</content:encoded>
      <guid isPermaLink="true">{url}</guid>
{categories}      <pubDate>{published}</pubDate>
{creators}    </item>
"""
RSS_CATEGORY = "      <category>{}</category>\n"
RSS_CREATOR = "      <dc:creator>{}</dc:creator>\n"

ATOM = """<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns="http://www.w3.org/2005/Atom"{language}>
  <id>{home}</id>
  <title>{title}</title>
  <updated>{updated}</updated>
{author}  <link href="{self_url}" rel="self" type="application/atom+xml"/>
  <link href="{home_attribute}" rel="alternate" type="text/html"/>
  <generator version="{version}">{generator}</generator>
{subtitle}"""
ATOM_END = "</feed>\n"
ATOM_LANGUAGE = ' xml:lang="{}"'
ATOM_FEED_AUTHOR = "  <author>\n    <name>{}</name>\n  </author>\n"
ATOM_SUBTITLE = "  <subtitle>{}</subtitle>\n"
ATOM_ENTRY = """  <entry>
    <id>{url}</id>
    <title>{title}</title>
    <updated>{updated}</updated>
{authors}    <content type="html">{content}</content>
    <link href="{url_attribute}"/>
{categories}    <published>{published}</published>
  </entry>
"""
ATOM_AUTHOR = "    <author>\n      <name>{name}</name>\n      <uri>{uri}</uri>\n    </author>\n"
ATOM_CATEGORY = '    <category term="{}"/>\n'


def _document(head: str, entries: Sequence[FeedEntry], format: str, write: Callable[[FeedEntry], str], end: str) -> bytes:
    """A feed in UTF-8 with its entries in ``format``, each written once (escaping a body is most of the work)."""
    parts = [head.encode("utf-8")]
    for entry in entries:
        data = entry.written.get(format)
        if data is None:
            data = entry.written[format] = write(entry).encode("utf-8")
        parts.append(data)
    parts.append(end.encode("utf-8"))
    return b"".join(parts)


def _titled(info: FeedInfo) -> None:
    """RSS and Atom require the feed's title (and RSS a description, which defaults to the title)."""
    if not info.title:
        raise ValueError("a feed needs a title: the site's 'title' is empty")


def rss_feed(info: FeedInfo, entries: Sequence[FeedEntry], self_url: str) -> bytes:
    """RSS 2.0 with the content, Dublin Core and Atom namespaces (bodies in ``content:encoded``, bylines in ``dc:creator``)."""
    _titled(info)
    head = RSS.format(
        title=_text(info.title),
        home=_text(info.home),
        description=_text(info.description),
        self_url=_attribute(xml_text(self_url)),
        generator=GENERATOR,
        language=RSS_LANGUAGE.format(_text(info.language)) if info.language else "",
        updated=_rfc822(info.updated),
    )
    return _document(head, entries, "rss", _rss_item, RSS_END)


def _rss_item(entry: FeedEntry) -> str:
    return RSS_ITEM.format(
        title=_text(entry.title),
        url=_text(entry.url),
        description=_text(entry.summary or entry.title),
        content=_text(entry.content_html),
        categories="".join(RSS_CATEGORY.format(_text(c)) for c in entry.categories),
        published=_rfc822(entry.published),
        creators="".join(RSS_CREATOR.format(_text(a.name)) for a in entry.authors),
    )


def atom_feed(info: FeedInfo, entries: Sequence[FeedEntry], self_url: str) -> bytes:
    """Atom 1.0: the publisher as the feed's author, each byline with its page, bodies as escaped HTML."""
    _titled(info)
    head = ATOM.format(
        language=ATOM_LANGUAGE.format(_attribute(info.language)) if info.language else "",
        home=_text(info.home),
        title=_text(info.title),
        updated=info.updated.isoformat(),
        author=ATOM_FEED_AUTHOR.format(_text(info.publisher)) if info.publisher else "",
        self_url=_attribute(xml_text(self_url)),
        home_attribute=_attribute(info.home),
        version=_attribute(__version__),
        generator=GENERATOR,
        subtitle=ATOM_SUBTITLE.format(_text(info.description)) if info.description else "",
    )
    return _document(head, entries, "atom", _atom_entry, ATOM_END)


def _atom_entry(entry: FeedEntry) -> str:
    return ATOM_ENTRY.format(
        url=_text(entry.url),
        title=_text(entry.title),
        updated=entry.updated.isoformat(),
        authors="".join(ATOM_AUTHOR.format(name=_text(a.name), uri=_text(a.url)) for a in entry.authors if a.name),
        content=_text(entry.content_html),
        url_attribute=_attribute(entry.url),
        categories="".join(ATOM_CATEGORY.format(_attribute(c)) for c in entry.categories),
        published=entry.published.isoformat(),
    )


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
