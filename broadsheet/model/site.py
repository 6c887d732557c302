"""Site model: published stories, indexed once by author, tag, section and date.

The terms (authors, tags, sections, series) and how they are built are ``terms.py``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import operator
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import chain
from typing import TYPE_CHECKING, Any, Protocol

from broadsheet.model.config import Settings
from broadsheet.model.content import Article
from broadsheet.model.rendered import Rendered
from broadsheet.model.terms import Term, build_terms, named_first, profile_aliases, term_key

if TYPE_CHECKING:
    from broadsheet.model.editions import Edition


class StoryContent(Protocol):
    """What holds a story's content: a ``Content``, or a handle that loads it when first read."""

    @property
    def article(self) -> Article: ...

    @property
    def rendered(self) -> Rendered: ...


@dataclass(frozen=True, slots=True)
class Content:
    """A story's article and rendered body, as a build made them."""

    article: Article
    rendered: Rendered


class Story:
    """A published article with its rendered body and planned URL.

    Stories compare by identity: a site has one object per URL, shared by
    every index and page that shows it.

    The article and rendered body are held by ``content``: a ``Content`` for
    a story built from its source, or any other ``StoryContent`` given to
    ``Story.holding`` (a build snapshot's handle, which loads them the first
    time either is read, so that a rebuild after one edit pays only for the
    stories its pages show). ``revise`` is the only change a Story ever sees.
    """

    __slots__ = ("content", "key", "url")

    def __init__(self, article: Article, rendered: Rendered, url: str, key: str = "") -> None:
        self.content: StoryContent = Content(article, rendered)
        self.url = url
        self.key = key

    @classmethod
    def holding(cls, content: StoryContent, url: str, key: str) -> Story:
        """A story whose article and rendered body ``content`` holds (or loads when first read)."""
        story = cls.__new__(cls)
        story.content, story.url, story.key = content, url, key
        return story

    def revise(self, article: Article, rendered: Rendered, key: str) -> None:
        """Take new content in place after an edit that changed only what the story says.

        Such an edit (see ``snapshot.py``) moves the story in no index and no
        list, so swapping its content here updates every index, pager and page
        that holds it. This is the only change a Story ever sees.
        """
        self.content = Content(article, rendered)
        self.key = key

    def __repr__(self) -> str:
        return f"Story(url={self.url!r}, key={self.key!r})"

    # Read through ``content`` by C-level attrgetters, as fast as plain attributes.
    article = property(operator.attrgetter("content.article"), doc="The story's Article.")
    rendered = property(operator.attrgetter("content.rendered"), doc="What the Markdown stage made of it.")

    @property
    def html(self) -> str:
        """The body HTML (read from the build cache on first use when it came from there)."""
        return str(self.content.rendered.html)


# Templates read article and rendered fields directly (story.title, story.summary_html):
# one read-only property per field, each a C-level attrgetter, as fast as a plain attribute.
for _part, _cls in (("rendered", Rendered), ("article", Article)):
    for _field in dataclasses.fields(_cls):
        if _field.name not in ("html", "key", "url", "body", "content"):
            setattr(Story, _field.name, property(operator.attrgetter(f"content.{_part}.{_field.name}")))


RELATED_WINDOW = 100
MIN_RELATED = 3


def _window(stories: tuple[Story, ...], index: int) -> tuple[Story, ...]:
    start = max(0, min(index - RELATED_WINDOW // 2, len(stories) - RELATED_WINDOW))
    return stories[start : start + RELATED_WINDOW]


def _best(scores: Counter[Story], count: int, position: Mapping[str, int]) -> list[Story]:
    """The ``count`` stories with the highest score, the newer first among equal scores.

    Only stories scoring at least the ``count``-th best score can be among
    them, so only those are ranked (most stories share a tag with a story once).
    """
    if not scores:
        return []
    values = sorted(scores.values(), reverse=True)
    floor = values[min(count, len(values)) - 1]
    # Positions are unique, so the sort never compares two stories themselves.
    ranked = sorted([(-n, position[other.url], other) for other, n in scores.items() if n >= floor])
    return [other for _, _, other in ranked[:count]]


def _sort_key(story: Story) -> tuple[dt.datetime, str]:
    return story.article.date, story.article.source


@dataclass(frozen=True)
class Site:
    """Everything templates and planners need; built in one pass over the stories."""

    settings: Settings
    stories: tuple[Story, ...]
    authors: Mapping[str, Term]
    tags: Mapping[str, Term]
    sections: Mapping[str, Term]
    by_name: Mapping[str, Mapping[str, Term]]
    archive: Mapping[tuple[int, ...], tuple[Story, ...]]
    position: Mapping[str, int]
    term_position: Mapping[tuple[str, str], Mapping[str, int]]
    # () → years, (y,) → its months, (y, m) → its days; newest first.
    archive_children: Mapping[tuple[int, ...], tuple[tuple[int, ...], ...]] = field(default_factory=dict)
    # Each period's (older, newer) neighbour of the same length: years, months or days.
    archive_around: Mapping[tuple[int, ...], tuple[tuple[int, ...] | None, tuple[int, ...] | None]] = field(
        default_factory=dict
    )
    # Each story's (authors, tags, section) terms, resolved once: every page with a byline asks.
    story_terms: Mapping[str, tuple[tuple[Term, ...], tuple[Term, ...], Term | None]] = field(default_factory=dict)
    # Standing pages (About us, Contact), by URL: in no list, feed or archive; every edition knows them
    # (its menus link them), the main one publishes them.
    pages: tuple[Story, ...] = ()
    # Series by URL key, each Term's stories in reading order (parts, then dates).
    series: Mapping[str, Term] = field(default_factory=dict)
    series_by_name: Mapping[str, Term] = field(default_factory=dict)
    # Editions (``model/editions.py``): this site's URL prefix (``zh/`` for an edition, ``""`` for the
    # main one); every edition, main first (empty for a site in one language); on the main site, the
    # further editions' sites by prefix; and each translated story's versions as (language, URL),
    # shared by every edition.
    prefix: str = ""
    editions: tuple[Edition, ...] = ()
    edition_sites: Mapping[str, Site] = field(default_factory=dict)
    versions: Mapping[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    # The stories an editor marked ``featured`` (lead or top), newest first: front-page curation reads
    # these (and the newest few) instead of every story's front matter.
    featured: tuple[Story, ...] = ()

    @property
    def all_stories(self) -> tuple[Story, ...]:
        """The stories of every edition: the main site's, then each further edition's."""
        if not self.edition_sites:
            return self.stories
        return tuple(chain(self.stories, *(site.stories for site in self.edition_sites.values())))

    @property
    def all_featured(self) -> tuple[Story, ...]:
        """The featured stories of every edition (``featured``, the main site's first)."""
        if not self.edition_sites:
            return self.featured
        return tuple(chain(self.featured, *(site.featured for site in self.edition_sites.values())))

    def term(self, kind: str, name: str) -> Term | None:
        return self.by_name[kind].get(term_key(name))

    def _terms_of(self, kind: str, names: Iterable[str]) -> list[Term]:
        found: dict[str, Term] = {}
        for name in names:
            term = self.term(kind, name)
            if term is not None:
                found.setdefault(term.key, term)
        return list(found.values())

    def authors_of(self, story: Story) -> list[Term]:
        known = self.story_terms.get(story.url)
        return list(known[0]) if known else self._terms_of("author", story.article.authors)

    def tags_of(self, story: Story) -> list[Term]:
        known = self.story_terms.get(story.url)
        return list(known[1]) if known else self._terms_of("tag", story.article.tags)

    def section_of(self, story: Story) -> Term | None:
        known = self.story_terms.get(story.url)
        if known:
            return known[2]
        return self.term("section", story.article.section) if story.article.section else None

    def series_of(self, story: Story) -> Term | None:
        """The series the story is part of, if any."""
        name = story.article.series
        return self.series_by_name.get(term_key(name)) if name else None

    def newer(self, story: Story) -> Story | None:
        index = self.position[story.url]
        return self.stories[index - 1] if index > 0 else None

    def older(self, story: Story) -> Story | None:
        index = self.position[story.url]
        return self.stories[index + 1] if index + 1 < len(self.stories) else None

    def archive_older(self, period: tuple[int, ...]) -> tuple[int, ...] | None:
        return self.archive_around[period][0]

    def archive_newer(self, period: tuple[int, ...]) -> tuple[int, ...] | None:
        return self.archive_around[period][1]

    def related(self, story: Story, count: int | None = None) -> list[Story]:
        """Stories sharing the most tags with ``story``, then the newest.

        Each tag contributes only the ``RELATED_WINDOW`` stories nearest in
        time to ``story``, so the cost per story is bounded however popular a
        tag is; on sites where every tag is smaller than the window the
        ranking is exact. Too few matches are topped up from the section.
        """
        count = count or self.settings.related_count
        windows = (_window(term.stories, self.term_position[term.kind, term.key][story.url]) for term in self.tags_of(story))
        scores = Counter(chain.from_iterable(windows))  # stories compare (and hash) by identity: one per URL
        scores.pop(self.stories[self.position[story.url]], None)  # the story itself, whichever copy asks
        ranked = _best(scores, count, self.position)
        section = self.section_of(story)
        wanted = min(MIN_RELATED, count)
        if len(ranked) < wanted and section is not None:
            index = self.term_position[section.kind, section.key][story.url]
            for other in _window(section.stories, index):
                if len(ranked) >= wanted:
                    break
                if other.url != story.url and other not in ranked:
                    ranked.append(other)
        return ranked


def _archive_navigation(
    periods: Iterable[tuple[int, ...]],
) -> tuple[dict[tuple[int, ...], tuple[tuple[int, ...], ...]], dict[tuple[int, ...], tuple[Any, Any]]]:
    """Children (newest first) and same-length neighbours of every archive period."""
    children: dict[tuple[int, ...], list[tuple[int, ...]]] = defaultdict(list)
    levels: dict[int, list[tuple[int, ...]]] = defaultdict(list)
    for period in sorted(periods, reverse=True):
        children[period[:-1]].append(period)
        levels[len(period)].append(period)
    around: dict[tuple[int, ...], tuple[Any, Any]] = {}
    for level in levels.values():  # newest first
        for i, period in enumerate(level):
            around[period] = (level[i + 1] if i + 1 < len(level) else None, level[i - 1] if i else None)
    return {k: tuple(v) for k, v in children.items()}, around


def unused_sections(site: Site) -> list[str]:
    """The names in the ``sections`` setting that no published story has."""
    return [name for name in site.settings.sections if term_key(name) not in site.by_name["section"]]


def _reading_order(story: Story) -> tuple[bool, int, dt.datetime, str]:
    """A series runs by ``series_part``, parts without a number after those with one, then by date."""
    part = story.article.series_part
    return part is None, part or 0, story.article.date, story.article.source


def build_site(
    settings: Settings,
    stories: Iterable[Story],
    author_profiles: Mapping[str, Mapping[str, Any]] | None = None,
) -> Site:
    """The site; with further ``languages``, the main edition's, holding each further edition's site.

    Standing pages among ``stories`` are kept apart (``Site.pages``), in no index of any edition.
    """
    given = list(stories)
    pages = tuple(sorted((s for s in given if s.article.standing), key=lambda s: s.url))
    every = [s for s in given if not s.article.standing] if pages else given
    if not settings.languages:
        if not any(story.article.translation_key for story in every):
            return _edition_site(settings, every, author_profiles, pages=pages)
        from broadsheet.model.editions import translation_versions  # versions in one edition link each other too

        return _edition_site(settings, every, author_profiles, pages=pages,
                             versions=translation_versions(every, settings.language))
    from broadsheet.model.editions import editions, partition, translation_versions

    all_editions = editions(settings)
    parts = partition(every, all_editions, settings.language, lambda story: story.article)
    shared = {"editions": all_editions, "versions": translation_versions(every, settings.language), "pages": pages}
    further = {
        edition.prefix: _edition_site(
            dataclasses.replace(settings, language=edition.language, title=edition.title, description=edition.description),
            parts[edition], author_profiles, prefix=edition.prefix, **shared,
        )
        for edition in all_editions[1:]
    }
    return _edition_site(settings, parts[all_editions[0]], author_profiles, edition_sites=further, **shared)


def _edition_site(
    settings: Settings,
    stories: Iterable[Story],
    author_profiles: Mapping[str, Mapping[str, Any]] | None = None,
    prefix: str = "",
    **editions: Any,
) -> Site:
    ordered = tuple(sorted(stories, key=_sort_key, reverse=True))
    profiles = {term_key(k): v for k, v in (author_profiles or {}).items()}
    authors, authors_by_name = build_terms(
        "author", ordered, lambda s: s.article.authors, profiles, profile_aliases(profiles), prefix
    )
    tags, tags_by_name = build_terms("tag", ordered, lambda s: s.article.tags, {}, None, prefix)
    sections, sections_by_name = build_terms(
        "section", ordered, lambda s: (s.article.section,) if s.article.section else (), {}, None, prefix
    )
    sections = named_first(sections, sections_by_name, settings.sections)
    series_terms, series_named = build_terms(
        "series", ordered, lambda s: (s.article.series,) if s.article.series else (), {}, None, prefix
    )
    in_order = {t.key: dataclasses.replace(t, stories=tuple(sorted(t.stories, key=_reading_order))) for t in series_terms.values()}
    series = {key: in_order[t.key] for key, t in series_terms.items()}
    series_by_name = {name: in_order[t.key] for name, t in series_named.items()}
    archive: dict[tuple[int, ...], list[Story]] = defaultdict(list)
    for story in ordered:
        d = story.article.date
        for key in ((d.year,), (d.year, d.month), (d.year, d.month, d.day)):
            archive[key].append(story)
    archive_children, archive_around = _archive_navigation(archive)
    site = Site(
        settings=settings,
        stories=ordered,
        authors=authors,
        tags=tags,
        sections=sections,
        by_name={"author": authors_by_name, "tag": tags_by_name, "section": sections_by_name},
        archive={k: tuple(v) for k, v in sorted(archive.items())},
        position={s.url: i for i, s in enumerate(ordered)},
        term_position={
            (t.kind, t.key): {s.url: i for i, s in enumerate(t.stories)}
            for terms in (tags, sections)
            for t in terms.values()
        },
        archive_children=archive_children,
        archive_around=archive_around,
        series=series,
        series_by_name=series_by_name,
        prefix=prefix,
        featured=tuple(story for story in ordered if story.article.featured is not None),
        **editions,
    )
    return dataclasses.replace(site, story_terms={
        story.url: (tuple(site.authors_of(story)), tuple(site.tags_of(story)), site.section_of(story)) for story in ordered
    })
