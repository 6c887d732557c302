"""Routes stage: every output URL planned once, before anything renders; collisions are errors."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from broadsheet.errors import BuildFailed, SiteError
from broadsheet.model.site import Site
from broadsheet.pages.archives import ARCHIVES
from broadsheet.pages.articles import ARTICLES
from broadsheet.pages.bundles import BUNDLES
from broadsheet.pages.editions import EDITIONS
from broadsheet.pages.feeds import FEEDS
from broadsheet.pages.fixed import NOT_FOUND, SEARCH_PAGE
from broadsheet.pages.front import FRONT_PAGE
from broadsheet.pages.kinds import Page, PageKind
from broadsheet.pages.redirects import REDIRECTS, RULES
from broadsheet.pages.sitemaps import SITEMAPS
from broadsheet.pages.terms import TERMS

# Every kind of page, in planning order (summary kinds plan last, whatever their place).
# Further languages' editions plan after the main edition's pages, from their own sites.
# Old paths plan after every page, so that one taken by a page is reported against the redirect.
KINDS: tuple[PageKind, ...] = (
    ARTICLES, FRONT_PAGE, TERMS, ARCHIVES, SEARCH_PAGE, NOT_FOUND, FEEDS, BUNDLES, EDITIONS, REDIRECTS, RULES, SITEMAPS,
)


def plan(site: Site, reserved: Mapping[str, str] | None = None, kinds: Sequence[PageKind] = KINDS) -> list[Page]:
    """All pages of the site; raise ``BuildFailed`` if two of them claim one output file.

    ``reserved`` maps output paths already taken (static files) to what took them.
    """
    claimed: dict[str, str] = dict(reserved or {})
    pages: list[Page] = []
    errors: list[SiteError] = []
    for kind in [k for k in kinds if not k.summary] + [k for k in kinds if k.summary]:
        for page in kind.plan(kind, site, pages):
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
