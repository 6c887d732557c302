"""URL paths (relative to the site base) for every kind of page; one place decides them."""

from __future__ import annotations

from urllib.parse import urlsplit

from broadsheet.model.config import Settings
from broadsheet.model.site import Term

TERM_ROOTS = {"author": "authors", "tag": "tags", "section": "sections"}


def term_index_url(kind: str) -> str:
    return f"{TERM_ROOTS[kind]}/"


def term_url(term: Term) -> str:
    return f"{TERM_ROOTS[term.kind]}/{term.key}/"


def archive_url(key: tuple[int, ...]) -> str:
    """``(2024,)`` → ``2024/``, ``(2024, 5)`` → ``2024/05/``, ``(2024, 5, 1)`` → ``2024/05/01/``."""
    year, *rest = key
    return "/".join([f"{year:04d}", *(f"{n:02d}" for n in rest)]) + "/"


ARCHIVE_INDEX = "archive/"
SEARCH = "search/"

# Feeds and search-engine files.
RSS_FEED = "feed.xml"
ATOM_FEED = "atom.xml"
JSON_FEED = "feed.json"
SITEMAP = "sitemap.xml"
NEWS_SITEMAP = "news-sitemap.xml"
ROBOTS = "robots.txt"


def term_feed_url(term: Term) -> str:
    """The RSS feed of one author, tag or section: ``tags/economy/feed.xml``."""
    return term_url(term) + RSS_FEED


def sitemap_part_url(number: int) -> str:
    """One part of a sitemap split by a sitemap index: ``sitemap-1.xml``."""
    return f"sitemap-{number}.xml"


def absolute_url(settings: Settings, path: str = "") -> str:
    """A full URL for a base-relative path; URLs that are already absolute pass through."""
    if "://" in path:
        return path
    if path.startswith("//"):
        return f"{urlsplit(settings.base_url).scheme}:{path}"
    return settings.site_root + settings.base_path + path.lstrip("/")


def asset_url(path: str) -> str:
    """A file from the static folder; absolute URLs and base-relative paths pass through."""
    if "://" in path or path.startswith("//"):
        return path
    if path.startswith("/"):
        return path.lstrip("/")
    return f"static/{path}"
