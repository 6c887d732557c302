"""The public record of a story: its corrections, and the series it is part of.

``corrections:`` is a list of dated notices, each a ``correction``, a
``clarification`` or an ``editors-note`` (``editor's note`` and
``editors_note`` are read as the same kind). A correction moves the story's
*revised* time (``revised_at``): feeds, sitemaps and JSON-LD say when the
story last changed. ``series:`` names a package of stories and
``series_part:`` (optional) orders it; without parts a series runs by date.
Standing pages (``content/pages/``, ``is_standing_path``) need no date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from broadsheet.model.dates import DateError, parse_date

if TYPE_CHECKING:
    from broadsheet.model.content import Article

# Each kind's canonical name, and the spellings read as it.
KINDS = ("correction", "clarification", "editors-note")
_SPELLINGS = {
    "correction": "correction",
    "clarification": "clarification",
    "editors-note": "editors-note",
    "editors note": "editors-note",
    "editor's note": "editors-note",
    "editor’s note": "editors-note",
    "editor-note": "editors-note",
    "note": "editors-note",
}
PAGES_FOLDER = "pages"  # content/pages/: standing pages (About us, Contact), undated
# Epoch of undated standing pages: never shown, never in a list, always published.
UNDATED = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True, slots=True)
class Correction:
    """One dated notice on a story."""

    date: dt.datetime
    text: str
    kind: str = "correction"  # one of KINDS


def _kind_name(value: str) -> str | None:
    text = re.sub(r"[\s_]+", " ", value.strip().casefold())
    return _SPELLINGS.get(text) or _SPELLINGS.get(text.replace(" ", "-"))


def parse_corrections(value: Any, zone: ZoneInfo, error: Callable[[str, int], None]) -> tuple[Correction, ...]:
    """A ``corrections:`` list as ``Correction``s, oldest first; each problem goes to ``error(message, entry number)``."""
    items = value if isinstance(value, list) else [value]
    out: list[Correction] = []
    for number, item in enumerate(items, start=1):
        where = f"entry {number}"
        if not isinstance(item, dict):
            error(f"{where} must be a mapping such as {{date: 2024-05-02, text: ...}}, got {item!r}", number)
            continue
        entry = {str(k).strip().casefold().replace("-", "_"): v for k, v in item.items()}
        unknown = sorted(set(entry) - {"date", "text", "kind"})
        if unknown:
            error(f"{where} has unknown key(s) {', '.join(unknown)}; use date, text and kind", number)
            continue
        text = entry.get("text")
        if not isinstance(text, str) or not text.strip():
            error(f"{where} has no text: say what was wrong and what is right", number)
            continue
        raw_kind = entry.get("kind", "correction")
        kind = _kind_name(raw_kind) if isinstance(raw_kind, str) else None
        if kind is None:
            error(f"{where} has unknown kind {raw_kind!r}; use correction, clarification or editors-note", number)
            continue
        if entry.get("date") is None:
            error(f"{where} has no date: add date: 2024-05-02", number)
            continue
        try:
            date = parse_date(entry["date"], zone)
        except DateError as exc:
            error(f"{where}: date {exc}", number)
            continue
        out.append(Correction(date, " ".join(text.split()), kind))
    return tuple(sorted(out, key=lambda c: c.date))


def parse_part(value: Any, error: Callable[[str], None]) -> int | None:
    """``series_part``: a whole number from 1."""
    if value is None:
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        error(f"must be a whole number from 1, got {value!r}")
        return None
    return value


def revised_at(article: Article) -> dt.datetime:
    """When the story last changed: its date, its ``updated`` time or its latest correction, whichever is last."""
    times = [article.date, *(c.date for c in article.corrections)]
    if article.updated is not None:
        times.append(article.updated)
    return max(times)


def is_standing_path(path: str, content: str) -> bool:
    """Whether ``path`` (as listed) is in the standing pages folder ``pages/`` right under ``content``."""
    try:
        parts = PurePosixPath(path).relative_to(PurePosixPath(content)).parts
    except ValueError:
        return False
    return len(parts) > 1 and parts[0] == PAGES_FOLDER


def entry_line(text: str, key_line: int, number: int) -> int | None:
    """The file line of the ``number``-th ``- `` entry of the YAML list whose key is on ``key_line``."""
    lines = text.split("\n")
    seen = 0
    for offset, line in enumerate(lines[key_line - 1 :], start=key_line + 1):
        if line and not line[0].isspace() and not line.startswith("-"):
            return None  # the next top-level key
        if line.lstrip().startswith("- ") and len(line) - len(line.lstrip()) <= 2:
            seen += 1
            if seen == number:
                return offset
    return None
