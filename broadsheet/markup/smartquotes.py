"""Typographic quotes and dashes, applied once to finished HTML.

Python-Markdown's ``smarty`` extension does the same through inline patterns
and costs more than the rest of Markdown together; this single pass over the
text between tags gives the same result for ordinary prose at a fraction of
the cost. Text inside ``pre``, ``code``, ``kbd``, ``script``, ``style`` and
``textarea`` is left alone, and so are tags and their attributes.

Most runs of text hold no quote, dash or ellipsis. When the document has no
verbatim tag, only the runs that do are visited, each with the character
that precedes it found by looking back to the nearest text or block tag.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from functools import lru_cache

_SEGMENTS = re.compile(r"(<[^>]*>)")
# A tag that opens or closes verbatim text (group 2), or one that starts a new run of text (group 3).
_TAG_KIND = re.compile(
    r"<(/?)(?:(pre|code|kbd|samp|script|style|textarea)|(p|div|li|h\d|blockquote|td|th|br|dd|dt|figcaption))\b",
    re.IGNORECASE,
)
_VERBATIM = re.compile(r"</?(?:pre|code|kbd|samp|script|style|textarea)\b", re.IGNORECASE)
_DASHES = [("---", "&mdash;"), ("--", "&ndash;"), ("...", "&hellip;")]
_OPENING_BEFORE = set(" \t\n([{\u2014\u2013-/") | {""}

ENGLISH = {
    "left-double-quote": "&ldquo;", "right-double-quote": "&rdquo;",
    "left-single-quote": "&lsquo;", "right-single-quote": "&rsquo;",
}


# Quote styles by primary language; languages not listed get no smart quotes.
QUOTES: dict[str, dict[str, str]] = {
    "en": {},
    "nl": {},
    "es": {"left-double-quote": "&laquo;", "right-double-quote": "&raquo;"},
    "fr": {
        "left-double-quote": "&laquo;&#160;", "right-double-quote": "&#160;&raquo;",
        "left-single-quote": "&lsaquo;", "right-single-quote": "&rsaquo;",
    },
    "de": {
        "left-double-quote": "&bdquo;", "right-double-quote": "&ldquo;",
        "left-single-quote": "&sbquo;", "right-single-quote": "&lsquo;",
    },
    "it": {"left-double-quote": "&laquo;", "right-double-quote": "&raquo;"},
    "pt": {"left-double-quote": "&laquo;", "right-double-quote": "&raquo;"},
}


def quotes_for(language: str) -> Mapping[str, str] | None:
    """The quote style of a language tag (``de-AT`` is German's), or None for no smart quotes."""
    return QUOTES.get(language.split("-")[0].lower())


@lru_cache(maxsize=4096)
def typeset(text: str, language: str) -> str:
    """Plain text (a headline, a caption, a bio) as HTML, with the quotes and dashes bodies get in ``language``."""
    escaped = html.escape(text, quote=False)
    quotes = quotes_for(language)
    return escaped if quotes is None else smarten(escaped, quotes)


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


def _smarten_text(text: str, before: str, quotes: Mapping[str, str], tag_follows: bool) -> str:
    for plain, entity in _DASHES:
        if plain in text:
            text = text.replace(plain, entity)
    if '"' in text or "'" in text:
        text = _quote(text, before, quotes, tag_follows)
    return text


def _changes(text: str) -> bool:
    """Whether ``_smarten_text`` can change ``text``."""
    return '"' in text or "'" in text or "--" in text or "..." in text


def _before(parts: list[str], index: int) -> str:
    """The character before text ``parts[index]`` in a document without verbatim tags, as it came."""
    for i in range(index - 1, -1, -1):
        part = parts[i]
        if i % 2:
            if _TAG_KIND.match(part):  # a block tag: verbatim ones are ruled out
                return ""
        elif part:
            return part[-1]
    return ""


def smarten(html: str, quotes: Mapping[str, str] | None = None) -> str:
    """Return ``html`` with curly quotes, en/em dashes and ellipses in its text."""
    table = {**ENGLISH, **(quotes or {})}
    parts = _SEGMENTS.split(html)
    changing = [index for index in range(0, len(parts), 2) if _changes(parts[index])]
    if not changing:
        return html
    if _VERBATIM.search(html):
        return _smarten_all(parts, table)
    for index in reversed(changing):  # last first: the runs before the one in hand are as they came
        parts[index] = _smarten_text(parts[index], _before(parts, index), table, index + 1 < len(parts))
    return "".join(parts)


def _smarten_all(parts: list[str], table: Mapping[str, str]) -> str:
    """Every run of text in turn, keeping track of verbatim depth and of the character before."""
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
        parts[index] = _smarten_text(part, before, table, index + 1 < len(parts))
        before = part[-1]
    return "".join(parts)
