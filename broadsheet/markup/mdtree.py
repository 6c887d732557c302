"""Python-Markdown's tree processors, skipped when the tree holds nothing for them.

Two tree processors visit every element of every document:

- ``attr_list`` searches the ends of block texts and the starts of inline
  tails for an attribute list such as ``{: #id .class }``. Each of its three
  regular expressions needs a ``{``, and every text and tail it searches is
  among those ``itertext`` yields.
- ``unescape`` turns the placeholders of backslash escapes (``STX``, a
  number, ``ETX``) back into characters, in texts, tails and attribute values.
  Without an ``STX`` there is no placeholder and every substitution returns
  what it was given.

When the document does not hold that character, each search or substitution
would have changed nothing, and the guarded processor says so at once. A
processor whose regular expressions are not the ones listed here is left as
it is.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections.abc import Callable

import markdown as md
from markdown.util import ETX, STX

# Processor name → (its regular expressions, the character each of them needs).
_NEEDS: dict[str, tuple[tuple[str, ...], str]] = {
    "attr_list": (
        (
            r"\n[ ]*\{\:?[ ]*([^\}\n ][^\n]*)\}[ ]*$",
            r"[ ]+\{\:?[ ]*([^\}\n ][^\n]*)\}[ ]*$",
            r"^\{\:?[ ]*([^\}\n ][^\n]*)\}",
        ),
        "{",
    ),
    "unescape": ((rf"{STX}(\d+){ETX}",), STX),
}
_REGEX_NAMES = ("BLOCK_RE", "HEADER_RE", "INLINE_RE", "RE")


def _patterns(processor: object) -> tuple[str, ...]:
    regexes = (getattr(processor, name, None) for name in _REGEX_NAMES)
    return tuple(regex.pattern for regex in regexes if regex is not None)


def _holds_in_text(doc: etree.Element, char: str) -> bool:
    return char in "".join(doc.itertext())


def _holds_anywhere(doc: etree.Element, char: str) -> bool:
    if _holds_in_text(doc, char):
        return True
    return any(value is not None and char in value for el in doc.iter() for value in el.attrib.values())


# attr_list reads texts and tails only; unescape attribute values too.
_CHECKS: dict[str, Callable[[etree.Element, str], bool]] = {"attr_list": _holds_in_text, "unescape": _holds_anywhere}


def _guarded(run: Callable[[etree.Element], object], holds: Callable[[etree.Element, str], bool], char: str) -> Callable[[etree.Element], None]:
    def guarded(doc: etree.Element) -> None:
        if holds(doc, char):
            run(doc)

    return guarded


def guard_tree_processors(converter: md.Markdown) -> list[str]:
    """Make the processors listed above skip documents without their character; returns the names guarded."""
    guarded: list[str] = []
    for name, (patterns, char) in _NEEDS.items():
        if name not in converter.treeprocessors:
            continue
        processor = converter.treeprocessors[name]
        if _patterns(processor) == patterns:
            processor.run = _guarded(processor.run, _CHECKS[name], char)
            guarded.append(name)
    return guarded
