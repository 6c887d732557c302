"""Front-page curation: what leads, what comes next, the breaking-news banner, all by the build clock.

Editors mark stories in front matter (``featured: lead`` or ``featured: top``, optionally
``featured_until``) and set a banner in ``site.toml`` (``[breaking] text``, ``url``, ``until``).
What the front page shows is a function of the stories and the build's "now" that changes only
at the times ``changes_after`` lists, so a build's snapshot holds until the first of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from broadsheet.model.dates import DateError, parse_date

if TYPE_CHECKING:
    from broadsheet.model.config import Settings
    from broadsheet.model.site import Story

FEATURED = ("lead", "top")
TOP_SLOTS = 4  # stories under the lead in the front page's top block
CANDIDATES = 5  # without a featured lead, it is the newest story with a picture among the newest five
BREAKING_KEYS = ("text", "url", "until")


@dataclass(frozen=True)
class FrontPage:
    """The front page's lead story and its top stories, in order."""

    lead: Story
    top: tuple[Story, ...]


def featured_place(value: Any) -> str | None:
    """Front matter ``featured`` as ``lead``, ``top`` or None (Hugo themes' ``true`` is ``top``)."""
    if value is None or value is False:
        return None
    if value is True:
        return "top"
    place = value.strip().lower() if isinstance(value, str) else None
    if place not in FEATURED:
        raise ValueError(f"must be 'lead' or 'top', got {value!r}")
    return place


def featured_now(story: Story, kind: str, now: dt.datetime) -> bool:
    """Whether ``story`` is marked ``featured: kind`` and its ``featured_until`` has not passed."""
    article = story.article
    return article.featured == kind and (article.featured_until is None or now < article.featured_until)


def front_page(stories: Sequence[Story], now: dt.datetime, newest: int = CANDIDATES,
               featured: Sequence[Story] | None = None) -> FrontPage | None:
    """The lead and top stories of ``stories`` (newest first) at ``now``.

    The lead is the newest ``featured: lead`` story still in its window, else the newest story with a
    picture among the ``newest`` first, else the newest. Then come the ``featured: top`` stories still
    in their window, newest first, then the newest others, ``TOP_SLOTS`` in all. ``featured``, when
    given, holds every story of ``stories`` marked featured, in the same order (``Site.featured``):
    only those are read for their marks.
    """
    if not stories:
        return None
    marked = stories if featured is None else featured
    firsts = stories[:newest]
    lead = next((story for story in marked if featured_now(story, "lead", now)), None)
    if lead is None:
        lead = next((story for story in firsts if story.article.image), firsts[0])
    top = [story for story in marked if story is not lead and featured_now(story, "top", now)][:TOP_SLOTS]
    for story in firsts:
        if len(top) >= TOP_SLOTS:
            break
        if story is not lead and story not in top:
            top.append(story)
    return FrontPage(lead, tuple(top))


def breaking_until(settings: Settings) -> dt.datetime | None:
    """When the ``[breaking]`` banner comes down (None: it stays until the setting is removed)."""
    until = settings.breaking.get("until")
    return None if until is None else parse_date(until, settings.zone)


def breaking_banner(settings: Settings, now: dt.datetime) -> Mapping[str, Any] | None:
    """The banner every page shows at ``now``: ``{text, url}``, or None."""
    banner = settings.breaking
    if not banner.get("text"):
        return None
    until = breaking_until(settings)
    if until is not None and now >= until:
        return None
    return {"text": banner["text"], "url": banner.get("url") or ""}


def changes_after(stories: Iterable[Story], settings: Settings, now: dt.datetime) -> list[dt.datetime]:
    """The times after ``now`` when curation changes by itself: a ``featured_until`` or the banner's ``until``."""
    times = [
        until for story in stories
        if story.article.featured is not None and (until := story.article.featured_until) is not None and until > now
    ]
    banner_until = breaking_until(settings) if settings.breaking.get("text") else None
    if banner_until is not None and banner_until > now:
        times.append(banner_until)
    return times


def check_breaking(value: Any) -> list[str]:
    """What is wrong with a ``[breaking]`` table, one message each (empty if nothing)."""
    if not isinstance(value, Mapping):
        return [f"must be a table with text = \"...\" (and optionally url and until), got {value!r}"]
    if not value:
        return []  # no banner
    problems = [f"unknown key '{key}'; use {', '.join(BREAKING_KEYS)}" for key in value if key not in BREAKING_KEYS]
    if not isinstance(value.get("text"), str) or not value["text"].strip():
        problems.append("text: the banner needs its text, e.g. text = \"Polls close at 8 p.m.\"")
    if "url" in value and not isinstance(value["url"], str):
        problems.append(f"url: must be text, got {value['url']!r}")
    if "until" in value:
        try:
            parse_date(value["until"], dt.UTC)
        except DateError as exc:
            problems.append(f"until: {exc}")
    return problems


def check_sections(value: Any) -> str | None:
    """The ``sections`` setting: a list of section names, each once."""
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) and v.strip() for v in value):
        return f"must be a list of section names such as [\"News\", \"Business\"], got {value!r}"
    keys = [" ".join(v.split()).casefold() for v in value]
    twice = sorted({v for v, k in zip(value, keys, strict=True) if keys.count(k) > 1})
    return f"lists a section twice: {', '.join(twice)}" if twice else None
