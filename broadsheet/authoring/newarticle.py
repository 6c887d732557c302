"""Front matter for a new draft article started by a writer (``site.py new``)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

_LIST_SEPARATORS = re.compile(r"[,，、]")


def split_list(text: str) -> list[str]:
    """``"a, b,,c"`` → ``["a", "b", "c"]``; full-width commas count too; repeats dropped."""
    items: list[str] = []
    for item in _LIST_SEPARATORS.split(text):
        item = " ".join(item.split())
        if item and item.casefold() not in {seen.casefold() for seen in items}:
            items.append(item)
    return items


def new_article_meta(
    title: str,
    *,
    now: dt.datetime,
    authors: Iterable[str] = (),
    tags: Iterable[str] = (),
    section: str | None = None,
) -> dict[str, Any]:
    """Every front-matter field a writer fills in, in reading order; ``draft: true``.

    ``now`` is the current time in the site's time zone (passed in so tests can fix it).
    """
    return {
        "title": " ".join(title.split()),
        "date": now.replace(microsecond=0),
        "authors": [" ".join(name.split()) for name in authors if name.strip()],
        "section": " ".join((section or "").split()),
        "tags": list(tags),
        "summary": "",
        "draft": True,
    }
