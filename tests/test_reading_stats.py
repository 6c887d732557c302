"""markdown.reading_stats: the ASCII and no-CJK shortcuts count exactly what the plain two-pass count does."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from broadsheet.markup.markdown import (
    _ASCII_WORD,
    CJK_CHARS_PER_MINUTE,
    WORDS_PER_MINUTE,
    _ascii_words,
    _text,
    reading_stats,
    to_html,
)

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def reference(text: str) -> tuple[int, int]:
    cjk = len(_CJK.findall(text))
    words = len(_WORD.findall(_CJK.sub(" ", text)))
    minutes = words / WORDS_PER_MINUTE + cjk / CJK_CHARS_PER_MINUTE
    return words + cjk, max(1, round(minutes))


# Pieces that sit on the edges of the word pattern: joiners, underscores, digits, letters of every kind.
PIECES = ["a", "Z", "9", "_", "'", "’", "-", "--", " ", "\n", "word", "don't", "e-mail", "新闻", "ア", "・", "한",
          "é", "ß", "Ж", "٣", "²", "ﬁ", "\u00a0", "“", "…", "&", "x_y"]


@settings(max_examples=500, deadline=None)
@given(st.text(st.characters(max_codepoint=127)))
def test_ascii_text(text: str) -> None:
    assert reading_stats(text) == reference(text)


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_any_text(text: str) -> None:
    assert reading_stats(text) == reference(text)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=3), max_size=40).map("".join))
def test_word_edges(text: str) -> None:
    assert reading_stats(text) == reference(text)


def test_every_ascii_character_is_a_word_character_alike_in_both_modes() -> None:
    # The ASCII shortcut relies on this: one character at a time, between two letters and alone.
    for code in range(128):
        char = chr(code)
        for text in (char, f"a{char}b", f"{char}{char}"):
            assert reading_stats(text) == reference(text), repr(text)


WHITESPACE = [" ", "  ", "\n", "\t", "\r", "\x0b", "\x0c", "\x1c", "\x1f", "\x85", "\u00a0", "\u2003", "\u2028", "\u3000"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES + WHITESPACE) | st.text(max_size=3), max_size=40).map("".join))
def test_collapsing_whitespace_changes_no_count(text: str) -> None:
    # render_article counts the body's text before plain_text would collapse its whitespace.
    assert reading_stats(text) == reading_stats(" ".join(text.split()))


ARTICLE = """Lede with a [link](https://example.org/) and **bold** text, don't you think?

## A heading

| item | value |
|---|---:|
| ships | 12 |

> "A quote," she said.

- one
- two

新闻发布会 and a note[^n].

[^n]: The note's text.
"""


def test_both_engines_count_the_same_words(markdown_engine: str) -> None:
    """The count runs on the finished HTML, so an article reads as long with either engine."""
    html = to_html(ARTICLE, "en", markdown_engine)
    assert reading_stats(_text(html)) == reading_stats(_text(to_html(ARTICLE, "en"))) == (28 + 5, 1)  # 28 words (the marker "1" among them), 5 CJK characters


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(["a", "Z", "9", "_", "'", "-", " ", "\n", ".", "x-y", "don't", "--", "''"]), max_size=30).map("".join)
       | st.text(st.characters(max_codepoint=127)))
def test_ascii_words_counts_what_the_word_pattern_finds(text: str) -> None:
    assert _ascii_words(text) == len(_ASCII_WORD.findall(text))
