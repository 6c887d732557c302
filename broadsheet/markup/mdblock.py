"""Python-Markdown's block parser, minus the tests that cannot succeed.

Each block (a paragraph, most of the time) is offered to the block processors
in turn until one takes it; a plain paragraph is searched for a heading, a
rule, a definition, a quote, a footnote, an abbreviation and a link reference
first. ``filter_block_tests`` registers, in place of each of those
processors (by name, at the priority its stock code gives it), a
``GuardedBlockProcessor`` whose test first asks whether the block contains a
string the processor's regular expression cannot match without, and answers
no at once when it does not: what the search would have answered (the
footnote, abbreviation and reference processors search in ``run`` and hand
the block back unchanged when they find nothing). Otherwise the stock
processor tests and runs. A processor whose regular expression is not the
one listed here is left as it is.
"""

from __future__ import annotations

from typing import Any

from markdown.blockparser import BlockParser
from markdown.blockprocessors import BlockProcessor

from broadsheet.markup.mdregistry import replace

# Processor name → (its priority, its regular expression, strings of which at least one is in any block it matches).
# The priorities are those Python-Markdown and its extensions (tables, def_list, footnotes, abbr) register them at.
_NEEDS: dict[str, tuple[float, str, tuple[str, ...]]] = {
    "table": (75, "", ("|",)),  # no regular expression: TableProcessor splits rows on '|', so no '|', no table
    "hashheader": (70, r"(?:^|\n)(?P<level>#{1,6})(?P<header>(?:\\.|[^\\#]|#+(?=[^#\n]))*?)#*(?:\n|$)", ("#",)),
    "hr": (
        50,
        r"^[ ]{0,3}(?=(?P<atomicgroup>(-+[ ]{0,2}){3,}|(_+[ ]{0,2}){3,}|(\*+[ ]{0,2}){3,}))(?P=atomicgroup)[ ]*$",
        ("-", "_", "*"),
    ),
    "deflist": (25, r"(^|\n)[ ]{0,3}:[ ]{1,3}(.*?)(\n|$)", (":",)),
    "quote": (20, r"(^|\n)[ ]{0,3}>[ ]?(.*)", (">",)),
    "footnote": (17, r"^[ ]{0,3}\[\^([^\]]*)\]:[ ]*(.*)$", ("[^",)),
    "abbr": (16, r"^[*]\[(?P<abbr>[^\\]*?)\][ ]?:[ ]*\n?[ ]*(?P<title>.*)$", ("*[",)),
    "reference": (
        15,
        r'^[ ]{0,3}\[([^\[\]]*)\]:[ ]*(?:\n[ ]*)?([^\s]+)[ ]*(?:\n[ ]*)?((["\'])(.*)\4[ ]*|\((.*)\)[ ]*)?$',
        ("]:",),
    ),
}


def _pattern(processor: Any) -> str | None:
    if type(processor).__name__ == "TableProcessor":
        return ""
    regex = getattr(processor, "SEARCH_RE", None) or getattr(processor, "RE", None)
    return getattr(regex, "pattern", None)


class GuardedBlockProcessor(BlockProcessor):
    """A stock block processor whose test answers no at once for a block without any of ``needs``."""

    def __init__(self, stock: BlockProcessor, needs: tuple[str, ...]) -> None:
        super().__init__(stock.parser)
        self.stock = stock
        self.needs = needs

    def test(self, parent: Any, block: str) -> bool:
        for needed in self.needs:
            if needed in block:
                return bool(self.stock.test(parent, block))
        return False

    def run(self, parent: Any, blocks: list[str]) -> bool | None:
        return self.stock.run(parent, blocks)


def filter_block_tests(parser: BlockParser) -> list[str]:
    """Guard the tests of the processors listed above; returns the names guarded."""
    guarded: list[str] = []
    registry = parser.blockprocessors
    for name, (priority, pattern, needs) in _NEEDS.items():
        if name not in registry:
            continue
        processor = registry[name]
        if _pattern(processor) == pattern:
            replace(registry, name, GuardedBlockProcessor(processor, needs), priority)
            guarded.append(name)
    return guarded
