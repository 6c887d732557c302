"""Editions in several languages, and the versions of one story in them.

A story's language is its ``lang``, or the site's ``language``. The site's
own language is the main edition, at the site's root; each language listed in
``languages`` gets an edition of its own under a prefix (``zh/``), holding
the stories in that language. Stories in other languages stay in the main
edition, as they always have. Every ``translation_key`` must be shared by at
least two stories (a key no other story has points nowhere), and by at most
one story per language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from broadsheet.errors import BuildFailed, SiteError
from broadsheet.model.config import Settings
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


@dataclass(frozen=True, slots=True)
class Edition:
    """One language's edition: its language tag and URL prefix (``""`` for the main edition)."""

    language: str
    prefix: str = ""

    @property
    def main(self) -> bool:
        return not self.prefix


def editions(settings: Settings) -> list[Edition]:
    """The main edition, then one per listed language, prefixed by the language (``zh/``).

    The prefix is the language alone, unless two listed languages share it
    (``zh-Hans`` and ``zh-Hant`` become ``zh-hans/`` and ``zh-hant/``).
    """
    tags = [normalize_tag(tag) for tag in settings.languages]
    primary = [tag.split("-")[0].lower() for tag in tags]
    further = [
        Edition(tag, f"{short if primary.count(short) == 1 else tag.lower()}/") for tag, short in zip(tags, primary, strict=True)
    ]
    return [Edition(normalize_tag(settings.language)), *further]


def edition_of(article: Article, all_editions: Sequence[Edition], site_language: str) -> Edition:
    """The edition a story appears in: its language's, else the main one."""
    language = language_of(article, site_language)
    return next((e for e in all_editions[1:] if e.language == language), all_editions[0])


def partition(articles: Iterable[Article], all_editions: Sequence[Edition], site_language: str) -> dict[Edition, list[Article]]:
    """The stories of each edition, in the order given (every edition present, even if empty)."""
    parts: dict[Edition, list[Article]] = {edition: [] for edition in all_editions}
    for article in articles:
        parts[edition_of(article, all_editions, site_language)].append(article)
    return parts
