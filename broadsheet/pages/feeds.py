"""Feeds: the site's in every format, and one per author, tag and section in the formats that say ``terms``.

Adding a feed format is one ``FeedFormat`` in ``FORMATS`` (its writer beside
the others in ``outputs/feeds.py``); every page's head then links it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from broadsheet.errors import BuildFailed, SiteError
from broadsheet.model.record import revised_at
from broadsheet.model.site import Site, Story, Term
from broadsheet.model.urls import absolute_url, asset_url
from broadsheet.pages.keys import KeyData
from broadsheet.pages.kinds import FeedFormat, Page, PageKind, Rendering
from broadsheet.pages.terms import site_terms, term_url

if TYPE_CHECKING:
    from broadsheet.outputs.feeds import FeedEntry, FeedInfo

# The writers in outputs/feeds.py, loaded (with their dataclasses) when a feed is written.


def write_rss(info: FeedInfo, entries: Sequence[FeedEntry], self_url: str) -> bytes:
    from broadsheet.outputs.feeds import rss_feed

    return rss_feed(info, entries, self_url)


def write_atom(info: FeedInfo, entries: Sequence[FeedEntry], self_url: str) -> bytes:
    from broadsheet.outputs.feeds import atom_feed

    return atom_feed(info, entries, self_url)


def write_json_feed(info: FeedInfo, entries: Sequence[FeedEntry], self_url: str) -> bytes:
    from broadsheet.outputs.feeds import json_feed

    return json_feed(info, entries, self_url)


RSS = FeedFormat("rss", "feed.xml", "application/rss+xml", "RSS", write_rss, terms=True)
ATOM = FeedFormat("atom", "atom.xml", "application/atom+xml", "Atom", write_atom)
JSON_FEED = FeedFormat("json-feed", "feed.json", "application/feed+json", "JSON Feed", write_json_feed)
FORMATS = (RSS, ATOM, JSON_FEED)

def gettext_noop(message: str) -> str:
    """Marks a theme string for ``scripts/messages.py``; the feed's renderer translates it."""
    return message


# A term feed's description: a theme string, translated into the language of the feed's edition.
_DESCRIPTIONS = {
    "author": gettext_noop("Stories by %(name)s"),
    "tag": gettext_noop("Stories about %(name)s"),
    "section": gettext_noop("Stories in %(name)s"),
}


def term_feed_url(term: Term, format: FeedFormat = RSS) -> str:
    """The feed of one author, tag or section: ``tags/economy/feed.xml``."""
    return term_url(term) + format.path


def plan_feeds(kind: PageKind, site: Site, planned: Sequence[Page]) -> Iterable[Page]:
    """Page data: the feed's ``format``, ``stories`` (newest first), ``title``, ``description``, ``home``."""
    settings = site.settings
    whole = {"stories": site.stories, "title": settings.title, "description": settings.description, "home": site.prefix}
    for format in kind.formats:
        yield Page(site.prefix + format.path, "feed", f"{format.label} {site.prefix}site feed", kind, data={"format": format, **whole})
    by_term = [format for format in kind.formats if format.terms]
    for term_kind, terms in site_terms(site):
        for term in terms.values():
            data = {
                "stories": term.stories,
                "title": f"{settings.title}: {term.name}",
                "description": (_DESCRIPTIONS[term_kind], term.name),
                "home": term_url(term),
            }
            for format in by_term:
                yield Page(term_feed_url(term, format), "feed", f"{term_kind} '{term.name}' feed", kind,
                           data={"format": format, **data})


def feed_key(keys: KeyData, page: Page) -> str:
    """Its titles and the cards of the stories it carries."""
    data = page.data
    shown = data["stories"][: keys.site.settings.feed_limit]
    return keys.page(page, data["format"].name, data["title"], data["description"], data["home"], *(_entry_key(keys, s) for s in shown))


def _entry_key(keys: KeyData, story: Story) -> str:
    """A feed entry also shows its tags by name, the most common spelling across all stories.

    Only names spelt otherwise than in the story itself (whose spelling its content key covers) are
    added, so that a feed's key changes when another story's spelling renames one of these tags.
    """
    card = keys.card(story)
    own = set(story.article.tags)  # a set: a story with a thousand tags is in a thousand feeds
    renamed = [t.name for t in keys.site.tags_of(story) if t.name not in own]
    return "\x00".join((card, *renamed)) if renamed else card


def render_feed(renderer: Rendering, page: Page) -> bytes:
    from broadsheet.outputs.feeds import feed_info

    site = renderer.site
    data = page.data
    entries = feed_entries(site, data["stories"], renderer.memo.setdefault("feed_entries", {}), renderer.feed_body)
    description = data.get("description", "")
    if isinstance(description, tuple):  # a theme string and the term's name
        message, name = description
        description = renderer.gettext(message) % {"name": name}
    info = feed_info(site.settings, data["title"], description, data["home"], entries)
    try:
        return data["format"].write(info, entries, absolute_url(site.settings, page.url))
    except ValueError as exc:  # a feed without a title
        raise BuildFailed([SiteError(page.source, f"cannot write /{page.url}: {exc}")]) from None


def feed_entry(site: Site, story: Story, body: Callable[[str], str] = str) -> FeedEntry:
    from broadsheet.outputs.feeds import Author, FeedEntry
    from broadsheet.outputs.xmltext import absolute_html, xml_text

    settings = site.settings
    url = absolute_url(settings, story.url)
    section = site.section_of(story)
    categories = [section.name] if section else []
    categories += [tag.name for tag in site.tags_of(story) if tag.name not in categories]
    return FeedEntry(
        url=url,
        title=xml_text(story.title),
        published=story.date,
        updated=revised_at(story.article),  # a correction is a change
        authors=tuple(Author(xml_text(a.name), absolute_url(settings, term_url(a))) for a in site.authors_of(story)),
        categories=tuple(xml_text(c) for c in categories),
        summary=xml_text(story.summary_text),
        content_html=absolute_html(body(story.html), url),
        image=absolute_url(settings, asset_url(story.image)) if story.image else None,
        language=story.lang or settings.language,
    )


# Feed entries kept for reuse by one process (each holds a story's whole body, and its RSS item and
# Atom entry once written: some 30 KB). Each render worker fills its own: at 10,000 stories, 4,096
# made a cold build's peak memory 610 MB, 2,048 525 MB, at the same build time within the noise
# (1,024: 485 MB, 8% slower), so a build with search stays within half of Hugo's peak.
KNOWN_ENTRIES = 2048


def feed_entries(site: Site, stories: Iterable[Story], known: dict[str, FeedEntry] | None = None,
                 body: Callable[[str], str] = str) -> list[FeedEntry]:
    """The newest ``feed_limit`` stories (``stories`` is newest first) as feed entries; ``body`` readies
    a story's body for a feed (its images).

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
            entry = known[story.url] = feed_entry(site, story, body)
        entries.append(entry)
    return entries


def feeds_globals(site: Site) -> Mapping[str, Any]:
    """The site feed of each format by name (``rss_feed_url``, ...) and ``term_feed_url(term)``."""
    prefix = site.prefix
    return {"rss_feed_url": prefix + RSS.path, "atom_feed_url": prefix + ATOM.path, "json_feed_url": prefix + JSON_FEED.path,
            "term_feed_url": term_feed_url}


FEEDS = PageKind("feeds", plan_feeds, key=feed_key, render=render_feed, globals=feeds_globals, formats=FORMATS)
