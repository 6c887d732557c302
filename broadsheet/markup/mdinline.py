"""Python-Markdown's inline stage, minus the searches that cannot match.

Python-Markdown tries every inline pattern (links, emphasis, code, entities...)
on every run of text, one regular-expression search per pattern, even when the
text holds none of the characters the pattern starts with. Most text in news
copy is plain prose, so most of those searches find nothing: they were 40% of
Markdown time. Each pattern listed here needs a string in any text it matches
(``[`` for a link, ``&`` for an entity), and two steps, both through
Python-Markdown's extension API, skip it where that string is absent:

- ``InlinePatternFilter``, a tree processor that runs just before the inline
  stage, takes out of the registry (by name) the patterns that nothing in the
  whole document can match, and puts back (at their documented priorities)
  those it can. The reference patterns (``[text][id]``, ``[id]`` and their
  images) also need a link defined in the document: without one they find
  nothing to put in (``Markdown.references`` is empty). Every text the inline stage searches is part of the tree's
  text, or a placeholder Python-Markdown makes of ``STX``, digits, letters and
  ``:``, which no listed string contains.
- each remaining pattern's compiled expression (``Pattern.compiled_re``, what
  ``getCompiledRegExp()`` returns) is wrapped so that a search of a text
  without the string returns no match at once.

Either way a skipped pattern is one whose search would have come back empty,
so the output is identical by construction. A pattern whose regular
expression is not the one listed here (another Markdown version, another
extension) is always tried; unless every pattern in the registry is listed,
with the priorities listed here in the registry's own order, the per-document
step stays off.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections.abc import Iterator
from typing import Any

import markdown as md
from markdown import inlinepatterns, treeprocessors

from broadsheet.markup.mdregistry import replace

# Pattern name → (its priority, its regular expression, strings of which at least one is in any text it matches).
# The priorities are those ``inlinepatterns.build_inlinepatterns`` and the footnotes extension register them at.
_NEEDS: dict[str, tuple[float, str, tuple[str, ...]]] = {
    "backtick": (190, r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)", ("`",)),
    "escape": (180, r"\\(.)", ("\\",)),
    "footnote": (175, r"\[\^([^\]]*)\]", ("[^",)),
    "reference": (170, r"(?<!\!)\[", ("[",)),
    "link": (160, r"(?<!\!)\[", ("[",)),
    "image_link": (150, r"\!\[", ("![",)),
    "image_reference": (140, r"\!\[", ("![",)),
    "short_reference": (130, r"(?<!\!)\[", ("[",)),
    "short_image_ref": (125, r"\!\[", ("![",)),
    "autolink": (120, r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>", ("<",)),
    "automail": (110, r"<([^<> !]+@[^@<> ]+)>", ("@",)),
    "linebreak": (100, r"  \n", ("  \n",)),
    "html": (90, "", ("<",)),  # a long expression: any that starts by matching '<'
    "entity": (80, r"(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)", ("&",)),
    "em_strong": (60, "", ()),  # the emphasis delimiters: one search for any of their tokens
}
# Patterns that put in only links defined in the document (``ReferenceInlineProcessor``s).
_REFERENCES = frozenset({"reference", "image_reference", "short_reference", "short_image_ref"})
# Just before the stock inline processor (20), after every tree processor that adds text (footnotes, 50).
FILTER_PRIORITY = 21


class _Needs:
    """A compiled expression that answers "no match" at once for a text without any of ``needs``."""

    __slots__ = ("needs", "regex")

    def __init__(self, regex: Any, needs: tuple[str, ...]) -> None:
        self.regex = regex
        self.needs = needs

    @property
    def pattern(self) -> str:
        return str(self.regex.pattern)

    def finditer(self, data: str, pos: int = 0) -> Iterator[Any] | tuple[()]:
        for needed in self.needs:
            if needed in data:
                return self.regex.finditer(data, pos)  # type: ignore[no-any-return]
        return ()

    def search(self, data: str, pos: int = 0) -> Any:
        return self.regex.search(data, pos)

    def match(self, data: str, pos: int = 0) -> Any:
        return self.regex.match(data, pos)


def _needs(name: str, pattern: inlinepatterns.Pattern) -> tuple[str, ...] | None:
    """What text must contain for ``pattern`` to match, or None when that is not known."""
    known = _NEEDS.get(name)
    if known is None or not isinstance(pattern, inlinepatterns.InlineProcessor):
        return None
    if isinstance(pattern, inlinepatterns.DelimiterProcessor):
        return (tuple(pattern.tokens) or None) if name == "em_strong" else None
    _priority, regex, needs = known
    expression = pattern.compiled_re.pattern
    if name == "html":
        return needs if expression.startswith("(<") else None
    return needs if expression == regex else None


class InlinePatternFilter(treeprocessors.Treeprocessor):
    """Registers, for each document, only the inline patterns its text can match."""

    def __init__(self, converter: md.Markdown, guarded: dict[str, tuple[inlinepatterns.Pattern, tuple[str, ...]]]) -> None:
        super().__init__(converter)
        self.registry = converter.inlinePatterns
        self.guarded = [
            (name, pattern, _NEEDS[name][0], needs, name in _REFERENCES and isinstance(pattern, inlinepatterns.ReferenceInlineProcessor))
            for name, (pattern, needs) in guarded.items()
        ]
        self.present = set(guarded)

    def run(self, root: etree.Element) -> None:
        text = "".join(root.itertext())
        registry, present, references = self.registry, self.present, bool(self.md.references)
        for name, pattern, priority, needs, reference in self.guarded:
            for needed in needs:
                if needed in text and (references or not reference):
                    if name not in present:
                        registry.register(pattern, name, priority)
                        present.add(name)
                    break
            else:
                if name in present:
                    registry.deregister(name)
                    present.discard(name)


def filter_inline_patterns(converter: md.Markdown) -> list[str]:
    """Guard the listed patterns of ``converter``; returns the names guarded.

    Adds an ``InlinePatternFilter`` when every pattern is guarded and the
    registry holds them in the order of the priorities listed here.
    """
    registry = converter.inlinePatterns
    guarded: dict[str, tuple[inlinepatterns.Pattern, tuple[str, ...]]] = {}
    for name in _NEEDS:
        if name not in registry:
            continue
        pattern = registry[name]
        needs = _needs(name, pattern)
        if needs is not None:
            pattern.compiled_re = _Needs(pattern.compiled_re, needs)  # type: ignore[assignment]
            guarded[name] = (pattern, needs)
    in_order = sorted(guarded, key=registry.get_index_for_name)
    priorities = [_NEEDS[name][0] for name in in_order]
    if len(guarded) == len(registry) and priorities == sorted(set(priorities), reverse=True):
        # Each at its listed priority from now on, so that putting one back puts it where it was.
        for name in in_order:
            replace(registry, name, registry[name], _NEEDS[name][0])
        converter.treeprocessors.register(InlinePatternFilter(converter, guarded), "inline_filter", FILTER_PRIORITY)
    return in_order
