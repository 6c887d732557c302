"""Python-Markdown's ``toc`` stage, minus the table of contents nobody asked for.

Broadsheet loads the ``toc`` extension for its heading ids. Its tree
processor also builds a table of contents for every article: a token per
heading (each heading rendered to HTML for it), a ``<div>`` of nested lists,
that div serialized and post-processed, and a walk over the whole tree
looking for a ``[TOC]`` paragraph to put it in. Broadsheet reads neither
``Markdown.toc`` nor ``Markdown.toc_tokens``, so all of that is thrown away
unless the article has such a paragraph.

``HeadingIdProcessor`` first looks for an element the marker search could
replace (no children, text that is the marker once stripped). When there is
one, the stock processor runs unchanged. When there is none, it only does
what the stock processor does to the document: heading levels, unique ids
(an id already set, by attr_list ``{#id}`` for instance, is kept and
reserved), the ``data-toc-label`` attribute dropped, anchors and permalinks
when configured. Each id comes from the text the stock processor uses; a heading
that is plain text (no child elements, no ``&``, ``<``, ``>`` or
Python-Markdown placeholder) skips the render-and-strip round trip, whose
result for such text is the text with its whitespace collapsed.
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as etree

import markdown as md
from markdown.extensions.toc import (
    TocExtension,
    TocTreeprocessor,
    remove_fnrefs,
    render_inner_html,
    strip_tags,
    unique,
)
from markdown.util import ETX, STX

from broadsheet.markup.mdregistry import replace

# The priority the toc extension registers its tree processor at.
TOC_PRIORITY = 5

# Characters whose presence sends heading text through Python-Markdown's own rendering.
_NOT_PLAIN = frozenset(f"&<>{STX}{ETX}")


class HeadingIdProcessor(TocTreeprocessor):
    """``TocTreeprocessor`` that builds a table of contents only when one goes in the document."""

    def run(self, doc: etree.Element) -> None:
        used_ids: set[str] = set()
        marker = self.marker
        for el in doc.iter():
            if "id" in el.attrib:
                used_ids.add(el.attrib["id"])
            if marker and len(el) == 0 and el.text and el.text.strip() == marker:
                super().run(doc)  # a table of contents goes in: the stock processor, all of it
                return
        id_counters: dict[str, int] = {}
        for el in doc.iter():
            if isinstance(el.tag, str) and self.header_rgx.match(el.tag):
                self.set_level(el)
                if "id" not in el.attrib:
                    name = html.unescape(self.heading_name(el))
                    el.attrib["id"] = unique(self.slugify(name, self.sep), used_ids, id_counters)
                el.attrib.pop("data-toc-label", None)
                if self.use_anchors:
                    self.add_anchor(el, el.attrib["id"])
                if self.use_permalinks not in (False, None):
                    self.add_permalink(el, el.attrib["id"])

    def heading_name(self, el: etree.Element) -> str:
        """The heading's text as the stock processor computes it, before entities are unescaped."""
        text = el.text or ""
        if len(el) == 0 and _NOT_PLAIN.isdisjoint(text):
            return " ".join(text.split())
        return strip_tags(render_inner_html(remove_fnrefs(el), self.md))


def use_heading_ids(converter: md.Markdown) -> None:
    """Put a ``HeadingIdProcessor`` in place of the ``toc`` extension's processor, same settings."""
    for extension in converter.registeredExtensions:
        if isinstance(extension, TocExtension):
            replace(converter.treeprocessors, "toc", HeadingIdProcessor(converter, extension.getConfigs()), TOC_PRIORITY)
