"""mdtree.py: skipping attr_list and unescape for documents without their character changes no output."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from mdkit import both, stock

from broadsheet.markup.mdtree import GuardedAttrList, GuardedUnescape, guard_tree_processors


def test_the_tree_processors_of_the_installed_markdown_are_guarded() -> None:
    # Run on a fresh converter: a Markdown upgrade that changes their patterns leaves them unguarded.
    converter = stock()
    before = [type(processor) for processor in converter.treeprocessors]
    assert guard_tree_processors(converter) == ["attr_list", "unescape"]
    after = [type(processor).__mro__[1] if isinstance(processor, (GuardedAttrList, GuardedUnescape)) else type(processor)
             for processor in converter.treeprocessors]
    assert after == before  # each guard stands where the stock processor stood


def test_attribute_lists_still_apply() -> None:
    text = "## Title {: #t .wide }\n\nPara *em*{: .x }\n{: .para }\n\n- item\n{: .li }\n\n| a |\n|---|\n| b {: .cell } |\n"
    plain, ours = both(text)
    assert ours == plain
    assert 'id="t"' in ours and 'class="x"' in ours and 'class="para"' in ours


def test_a_single_attribute_list_anywhere_applies() -> None:
    for text, attribute in [("## Only {#t}\n", 'id="t"'), ("Para *em*{: .x }\n", 'class="x"'), ("- a\n- b\n{: .y}\n", 'class="y"')]:
        plain, ours = both(text)
        assert ours == plain
        assert attribute in ours, text


def test_escapes_are_still_restored_in_text_and_attributes() -> None:
    text = "\\*not em\\* [link](http://x.org/a\\_b \"t\\*\") ![i\\*](p\\_q.png)\n\n`code \\*`\n"
    plain, ours = both(text)
    assert ours == plain
    assert "*not em*" in ours and 'href="http://x.org/a_b"' in ours and 'title="t*"' in ours and 'src="p_q.png"' in ours


MARKUP = [
    "{", "}", "{:", "{: .c}", "{#id}", "{: #x .y k=v }", "{ .z }", "*a*", "`c`", "**b**", "[l](http://x.org)",
    "## ", "# ", "- ", "1. ", "Term\n: def\n", "| a |\n|---|\n| b ", "\n", "\n\n", " ", "  ", "word", "\\{",
    "&#123;", "&lbrace;", "<b>", "</b>", "<div markdown=\"1\">\n", "\n</div>\n", "    code {x}\n", "```\n{y}\n```\n",
    "> ", "\\*", "\\_", "\\`", "[a](http://x.org/\\_ \"\\*\")", "![\\*](p\\_.png)", "<http://x.org/\\_>", "[^1]", "\n\n[^1]: note {: .n}\n", "*[ABBR]: x\n", "ABBR", "#",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(MARKUP), max_size=30).map("".join))
def test_same_html_as_python_markdown_for_any_mix_of_attribute_lists_and_escapes(text: str) -> None:
    plain, ours = both(text)
    assert ours == plain
