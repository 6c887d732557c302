"""slugs.py: readable, stable, ASCII, never empty, never a path."""

from __future__ import annotations

import pytest

from broadsheet.model.slugs import short_hash, slugify, split_date_prefix


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Hello, World!", "hello-world"),
        ("C++", "c-plus-plus"),
        ("C#", "c-sharp"),
        ("AT&T", "at-and-t"),
        ("Ünïcödé Straße", "unicode-strasse"),
        ("北京欢迎你", "bei-jing-huan-ying-ni"),
    ],
)
def test_readable_slugs(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_names_that_a_plain_slugifier_merges_stay_distinct() -> None:
    assert len({slugify(n) for n in ("C", "C++", "C#", "C & C")}) == 4


@pytest.mark.parametrize("text", ["東京の天気", "こんにちは", "서울", "Москва", "Αθήνα", "مرحبا"])
def test_non_latin_names_give_readable_ascii(text: str) -> None:
    slug = slugify(text)
    assert slug and slug.isascii() and not slug.startswith("x-")
    assert slugify(text) == slug


@pytest.mark.parametrize("text", ["", "🙂", "..", "-", "...", "///"])
def test_nothing_to_transliterate_gives_a_stable_hash(text: str) -> None:
    assert slugify(text) == f"x-{short_hash(text)}"
    assert slugify("🙂") != slugify("🙃")


@pytest.mark.parametrize("text", ["../../etc/x", "/abs", "a/b", "..", ".", "a\\b", "~/x", "a.b", "\x00"])
def test_a_slug_is_never_a_path(text: str) -> None:
    slug = slugify(text)
    assert slug not in ("", ".", "..")
    assert not set(slug) & set("/\\.~\x00")


def test_long_names_are_cut_at_a_word_boundary() -> None:
    slug = slugify("word " * 40)
    assert len(slug) <= 80
    assert not slug.endswith("-")
    assert set(slug.split("-")) == {"word"}


def test_split_date_prefix() -> None:
    assert split_date_prefix("2024-05-01-budget-day") == ("2024-05-01", "budget-day")
    assert split_date_prefix("budget-day") == (None, "budget-day")
    assert split_date_prefix("2024-05-01") == (None, "2024-05-01")
    assert split_date_prefix("2024-5-1-x") == (None, "2024-5-1-x")
