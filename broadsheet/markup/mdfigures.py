"""Body images with a title become figures: ``![alt](images/x.jpg "caption")`` on its own line.

A paragraph that holds nothing but one image whose Markdown has a title
becomes ``<figure>`` with the image and a ``<figcaption>`` holding the title
(the title attribute goes: the caption already shows it). Images inside
text, or without a title, stay as they are. It runs after ``attr_list`` (so
``{: .wide}`` after the image has been applied and is not left as text) and
before ``unescape`` (so escapes in the caption are restored like any other
text).
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

import markdown as md
from markdown.treeprocessors import Treeprocessor

NAME = "figures"
PRIORITY = 7.5  # between attr_list (8) and abbr (7)


class FigureProcessor(Treeprocessor):
    """Turns captioned lone images into ``<figure>`` elements."""

    def run(self, root: etree.Element) -> None:
        for parent in root.iter():
            for index, child in enumerate(list(parent)):
                if child.tag == "p" and _lone_titled_image(child):
                    parent[index] = _figure(child)


def _lone_titled_image(paragraph: etree.Element) -> bool:
    if len(paragraph) != 1 or (paragraph.text or "").strip():
        return False
    image = paragraph[0]
    return image.tag == "img" and bool((image.get("title") or "").strip()) and not (image.tail or "").strip()


def _figure(paragraph: etree.Element) -> etree.Element:
    image = paragraph[0]
    caption = " ".join((image.attrib.pop("title") or "").split())
    figure = etree.Element("figure")
    figure.text = "\n"
    image.tail = "\n"
    figure.append(image)
    figcaption = etree.SubElement(figure, "figcaption")
    figcaption.text = caption
    figcaption.tail = "\n"
    figure.tail = paragraph.tail
    return figure


def use_figures(converter: md.Markdown) -> None:
    """Register the figure processor on ``converter`` by name, through Python-Markdown's registry."""
    converter.treeprocessors.register(FigureProcessor(converter), NAME, PRIORITY)
