"""A small sample site built with the real CLI, shared by the theme tests.

Two sections, several reporters (one with a photo), tags, a story in another
language, a lead image with caption, three stories per page so lists paginate,
and a site template that overrides only ``article.html``.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEARCH_WORD = "lighthouse"
SEARCH_TITLE = "Harbour lighthouse keepers hand over to sensors"
OVERRIDE_MARK = "override-article-marker"

SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}"><rect width="{w}" height="{h}" fill="#{c}"/></svg>\n'

ARTICLES = {
    "harbour/lighthouse.md": f"""\
        ---
        title: "{SEARCH_TITLE}"
        date: 2026-03-04T08:00:00+08:00
        authors: ["Ada Brand", "Ben Cole"]
        section: Harbour
        tags: ["shipping", "technology"]
        summary: "After ninety years the last keepers leave the {SEARCH_WORD}, and a rack of sensors takes over the watch."
        image: images/lead.svg
        image_caption: "The {SEARCH_WORD} at dusk. Illustration: Sample"
        image_alt: "A white tower on a rocky point"
        dateline: HARBOURTOWN
        series: "The working harbour"
        ---

        The last two keepers of the harbour {SEARCH_WORD} handed over their keys on Monday.

        ## A quiet handover

        The lamp will now be watched by sensors and a camera. [The port authority](https://port.example.org/notice)
        published the schedule last month.

        > "It is the end of something," said one keeper.
        """,
    "harbour/ferries.md": """\
        ---
        title: "Night ferries return for the summer season"
        date: 2026-03-02T09:00:00+08:00
        authors: ["Ben Cole"]
        section: Harbour
        tags: ["shipping", "transport"]
        summary: "Three routes reopen after the winter break, with later sailings on Fridays."
        series: "The working harbour"
        corrections:
          - date: 2026-03-03T10:00:00+08:00
            text: "An earlier version of this story gave the wrong day for the first sailing. Night ferries return on Friday, not Thursday, and a very-long-unbroken-word-like-https://port.example.org/notices/2026/ferry-timetable-for-the-summer-season stays inside the page."
          - date: 2026-03-04T09:30:00+08:00
            kind: clarification
            text: "Later sailings run on Fridays and Saturdays."
        ---

        Night ferries return on Friday, the operator said, with later sailings at weekends.
        """,
    "harbour/dredging.md": """\
        ---
        title: "Dredging to deepen the outer channel"
        date: 2026-02-20T10:00:00+08:00
        authors: ["Ada Brand"]
        section: Harbour
        tags: ["shipping"]
        summary: "The work will let larger container ships call at the port from next year."
        image: images/second.svg
        series: "The working harbour"
        ---

        Dredgers begin work in the outer channel next month.
        """,
    "pages/about.md": """\
        ---
        title: "About the Gazette"
        summary: "Who we are and how we report the harbour and the city."
        updated: 2026-01-10
        ---

        The Sample Gazette is a small newsroom covering the harbour and the city.

        ## How to reach us

        Write to the newsroom at news@example.org. Read our [corrections](/corrections/).
        """,
    "pages/contact.md": """\
        ---
        title: "Contact"
        ---

        Write to news@example.org.
        """,
    "city/market.md": """\
        ---
        title: "Covered market gets a new roof after the storm"
        date: 2026-03-03T07:30:00+08:00
        authors: ["Cara Dunn"]
        section: City
        tags: ["transport", "weather"]
        summary: "Traders return to the covered market as repairs finish ahead of schedule."
        ---

        Traders returned to the covered market on Tuesday after the roof was repaired.
        """,
    "city/library.md": """\
        ---
        title: "Library extends opening hours on weekdays"
        date: 2026-01-15T12:00:00+08:00
        authors: ["Cara Dunn", "Ada Brand"]
        section: City
        tags: ["libraries"]
        summary: "The central library will stay open until nine in the evening."
        ---

        The central library will stay open until nine from Monday to Thursday.
        """,
    "city/tram.md": """\
        ---
        title: "新电车线路本月开通"
        date: 2025-12-01T08:00:00+08:00
        authors: ["Cara Dunn"]
        section: City
        lang: zh-Hans
        tags: ["transport"]
        summary: "新线路连接老城区和火车站。"
        ---

        新电车线路本月开通，连接老城区和火车站。
        """,
}

AUTHORS = """\
    Ada Brand:
      name: Ada Brand
      role: Harbour correspondent
      bio: "Ada Brand covers the port and the people who work on the water."
      photo: images/ada.svg
      links:
        - label: Profile
          url: https://example.org/people/ada-brand
    Cara Dunn:
      name: Cara Dunn
      role: City reporter
      bio: "Cara Dunn reports on the city's markets, libraries and streets."
    """

SITE_TOML = """\
    title = "The Sample Gazette"
    description = "News from the harbour and the city"
    base_url = "https://news.example.org/"
    language = "en-GB"
    per_page = 3

    [menus]
    footer = ["about", "contact", { label = "Corrections", url = "/corrections/" }]
    masthead = ["about"]
    """

ARTICLE_OVERRIDE = f"""\
    {{% extends "base.html" %}}
    {{% block title %}}{{{{ story.title }}}} — {{{{ settings.title }}}}{{% endblock %}}
    {{% block main %}}
    <article class="{OVERRIDE_MARK}" data-pagefind-body><h1>{{{{ story.title }}}}</h1>{{{{ story.html | safe_html }}}}</article>
    {{% endblock %}}
    """


def write_site(root: Path, *, override: bool = False) -> Path:
    """Write the sample site's sources under ``root``; return ``root``."""
    for rel, text in ARTICLES.items():
        path = root / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    (root / "content" / "authors.yml").write_text(textwrap.dedent(AUTHORS), encoding="utf-8")
    (root / "site.toml").write_text(textwrap.dedent(SITE_TOML), encoding="utf-8")
    images = root / "static" / "images"
    images.mkdir(parents=True)
    for name, (w, h, colour) in {"lead.svg": (1200, 675, "335577"), "second.svg": (900, 600, "775533"), "ada.svg": (96, 96, "557733")}.items():
        (images / name).write_text(SVG.format(w=w, h=h, c=colour), encoding="utf-8")
    templates = root / "templates"
    templates.mkdir()
    if override:
        (templates / "article.html").write_text(textwrap.dedent(ARTICLE_OVERRIDE), encoding="utf-8")
    return root


def build(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``site.py build`` in ``root`` the way a user would."""
    return subprocess.run(
        [sys.executable, str(REPO / "site.py"), "build", "--quiet", "--jobs", "1", *args],
        cwd=root, capture_output=True, text=True, check=False,
    )


def built_site(root: Path, *, override: bool = False) -> Path:
    """Write and build the sample site; return its output folder."""
    write_site(root, override=override)
    result = build(root)
    assert result.returncode == 0, result.stderr
    return root / "output"


# One page of every kind, as output paths.
PAGE_KINDS = {
    "front": "index.html",
    "front-page-2": "page/2/index.html",
    "article": "2026/03/04/lighthouse/index.html",
    "article-other-language": "2025/12/01/tram/index.html",
    "author": "authors/ada-brand/index.html",
    "author-without-profile": "authors/ben-cole/index.html",
    "tag": "tags/shipping/index.html",
    "section": "sections/harbour/index.html",
    "author-index": "authors/index.html",
    "tag-index": "tags/index.html",
    "section-index": "sections/index.html",
    "archive-year": "2026/index.html",
    "archive-month": "2026/03/index.html",
    "archive-day": "2026/03/04/index.html",
    "archive-index": "archive/index.html",
    "search": "search/index.html",
    "article-corrected": "2026/03/02/ferries/index.html",
    "series": "series/the-working-harbour/index.html",
    "standing": "about/index.html",
    "corrections": "corrections/index.html",
    "not-found": "404.html",
}
