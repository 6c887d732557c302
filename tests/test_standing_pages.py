"""Standing pages: undated pages at their own URL, in menus and the sitemap, never in feeds or lists."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import html as lxml_html
from sitekit import article, build, front_matter, write_files

from broadsheet.errors import BuildFailed
from broadsheet.model.config import parse_settings

SITE_TOML = """\
title = "The Test Times"
base_url = "https://example.org/news/"

[menus]
footer = ["about", "/ethics-policy/", { label = "Corrections", url = "/corrections/" }, { label = "Tips", url = "mailto:tips@example.org" }]
masthead = ["contact"]
"""


def _site(root: Path, **extra: str) -> Path:
    write_files(root, {
        "site.toml": SITE_TOML,
        "content/2024-05-01-budget.md": article(title="Budget day", date="2024-05-01", tags=["money"], section="Business"),
        "content/pages/about.md": front_matter(title="About us", summary="Who we are.") + "\nWe report the city.\n",
        "content/pages/contact.md": front_matter(title="Contact", updated="2024-06-01") + "\nWrite to us.\n",
        # A page outside the pages folder, by its type, at a URL of its own; its date shows nowhere.
        "content/policies/ethics.md": front_matter(
            title="Ethics policy", type="page", url="/ethics-policy/", date="2020-01-01", tags=["money"],
        ) + "\nWe take no gifts.\n",
        **extra,
    })
    return root


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = _site(tmp_path_factory.mktemp("standing"))
    build(root)
    return root / "output"


def parse(path: Path) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(path.read_bytes())


def test_pages_live_at_their_own_urls_with_their_own_template(output: Path) -> None:
    about = parse(output / "about/index.html")
    assert about.xpath("string(//body/@class)") == "kind-page"
    assert about.xpath("string(//article[@class='standing']//h1)") == "About us"
    assert "We report the city." in about.xpath("string(//div[contains(@class, 'standing-body')])")
    assert not about.xpath("//*[contains(@class, 'byline') or contains(@class, 'reading-time')]")
    assert not about.xpath("//time")  # undated
    ethics = parse(output / "ethics-policy/index.html")
    assert ethics.xpath("string(//h1)") == "Ethics policy"
    assert not ethics.xpath("//time")  # a date given to a page is not shown
    contact = parse(output / "contact/index.html")
    assert contact.xpath("string(//time/@datetime)").startswith("2024-06-01")  # "Updated ..." when it says so


def test_pages_are_in_the_sitemap_and_in_no_feed_list_or_archive(output: Path) -> None:
    sitemap = (output / "sitemap.xml").read_text(encoding="utf-8")
    for url in ("about/", "contact/", "ethics-policy/"):
        assert f"<loc>https://example.org/news/{url}</loc>" in sitemap
    assert "<lastmod>2024-06-01" in sitemap.split("contact/</loc>")[1].split("</url>")[0]
    feeds = {rel: (output / rel).read_text(encoding="utf-8") for rel in ("feed.xml", "atom.xml", "feed.json", "news-sitemap.xml")}
    # HTML lists: what their <main> shows (the footer menu links pages on every page).
    lists = {
        rel: lxml_html.tostring(parse(output / rel).xpath("//main")[0], encoding="unicode")
        for rel in ("index.html", "2024/index.html", "archive/index.html", "tags/money/index.html", "tags/index.html")
    }
    for rel, text in {**feeds, **lists}.items():
        for shown in ("About us", "Ethics policy", "We take no gifts", "about/", "ethics-policy/"):
            assert shown not in text, (rel, shown)
    assert not (output / "2020").exists()  # no archive for a page's date
    assert not (output / "1970").exists()
    assert [item["title"] for item in json.loads(feeds["feed.json"])["items"]] == ["Budget day"]
    tag = parse(output / "tags/money/index.html")
    assert [a.text for a in tag.xpath("//h2[@class='card-title']/a")] == ["Budget day"]


def test_menus_link_pages_by_name_or_url_and_other_links_as_given(output: Path) -> None:
    page = parse(output / "2024/05/01/budget/index.html")
    footer = [(a.text, a.get("href")) for a in page.xpath("//nav[@class='site-footer-pages']//a")]
    assert footer == [
        ("About us", "/news/about/"), ("Ethics policy", "/news/ethics-policy/"), ("Corrections", "/news/corrections/"),
        ("Tips", "mailto:tips@example.org"),
    ]
    masthead = [(a.text, a.get("href")) for a in page.xpath("//ul[@class='masthead-pages']//a")]
    assert masthead == [("Contact", "/news/contact/")]


def test_a_menu_entry_naming_no_page_is_an_error(tmp_path: Path) -> None:
    _site(tmp_path)
    (tmp_path / "site.toml").write_text(SITE_TOML.replace('"contact"', '"contcat"'), encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        build(tmp_path)
    [error] = failed.value.errors
    assert error.path == "site.toml"
    assert "menus.masthead: 'contcat' is not a standing page (pages: about, contact, ethics)" in error.message


def test_two_pages_on_one_url_name_both_files(tmp_path: Path) -> None:
    _site(tmp_path, **{"content/pages/about-us.md": front_matter(title="About", url="/about/") + "\nAgain.\n"})
    with pytest.raises(BuildFailed) as failed:
        build(tmp_path)
    [error] = failed.value.errors
    assert {error.path, error.message.rsplit(" ", 1)[-1]} == {
        str(tmp_path / "content/pages/about-us.md"), str(tmp_path / "content/pages/about.md")}


def test_menus_settings_report_every_problem_at_once() -> None:
    with pytest.raises(BuildFailed) as failed:
        parse_settings({"menus": {"footer": "about", "masthead": ["", {"label": "x"}, 3]}}, "site.toml")
    messages = [e.message for e in failed.value.errors]
    assert messages[0].startswith("menus: footer: must be a list")
    assert [m.split(" must")[0] for m in messages[1:]] == [
        "menus: masthead: entry 1", "menus: masthead: entry 2", "menus: masthead: entry 3"]
    assert parse_settings({"menus": {"footer": ["about"]}}, "site.toml").menus == {"footer": ("about",)}


def test_a_draft_page_is_left_out_and_an_edited_page_is_rebuilt(tmp_path: Path) -> None:
    _site(tmp_path)
    build(tmp_path, cache_dir=tmp_path / "cache")
    (tmp_path / "content/pages/about.md").write_text(front_matter(title="About us") + "\nWe report the whole city.\n")
    build(tmp_path, cache_dir=tmp_path / "cache")
    assert "the whole city" in (tmp_path / "output/about/index.html").read_text(encoding="utf-8")
    (tmp_path / "site.toml").write_text(SITE_TOML.replace('"about", ', ""), encoding="utf-8")
    (tmp_path / "content/pages/about.md").write_text(front_matter(title="About us", draft=True) + "\nSoon.\n")
    build(tmp_path, cache_dir=tmp_path / "cache")
    assert not (tmp_path / "output/about").exists()


def test_menus_survive_a_command_line_override() -> None:
    settings = parse_settings({"menus": {"footer": ["about", {"label": "Tips", "url": "/tips/"}]}}, "site.toml")
    assert settings.with_overrides(base_url="https://example.com/").menus == settings.menus


def test_a_moved_page_redirects_from_its_old_path(tmp_path: Path) -> None:
    _site(tmp_path)
    (tmp_path / "content/pages/about.md").write_text(
        front_matter(title="About us", aliases=["/who-we-are/"]) + "\nWe report the city.\n", encoding="utf-8")
    build(tmp_path)
    redirect = parse(tmp_path / "output/who-we-are/index.html")
    assert redirect.xpath("string(//link[@rel='canonical']/@href)") == "https://example.org/news/about/"
    assert "/who-we-are/ /news/about/ 301" in (tmp_path / "output/_redirects").read_text(encoding="utf-8")
