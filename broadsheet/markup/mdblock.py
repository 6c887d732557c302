"""Python-Markdown's block parser, minus the tests that cannot succeed.

Each block (a paragraph, most of the time) is offered to the block processors
in turn until one takes it; a plain paragraph is searched for a heading, a
rule, a definition, a quote, a footnote, an abbreviation and a link reference
first. ``filter_block_tests`` makes each of those tests first ask whether the
block contains a string its regular expression cannot match without, and
answer no at once when it does not: what the search would have answered (the
footnote, abbreviation and reference processors search in ``run`` and hand
the block back unchanged when they find nothing). A processor whose regular
expression is not the one listed here is left as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markdown.blockparser import BlockParser

# Processor name → (its regular expression, strings of which at least one is in any block it matches).
_NEEDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "table": ("", ("|",)),  # no regular expression: TableProcessor splits rows on '|', so no '|', no table
    "hashheader": (r"(?:^|\n)(?P<level>#{1,6})(?P<header>(?:\\.|[^\\#]|#+(?=[^#\n]))*?)#*(?:\n|$)", ("#",)),
    "hr": (
        r"^[ ]{0,3}(?=(?P<atomicgroup>(-+[ ]{0,2}){3,}|(_+[ ]{0,2}){3,}|(\*+[ ]{0,2}){3,}))(?P=atomicgroup)[ ]*$",
        ("-", "_", "*"),
    ),
    "deflist": (r"(^|\n)[ ]{0,3}:[ ]{1,3}(.*?)(\n|$)", (":",)),
    "quote": (r"(^|\n)[ ]{0,3}>[ ]?(.*)", (">",)),
    "footnote": (r"^[ ]{0,3}\[\^([^\]]*)\]:[ ]*(.*)$", ("[^",)),
    "abbr": (r"^[*]\[(?P<abbr>[^\\]*?)\][ ]?:[ ]*\n?[ ]*(?P<title>.*)$", ("*[",)),
    "reference": (
        r'^[ ]{0,3}\[([^\[\]]*)\]:[ ]*(?:\n[ ]*)?([^\s]+)[ ]*(?:\n[ ]*)?((["\'])(.*)\4[ ]*|\((.*)\)[ ]*)?$',
        ("]:",),
    ),
}


def _pattern(processor: Any) -> str | None:
    if type(processor).__name__ == "TableProcessor":
        return ""
    regex = getattr(processor, "SEARCH_RE", None) or getattr(processor, "RE", None)
    return getattr(regex, "pattern", None)


def _guarded(test: Callable[[Any, str], bool], needs: tuple[str, ...]) -> Callable[[Any, str], bool]:
    def guarded(parent: Any, block: str) -> bool:
        for needed in needs:
            if needed in block:
                return test(parent, block)
        return False

    return guarded


def filter_block_tests(parser: BlockParser) -> list[str]:
    """Guard the tests of the processors listed above; returns the names guarded."""
    guarded: list[str] = []
    for name, (pattern, needs) in _NEEDS.items():
        if name not in parser.blockprocessors:
            continue
        processor = parser.blockprocessors[name]
        if _pattern(processor) == pattern:
            processor.test = _guarded(processor.test, needs)
            guarded.append(name)
    return guarded
