"""Page kinds: one record says how a kind of page is planned, rendered and keyed.

A ``PageKind`` is the only place a kind of page is described: its planner,
its renderer (a Jinja template named by each page, or a function for other
formats), its fingerprint rule, the template helpers it contributes and, for
feeds, its formats. Each lives in one module of this package; ``plan.KINDS``
lists them in planning order. Routes, render and fingerprints loop over the
records and know no kind by name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from broadsheet.model.site import Site
from broadsheet.pages.keys import every_story

if TYPE_CHECKING:
    from broadsheet.outputs.feeds import FeedEntry, FeedInfo
    from broadsheet.pages.keys import KeyData


class Rendering(Protocol):
    """What a render function may use of the render stage: the site, a memo for this build, the theme's strings."""

    @property
    def site(self) -> Site: ...

    @property
    def memo(self) -> dict[str, dict[str, Any]]: ...

    def gettext(self, message: str) -> str:
        """A theme string in the language of the page's edition."""
        ...

    def feed_body(self, html: str) -> str:
        """A story body whose local images name the files the build published (a feed has no page to resolve them)."""
        ...


Planner = Callable[["PageKind", Site, Sequence["Page"]], Iterable["Page"]]
RenderFn = Callable[[Rendering, "Page"], bytes]
KeyRule = Callable[["KeyData", "Page"], str]
FeedWriter = Callable[["FeedInfo", Sequence["FeedEntry"], str], bytes]


@dataclass(frozen=True)
class FeedFormat:
    """One feed format: where the site's feed lives, its media type and how it is written.

    ``label`` ends the title of the alternate link every page carries
    ("Site title (RSS)"); ``terms`` gives each author, tag and section a feed
    in this format too, beside its list page.
    """

    name: str
    path: str
    media_type: str
    label: str
    write: FeedWriter
    terms: bool = False


@dataclass(frozen=True)
class PageKind:
    """A kind of page. Every function here must be a module-level one: pages keep their kind in the snapshot.

    - ``plan(kind, site, planned)`` yields the kind's pages, each with ``family=kind``;
      ``planned`` holds the pages planned before it.
    - ``summary`` kinds plan after all others and may describe them (sitemaps).
    - ``render(renderer, page)`` makes the bytes of a non-HTML page; without it,
      Jinja renders ``page.template`` with ``page.data``.
    - ``key(keys, page)`` is the page's fingerprint: a digest of everything it shows
      (see ``keys.KeyData``). The default depends on every story: safe, but any edit
      renders the page again.
    - ``globals(site)`` adds helpers for templates (the kind's URLs).
    - ``formats`` are feed formats; every page's head links the site feed of each.
    - ``listed`` says whether its HTML pages go into the sitemap.
    """

    name: str
    plan: Planner
    key: KeyRule = every_story
    render: RenderFn | None = None
    globals: Callable[[Site], Mapping[str, Any]] | None = None
    formats: tuple[FeedFormat, ...] = ()
    summary: bool = False
    listed: bool = True


@dataclass(frozen=True, slots=True)
class Page:
    """One output file: where it goes, which kind made it, and from what data.

    ``kind`` is what the theme calls the page (``<body class="kind-tag">``);
    ``family`` is the record that planned it and says how it renders and what
    its key depends on; ``edition`` names the edition's site it was planned
    from (``Site.edition_sites``), which renders and keys it.
    """

    url: str
    kind: str
    source: str
    family: PageKind
    template: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)
    edition: str = ""  # the prefix of the edition whose site renders and keys it (``zh/``); "" for the main one

    @property
    def output_path(self) -> str:
        return f"{self.url}index.html" if self.url == "" or self.url.endswith("/") else self.url
