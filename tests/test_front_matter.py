"""Front matter as Hugo and Jekyll sites write it: three dialects, loose keys, a site's own vocabulary, URLs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sitekit import write_files

from broadsheet.errors import BuildFailed
from broadsheet.model.content import Article, parse_article
from broadsheet.model.fields import PathProblem, site_path
from broadsheet.model.sources import bundle_files, find_sources, local_reference

UTC = ZoneInfo("UTC")
NEW_YORK = ZoneInfo("America/New_York")


def parse(text: str, name: str = "content/story.md", front_matter: dict[str, tuple[str, ...]] | None = None) -> Article:
    return parse_article(text.encode("utf-8"), name, NEW_YORK, front_matter)


def errors(text: str, name: str = "content/story.md", front_matter: dict[str, tuple[str, ...]] | None = None) -> list[str]:
    with pytest.raises(BuildFailed) as failed:
        parse(text, name, front_matter)
    return [str(e) for e in failed.value.errors]


TOML = """+++
title = "Ferry fares frozen for a second year"
date = 2019-11-04T06:45:00-05:00
lastmod = 2019-11-05
tags = ["transport", "ferries"]
categories = ["City"]
draft = false
url = ""
aliases = ["/2019/11/ferry-fares.html", "/news/ferries/"]
description = "The council keeps the \\"island fare\\" at $2.75."

[params]
image-caption = "The morning ferry."
author = "Dana Whitfield"
+++

The council voted 7-2.
"""


def test_toml_front_matter_as_hugo_writes_it() -> None:
    a = parse(TOML)
    assert a.title == "Ferry fares frozen for a second year"
    assert a.date == dt.datetime(2019, 11, 4, 11, 45, tzinfo=dt.UTC)
    assert a.updated == dt.datetime(2019, 11, 5, tzinfo=NEW_YORK)
    assert (a.tags, a.section, a.authors) == (("transport", "ferries"), "City", ("Dana Whitfield",))
    assert a.summary == 'The council keeps the "island fare" at $2.75.'
    assert a.url is None  # url = "" counts as absent
    assert a.aliases == ("2019/11/ferry-fares.html", "news/ferries/")
    assert a.extra == {"image_caption": "The morning ferry."}
    assert a.body == "The council voted 7-2.\n"
    assert a.body_line == 17


JSON = """{
   "title": "Night buses return",
   "date": "2020-02-01T23:10:00Z",
   "Tags": ["transport"],
   "draft": false,
   "params": {"rating": 3}
}

Routes N1 to N4 run again.
"""


def test_json_front_matter_as_hugo_reads_it() -> None:
    a = parse(JSON)
    assert (a.title, a.tags, a.extra) == ("Night buses return", ("transport",), {"rating": 3})
    assert a.date == dt.datetime(2020, 2, 1, 23, 10, tzinfo=dt.UTC)
    assert (a.body, a.body_line) == ("Routes N1 to N4 run again.\n", 9)


def test_jekyll_post_with_the_date_jekyll_publishes() -> None:
    text = (
        "---\nlayout: post\ntitle: \"Budget vote delayed\"\ndate: 2016-03-23 9:00:00 -4\n"
        "categories: [politics, council]\nredirect_from:\n  - /politics/2016/03/23/budget-vote-delayed.html\n"
        "last_modified_at: 2016-03-24 10:00:00 -0400\npublished: true\n---\nThe vote moves to April.\n"
    )
    a = parse(text, "content/_posts/2016-03-23-budget-vote-delayed.md")
    assert a.date == dt.datetime(2016, 3, 23, 13, 0, tzinfo=dt.UTC)
    assert a.updated == dt.datetime(2016, 3, 24, 14, 0, tzinfo=dt.UTC)
    assert (a.slug, a.section, a.draft) == ("budget-vote-delayed", "politics", False)
    assert a.aliases == ("politics/2016/03/23/budget-vote-delayed.html",)
    assert a.extra == {"layout": "post"}


def test_jekyll_published_false_is_a_draft_and_hugo_published_is_a_date() -> None:
    assert parse("---\ntitle: x\ndate: 2016-03-23\npublished: false\n---\n").draft is True
    hugo = parse("+++\ntitle = 'x'\npublished = 2016-03-23T09:00:00Z\n+++\n")
    assert (hugo.date, hugo.draft) == (dt.datetime(2016, 3, 23, 9, tzinfo=dt.UTC), False)


@pytest.mark.parametrize("key", ["publishDate", "pubdate", "published", "PublishDate", "PUBDATE"])
def test_hugo_date_keys(key: str) -> None:
    a = parse(f"---\ntitle: x\n{key}: 2021-06-14T07:30:00-04:00\n---\n")
    assert a.date == dt.datetime(2021, 6, 14, 11, 30, tzinfo=dt.UTC)


def test_date_key_wins_over_hugo_publish_date_and_expiry_is_kept() -> None:
    a = parse("---\ntitle: x\ndate: 2021-06-14\npublishDate: 2021-06-20\nexpiryDate: 2022-01-01\nmodified: 2021-06-15\n---\n")
    assert a.date.date() == dt.date(2021, 6, 14)
    assert a.expires == dt.datetime(2022, 1, 1, tzinfo=NEW_YORK)
    assert a.updated.date() == dt.date(2021, 6, 15)
    assert parse("---\ntitle: x\ndate: 2021-06-14\nunpublishdate: 2022-01-01\n---\n").expires is not None


def test_a_storys_language_and_hugos_translation_key_are_read_in_the_spellings_writers_use() -> None:
    a = parse("+++\ntitle = \"码头重新开放\"\ndate = 2022-07-22\nlanguage = \"zh-Hans\"\ntranslationKey = \"quay\"\n+++\n码头开放。\n")
    assert (a.lang, a.translation_key) == ("zh-Hans", "quay")
    b = parse("---\ntitle: x\ndate: 2022-07-22\nlang: ar\ntranslation_key: quay\n---\n")
    assert (b.lang, b.translation_key) == ("ar", "quay")


def test_keys_match_case_insensitively_with_hyphens_and_underscores_alike() -> None:
    a = parse("---\nTitle: Tide tables\nDATE: 2021-06-14\nImage-Caption: High water at noon.\nimage-alt: A pier\n"
              "Dateline: PORTLAND\nExtra-Field: kept\n---\n")
    assert a.title == "Tide tables"
    assert a.extra == {"image_caption": "High water at noon.", "image_alt": "A pier", "dateline": "PORTLAND",
                       "extra_field": "kept"}


def test_the_same_key_twice_in_different_spellings_is_an_error() -> None:
    assert errors("---\ntitle: x\ndate: 2021-06-14\ntags: [a]\nTags: [b]\n---\n") == [
        "content/story.md:5: Tags: is given twice (as 'tags' and 'Tags'); keep one"]


def test_empty_values_count_as_absent() -> None:
    a = parse('+++\ntitle = "x"\ndate = 2021-06-14\nurl = ""\nslug = "  "\ntags = []\nsummary = ""\nimage = ""\n+++\n',
              "content/2021-06-14-tide.md")
    assert (a.url, a.slug, a.tags, a.summary, a.image) == (None, "tide", (), None, None)


def test_the_site_vocabulary_comes_first_then_the_builtin_names() -> None:
    vocabulary = {"tags": ("topics",), "summary": ("blurb",), "image_alt": ("image_description",)}
    a = parse("---\ntitle: x\ndate: 2021-06-14\ntopics: [Harbour]\ntags: [ignored]\nblurb: Deeper channel.\n"
              "Image-Description: Dredger at work\nimage-credit: Port Authority\n---\n", front_matter=vocabulary)
    assert (a.tags, a.summary) == (("Harbour",), "Deeper channel.")
    assert a.extra == {"image_alt": "Dredger at work"}
    assert a.image_credit == "Port Authority"  # a field of its own, not an extra key
    b = parse("---\ntitle: x\ndate: 2021-06-14\ntags: [Only builtin]\n---\n", front_matter=vocabulary)
    assert b.tags == ("Only builtin",)


def test_a_mapped_key_reports_errors_under_its_own_name() -> None:
    assert errors("---\ntitle: x\ndate: 2021-06-14\ntopics: {a: 1}\n---\n", front_matter={"tags": ("topics",)}) == [
        "content/story.md:4: topics: expected a list of names, got a mapping"]


def test_url_and_aliases() -> None:
    a = parse("---\ntitle: x\ndate: 2021-06-14\nurl: /news/tide-tables/\naliases: [/tides.html, old-tides, /news/tide-tables/]\n---\n")
    assert a.url == "news/tide-tables/"
    assert a.aliases == ("tides.html", "./old-tides/")
    assert parse("---\ntitle: x\ndate: 2021-06-14\npermalink: /about/tides.html\n---\n").url == "about/tides.html"
    assert parse("---\ntitle: x\ndate: 2021-06-14\nredirect_from: /2014/tides\n---\n").aliases == ("2014/tides/",)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("https://example.org/old/", "'https://example.org/old/' must be a path on this site such as /news/old-story/, not a full URL"),
        ("/old/../../etc/", "'/old/../../etc/' must not contain '.' or '..' parts"),
        ("/old page/", "'/old page/' must be a plain path, without spaces, '?', '#' or backslashes"),
        ("/old/?id=4", "'/old/?id=4' must be a plain path, without spaces, '?', '#' or backslashes"),
        ("/", "'/' is the site's front page; give the article its own path"),
    ],
)
def test_bad_paths(value: str, message: str) -> None:
    with pytest.raises(PathProblem) as problem:
        site_path(value)
    assert str(problem.value) == message
    assert errors(f"---\ntitle: x\ndate: 2021-06-14\naliases: ['{value}']\n---\n") == [f"content/story.md:4: aliases: {message}"]


def test_url_must_be_text() -> None:
    assert errors("---\ntitle: x\ndate: 2021-06-14\nurl: [a, b]\n---\n") == ["content/story.md:4: url: expected text, got a list"]


def test_bundle_takes_its_slug_and_date_from_the_folder() -> None:
    a = parse("---\ntitle: x\n---\n![Pier](pier.jpg)\n", "content/2021/2021-06-14-tide-tables/index.md")
    assert (a.slug, a.date.date(), a.is_bundle, a.folder) == ("tide-tables", dt.date(2021, 6, 14), True, "content/2021/2021-06-14-tide-tables")
    b = parse("---\ntitle: x\ndate: 2021-06-14\n---\n", "content/world/floods.md")
    assert (b.slug, b.is_bundle, b.folder) == ("floods", False, "content/world")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+++\ntitle = 'x'\n", ["content/story.md:1: front matter opened with '+++' on line 1 is never closed with '+++'"]),
        ("+++\ntitle = 'x'\ndate = \n+++\n", ["content/story.md:3: front matter is not valid TOML: Invalid value"]),
        ('{\n  "title": "x",\n  "date": 2021-06-14\n}\n', ["content/story.md:3: front matter is not valid JSON: Expecting ',' delimiter"]),
        ('{"title": "x", "date": "2021-06-14"} Body on the same line\n',
         ["content/story.md:1: front matter in JSON must end with '}' on a line of its own"]),
        ('["x"]\n', ["content/story.md:1: no front matter: start the file with a '---' line, then 'title: ...'"]),
        ("+++\ntitle = 'x'\ndate = 2021-02-30\n+++\n", ["content/story.md:3: front matter is not valid TOML: Invalid date or datetime"]),
        ("+++\ntitle = 'x'\ndate = 09:30:00\n+++\n",
         ["content/story.md:3: date: expected a date such as 2024-05-01 or 2024-05-01T09:30:00, got datetime.time(9, 30)"]),
    ],
)
def test_bad_toml_and_json(text: str, expected: list[str]) -> None:
    assert errors(text) == expected


def test_bundle_files_are_the_files_beside_index_md(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "content/2021/tide-tables/index.md": "---\ntitle: x\ndate: 2021-06-14\n---\n![Pier](pier.jpg)\n",
        "content/2021/tide-tables/pier.jpg": b"\xff\xd8",
        "content/2021/tide-tables/charts/june.png": b"\x89PNG",
        "content/2021/tide-tables/sidebar.md": "---\ntitle: Sidebar\ndate: 2021-06-14\n---\n",
        "content/2021/tide-tables/.DS_Store": b"",
        "content/2021/tide-tables/gallery/index.md": "---\ntitle: Gallery\ndate: 2021-06-14\n---\n",
        "content/2021/tide-tables/gallery/one.jpg": b"\xff\xd8",
    })
    assert bundle_files(tmp_path / "content/2021/tide-tables/index.md") == ["charts/june.png", "pier.jpg"]
    assert bundle_files(tmp_path / "content/2021/tide-tables/gallery/index.md") == ["one.jpg"]
    assert [p.relative_to(tmp_path).as_posix() for p in find_sources(tmp_path / "content")] == [
        "content/2021/tide-tables/gallery/index.md", "content/2021/tide-tables/index.md", "content/2021/tide-tables/sidebar.md"]


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("pier.jpg", "content/2021/tide-tables/pier.jpg"),
        ("./charts/june.png#top", "content/2021/tide-tables/charts/june.png"),
        ("../shared/map.svg", "content/2021/shared/map.svg"),
        ("../../../etc/passwd", None),
        ("/static/images/a.png", None),
        ("https://example.org/a.png", None),
        ("#section", None),
    ],
)
def test_relative_paths_resolve_from_the_articles_folder(ref: str, expected: str | None) -> None:
    a = parse("---\ntitle: x\ndate: 2021-06-14\n---\n", "content/2021/tide-tables/index.md")
    assert local_reference(a, ref) == expected


def test_hugo_images_list_and_jekyll_image_table() -> None:
    assert parse('+++\ntitle = "x"\ndate = 2021-06-14\nimages = ["/img/pier.jpg", "/img/b.jpg"]\n+++\n').image == "/img/pier.jpg"
    a = parse("---\ntitle: x\ndate: 2021-06-14\nimage:\n  path: /assets/pier.jpg\n  alt: The pier at dusk\n---\n")
    assert (a.image, a.extra) == ("/assets/pier.jpg", {"image_alt": "The pier at dusk"})
    assert errors("---\ntitle: x\ndate: 2021-06-14\nimage: {src: a.jpg}\n---\n") == [
        "content/story.md:4: image: expected text, got a mapping"]


def test_pelican_metadata_lines() -> None:
    a = parse("Title: Harbour lights switched on\nDate: 2010-12-03 10:20\nModified: 2010-12-05 19:30\nCategory: City\n"
              "Tags: harbour, lights\nSlug: harbour-lights\nAuthors: Alexis Moreau, Ann Lee\nSummary: The pier is lit\n"
              "    again after ten years.\nStatus: draft\n\nThe body, after a blank line.\n")
    assert (a.title, a.section, a.tags, a.slug, a.authors) == (
        "Harbour lights switched on", "City", ("harbour", "lights"), "harbour-lights", ("Alexis Moreau", "Ann Lee"))
    assert (a.summary, a.draft, a.body, a.body_line) == ("The pier is lit again after ten years.", True, "The body, after a blank line.\n", 12)
    assert a.date == dt.datetime(2010, 12, 3, 10, 20, tzinfo=NEW_YORK)
    assert a.updated == dt.datetime(2010, 12, 5, 19, 30, tzinfo=NEW_YORK)
    assert errors("Title: x\nDate: someday\n\nBody.\n") == [
        "content/story.md:2: Date: 'someday' is not a date; write it as 2024-05-01 or 2024-05-01T09:30:00+08:00"]
    assert errors("Note: no title here\n\nBody.\n") == [
        "content/story.md:2: missing title: add 'title: ...' to the front matter",
        "content/story.md:2: no date: add 'date: 2024-05-01' to the front matter or name the file 2024-05-01-slug.md"]
