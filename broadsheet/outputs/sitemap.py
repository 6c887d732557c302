"""Sitemaps (split by a sitemap index past 50,000 URLs), a Google News sitemap and robots.txt."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from itertools import islice, takewhile
from typing import TYPE_CHECKING

from lxml import etree

from broadsheet.model.config import Settings
from broadsheet.model.site import Site, Story
from broadsheet.model.urls import NEWS_SITEMAP, SITEMAP, absolute_url
from broadsheet.outputs.xmltext import xml_text

if TYPE_CHECKING:
    from broadsheet.pages.routes import Page
    from broadsheet.render import Renderer

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
# Limits from sitemaps.org and Google News.
MAX_URLS = 50_000
NEWS_MAX_URLS = 1_000
NEWS_WINDOW = dt.timedelta(days=2)

SitemapEntry = tuple[str, dt.datetime | None]
"""A base-relative URL path and when its content last changed."""


def story_lastmod(story: Story) -> dt.datetime:
    return story.updated or story.date


def news_stories(site: Site) -> list[Story]:
    """Stories from the two days up to the newest one (the build's own clock would make output vary)."""
    if not site.stories:
        return []
    since = site.stories[0].date - NEWS_WINDOW
    return list(islice(takewhile(lambda story: story.date > since, site.stories), NEWS_MAX_URLS))


def _xml(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _sub(parent: etree._Element, tag: str, text: str) -> etree._Element:
    element = etree.SubElement(parent, tag)
    element.text = xml_text(text)
    return element


def urlset(settings: Settings, entries: Sequence[SitemapEntry]) -> bytes:
    return _listing(settings, "urlset", "url", entries)


def sitemap_index(settings: Settings, parts: Sequence[SitemapEntry]) -> bytes:
    return _listing(settings, "sitemapindex", "sitemap", parts)


def _listing(settings: Settings, root_tag: str, item_tag: str, entries: Sequence[SitemapEntry]) -> bytes:
    """A sitemap (``urlset`` of ``url``) or a sitemap index (``sitemapindex`` of ``sitemap``)."""
    root = etree.Element(f"{{{SITEMAP_NS}}}{root_tag}", nsmap={None: SITEMAP_NS})
    for path, lastmod in entries:
        item = etree.SubElement(root, f"{{{SITEMAP_NS}}}{item_tag}")
        _sub(item, f"{{{SITEMAP_NS}}}loc", absolute_url(settings, path))
        if lastmod is not None:
            _sub(item, f"{{{SITEMAP_NS}}}lastmod", lastmod.isoformat())
    return _xml(root)


def news_sitemap(site: Site, stories: Sequence[Story]) -> bytes:
    settings = site.settings
    root = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS, "news": NEWS_NS})
    for story in stories:
        url = etree.SubElement(root, f"{{{SITEMAP_NS}}}url")
        _sub(url, f"{{{SITEMAP_NS}}}loc", absolute_url(settings, story.url))
        news = etree.SubElement(url, f"{{{NEWS_NS}}}news")
        publication = etree.SubElement(news, f"{{{NEWS_NS}}}publication")
        _sub(publication, f"{{{NEWS_NS}}}name", settings.publisher or settings.title)
        _sub(publication, f"{{{NEWS_NS}}}language", (story.lang or settings.language).lower())
        _sub(news, f"{{{NEWS_NS}}}publication_date", story.date.isoformat())
        _sub(news, f"{{{NEWS_NS}}}title", story.title)
    return _xml(root)


def robots_txt(settings: Settings) -> bytes:
    """Allow everything and name both sitemaps (crawlers read it only at a domain's root)."""
    lines = [
        "User-agent: *",
        "Allow: /",
        "",
        f"Sitemap: {absolute_url(settings, SITEMAP)}",
        f"Sitemap: {absolute_url(settings, NEWS_SITEMAP)}",
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


SITEMAP_RENDERERS: dict[str, Callable[[Renderer, Page], bytes]] = {
    "sitemap": lambda renderer, page: urlset(renderer.site.settings, page.data["entries"]),
    "sitemap-index": lambda renderer, page: sitemap_index(renderer.site.settings, page.data["parts"]),
    "news-sitemap": lambda renderer, page: news_sitemap(renderer.site, news_stories(renderer.site)),
    "robots": lambda renderer, page: robots_txt(renderer.site.settings),
}
