"""Languages as pages need them: Babel locales, text direction, dates and numbers in the page's language.

Language tags are BCP 47 as sites write them (``en``, ``zh-Hans``, ``pt-BR``).
``date_format`` is either strftime-style (it contains ``%``), kept for
compatibility, or a Babel pattern (``d MMMM y``) or a named length
(``short``, ``medium``, ``long``, ``full``). English keeps strftime output
exactly as before; other languages get the fields the strftime format asks
for, in the order and words of their own language (``%B %-d, %Y`` becomes
``2022年7月23日`` or ``23 juillet 2022``). A numbers-only strftime format
(``%d.%m.%Y``) is taken literally in every language.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import format_datetime, match_skeleton
from babel.numbers import format_decimal

NAMED_LENGTHS = ("short", "medium", "long", "full")

# strftime directive -> Babel skeleton field (None: the directive adds no field).
_SKELETON = {
    "Y": "y", "y": "yy", "G": "y",
    "B": "MMMM", "b": "MMM", "h": "MMM", "m": "MM", "-m": "M",
    "d": "dd", "-d": "d", "e": "d",
    "A": "EEEE", "a": "EEE",
    "H": "HH", "-H": "H", "I": "hh", "-I": "h", "p": "a",
    "M": "mm", "-M": "m", "S": "ss", "-S": "s",
    "Z": "z", "z": "xx",
}
# Directives that print words, which only the page's language may choose.
_WORDS = {"B", "b", "h", "A", "a", "p", "Z"}
# The order fields take in a skeleton (Babel matches skeletons field by field).
_SKELETON_ORDER = "GyMEdhHamsxz"
_DIRECTIVE = re.compile(r"%(-?[A-Za-z%])")


class LocaleError(ValueError):
    """A date format that is neither strftime-style nor a pattern Babel can read."""


def babel_tag(tag: str) -> str:
    """``zh-Hans`` -> ``zh_Hans``: the spelling Babel and gettext folders use."""
    return tag.replace("-", "_")


@functools.cache
def babel_locale(tag: str) -> Locale:
    """The Babel locale for a language tag; English for a language Babel has no data for."""
    try:
        return Locale.parse(babel_tag(tag))
    except (UnknownLocaleError, ValueError):
        parts = babel_tag(tag).split("_")
        for n in range(len(parts) - 1, 0, -1):
            try:
                return Locale.parse("_".join(parts[:n]))
            except (UnknownLocaleError, ValueError):
                continue
    return Locale.parse("en")


def is_known_language(tag: str) -> bool:
    """Whether CLDR (through Babel) has data for exactly this language, script and region."""
    try:
        Locale.parse(babel_tag(tag))
    except (UnknownLocaleError, ValueError):
        return False
    return True


def edition_languages() -> list[str]:
    """The language tags the theme has strings for (``zh_Hans`` -> ``zh-Hans``), for error messages."""
    from broadsheet.model.catalogs import available

    return [normalize_tag(name) for name in available()]


@functools.cache
def native_name(tag: str) -> str:
    """A language's name in itself, as a language switcher shows it: ``English``, ``简体中文``, ``العربية``."""
    locale = babel_locale(tag)
    name = locale.get_display_name(locale) or tag
    return name[:1].upper() + name[1:]


def normalize_tag(tag: str) -> str:
    """One spelling per language tag, as BCP 47 writes it: ``ZH_hans`` -> ``zh-Hans``, ``pt_br`` -> ``pt-BR``."""
    parts = tag.replace("_", "-").split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        out.append(part.title() if len(part) == 4 and part.isalpha() else part.upper() if len(part) == 2 else part.lower())
    return "-".join(out)


def is_english(tag: str) -> bool:
    return babel_tag(tag).split("_")[0].lower() == "en"


def text_direction(tag: str) -> str:
    """``rtl`` for languages written right to left (Arabic, Hebrew, Persian, Urdu...), else ``ltr``."""
    return "rtl" if babel_locale(tag).character_order == "right-to-left" else "ltr"


def candidates(tag: str) -> list[str]:
    """Catalog names to try for a tag, most specific first: ``zh-TW`` -> zh_TW, zh_Hant_TW, zh_Hant, zh.

    Chinese needs the script: ``zh-CN`` and ``zh-TW`` are written in different
    scripts, so the likely script for a region (from CLDR) comes before the bare language.
    """
    name = babel_tag(tag)
    parts = name.split("_")
    names = ["_".join(parts[:n]) for n in range(len(parts), 0, -1)]
    if not (len(parts) > 1 and len(parts[1]) == 4):  # no script given: add the likely one
        likely = get_global("likely_subtags")
        full = (likely.get(name) or likely.get(parts[0]) or "").split("_")
        if len(full) > 1 and len(full[1]) == 4:
            with_script = [parts[0], full[1], *parts[1:]]
            names[-1:-1] = ["_".join(with_script[:n]) for n in range(len(with_script), 1, -1)]
    return list(dict.fromkeys(names))


def check_date_format(value: str) -> str | None:
    """None if ``value`` can format dates, else the problem (for ``site.toml``)."""
    try:
        format_date(dt.datetime(2024, 5, 1, 9, 30, tzinfo=dt.UTC), value, "en")
        format_date(dt.datetime(2024, 5, 1, 9, 30, tzinfo=dt.UTC), value, "fr")
    except (LocaleError, ValueError, KeyError, AttributeError, TypeError) as exc:
        return f"{value!r} is neither a strftime format such as '%B %-d, %Y' nor a Babel pattern such as 'd MMMM y' ({exc})"
    return None


def format_date(value: dt.datetime | dt.date | None, fmt: str, tag: str) -> str:
    """``value`` in ``fmt`` (see the module docstring), in language ``tag``; empty for None."""
    if value is None:
        return ""
    if "%" in fmt:
        if is_english(tag) or not _has_words(fmt):
            return value.strftime(fmt)
        return _format_skeleton(value, fmt, tag)
    locale = babel_locale(tag)
    zone = value.tzinfo if isinstance(value, dt.datetime) else None
    pattern = locale.date_formats[fmt].pattern if fmt in NAMED_LENGTHS else fmt
    return format_datetime(_as_datetime(value), pattern, tzinfo=zone, locale=locale)


def format_time(value: dt.datetime, tag: str) -> str:
    """The time of day of ``value`` in its own zone, in the language's short form (``8:30 PM``, ``20:30``)."""
    return _short_time(value.hour, value.minute, tag)


@functools.lru_cache(maxsize=4096)
def _short_time(hour: int, minute: int, tag: str) -> str:
    """Formatted once per minute of the day and language: Babel takes some 50 µs a call."""
    locale = babel_locale(tag)
    return format_datetime(dt.datetime(2000, 1, 1, hour, minute), str(locale.time_formats["short"].pattern), locale=locale)


@functools.cache
def _date_and_time(tag: str) -> str:
    """The language's pattern joining a date ({1}) and a time ({0}), quotes around literal words removed."""
    return str(babel_locale(tag).datetime_formats["medium"]).replace("'", "")


def with_time(date_text: str, value: dt.datetime | None, tag: str) -> str:
    """``date_text`` (the date as the site shows it) and the time of ``value``, joined as the language
    joins them (``July 23, 2022, 9:00 AM``). A time of exactly midnight is taken for a date given without one."""
    if not isinstance(value, dt.datetime) or (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
        return date_text
    return _date_and_time(tag).replace("{1}", date_text).replace("{0}", format_time(value, tag))


def _has_words(fmt: str) -> bool:
    return any(d.lstrip("-") in _WORDS for d in _DIRECTIVE.findall(fmt))


def _format_skeleton(value: dt.datetime | dt.date, fmt: str, tag: str) -> str:
    fields = []
    for directive in _DIRECTIVE.findall(fmt):
        if directive == "%":
            continue
        field = _SKELETON.get(directive) or _SKELETON.get(directive.lstrip("-"))
        if field is None:
            raise LocaleError(f"%{directive} has no equivalent in other languages")
        fields.append(field)
    ordered = sorted(dict.fromkeys(fields), key=lambda f: _SKELETON_ORDER.index(f[0]))
    date_part = "".join(f for f in ordered if f[0] in "GyMEd")
    time_part = "".join(f for f in ordered if f[0] not in "GyMEd")
    locale = babel_locale(tag)
    moment = _as_datetime(value)
    zone = value.tzinfo if isinstance(value, dt.datetime) else None
    texts = [_skeleton(part, moment, zone, locale) for part in (date_part, time_part) if part]
    if len(texts) == 2:
        return str(locale.datetime_formats["medium"]).replace("{1}", texts[0]).replace("{0}", texts[1])
    return texts[0] if texts else value.strftime(fmt)


def _skeleton(skeleton: str, moment: dt.datetime, zone: dt.tzinfo | None, locale: Locale) -> str:
    """Format with the locale's pattern for these fields, widened as asked (as ICU does).

    When a locale has no pattern for exactly these fields (``yMMMMd`` in some
    CLDR versions of French), the closest one (``yMMMd``) has its month and
    weekday names widened back to what the skeleton asked for.
    """
    known = locale.datetime_skeletons
    matched = skeleton if skeleton in known else match_skeleton(skeleton, known)
    if matched is None:
        raise LocaleError(f"no {locale} format shows the fields {skeleton!r}")
    pattern = str(known[matched].pattern)
    for letter, standalone in (("M", "L"), ("E", "c")):
        wanted = skeleton.count(letter)
        if wanted >= 4:
            pattern = re.sub(f"(?<![{letter}{standalone}])([{letter}{standalone}])\\1{{2}}(?![{letter}{standalone}])", r"\1" * 4, pattern)
    return format_datetime(moment, pattern, tzinfo=zone, locale=locale)


def _as_datetime(value: dt.datetime | dt.date) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime(value.year, value.month, value.day)


def archive_title(key: tuple[int, ...], date_format: str, tag: str) -> str:
    """The name of an archive period: ``2024``, ``May 2024`` / ``2024年5月``, or the day in ``date_format``."""
    key = tuple(key)
    day = dt.date(*key, *(1,) * (3 - len(key)))
    if len(key) == 1:
        return str(day.year)
    if len(key) == 2:
        return day.strftime("%B %Y") if is_english(tag) else _skeleton("yMMMM", _as_datetime(day), None, babel_locale(tag))
    return format_date(day, date_format, tag)


def format_number(value: int | float, tag: str) -> str:
    """``12345`` -> ``12,345`` (en), ``12.345`` (de), ``12 345`` (fr)."""
    return format_decimal(value, locale=babel_locale(tag))
