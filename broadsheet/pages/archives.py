"""The date archive: a page per year, month and day that has stories, and an index of them."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from broadsheet.model.pagination import paginate
from broadsheet.model.site import Site
from broadsheet.pages.keys import KeyData
from broadsheet.pages.kinds import Page, PageKind
from broadsheet.pages.terms import prefixed

ARCHIVE_INDEX = "archive/"


def archive_url(key: tuple[int, ...]) -> str:
    """``(2024,)`` → ``2024/``, ``(2024, 5)`` → ``2024/05/``, ``(2024, 5, 1)`` → ``2024/05/01/``."""
    year, *rest = key
    return "/".join([f"{year:04d}", *(f"{n:02d}" for n in rest)]) + "/"


def plan_archives(kind: PageKind, site: Site, planned: Sequence[Page]) -> Iterable[Page]:
    prefix = site.prefix
    yield Page(prefix + ARCHIVE_INDEX, "archive-index", f"{prefix}archive index", kind, "archive_index.html")
    for key, stories in site.archive.items():
        for pager in paginate(stories, site.settings.per_page, prefix + archive_url(key)):
            yield Page(pager.url, "archive", f"archive {prefix}{archive_url(key)}", kind, "archive.html",
                       {"period": key, "pager": pager})


def archives_key(keys: KeyData, page: Page) -> str:
    """The index shows periods with counts; a period, its stories, sub-periods with counts and neighbours."""
    site = keys.site
    if "period" not in page.data:
        return keys.page(page, [(key, len(stories)) for key, stories in site.archive.items()])
    period = page.data["period"]
    children = [(child, len(site.archive[child])) for child in site.archive_children.get(period, ())]
    return keys.listing(page, page.data["pager"], period, children, site.archive_around.get(period))


def archives_globals(site: Site) -> Mapping[str, Any]:
    return {"archive_url": functools.partial(prefixed, site.prefix, archive_url), "archive_index_url": site.prefix + ARCHIVE_INDEX}


ARCHIVES = PageKind("archives", plan_archives, key=archives_key, globals=archives_globals)
