"""Search-engine metadata: schema.org JSON-LD built as data, serialized safely for a <script>."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from broadsheet.model.site import Site, Story, Term
from broadsheet.model.urls import absolute_url, asset_url

# json.dumps(value, ensure_ascii=False), without making an encoder for each page.
_ENCODER = json.JSONEncoder(ensure_ascii=False)


def json_ld(value: Any) -> Markup:
    """JSON for a ``<script type="application/ld+json">`` element, safe to print unescaped.

    "</script>" or "<!--" in a headline must not end or change the script
    element. (No replacement brings in a character another one replaces, and
    three ``str.replace`` passes are ten times as fast as one ``str.translate``.)
    """
    text = _ENCODER.encode(value)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def organization(site: Site) -> dict[str, Any]:
    settings = site.settings
    publisher: dict[str, Any] = {
        "@type": "Organization",
        "name": settings.publisher or settings.title,
        "url": absolute_url(settings),
    }
    if settings.logo:
        publisher["logo"] = {"@type": "ImageObject", "url": absolute_url(settings, asset_url(settings.logo))}
    return publisher


def news_article(site: Site, story: Story, author_url: Callable[[Term], str]) -> dict[str, Any]:
    """schema.org ``NewsArticle`` for one story; ``author_url`` gives an author's page (base-relative)."""
    settings = site.settings
    url = absolute_url(settings, story.url)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": story.title,
        "description": story.summary_text,
        "datePublished": story.date.isoformat(),
        "dateModified": (story.updated or story.date).isoformat(),
        "inLanguage": story.lang or settings.language,
        "wordCount": story.word_count,
        "author": [
            {"@type": "Person", "name": author.name, "url": absolute_url(settings, author_url(author))}
            for author in site.authors_of(story)
        ],
        "publisher": organization(site),
    }
    if story.credit:  # wire copy: the outlet that first published it (front matter ``source``)
        data["sourceOrganization"] = {"@type": "Organization", "name": story.credit}
    if story.image:
        data["image"] = [absolute_url(settings, asset_url(story.image))]
    section = site.section_of(story)
    if section:
        data["articleSection"] = section.name
    tags = site.tags_of(story)
    if tags:
        data["keywords"] = [tag.name for tag in tags]
    return data
