"""Page fingerprints: a hash of everything a page shows, so unchanged pages are not rendered again.

Each page's kind says what its key depends on (``PageKind.key``, a rule over
the site-wide data in ``pages.keys.KeyData``); this module runs the rules and
hashes the template folders. ``docs/architecture.md`` says what templates
may rely on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

from broadsheet.model.site import Site
from broadsheet.pages.keys import KeyData, digest
from broadsheet.pages.kinds import Page

__all__ = ["Fingerprinter", "digest", "tree_digest"]


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


class Fingerprinter(KeyData):
    """Computes page keys for one site (``Fingerprinter(site, site_key, now)``), each by its page's kind."""

    def __init__(self, site: Site, site_key: str, now: dt.datetime) -> None:
        super().__init__(site, site_key, now)
        self._last: KeyData = self  # the key data the last key() drew on: its edition's

    def key(self, page: Page) -> str:
        """The page's key, from its edition's data; ``shown()`` then tells whose cards it covered."""
        self._last = data = self.for_page(page)
        data._shown = []
        return page.family.key(data, page)

    def shown(self) -> list[str] | None:
        """URLs of the stories whose cards (content keys) the last ``key()`` covered; None for all."""
        return self._last._shown
