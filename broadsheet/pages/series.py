"""Series pages (``/series/<slug>/``): the parts of one package of stories, in reading order."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from broadsheet.model.pagination import paginate
from broadsheet.model.site import Site, Story, Term
from broadsheet.pages.keys import KeyData, digest
from broadsheet.pages.kinds import Page, PageKind
from broadsheet.pages.terms import term_url


def plan_series(kind: PageKind, site: Site, planned: Sequence[Page]) -> Iterable[Page]:
    """One page per series, every part on it (a pager of one page, so the sitemap dates it by its parts)."""
    for term in site.series.values():
        pager = paginate(term.stories, max(1, len(term.stories)), term_url(term))[0]
        yield Page(pager.url, "series", f"{site.prefix}series '{term.name}'", kind, "series.html", {"term": term, "pager": pager})


def series_key(keys: KeyData, page: Page) -> str:
    """The series' name and the card of every part, in order."""
    term: Term = page.data["term"]
    return keys.listing(page, page.data["pager"], term.name)


def series_links(keys: KeyData, story: Story) -> str:
    """What a story's series box shows of the other parts: their links, in order, and the series' name."""
    term = keys.site.series_of(story)
    if term is None:
        return ""
    return digest(term.key, term.name, *(keys.links[s.url] for s in term.stories))


def series_globals(site: Site) -> Mapping[str, Any]:
    """``series_of(story)``: the story's series (a term whose ``stories`` are in reading order), or none."""
    return {"series_of": site.series_of}


SERIES = PageKind("series", plan_series, key=series_key, globals=series_globals)
