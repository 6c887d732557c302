"""Python-Markdown's ``attr_list`` stage, skipped when no text holds a ``{``.

The ``attr_list`` tree processor visits every element of every document,
searching the ends of block texts and the starts of inline tails for an
attribute list such as ``{: #id .class }``. Each of its three regular
expressions needs a ``{``, and the texts and tails it searches are all among
those ``itertext`` yields, so when their joined text holds no ``{`` every
search would have come back empty: ``guard_attr_list`` answers that at once.
A processor whose regular expressions are not the ones listed here is left
as it is.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

import markdown as md

# Its regular expressions: (block, header, inline), each of which matches only text holding a "{".
_PATTERNS = (
    r"\n[ ]*\{\:?[ ]*([^\}\n ][^\n]*)\}[ ]*$",
    r"[ ]+\{\:?[ ]*([^\}\n ][^\n]*)\}[ ]*$",
    r"^\{\:?[ ]*([^\}\n ][^\n]*)\}",
)


def guard_attr_list(converter: md.Markdown) -> bool:
    """Make the ``attr_list`` processor skip documents without a ``{``; returns whether it did."""
    if "attr_list" not in converter.treeprocessors:
        return False
    processor = converter.treeprocessors["attr_list"]
    patterns = tuple(getattr(getattr(processor, name, None), "pattern", None) for name in ("BLOCK_RE", "HEADER_RE", "INLINE_RE"))
    if patterns != _PATTERNS:
        return False
    run = processor.run

    def guarded(doc: etree.Element) -> None:
        if "{" in "".join(doc.itertext()):
            run(doc)

    processor.run = guarded
    return True
