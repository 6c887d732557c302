"""mdinline.py, mdblock.py: skipping inline patterns and block tests that cannot match changes no output."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from mdkit import both, stock

from broadsheet.markup.markdown import _converter
from broadsheet.markup.mdblock import filter_block_tests
from broadsheet.markup.mdinline import FilteredInlineProcessor

ROOT = Path(__file__).resolve().parent.parent


def test_the_converter_filters_inline_patterns() -> None:
    assert isinstance(_converter().treeprocessors["inline"], FilteredInlineProcessor)


def test_every_pattern_of_the_installed_markdown_has_a_filter() -> None:
    # A Markdown upgrade that changes a pattern turns its filter off (still correct, but slow): say so.
    unfiltered = [pattern for pattern, needs in _converter().treeprocessors["inline"].filtered if needs is None]
    assert unfiltered == []


def test_every_block_test_the_filter_knows_is_guarded() -> None:
    # Run on a fresh converter: a Markdown upgrade that changes one of these patterns leaves it unguarded.
    assert filter_block_tests(stock().parser) == [
        "table", "hashheader", "hr", "deflist", "quote", "footnote", "abbr", "reference",
    ]


def test_same_html_as_python_markdown_for_the_repository_articles() -> None:
    sources = sorted((ROOT / "content").rglob("*.md")) + sorted((ROOT / "tests").rglob("*.md"))
    assert sources
    for source in sources:
        plain, ours = both(source.read_text(encoding="utf-8"))
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
