"""A new page kind or feed format is one record and a template: the rest of the pipeline loops over the records.

The toy kinds here live only in this file (and a template in a temporary
site templates folder): a colophon page that names the site's reporters, and
a plain-text feed format. Nothing else in Broadsheet knows of them.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest
from sitekit import NOW, article

from broadsheet.incremental.fingerprints import Fingerprinter
from broadsheet.markup.markdown import render_article
from broadsheet.model.config import parse_settings
from broadsheet.model.content import parse_article
from broadsheet.model.site import Site, Story, build_site
from broadsheet.outputs.feeds import FeedEntry, FeedInfo
from broadsheet.pages.articles import article_url
from broadsheet.pages.feeds import FEEDS
from broadsheet.pages.keys import KeyData
from broadsheet.pages.kinds import FeedFormat, Page, PageKind
from broadsheet.pages.plan import KINDS, plan
from broadsheet.render import Renderer, make_environment

SETTINGS = parse_settings({"title": "The Daily", "base_url": "https://example.org/"}, "site.toml")


# --- the toy kinds: everything a new kind needs -------------------------------------------

def plan_colophon(kind: PageKind, site: Site, planned: Sequence[Page]) -> Iterable[Page]:
    yield Page("colophon/", "colophon", "colophon", kind, "colophon.html",
               {"reporters": [t.name for t in site.authors.values()]})


def colophon_key(keys: KeyData, page: Page) -> str:
    """It shows the reporters' names, nothing of any story."""
    return keys.page(page, page.data["reporters"])


COLOPHON = PageKind("colophon", plan_colophon, key=colophon_key)
COLOPHON_TEMPLATE = """{% extends "base.html" %}
{% block main %}<p class="colophon">Reported by {{ reporters | join(", ") }}.</p>{% endblock %}
"""


def text_feed(info: FeedInfo, entries: Sequence[FeedEntry], self_url: str) -> bytes:
    return "\n".join([info.title, self_url, *(f"{e.title} <{e.url}>" for e in entries)]).encode()


TEXT = FeedFormat("text", "feed.txt", "text/plain", "Plain text", text_feed)
TOY_KINDS = (*(dataclasses.replace(k, formats=(*k.formats, TEXT)) if k is FEEDS else k for k in KINDS), COLOPHON)


# --- a small site ---------------------------------------------------------------------------

def make_site(**changes: dict[str, object]) -> Site:
    """Two stories by Ann and Bob; ``changes`` updates the front matter of a file by name."""
    files = {
        "a.md": {"title": "Budget passes", "authors": ["Ann"], "tags": ["Money"], "date": "2024-05-01"},
        "b.md": {"title": "Rain again", "authors": ["Bob"], "date": "2024-05-02"},
    }
    bodies = {"a.md": "The budget passed.\n", "b.md": "It rained.\n"}
    for name, fields in changes.items():
        body = fields.pop("body", None)
        files[name] = {**files[name], **fields}
        if body is not None:
            bodies[name] = str(body)
    stories = []
    for name, fields in files.items():
        raw = article(bodies[name], **fields).encode()
        parsed = parse_article(raw, f"content/{name}", SETTINGS.zone)
        rendered = render_article(parsed, SETTINGS.language)
        stories.append(Story(parsed, rendered, article_url(parsed, SETTINGS), hashlib.sha256(raw).hexdigest()))
    return build_site(SETTINGS, stories)


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    (tmp_path / "colophon.html").write_text(COLOPHON_TEMPLATE, encoding="utf-8")
    return tmp_path


def renderer(site: Site, templates: Path) -> Renderer:
    return Renderer(site, make_environment(site, templates, NOW, kinds=TOY_KINDS))


def page_at(pages: list[Page], url: str) -> Page:
    (page,) = [p for p in pages if p.url == url]
    return page


# --- the proof --------------------------------------------------------------------------------

def test_a_toy_kind_is_planned_and_rendered_from_its_template(templates: Path) -> None:
    site = make_site()
    pages = plan(site, kinds=TOY_KINDS)
    colophon = page_at(pages, "colophon/")
    assert colophon.family is COLOPHON
    html = renderer(site, templates).render(colophon).decode()
    assert '<p class="colophon">Reported by Ann, Bob.</p>' in html
    assert '<body class="kind-colophon">' in html
    assert "colophon/" not in {p.url for p in plan(site)}  # only where it is registered


def test_a_toy_kind_is_in_the_sitemap(templates: Path) -> None:
    site = make_site()
    pages = plan(site, kinds=TOY_KINDS)
    sitemap = renderer(site, templates).render(page_at(pages, "sitemap.xml")).decode()
    assert "<loc>https://example.org/colophon/</loc>" in sitemap
    assert "feed.txt" not in sitemap  # not an HTML page


def test_a_toy_kind_is_rendered_again_when_what_it_shows_changes_and_only_then() -> None:
    def colophon_key(site: Site) -> tuple[str, list[str] | None]:
        fingerprints = Fingerprinter(site, "site key", NOW)
        key = fingerprints.key(page_at(plan(site, kinds=TOY_KINDS), "colophon/"))
        return key, fingerprints.shown()

    key, shown = colophon_key(make_site())
    assert shown == []  # it shows no story's content: a body edit never re-keys it
    assert colophon_key(make_site(**{"a.md": {"body": "The budget failed.\n"}}))[0] == key
    assert colophon_key(make_site(**{"a.md": {"title": "Budget fails"}}))[0] == key
    assert colophon_key(make_site(**{"b.md": {"authors": ["Carol"]}}))[0] != key


def test_a_toy_feed_format_is_planned_rendered_and_linked_from_every_head(templates: Path) -> None:
    site = make_site()
    pages = plan(site, kinds=TOY_KINDS)
    render = renderer(site, templates)
    feed = page_at(pages, "feed.txt")
    assert render.render(feed).decode().splitlines() == [
        "The Daily",
        "https://example.org/feed.txt",
        "Rain again <https://example.org/2024/05/02/b/>",
        "Budget passes <https://example.org/2024/05/01/a/>",
    ]
    assert not [p for p in pages if p.url.endswith("/feed.txt")]  # no per-term feeds: ``terms`` is off
    link = '<link rel="alternate" type="text/plain" title="The Daily (Plain text)" href="/feed.txt">'
    html_pages = [p for p in pages if p.output_path.endswith(".html")]
    assert len(html_pages) > 10
    for page in html_pages:
        head = render.render(page).decode().split("</head>")[0]
        assert link in head, page.url
        assert 'title="The Daily (RSS)" href="/feed.xml"' in head  # the built-in formats stay


def test_a_feed_key_changes_with_its_format() -> None:
    site = make_site()
    pages = plan(site, kinds=TOY_KINDS)
    fingerprints = Fingerprinter(site, "site key", NOW)
    rss, text = (fingerprints.key(page_at(pages, url)) for url in ("feed.xml", "feed.txt"))
    assert rss != text
