"""routes.py: every output file planned once; two claims on one file are errors naming both."""

from __future__ import annotations

import pytest
from sitekit import article, make_stories

from broadsheet.errors import BuildFailed
from broadsheet.model.config import Settings, parse_settings
from broadsheet.model.site import build_site
from broadsheet.pages.articles import ARTICLES, article_url, safe_url
from broadsheet.pages.front import FRONT_PAGE
from broadsheet.pages.kinds import Page
from broadsheet.pages.plan import plan

SETTINGS = Settings()


def test_article_url_from_the_permalink() -> None:
    (story,) = make_stories(SETTINGS, ("2024-05-01-budget.md", article(date="2024-05-01", section="World News")))
    assert story.url == "2024/05/01/budget/"
    custom = parse_settings({"permalink": "{section}/{year}/{slug}.html"}, "x")
    assert article_url(story.article, custom) == "world-news/2024/budget.html"
    assert Page("a/b.html", "article", "x", ARTICLES).output_path == "a/b.html"
    assert Page("a/", "article", "x", ARTICLES).output_path == "a/index.html"
    assert Page("", "home", "x", FRONT_PAGE).output_path == "index.html"


@pytest.mark.parametrize("url", ["/abs/", "../x/", "a/../../b/", "a\\b/", ".."])
def test_unsafe_urls_are_refused(url: str) -> None:
    with pytest.raises(ValueError, match="unsafe output path"):
        safe_url(url)


def test_plan_covers_every_kind_of_page() -> None:
    site = build_site(SETTINGS, make_stories(SETTINGS, ("a.md", article(tags=["T"], authors=["Ann"], section="World"))))
    pages = plan(site)
    assert {p.kind for p in pages} == {
        "article", "home", "author-index", "author", "tag-index", "tag", "section-index", "section",
        "archive-index", "archive", "search", "404", "feed", "sitemap", "robots",
    }
    paths = [p.output_path for p in pages]
    assert len(paths) == len(set(paths))
    assert {"2024/05/01/a/index.html", "index.html", "tags/t/index.html", "authors/ann/index.html",
            "sections/world/index.html", "2024/index.html", "2024/05/index.html", "2024/05/01/index.html",
            "archive/index.html", "404.html"} <= set(paths)


def test_two_articles_claiming_one_url_is_an_error_naming_both() -> None:
    stories = make_stories(
        SETTINGS,
        ("one.md", article(title="One", slug="same")),
        ("two.md", article(title="Two", slug="same")),
    )
    with pytest.raises(BuildFailed) as failed:
        plan(build_site(SETTINGS, stories))
    (error,) = failed.value.errors
    assert str(error) == "content/one.md: URL /2024/05/01/same/ is already used by content/two.md"


def test_a_page_cannot_take_a_static_file_path() -> None:
    custom = parse_settings({"permalink": "static/{slug}.css"}, "x")
    stories = make_stories(custom, ("site.md", article()))
    with pytest.raises(BuildFailed) as failed:
        plan(build_site(custom, stories), reserved={"static/site.css": "static/site.css"})
    assert str(failed.value.errors[0]) == "content/site.md: URL /static/site.css is already used by static/site.css"


def test_article_cannot_overwrite_a_list_page() -> None:
    custom = parse_settings({"permalink": "tags/{slug}/"}, "x")
    stories = make_stories(custom, ("x.md", article(tags=["x"])))
    with pytest.raises(BuildFailed) as failed:
        plan(build_site(custom, stories))
    assert str(failed.value.errors[0]) == "tag 'x': URL /tags/x/ is already used by content/x.md"


def test_a_file_where_another_page_needs_a_folder_is_an_error() -> None:
    custom = parse_settings({"permalink": "{slug}"}, "x")
    stories = make_stories(custom, ("tags.md", article(tags=["x"])))
    with pytest.raises(BuildFailed) as failed:
        plan(build_site(custom, stories))
    (error,) = [str(e) for e in failed.value.errors]
    assert error.startswith("content/tags.md: URL /tags is a file, but tag ") and error.endswith(" needs it as a folder")
