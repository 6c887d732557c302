"""URL slugs: readable, stable, ASCII, never empty, never a path."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

# Characters that carry meaning in names ("C++", "C#", "AT&T") and that a
# plain slugifier would drop, making distinct names collide.
_REPLACEMENTS = [["+", "-plus-"], ["#", "-sharp-"], ["&", "-and-"], ["@", "-at-"]]
_DATE_PREFIX = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-")


def short_hash(text: str, length: int = 6) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:length]


@lru_cache(maxsize=65536)  # pure, and asked again for every tag and byline on every build
def slugify(text: str, max_length: int = 80) -> str:
    """Return a lowercase ASCII slug for ``text``.

    Non-Latin text is transliterated (Chinese becomes pinyin syllables); text
    with nothing to transliterate falls back to a stable hash so that the slug
    is never empty. The result never contains '/', '.', or '..'.
    """
    from slugify import slugify as transliterated  # loaded by the first build that makes a slug

    slug = transliterated(
        text,
        max_length=max_length,
        word_boundary=True,
        replacements=_REPLACEMENTS,
    )
    return slug or f"x-{short_hash(text)}"


def split_date_prefix(stem: str) -> tuple[str | None, str]:
    """Split a Jekyll-style ``YYYY-MM-DD-`` prefix off a file stem."""
    match = _DATE_PREFIX.match(stem)
    if not match:
        return None, stem
    return "-".join(match.groups()), stem[match.end():]
