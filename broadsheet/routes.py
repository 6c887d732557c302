"""Routes stage: every output URL planned once, before anything renders; collisions are errors."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from .config import Settings
from .content import Article
from .errors import BuildFailed, SiteError
from .pagination import paginate
from .site import Site
from .slugs import slugify
from .urls import ARCHIVE_INDEX, archive_url, term_index_url, term_url


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
    path = PurePosixPath(url)
    if url.startswith("/") or "\\" in url or any(part in ("..", ".") for part in path.parts):
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


def plan_not_found(site: Site) -> Iterable[Page]:
    yield Page("404.html", "404", "404 page", "404.html")


Planner = Callable[[Site], Iterable[Page]]
PLANNERS: list[Planner] = [plan_articles, plan_front_page, plan_terms, plan_archives, plan_not_found]


def plan(site: Site, planners: Iterable[Planner] = PLANNERS, reserved: Mapping[str, str] | None = None) -> list[Page]:
    """All pages of the site; raise ``BuildFailed`` if two of them claim one output file.

    ``reserved`` maps output paths already taken (static files) to what took them.
    """
    claimed: dict[str, str] = dict(reserved or {})
    pages: list[Page] = []
    errors: list[SiteError] = []
    for planner in planners:
        for page in planner(site):
            other = claimed.get(page.output_path)
            if other is not None:
                errors.append(SiteError(page.source, f"URL /{page.url} is already used by {other}"))
                continue
            claimed[page.output_path] = page.source
            pages.append(page)
    # A file where another page needs a folder ("{slug}" = "tags" beside "tags/index.html").
    folders = {parent.as_posix(): path for path in claimed for parent in PurePosixPath(path).parents}
    for page in pages:
        inner = folders.get(page.output_path)
        if inner is not None:
            errors.append(SiteError(page.source, f"URL /{page.url} is a file, but {claimed[inner]} needs it as a folder"))
    if errors:
        raise BuildFailed(errors)
    return pages
