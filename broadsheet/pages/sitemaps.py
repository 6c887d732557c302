"""Sitemaps of every listed HTML page (split by an index past ``MAX_URLS``), a news sitemap and robots.txt."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from itertools import islice, takewhile

from broadsheet.model.site import Site, Story
from broadsheet.model.urls import absolute_url
from broadsheet.pages.editions import alternates
from broadsheet.pages.keys import KeyData
from broadsheet.pages.kinds import Page, PageKind, Rendering

SITEMAP = "sitemap.xml"
NEWS_SITEMAP = "news-sitemap.xml"
ROBOTS = "robots.txt"
# Limits from sitemaps.org and Google News.
MAX_URLS = 50_000
NEWS_MAX_URLS = 1_000
NEWS_WINDOW = dt.timedelta(days=2)

SitemapEntry = tuple[str, dt.datetime | None]
"""A base-relative URL path and when its content last changed."""
AlternateEntry = tuple[str, dt.datetime | None, tuple[tuple[str, str], ...]]
"""A sitemap entry with the page in other languages: (hreflang, base-relative URL), itself included."""


def sitemap_part_url(number: int) -> str:
    """One part of a sitemap split by a sitemap index: ``sitemap-1.xml``."""
    return f"sitemap-{number}.xml"


def story_lastmod(story: Story) -> dt.datetime:
    return story.updated or story.date


def news_stories(site: Site) -> list[Story]:
    """Stories of every edition from the two days up to the newest one (the build's own clock would make output vary)."""
    stories = site.stories
    if site.edition_sites:
        stories = tuple(sorted(site.all_stories, key=lambda story: (story.date, story.url), reverse=True))
    if not stories:
        return []
    since = stories[0].date - NEWS_WINDOW
    return list(islice(takewhile(lambda story: story.date > since, stories), NEWS_MAX_URLS))


def plan_sitemaps(kind: PageKind, site: Site, planned: Sequence[Page]) -> Iterable[Page]:
    """Every HTML page planned so far whose kind is ``listed``, a news sitemap and robots.txt."""
    # An article's own date; a list's newest story; anything else, the site's newest story.
    lastmod = {story.url: story_lastmod(story) for story in site.all_stories}
    newest = max(lastmod.values(), default=None)

    def page_lastmod(page: Page) -> dt.datetime | None:
        if "story" in page.data:
            return lastmod[page.data["story"].url]
        if "pager" in page.data:
            return max((lastmod[s.url] for s in page.data["pager"].items), default=None)
        return newest

    entries: list[AlternateEntry] = [
        (page.url, page_lastmod(page), alternates(site, page))
        for page in planned
        if page.family.listed and page.output_path.endswith(".html")
    ]
    if len(entries) <= MAX_URLS:
        yield Page(SITEMAP, "sitemap", "sitemap", kind, data={"entries": entries})
    else:
        parts: list[SitemapEntry] = []
        for number, start in enumerate(range(0, len(entries), MAX_URLS), start=1):
            chunk = entries[start : start + MAX_URLS]
            url = sitemap_part_url(number)
            parts.append((url, max((m for _, m, _links in chunk if m is not None), default=None)))
            yield Page(url, "sitemap", f"sitemap part {number}", kind, data={"entries": chunk})
        yield Page(SITEMAP, "sitemap", "sitemap index", kind, data={"parts": parts})
    yield Page(NEWS_SITEMAP, "sitemap", "news sitemap", kind, data={"news": True})
    yield Page(ROBOTS, "robots", "robots.txt", kind)


def sitemaps_key(keys: KeyData, page: Page) -> str:
    """A sitemap shows its entries, an index its parts; the news sitemap may show any story of any edition."""
    data = page.data
    if "entries" in data:
        return keys.page(page, "\x01".join(f"{url}\x00{lastmod}\x00{links}" for url, lastmod, links in data["entries"]))
    if "parts" in data:
        return keys.page(page, data["parts"])
    if "news" in data:
        return keys.page(page, keys.everything(editions=True))
    return keys.page(page)


def render_sitemap(renderer: Rendering, page: Page) -> bytes:
    from broadsheet.outputs import sitemap  # lxml, loaded only when a sitemap is written

    site = renderer.site
    settings = site.settings
    data = page.data
    if "entries" in data:
        return sitemap.urlset(settings, data["entries"])
    if "parts" in data:
        return sitemap.sitemap_index(settings, data["parts"])
    if "news" in data:
        return sitemap.news_sitemap(settings, news_stories(site))
    return sitemap.robots_txt([absolute_url(settings, SITEMAP), absolute_url(settings, NEWS_SITEMAP)])


SITEMAPS = PageKind("sitemaps", plan_sitemaps, key=sitemaps_key, render=render_sitemap, summary=True)
