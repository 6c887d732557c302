"""Editions in headless Chromium: the sample site's Simplified Chinese edition, its switcher and search; an Arabic edition.

The sample site is built as the README says (``site.py build``, search included)
from a copy of ``content/``, ``static/`` and ``site.toml``. Screenshots go to
``tests/artifacts/screenshots/``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from test_theme_browser import ARTIFACTS, DESKTOP, PHONE, driver, serve, viewport, wait_for

pytestmark = pytest.mark.browser
__all__ = ["driver"]  # the fixture, shared

REPO = Path(__file__).resolve().parent.parent
# From the middle of the Chinese Alipay story ("three bakeries in Gongshu"): no English story has it.
MIDDLE_WORD = "面包店"

SEARCH_DONE = "return 'done' in document.getElementById('search-status').dataset"  # the results are final


def _build(root: Path, *args: str) -> Path:
    result = subprocess.run([sys.executable, str(REPO / "site.py"), "build", "--quiet", "--jobs", "1", *args],
                            cwd=root, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return root / "output"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("sample")
    for folder in ("content", "static"):
        shutil.copytree(REPO / folder, root / folder)
    shutil.copy(REPO / "site.toml", root / "site.toml")
    output = _build(root, "--base-url", "http://127.0.0.1/")
    with serve(output) as base:
        SAMPLE_OUTPUT[base] = output
        yield base


SAMPLE_OUTPUT: dict[str, Path] = {}


def _path(driver) -> str:
    return urlsplit(driver.current_url).path


def test_the_chinese_edition_front_page_is_chinese_in_cjk_fonts(driver, sample: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        viewport(driver, size)
        driver.get(sample + "zh/")
        assert driver.execute_script("return document.documentElement.lang") == "zh-Hans"
        assert driver.execute_script("return document.documentElement.dir") == ""
        scroll, inner = driver.execute_script("return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert scroll <= inner, f"the Chinese front page scrolls sideways at {size[0]}px"
        height = driver.execute_script("return document.documentElement.scrollHeight")
        viewport(driver, (size[0], max(size[1], height)))
        assert driver.save_screenshot(str(ARTIFACTS / f"zh-edition-front-{label}.png"))
    title = driver.find_element("css selector", ".masthead-title a").text
    assert title == "杭州信使报"
    for selector in (".masthead-title", ".card-title", ".sections a"):
        family = driver.execute_script(f"return getComputedStyle(document.querySelector('{selector}')).fontFamily")
        assert "CJK SC" in family, (selector, family)
    # A CJK glyph is one em wide.
    width, size = driver.execute_script(
        "const c = document.createElement('canvas').getContext('2d'); const s = getComputedStyle(document.querySelector('.card-title'));"
        "c.font = s.font; return [c.measureText('杭').width, parseFloat(s.fontSize)]")
    assert abs(width - size) < 0.1 * size
    # Every story on it is a Chinese one, under /zh/.
    links = driver.execute_script("return Array.from(document.querySelectorAll('main .card-title a')).map(a => a.pathname)")
    assert links and all(path.startswith("/zh/") for path in links)


def test_the_switcher_leads_to_the_translation_and_back(driver, sample: str) -> None:
    viewport(driver, DESKTOP)
    driver.get(sample + "zh/")
    # A story with an English version: the Chinese night-market story.
    driver.find_element("xpath", "//main//a[contains(., '运河边夜市重新开张')]").click()
    wait_for(driver, "return document.querySelector('body.kind-article') !== null")
    chinese = _path(driver)
    assert chinese.startswith("/zh/") and driver.execute_script("return document.documentElement.lang") == "zh-Hans"
    english = driver.find_element("css selector", "nav.editions a[hreflang='en']")
    assert english.get_attribute("lang") == "en" and english.text == "English"
    english.click()
    wait_for(driver, "return document.documentElement.lang === 'en'")
    assert "night market" in driver.find_element("css selector", "h1").text.lower()
    assert not _path(driver).startswith("/zh/")
    current = driver.find_element("css selector", "nav.editions [aria-current='true']")
    assert current.text == "English" and current.tag_name == "span"
    driver.find_element("css selector", "nav.editions a[hreflang='zh-Hans']").click()
    wait_for(driver, "return document.documentElement.lang === 'zh-Hans'")
    assert _path(driver) == chinese
    # A page with no translation (a tag page) leads to the other edition's front page.
    driver.get(sample + "zh/tags/")
    driver.find_element("css selector", "nav.editions a[hreflang='en']").click()
    wait_for(driver, "return document.documentElement.lang === 'en'")
    assert _path(driver) == "/"


def test_the_chinese_edition_searches_its_own_index(driver, sample: str) -> None:
    # The index has shards per language and month; the Chinese ones belong to the zh/ edition.
    index = SAMPLE_OUTPUT[sample] / "pagefind"
    shards = json.loads((index / "shards.json").read_text(encoding="utf-8"))["shards"]
    assert {(shard["language"], shard["edition"]) for shard in shards} == {("en", ""), ("zh", "zh/")}
    chinese = [json.loads((index / shard["path"] / "pagefind-entry.json").read_text(encoding="utf-8")) for shard in shards
               if shard["language"] == "zh"]
    assert sum(entry["languages"]["zh"]["page_count"] for entry in chinese) >= 5
    viewport(driver, PHONE)
    driver.get(sample + "zh/search/?q=" + quote(MIDDLE_WORD))
    wait_for(driver, SEARCH_DONE, timeout=20)
    titles = [a.text for a in driver.find_elements("css selector", "#search-results li h2 a")]
    assert titles == ["支付宝拿出百亿资源，帮商家把顾客留下来"]
    hrefs = driver.execute_script("return Array.from(document.querySelectorAll('#search-results li h2 a')).map(a => a.pathname)")
    assert all(href.startswith("/zh/") for href in hrefs)
    # The English search page, in the English index, does not find the Chinese word.
    driver.get(sample + "search/?q=" + quote(MIDDLE_WORD))
    wait_for(driver, SEARCH_DONE, timeout=20)  # the results are final, not "Searching…"
    assert driver.find_elements("css selector", "#search-results li") == []
    assert driver.find_element("id", "search-status").text.startswith("No results")


AR_SITE = {
    "site.toml": 'title = "The Hangzhou Courier"\nlanguage = "en"\ntimezone = "Asia/Shanghai"\nlanguages = ["ar"]\n'
                 '[editions.ar]\ntitle = "بريد هانغتشو"\n',
    "content/buses.md": """\
        ---
        title: "City publishes live bus punctuality"
        date: 2026-09-15T17:40:00+08:00
        authors: ["Lin Xiao"]
        section: City
        translation_key: buses
        ---

        Anyone who has waited for a bus in the rain can now tell bad luck from a pattern.
        """,
    "content/ar/buses.md": """\
        ---
        title: "المدينة تنشر مواعيد الحافلات لحظة بلحظة"
        date: 2026-09-15T17:40:00+08:00
        authors: ["لين شياو"]
        section: المدينة
        lang: ar
        translation_key: buses
        summary: "لوحة بيانات عامة تُظهر مدى التزام كل خط حافلات بمواعيده."
        ---

        يستطيع كل من انتظر حافلة تحت المطر أن يعرف الآن إن كان ذلك سوء حظ أم نمطًا متكررًا.
        """,
}


@pytest.fixture(scope="module")
def arabic(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("ar-edition")
    for rel, text in AR_SITE.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(textwrap.dedent(text), encoding="utf-8")
    with serve(_build(root, "--no-search")) as base:
        yield base


def test_an_arabic_edition_is_right_to_left_and_its_switcher_too(driver, arabic: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    viewport(driver, DESKTOP)
    driver.get(arabic + "ar/")
    assert driver.execute_script("return [document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
    driver.find_element("xpath", "//main//a[contains(., 'المدينة تنشر')]").click()
    wait_for(driver, "return document.querySelector('body.kind-article') !== null")
    assert driver.execute_script("return document.documentElement.dir") == "rtl"
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        viewport(driver, size)
        driver.refresh()
        scroll, inner = driver.execute_script("return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert scroll <= inner, f"the Arabic article scrolls sideways at {size[0]}px"
        assert driver.save_screenshot(str(ARTIFACTS / f"ar-edition-article-{label}.png"))
    viewport(driver, DESKTOP)
    driver.refresh()
    # Mirrored: the switcher sits at the start of the masthead, which is its right-hand side, the search box on the left.
    switcher, search, width = driver.execute_script(
        "return [document.querySelector('nav.editions').getBoundingClientRect().right,"
        " document.querySelector('.search-box').getBoundingClientRect().left, document.documentElement.clientWidth]")
    assert switcher > width / 2 > search
    # The English name keeps its own direction inside the right-to-left page.
    english = driver.find_element("css selector", "nav.editions a[hreflang='en']")
    assert english.get_attribute("dir") == "ltr" and driver.execute_script("return getComputedStyle(arguments[0]).direction", english) == "ltr"
    english.click()
    wait_for(driver, "return document.documentElement.lang === 'en'")
    assert driver.find_element("css selector", "h1").text == "City publishes live bus punctuality"
    assert driver.execute_script("return document.documentElement.dir") == ""
