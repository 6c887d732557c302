"""Editions: each further language's own pages, under its prefix (``zh/``), and the links between languages.

A site with ``languages = ["zh-Hans"]`` is a main edition (the site's own
language, at the root) and an edition per further language, each a ``Site``
of its own stories (``Site.edition_sites``). This kind plans, for each
edition, the pages of the kinds an edition has, by those kinds' own planners
given the edition's site: the pages keep their kind (which renders and keys
them) and name their edition (``Page.edition``), whose site, strings and
dates render and key them. Its helpers give a page's ``hreflang``
alternates (the versions of a translated story, or the editions' front
pages) and the language switcher's links.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from broadsheet.model.site import Site
from broadsheet.pages.archives import ARCHIVES
from broadsheet.pages.articles import ARTICLES
from broadsheet.pages.bundles import BUNDLES
from broadsheet.pages.feeds import FEEDS
from broadsheet.pages.fixed import SEARCH_PAGE
from broadsheet.pages.front import FRONT_PAGE
from broadsheet.pages.keys import KeyData
from broadsheet.pages.kinds import Page, PageKind
from broadsheet.pages.redirects import REDIRECTS
from broadsheet.pages.terms import TERMS

# What an edition has of its own: everything but the 404 page, the redirect rules and the sitemaps,
# which are site-wide. Its old paths plan after every edition's pages, as the main ones plan last.
EDITION_KINDS: tuple[PageKind, ...] = (ARTICLES, FRONT_PAGE, TERMS, ARCHIVES, SEARCH_PAGE, FEEDS, BUNDLES)

Link = tuple[str, str]
"""A language tag (or ``x-default``) and a base-relative URL."""


def plan_editions(kind: PageKind, site: Site, planned: Sequence[Page]) -> Iterable[Page]:
    """Each further edition's pages, planned by their own kinds from the edition's site."""
    for kinds in (EDITION_KINDS, (REDIRECTS,)):
        for prefix, edition in site.edition_sites.items():
            for each in kinds:
                for page in each.plan(each, edition, planned):
                    yield dataclasses.replace(page, edition=prefix)


def alternates(site: Site, page: Page) -> tuple[Link, ...]:
    """The page in every language it exists in, itself included, then ``x-default``; () if only one.

    A translated story's versions (``translation_key``), or the first page of
    every edition's front page. ``x-default`` is the version in the main
    edition's language, else the first.
    """
    versions: tuple[Link, ...] = ()
    story = page.data.get("story")
    if page.kind == "article" and story is not None:
        versions = site.versions.get(story.url, ())
    elif page.kind == "home" and page.data["pager"].number == 1:
        versions = tuple((edition.language, edition.prefix) for edition in site.editions)
    if len(versions) < 2:
        return ()
    main = site.editions[0].language if site.editions else site.settings.language
    default = next((url for language, url in versions if language == main), versions[0][1])
    return (*versions, ("x-default", default))


def edition_links(site: Site, page: Page) -> tuple[tuple[str, str, str | None, bool], ...]:
    """The language switcher: (language, its name in itself, URL, whether it is this page's) per edition.

    The page's own edition is named, not linked (URL None: so the masthead
    stays one fragment for the pages of an edition); each other edition links
    the current story's version in its language if there is one, else its
    front page. Empty for a site with one edition.
    """
    if not site.editions:
        return ()
    from broadsheet.model.locale import native_name

    story = page.data.get("story")
    versions = dict(site.versions.get(story.url, ())) if page.kind == "article" and story is not None else {}
    return tuple(
        (edition.language, native_name(edition.language),
         None if edition.prefix == site.prefix else versions.get(edition.language, edition.prefix),
         edition.prefix == site.prefix)
        for edition in site.editions
    )


def editions_key(keys: KeyData, page: Page) -> str:
    """Never asked: the pages this kind plans keep the kind that keys them."""
    raise AssertionError(f"/{page.url} is keyed by its own kind")


def editions_globals(site: Site) -> Mapping[str, Any]:
    """``alternates(page)`` and ``edition_links(page)``, for the head and the masthead."""
    return {"alternates": functools.partial(alternates, site), "edition_links": functools.partial(edition_links, site)}


EDITIONS = PageKind("editions", plan_editions, key=editions_key, globals=editions_globals)
