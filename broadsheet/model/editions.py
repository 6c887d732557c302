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

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

from broadsheet.errors import BuildFailed, SiteError
from broadsheet.model.config import Settings
from broadsheet.model.content import Article
from broadsheet.model.locale import normalize_tag

T = TypeVar("T")

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
    title: str = ""
    description: str = ""

    @property
    def main(self) -> bool:
        return not self.prefix


def editions(settings: Settings) -> tuple[Edition, ...]:
    """The main edition, then one per listed language, prefixed by the language (``zh/``).

    The prefix is the language alone, unless two listed languages share it
    (``zh-Hans`` and ``zh-Hant`` become ``zh-hans/`` and ``zh-hant/``), or
    ``[editions.<language>]`` in ``site.toml`` names another. Title and
    description default to the site's.
    """
    return _editions(settings.language, settings.languages, tuple(
        (normalize_tag(tag), tuple(sorted(table.items()))) for tag, table in settings.editions.items()
    ), settings.title, settings.description)


@functools.cache
def _editions(
    language: str, languages: tuple[str, ...], tables: tuple[tuple[str, tuple[tuple[str, str], ...]], ...],
    title: str, description: str,
) -> tuple[Edition, ...]:
    own = {tag: dict(table) for tag, table in tables}
    tags = [normalize_tag(tag) for tag in languages]
    primary = [tag.split("-")[0].lower() for tag in tags]
    further = []
    for tag, short in zip(tags, primary, strict=True):
        table = own.get(tag, {})
        prefix = table.get("prefix") or (short if primary.count(short) == 1 else tag.lower())
        further.append(Edition(tag, prefix.strip("/") + "/", table.get("title", title), table.get("description", description)))
    return (Edition(normalize_tag(language), "", title, description), *further)


def edition_prefix(article: Article, settings: Settings) -> str:
    """The URL prefix of the edition the story appears in (``""`` for the main edition)."""
    if not settings.languages:
        return ""
    return edition_of(article, editions(settings), settings.language).prefix


def edition_of(article: Article, all_editions: Sequence[Edition], site_language: str) -> Edition:
    """The edition a story appears in: its language's, else the main one."""
    language = language_of(article, site_language)
    return next((e for e in all_editions[1:] if e.language == language), all_editions[0])


def partition(
    items: Iterable[T], all_editions: Sequence[Edition], site_language: str, article_of: Callable[[T], Article] | None = None,
) -> dict[Edition, list[T]]:
    """The stories (articles, or what ``article_of`` reads one from) of each edition, in the order given."""
    parts: dict[Edition, list[T]] = {edition: [] for edition in all_editions}
    for item in items:
        article = article_of(item) if article_of else item
        parts[edition_of(article, all_editions, site_language)].append(item)  # type: ignore[arg-type]
    return parts


class Versioned(Protocol):
    """A story as ``translation_versions`` reads it: its article and its URL."""

    @property
    def article(self) -> Article: ...

    @property
    def url(self) -> str: ...


def translation_versions(stories: Iterable[Versioned], site_language: str) -> dict[str, tuple[tuple[str, str], ...]]:
    """Story URL -> every version of the story (itself included) as (language, URL), by language.

    Only stories that share a ``translation_key`` with another are listed.
    """
    groups: dict[str, list[tuple[str, str]]] = {}
    for story in stories:
        if story.article.translation_key:
            groups.setdefault(story.article.translation_key, []).append((language_of(story.article, site_language), story.url))
    versions: dict[str, tuple[tuple[str, str], ...]] = {}
    for group in groups.values():
        if len(group) > 1:
            ordered = tuple(sorted(group))
            versions.update((url, ordered) for _, url in group)
    return versions


def edition_warnings(articles: Iterable[Article], settings: Settings) -> list[str]:
    """A story in a language that has no edition stays in the main edition: said once per story."""
    if not settings.languages:
        return []
    all_editions = editions(settings)
    known = {edition.language for edition in all_editions}
    listed = ", ".join(edition.language for edition in all_editions)
    return [
        f"{article.source}: lang '{article.lang}' has no edition (editions: {listed}); "
        f"the story appears in the main edition; add the language to 'languages' in site.toml to give it one"
        for article in sorted(articles, key=lambda a: a.source)
        if article.lang and language_of(article, settings.language) not in known
    ]


def translation_errors(articles: list[Article], site_language: str) -> list[SiteError]:
    """A translation_key no other story has, or two stories in one language of one key (each with its line)."""
    from broadsheet.model.fieldreader import front_matter_line

    def line_of(article: Article) -> int | None:
        try:
            raw = Path(article.source).read_bytes()
        except OSError:
            return None
        return front_matter_line(raw, "translation_key", "translation_of")

    try:
        translation_groups(articles, site_language, line_of)
    except BuildFailed as failed:
        return failed.errors
    return []
