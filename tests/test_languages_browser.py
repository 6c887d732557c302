"""Translated sites in headless Chromium: what a reader of a Chinese page sees, Arabic mirrored, Chinese search.

Uses the browser fixtures of ``test_theme_browser.py``; screenshots go to
``tests/artifacts/screenshots/`` beside the English ones.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path
from urllib.parse import quote

import pytest
from test_theme_browser import ARTIFACTS, DESKTOP, NARROWEST, PHONE, driver, serve, viewport, wait_for
from test_theme_languages import ALLOWED_LATIN, _english_theme_words

pytestmark = pytest.mark.browser
__all__ = ["driver"]  # the fixture, shared

REPO = Path(__file__).resolve().parent.parent
# From the middle of a sentence in the middle of the article: found only if Chinese text is split into words.
MIDDLE_WORD = "桂花糕"

ZH_ARTICLES = {
    "city/night-market.md": """\
        ---
        title: "运河边夜市重新开张"
        date: 2026-10-02T20:30:00+08:00
        authors: ["林晓"]
        section: 城市
        tags: ["零售", "杭州"]
        summary: "关闭一年多的夜市赶在国庆假期重新开张。"
        ---

        周五晚上，烤鱿鱼和臭豆腐的香味又回到了大运河畔。

        并不是所有摊主都买账。“这门生意一半靠聊。”卖桂花糕的楼爱萍说，“以前大家会停下来尝一块，一买就是三盒。”

        不过对许多游客来说，夜市的吸引力要简单得多。
        """,
    "business/alipay.md": """\
        ---
        title: "支付宝拿出百亿资源扶持商家"
        date: 2026-07-23T09:30:00+08:00
        authors: ["林晓", "马可"]
        section: 商业
        tags: ["数字支付"]
        ---

        支付宝周二宣布，未来一年将投入100亿元现金和推广资源扶持商家。
        """,
    "business/tea.md": """\
        ---
        title: "龙井茶农把春茶搬进直播间"
        date: 2026-04-08T07:45:00+08:00
        authors: ["马可"]
        section: 商业
        tags: ["零售"]
        ---

        春茶上市，茶农在直播间里讲起了炒茶。
        """,
}

AR_ARTICLES = {
    "city/buses.md": """\
        ---
        title: "المدينة تنشر مواعيد الحافلات لحظة بلحظة"
        date: 2026-09-15T17:40:00+08:00
        authors: ["لين شياو", "ماركوس ويب"]
        section: المدينة
        tags: ["النقل العام", "هانغتشو"]
        summary: "لوحة بيانات عامة تُظهر مدى التزام كل خط حافلات بمواعيده، وتُحدَّث كل خمس دقائق."
        ---

        يستطيع كل من انتظر حافلة تحت المطر أن يعرف الآن إن كان ذلك سوء حظ أم نمطًا متكررًا.

        ## ماذا تقول الأرقام الأولى

        تُظهر بيانات اليوم الأول أن معظم الخطوط تلتزم بجداولها خارج ساعات الذروة.
        """,
    "business/market.md": """\
        ---
        title: "سوق ليلي يعود إلى ضفة القناة"
        date: 2026-10-02T20:30:00+08:00
        authors: ["لين شياو"]
        section: الأعمال
        ---

        عادت رائحة الحبار المشوي إلى ضفة القناة الكبرى مساء الجمعة.
        """,
    "business/tea.md": """\
        ---
        title: "مزارعو الشاي يبيعون محصولهم في البث المباشر"
        date: 2026-04-08T07:45:00+08:00
        authors: ["ماركوس ويب"]
        section: الأعمال
        ---

        مع بداية موسم الشاي، يشرح المزارعون طريقة التحميص أمام الكاميرا.
        """,
}


def _site(root: Path, language: str, title: str, articles: dict[str, str], *args: str) -> Path:
    (root / "site.toml").write_text(f'title = "{title}"\nlanguage = "{language}"\ntimezone = "Asia/Shanghai"\nper_page = 2\n', encoding="utf-8")
    for rel, text in articles.items():
        path = root / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    result = subprocess.run([sys.executable, str(REPO / "site.py"), "build", "--quiet", "--jobs", "1", *args],
                            cwd=root, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return root / "output"


@pytest.fixture(scope="module")
def zh_server(tmp_path_factory: pytest.TempPathFactory):
    with serve(_site(tmp_path_factory.mktemp("zh"), "zh-Hans", "杭州信使", ZH_ARTICLES)) as base:
        yield base


@pytest.fixture(scope="module")
def ar_server(tmp_path_factory: pytest.TempPathFactory):
    with serve(_site(tmp_path_factory.mktemp("ar"), "ar", "بريد هانغتشو", AR_ARTICLES, "--no-search")) as base:
        yield base


ZH_PAGES = ["", "page/2/", "2026/10/02/night-market/", "authors/", "tags/", "sections/", "archive/", "2026/07/", "search/", "404.html"]


def test_no_english_theme_string_in_the_visible_text_of_a_chinese_page(driver, zh_server: str) -> None:
    english = _english_theme_words()
    viewport(driver, DESKTOP)
    for rel in [*ZH_PAGES, "search/?q=" + quote(MIDDLE_WORD), "search/?q=" + quote("火星探测")]:
        driver.get(zh_server + rel)
        if rel.startswith("search/?"):
            wait_for(driver, "return document.getElementById('search-status').textContent.length > 0 "
                             "&& !document.getElementById('search-status').textContent.startsWith('正在')")
        text = driver.execute_script(
            "return document.body.innerText + ' ' + Array.from(document.querySelectorAll('[aria-label],[placeholder],[alt]'))"
            ".map(e => (e.getAttribute('aria-label') || '') + ' ' + (e.getAttribute('placeholder') || '') + ' ' + (e.getAttribute('alt') || '')).join(' ')"
        )
        latin = set(re.findall(r"[A-Za-z]{2,}", text)) - ALLOWED_LATIN
        assert not latin, (rel, sorted(latin & english), sorted(latin))
        assert driver.execute_script("return document.documentElement.lang") == "zh-Hans"


def test_a_chinese_search_finds_a_word_from_the_middle_of_an_article(driver, zh_server: str) -> None:
    viewport(driver, PHONE)
    driver.get(zh_server + "search/?q=" + quote(MIDDLE_WORD))
    wait_for(driver, "return document.querySelectorAll('#search-results li').length > 0")
    titles = [a.text for a in driver.find_elements("css selector", "#search-results li h2 a")]
    assert titles == ["运河边夜市重新开张"]
    assert driver.find_element("id", "search-status").text == f"找到1条与“{MIDDLE_WORD}”相关的结果"


def test_chinese_text_uses_a_cjk_font_and_is_never_slanted(driver, zh_server: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        viewport(driver, size)
        driver.get(zh_server + "2026/10/02/night-market/")
        assert driver.save_screenshot(str(ARTIFACTS / f"zh-article-{label}.png"))
    family = driver.execute_script("return getComputedStyle(document.querySelector('.story-body p')).fontFamily")
    assert "Noto Serif CJK SC" in family
    style = driver.execute_script("return getComputedStyle(document.querySelector('.masthead-title')).fontSynthesisStyle")
    assert style == "none"


def test_arabic_pages_mirror_at_phone_and_desktop_widths(driver, ar_server: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for kind, rel in (("front", ""), ("article", "2026/09/15/buses/"), ("section", "sections/lmdyn/")):
        for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
            viewport(driver, size)
            driver.get(ar_server + rel)
            assert driver.execute_script("return document.documentElement.dir") == "rtl"
            scroll, inner = driver.execute_script("return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert scroll <= inner, f"{kind} at {size[0]}px scrolls sideways"
            target = ARTIFACTS / f"ar-{kind}-{label}.png"
            full_height = driver.execute_script("return document.documentElement.scrollHeight")
            viewport(driver, (size[0], max(size[1], full_height)))
            assert driver.save_screenshot(str(target))
    # Desktop front page: the lead story is on the right, the top-stories rail on the left, its rule on its right.
    viewport(driver, DESKTOP)
    driver.get(ar_server)
    lead, rail = driver.execute_script(
        "return [document.querySelector('.lead-story').getBoundingClientRect().left,"
        " document.querySelector('.top-stories').getBoundingClientRect().left]"
    )
    assert rail < lead
    assert driver.execute_script("return getComputedStyle(document.querySelector('.top-stories')).borderRightStyle") == "solid"
    # Article: text starts at the right edge of its column.
    driver.get(ar_server + "2026/09/15/buses/")
    right_aligned = driver.execute_script(
        "const p = document.querySelector('.story-body p'); const r = document.createRange(); r.selectNodeContents(p);"
        "const line = r.getClientRects()[0]; return Math.abs(line.right - p.getBoundingClientRect().right) < 2"
    )
    assert right_aligned
    viewport(driver, NARROWEST)
    driver.get(ar_server + "2026/09/15/buses/")
    assert driver.execute_script("return document.documentElement.scrollWidth <= document.documentElement.clientWidth")
