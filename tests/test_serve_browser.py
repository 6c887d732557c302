"""The preview in a real headless Chromium: saves show up without a manual refresh, errors too."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from serve_support import LIVERELOAD_CONNECTED, article_url, chromium_driver, make_site, running_server

pytestmark = pytest.mark.browser

WAIT = 15


@pytest.fixture
def browser() -> Iterator[Any]:
    driver, profile = chromium_driver()
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _open(driver: Any, url: str) -> None:
    """Load ``url``, wait for live reload to connect, and tag the window so a reload can be told apart."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(url)
    WebDriverWait(driver, WAIT).until(lambda d: d.execute_script(LIVERELOAD_CONNECTED))
    driver.execute_script("window.__notReloaded = true;")


def _reloaded_with(driver: Any, predicate: Any) -> None:
    """Wait until the page has reloaded by itself, live reload is connected again and ``predicate`` holds."""
    from selenium.webdriver.support.ui import WebDriverWait

    def check(d: Any) -> bool:
        try:
            fresh = not d.execute_script("return window.__notReloaded === true;")
            return fresh and bool(d.execute_script(LIVERELOAD_CONNECTED)) and predicate(d)
        except Exception:
            return False

    WebDriverWait(driver, WAIT, poll_frequency=0.05).until(check)
    driver.execute_script("window.__notReloaded = true;")


def test_edit_error_and_recovery_reach_the_open_tab(tmp_path: Path, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    files = make_site(tmp_path)
    path = files["story-001"]
    good = path.read_text(encoding="utf-8")
    with running_server(tmp_path) as server:
        _open(browser, server.base + article_url(1))
        assert "Original body of story 1." in browser.find_element(By.CSS_SELECTOR, ".story-body").text

        path.write_text(good.replace("Original body", "Freshly typed body"), encoding="utf-8")
        _reloaded_with(browser, lambda d: "Freshly typed body" in d.find_element(By.CSS_SELECTOR, ".story-body").text)

        path.write_text(good.replace("title: ", "title: [unclosed\n", 1), encoding="utf-8")
        _reloaded_with(browser, lambda d: d.find_elements(By.ID, "build-errors"))
        errors = browser.find_element(By.ID, "build-errors").text
        assert "content/city/story-001.md:" in errors
        assert "not valid YAML" in errors

        path.write_text(good.replace("Original body", "Repaired body"), encoding="utf-8")
        _reloaded_with(browser, lambda d: "Repaired body" in d.find_element(By.CSS_SELECTOR, ".story-body").text)
        assert not browser.find_elements(By.ID, "build-errors")
        assert browser.find_element(By.CSS_SELECTOR, "h1.headline").text == "Story number 1"


def test_stylesheet_edit_is_applied_in_place(tmp_path: Path, browser: Any) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    make_site(tmp_path)
    css = tmp_path / "static" / "css" / "site.css"
    css.parent.mkdir(parents=True)
    css.write_text("body { background-color: rgb(1, 2, 3); }\n", encoding="utf-8")
    with running_server(tmp_path) as server:
        _open(browser, server.base + "/")
        background = "return getComputedStyle(document.body).backgroundColor;"
        assert browser.execute_script(background) == "rgb(1, 2, 3)"
        css.write_text("body { background-color: rgb(4, 5, 6); }\n", encoding="utf-8")
        WebDriverWait(browser, WAIT, poll_frequency=0.05).until(lambda d: d.execute_script(background) == "rgb(4, 5, 6)")
        assert browser.execute_script("return window.__notReloaded === true;"), "the stylesheet was swapped without a page reload"
