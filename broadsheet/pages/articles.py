"""Article pages: one per story, at the URL its permalink pattern gives."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from broadsheet.model.config import Settings
from broadsheet.model.content import Article
from broadsheet.model.editions import edition_prefix
from broadsheet.model.site import Site, Story
from broadsheet.model.slugs import slugify
from broadsheet.outputs.metadata import news_article
from broadsheet.pages.keys import KeyData, digest
from broadsheet.pages.kinds import Page, PageKind
from broadsheet.pages.terms import term_url


def article_url(article: Article, settings: Settings) -> str:
    """The article's URL path relative to the site base: its own ``url``, or the permalink pattern's.

    A pattern is written as given: ``{year}/{slug}.html`` is a file, ``news/{slug}/`` a folder.
    """
    if article.url:
        return safe_url(article.url)
    # A story in a further edition's language lives under the edition's prefix (``zh/2024/...``).
    prefix = edition_prefix(article, settings) if settings.languages else ""
    local = article.date
    section = article.section or "news"
    url = settings.permalink.format(
        year=f"{local.year:04d}", month=f"{local.month:02d}", day=f"{local.day:02d}",
        slug=article.slug, section=slugify(section),
    )
    return safe_url(prefix + url)


def safe_url(url: str) -> str:
    """Refuse any URL that would write outside the output folder."""
    if url.startswith("/") or "\\" in url or "\x00" in url or {".", ".."} & set(url.split("/")):
        raise ValueError(f"unsafe output path {url!r}")
    return url


def plan_articles(kind: PageKind, site: Site, planned: Sequence[Page]) -> Iterable[Page]:
    for story in site.stories:
        yield Page(story.url, "article", story.article.source, kind, "article.html", {"story": story})


def article_key(keys: KeyData, page: Page) -> str:
    """Its own content; of other stories only links: its neighbours' and those its terms list.

    Related stories come from its tags and section; of its bylines it shows names and profiles.
    """
    story: Story = page.data["story"]
    site = keys.site
    around = [keys.links[s.url] if s else "" for s in (site.newer(story), site.older(story))]
    pools = [*site.tags_of(story)]
    section = site.section_of(story)
    if section:
        pools.append(section)
    return digest(
        keys.site_key, page.url, page.template, keys.card(story), *around,
        story.article.date > keys.now,  # a preview marks scheduled stories
        *(keys.terms[t.kind, t.key] for t in pools),
        *(keys.names[t.key] for t in site.authors_of(story)),
        keys.versions(story),  # its translations' languages and URLs: hreflang links, language switcher
    )


def article_globals(site: Site) -> Mapping[str, Any]:
    """``news_article_ld(story)``: the story's schema.org NewsArticle, for the page head."""

    def news_article_ld(story: Story) -> dict[str, Any]:
        return news_article(site, story, term_url)

    return {"news_article_ld": news_article_ld}


ARTICLES = PageKind("articles", plan_articles, key=article_key, globals=article_globals)
