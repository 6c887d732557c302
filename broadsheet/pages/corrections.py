"""The corrections page (``/corrections/``): every notice on every story, newest first, and its Atom feed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from broadsheet.errors import BuildFailed, SiteError
from broadsheet.model.record import Correction
from broadsheet.model.site import Site, Story
from broadsheet.model.urls import absolute_url
from broadsheet.pages.keys import KeyData
from broadsheet.pages.kinds import Page, PageKind, Rendering

CORRECTIONS_URL = "corrections/"
CORRECTIONS_FEED = "corrections/atom.xml"
# Each kind's word in the theme's catalogs (the feed's entry titles, in the site's language).
KIND_TITLES = {"correction": "Correction", "clarification": "Clarification", "editors-note": "Editor's note"}


class Notice(NamedTuple):
    """One correction on one story; ``number`` counts the story's notices from 1 (its anchor on the story)."""

    correction: Correction
    story: Story
    number: int


def notices(site: Site) -> list[Notice]:
    """Every story's notices, newest first (then by story, newest first)."""
    found = [
        Notice(correction, story, number)
        for story in site.all_stories  # every edition's
        for number, correction in enumerate(story.article.corrections, start=1)
    ]
    return sorted(found, key=lambda n: n.correction.date, reverse=True)  # stable: stories stay newest first


def notice_anchor(number: int) -> str:
    """The id of a story's ``number``-th notice on its page."""
    return f"correction-{number}"


def plan_corrections(kind: PageKind, site: Site, planned: Sequence[Page]) -> Iterable[Page]:
    yield Page(CORRECTIONS_URL, "corrections", "corrections page", kind, "corrections.html", {"notices": notices(site)})


def plan_corrections_feed(kind: PageKind, site: Site, planned: Sequence[Page]) -> Iterable[Page]:
    yield Page(CORRECTIONS_FEED, "feed", "corrections feed", kind, data={"notices": notices(site)})


def corrections_key(keys: KeyData, page: Page) -> str:
    """Each notice, and the URL, headline and language of the story it corrects (in any edition)."""
    return keys.page(page, *(
        f"{n.story.url}\x00{n.story.article.title}\x00{n.story.article.lang}\x00{n.number}\x00{n.correction!r}"
        for n in page.data["notices"]
    ))


def render_corrections_feed(renderer: Rendering, page: Page) -> bytes:
    from broadsheet.outputs.feeds import FeedEntry, atom_feed, feed_info
    from broadsheet.outputs.xmltext import xml_text

    settings = renderer.site.settings
    entries = []
    for notice in page.data["notices"]:
        story_url = absolute_url(settings, notice.story.url)
        text = xml_text(notice.correction.text)
        entries.append(FeedEntry(
            url=f"{story_url}#{notice_anchor(notice.number)}",
            title=xml_text(f"{renderer.gettext(KIND_TITLES[notice.correction.kind])}: {notice.story.title}"),
            published=notice.correction.date, updated=notice.correction.date, authors=(), categories=(),
            summary=text, content_html=f"<p>{_escape(text)}</p>", image=None,
            language=notice.story.lang or settings.language,
        ))
    title = f"{settings.title}: {renderer.gettext('Corrections')}"
    info = feed_info(settings, title, title, CORRECTIONS_URL, entries)
    try:
        return atom_feed(info, entries, absolute_url(settings, page.url))
    except ValueError as exc:
        raise BuildFailed([SiteError(page.source, f"cannot write /{page.url}: {exc}")]) from None


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def corrections_globals(site: Site) -> Mapping[str, Any]:
    return {"corrections_url": CORRECTIONS_URL, "corrections_feed_url": CORRECTIONS_FEED, "notice_anchor": notice_anchor}


CORRECTIONS = PageKind("corrections", plan_corrections, key=corrections_key, globals=corrections_globals)
CORRECTIONS_ATOM = PageKind("corrections-feed", plan_corrections_feed, key=corrections_key,
                            render=render_corrections_feed, listed=False)
