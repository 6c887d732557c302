"""Page fingerprints: a hash of everything a page shows, so unchanged pages are not rendered again.

Every planned page gets a key from the site-wide inputs (Broadsheet version,
settings, templates, static files, section navigation) and from the stories
it shows. On list pages a story counts by its URL and content key (a hash of
its source file), so any edit re-renders the lists that show it. On article
pages, other stories count only by their *link* (what a compact card shows:
URL, headline, date, bylines, section, language): an
article page depends on its own content key, its neighbours' links and the
links of every story in its tags and section (its related stories come
from there) and its bylines' names and profiles, so editing one story's body re-renders only its own page
and the lists it appears on. A feed also shows its stories' tags by name,
which other stories' spellings decide. Page kinds not listed below depend on every
story, which is always safe. ``docs/architecture.md`` says what templates
may rely on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

from broadsheet.model.pagination import Pager
from broadsheet.model.site import Site, Story, Term
from broadsheet.pages.routes import Page


def digest(*parts: object) -> str:
    text = "\x00".join(map(str, parts))
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def tree_digest(folders: Iterable[Path | None]) -> str:
    """Hash of every file's path and bytes under ``folders`` (templates are small)."""
    h = hashlib.blake2b(digest_size=16)
    for folder in folders:
        if folder is None or not folder.is_dir():
            continue
        h.update(str(folder.resolve()).encode())
        for base, dirs, files in os.walk(folder):
            dirs.sort()
            for name in sorted(files):
                path = Path(base, name)
                h.update(path.relative_to(folder).as_posix().encode())
                h.update(path.read_bytes())
    return h.hexdigest()


class Fingerprinter:
    """Computes page keys for one site in time linear in the size of its indexes."""

    def __init__(self, site: Site, site_key: str, now: dt.datetime) -> None:
        self.site = site
        self.now = now
        # A story card shows its byline, whose names come from profiles and other stories' spellings.
        self.bylines = bylines = {s.url: "\x02".join(f"{t.key}\x03{t.name}" for t in site.authors_of(s)) for s in site.stories}
        self.cards = {s.url: self._card_text(s) for s in site.stories}
        # What an article page shows of other stories (neighbours, related): a compact card.
        self.links = {
            s.url: "\x00".join((s.url, s.article.title, s.article.date.isoformat(), bylines[s.url],
                                s.article.section or "", s.article.lang or ""))
            for s in site.stories
        }
        # What an article page shows of each of its terms: name, profile, and the
        # links of the stories its related list is drawn from.
        self.terms = {
            (t.kind, t.key): digest(self._term(t), "\x01".join(self.links[s.url] for s in t.stories))
            for terms in (site.authors, site.tags, site.sections)
            for t in terms.values()
        }
        self.names = {t.key: self._term(t) for t in site.authors.values()}
        navigation = [(t.key, t.name) for t in site.sections.values()]
        self.site_key = digest(site_key, navigation)
        self.everything: str | None = None  # every card, digested when first asked
        # The stories whose cards the last key covered (None: every story's).
        self._shown: list[str] | None = []

    def key(self, page: Page) -> str:
        """The page's key; ``shown()`` then tells whose cards it covered."""
        self._shown = []
        kind = page.kind
        if kind == "article":
            return self._article(page.data["story"], page)
        pager = page.data.get("pager")
        if kind == "home" and isinstance(pager, Pager) and pager.number > 1:
            return self._list(page, pager)
        if kind in ("author", "tag", "section", "archive") and isinstance(pager, Pager):
            return self._list(page, pager, self._term(page.data.get("term")), *self._period(page.data.get("period")))
        if kind == "feed":
            data = page.data
            shown = data["stories"][: self.site.settings.feed_limit]
            return self._page(page, data["title"], data["description"], data["home"], *map(self._feed_card, shown))
        if kind == "sitemap" and "entries" in page.data:
            return self._page(page, "\x01".join(f"{url}\x00{lastmod}" for url, lastmod in page.data["entries"]))
        if kind == "sitemap" and "parts" in page.data:
            return self._page(page, page.data["parts"])
        if kind.endswith("-index") and "terms" in page.data:
            return self._page(page, [self._index_entry(t) for t in page.data["terms"].values()])
        if kind == "archive-index":
            return self._page(page, [(key, len(stories)) for key, stories in self.site.archive.items()])
        if kind in ("404", "robots", "search"):
            return self._page(page)
        return self._page(page, self._everything())

    def shown(self) -> list[str] | None:
        """URLs of the stories whose cards (content keys) the last ``key()`` covered; None for all."""
        return self._shown

    def revise(self, story: Story) -> None:
        """Take a story's new content key (a body-only edit: its byline and links are unchanged)."""
        self.cards[story.url] = self._card_text(story)
        self.everything = None

    def _card_text(self, story: Story) -> str:
        """What a list shows of a story: its URL, content key and byline."""
        return f"{story.url}\x00{story.key}\x00{self.bylines[story.url]}"

    def _card(self, story: Story) -> str:
        if self._shown is not None:
            self._shown.append(story.url)
        return self.cards[story.url]

    def _feed_card(self, story: Story) -> str:
        """A feed entry also shows its tags by name, the most common spelling across all stories.

        Only names spelt otherwise than in the story itself (whose spelling its content key covers) are
        added, so that a feed's key changes when another story's spelling renames one of these tags.
        """
        card = self._card(story)
        own = story.article.tags
        renamed = [t.name for t in self.site.tags_of(story) if t.name not in own]
        return "\x00".join((card, *renamed)) if renamed else card

    def _everything(self) -> str:
        self._shown = None
        if self.everything is None:
            self.everything = digest(self.site_key, "\x01".join(self.cards.values()))
        return self.everything

    def _page(self, page: Page, *parts: object) -> str:
        return digest(self.site_key, page.url, page.kind, page.template, page.renderer, *parts)

    def _article(self, story: Story, page: Page) -> str:
        site = self.site
        around = [self.links[s.url] if s else "" for s in (site.newer(story), site.older(story))]
        # Related stories come from its tags and section; of its bylines it shows names and profiles.
        pools = [*site.tags_of(story)]
        section = site.section_of(story)
        if section:
            pools.append(section)
        return digest(
            self.site_key, page.url, page.template, self._card(story), *around,
            story.article.date > self.now,  # a preview marks scheduled stories
            *(self.terms[t.kind, t.key] for t in pools),
            *(self.names[t.key] for t in site.authors_of(story)),
        )

    def _list(self, page: Page, pager: Pager, *extra: object) -> str:
        return digest(
            self.site_key, page.url, page.kind, page.template, pager.number, pager.total, pager.count,
            *extra, *map(self._card, pager.items),
        )

    def _period(self, period: tuple[int, ...] | None) -> tuple[object, ...]:
        """What an archive page shows besides its stories: sub-periods with counts, and neighbours."""
        if period is None:
            return ()
        site = self.site
        children = [(child, len(site.archive[child])) for child in site.archive_children.get(period, ())]
        return period, children, site.archive_around.get(period)

    @staticmethod
    def _index_entry(term: Term) -> tuple[object, ...]:
        """What a term index shows of a term: its name, its count and, for a reporter, the profile (photo, role)."""
        entry = (term.key, term.name, len(term.stories))
        return (*entry, sorted(term.profile.items())) if term.profile else entry  # no profile: the same key as before

    @staticmethod
    def _term(term: Term | None) -> str:
        return "" if term is None else digest(term.kind, term.key, term.name, sorted(term.profile.items()))
