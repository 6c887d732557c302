"""mdheadings.py: heading ids without a table of contents, the same ids and HTML as the toc extension."""

from __future__ import annotations

import xml.etree.ElementTree as etree

import lxml.html
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown.extensions.toc import remove_fnrefs, render_inner_html, strip_tags
from mdkit import both

from broadsheet.markup.markdown import _converter
from broadsheet.markup.mdheadings import HeadingIdProcessor


def heading_ids(text: str) -> list[str]:
    plain, ours = both(text)
    assert ours == plain
    return lxml.html.fromstring(f"<div>{ours}</div>").xpath("//h1/@id|//h2/@id|//h3/@id|//h4/@id|//h5/@id|//h6/@id")


def test_the_converter_uses_the_heading_id_processor() -> None:
    assert isinstance(_converter().treeprocessors["toc"], HeadingIdProcessor)


def test_duplicate_headings_get_numbered_ids() -> None:
    assert heading_ids("## Budget\n\n## Budget\n\n### Budget\n\n## Budget_1\n") == [
        "budget", "budget_1", "budget_2", "budget-1",
    ]


def test_attr_list_ids_are_kept_and_reserved() -> None:
    text = "## Later {#budget}\n\n## Budget\n\n## Other {: #own .wide data-toc-label='Short' }\n"
    assert heading_ids(text) == ["budget", "budget_1", "own"]
    assert "data-toc-label" not in both(text)[1]


def test_ids_of_headings_with_markup_entities_html_and_footnotes() -> None:
    text = (
        "## The *new* `budget`\n\n## Fish &amp; chips &copy;\n\n## A <span>raw</span> title\n\n"
        "## Noted[^n]\n\n## AT&T 5 > 4\n\n## Escaped \\*star\\*\n\n[^n]: A note.\n"
    )
    assert heading_ids(text) == [
        "the-new-budget", "fish-and-chips-c", "a-raw-title", "noted", "at-and-t-5-4", "escaped-star",
    ]


def test_ids_of_non_latin_headings() -> None:
    assert heading_ids("## 北京\n\n## Café crème\n\n## Москва\n\n## 北京\n") == [
        "bei-jing", "cafe-creme", "moskva", "bei-jing_1",
    ]


def test_a_toc_marker_still_gets_its_table_of_contents() -> None:
    plain, ours = both("[TOC]\n\n## One\n\n### Two\n\n## One\n")
    assert ours == plain
    toc = lxml.html.fromstring(ours).xpath("//div[@class='toc']//a/@href")
    assert toc == ["#one", "#two", "#one_1"]


def test_text_that_only_resembles_the_marker_is_left_alone() -> None:
    for text in ("\\[TOC]\n\n## A\n", "`[TOC]`\n\n## A\n", "[TOC] and more\n\n## A\n", "## [TOC]\n", "[toc]\n"):
        plain, ours = both(text)
        assert ours == plain
        assert 'class="toc"' not in ours


MARKUP = [
    "## ", "# ", "### ", "#### ", "###### ", "\n\n", "\n", " ", "Budget", "budget", "_1", "_2", "Budget_1",
    "[TOC]", "[TOC]\n\n", " [TOC] ", "\\[TOC]", "{#budget}", "{: #x }", "{: .c data-toc-label='L' }", "*", "**",
    "`", "&amp;", "&copy;", "&#38;", "&", "<b>", "</b>", "<span>", "<!-- c -->", "[^1]", "\n\n[^1]: note\n", "北京",
    "Café", "–", "\\", "[a](http://x.org)", "<div markdown=\"1\">\n", "\n</div>\n", "    code\n", "```\n", "Title\n===\n",
    "Sub\n---\n", "- ", "> ", "\t", "\u00a0", "[TOC",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(MARKUP), max_size=30).map("".join))
def test_same_html_as_python_markdown_for_any_mix_of_headings(text: str) -> None:
    plain, ours = both(text)
    assert ours == plain


HEADING_TEXT = st.lists(
    st.text(max_size=5) | st.sampled_from(["&", "<", ">", "\x02", "\x03", "&amp;", " ", "\n", "\u3000", "北京", "<b>x</b>"]),
    max_size=8,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(HEADING_TEXT)
def test_the_plain_heading_shortcut_gives_the_rendered_name(text: str) -> None:
    converter = _converter()
    converter.reset()
    heading = etree.Element("h2")
    heading.text = text
    heading.tail = "\n"
    reference = strip_tags(render_inner_html(remove_fnrefs(heading), converter))
    assert converter.treeprocessors["toc"].heading_name(heading) == reference
