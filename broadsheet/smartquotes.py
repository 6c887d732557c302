"""Typographic quotes and dashes, applied once to finished HTML.

Python-Markdown's ``smarty`` extension does the same through inline patterns
and costs more than the rest of Markdown together; this single pass over the
text between tags gives the same result for ordinary prose at a fraction of
the cost. Text inside ``pre``, ``code``, ``kbd``, ``script``, ``style`` and
``textarea`` is left alone, and so are tags and their attributes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_SEGMENTS = re.compile(r"(<[^>]*>)")
# A tag that opens or closes verbatim text (group 2), or one that starts a new run of text (group 3).
_TAG_KIND = re.compile(
    r"<(/?)(?:(pre|code|kbd|samp|script|style|textarea)|(p|div|li|h\d|blockquote|td|th|br|dd|dt|figcaption))\b",
    re.IGNORECASE,
)
_DASHES = [("---", "&mdash;"), ("--", "&ndash;"), ("...", "&hellip;")]
_OPENING_BEFORE = set(" \t\n([{\u2014\u2013-/") | {""}

ENGLISH = {
    "left-double-quote": "&ldquo;", "right-double-quote": "&rdquo;",
    "left-single-quote": "&lsquo;", "right-single-quote": "&rsquo;",
}


def _quote(text: str, before: str, quotes: Mapping[str, str], tag_follows: bool) -> str:
    out: list[str] = []
    previous = before
    end = "x" if tag_follows else " "  # a quote hugging an inline tag opens it
    for i, char in enumerate(text):
        if char == '"' or char == "'":
            after = text[i + 1] if i + 1 < len(text) else end
            kind = "double" if char == '"' else "single"
            if char == "'" and previous.isalnum() and (after.isalnum() or after in " \t\n.,;:!?)"):
                out.append(quotes["right-single-quote"])  # apostrophe: don't, the writers'
            elif previous in _OPENING_BEFORE and not after.isspace():
                out.append(quotes[f"left-{kind}-quote"])
            else:
                out.append(quotes[f"right-{kind}-quote"])
        else:
            out.append(char)
        previous = char
    return "".join(out)


def smarten(html: str, quotes: Mapping[str, str] | None = None) -> str:
    """Return ``html`` with curly quotes, en/em dashes and ellipses in its text."""
    table = {**ENGLISH, **(quotes or {})}
    parts = _SEGMENTS.split(html)
    depth = 0
    before = ""
    for index, part in enumerate(parts):
        if index % 2:  # a tag
            match = _TAG_KIND.match(part)
            if match is None:
                pass
            elif match.group(2):
                depth = max(0, depth + (-1 if match.group(1) else 1))
            else:
                before = ""
            continue
        if depth or not part:
            continue
        text = part
        for plain, entity in _DASHES:
            if plain in text:
                text = text.replace(plain, entity)
        if '"' in text or "'" in text:
            text = _quote(text, before, table, index + 1 < len(parts))
        parts[index] = text
        before = part[-1]
    return "".join(parts)
