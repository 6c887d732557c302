"""The render stage's state, kept by a builder that stays alive (the preview) between builds of one site model.

Every build makes a Jinja environment, loads each template it renders, and
renders each story's card and feed entry once for all the pages that show
them. After an edit to the newest story (on the front page and in every
list and feed it belongs to) that is most of a rebuild's time. A delta build
changes only some stories' content in a model it keeps, so everything else
stays valid: the environment (its helpers hold the site), the loaded
templates, and the cards, fragments and feed entries of the other stories.
``KeptRender`` holds them for the next delta build on the same ``Site``
object, and forgets what the revised stories show; anything else (a full
build, a model read again) starts afresh.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from broadsheet.model.site import Site, Story

if TYPE_CHECKING:
    from broadsheet.render import Templates


@dataclass(eq=False)
class KeptRender:
    """The environment and memo of the last build's render stage, and what they were made for."""

    site: Site | None = None
    site_key: str = ""
    templates: Templates | None = None
    memo: dict[str, dict[str, Any]] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()  # reported by every build that uses them (a language without a catalog)

    def environment(
        self, site: Site, site_key: str, revised: Sequence[Story], make: Callable[[], tuple[Templates, tuple[str, ...]]],
    ) -> Templates:
        """The kept environment if it was made for this site object and site key (without the revised
        stories' cards and feed entries), else a new one from ``make`` (which returns it and its warnings)."""
        if self.templates is not None and self.site is site and self.site_key == site_key:
            self.templates.forget(revised)
            urls = {story.url for story in revised}
            for known in self.memo.values():
                for url in urls & known.keys():
                    del known[url]
            return self.templates
        self.templates, self.warnings = make()
        self.site, self.site_key, self.memo = site, site_key, {}
        return self.templates
