"""Author, tag and section pages: an index of each kind of term, and a paginated list per term."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from broadsheet.model.pagination import paginate
from broadsheet.model.site import Site, Term
from broadsheet.pages.keys import KeyData, term_text
from broadsheet.pages.kinds import Page, PageKind

TERM_ROOTS = {"author": "authors", "tag": "tags", "section": "sections"}


def term_index_url(kind: str) -> str:
    return f"{TERM_ROOTS[kind]}/"


def term_url(term: Term) -> str:
    return f"{term.prefix}{TERM_ROOTS[term.kind]}/{term.key}/"


def site_terms(site: Site) -> tuple[tuple[str, Mapping[str, Term]], ...]:
    """Each kind of term with its terms, in the order pages list them."""
    return ("author", site.authors), ("tag", site.tags), ("section", site.sections)


def plan_terms(kind: PageKind, site: Site, planned: Sequence[Page]) -> Iterable[Page]:
    for term_kind, terms in site_terms(site):
        yield Page(site.prefix + term_index_url(term_kind), f"{term_kind}-index", f"{site.prefix}{term_kind} index", kind, "terms.html",
                   {"kind": term_kind, "terms": terms})
        for term in terms.values():
            for pager in paginate(term.stories, site.settings.per_page, term_url(term)):
                yield Page(pager.url, term_kind, f"{site.prefix}{term_kind} '{term.name}'", kind, "list.html",
                           {"term": term, "pager": pager})


def terms_key(keys: KeyData, page: Page) -> str:
    """An index shows names and counts; a list, the term itself and its stories."""
    if "terms" in page.data:
        return keys.page(page, [_index_entry(t) for t in page.data["terms"].values()])
    return keys.listing(page, page.data["pager"], term_text(page.data["term"]))


def _index_entry(term: Term) -> tuple[object, ...]:
    """What a term index shows of a term: its name, its count and, for a reporter, the profile (photo, role)."""
    entry = (term.key, term.name, len(term.stories))
    return (*entry, sorted(term.profile.items())) if term.profile else entry


def terms_globals(site: Site) -> Mapping[str, Any]:
    return {"term_url": term_url, "term_index_url": functools.partial(prefixed, site.prefix, term_index_url)}


def prefixed(prefix: str, url_of: Callable[[Any], str], value: Any) -> str:
    """``url_of(value)`` in the edition under ``prefix``: helpers of an edition's templates."""
    return prefix + url_of(value)


TERMS = PageKind("terms", plan_terms, key=terms_key, globals=terms_globals)
