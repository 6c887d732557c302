"""The render stage's state, kept by a builder that stays alive (the preview) between builds of one site model.

Every build makes a Jinja environment, loads each template it renders, and
renders each story's card and feed entry once for all the pages that show
them. After an edit to the newest story (on the front page and in every
list and feed it belongs to) that is most of a rebuild's time. A delta build
changes only some stories' content in a model it keeps, so everything else
stays valid: the environment (its helpers hold the site), the loaded
templates, and the cards, fragments and feed entries of the other stories.
``KeptRender`` holds them for the next delta build on the same ``Site``
object, and forgets what the revised stories show; it takes each build's
clock, working out the breaking-news banner and the front page's curated lead
and top stories again (each edition's environment too). Anything else (a full
build, a model read again, new settings or typography) starts afresh.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from broadsheet.model.site import Site, Story

if TYPE_CHECKING:
    from broadsheet.render import Renderer


@dataclass(eq=False)
class KeptRender:
    """The last build's renderer (one environment and memo per edition), and what it was made for."""

    site: Site | None = None
    site_key: str = ""
    kept: Renderer | None = None
    warnings: tuple[str, ...] = ()  # reported by every build that uses it (a language without a catalog)

    def renderer(
        self, site: Site, site_key: str, now: dt.datetime, revised: Sequence[Story],
        make: Callable[[], tuple[Renderer, tuple[str, ...]]],
    ) -> Renderer:
        """The kept renderer if it was made for this site object and site key (without the revised
        stories' cards and feed entries, and with this build's clock), else a new one from ``make``
        (which returns it and its warnings)."""
        if self.kept is not None and self.site is site and self.site_key == site_key:
            urls = {story.url for story in revised}
            for each in (self.kept, *self.kept.editions.values()):
                each.env.forget(revised)
                each.env.at(now)  # the clock, and what it decides: the banner, the front page's lead and top
                for known in each.memo.values():
                    for url in urls & known.keys():
                        del known[url]
            return self.kept
        self.kept, self.warnings = make()
        self.site, self.site_key = site, site_key
        return self.kept
