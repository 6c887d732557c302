"""locale.py: text direction, catalog names to try, dates and numbers in the page's language."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from broadsheet.model.locale import (
    archive_title,
    candidates,
    check_date_format,
    format_date,
    format_number,
    is_english,
    text_direction,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The wire story's date, late in the evening: a format must not move it to UTC (July 22 there... or 23).
WIRE = dt.datetime(2022, 7, 23, 23, 30, tzinfo=SHANGHAI)
DEFAULT = "%B %-d, %Y"


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("en", "July 23, 2022"),
        ("en-GB", "July 23, 2022"),  # English keeps strftime's output, whatever the region
        ("zh-Hans", "2022年7月23日"),
        ("zh-Hant", "2022年7月23日"),
        ("fr", "23 juillet 2022"),
        ("es", "23 de julio de 2022"),
        ("de", "23. Juli 2022"),
        ("ar", "23 يوليو 2022"),
    ],
)
def test_default_format_in_each_language(tag: str, expected: str) -> None:
    assert format_date(WIRE, DEFAULT, tag) == expected


def test_english_strftime_output_is_unchanged() -> None:
    for fmt in (DEFAULT, "%b %-d", "%A, %d %B %Y %H:%M", "%Y-%m-%d"):
        assert format_date(WIRE, fmt, "en") == WIRE.strftime(fmt)


def test_short_strftime_formats_keep_their_fields() -> None:
    assert format_date(WIRE, "%b %-d", "zh-Hans") == "7月23日"
    assert format_date(WIRE, "%b %-d", "fr") == "23 juil."
    assert format_date(WIRE, "%B %Y", "de") == "Juli 2022"


def test_date_and_time_fields_are_joined_the_language_s_way() -> None:
    assert format_date(WIRE, "%B %-d, %Y %H:%M", "zh-Hans") == "2022年7月23日 23:30"
    assert format_date(WIRE, "%-d %B %Y, %H:%M", "de") == "23. Juli 2022, 23:30"


def test_numbers_only_strftime_is_taken_literally_in_every_language() -> None:
    assert format_date(WIRE, "%d.%m.%Y", "zh-Hans") == "23.07.2022"
    assert format_date(WIRE, "%Y/%m/%d %H:%M", "ar") == "2022/07/23 23:30"


def test_babel_patterns_and_named_lengths() -> None:
    assert format_date(WIRE, "d MMMM y", "fr") == "23 juillet 2022"
    assert format_date(WIRE, "EEEE d MMMM y", "fr") == "samedi 23 juillet 2022"
    assert format_date(WIRE, "y年M月d日 EEEE", "zh-Hans") == "2022年7月23日 星期六"
    assert format_date(WIRE, "long", "de") == "23. Juli 2022"
    assert format_date(WIRE, "short", "en") == "7/23/22"
    assert format_date(WIRE, "MMMM d, y 'at' h:mm a", "en") == "July 23, 2022 at 11:30 PM"


def test_dates_stay_in_their_own_time_zone() -> None:
    assert format_date(WIRE, "d MMMM y HH:mm", "en") == "23 July 2022 23:30"
    assert format_date(WIRE, DEFAULT, "zh-Hans") == "2022年7月23日"


def test_plain_dates_and_none() -> None:
    assert format_date(dt.date(2024, 5, 1), DEFAULT, "fr") == "1 mai 2024"
    assert format_date(None, DEFAULT, "fr") == ""


def test_archive_titles() -> None:
    assert archive_title((2024,), DEFAULT, "zh-Hans") == "2024"
    assert archive_title((2024, 5), DEFAULT, "en") == "May 2024"
    assert archive_title((2024, 5), DEFAULT, "zh-Hans") == "2024年5月"
    assert archive_title((2024, 5), DEFAULT, "es") == "mayo de 2024"
    assert archive_title((2024, 5, 1), DEFAULT, "de") == "1. Mai 2024"
    assert archive_title([2024, 5, 1], "d MMMM y", "fr") == "1 mai 2024"


def test_numbers() -> None:
    assert format_number(12345, "en") == "12,345"
    assert format_number(12345, "de") == "12.345"
    assert format_number(12345, "fr") == "12\u202f345"
    assert format_number(7, "ar") == "7"


def test_text_direction() -> None:
    assert [text_direction(t) for t in ("ar", "ar-EG", "he", "fa", "ur")] == ["rtl"] * 5
    assert [text_direction(t) for t in ("en", "zh-Hans", "ja", "xx")] == ["ltr"] * 4


def test_is_english() -> None:
    assert is_english("en") and is_english("en-GB") and is_english("EN_us")
    assert not is_english("es") and not is_english("eo")


def test_catalog_candidates_add_the_script_chinese_needs() -> None:
    assert candidates("zh-Hans") == ["zh_Hans", "zh"]
    assert candidates("zh") == ["zh_Hans", "zh"]
    assert candidates("zh-TW") == ["zh_TW", "zh_Hant_TW", "zh_Hant", "zh"]
    assert candidates("zh-HK")[:3] == ["zh_HK", "zh_Hant_HK", "zh_Hant"]
    assert candidates("zh-CN")[:3] == ["zh_CN", "zh_Hans_CN", "zh_Hans"]
    assert candidates("de-AT")[0] == "de_AT" and candidates("de-AT")[-1] == "de"
    assert candidates("xx") == ["xx"]


def test_check_date_format() -> None:
    assert check_date_format(DEFAULT) is None
    assert check_date_format("d MMMM y") is None
    assert check_date_format("long") is None
    problem = check_date_format("qqqqqqqqqq")
    assert problem is not None and "Babel pattern" in problem
