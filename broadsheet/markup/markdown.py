"""Markdown stage: an Article's body becomes HTML, a summary and a reading time."""

from __future__ import annotations

import html
import re
from functools import cache

import markdown as md
from markdown.extensions import Extension
from markupsafe import escape

from broadsheet.errors import BuildFailed, SiteError
from broadsheet.markup.shortcodes import Shortcodes, has_shortcodes, liquid_warnings
from broadsheet.markup.smartquotes import smarten
from broadsheet.model.content import Article
from broadsheet.model.rendered import Rendered
from broadsheet.model.slugs import slugify

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

# Quote styles by primary language; languages not listed get no smart quotes.
_QUOTES: dict[str, dict[str, str]] = {
    "en": {},
    "nl": {},
    "es": {"left-double-quote": "&laquo;", "right-double-quote": "&raquo;"},
    "fr": {
        "left-double-quote": "&laquo;&#160;", "right-double-quote": "&#160;&raquo;",
        "left-single-quote": "&lsaquo;", "right-single-quote": "&rsaquo;",
    },
    "de": {
        "left-double-quote": "&bdquo;", "right-double-quote": "&ldquo;",
        "left-single-quote": "&sbquo;", "right-single-quote": "&lsquo;",
    },
    "it": {"left-double-quote": "&laquo;", "right-double-quote": "&raquo;"},
    "pt": {"left-double-quote": "&laquo;", "right-double-quote": "&raquo;"},
}


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
    # renders no Markdown (nothing changed) never needs them.
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


def to_html(text: str, language: str) -> str:
    converter = _converter()
    converter.reset()
    try:
        html = converter.convert(text)
    except BaseException:
        _converter.cache_clear()  # a converter stopped half-way keeps parser state: never reuse it
        raise
    quotes = _QUOTES.get(language.split("-")[0].lower())
    return html if quotes is None else smarten(html, quotes)


def _text(fragment: str) -> str:
    """The text of ``fragment``, block tags turned into spaces, whitespace as it comes."""
    return html.unescape(_TAGS.sub("", _BLOCK_TAGS.sub(" ", fragment)))


def plain_text(fragment: str) -> str:
    return " ".join(_text(fragment).split())


def reading_stats(text: str) -> tuple[int, int]:
    """Return (words, minutes), counting each CJK character as a word-like unit."""
    if text.isascii():
        cjk, words = 0, len(_ASCII_WORD.findall(text))
    else:
        cjk = len(_CJK.findall(text))
        words = len(_WORD.findall(_CJK.sub(" ", text) if cjk else text))
    minutes = words / WORDS_PER_MINUTE + cjk / CJK_CHARS_PER_MINUTE
    return words + cjk, max(1, round(minutes))


def _body(article: Article, language: str, shortcodes: Shortcodes | None = None) -> str:
    """The body as HTML; with ``shortcodes``, Hugo shortcodes are rendered around the conversion."""
    if shortcodes is None or not has_shortcodes(article.body):
        return to_html(article.body, language)
    return shortcodes.render(article, lambda text: to_html(text, language))


def render_article(article: Article, site_language: str, shortcodes: Shortcodes | None = None) -> Rendered:
    """``shortcodes`` (the site's templates) turns on Hugo shortcodes and the Liquid warnings."""
    language = article.lang or site_language
    try:
        body_html = _body(article, language, shortcodes)
    except RecursionError:
        raise BuildFailed([SiteError(article.source, "the Markdown is nested too deeply to render (lists or quotes hundreds of levels deep)")]) from None
    if article.summary:
        summary_html = str(escape(article.summary))
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
