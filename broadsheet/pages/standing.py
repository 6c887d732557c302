"""Standing pages (About us, Ethics policy, Contact) at their own URLs, and the menus that link them.

A standing page is a Markdown file in ``content/pages/`` (or any file with
``type: page``): undated, at ``/<slug>/`` or its ``url``, rendered with
``page.html``. It is in the sitemap and the search index, never in a feed,
an archive, a term list or on the front page. ``[menus]`` in ``site.toml``
names, per menu (``footer``, ``masthead``), the pages to link: by file name,
slug or URL, or as ``{label, url}`` for any other link.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import PurePosixPath
from typing import Any, NamedTuple

from broadsheet.errors import BuildFailed, SiteError
from broadsheet.model.site import Site, Story
from broadsheet.pages.keys import KeyData
from broadsheet.pages.kinds import Page, PageKind


class MenuItem(NamedTuple):
    """One link of a menu: its label and a base-relative path (or a full URL, ``external``)."""

    label: str
    url: str
    external: bool = False


def _names(page: Story) -> set[str]:
    """What a menu may call a standing page: its file name, slug or URL."""
    stem = PurePosixPath(page.article.source).stem
    return {stem, page.article.slug, page.url, f"/{page.url}", page.url.rstrip("/"), f"/{page.url.rstrip('/')}"}


def resolve_menus(site: Site) -> dict[str, tuple[MenuItem, ...]]:
    """Every menu of ``site.toml`` as links; raise ``BuildFailed`` naming each entry that names no page."""
    known: dict[str, Story] = {}
    for page in site.pages:
        for name in _names(page):
            known.setdefault(name, page)
    menus: dict[str, tuple[MenuItem, ...]] = {}
    errors: list[SiteError] = []
    for menu, entries in site.settings.menus.items():
        items: list[MenuItem] = []
        for entry in entries:
            if isinstance(entry, Mapping):
                url = str(entry["url"])
                external = "://" in url or url.startswith("mailto:")
                items.append(MenuItem(str(entry["label"]), url if external else url.lstrip("/"), external))
                continue
            page = known.get(entry)
            if page is None:
                pages = ", ".join(sorted(PurePosixPath(p.article.source).stem for p in site.pages)) or "none"
                errors.append(SiteError("site.toml", (
                    f"menus.{menu}: '{entry}' is not a standing page (pages: {pages}); add content/pages/{entry}.md,"
                    ' or write {label = "...", url = "..."} for another link')))
                continue
            items.append(MenuItem(page.article.title, page.url))
        menus[menu] = tuple(items)
    if errors:
        raise BuildFailed(errors)
    return menus


def plan_standing(kind: PageKind, site: Site, planned: Sequence[Page]) -> Iterable[Page]:
    resolve_menus(site)  # a menu naming no page is an error before anything renders
    for page in site.pages:
        yield Page(page.url, "page", page.article.source, kind, "page.html", {"standing": page})


def standing_key(keys: KeyData, page: Page) -> str:
    """Its own source only: menus are in every page's site key."""
    story: Story = page.data["standing"]
    return keys.page(page, story.key)


def standing_globals(site: Site) -> Mapping[str, Any]:
    """``menu(name)``: the links of one ``[menus]`` entry (empty for a menu the site does not set)."""
    menus = resolve_menus(site)

    def menu(name: str) -> tuple[MenuItem, ...]:
        return menus.get(name, ())

    return {"menu": menu}


STANDING = PageKind("standing", plan_standing, key=standing_key, globals=standing_globals)
