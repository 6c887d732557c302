"""Markdown stage: an Article's body becomes HTML, a summary and a reading time.

The site's engine (``engines.py``: Python-Markdown, below, or CommonMark) converts the Markdown;
everything after it is shared by both: the ``BODY_STEPS`` every converted fragment goes through,
smart quotes by language, shortcodes, the summary and reading statistics.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

from broadsheet.errors import BuildFailed, SiteError
from broadsheet.markup.engines import engine
from broadsheet.markup.figures import lone_images
from broadsheet.markup.shortcodes import Shortcodes, has_shortcodes, liquid_warnings
from broadsheet.markup.smartquotes import quotes_for, smarten, typeset
from broadsheet.model.content import Article
from broadsheet.model.rendered import Rendered
from broadsheet.model.slugs import slugify

if TYPE_CHECKING:
    import markdown as md
    from markdown.extensions import Extension

MORE = re.compile(r"^[ \t]*<!--\s*more\s*-->[ \t]*$", re.MULTILINE | re.IGNORECASE)
_MORE_HTML = re.compile(r"<!--\s*more\s*-->", re.IGNORECASE)
_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)
# A summary stands apart from the body's footnotes: its markers would point nowhere.
_FOOTNOTE_REF = re.compile(r'<sup id="fnref[^"]*">.*?</sup>', re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")
# Tags that separate words; inline ones (<em>, <a>) must not split "para</em>." into "para .".
_BLOCK_TAGS = re.compile(
    r"</?(?:p|div|h[1-6]|li|ul|ol|dl|dt|dd|table|thead|tbody|tr|td|th|blockquote|pre|br|hr|figure|figcaption)\b[^>]*>",
    re.IGNORECASE,
)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
# The same words in ASCII text (where Unicode and ASCII word characters agree), found faster.
_ASCII_WORD = re.compile(_WORD.pattern, re.ASCII)

# Words a minute for alphabetic text, characters a minute for CJK text.
WORDS_PER_MINUTE = 230
CJK_CHARS_PER_MINUTE = 500

def _heading_slug(value: str, separator: str) -> str:
    return slugify(value)


def extensions() -> list[Extension]:
    """Broadsheet's Python-Markdown extensions, new for each converter (some keep per-document state).

    Given by name instead, Python-Markdown would look each one up among the
    installed packages' entry points, a fifth of a converter's start-up. They
    are imported here, by the process that converts, not by every process
    that only reads this module's data (a rebuild's parent reads the snapshot).
    """
    from markdown.extensions.abbr import AbbrExtension
    from markdown.extensions.attr_list import AttrListExtension
    from markdown.extensions.def_list import DefListExtension
    from markdown.extensions.fenced_code import FencedCodeExtension
    from markdown.extensions.footnotes import FootnoteExtension
    from markdown.extensions.md_in_html import MarkdownInHtmlExtension
    from markdown.extensions.sane_lists import SaneListExtension
    from markdown.extensions.tables import TableExtension
    from markdown.extensions.toc import TocExtension

    return [
        TableExtension(), FootnoteExtension(), FencedCodeExtension(),
        TocExtension(slugify=_heading_slug, toc_depth="2-4"), AttrListExtension(), AbbrExtension(),
        DefListExtension(), SaneListExtension(), MarkdownInHtmlExtension(),
    ]


@cache
def _converter() -> md.Markdown:
    # The tuning modules load with the first converter, not with this module: a rebuild that
    # renders no Markdown (nothing changed), or renders it with the CommonMark engine, never needs them.
    import markdown as md

    from broadsheet.markup.mdblock import filter_block_tests
    from broadsheet.markup.mdfigures import use_figures
    from broadsheet.markup.mdheadings import use_heading_ids
    from broadsheet.markup.mdinline import filter_inline_patterns
    from broadsheet.markup.mdtree import guard_tree_processors

    converter = md.Markdown(extensions=extensions(), output_format="html")
    filter_inline_patterns(converter)
    filter_block_tests(converter.parser)
    use_heading_ids(converter)
    guard_tree_processors(converter)
    use_figures(converter)
    return converter


def python_markdown(text: str) -> str:
    """The Python-Markdown engine: ``text`` as an HTML fragment."""
    converter = _converter()
    converter.reset()
    try:
        return converter.convert(text)
    except BaseException:
        _converter.cache_clear()  # a converter stopped half-way keeps parser state: never reuse it
        raise


# HTML → HTML steps every converted fragment goes through, whichever engine converted it, in order,
# before smart quotes. A step sees the engine's output (headings with ids, footnotes in
# Python-Markdown's markup), not the HTML of shortcodes, which is put in after.
BODY_STEPS: list[Callable[[str], str]] = [lone_images]


@cache
def _engine(name: str) -> Callable[[str], str]:
    return engine(name).load()


def to_html(text: str, language: str, markdown: str = "python-markdown") -> str:
    """``text`` converted by the engine named ``markdown``, then through the shared steps."""
    html = _engine(markdown)(text)
    for step in BODY_STEPS:
        html = step(html)
    quotes = quotes_for(language)
    return html if quotes is None else smarten(html, quotes)


def _text(fragment: str) -> str:
    """The text of ``fragment``, block tags turned into spaces, whitespace as it comes."""
    return html.unescape(_TAGS.sub("", _BLOCK_TAGS.sub(" ", fragment)))


def plain_text(fragment: str) -> str:
    return " ".join(_text(fragment).split())


# ASCII text: every character that is no letter or digit becomes a space, so that the runs of
# letters and digits are what ``split`` finds; a joiner between two of them makes them one word.
_ASCII_SEPARATORS = {code: " " for code in range(128) if not chr(code).isalnum()}
_ASCII_JOINER = re.compile(r"(?<=[A-Za-z0-9])['-](?=[A-Za-z0-9])")


def _ascii_words(text: str) -> int:
    """How many ``_ASCII_WORD`` matches ``text`` holds, counted without making them (2.5x faster)."""
    runs = len(text.translate(_ASCII_SEPARATORS).split())
    return runs - len(_ASCII_JOINER.findall(text)) if "-" in text or "'" in text else runs


# Typographic punctuation smart quotes put in otherwise ASCII text, as ASCII that splits words the
# same way: the curly apostrophe joins like ``'``, the rest separate words like a space.
_TYPOGRAPHIC = (("’", "'"), *((mark, " ") for mark in "‘“”„‚«»‹›–—…\u00a0"))


def _plain_typography(text: str) -> str:
    for mark, plain in _TYPOGRAPHIC:
        if mark in text:  # a search is much cheaper than str.translate's lookup of every character
            text = text.replace(mark, plain)
    return text


def reading_stats(text: str) -> tuple[int, int]:
    """Return (words, minutes), counting each CJK character as a word-like unit."""
    if not text.isascii():
        plain = _plain_typography(text)
        if plain.isascii():
            text = plain
    if text.isascii():
        cjk, words = 0, _ascii_words(text)
    else:
        cjk = len(_CJK.findall(text))
        words = len(_WORD.findall(_CJK.sub(" ", text) if cjk else text))
    minutes = words / WORDS_PER_MINUTE + cjk / CJK_CHARS_PER_MINUTE
    return words + cjk, max(1, round(minutes))


def _body(article: Article, language: str, shortcodes: Shortcodes | None, markdown: str) -> str:
    """The body as HTML; with ``shortcodes``, Hugo shortcodes are rendered around the conversion."""
    if shortcodes is None or not has_shortcodes(article.body):
        return to_html(article.body, language, markdown)
    return shortcodes.render(article, lambda text: to_html(text, language, markdown))


def render_article(
    article: Article, site_language: str, shortcodes: Shortcodes | None = None, markdown: str = "python-markdown",
) -> Rendered:
    """``shortcodes`` (the site's templates) turns on Hugo shortcodes and the Liquid warnings.

    ``markdown`` names the engine (the ``markdown`` setting).
    """
    language = article.lang or site_language
    try:
        body_html = _body(article, language, shortcodes, markdown)
    except RecursionError:
        raise BuildFailed([SiteError(article.source, "the Markdown is nested too deeply to render (lists or quotes hundreds of levels deep)")]) from None
    if article.summary:
        summary_html = typeset(article.summary, language)
    elif MORE.search(article.body) and _MORE_HTML.search(body_html):
        summary_html = _FOOTNOTE_REF.sub("", _MORE_HTML.split(body_html, maxsplit=1)[0]).strip()
    else:
        first = _FIRST_PARAGRAPH.search(body_html)
        summary_html = _FOOTNOTE_REF.sub("", f"<p>{first.group(1)}</p>") if first else ""
    # Words never hold whitespace, so the count needs no whitespace collapsed first.
    words, minutes = reading_stats(_text(body_html))
    return Rendered(
        html=body_html,
        summary_html=summary_html,
        summary_text=article.summary or plain_text(summary_html),
        reading_minutes=minutes,
        word_count=words,
        warnings=tuple(liquid_warnings(article)) if shortcodes is not None else (),
    )
