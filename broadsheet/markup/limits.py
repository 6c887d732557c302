"""Limits that keep one article from stalling a build: pathological nesting found before rendering, and a time budget.

Python-Markdown's inline patterns take time quadratic in the number of
unclosed ``[`` in one paragraph (50,000 take minutes), and its block parser
recurses once per level of list or quote nesting. ``precheck`` refuses such
bodies at once, naming the line; ``time_budget`` stops whatever else takes too
long, with SIGALRM, where signals can be used (a process's main thread: the
command line and every pool worker); elsewhere (the preview server's threads)
the pre-check alone applies.
"""

from __future__ import annotations

import contextlib
import re
import signal
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING

from broadsheet.errors import BuildFailed, SiteError
from broadsheet.model.config import Settings
from broadsheet.model.content import Article
from broadsheet.model.fieldreader import front_matter_line

if TYPE_CHECKING:
    from broadsheet.markup.shortcodes import Shortcodes
    from broadsheet.model.rendered import Rendered

MAX_BRACKETS = 1000  # "[" in one paragraph
MAX_DEPTH = 100  # levels of list or quote nesting
_INDENT_PER_LEVEL = 2  # the least indentation a nested list item can have
_LIST_ITEM = re.compile(r"^([ \t]*)((?:(?:[-*+]|\d{1,9}[.)])[ \t]+)+)")  # "- - - x" is a list in a list in a list
_MARKER = re.compile(r"[-*+]|\d{1,9}[.)]")
_QUOTE = re.compile(r"^[ \t]*((?:>[ \t]*)+)")


def precheck(body: str, source: str, first_line: int = 1) -> None:
    """Raise ``BuildFailed`` naming the line if ``body`` is nested or bracketed past what renders in time."""
    brackets = 0
    start = first_line
    for number, line in enumerate(body.split("\n"), start=first_line):
        if not line.strip():
            brackets, start = 0, number + 1
            continue
        brackets += line.count("[")
        if brackets > MAX_BRACKETS:
            raise BuildFailed([SiteError(source, f"a paragraph has more than {MAX_BRACKETS} '[' (from line {start}); split it or escape them as \\[", number)])
        item = _LIST_ITEM.match(line)
        if item and len(item.group(1).expandtabs(4)) // _INDENT_PER_LEVEL + len(_MARKER.findall(item.group(2))) > MAX_DEPTH:
            raise BuildFailed([SiteError(source, f"a list is nested more than {MAX_DEPTH} levels deep", number)])
        quote = _QUOTE.match(line)
        if quote and quote.group(1).count(">") > MAX_DEPTH:
            raise BuildFailed([SiteError(source, f"a quote is nested more than {MAX_DEPTH} levels deep", number)])


class _OutOfTime(BaseException):  # not an Exception: no "except Exception" on the way swallows it
    pass


@contextlib.contextmanager
def time_budget(seconds: float, source: str) -> Iterator[None]:
    """Raise ``BuildFailed`` naming ``source`` if the block runs longer than ``seconds`` (main thread only)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(_signum: int, _frame: object) -> None:
        raise _OutOfTime

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _OutOfTime:
        raise BuildFailed([SiteError(source, f"the Markdown took more than {seconds:g} s to render (markdown_seconds in site.toml); simplify the file")]) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def check_tags(article: Article, max_tags: int, raw: bytes | None = None) -> None:
    """Raise ``BuildFailed`` if the article has more than ``max_tags`` tags, naming the line of its tags."""
    if len(article.tags) <= max_tags:
        return
    line = front_matter_line(raw, "tags", "categories") if raw is not None else None
    raise BuildFailed([SiteError(article.source, f"{len(article.tags)} tags; the limit is {max_tags} (max_tags in site.toml)", line)])


def render_checked(article: Article, settings: Settings, shortcodes: Shortcodes | None, raw: bytes | None = None) -> Rendered:
    """``render_article`` within the site's limits: tags, nesting, and the time budget."""
    from broadsheet.markup.markdown import render_article

    check_tags(article, settings.max_tags, raw)
    precheck(article.body, article.source, article.body_line)
    with time_budget(settings.markdown_seconds, article.source):
        return render_article(article, settings.language, shortcodes, settings.markdown)


def too_big(size: int, settings: Settings) -> str | None:
    """The error for an article file of ``size`` bytes, or None if it is within ``max_article_kb``."""
    if size <= settings.max_article_kb * 1024:
        return None
    return f"file is {size / 1024:,.0f} KiB; the limit is {settings.max_article_kb:,} KiB (max_article_kb in site.toml)"
