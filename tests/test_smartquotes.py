"""smartquotes.py: visiting only the runs of text that can change gives what visiting every run gives."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadsheet.markup.markdown import to_html
from broadsheet.markup.smartquotes import _SEGMENTS, ENGLISH, _smarten_all, smarten
from broadsheet.markup.smartquotes import QUOTES as _QUOTES


def reference(html: str, quotes: Mapping[str, str] | None = None) -> str:
    """Every run of text in turn: the walk smarten keeps for documents with verbatim tags."""
    return _smarten_all(_SEGMENTS.split(html), {**ENGLISH, **(quotes or {})})


TAGS = ["<p>", "</p>", "<em>", "</em>", "<a href=\"it's\">", "</a>", "<h2 id=\"x\">", "</h2>", "<br />", "<li>",
        "<BLOCKQUOTE>", "<sup id=\"fnref:1\">", "</sup>", "<!-- c -->", "<span>", "<td>", "<pre>", "</pre>",
        "<code>", "</code>", "</CODE>", "<kbd>", "<textarea>", "<script>", "</style>", "<prefix>", "<codex>"]
TEXT = ['"', "'", "--", "---", "-", ".", "...", "....", " ", "\n", "\t", "(", "[", "a", "Z", "9", "don't", "é",
        "\u2014", "/", ",", "!", "<", ">", "&amp;", "x", "‘"]
QUOTE_TABLES = [None, *(_QUOTES[language] for language in ("en", "fr", "de", "es"))]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(TAGS) | st.sampled_from(TEXT) | st.text(max_size=3), max_size=40).map("".join),
       st.sampled_from(QUOTE_TABLES))
def test_same_as_visiting_every_run(html: str, quotes: Mapping[str, str] | None) -> None:
    assert smarten(html, quotes) == reference(html, quotes)


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(["<p>", "</p>", "<em>", "</em>", "<code>", "</code>", "--", "...", '"', "'", "a", " ", "-"]),
                max_size=12).map("".join))
def test_same_as_visiting_every_run_short_documents(html: str) -> None:
    # Few pieces, so that a quote meets every neighbour: a dash, a tag, another run's quote.
    assert smarten(html) == reference(html)


@pytest.mark.parametrize("html", [
    "<p>He said \"go\".</p>",
    "<p>It's <em>hers</em>' -- \"fine\"...</p><p>'Tis</p>",
    "<p>x</p>\"<em>a</em>\"",
    "</code><p>'a'</p>",
    "x</code>'a",
    "<p>a</PRE>'b'</p>",
    "<p>before <code>'x'</code> 'after'</p>",
    "<p>'</p>",
    "<p>a--<em>\"x\"</em></p>",
    "<p>wait...<em>'so'</em> 'a'-- 'b'</p>",
])
def test_examples_with_and_without_verbatim_tags(html: str) -> None:
    for quotes in QUOTE_TABLES:
        assert smarten(html, quotes) == reference(html, quotes)


def test_text_without_quotes_dashes_or_ellipses_is_returned_as_is() -> None:
    html = "<p>Plain <em>prose</em> with <a href=\"a'b\">links</a>.</p>\n<h2 id=\"x--y\">Heading</h2>"
    assert smarten(html) == html == reference(html)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "<p>&ldquo;Yes,&rdquo; she said &ndash; <em>&lsquo;twice&rsquo;</em>&hellip;</p>"),
        ("de", "<p>&bdquo;Yes,&ldquo; she said &ndash; <em>&sbquo;twice&lsquo;</em>&hellip;</p>"),
        ("fr", "<p>&laquo;&#160;Yes,&#160;&raquo; she said &ndash; <em>&lsaquo;twice&rsaquo;</em>&hellip;</p>"),
        ("zh", "<p>\"Yes,\" she said -- <em>'twice'</em>...</p>"),
    ],
)
def test_each_engine_gets_the_quotes_of_the_language(markdown_engine: str, language: str, expected: str) -> None:
    """Quotes are applied after the Markdown engine, the same way whichever engine converted; code stays as written."""
    assert to_html("\"Yes,\" she said -- *'twice'*...\n", language, markdown_engine) == expected
    assert to_html("`\"as is\" -- ...`\n", language, markdown_engine) == '<p><code>"as is" -- ...</code></p>'
