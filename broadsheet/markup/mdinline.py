"""Python-Markdown's inline stage, minus the searches that cannot match.

Python-Markdown tries every inline pattern (links, emphasis, code, entities...)
on every run of text, one regular-expression search per pattern, even when the
text holds none of the characters the pattern starts with. Most text in news
copy is plain prose, so most of those searches find nothing: they were 40% of
Markdown time. ``FilteredInlineProcessor`` first asks whether the text contains
a string the pattern cannot match without (``[`` for a link, ``&`` for an
entity) and skips the pattern when it does not, exactly as if its search had
come back empty. Output is identical by construction; a pattern whose regular
expression is not the one listed here (another Markdown version, another
extension) is always tried.
"""

from __future__ import annotations

from typing import Any

import markdown as md
from markdown import inlinepatterns, treeprocessors, util

# Pattern name → (its regular expression, strings of which at least one is in any text it matches).
_NEEDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "backtick": (r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)", ("`",)),
    "escape": (r"\\(.)", ("\\",)),
    "footnote": (r"\[\^([^\]]*)\]", ("[^",)),
    "reference": (r"(?<!\!)\[", ("[",)),
    "link": (r"(?<!\!)\[", ("[",)),
    "image_link": (r"\!\[", ("![",)),
    "image_reference": (r"\!\[", ("![",)),
    "short_reference": (r"(?<!\!)\[", ("[",)),
    "short_image_ref": (r"\!\[", ("![",)),
    "autolink": (r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>", ("<",)),
    "automail": (r"<([^<> !]+@[^@<> ]+)>", ("@",)),
    "linebreak": (r"  \n", ("  \n",)),
    "entity": (r"(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)", ("&",)),
}


def _needs(name: str, pattern: inlinepatterns.Pattern) -> tuple[str, ...] | None:
    """What text must contain for ``pattern`` to match, or None when that is not known."""
    if isinstance(pattern, inlinepatterns.DelimiterProcessor):  # emphasis: one search for any delimiter
        return tuple(pattern.tokens) or None
    if name == "html" and pattern.pattern.startswith("(<"):
        return ("<",)
    known = _NEEDS.get(name)
    return known[1] if known and known[0] == pattern.pattern else None


class FilteredInlineProcessor(treeprocessors.InlineProcessor):
    """``InlineProcessor`` that skips patterns the text cannot match."""

    def __init__(self, converter: md.Markdown) -> None:
        super().__init__(converter)
        registry = converter.inlinePatterns
        patterns = list(registry)  # sorted by priority: the order Python-Markdown tries them in
        names = [item.name for item in registry._priority]
        self.filtered = [(pattern, _needs(name, pattern)) for name, pattern in zip(names, patterns, strict=True)]

    # Python-Markdown calls this (name-mangled) method for every run of text and recursively for nested elements.
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if isinstance(data, util.AtomicString):
            return data
        apply: Any = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
        filtered = self.filtered
        count = len(filtered)
        start = 0
        while patternIndex < count:
            pattern, needs = filtered[patternIndex]
            if needs is not None:
                for needed in needs:
                    if needed in data:
                        break
                else:
                    patternIndex += 1  # what a search that found nothing does
                    start = 0
                    continue
            data, matched, start = apply(pattern, data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data
