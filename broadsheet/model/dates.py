"""Dates as writers type them: YAML dates, ISO-8601 strings, with or without a zone."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

_LOOSE = re.compile(
    r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"
    r"(?:[ T](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.(?P<f>\d{1,6}))?)?)?"
    r"\s*(?P<z>Z|[+-]\d{2}:?\d{2})?$"
)


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
            int((parts["f"] or "0").ljust(6, "0")),
        )
    except ValueError as exc:
        raise DateError(f"'{text}' is not a possible date ({exc})") from None
    zone = parts["z"]
    if zone:
        if zone == "Z":
            return value.replace(tzinfo=dt.UTC)
        sign = 1 if zone[0] == "+" else -1
        digits = zone[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:])
        if hours > 23 or minutes > 59:
            raise DateError(f"'{text}' has an impossible time-zone offset")
        offset = dt.timedelta(hours=hours, minutes=minutes)
        return value.replace(tzinfo=dt.timezone(sign * offset))
    return value
