"""Versions of one story in several languages: grouped by ``translation_key``, checked once for the whole site.

A story's language is its ``lang``, or the site's ``language``. Every
``translation_key`` must be shared by at least two stories (a key no other
story has points nowhere), and by at most one story per language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from broadsheet.errors import BuildFailed, SiteError
from broadsheet.model.content import Article
from broadsheet.model.locale import normalize_tag

# Where the key was written, for error lines: (article) -> line, or None when unknown.
LineFinder = Callable[[Article], "int | None"]


def language_of(article: Article, site_language: str) -> str:
    return normalize_tag(article.lang or site_language)


def translation_groups(
    articles: Iterable[Article], site_language: str, line_of: LineFinder | None = None
) -> dict[str, dict[str, Article]]:
    """``translation_key`` -> language -> the story in it; raises ``BuildFailed`` listing every problem."""
    groups: dict[str, dict[str, Article]] = {}
    errors: list[SiteError] = []

    def error(article: Article, message: str) -> None:
        errors.append(SiteError(article.source, f"translation_key: {message}", line_of(article) if line_of else None))

    for article in sorted(articles, key=lambda a: a.source):
        key = article.translation_key
        if key is None:
            continue
        language = language_of(article, site_language)
        versions = groups.setdefault(key, {})
        if language in versions:
            error(article, f"'{key}' already has a {language} version, {versions[language].source}; a story has one version per language")
            continue
        versions[language] = article
    for key, versions in groups.items():
        if len(versions) == 1:
            [only] = versions.values()
            error(only, f"no other story has translation_key '{key}'; give every version of the story the same key")
    if errors:
        raise BuildFailed(errors)
    return groups


def translations_of(article: Article, groups: dict[str, dict[str, Article]], site_language: str) -> dict[str, Article]:
    """The other versions of ``article``, by language (empty for a story with no translations)."""
    versions = groups.get(article.translation_key or "", {})
    own = language_of(article, site_language)
    return {language: other for language, other in versions.items() if language != own}
