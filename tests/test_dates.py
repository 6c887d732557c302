"""dates.py: dates as writers type them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from broadsheet.model.dates import DateError, parse_date

AMS = ZoneInfo("Europe/Amsterdam")


def test_date_without_time_is_midnight_in_the_site_zone() -> None:
    value = parse_date("2024-05-01", AMS)
    assert value == dt.datetime(2024, 5, 1, tzinfo=AMS)
    assert value.utcoffset() == dt.timedelta(hours=2)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-01T09:30:00Z", dt.datetime(2024, 5, 1, 9, 30, tzinfo=dt.UTC)),
        ("2024-05-01T09:30:00+08:00", dt.datetime(2024, 5, 1, 1, 30, tzinfo=dt.UTC)),
        ("2024-05-01 09:30 +0800", dt.datetime(2024, 5, 1, 1, 30, tzinfo=dt.UTC)),
        ("2024-05-01T09:30:00-05:30", dt.datetime(2024, 5, 1, 15, 0, tzinfo=dt.UTC)),
        ("2024-05-01 09:30", dt.datetime(2024, 5, 1, 7, 30, tzinfo=dt.UTC)),
        ("2024/5/1", dt.datetime(2024, 4, 30, 22, 0, tzinfo=dt.UTC)),
        ("  2024-05-01T09:30:15.5  ", dt.datetime(2024, 5, 1, 7, 30, 15, 500000, tzinfo=dt.UTC)),
    ],
)
def test_iso_strings(text: str, expected: dt.datetime) -> None:
    value = parse_date(text, AMS)
    assert value.tzinfo is not None
    assert value == expected


def test_date_and_datetime_objects() -> None:
    assert parse_date(dt.date(2024, 5, 1), AMS) == dt.datetime(2024, 5, 1, tzinfo=AMS)
    assert parse_date(dt.datetime(2024, 5, 1, 12), AMS) == dt.datetime(2024, 5, 1, 12, tzinfo=AMS)
    aware = dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC)
    assert parse_date(aware, AMS) is aware


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2024-02-30", "'2024-02-30' is not a possible date (day is out of range for month)"),
        ("2023-02-29", "'2023-02-29' is not a possible date (day is out of range for month)"),
        ("2024-13-01", "'2024-13-01' is not a possible date (month must be in 1..12)"),
        ("2024-05-01 24:00", "'2024-05-01 24:00' is not a possible date (hour must be in 0..23)"),
        ("next Tuesday", "'next Tuesday' is not a date; write it as 2024-05-01 or 2024-05-01T09:30:00+08:00"),
        ("01/05/2024", "'01/05/2024' is not a date; write it as 2024-05-01 or 2024-05-01T09:30:00+08:00"),
        ("2024-05-01T09:30:00+25:00", "'2024-05-01T09:30:00+25:00' has an impossible time-zone offset"),
        (20240501, "expected a date such as 2024-05-01 or 2024-05-01T09:30:00, got 20240501"),
        (["2024-05-01"], "expected a date such as 2024-05-01 or 2024-05-01T09:30:00, got ['2024-05-01']"),
    ],
)
def test_bad_dates(value: object, message: str) -> None:
    with pytest.raises(DateError) as error:
        parse_date(value, AMS)
    assert str(error.value) == message


@pytest.mark.parametrize("text", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:00:00-05:00", "0001-01-01"])
def test_dates_that_cannot_be_shown_in_utc(text: str) -> None:
    with pytest.raises(DateError, match="is out of range"):
        parse_date(text, ZoneInfo("Asia/Tokyo"))
    assert parse_date("0002-01-01", ZoneInfo("Asia/Tokyo")).astimezone(dt.UTC).year == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Jekyll publishes these (26 of one real blog's 509 posts used the first form).
        ("2016-03-23 9:00:00 -4", dt.datetime(2016, 3, 23, 13, 0, tzinfo=dt.UTC)),
        ("2016-03-23 09:00:00 -0400", dt.datetime(2016, 3, 23, 13, 0, tzinfo=dt.UTC)),
        ("2016-03-23 09:00:00 -04:00", dt.datetime(2016, 3, 23, 13, 0, tzinfo=dt.UTC)),
        ("2016-03-23 09:00:00-04", dt.datetime(2016, 3, 23, 13, 0, tzinfo=dt.UTC)),
        ("2016-03-23 9:05 +5:30", dt.datetime(2016, 3, 23, 3, 35, tzinfo=dt.UTC)),
        ("2016-03-23 09:00:00 UTC", dt.datetime(2016, 3, 23, 9, 0, tzinfo=dt.UTC)),
        # Hugo's forms: RFC 3339 with nanoseconds, lower-case z, the e-mail form.
        ("2016-03-23T09:00:00.123456789Z", dt.datetime(2016, 3, 23, 9, 0, 0, 123456, tzinfo=dt.UTC)),
        ("2016-03-23t09:00:00z", dt.datetime(2016, 3, 23, 9, 0, tzinfo=dt.UTC)),
        ("Wed, 23 Mar 2016 09:00:00 -0400", dt.datetime(2016, 3, 23, 13, 0, tzinfo=dt.UTC)),
        ("23 Mar 2016 09:00 GMT", dt.datetime(2016, 3, 23, 9, 0, tzinfo=dt.UTC)),
    ],
)
def test_jekyll_and_hugo_forms(text: str, expected: dt.datetime) -> None:
    assert parse_date(text, AMS) == expected


def test_mail_form_without_a_known_zone_is_in_the_site_zone() -> None:
    value = parse_date("Wed, 23 Mar 2016 09:00:00 -0000", AMS)
    assert value == dt.datetime(2016, 3, 23, 9, 0, tzinfo=AMS)


@pytest.mark.parametrize("text", ["2016-03-23 09:00:00 -24", "2016-03-23 09:00:00 +05:75", "Wed, 31 Feb 2016 09:00:00 -0400"])
def test_impossible_jekyll_forms(text: str) -> None:
    with pytest.raises(DateError):
        parse_date(text, AMS)
