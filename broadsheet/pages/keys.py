"""What page keys are made of: site-wide data worked out once, shared by every kind's key rule.

Every key starts from the site key (Broadsheet version, settings, templates,
static files, section navigation). On list pages a story counts by its card:
URL, content key (a hash of its source file) and byline, so any edit
re-renders the lists that show it. On article pages, other stories count
only by their *link* (what a compact card shows: URL, headline, date,
bylines, section, language). Each kind's rule (``PageKind.key``) picks from
here exactly what its pages show; ``docs/architecture.md`` says what
templates may rely on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import TYPE_CHECKING

from broadsheet.model.curation import breaking_banner
from broadsheet.model.pagination import Pager
from broadsheet.model.site import Site, Story, Term

if TYPE_CHECKING:
    from broadsheet.pages.kinds import Page


def digest(*parts: object) -> str:
    text = "\x00".join(map(str, parts))
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class KeyData:
    """Cards, links, term digests and bylines of one site, in time linear in the size of its indexes.

    ``card()`` and ``everything()`` record whose content the current key
    covers, so that a body-only edit re-keys only the pages that show it.
    """

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
            (t.kind, t.key): digest(term_text(t), "\x01".join(self.links[s.url] for s in t.stories))
            for terms in (site.authors, site.tags, site.sections)
            for t in terms.values()
        }
        self.names = {t.key: term_text(t) for t in site.authors.values()}
        navigation = [(t.key, t.name) for t in site.sections.values()]
        # Every page shows the breaking-news banner while it is up: it comes down by the clock alone.
        self.site_key = digest(site_key, navigation, breaking_banner(site.settings, now))
        self.everything_key: str | None = None  # every card, digested when first asked
        # The stories whose cards the current key covers (None: every story's).
        self._shown: list[str] | None = []
        # Each further edition's pages are keyed from the edition's own site (``for_page``).
        self.editions = {prefix: KeyData(edition, site_key, now) for prefix, edition in site.edition_sites.items()}

    def for_page(self, page: Page) -> KeyData:
        """The key data of the page's edition: this site's, or a further edition's."""
        return self.editions[page.edition] if page.edition else self

    def revise(self, story: Story) -> None:
        """Take a story's new content key (a body-only edit: its byline and links are unchanged)."""
        if story.url not in self.cards:
            for edition in self.editions.values():
                if story.url in edition.cards:
                    edition.revise(story)
            return
        self.cards[story.url] = self._card_text(story)
        self.everything_key = None

    def versions(self, story: Story) -> tuple[tuple[str, str], ...]:
        """The languages and URLs of a story's translations (its hreflang links and language switcher)."""
        return self.site.versions.get(story.url, ())

    def card(self, story: Story) -> str:
        """What a list shows of a story; the key now covers its content."""
        if self._shown is not None:
            self._shown.append(story.url)
        return self.cards[story.url]

    def everything(self, editions: bool = False) -> str:
        """Every story's card (with ``editions``, every edition's too): the key now covers every story's content."""
        self._shown = None
        if self.everything_key is None:
            self.everything_key = digest(self.site_key, "\x01".join(self.cards.values()))
        if editions and self.editions:
            return digest(self.everything_key, *(edition.everything() for edition in self.editions.values()))
        return self.everything_key

    def page(self, page: Page, *parts: object) -> str:
        """The key of a page that shows ``parts`` besides the site-wide inputs."""
        return digest(self.site_key, page.url, page.kind, page.template, page.family.name, *parts)

    def listing(self, page: Page, pager: Pager, *extra: object) -> str:
        """The key of one page of a list: its position, ``extra`` and the cards of its stories."""
        return self.page(page, pager.number, pager.total, pager.count, *extra, *map(self.card, pager.items))

    def _card_text(self, story: Story) -> str:
        return f"{story.url}\x00{story.key}\x00{self.bylines[story.url]}"


def term_text(term: Term | None) -> str:
    """What any page shows of a term itself: its name and profile."""
    return "" if term is None else digest(term.kind, term.key, term.name, sorted(term.profile.items()))


def every_story(keys: KeyData, page: Page) -> str:
    """The safe rule for a kind that names nothing narrower: the page shows every story."""
    return keys.page(page, keys.everything())


def site_only(keys: KeyData, page: Page) -> str:
    """A page that shows nothing but settings, templates, assets and section names."""
    return keys.page(page)
