"""The front page: the newest stories, paginated (``/``, ``/page/2/``, ...)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from broadsheet.model.curation import CANDIDATES, FrontPage, front_page
from broadsheet.model.pagination import Pager, paginate
from broadsheet.model.site import Site
from broadsheet.pages.keys import KeyData
from broadsheet.pages.kinds import Page, PageKind


def plan_front_page(kind: PageKind, site: Site, planned: Sequence[Page]) -> Iterable[Page]:
    for pager in paginate(site.stories, site.settings.per_page, site.prefix):
        yield Page(pager.url, "home", f"{site.prefix}front page", kind, "index.html", {"pager": pager})


def front_page_key(keys: KeyData, page: Page) -> str:
    """Later pages list their stories; the first shows every section's latest, so every story."""
    pager: Pager = page.data["pager"]
    if pager.number > 1:
        return keys.listing(page, pager)
    # What leads depends on the build clock too (a featured_until passed), not only on the stories.
    picks = curated(keys.site, keys.now)
    chosen = [story.url for story in (picks.lead, *picks.top)] if picks else []
    return keys.page(page, keys.everything(), chosen)


def curated(site: Site, now: dt.datetime) -> FrontPage | None:
    """The front page's lead and top stories at ``now`` (the candidates are on its first page)."""
    return front_page(site.stories, now, min(CANDIDATES, site.settings.per_page), site.featured)


FRONT_PAGE = PageKind("front page", plan_front_page, key=front_page_key)
