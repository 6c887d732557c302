"""The default theme in headless Chromium: screenshots, no sideways scrolling, axe-core, search.

The sample site is served over a real local HTTP server (Pagefind needs HTTP).
Screenshots of each page kind at phone and desktop widths are kept under
``tests/artifacts/screenshots/``. axe-core is the npm package pinned in
``package.json``: run ``npm ci`` once in the repository; nothing is fetched by the tests.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from theme_site import PAGE_KINDS, SEARCH_TITLE, SEARCH_WORD, build, built_site, write_site

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts" / "screenshots"
AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
PHONE, DESKTOP, NARROWEST = (375, 812), (1366, 900), (320, 640)
SCREENSHOT_KINDS = ["front", "article", "author", "tag", "section", "archive-month", "search"]
CHROME_FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


def page_url(server: str, kind: str) -> str:
    rel = PAGE_KINDS[kind]
    return server + (rel.removesuffix("index.html") if rel.endswith("index.html") else rel)


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` over HTTP on a free local port; yield its base URL."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(folder)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(built_site(tmp_path_factory.mktemp("browser"))) as base:
        yield base


@pytest.fixture(scope="module")
def driver() -> Iterator[object]:
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        pytest.skip("headless Chromium or chromedriver is not installed")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="broadsheet-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in [*CHROME_FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    browser = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    browser.set_page_load_timeout(30)
    try:
        yield browser
    finally:
        browser.quit()
        shutil.rmtree(profile, ignore_errors=True)


def viewport(driver, size: tuple[int, int], *, dark: bool = False, mobile: bool | None = None) -> None:
    """Emulate a screen; phones get overlay scrollbars, desktop windows classic ones that take up width."""
    width, height = size
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 800 if mobile is None else mobile,
    })
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {
        "features": [{"name": "prefers-color-scheme", "value": "dark" if dark else "light"}],
    })


def wait_for(driver, script: str, timeout: float = 10.0):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(lambda d: d.execute_script(script))


def test_screenshots_of_every_page_kind(driver, server: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for kind in SCREENSHOT_KINDS:
        for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
            viewport(driver, size)
            driver.get(page_url(server, kind) + (f"?q={SEARCH_WORD}" if kind == "search" else ""))
            if kind == "search":
                wait_for(driver, "return document.querySelectorAll('#search-results li').length > 0")
            target = ARTIFACTS / f"{kind}-{label}.png"
            target.unlink(missing_ok=True)
            full_height = driver.execute_script("return document.documentElement.scrollHeight")
            viewport(driver, (size[0], max(size[1], full_height)))
            assert driver.save_screenshot(str(target))
            assert target.read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_no_sideways_scrolling_from_phones_to_wide_screens(driver, server: str, dark: bool) -> None:
    for kind in PAGE_KINDS:
        for size, mobile in ((NARROWEST, True), (NARROWEST, False), (PHONE, True), (DESKTOP, False)):
            viewport(driver, size, dark=dark, mobile=mobile)
            driver.get(page_url(server, kind))
            scroll, inner = driver.execute_script("return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert scroll <= inner, f"{kind} at {size[0]}px (mobile={mobile}) scrolls sideways ({scroll} > {inner})"


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_axe_finds_no_serious_violations(driver, server: str, dark: bool) -> None:
    if not AXE.is_file():
        pytest.skip("axe-core is not installed; run `npm ci` in the repository (see package.json)")
    source = AXE.read_text(encoding="utf-8")
    found = []
    for kind in PAGE_KINDS:
        for size in (PHONE, DESKTOP):
            viewport(driver, size, dark=dark)
            driver.get(page_url(server, kind) + (f"?q={SEARCH_WORD}" if kind == "search" else ""))
            if kind == "search":
                wait_for(driver, "return document.querySelectorAll('#search-results li').length > 0")
            driver.execute_script(source)
            result = driver.execute_async_script(
                "const done = arguments[arguments.length - 1];"
                "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations), e => done(String(e)));"
            )
            assert isinstance(result, list), result
            found += [
                f"{kind} {size[0]}px: {v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
                for v in result if v["impact"] in ("serious", "critical")
            ]
    assert not found, "\n".join(found)


def test_pages_load_only_from_the_site_itself(driver, server: str) -> None:
    viewport(driver, DESKTOP)
    for kind in PAGE_KINDS:
        driver.get(page_url(server, kind) + (f"?q={SEARCH_WORD}" if kind == "search" else ""))
        if kind == "search":
            wait_for(driver, "return document.querySelectorAll('#search-results li').length > 0")
        loaded = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
        assert loaded, kind
        assert [url for url in loaded if not url.startswith(server)] == [], kind


def test_search_from_the_masthead_finds_a_sample_article(driver, server: str) -> None:
    from selenium.webdriver.common.by import By

    viewport(driver, PHONE)
    driver.get(page_url(server, "front"))
    box = driver.find_element(By.CSS_SELECTOR, "header.masthead input[name=q]")
    box.send_keys(SEARCH_WORD)
    box.submit()
    wait_for(driver, "return document.querySelectorAll('#search-results li').length > 0")
    assert driver.current_url == f"{server}search/?q={quote(SEARCH_WORD)}"
    links = driver.find_elements(By.CSS_SELECTOR, "#search-results li a")
    assert SEARCH_TITLE in [link.text for link in links]
    hit = next(link for link in links if link.text == SEARCH_TITLE)
    assert hit.get_attribute("href") == page_url(server, "article")
    assert SEARCH_WORD in driver.find_element(By.ID, "search-status").text


def test_search_for_a_missing_word_says_so(driver, server: str) -> None:
    from selenium.webdriver.common.by import By

    viewport(driver, DESKTOP)
    driver.get(page_url(server, "search") + "?q=zyxwvutsrq")
    wait_for(driver, "return document.getElementById('search-status').textContent.startsWith('No results')")
    assert driver.find_elements(By.CSS_SELECTOR, "#search-results li") == []



def test_search_links_work_for_a_site_under_a_sub_path(driver, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    write_site(tmp_path)
    result = build(tmp_path, "--output", "www/news", "--base-url", "https://news.example.org/news/")
    assert result.returncode == 0, result.stderr
    with serve(tmp_path / "www") as server:
        viewport(driver, DESKTOP)
        driver.get(f"{server}news/search/?q={SEARCH_WORD}")
        wait_for(driver, "return document.querySelectorAll('#search-results li').length > 0")
        hrefs = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "#search-results li a")]
        assert f"{server}news/2026/03/04/lighthouse/" in hrefs


def test_search_page_explains_a_missing_index(driver, tmp_path: Path) -> None:
    write_site(tmp_path)
    result = build(tmp_path, "--no-search")
    assert result.returncode == 0, result.stderr
    with serve(tmp_path / "output") as server:
        viewport(driver, PHONE)
        driver.get(f"{server}search/?q={SEARCH_WORD}")
        wait_for(driver, "return document.getElementById('search-status').textContent.startsWith('Search is not available')")


# What each editorial page kind must show, as a CSS selector, and its screenshot's name.
RECORD_PAGES = {
    "article-corrected": ("corrected-story", [".corrections-box #correction-1 .notice-kind", ".series-box [aria-current='page']"]),
    "series": ("series", [".series-parts .series-part-number", ".series-parts .card-title a"]),
    "standing": ("standing-page", ["article.standing h1.headline", ".site-footer-pages a[href='/about/']",
                                   ".masthead-pages a[href='/about/']"]),
}


@pytest.mark.parametrize("kind", list(RECORD_PAGES))
def test_corrected_story_series_and_standing_page_screenshots(driver, server: str, kind: str) -> None:
    """Each shows its own parts, visible and inside the viewport, at phone and desktop widths; screenshots are kept."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name, selectors = RECORD_PAGES[kind]
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        viewport(driver, size)
        driver.get(page_url(server, kind))
        full_height = driver.execute_script("return document.documentElement.scrollHeight")
        viewport(driver, (size[0], max(size[1], full_height)))
        for selector in selectors:
            box = driver.execute_script(
                """const el = document.querySelector(arguments[0]);
                if (!el) return null;
                const r = el.getBoundingClientRect(), style = getComputedStyle(el);
                return {left: r.left, right: r.right, width: r.width, height: r.height, visible: style.visibility !== 'hidden'
                        && style.display !== 'none' && r.width > 0 && r.height > 0, overflow: el.scrollWidth > el.clientWidth + 1,
                        viewport: document.documentElement.clientWidth};""",
                selector,
            )
            assert box is not None, f"{kind} ({label}): no {selector}"
            assert box["visible"], f"{kind} ({label}): {selector} is not visible"
            assert box["left"] >= 0 and box["right"] <= box["viewport"], f"{kind} ({label}): {selector} leaves the page: {box}"
            assert not box["overflow"], f"{kind} ({label}): {selector} overflows its box"
        scroll, inner = driver.execute_script("return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert scroll <= inner, f"{kind} at {size[0]}px scrolls sideways"
        target = ARTIFACTS / f"{name}-{label}.png"
        target.unlink(missing_ok=True)
        assert driver.save_screenshot(str(target))
        assert target.read_bytes().startswith(b"\x89PNG")


def test_a_corrections_link_jumps_to_the_notice_on_the_story(driver, server: str) -> None:
    viewport(driver, PHONE)
    driver.get(server + PAGE_KINDS["corrections"].removesuffix("index.html"))
    link = driver.find_element("css selector", ".corrections-story a")
    link.click()
    wait_for(driver, "return location.hash === '#correction-2' || location.hash === '#correction-1'")
    top = driver.execute_script("return document.querySelector(location.hash).getBoundingClientRect().top")
    assert 0 <= top < PHONE[1], "the notice the link names is scrolled into view"
