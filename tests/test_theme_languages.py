"""The theme in the site's language: every theme string translated, dates and counts in its terms, RTL pages."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest
from babel.messages.pofile import read_po
from sitekit import article, build, html_files, run_cli, write_files

from broadsheet.model.catalogs import catalog_path

AUTHORS_ZH = "林晓:\n  role: 科技记者\n  bio: 林晓负责报道支付应用和平台公司。\n"
# Words a Chinese page may show in Latin letters: none of them theme strings.
ALLOWED_LATIN = {"JavaScript", "HTTP"}


def _zh_site(site: Path, extra_toml: str = "") -> None:
    write_files(site, {
        "site.toml": f'title = "杭州信使"\nlanguage = "zh-Hans"\ntimezone = "Asia/Shanghai"\nper_page = 2\n{extra_toml}',
        "content/authors.yml": AUTHORS_ZH,
        "content/a.md": article("支付宝表示，将向商家开放首页。\n\n“生活频道”汇集短视频和直播。\n", title="支付宝开放首页", date="2022-07-23T09:30:00+08:00",
                                authors=["林晓"], section="商业", tags=["数字支付"], summary="百亿资源扶持商家。"),
        "content/b.md": article("夜市重新开张。\n", title="运河夜市重新开张", date="2022-07-21", authors=["林晓", "周文静"], section="城市",
                                tags=["数字支付", "杭州"], updated="2022-07-22"),
        "content/c.md": article("公交准点率看板上线。\n", title="公交准点率看板上线", date="2022-06-02", authors=["林晓", "周文静", "马可"],
                                section="城市", dateline="杭州"),
    })


def _english_theme_words() -> set[str]:
    """Every word of the English catalog's strings (what must not be left on a translated page)."""
    with catalog_path("en").open("rb") as f:
        catalog = read_po(f)
    words: set[str] = set()
    for message in catalog:
        for text in message.string if isinstance(message.string, tuple) else (message.string,):
            words.update(re.findall(r"[A-Za-z]{2,}", re.sub(r"%\(\w+\)s", " ", text or "")))
    return words


def _visible(page: Path) -> str:
    """What a reader sees or hears: text outside scripts, plus the labels, placeholders and alt texts."""
    doc = lxml.html.fromstring(page.read_bytes())
    for hidden in doc.xpath("//script | //style | //noscript | //head"):
        hidden.drop_tree()
    attributes = doc.xpath("//@aria-label | //@placeholder | //@alt | //@title")
    return " ".join([doc.text_content(), *attributes])


@pytest.fixture(scope="module")
def zh_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("zh")
    _zh_site(site)
    build(site)
    return site / "output"


def test_no_english_theme_string_is_left_on_a_chinese_site(zh_output: Path) -> None:
    english = _english_theme_words()
    assert {"Related", "stories", "Reporters", "read", "Archive"} <= english
    pages = html_files(zh_output)
    assert len(pages) > 15
    for page in pages:
        latin = set(re.findall(r"[A-Za-z]{2,}", _visible(page)))
        assert latin <= ALLOWED_LATIN, (page.relative_to(zh_output).as_posix(), sorted(latin & english), sorted(latin))


def test_chinese_article_page(zh_output: Path) -> None:
    doc = lxml.html.fromstring((zh_output / "2022/07/21/b/index.html").read_bytes())
    assert doc.xpath("string(/html/@lang)") == "zh-Hans" and not doc.xpath("/html/@dir")
    assert " ".join(doc.xpath("string(//p[@class='byline'])").split()) == "作者：林晓（科技记者）、周文静"
    meta = " ".join(doc.xpath("string(//div[@class='byline-text']/p[@class='meta'])").split())
    assert meta == "2022年7月21日 更新于2022年7月22日 预计阅读1分钟"
    assert doc.xpath("string(//h2[@id='related-heading'])") == "相关报道"
    three = lxml.html.fromstring((zh_output / "2022/06/02/c/index.html").read_bytes())
    assert " ".join(three.xpath("string(//p[@class='byline'])").split()) == "作者：林晓（科技记者）、周文静、马可"
    assert three.xpath("string(//span[@class='dateline'])") == "杭州，2022年6月2日"


def test_chinese_lists_count_and_date_the_chinese_way(zh_output: Path) -> None:
    archive = lxml.html.fromstring((zh_output / "2022/07/index.html").read_bytes())
    assert archive.xpath("string(//h1)") == "2022年7月"
    assert archive.xpath("string(//header//p[@class='count'])") == "2篇报道"
    assert archive.xpath("string(//title)") == "2022年7月 — 杭州信使"
    front = lxml.html.fromstring((zh_output / "page/2/index.html").read_bytes())
    assert front.xpath("string(//title)") == "杭州信使 — 第2页"
    assert front.xpath("string(//header//p[@class='count'])") == "第2页，共2页"
    latest = [t.text for t in lxml.html.fromstring((zh_output / "index.html").read_bytes()).xpath("//ol[@class='latest-list']//time")]
    assert latest == ["7月23日", "7月21日", "6月2日"]


def test_a_site_rewords_theme_strings_in_site_toml(tmp_path: Path) -> None:
    _zh_site(tmp_path, '[strings]\n"Related stories" = "延伸阅读"\n"%(num)s min read" = ["约%(num)s分钟读完"]\n')
    build(tmp_path)
    doc = lxml.html.fromstring((tmp_path / "output/2022/07/21/b/index.html").read_bytes())
    assert doc.xpath("string(//h2[@id='related-heading'])") == "延伸阅读"
    assert doc.xpath("string(//span[@class='reading-time'])") == "约1分钟读完"


@pytest.fixture(scope="module")
def ar_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("ar")
    body = "أعلنت المدينة اليوم عن لوحة بيانات عامة لمواعيد الحافلات. " * 125
    write_files(site, {
        "site.toml": 'title = "بريد هانغتشو"\nlanguage = "ar"\nper_page = 1\n',
        "content/a.md": article(body, title="لوحة مواعيد الحافلات", date="2022-07-23", authors=["لين شياو", "ماركوس ويب"], section="المدينة"),
        "content/b.md": article("نص قصير.\n", title="سوق ليلي", date="2022-07-22", section="المدينة", lang="en"),
    })
    build(site)
    return site / "output"


def test_arabic_pages_are_right_to_left_with_arabic_plurals(ar_output: Path) -> None:
    doc = lxml.html.fromstring((ar_output / "2022/07/23/a/index.html").read_bytes())
    assert (doc.xpath("string(/html/@lang)"), doc.xpath("string(/html/@dir)")) == ("ar", "rtl")
    assert doc.xpath("string(//span[@class='reading-time'])") == "5 دقائق للقراءة"
    assert " ".join(doc.xpath("string(//p[@class='byline'])").split()) == "بقلم لين شياو وماركوس ويب"
    assert doc.xpath("string(//time[@data-pagefind-meta='date'])") == "23 يوليو 2022"
    # An English story on an Arabic site is marked left to right.
    english = lxml.html.fromstring((ar_output / "2022/07/22/b/index.html").read_bytes())
    assert english.xpath("string(//article/@lang)") == "en" and english.xpath("string(//article/@dir)") == "ltr"
    assert english.xpath("string(//span[@class='reading-time'])") == "دقيقة واحدة للقراءة"
    # Pagination arrows point along the line: "newer" is to the right.
    pager = lxml.html.fromstring((ar_output / "page/2/index.html").read_bytes())
    assert pager.xpath("string(//nav[@class='pagination']/a[@rel='prev'])") == "→ الأحدث"
    assert pager.xpath("string(//nav[@class='pagination']/a[@rel='next'])") == ""


def test_an_english_site_is_unchanged_by_all_this(tmp_path: Path) -> None:
    write_files(tmp_path, {"content/a.md": article("Words. " * 10, authors=["Ann", "Bob", "Cy"], tags=["x"], date="2022-07-23")})
    build(tmp_path)
    doc = lxml.html.fromstring((tmp_path / "output/2022/07/23/a/index.html").read_bytes())
    assert not doc.xpath("/html/@dir")
    assert " ".join(doc.xpath("string(//p[@class='byline'])").split()) == "By Ann, Bob and Cy"
    assert doc.xpath("string(//span[@class='reading-time'])") == "1 min read"
    assert doc.xpath("string(//time[@data-pagefind-meta='date'])") == "July 23, 2022"


def test_a_language_without_a_catalog_builds_in_english_with_one_warning_line(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "site.toml": 'title = "Tokyo Post"\nlanguage = "ja"\n',
        "content/a.md": article("Body.\n", title="A story", date="2024-05-01"),
    })
    result = run_cli("build", "--no-search", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == ["warning: no theme translation for language 'ja'; theme strings are in English"]
    page = (tmp_path / "output" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ja">' in page and ">Front page<" in page
    zh = tmp_path / "zh"
    _zh_site(zh)
    assert "warning:" not in run_cli("build", "--no-search", cwd=zh).stderr
