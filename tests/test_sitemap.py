"""sitemap.xml (and its index past the URL limit), the Google News sitemap and robots.txt."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from lxml import etree
from smallsite import build, news_site, write_article

import broadsheet.pages.sitemaps
from broadsheet.build import Builder, BuildOptions

BASE = "https://example.org/news/"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "n": "http://www.google.com/schemas/sitemap-news/0.9"}


def html_urls(output: Path, base: str = BASE) -> set[str]:
    """The public URL of every HTML page in ``output`` but the 404 page."""
    urls = set()
    for page in output.rglob("*.html"):
        rel = page.relative_to(output).as_posix()
        if rel != "404.html":
            urls.add(base + rel.removesuffix("index.html"))
    return urls


def locs(path: Path, xpath: str = "//s:url") -> dict[str, str | None]:
    root = etree.parse(str(path)).getroot()
    return {u.findtext("s:loc", namespaces=NS): u.findtext("s:lastmod", namespaces=NS) for u in root.xpath(xpath, namespaces=NS)}


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sitemap")
    news_site(root)
    return build(root, BASE)


def test_sitemap_lists_every_page_with_lastmod(output: Path) -> None:
    entries = locs(output / "sitemap.xml")
    assert set(entries) == html_urls(output)
    for lastmod in entries.values():
        assert lastmod is not None and dt.datetime.fromisoformat(lastmod).tzinfo is not None
    # An article's lastmod is its update; a list's is its newest story's.
    assert dt.datetime.fromisoformat(entries[BASE + "2024/05/02/budget/"]) == dt.datetime(2024, 5, 3, 7, 15, tzinfo=dt.UTC)
    assert dt.datetime.fromisoformat(entries[BASE + "sections/business/"]) == dt.datetime(2024, 5, 1, 7, 30, tzinfo=dt.UTC)


def test_sitemap_is_split_by_an_index_past_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    news_site(tmp_path)
    monkeypatch.chdir(tmp_path)  # its static/ holds the lead image
    monkeypatch.setattr(broadsheet.pages.sitemaps, "MAX_URLS", 5)
    output = tmp_path / "output"
    Builder(BuildOptions(content=tmp_path / "content", output=output, config=tmp_path / "site.toml",
                         templates=tmp_path / "templates", base_url=BASE, jobs=1, cache_dir=None)).build()
    index = etree.parse(str(output / "sitemap.xml")).getroot()
    assert etree.QName(index).localname == "sitemapindex"
    parts = locs(output / "sitemap.xml", "//s:sitemap")
    seen: list[str] = []
    for loc, lastmod in parts.items():
        assert loc.startswith(BASE) and lastmod
        part = locs(output / loc.removeprefix(BASE))
        assert 0 < len(part) <= 5
        seen += part
    assert len(seen) == len(set(seen))
    assert set(seen) == html_urls(output)


def test_news_sitemap_has_only_the_last_two_days(tmp_path: Path) -> None:
    content = news_site(tmp_path)
    write_article(content, "2024-05-01-early.md", "title: Early on the first\ndate: 2024-05-01T08:00:00Z\n", "Text.\n")
    output = build(tmp_path, BASE)
    root = etree.parse(str(output / "news-sitemap.xml")).getroot()
    urls = {u.findtext("s:loc", namespaces=NS): u for u in root.findall("s:url", NS)}
    # The newest story is 2024-05-02 18:00Z; two days back is 2024-04-30 18:00Z.
    assert set(urls) == {BASE + "2024/05/02/budget/", BASE + "2024/05/01/rates/", BASE + "2024/05/01/early/"}
    news = urls[BASE + "2024/05/01/rates/"].find("n:news", NS)
    assert news.findtext("n:publication/n:name", namespaces=NS) == "Broadsheet"
    assert news.findtext("n:publication/n:language", namespaces=NS) == "en"
    assert news.findtext("n:title", namespaces=NS) == 'Rates <rise> & "markets" ]]> fall'
    assert dt.datetime.fromisoformat(news.findtext("n:publication_date", namespaces=NS)) == dt.datetime(
        2024, 5, 1, 7, 30, tzinfo=dt.UTC
    )


def test_robots_txt_names_the_sitemaps(output: Path) -> None:
    lines = (output / "robots.txt").read_text("utf-8").splitlines()
    assert "User-agent: *" in lines
    assert f"Sitemap: {BASE}sitemap.xml" in lines
    assert f"Sitemap: {BASE}news-sitemap.xml" in lines


def test_empty_site_still_gets_valid_files(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    output = build(tmp_path, "https://example.org/")
    assert set(locs(output / "sitemap.xml")) == html_urls(output, "https://example.org/")
    assert "https://example.org/" in locs(output / "sitemap.xml")
    assert etree.parse(str(output / "news-sitemap.xml")).getroot().findall("s:url", NS) == []
    assert etree.parse(str(output / "feed.xml")).getroot().findall("channel/item") == []
