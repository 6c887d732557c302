"""Sitemaps, sitemap indexes, a Google News sitemap and robots.txt from their entries (``pages/sitemaps.py`` plans them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from lxml import etree

from broadsheet.model.config import Settings
from broadsheet.model.site import Story
from broadsheet.model.urls import absolute_url
from broadsheet.outputs.xmltext import xml_text

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"

SitemapEntry = tuple[str, dt.datetime | None]
"""A base-relative URL path and when its content last changed."""
AlternateEntry = tuple[str, dt.datetime | None, tuple[tuple[str, str], ...]]
"""A sitemap entry with the page in every language: (hreflang, base-relative URL), itself included."""


def _xml(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _sub(parent: etree._Element, tag: str, text: str) -> etree._Element:
    element = etree.SubElement(parent, tag)
    element.text = xml_text(text)
    return element


def urlset(settings: Settings, entries: Sequence[SitemapEntry | AlternateEntry]) -> bytes:
    """A sitemap; an entry with alternates gets an ``xhtml:link`` per language (Google's hreflang in sitemaps)."""
    return _listing(settings, "urlset", "url", entries)


def sitemap_index(settings: Settings, parts: Sequence[SitemapEntry]) -> bytes:
    return _listing(settings, "sitemapindex", "sitemap", parts)


def _listing(settings: Settings, root_tag: str, item_tag: str, entries: Sequence[SitemapEntry | AlternateEntry]) -> bytes:
    """A sitemap (``urlset`` of ``url``) or a sitemap index (``sitemapindex`` of ``sitemap``)."""
    translated = any(len(entry) > 2 and entry[2] for entry in entries)
    nsmap = {None: SITEMAP_NS, "xhtml": XHTML_NS} if translated else {None: SITEMAP_NS}
    root = etree.Element(f"{{{SITEMAP_NS}}}{root_tag}", nsmap=nsmap)
    for path, lastmod, *rest in entries:
        item = etree.SubElement(root, f"{{{SITEMAP_NS}}}{item_tag}")
        _sub(item, f"{{{SITEMAP_NS}}}loc", absolute_url(settings, path))
        if lastmod is not None:
            _sub(item, f"{{{SITEMAP_NS}}}lastmod", lastmod.isoformat())
        for language, url in rest[0] if rest else ():
            link = etree.SubElement(item, f"{{{XHTML_NS}}}link")
            link.attrib.update({"rel": "alternate", "hreflang": language, "href": absolute_url(settings, url)})
    return _xml(root)


def news_sitemap(settings: Settings, stories: Sequence[Story]) -> bytes:
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


def robots_txt(sitemaps: Sequence[str]) -> bytes:
    """Allow everything and name the sitemaps, full URLs (crawlers read it only at a domain's root)."""
    lines = ["User-agent: *", "Allow: /", "", *(f"Sitemap: {url}" for url in sitemaps)]
    return ("\n".join(lines) + "\n").encode("utf-8")
