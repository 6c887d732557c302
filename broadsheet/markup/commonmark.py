"""The CommonMark engine: pyromark (the pulldown-cmark parser), its HTML in Broadsheet's shape.

CommonMark with the GitHub extensions Hugo's and GitHub's writers use (tables, footnotes,
strikethrough, task lists), definition lists, and heading attributes (``## Title {#id .class}``,
as in Hugo). Raw HTML passes through as written. Smart punctuation is left off: quotes are
the shared stage's, per language (``smartquotes.py``).

The parser's HTML is then given what the rest of the pipeline, the theme and readers of the
other engine expect, so that nothing after this stage depends on the engine:

- heading ids, made as Python-Markdown's ``toc`` makes them (``slugify`` of the heading's text,
  footnote markers left out, ``_1``, ``_2`` for repeats, ids already in the document kept and
  reserved);
- footnotes as endnotes (pulldown-cmark leaves each definition where it was written) in
  Python-Markdown's markup: ``<sup id="fnref:x">`` markers, one ``<div class="footnote">`` list
  at the end with a link back from each note;
- tables one element a line with ``style="text-align: right;"``, void elements without the
  XHTML slash (``<br>``, ``<hr>``, ``<img ...>``) and an image's ``alt`` before its ``src``, as
  the other engine writes them (an HTML step that looks for ``<p><img alt=`` finds it in both).
"""

from __future__ import annotations

import html
import re

import pyromark

from broadsheet.model.slugs import slugify

_OPTIONS = (
    pyromark.Options.ENABLE_TABLES
    | pyromark.Options.ENABLE_FOOTNOTES
    | pyromark.Options.ENABLE_STRIKETHROUGH
    | pyromark.Options.ENABLE_TASKLISTS
    | pyromark.Options.ENABLE_DEFINITION_LIST
    | pyromark.Options.ENABLE_HEADING_ATTRIBUTES
)

_DEFINITION = re.compile(
    r'<div class="footnote-definition" id="([^"]*)"><sup class="footnote-definition-label">(\d+)</sup>\n?'
)
_DIV = re.compile(r"<(/?)div\b", re.IGNORECASE)
_REFERENCE = re.compile(r'<sup class="footnote-reference"><a href="#([^"]*)">(\d+)</a></sup>')
_TABLE_BREAK = re.compile(r"(<(?:table|thead|tbody|tr)>|</(?:th|td|tr|thead|tbody)>)(?!\n)")
_ALIGN = re.compile(r'style="text-align: (left|right|center)"')
_VOID = re.compile(r"<(img|hr|br|input)\b([^>]*?)\s*/>")
_IMAGE = re.compile(r'<img src="([^"]*)" alt="([^"]*)"')
_HEADING = re.compile(r"<h([1-6])((?:\s[^>]*)?)>(.*?)</h\1>", re.DOTALL)
_ID = re.compile(r' id="([^"]*)"')  # as the parser writes attributes: a literal prefix, searched fast
_FOOTNOTE_MARKER = re.compile(r'<sup id="fnref[^"]*">.*?</sup>', re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")
_COUNTED = re.compile(r"^(.*)_([0-9]+)$")


def version() -> str:
    """The parser's version, part of every content key: another version may write other HTML."""
    return f"pyromark {pyromark.__version__}"


def to_html(text: str) -> str:
    """``text`` (CommonMark) as an HTML fragment in Broadsheet's shape."""
    out = pyromark.html(text, options=_OPTIONS).rstrip("\n")
    if 'class="footnote-' in out:
        out = endnotes(out)
    if "<table>" in out:
        out = _ALIGN.sub(r'style="text-align: \1;"', _TABLE_BREAK.sub("\\1\n", out))
    if "/>" in out:
        out = _VOID.sub(r"<\1\2>", out)
    if "<img" in out:
        out = _IMAGE.sub(r'<img alt="\2" src="\1"', out)
    if "<h" in out:
        out = heading_ids(out)
    return out


def endnotes(out: str) -> str:
    """Footnote definitions moved to one list at the end, markers and notes in Python-Markdown's markup."""
    notes: dict[str, tuple[int, str]] = {}
    kept: list[str] = []
    pos = 0
    while (found := _DEFINITION.search(out, pos)) is not None:
        depth, scan, end, after = 1, found.end(), len(out), len(out)
        while depth and (div := _DIV.search(out, scan)) is not None:
            depth += -1 if div.group(1) else 1
            scan = out.find(">", div.end()) + 1 or len(out)
            if not depth:
                end, after = div.start(), scan + (out.startswith("\n", scan))
        kept.append(out[pos:found.start()])
        notes.setdefault(found.group(1), (int(found.group(2)), out[found.end():end].strip("\n")))
        pos = after
    kept.append(out[pos:])
    seen: dict[str, int] = {}

    def marker(match: re.Match[str]) -> str:
        label, number = match.group(1), match.group(2)
        seen[label] = seen.get(label, 0) + 1
        ref = "fnref" if seen[label] == 1 else f"fnref{seen[label]}"
        return f'<sup id="{ref}:{label}"><a class="footnote-ref" href="#fn:{label}">{number}</a></sup>'

    body = _REFERENCE.sub(marker, "".join(kept)).rstrip("\n")
    if not notes:
        return body
    items = []
    for label, (number, content) in sorted(notes.items(), key=lambda item: item[1][0]):
        if label in seen:
            back = (
                f'&#160;<a class="footnote-backref" href="#fnref:{label}" '
                f'title="Jump back to footnote {number} in the text">&#8617;</a>'
            )
            content = content[:-4] + back + "</p>" if content.endswith("</p>") else f"{content}\n<p>{back}</p>"
        items.append(f'<li id="fn:{label}">\n{content}\n</li>')
    return f'{body}\n<div class="footnote">\n<hr>\n<ol>\n' + "\n".join(items) + "\n</ol>\n</div>"


def _unique(name: str, used: set[str]) -> str:
    """``name``, or ``name_1``, ``name_2``... the first not in ``used`` (as Python-Markdown's ``toc``)."""
    while name in used:
        counted = _COUNTED.match(name)
        name = f"{counted.group(1)}_{int(counted.group(2)) + 1}" if counted else f"{name}_1"
    used.add(name)
    return name


def heading_ids(out: str) -> str:
    """Every heading without an id gets one from its text; ids already in ``out`` are reserved."""
    used = set(_ID.findall(out)) if ' id="' in out else set()

    def named(match: re.Match[str]) -> str:
        level, attributes, inner = match.groups()
        if ' id="' in attributes:
            return match.group()
        text = " ".join(html.unescape(_TAGS.sub("", _FOOTNOTE_MARKER.sub("", inner))).split())
        return f'<h{level}{attributes} id="{_unique(slugify(text), used)}">{inner}</h{level}>'

    return _HEADING.sub(named, out)
