"""Editions: a site with further languages publishes each under its prefix, linked by hreflang and a switcher."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import lxml.etree
import lxml.html
import pytest
from sitekit import article, build, html_files, run_cli, tree, write_files
from test_theme_languages import ALLOWED_LATIN, _english_theme_words

from broadsheet.build import BuildReport

BASE = "https://example.org/news/"
SITE_TOML = f"""title = "The Hangzhou Courier"
base_url = "{BASE}"
language = "en"
timezone = "Asia/Shanghai"
languages = ["zh-Hans", "ar"]

[editions.zh-Hans]
title = "杭州信使报"
description = "杭州的数字平台、商业与城市生活"
"""
XHTML = "{http://www.w3.org/1999/xhtml}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _site(site: Path) -> None:
    write_files(site, {
        "site.toml": SITE_TOML,
        "content/market.md": article(
            "Stalls are back by the canal, and the queues are shorter.\n", title="Night market reopens", date="2024-05-02T20:00:00+08:00",
            authors=["Lin Xiao"], section="City", tags=["markets"], translation_key="market"),
        "content/metro.md": article(
            "Every station now opens its gates to a face.\n", title="Metro gates read faces", date="2024-05-01T08:00:00+08:00",
            authors=["Zhou Wenjing"], section="City", tags=["transport"]),
        "content/ja.md": article("駅の改札が新しくなった。\n", title="改札が新しく", date="2024-04-30", lang="ja", section="City"),
        "content/zh/market.md": article(
            "运河边的夜市重新开张，排队的人少了。\n", title="运河夜市重新开张", date="2024-05-02T21:00:00+08:00",
            authors=["林晓"], section="城市", tags=["夜市"], lang="zh-Hans", translation_key="market"),
        "content/zh/bus.md": article(
            "公交准点率看板上线，乘客可以查看每条线路的准点情况。\n", title="公交准点率看板上线", date="2024-04-29T09:00:00+08:00",
            authors=["周文静"], section="城市", tags=["公交"], lang="zh-Hans"),
        "content/ar/market.md": article(
            "عاد سوق الليل إلى ضفة القناة.\n", title="سوق الليل يعود", date="2024-05-03", authors=["لين شياو"],
            section="المدينة", lang="ar", translation_of="market"),
    })


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    site = tmp_path_factory.mktemp("editions")
    _site(site)
    report = build(site)
    return site / "output", report


@pytest.fixture(scope="module")
def output(built: tuple[Path, BuildReport]) -> Path:
    return built[0]


def _doc(output: Path, path: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((output / path).read_bytes())


def _file_of(output: Path, url: str) -> Path:
    """The output file an absolute or base-path URL of the site names."""
    path = urlsplit(url).path
    assert path.startswith("/news/"), url
    rel = path[len("/news/"):]
    return output / (rel + "index.html" if rel == "" or rel.endswith("/") else rel)


def _links(doc: lxml.html.HtmlElement, xpath: str) -> list[str]:
    return [urlsplit(href).path for href in doc.xpath(xpath)]


def _alternates(page: Path) -> dict[str, str]:
    doc = lxml.html.fromstring(page.read_bytes())
    return {link.get("hreflang"): link.get("href") for link in doc.xpath("/html/head/link[@rel='alternate'][@hreflang]")}


def test_each_edition_has_its_own_pages_under_its_prefix(output: Path) -> None:
    front = _doc(output, "zh/index.html")
    nav = _links(front, "//nav[@class='sections']//a/@href")
    # The edition's front page, its section, its archive: all under /zh/.
    assert nav[0] == "/news/zh/" and nav[-1] == "/news/zh/archive/" and len(nav) == 3
    section = _file_of(output, nav[1])
    assert section.is_file() and section.parent.parent.name == "sections"
    assert _doc(output, section.relative_to(output).as_posix()).xpath("string(//h1)").strip() == "城市"
    footer = _links(front, "//footer//nav//a/@href")
    for kind in ("authors", "tags", "sections", "search"):
        assert f"/news/zh/{kind}/" in footer
        assert (output / "zh" / kind / "index.html").is_file()
    # Tag and author pages of the edition's own stories.
    article_page = _file_of(output, _links(front, "//main//h2[contains(@class, 'card-title')]/a/@href | //main//h3/a/@href")[0])
    story = lxml.html.fromstring(article_page.read_bytes())
    for href in _links(story, "//p[@class='byline']//a/@href") + _links(story, "//ul[contains(@class, 'tags')]//a/@href"):
        assert href.startswith("/news/zh/") and _file_of(output, href).is_file(), href
    assert (output / "ar/index.html").is_file() and (output / "ar/feed.xml").is_file()
    # Site-wide files stay at the root, once.
    assert not (output / "zh/404.html").exists() and not (output / "zh/sitemap.xml").exists()


def test_every_page_carries_its_editions_language_and_direction(output: Path) -> None:
    """Pagefind builds one index per <html lang>: every page must say its edition's language."""
    seen = {"en": 0, "zh-Hans": 0, "ar": 0}
    for page in html_files(output):
        rel = page.relative_to(output).as_posix()
        doc = lxml.html.fromstring(page.read_bytes())
        language = "zh-Hans" if rel.startswith("zh/") else "ar" if rel.startswith("ar/") else "en"
        assert doc.get("lang") == language, rel
        assert doc.get("dir") == ("rtl" if language == "ar" else None), rel
        seen[language] += 1
    assert seen["en"] > 10 and seen["zh-Hans"] > 10 and seen["ar"] > 5


def test_each_edition_lists_only_its_own_stories(output: Path) -> None:
    def stories(path: str) -> set[str]:
        return {urlsplit(h).path for h in _doc(output, path).xpath("//main//a/@href") if re.search(r"/\d{4}/\d\d/\d\d/[^/]+/$", h)}

    main, zh, ar = stories("index.html"), stories("zh/index.html"), stories("ar/index.html")
    assert len(main) == 3 and not any(u.startswith(("/news/zh/", "/news/ar/")) for u in main)  # the Japanese story stays here
    assert len(zh) == 2 and all(u.startswith("/news/zh/") for u in zh)
    assert len(ar) == 1 and all(u.startswith("/news/ar/") for u in ar)


def test_a_language_without_an_edition_stays_in_the_main_one_with_a_warning(built: tuple[Path, BuildReport]) -> None:
    output, report = built
    [warning] = [w for w in report.warnings if "has no edition" in w]
    assert warning.split(": ")[0].endswith("content/ja.md")  # the file, first
    assert "lang 'ja' has no edition (editions: en, zh-Hans, ar); the story appears in the main edition" in warning
    assert any("改札が新しく" in p.read_text(encoding="utf-8") for p in (output / "2024").rglob("index.html"))


def test_no_english_theme_string_on_the_chinese_edition(output: Path) -> None:
    english = _english_theme_words()
    pages = sorted((output / "zh").rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        doc = lxml.html.fromstring(page.read_bytes())
        for hidden in doc.xpath("//script | //style | //head"):
            hidden.drop_tree()
        # Text in another language says so (the switcher's "English"): it is not left untranslated.
        for other in doc.xpath("//body//*[@lang and @lang != 'zh-Hans']"):
            other.drop_tree()
        visible = " ".join([doc.text_content(), *doc.xpath("//@aria-label | //@placeholder | //@alt | //@title")])
        latin = set(re.findall(r"[A-Za-z]{2,}", visible))
        assert not (latin - ALLOWED_LATIN) & english, (page.relative_to(output).as_posix(), sorted(latin & english))


def test_edition_feeds_are_in_the_editions_language(output: Path) -> None:
    for name in ("feed.xml", "atom.xml"):
        feed = feedparser.parse((output / "zh" / name).read_bytes())
        assert not feed.bozo, feed.bozo_exception
        assert feed.feed.title == "杭州信使报"
        assert feed.feed.language == "zh-Hans"  # RSS <language>, Atom xml:lang
        assert {e.title for e in feed.entries} == {"运河夜市重新开张", "公交准点率看板上线"}
        assert all(urlsplit(e.link).path.startswith("/news/zh/") for e in feed.entries)
    rss = lxml.etree.fromstring((output / "zh/feed.xml").read_bytes())
    assert rss.findtext("channel/language") == "zh-Hans"
    # A tag's feed describes itself in the edition's language too.
    tags = {feed.feed.title: feed.feed.subtitle for feed in (feedparser.parse(p.read_bytes()) for p in (output / "zh/tags").glob("*/feed.xml"))}
    assert tags == {"杭州信使报: 夜市": "关于夜市的报道", "杭州信使报: 公交": "关于公交的报道"}
    assert feedparser.parse((output / "ar/feed.xml").read_bytes()).feed.language == "ar"
    main = feedparser.parse((output / "feed.xml").read_bytes())
    assert main.feed.language == "en" and "运河夜市重新开张" not in {e.title for e in main.entries}


def test_hreflang_alternates_are_reciprocal_with_x_default(output: Path) -> None:
    linked = 0
    for page in html_files(output):
        alternates = _alternates(page)
        if not alternates:
            continue
        linked += 1
        rel = page.relative_to(output).as_posix()
        assert "x-default" in alternates, rel
        assert page == _file_of(output, alternates[_doc(output, rel).get("lang")]), rel  # it lists itself
        for language, href in alternates.items():
            other = _file_of(output, href)
            assert other.is_file(), (rel, href)
            assert _alternates(other) == alternates, (rel, language, href)  # every alternate points back, the same set
            if language != "x-default":
                assert lxml.html.fromstring(other.read_bytes()).get("lang") == language
    # The three versions of the market story and the three front pages, and nothing else.
    assert linked == 6
    market = _alternates(output / "index.html")
    assert set(market) == {"en", "zh-Hans", "ar", "x-default"} and urlsplit(market["x-default"]).path == "/news/"


def test_sitemap_alternates_are_reciprocal(output: Path) -> None:
    root = lxml.etree.fromstring((output / "sitemap.xml").read_bytes())
    entries = {
        url.findtext(f"{SITEMAP}loc"): {link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")}
        for url in root.findall(f"{SITEMAP}url")
    }
    translated = {loc: links for loc, links in entries.items() if links}
    assert len(translated) == 6
    for loc, links in translated.items():
        assert loc in links.values() and "x-default" in links
        for href in links.values():
            assert entries[href] == links, (loc, href)
    assert any(loc.startswith(BASE + "zh/") for loc in entries) and any(loc.startswith(BASE + "ar/") for loc in entries)


def test_language_switcher_leads_to_the_translation_else_the_edition(output: Path) -> None:
    zh_story = _article(output / "zh", "运河夜市重新开张")
    english = _alternates(zh_story)["en"]
    doc = _doc(output, _file_of(output, english).relative_to(output).as_posix())
    switcher = doc.xpath("//nav[@class='editions']//li/*")
    assert [a.get("lang") for a in switcher] == ["en", "zh-Hans", "ar"]
    assert [a.text_content() for a in switcher] == ["English", "中文 (简体)", "العربية"]
    # Its own language is named, not linked; the others are links in their own language.
    assert switcher[0].tag == "span" and switcher[0].get("aria-current") == "true"
    assert [a.get("hreflang") for a in switcher[1:]] == ["zh-Hans", "ar"] and switcher[1].get("aria-current") is None
    assert _file_of(output, switcher[1].get("href")) == zh_story
    assert switcher[2].get("dir") == "rtl" and _file_of(output, switcher[2].get("href")).relative_to(output).parts[0] == "ar"
    # A story without translations: the switcher leads to the other editions' front pages.
    metro = _article(output / "2024", "Metro gates read faces")
    hrefs = _links(lxml.html.fromstring(metro.read_bytes()), "//nav[@class='editions']//a/@href")
    assert hrefs == ["/news/zh/", "/news/ar/"]


def _article(folder: Path, title: str) -> Path:
    """The article page under ``folder`` whose headline is ``title``."""
    [page] = [p for p in folder.rglob("index.html")
              if lxml.html.fromstring(p.read_bytes()).xpath(f"//body[@class='kind-article']//h1[normalize-space()='{title}']")]
    return page


def test_a_site_in_one_language_has_no_switcher_and_no_alternates(tmp_path: Path) -> None:
    write_files(tmp_path, {"site.toml": 'title = "One"\n', "content/a.md": article(title="A", date="2024-05-01")})
    build(tmp_path)
    page = (tmp_path / "output/index.html").read_text(encoding="utf-8")
    assert 'class="editions"' not in page and "hreflang" not in page
    assert not (tmp_path / "output/zh").exists()


def test_a_configured_prefix(tmp_path: Path) -> None:
    _site(tmp_path)
    toml = SITE_TOML.replace('[editions.zh-Hans]\n', '[editions.zh-Hans]\nprefix = "cn"\n')
    write_files(tmp_path, {"site.toml": toml})
    build(tmp_path)
    output = tmp_path / "output"
    assert (output / "cn/index.html").is_file() and not (output / "zh").exists()
    assert _doc(output, "cn/index.html").get("lang") == "zh-Hans"
    assert urlsplit(_alternates(output / "index.html")["zh-Hans"]).path == "/news/cn/"


def test_an_edition_table_for_an_unlisted_language_is_an_error(tmp_path: Path) -> None:
    write_files(tmp_path, {"site.toml": 'languages = ["ar"]\n[editions.fr]\ntitle = "Le Courrier"\n',
                           "content/a.md": article(title="A", date="2024-05-01")})
    result = run_cli("build", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "error: site.toml: editions: 'fr' is not in languages; list it there to publish its edition" in result.stderr



def test_an_edition_storys_body_edit_rebuilds_incrementally_as_in_full(tmp_path: Path) -> None:
    """The delta path: only content changed, the pages of the story's edition that show it render again."""
    site = tmp_path / "site"
    _site(site)
    cache = tmp_path / "cache"
    build(site, cache_dir=cache, full=False)
    story = site / "content/zh/market.md"
    story.write_text(story.read_text(encoding="utf-8").replace("排队的人少了", "排队的人少了很多"), encoding="utf-8")
    report = build(site, cache_dir=cache, full=False)
    # The edition's pages that show the story, and the news sitemap, which lists every edition's newest stories.
    assert report.rendered_urls and all(url.startswith("zh/") or url == "news-sitemap.xml" for url in report.rendered_urls), report.rendered_urls
    assert any(url.endswith("/market/") for url in report.rendered_urls)
    build(site, output=tmp_path / "full")
    assert tree(site / "output", skip=("pagefind/",)) == tree(tmp_path / "full", skip=("pagefind/",))


def test_translations_in_a_site_without_editions_link_each_other(tmp_path: Path) -> None:
    """No ``languages``: both versions stay in the one edition, linked by hreflang, with no switcher."""
    write_files(tmp_path, {
        "site.toml": f'title = "One"\nbase_url = "{BASE}"\n',
        "content/a.md": article(title="Tram line opens", date="2024-05-01", translation_key="tram"),
        "content/b.md": article(title="La ligne de tram ouvre", date="2024-05-01T12:00:00Z", lang="fr", translation_key="tram"),
    })
    build(tmp_path)
    output = tmp_path / "output"
    english, french = _article(output, "Tram line opens"), _article(output, "La ligne de tram ouvre")
    links = _alternates(english)
    assert set(links) == {"en", "fr", "x-default"} and _alternates(french) == links
    assert _file_of(output, links["fr"]) == french and _file_of(output, links["x-default"]) == english
    assert 'class="editions"' not in english.read_text(encoding="utf-8") and not _alternates(output / "index.html")
