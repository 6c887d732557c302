"""content.py: files become validated Articles, or errors naming the file and line."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sitekit import article, build, write_files

from broadsheet.build import Builder, BuildOptions
from broadsheet.errors import BuildFailed, SiteError
from broadsheet.model.config import Settings
from broadsheet.model.content import Article, parse_article
from broadsheet.model.sources import find_sources

UTC = ZoneInfo("UTC")
AMS = ZoneInfo("Europe/Amsterdam")


def parse(text: str | bytes, name: str = "content/story.md", zone: ZoneInfo = UTC) -> Article:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return parse_article(raw, name, zone)


def errors(text: str | bytes, name: str = "content/story.md") -> list[str]:
    with pytest.raises(BuildFailed) as failed:
        parse(text, name)
    return [str(e) for e in failed.value.errors]


def test_minimal_article() -> None:
    a = parse("---\ntitle: Budget day\ndate: 2024-05-01\n---\n\nThe budget.\n")
    assert (a.title, a.slug, a.body, a.source) == ("Budget day", "story", "The budget.\n", "content/story.md")
    assert a.date == dt.datetime(2024, 5, 1, tzinfo=UTC)
    assert (a.authors, a.tags, a.section, a.summary, a.updated, a.draft, a.image, a.lang, a.extra) == (
        (), (), None, None, None, False, None, None, {})
    assert len(a.digest) == 64


def test_date_without_zone_is_in_the_site_zone() -> None:
    a = parse(article(date="2024-05-01 09:30"), zone=AMS)
    assert a.date.utcoffset() == dt.timedelta(hours=2)
    assert a.date.hour == 9


@pytest.mark.parametrize("value", ["2024-05-01", "2024-05-01T09:30:00", "'2024-05-01T09:30:00+02:00'"])
def test_date_forms(value: str) -> None:
    a = parse(f"---\ntitle: x\ndate: {value}\n---\n", zone=AMS)
    assert a.date.date() == dt.date(2024, 5, 1)


def test_date_and_slug_from_the_file_name() -> None:
    a = parse("---\ntitle: x\n---\n", "content/2024-05-01-budget-day.md")
    assert a.date == dt.datetime(2024, 5, 1, tzinfo=UTC)
    assert a.slug == "budget-day"


def test_front_matter_date_wins_over_the_file_name() -> None:
    a = parse(article(date="2024-06-02"), "content/2024-05-01-budget-day.md")
    assert a.date.date() == dt.date(2024, 6, 2)
    assert a.slug == "budget-day"


def test_slug_from_front_matter_is_normalised() -> None:
    assert parse(article(slug="Hello World!"), "content/2024-05-01-x.md").slug == "hello-world"


def test_non_latin_file_name_gives_a_readable_slug() -> None:
    assert parse(article(), "content/北京欢迎你.md").slug == "bei-jing-huan-ying-ni"


def test_aliases_from_jekyll_and_hugo() -> None:
    a = parse(article(excerpt="Short", lastmod="2024-05-02", categories=["Politics", "World"]))
    assert (a.summary, a.section, a.updated.date()) == ("Short", "Politics", dt.date(2024, 5, 2))
    b = parse(article(description="Desc", modified="2024-05-03", category="Sport"))
    assert (b.summary, b.section, b.updated.date()) == ("Desc", "Sport", dt.date(2024, 5, 3))
    c = parse(article(summary="S", excerpt="E", section="News", categories=["X"]))
    assert (c.summary, c.section) == ("S", "News")


def test_categories_after_the_first_become_tags_not_lost() -> None:
    """Jekyll and Hugo archives list several categories; the first is the section, the others are tags."""
    a = parse(article(categories=["Politics", "World"]))
    assert (a.section, a.tags) == ("Politics", ("World",))
    jekyll = parse("---\ntitle: x\ndate: 2016-03-23\ncategories: politics council transport\n---\n")
    assert (jekyll.section, jekyll.tags) == ("politics", ("council", "transport"))
    both = parse(article(tags=["Budget", "council"], categories=["politics", "Council", "Budget", "harbour"]))
    assert (both.section, both.tags) == ("politics", ("Budget", "council", "harbour"))
    one = parse(article(categories=["City"]))
    assert (one.section, one.tags) == ("City", ())


def test_null_fields_are_absent_and_unknown_keys_pass_through() -> None:
    a = parse("---\ntitle: x\ndate: 2024-05-01\nsummary:\ntags: ~\nupdated: null\nimage_caption: A caption\nrating: 5\n---\n")
    assert (a.summary, a.tags, a.updated) == (None, (), None)
    assert a.extra == {"image_caption": "A caption", "rating": 5}


def test_names_are_cleaned_and_deduplicated() -> None:
    a = parse(article(tags=["  Climate   change ", "climate change", "Energy", None], authors="Ann Lee, Bo Chen"))
    assert a.tags == ("Climate change", "Energy")
    assert a.authors == ("Ann Lee", "Bo Chen")
    assert parse(article(author="Ann Lee")).authors == ("Ann Lee",)


@pytest.mark.parametrize(("value", "expected"), [("true", True), ("yes", True), ("on", True), ("false", False), ("no", False), ("0", False)])
def test_draft_flag(value: str, expected: bool) -> None:
    assert parse(f"---\ntitle: x\ndate: 2024-05-01\ndraft: {value}\n---\n").draft is expected


def test_bom_and_crlf_are_ignored() -> None:
    clean = article(title="Same", body="Line one\nLine two\n")
    dirty = b"\xef\xbb\xbf" + clean.replace("\n", "\r\n").encode()
    a, b = parse(clean), parse(dirty)
    assert (a.title, a.body, a.date) == (b.title, b.body, b.date)


def test_yaml_11_words_stay_text() -> None:
    a = parse("---\ntitle: no\ndate: 2024-05-01\ntags: [yes, on, 10:00]\nauthors: [off]\nsection: no\n---\n")
    assert (a.title, a.tags, a.authors, a.section) == ("no", ("yes", "on", "10:00"), ("off",), "no")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ["content/story.md: file is empty; an article needs front matter with a title"]),
        ("  \n\n", ["content/story.md: file is empty; an article needs front matter with a title"]),
        ("Just text\n", ["content/story.md:1: no front matter: start the file with a '---' line, then 'title: ...'"]),
        ("---\ntitle: x\n", ["content/story.md:1: front matter opened with '---' on line 1 is never closed with '---'"]),
        ("---\ntitle: Breaking: x\ndate: 2024-05-01\n---\n",
         ["content/story.md:2: front matter is not valid YAML: mapping values are not allowed in this context (put a value that contains ': ' in quotes)"]),
        ("---\ntitle: x\ndate: 2024-05-01\ntags: [a, b\n---\n",
         ["content/story.md:4: front matter is not valid YAML: did not find expected ',' or ']' while parsing a flow sequence"]),
        ("---\n- a\n- b\n---\n", ["content/story.md:2: front matter must be a set of 'key: value' lines"]),
        ("---\ndate: 2024-05-01\n---\n", ["content/story.md:2: missing title: add 'title: ...' to the front matter"]),
        ("---\ntitle: '  '\ndate: 2024-05-01\n---\n", ["content/story.md:2: title: must not be empty"]),
        ("---\ntitle: [a, b]\ndate: 2024-05-01\n---\n", ["content/story.md:2: title: expected text, got a list"]),
        ("---\ntitle: true\ndate: 2024-05-01\n---\n", ["content/story.md:2: title: expected text, got the boolean true"]),
        ("---\ntitle: x\ndate: 2024-05-01\ntags: {a: 1}\n---\n", ["content/story.md:4: tags: expected a list of names, got a mapping"]),
        ("---\ntitle: x\ndate: 2024-05-01\ntags: [[a]]\n---\n", ["content/story.md:4: tags: expected a list of names, but one entry is a list"]),
        ("---\ntitle: x\ndate: 2024-05-01\ndraft: maybe\n---\n", ["content/story.md:4: draft: expected true or false, got 'maybe'"]),
        ("---\ntitle: x\ndate: 2024-05-01\nimage: !!binary aGk=\n---\n", ["content/story.md:4: image: expected text, got a YAML bytes"]),
        ("---\ntitle: x\ndate: !!timestamp 2024-02-30\n---\n",
         ["content/story.md: front matter has a value YAML cannot read: day is out of range for month"]),
        ("---\ntitle: \"a\x07b\"\ndate: 2024-05-01\n---\n",
         ["content/story.md:2: front matter is not valid YAML: control characters are not allowed (#x0007)"]),
    ],
)
def test_bad_files(text: str, expected: list[str]) -> None:
    assert errors(text) == expected


def test_no_date_anywhere() -> None:
    assert errors("---\ntitle: x\n---\n") == [
        "content/story.md:2: no date: add 'date: 2024-05-01' to the front matter or name the file 2024-05-01-slug.md"
    ]


def test_every_problem_in_a_file_is_reported() -> None:
    text = "---\ntitle: [x]\ndate: 2024-02-30\nupdated: soon\ntags: {a: 1}\ndraft: maybe\n---\n"
    assert [e.split(":")[1] for e in errors(text)] == ["2", "3", "4", "5", "6"]


def test_non_utf8_names_the_line() -> None:
    raw = "---\ntitle: ok\ndate: 2024-05-01\n---\nCafé\n".encode("latin-1")
    assert errors(raw) == ["content/story.md:5: not valid UTF-8 (byte 0xe9); save the file as UTF-8"]


def test_find_sources_skips_hidden_and_underscored(tmp_path: Path) -> None:
    write_files(tmp_path, {"a.md": "", "b/c.md": "", "_drafts/d.md": "", ".git/e.md": "", "_f.md": "", ".g.md": "", "h.txt": ""})
    assert [p.relative_to(tmp_path).as_posix() for p in find_sources(tmp_path)] == ["a.md", "b/c.md"]


def test_jekylls_posts_folder_copied_in_as_it_was_is_named_in_a_warning(tmp_path: Path) -> None:
    write_files(tmp_path, {"content/a.md": article(title="A", date="2024-05-01"),
                           "content/_posts/2024-05-02-ferry.md": article(title="Ferry")})
    report = build(tmp_path)
    assert report.articles == 1
    content = (tmp_path / "content").as_posix()
    assert report.warnings == [f"{content}/_posts: folders whose names start with '_' are not read; "
                               f"rename it to {content}/posts (drafts: mark each draft: true)"]


def test_find_sources_skips_links_out_of_the_folder(tmp_path: Path) -> None:
    write_files(tmp_path, {"outside/x.md": "", "outside/d/y.md": "", "content/a.md": ""})
    content = tmp_path / "content"
    os.symlink(tmp_path / "outside/x.md", content / "x.md")
    os.symlink(tmp_path / "outside/d", content / "d")
    os.symlink(content / "a.md", content / "alias.md")
    os.symlink(tmp_path / "missing.md", content / "dangling.md")
    assert [p.name for p in find_sources(content)] == ["a.md", "alias.md"]


def test_reading_returns_articles_and_errors_together(tmp_path: Path) -> None:
    write_files(tmp_path, {"content/a.md": article(title="A"), "content/b.md": "---\ntitle: B\n---\n"})
    builder = Builder(BuildOptions(content=tmp_path / "content", cache_dir=None))
    found, errors = builder.articles(Settings())
    (_key, first, _rendered), = found
    assert isinstance(first, Article) and first.title == "A"
    assert isinstance(errors[0], SiteError) and errors[0].path == (tmp_path / "content/b.md").as_posix()


def test_a_field_with_many_bad_entries_is_one_line() -> None:
    assert errors("---\ntitle: x\ndate: 2024-05-01\ntags: [[a], {b: 1}, [c]]\n---\n") == [
        "content/story.md:4: tags: expected a list of names, but one entry is a list"
    ]


def test_image_credit_and_focus() -> None:
    a = parse("---\ntitle: x\ndate: 2024-05-01\nimage: images/quay.jpg\nimage_credit: ' Photo: Mei Chen '\nimage_focus: 0.5, 0.3\n---\n")
    assert (a.image, a.image_credit, a.image_focus) == ("images/quay.jpg", "Photo: Mei Chen", (0.5, 0.3))
    assert a.extra == {}
    assert parse("---\ntitle: x\ndate: 2024-05-01\nimage_focus: [0, 1]\n---\n").image_focus == (0.0, 1.0)
    assert parse("---\ntitle: x\ndate: 2024-05-01\n---\n").image_focus is None


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("0.5", "expected two numbers 'x, y' from 0 to 1 such as '0.5, 0.3', got 0.5"),
        ("left, top", "expected two numbers 'x, y' from 0 to 1 such as '0.5, 0.3', got 'left, top'"),
        ("[0.5, 0.3, 1]", "expected two numbers 'x, y' from 0 to 1 such as '0.5, 0.3', got [0.5, 0.3, 1]"),
        ("[true, 0.5]", "expected two numbers 'x, y' from 0 to 1 such as '0.5, 0.3', got [True, 0.5]"),
        ("1.5, 0.3", "both numbers must be from 0 to 1 (fractions of the width and height), got '1.5, 0.3'"),
    ],
)
def test_image_focus_errors_name_the_line(value: str, problem: str) -> None:
    assert errors(f"---\ntitle: x\ndate: 2024-05-01\nimage_focus: {value}\n---\n") == [f"content/story.md:4: image_focus: {problem}"]

def test_translation_key_and_its_alias() -> None:
    assert parse(article(translation_key="alipay-merchants", lang="zh-Hans")).translation_key == "alipay-merchants"
    assert parse(article(translation_of=" alipay-merchants ")).translation_key == "alipay-merchants"
    a = parse(article())
    assert a.translation_key is None and "translation_key" not in a.extra
    # The first of the two names wins, as with the other aliases.
    assert parse(article(translation_key="a", translation_of="b")).translation_key == "a"


def test_lang_is_a_language_tag() -> None:
    assert parse(article(lang="zh-Hans")).lang == "zh-Hans"
    assert parse(article(lang="zh_Hant")).lang == "zh-Hant"  # the spelling Babel and gettext use is accepted
    assert errors("---\ntitle: x\ndate: 2024-05-01\nlang: Chinese!\n---\n") == [
        "content/story.md:4: lang: must be a language tag such as 'en' or 'zh-Hans', got 'Chinese!'"
    ]
    assert errors("---\ntitle: x\ndate: 2024-05-01\ntranslation_key: [a]\n---\n") == [
        "content/story.md:4: translation_key: expected text, got a list"
    ]


def test_an_error_quoting_a_value_with_a_line_break_stays_one_line() -> None:
    with pytest.raises(BuildFailed) as failed:
        parse_article(b'---\ntitle: x\ndate: "0\\n0"\n---\nBody.\n', "content/a.md", ZoneInfo("UTC"))
    assert str(failed.value.errors[0]) == "content/a.md:3: date: '0\\n0' is not a date; write it as 2024-05-01 or 2024-05-01T09:30:00+08:00"
