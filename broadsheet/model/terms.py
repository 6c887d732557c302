"""Terms: the authors, tags, sections and series of a site, each with its stories, and how they are built.

Names that differ only in case or spacing are one term (``term_key``); the most common spelling
names it, or its profile's ``name``; a term's URL key is its name's slug, with a stable hash suffix
when two names share a slug.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from broadsheet.model.slugs import short_hash, slugify

if TYPE_CHECKING:
    from broadsheet.model.site import Story


@dataclass(frozen=True, slots=True)
class Term:
    """An author, tag, section or series with its stories, newest first (a series: in reading order)."""

    kind: str
    key: str
    name: str
    stories: tuple[Story, ...]
    profile: Mapping[str, Any] = field(default_factory=dict)
    prefix: str = ""  # the URL prefix of its edition (``zh/``), ``""`` in the main one


def term_key(name: str) -> str:
    """Names that differ only in case or spacing are the same term."""
    return " ".join(name.split()).casefold()


def build_terms(
    kind: str,
    stories: Iterable[Story],
    names_of: Any,
    profiles: Mapping[str, Mapping[str, Any]],
    aliases: Mapping[str, str] | None = None,
    prefix: str = "",
) -> tuple[dict[str, Term], dict[str, Term]]:
    """Terms by URL key and by name key; ``aliases`` maps other name keys to a term's own."""
    aliases = aliases or {}
    members: dict[str, list[Story]] = defaultdict(list)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for story in stories:
        seen: set[str] = set()
        for name in names_of(story):
            key = term_key(name)
            key = aliases.get(key, key)
            if key in seen:  # "lxiao" and "Lin Xiao" on one byline are one author
                continue
            seen.add(key)
            members[key].append(story)
            spellings[key][name] += 1
    # Distinct names whose slugs collide ("C++"/"C#" are safe, but e.g. "Ä"/"A" are not)
    # all get a stable hash suffix, so no page ever overwrites another.
    by_slug: dict[str, list[str]] = defaultdict(list)
    for key in members:
        by_slug[slugify(key)].append(key)
    by_key: dict[str, Term] = {}
    by_name: dict[str, Term] = {}
    for slug, keys in by_slug.items():
        for key in keys:
            url_key = slug if len(keys) == 1 else f"{slug}-{short_hash(key)}"
            profile = profiles.get(key, {})
            name = profile.get("name") or min(spellings[key].items(), key=lambda item: (-item[1], item[0]))[0]
            term = Term(kind, url_key, name, tuple(members[key]), profile, prefix)
            by_key[url_key] = term
            by_name[key] = term
    for alias, key in aliases.items():
        if key in by_name:
            by_name.setdefault(alias, by_name[key])
    return dict(sorted(by_key.items())), by_name


def profile_aliases(profiles: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    """A profile keyed by an id (``lxiao``) is also found by its display name (``Lin Xiao``)."""
    aliases: dict[str, str] = {}
    for key, profile in profiles.items():
        name = profile.get("name")
        if isinstance(name, str) and term_key(name) not in profiles:
            aliases.setdefault(term_key(name), key)
    return aliases


def named_first(terms: dict[str, Term], by_name: Mapping[str, Term], order: Iterable[str]) -> dict[str, Term]:
    """``terms`` with those named in ``order`` first, in that order, then the others as they were."""
    first = {term.key: term for name in order if (term := by_name.get(term_key(name))) is not None}
    return {**first, **{key: term for key, term in terms.items() if key not in first}}
