"""The header line of wire copy: ``Author:Huaxia Times Time:2022.07.23`` and its variants.

Fields are ``Key: value`` pairs on one line, in any order, separated by spaces
(or ``|``, ``,``, ``;``). The colon may be ASCII or full width (``：``); the
line is NFKC-normalised first, so full-width letters, digits and spaces work too.

Known keys (case does not matter):

- ``Author`` / ``Authors`` / ``By`` / ``作者`` -- the byline; several names may be
  separated by ``,`` ``、`` ``;`` ``/`` ``&`` or `` and ``.
- ``Source`` / ``来源`` -- the publication or agency the copy came from.
- ``Time`` / ``Date`` / ``时间`` / ``日期`` / ``发布时间`` -- ``2022.07.23``,
  ``2023-06-18 14:30``, ``2023/6/18 14:30:05`` or ``2023年6月18日 14:30``; read in the
  site time zone. Optional.

A header needs ``Author`` or ``Source``. Unknown keys, repeated keys, empty values and
dates that cannot be read are errors.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from zoneinfo import ZoneInfo

_KEYS = {
    "author": "author", "authors": "author", "by": "author", "作者": "author",
    "source": "source", "来源": "source",
    "time": "time", "date": "time", "时间": "time", "日期": "time", "发布时间": "time",
}
_LATIN_KEYS = "|".join(k for k in _KEYS if k.isascii())
_CJK_KEYS = "|".join(sorted((k for k in _KEYS if not k.isascii()), key=len, reverse=True))
_FIELD = re.compile(rf"(?:\b(?P<latin>{_LATIN_KEYS})|(?P<cjk>{_CJK_KEYS}))\s*:", re.IGNORECASE)
_SEPARATORS = " \t|,;/"
_UNKNOWN_KEY = re.compile(r"(?:^|\s)([^\W\d_][^\s:]{0,20})\s*:(?!//)")
_NAME_SPLIT = re.compile(r"\s*(?:[,，、;；/&]|\band\b)\s*")
_TIME = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[\sT]*(\d{1,2}):(\d{2})(?::(\d{2}))?)?$"
)


class HeaderError(ValueError):
    """The line is a header line, but one of its fields is wrong."""


@dataclass(frozen=True, slots=True)
class Header:
    authors: tuple[str, ...]
    source: str | None
    date: dt.date | dt.datetime | None


def is_header(line: str) -> bool:
    """True if ``line`` starts with a known ``Key:`` field."""
    text = _normal(line)
    match = _FIELD.search(text)
    return bool(match) and not text[: match.start()].strip(_SEPARATORS)


def parse_header(line: str, zone: ZoneInfo) -> Header:
    """Read a header line (check ``is_header`` first); raise ``HeaderError`` naming the problem."""
    text = _normal(line)
    matches = list(_FIELD.finditer(text))
    values: dict[str, str] = {}
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        label = match.group("latin") or match.group("cjk")
        key = _KEYS[label.lower()]
        end = following.start() if following else len(text)
        value = text[match.end() : end].strip(_SEPARATORS)
        if key in values:
            raise HeaderError(f"the header has two '{key.capitalize()}' fields")
        if not value:
            raise HeaderError(f"the header field '{label}' is empty")
        if key != "time" and (unknown := _UNKNOWN_KEY.search(value)):
            raise HeaderError(
                f"unknown header field '{unknown.group(1)}'; use Author, Source and Time"
            )
        values[key] = value
    if "author" not in values and "source" not in values:
        raise HeaderError("the header names neither an Author nor a Source")
    authors = tuple(name for name in _NAME_SPLIT.split(values.get("author", "")) if name)
    date = _parse_time(values["time"], zone) if "time" in values else None
    return Header(authors=authors, source=values.get("source"), date=date)


def _normal(line: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", line).split())


def _parse_time(value: str, zone: ZoneInfo) -> dt.date | dt.datetime:
    match = _TIME.match(value)
    if not match:
        raise HeaderError(f"cannot read the time '{value}'; write it as 2022.07.23 or 2023-06-18 14:30")
    year, month, day, hour, minute, second = (int(part) if part else None for part in match.groups())
    assert year is not None and month is not None and day is not None
    try:
        if hour is None:
            return dt.date(year, month, day)
        return dt.datetime(year, month, day, hour, minute or 0, second or 0, tzinfo=zone)
    except ValueError as exc:
        raise HeaderError(f"the time '{value}' is not a possible date ({exc})") from None
