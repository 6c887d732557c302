"""Routes stage: every output URL planned once, before anything renders; collisions are errors."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from broadsheet.errors import BuildFailed, SiteError
from broadsheet.model.config import Settings
from broadsheet.model.content import Article
from broadsheet.model.pagination import paginate
from broadsheet.model.site import Site
from broadsheet.model.slugs import slugify
from broadsheet.model.urls import (
    ARCHIVE_INDEX,
    ATOM_FEED,
    JSON_FEED,
    NEWS_SITEMAP,
    ROBOTS,
    RSS_FEED,
    SEARCH,
    SITEMAP,
    archive_url,
    sitemap_part_url,
    term_feed_url,
    term_index_url,
    term_url,
)


@dataclass(frozen=True, slots=True)
class Page:
    """One output file: where it goes, how it is rendered and from what data."""

    url: str
    kind: str
    source: str
    template: str | None = None
    renderer: str = "template"
    data: Mapping[str, Any] = field(default_factory=dict)

    @property
    def output_path(self) -> str:
        return f"{self.url}index.html" if self.url == "" or self.url.endswith("/") else self.url


def article_url(article: Article, settings: Settings) -> str:
    """The article's URL path relative to the site base, from the permalink pattern."""
    local = article.date
    section = article.section or "news"
    url = settings.permalink.format(
        year=f"{local.year:04d}", month=f"{local.month:02d}", day=f"{local.day:02d}",
        slug=article.slug, section=slugify(section),
    )
    return safe_url(url)


def safe_url(url: str) -> str:
    """Refuse any URL that would write outside the output folder."""
    if url.startswith("/") or "\\" in url or "\x00" in url or {".", ".."} & set(url.split("/")):
        raise ValueError(f"unsafe output path {url!r}")
    return url


def plan_articles(site: Site) -> Iterable[Page]:
    for story in site.stories:
        yield Page(story.url, "article", story.article.source, "article.html", data={"story": story})


def plan_front_page(site: Site) -> Iterable[Page]:
    for pager in paginate(site.stories, site.settings.per_page, ""):
        yield Page(pager.url, "home", "front page", "index.html", data={"pager": pager})


def plan_terms(site: Site) -> Iterable[Page]:
    """An index and paginated list pages for authors, tags and sections."""
    for kind, terms in (("author", site.authors), ("tag", site.tags), ("section", site.sections)):
        yield Page(term_index_url(kind), f"{kind}-index", f"{kind} index", "terms.html", data={"kind": kind, "terms": terms})
        for term in terms.values():
            for pager in paginate(term.stories, site.settings.per_page, term_url(term)):
                yield Page(pager.url, kind, f"{kind} '{term.name}'", "list.html", data={"term": term, "pager": pager})


def plan_archives(site: Site) -> Iterable[Page]:
    """A page per year, month and day that has stories, and an archive index."""
    yield Page(ARCHIVE_INDEX, "archive-index", "archive index", "archive_index.html")
    for key, stories in site.archive.items():
        for pager in paginate(stories, site.settings.per_page, archive_url(key)):
            yield Page(pager.url, "archive", f"archive {archive_url(key)}", "archive.html", data={"period": key, "pager": pager})


def plan_search(site: Site) -> Iterable[Page]:
    """The search page; it reads ``?q=`` and queries the index built by the search stage."""
    yield Page(SEARCH, "search", "search page", "search.html")


def plan_not_found(site: Site) -> Iterable[Page]:
    yield Page("404.html", "404", "404 page", "404.html")


_FEED_DESCRIPTIONS = {"author": "Stories by {}", "tag": "Stories about {}", "section": "Stories in {}"}


def plan_feeds(site: Site) -> Iterable[Page]:
    """RSS, Atom and JSON Feed for the whole site; an RSS feed per author, tag and section."""
    settings = site.settings
    whole = {"stories": site.stories, "title": settings.title, "description": settings.description, "home": ""}
    yield Page(RSS_FEED, "feed", "RSS feed", renderer="rss", data=whole)
    yield Page(ATOM_FEED, "feed", "Atom feed", renderer="atom", data=whole)
    yield Page(JSON_FEED, "feed", "JSON feed", renderer="json-feed", data=whole)
    for kind, terms in (("author", site.authors), ("tag", site.tags), ("section", site.sections)):
        for term in terms.values():
            data = {
                "stories": term.stories,
                "title": f"{settings.title}: {term.name}",
                "description": _FEED_DESCRIPTIONS[kind].format(term.name),
                "home": term_url(term),
            }
            yield Page(term_feed_url(term), "feed", f"{kind} '{term.name}' feed", renderer="rss", data=data)


def plan_sitemaps(site: Site, planned: Sequence[Page]) -> Iterable[Page]:
    """Every HTML page planned so far (but the 404 page), a news sitemap and robots.txt.

    Past ``MAX_URLS`` the sitemap is split into parts listed by a sitemap index.
    """
    from broadsheet.outputs.sitemap import (  # the XML writing beside them loads lxml
        MAX_URLS,
        SitemapEntry,
        story_lastmod,
    )

    # An article's own date; a list's newest story; anything else, the site's newest story.
    lastmod = {story.url: story_lastmod(story) for story in site.stories}
    newest = max(lastmod.values(), default=None)

    def page_lastmod(page: Page) -> dt.datetime | None:
        if "story" in page.data:
            return lastmod[page.data["story"].url]
        if "pager" in page.data:
            return max((lastmod[s.url] for s in page.data["pager"].items), default=None)
        return newest

    entries: list[SitemapEntry] = [
        (page.url, page_lastmod(page))
        for page in planned
        if page.output_path.endswith(".html") and page.kind != "404"
    ]
    if len(entries) <= MAX_URLS:
        yield Page(SITEMAP, "sitemap", "sitemap", renderer="sitemap", data={"entries": entries})
    else:
        parts: list[SitemapEntry] = []
        for number, start in enumerate(range(0, len(entries), MAX_URLS), start=1):
            chunk = entries[start : start + MAX_URLS]
            url = sitemap_part_url(number)
            parts.append((url, max((m for _, m in chunk if m is not None), default=None)))
            yield Page(url, "sitemap", f"sitemap part {number}", renderer="sitemap", data={"entries": chunk})
        yield Page(SITEMAP, "sitemap", "sitemap index", renderer="sitemap-index", data={"parts": parts})
    yield Page(NEWS_SITEMAP, "sitemap", "news sitemap", renderer="news-sitemap")
    yield Page(ROBOTS, "robots", "robots.txt", renderer="robots")


Planner = Callable[[Site], Iterable[Page]]
PLANNERS: list[Planner] = [
    plan_articles, plan_front_page, plan_terms, plan_archives, plan_search, plan_not_found, plan_feeds,
]


# Planners that describe the pages planned before them (sitemaps).
Summary = Callable[[Site, Sequence[Page]], Iterable[Page]]
SUMMARIES: list[Summary] = [plan_sitemaps]


def plan(
    site: Site,
    planners: Iterable[Planner] = PLANNERS,
    reserved: Mapping[str, str] | None = None,
    summaries: Iterable[Summary] = SUMMARIES,
) -> list[Page]:
    """All pages of the site; raise ``BuildFailed`` if two of them claim one output file.

    ``reserved`` maps output paths already taken (static files) to what took them.
    """
    claimed: dict[str, str] = dict(reserved or {})
    pages: list[Page] = []
    errors: list[SiteError] = []
    batches: list[Callable[[], Iterable[Page]]] = [functools.partial(p, site) for p in planners]
    batches += [functools.partial(s, site, pages) for s in summaries]
    for batch in batches:
        for page in batch():
            other = claimed.get(page.output_path)
            if other is not None:
                errors.append(SiteError(page.source, f"URL /{page.url} is already used by {other}"))
                continue
            claimed[page.output_path] = page.source
            pages.append(page)
    # A file where another page needs a folder ("{slug}" = "tags" beside "tags/index.html").
    folders: dict[str, str] = {}
    for path in claimed:
        cut = path.rfind("/")
        while cut > 0 and path[:cut] not in folders:
            folders[path[:cut]] = path
            cut = path.rfind("/", 0, cut)
    for page in pages:
        inner = folders.get(page.output_path)
        if inner is not None:
            errors.append(SiteError(page.source, f"URL /{page.url} is a file, but {claimed[inner]} needs it as a folder"))
    if errors:
        raise BuildFailed(errors)
    return pages
