"""The same site built at a domain root and under a sub-path: every link and asset resolves."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html
import pytest
from lxml import etree
from smallsite import build, news_site, run_site

# Every attribute of every element that makes a browser fetch or navigate.
REFERENCES = "//@href | //@src | //img/@srcset | //meta[@property='og:url' or @property='og:image']/@content"


def to_file(output: Path, base_url: str, url: str) -> Path | None:
    """The output file a URL of this site is served from, or None if it is outside the site."""
    path = urlsplit(url).path
    base_path = urlsplit(base_url).path
    if not path.startswith(base_path):
        return None
    rel = unquote(path[len(base_path) :])
    return output / (rel + "index.html" if rel == "" or rel.endswith("/") else rel)


@pytest.mark.parametrize("base_url", ["https://example.org/", "https://example.org/news/"])
def test_every_internal_reference_resolves(tmp_path: Path, base_url: str) -> None:
    news_site(tmp_path)
    output = build(tmp_path, base_url)
    host = urlsplit(base_url).netloc
    pages = sorted(output.rglob("*.html"))
    assert len(pages) > 10
    broken: list[str] = []
    followed = 0
    for page in pages:
        page_url = urljoin(base_url, page.relative_to(output).as_posix())
        document = lxml.html.fromstring(page.read_bytes())
        for value in document.xpath(REFERENCES):
            for ref in value.split(",") if value.attrname == "srcset" else [value]:
                url = urljoin(page_url, ref.strip().split(" ")[0])
                if urlsplit(url).netloc != host or urlsplit(url).scheme not in ("http", "https"):
                    continue
                followed += 1
                target = to_file(output, base_url, url)
                if target is None or not target.is_file():
                    broken.append(f"{page.relative_to(output)} -> {ref}")
    assert followed > 100
    assert broken == []


@pytest.mark.parametrize("base_url", ["https://example.org/", "https://example.org/news/"])
def test_feeds_and_sitemaps_point_into_the_site(tmp_path: Path, base_url: str) -> None:
    news_site(tmp_path)
    output = build(tmp_path, base_url)
    urls: list[str] = []
    for name in ("sitemap.xml", "news-sitemap.xml", "feed.xml", "atom.xml", "tags/economy/feed.xml"):
        root = etree.parse(str(output / name)).getroot()
        urls += [e.text for e in root.iter() if isinstance(e.tag, str) and etree.QName(e).localname in ("loc", "guid")]
        urls += [e.get("href") for e in root.iter("{http://www.w3.org/2005/Atom}link")]
    document = json.loads((output / "feed.json").read_text("utf-8"))
    urls += [document["feed_url"], document["home_page_url"], *(i["url"] for i in document["items"])]
    assert len(urls) > 20
    for url in urls:
        assert url.startswith(base_url), url
        target = to_file(output, base_url, url)
        assert target is not None and target.is_file(), url


@pytest.mark.parametrize("base_url", ["https://example.org/", "https://example.org/news/"])
def test_check_command_passes_at_both_paths(tmp_path: Path, base_url: str) -> None:
    news_site(tmp_path)
    result = run_site(tmp_path, "check", "--content", "content", "--output", "output", "--base-url", base_url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "none broken" in result.stdout


def test_a_root_build_fails_the_check_when_served_from_a_sub_path(tmp_path: Path) -> None:
    news_site(tmp_path)
    build(tmp_path, "https://example.org/")
    result = run_site(tmp_path, "check", "--no-build", "--output", "output", "--base-url", "https://example.org/news/")
    assert result.returncode == 1
    assert any(re.fullmatch(r"output/index\.html: broken link to /static/css/site\.[0-9a-f]{8}\.css", line) for line in result.stdout.splitlines())


def test_a_rebuild_at_another_path_links_every_asset_there(tmp_path: Path) -> None:
    """The deploy recipe: build at the root, then again under a sub-path, with one build cache.

    Jinja folds a filter applied to a constant ('css/site.css' | asset_url | url) into the
    compiled template, so templates compiled for one base URL must not serve another.
    """
    news_site(tmp_path)
    build(tmp_path, "https://example.org/", "--no-search")
    output = build(tmp_path, "https://example.org/news/", "--no-search")
    for page in ("index.html", "search/index.html"):
        html = (output / page).read_text(encoding="utf-8")
        assets = re.findall(r'(?:href|src)="([^"]*/static/[^"]*)"', html)
        assert assets and all(ref.startswith("/news/static/") for ref in assets), (page, assets)
