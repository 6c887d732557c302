"""Dates as writers type them: YAML and TOML dates, ISO-8601 strings, with or without a zone.

Text is read as Jekyll and Hugo read it: ``T`` or a space before the time, one-digit
hours, fractional seconds (nanoseconds are cut to microseconds), ``Z``/``UTC``/``GMT``, and
offsets written ``-4``, ``-0400``, ``-04:00`` or ``-4:30``, with or without a space before
them; also the e-mail form Hugo accepts (``Wed, 23 Mar 2016 09:00:00 -0400``).
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

_LOOSE = re.compile(
    r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"
    r"(?:(?:[Tt]|\s+)(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<f>\d{1,9}))?)?)?"
    r"\s*(?P<z>[Zz]|UTC|GMT|[+-]\d{1,2}(?::?\d{2})?)?$"
)
# "Wed, 23 Mar 2016 09:00:00 -0400" (RFC 822/1123, as feeds and Hugo write it).
_MAIL = re.compile(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}")


class DateError(ValueError):
    """A value that is not a date, or not a possible one."""


def parse_date(value: object, zone: ZoneInfo) -> dt.datetime:
    """Return an aware datetime; naive values are read in ``zone``."""
    if isinstance(value, dt.datetime):
        result = value
    elif isinstance(value, dt.date):
        result = dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        result = _parse_text(value.strip())
    else:
        raise DateError(f"expected a date such as 2024-05-01 or 2024-05-01T09:30:00, got {value!r}")
    if result.tzinfo is None:
        result = result.replace(tzinfo=zone)
    try:
        result.astimezone(dt.UTC)  # feeds and sitemaps need it in UTC
    except OverflowError:
        raise DateError(f"'{value}' is out of range; use a year between 0002 and 9998") from None
    return result


def _parse_text(text: str) -> dt.datetime:
    match = _LOOSE.match(text)
    if not match and _MAIL.match(text):
        return _parse_mail(text)
    if not match:
        raise DateError(
            f"'{text}' is not a date; write it as 2024-05-01 or 2024-05-01T09:30:00+08:00"
        )
    parts = match.groupdict()
    try:
        value = dt.datetime(
            int(parts["y"]),
            int(parts["m"]),
            int(parts["d"]),
            int(parts["H"] or 0),
            int(parts["M"] or 0),
            int(parts["S"] or 0),
            int((parts["f"] or "0")[:6].ljust(6, "0")),
        )
    except ValueError as exc:
        raise DateError(f"'{text}' is not a possible date ({exc})") from None
    zone = parts["z"]
    if not zone:
        return value
    if zone in ("Z", "z", "UTC", "GMT"):
        return value.replace(tzinfo=dt.UTC)
    return value.replace(tzinfo=_offset(zone, text))


def _offset(zone: str, text: str) -> dt.timezone:
    """``-4``, ``-0400``, ``-04:00``, ``+5:30`` as a fixed offset."""
    sign = 1 if zone[0] == "+" else -1
    hours_text, _, minutes_text = zone[1:].partition(":")
    if not minutes_text and len(hours_text) > 2:
        hours_text, minutes_text = hours_text[:-2], hours_text[-2:]
    hours, minutes = int(hours_text), int(minutes_text or 0)
    if hours > 23 or minutes > 59:
        raise DateError(f"'{text}' has an impossible time-zone offset")
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))


def _parse_mail(text: str) -> dt.datetime:
    try:
        import email.utils  # 14 ms to import, for a date form few archives use

        value = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError) as exc:
        raise DateError(f"'{text}' is not a possible date ({exc})") from None
    if value.tzinfo is not None and "-0000" in text:
        return value.replace(tzinfo=None)  # RFC 2822: "-0000" means the zone is not known
    return value
