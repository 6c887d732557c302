"""Archives in each dialect (Hugo TOML, YAML, JSON; Jekyll; Pelican), read as a newsroom moving to Broadsheet has them.

Each folder in tests/fixtures/archives/ is a site (site.toml, content/, templates/) with an
expected.json: every article's URL and old paths, its dates, fields and pieces of its HTML, and the
warnings. Archives that must fail are CLI cases in tests/invalid_sites/.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from broadsheet.markup.markdown import render_article
from broadsheet.markup.shortcodes import Shortcodes
from broadsheet.model.config import Settings, load_settings
from broadsheet.model.content import Article, parse_article
from broadsheet.model.sources import bundle_files, find_sources
from broadsheet.outputs.redirects import alias_path
from broadsheet.pages.articles import article_url

ARCHIVES = Path(__file__).parent / "fixtures" / "archives"
SITES = sorted(p.name for p in ARCHIVES.iterdir() if (p / "expected.json").is_file())


def _read(site: Path) -> tuple[Settings, list[tuple[Path, Article]]]:
    settings = load_settings(site / "site.toml")
    articles = []
    for path in find_sources(site / "content"):
        rel = path.relative_to(site).as_posix() if site.is_absolute() else path.as_posix()
        articles.append((path, parse_article(path.read_bytes(), rel, settings.zone, settings.front_matter)))
    return settings, articles


def _url(article: Article, settings: Settings) -> str:
    return article.url or article_url(article, settings)


def _iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat() if value else None


def test_every_dialect_has_an_archive() -> None:
    assert {"hugo_toml", "hugo_yaml", "hugo_json", "jekyll", "pelican"} <= set(SITES)


@pytest.mark.parametrize("name", SITES)
def test_archive(name: str) -> None:
    site = ARCHIVES / name
    expected: dict[str, Any] = json.loads((site / "expected.json").read_text(encoding="utf-8"))
    settings, articles = _read(site)
    shortcodes = Shortcodes(site / "templates")
    assert sorted(a.source for _, a in articles) == sorted(expected["articles"])
    warnings: list[str] = []
    urls: dict[str, str] = {}
    for path, article in articles:
        want = expected["articles"][article.source]
        rendered = render_article(article, settings.language, shortcodes)
        warnings.extend(str(w) for w in rendered.warnings)
        url = _url(article, settings)
        assert url == want["url"], article.source
        assert [alias_path(p, url) for p in article.aliases] == want["aliases"], article.source
        assert _iso(article.date) == want["date"], article.source
        for key in ("tags", "authors", "section", "summary", "slug", "draft", "image_credit"):
            if key in want:
                value = getattr(article, key)
                assert (list(value) if isinstance(value, tuple) else value) == want[key], (article.source, key)
        if "expires" in want:
            assert _iso(article.expires) == want["expires"]
        if "extra" in want:
            assert dict(article.extra) == want["extra"], article.source
        if "bundle" in want:
            assert article.is_bundle and bundle_files(path) == want["bundle"]
        for piece in want.get("html", []):
            assert piece in str(rendered.html), (article.source, piece)
        assert "{{<" not in str(rendered.html) and "{{%" not in str(rendered.html)
        for other in (url, *(alias_path(p, url) for p in article.aliases)):
            assert urls.setdefault(other, article.source) == article.source, f"{other} claimed twice"
    assert warnings == expected["warnings"]
