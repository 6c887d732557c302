"""Pages that show no story: the search page and the 404 page."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from broadsheet.model.site import Site
from broadsheet.pages.keys import site_only
from broadsheet.pages.kinds import Page, PageKind

SEARCH = "search/"


def plan_search(kind: PageKind, site: Site, planned: Sequence[Page]) -> Iterable[Page]:
    """The search page; it reads ``?q=`` and queries the index built by the search stage."""
    yield Page(site.prefix + SEARCH, "search", f"{site.prefix}search page", kind, "search.html")


def search_globals(site: Site) -> Mapping[str, Any]:
    return {"search_url": site.prefix + SEARCH}


def plan_not_found(kind: PageKind, site: Site, planned: Sequence[Page]) -> Iterable[Page]:
    yield Page("404.html", "404", "404 page", kind, "404.html")


SEARCH_PAGE = PageKind("search", plan_search, key=site_only, globals=search_globals)
NOT_FOUND = PageKind("404", plan_not_found, key=site_only, listed=False)
