"""Wire copy (plain text from news agencies) read into front matter and a Markdown body.

The format, one element per line (blank lines and surrounding spaces do not matter;
line numbers in errors count every line of the file):

1. The headline: the first non-blank line.
2. The header line, e.g. ``Author:Huaxia Times Time:2022.07.23``; see ``wireheader``
   for its fields and variants. ``Author`` becomes ``authors`` (the byline, unless a
   dateline names the reporter, see below), ``Source`` becomes ``source`` and ``Time``
   becomes ``date`` in the site time zone: with the time of day when one is given, a plain
   date otherwise, and ``None`` when the header has no time (the caller chooses a date).
3. Optionally, in either order right after the header:
   - a photo caption: a whole line in parentheses, ASCII ``(...)`` or full width
     ``（…）``; kept as ``image_caption`` (shown under the photo once an ``image`` is
     added). The summary is left to the lede: a caption describes a picture, not the story.
   - a dateline naming the reporter, e.g. ``China Times (chinatimes.net.cn) reporter Lu Xiao
     Hangzhou report`` or ``华夏时报（chinatimes.net.cn）记者 陆晓 杭州报道``; kept verbatim as
     ``credit_line``. When the words between "reporter"/"记者" and "report"/"报道" are two or
     more, the last is taken as the place, written as the article's ``dateline`` (the theme
     shows it before the date, as newspapers do), and the rest are the reporters: they become
     ``authors`` (the byline), and the header's ``Source`` (else its ``Author``, which then
     names the outlet) becomes ``source``, the credit shown after the byline.
4. The body, up to a line ``- END -`` (any dashes, any case; required). Every line is a
   paragraph, except:
   - editor credits, lines starting with a role and a colon (``Editor:``, ``Responsible
     editor:``, ``Chief editor:``, ``Editor-in-chief:``, ``Proofreader:``, ``责任编辑：``,
     ``编辑：``, ``主编：``, ``审核：``, ``校对：``, optionally in parentheses). Their names, with
     the role words removed, become the ``editors`` list; they are not body text.
   - sub-headings: a short line (at most 10 words, or 20 characters of Chinese text) without
     sentence-ending punctuation, not in parentheses, that follows a paragraph and is
     followed by more body text. It becomes a ``## `` heading.
5. Everything after ``- END -`` (teasers for other stories) is dropped.

Body text is escaped so that it renders as written, never as Markdown markup. A story
written mostly in Chinese characters gets ``lang: zh``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from broadsheet.authoring.mdescape import escape_markdown
from broadsheet.authoring.wireheader import HeaderError, is_header, parse_header
from broadsheet.errors import BuildFailed, SiteError

_END = re.compile(r"^[-—–_=*\s]*END[-—–_=*\s]*$", re.IGNORECASE)
_ROLE = (
    r"(?:\b(?:responsible\s+editor|chief\s+editor|executive\s+editor|copy\s+editor"
    r"|editor[\s-]*in[\s-]*chief|editors?|proofreader|reviewer)\b"
    r"|责任编辑|执行编辑|编辑|主编|审核|校对|终审|编审)"
)
_CREDIT = re.compile(rf"^{_ROLE}\s*:", re.IGNORECASE)
_ROLE_ANYWHERE = re.compile(_ROLE, re.IGNORECASE)
_CREDIT_SPLIT = re.compile(r"[:,;/|、]")
_CAPTION = re.compile(r"^[(（](.*)[)）]$")
_CREDIT_LINE = (
    re.compile(r"^.*?\breporters?\s+(?P<rest>.+?)\s+report(?:s|ed|ing)?$", re.IGNORECASE),
    re.compile(r"^.*?记者\s*(?P<rest>.+?)\s*报道$"),
)
_REPORTER_SPLIT = re.compile(r"\s*(?:[,，、;；/&]|\band\b|和|与)\s*")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
_SENTENCE_END = set(".!?。！？…;；:：,，、")
_CLOSERS = "\"'”’」』)）]】》"
_OPENERS = "(（[【《"


@dataclass(frozen=True, slots=True)
class _Line:
    number: int
    text: str


def parse_wire_copy(text: str, name: str, zone: ZoneInfo) -> tuple[dict[str, Any], str]:
    """Return (front matter, Markdown body); raise ``BuildFailed`` listing every problem.

    ``name`` is used in error messages; dates are read in ``zone``.
    """
    lines = _lines(text)
    if not lines:
        raise BuildFailed([SiteError(name, "file is empty; wire copy starts with a headline")])
    errors: list[SiteError] = []
    headline, rest = lines[0], lines[1:]
    if is_header(headline.text):
        raise BuildFailed([SiteError(name, "the file starts with the header line; put the headline above it", headline.number)])
    if not rest or not is_header(rest[0].text):
        where = rest[0].number if rest else headline.number
        raise BuildFailed([SiteError(name, "expected a header line such as 'Author: NAME Time: 2022.07.23' after the headline", where)])
    meta: dict[str, Any] = {"title": " ".join(headline.text.split()), "date": None}
    try:
        header = parse_header(rest[0].text, zone)
    except HeaderError as exc:
        errors.append(SiteError(name, str(exc), rest[0].number))
    else:
        meta["date"] = header.date
        if header.authors:
            meta["authors"] = list(header.authors)
        if header.source:
            meta["source"] = header.source
    rest = rest[1:]
    preamble, rest = _preamble(rest)
    meta.update(preamble)
    reporters = _names(meta.pop("reporter", ""))
    if reporters:  # the byline is the reporter the copy names; the Author field's outlet is the credit
        outlet = meta.get("source") or ", ".join(meta.get("authors", ()))
        meta["authors"] = reporters
        if outlet:
            meta["source"] = outlet
    story, editors, end = _story(rest, name, errors)
    if end is None:
        last = lines[-1].number
        errors.append(SiteError(name, "no '- END -' line: cannot tell where the story stops", last))
    elif not story:
        errors.append(SiteError(name, "no story text before '- END -'", end))
    if editors:
        meta["editors"] = editors
    if errors:
        raise BuildFailed(errors)
    if _mostly_chinese(" ".join(line.text for line in story)):
        meta["lang"] = "zh"
    return meta, _markdown(story)


def _lines(text: str) -> list[_Line]:
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return [
        _Line(number, re.sub(r"[ \t]+", " ", line.strip()))
        for number, line in enumerate(text.split("\n"), start=1)
        if line.strip()
    ]


def _preamble(lines: list[_Line]) -> tuple[dict[str, str], list[_Line]]:
    """Take a caption and a dateline (each optional, either order) off the front of the story."""
    found: dict[str, str] = {}
    while lines:
        text = lines[0].text
        caption = _CAPTION.match(text)
        if caption and caption.group(1).strip() and "image_caption" not in found and _credit_names(text) is None:
            found["image_caption"] = caption.group(1).strip()
        elif "credit_line" not in found and (credit := _credit_line(text)) is not None:
            found["credit_line"] = text
            reporter, place = credit
            if reporter:
                found["reporter"] = reporter
            if place:
                found["dateline"] = place
        else:
            break
        lines = lines[1:]
    return found, lines


def _names(text: str) -> list[str]:
    """The reporters in a credit line's name part: ``Lu Xiao and Chen Jing``, ``陆晓 陈静``."""
    parts = _REPORTER_SPLIT.split(text)
    if _HAN.search(text) and not _LATIN.search(text):
        parts = [name for part in parts for name in part.split()]  # Chinese names hold no spaces
    return list(dict.fromkeys(" ".join(part.split()) for part in parts if part.strip()))


def _credit_line(text: str) -> tuple[str, str] | None:
    """(reporter, place) from a reporter's credit line ('' for what cannot be told apart), or None."""
    if len(text.split()) > 25 or text[-1] in _SENTENCE_END:
        return None
    for pattern in _CREDIT_LINE:
        match = pattern.match(text)
        if match:
            words = match.group("rest").split()
            return (" ".join(words[:-1]), words[-1]) if len(words) > 1 else ("", "")
    return None


def _story(lines: list[_Line], name: str, errors: list[SiteError]) -> tuple[list[_Line], list[str], int | None]:
    """Split the lines before '- END -' into body lines and editor names; return END's line."""
    body: list[_Line] = []
    editors: list[str] = []
    for line in lines:
        if _END.match(unicodedata.normalize("NFKC", line.text)):
            return body, editors, line.number
        names = _credit_names(line.text)
        if names is None:
            body.append(line)
        elif not names:
            errors.append(SiteError(name, "editor credit names nobody", line.number))
        else:
            editors.extend(n for n in dict.fromkeys(names) if n not in editors)
    return body, editors, None


def _credit_names(text: str) -> list[str] | None:
    """Names in an editor credit line, or None if the line is not a credit."""
    inner = unicodedata.normalize("NFKC", text)
    if inner[:1] in "([【" and inner[-1:] in ")]】":
        inner = inner[1:-1].strip()
    if not _CREDIT.match(inner):
        return None
    names: list[str] = []
    for part in _CREDIT_SPLIT.split(_ROLE_ANYWHERE.sub(":", inner)):
        words = part.split()
        if _LATIN.search(part):
            names.append(" ".join(words))
        else:
            names.extend(words)  # Chinese names contain no spaces
    return names


def _is_subheading(text: str) -> bool:
    core = text.rstrip(_CLOSERS)
    if not core or core[-1] in _SENTENCE_END or text[0] in _OPENERS:
        return False
    if _HAN.search(text):
        return len("".join(text.split())) <= 20
    return len(text.split()) <= 10 and len(text) <= 80


def _markdown(story: list[_Line]) -> str:
    blocks: list[str] = []
    previous_heading = True
    for index, line in enumerate(story):
        heading = not previous_heading and index < len(story) - 1 and _is_subheading(line.text)
        blocks.append(("## " if heading else "") + escape_markdown(line.text))
        previous_heading = heading
    return "\n\n".join(blocks) + "\n"


def _mostly_chinese(text: str) -> bool:
    return len(_HAN.findall(text)) > len(_LATIN.findall(text))

