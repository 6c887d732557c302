"""mdinline.py, mdblock.py: skipping inline patterns and block tests that cannot match changes no output."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mdkit import both, stock

from broadsheet.markup.markdown import _converter
from broadsheet.markup.mdblock import filter_block_tests
from broadsheet.markup.mdinline import InlinePatternFilter, filter_inline_patterns
from broadsheet.markup.mdregistry import replace

ROOT = Path(__file__).resolve().parent.parent


def test_the_converter_filters_inline_patterns_per_document() -> None:
    converter = _converter()
    assert isinstance(converter.treeprocessors["inline_filter"], InlinePatternFilter)
    assert converter.treeprocessors.get_index_for_name("inline_filter") + 1 == converter.treeprocessors.get_index_for_name("inline")


def test_every_pattern_of_the_installed_markdown_has_a_filter() -> None:
    # Run on a fresh converter: a Markdown upgrade that changes a pattern turns its filter off
    # (still correct, but slow), and one that registers another pattern turns the per-document filter off.
    converter = stock()
    names = filter_inline_patterns(converter)
    assert len(names) == len(converter.inlinePatterns)
    assert "inline_filter" in converter.treeprocessors


def test_the_patterns_a_document_needs_are_back_in_their_stock_order() -> None:
    plain, ours = stock().inlinePatterns, _converter().inlinePatterns
    both("Plain words only.\n")
    assert len(ours) < len(plain)  # taken out for a document that needs none of them
    both("[a] [b][a] ![c][a]\n")
    assert "reference" not in ours and "link" in ours  # no link defined: the reference patterns find nothing
    both("`c` \\* [^1] [a] [a](/x) ![i](p.png) ![i][a] [a][] ![a] <http://x.org> <me@x.org> a  \nb <b> &amp; *e* _f_\n\n[a]: /y\n")
    assert [type(p) for p in ours] == [type(p) for p in plain]
    assert [ours.get_index_for_name(name) for name in ("backtick", "footnote", "em_strong")] == [
        plain.get_index_for_name(name) for name in ("backtick", "footnote", "em_strong")
    ]


def test_every_block_test_the_filter_knows_is_guarded() -> None:
    # Run on a fresh converter: a Markdown upgrade that changes one of these patterns leaves it unguarded.
    parser = stock().parser
    before = [type(processor) for processor in parser.blockprocessors]
    assert filter_block_tests(parser) == [
        "table", "hashheader", "hr", "deflist", "quote", "footnote", "abbr", "reference",
    ]
    after = [type(getattr(processor, "stock", processor)) for processor in parser.blockprocessors]
    assert after == before  # each guard stands where the stock processor stood


def _unfigure(match: re.Match[str]) -> str:
    return f'<p>{match.group(1)} title="{match.group(2)}"></p>'


def test_same_html_as_python_markdown_for_the_repository_articles() -> None:
    sources = sorted((ROOT / "content").rglob("*.md")) + sorted((ROOT / "tests").rglob("*.md"))
    assert sources
    for source in sources:
        plain, ours = both(source.read_text(encoding="utf-8"))
        # A lone image with a title becomes a figure (tests/test_markdown_figures.py): the one intended difference.
        ours = re.sub(r'<figure>\n(<img [^>]*?)>\n<figcaption>(.*?)</figcaption>\n</figure>', _unfigure, ours)
        assert ours == plain, source


MARKUP = [
    "`", "``", "\\", "\\`", "*", "**", "***", "_", "__", "[", "]", "(", ")", "![", "[^1]", "[^1]: note\n",
    "[a]: http://x.org\n", "[a]", "[a][]", "[a](http://x.org)", "![i](p.png)", "<", ">", "<http://x.org>",
    "<me@x.org>", "@", "<b>", "</b>", "<!-- c -->", "&", "&amp;", "&#38;", ";", "  \n", "\n", "\n\n", " ",
    "word", "*{: .c}", "# ", "- ", "1. ", "> ", "    ", "| a | b |\n|---|---|\n", "```\n", "ABBR", "*[ABBR]: x\n",
    "<div markdown=\"1\">", "</div>", "Term\n: def\n", "é", "中文", "---\n", "- - -\n", "___\n", "* * *\n",
    "#", "## h ##\n", "=\n", ":", ": ", ">", "|", "a | b\n", "]:", "[x]: /y \"t\"\n", "[^n]:", "*[", "    - i\n",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(MARKUP), max_size=40).map("".join))
def test_same_html_as_python_markdown_for_any_mix_of_markup(text: str) -> None:
    plain, ours = both(text)
    assert ours == plain


def test_a_processor_registered_where_it_would_move_is_refused() -> None:
    registry = stock().parser.blockprocessors
    with pytest.raises(RuntimeError, match="'quote'"):
        replace(registry, "quote", registry["quote"], 200)
