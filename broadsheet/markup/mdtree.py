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
would have changed nothing. ``guard_tree_processors`` registers, in place of
each stock processor (by name, at the priority its stock code gives it), a
subclass whose ``run`` says so at once and otherwise runs the stock one. A
processor whose regular expressions are not the ones listed here is left as
it is.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

import markdown as md
from markdown.extensions.attr_list import AttrListTreeprocessor
from markdown.treeprocessors import Treeprocessor, UnescapeTreeprocessor
from markdown.util import ETX, STX

from broadsheet.markup.mdregistry import replace

_ATTR_LIST_RES = (
    r"\n[ ]*\{\:?[ ]*([^\}\n ][^\n]*)\}[ ]*$",
    r"[ ]+\{\:?[ ]*([^\}\n ][^\n]*)\}[ ]*$",
    r"^\{\:?[ ]*([^\}\n ][^\n]*)\}",
)
_UNESCAPE_RES = (rf"{STX}(\d+){ETX}",)
_REGEX_NAMES = ("BLOCK_RE", "HEADER_RE", "INLINE_RE", "RE")


def _patterns(processor: object) -> tuple[str, ...]:
    regexes = (getattr(processor, name, None) for name in _REGEX_NAMES)
    return tuple(regex.pattern for regex in regexes if regex is not None)


class GuardedAttrList(AttrListTreeprocessor):
    """``attr_list``, for documents whose texts and tails (all it reads) hold a ``{``."""

    def run(self, doc: etree.Element) -> None:
        if "{" in "".join(doc.itertext()):
            super().run(doc)


class GuardedUnescape(UnescapeTreeprocessor):
    """``unescape``, for documents with an ``STX`` in a text, a tail or an attribute value."""

    def run(self, doc: etree.Element) -> None:
        if STX in "".join(doc.itertext()) or any(value is not None and STX in value for el in doc.iter() for value in el.attrib.values()):
            super().run(doc)


# Processor name → (the stock class, its regular expressions, the priority it is registered at, the guarded class).
_GUARDS: dict[str, tuple[type[Treeprocessor], tuple[str, ...], float, type[Treeprocessor]]] = {
    "attr_list": (AttrListTreeprocessor, _ATTR_LIST_RES, 8, GuardedAttrList),
    "unescape": (UnescapeTreeprocessor, _UNESCAPE_RES, 0, GuardedUnescape),
}


def guard_tree_processors(converter: md.Markdown) -> list[str]:
    """Register the guarded processors in place of the stock ones listed above; returns the names guarded."""
    guarded: list[str] = []
    for name, (stock, patterns, priority, guard) in _GUARDS.items():
        if name not in converter.treeprocessors:
            continue
        processor = converter.treeprocessors[name]
        if type(processor) is stock and _patterns(processor) == patterns:
            replace(converter.treeprocessors, name, guard(converter), priority)
            guarded.append(name)
    return guarded
