"""Typography in headless Chromium: dates (and times) never break across lines, at any phone width.

A story card's meta line is a byline then a date; long bylines push the date to the
line's end, where a browser breaks "November 18, 2026" after "November" unless told
not to. An inline element laid out on two lines has two client rectangles.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sitekit import article, run_cli, write_files
from test_theme_browser import ARTIFACTS, AXE, driver, serve, viewport  # noqa: F401 (driver is a fixture)

pytestmark = pytest.mark.browser

LONG_BYLINE = ["Maximiliane Oberhollenzer-Wintersteiger", "Bartholomew Featherstonehaugh"]
WIDTHS = (300, 320, 345, 375, 414, 480)
PAGES = ["", "sections/city/", "2026/11/18/bikes/", "2026/11/01/market/"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("typography")
    stories = {
        f"content/{slug}.md": article(title=title, date=date, authors=LONG_BYLINE, section="City", summary=summary)
        for slug, title, date, summary in [
            ("bikes", "Shared bikes return to the lake shore", "2026-11-18T08:50:00+08:00", "Riders must park in bays."),
            ("market", 'The "night market" reopens -- later hours', "2026-11-01T20:30:00+08:00", "Stalls stay open late."),
            ("metro", "Metro gates read faces", "2026-09-15T17:40:00+08:00", "A pilot at ten stations."),
            ("tea", "Tea growers go live", "2026-09-04T11:20:00+08:00", "Sales through live streams."),
            ("rates", "Council sets the September rates", "2026-09-30T09:00:00+08:00", "Rates rise by a tenth."),
        ]
    }
    stories["content/market.md"] = stories["content/market.md"].replace(
        "---\n\n", 'updated: "2026-11-02T07:05:00+08:00"\n---\n\n', 1)
    write_files(root, {**stories, "site.toml": (
        'timezone = "Asia/Shanghai"\n[breaking]\ntext = "Typhoon warning: ferries suspended until Friday"\n'
        'url = "/2026/11/18/bikes/"\n')})
    result = run_cli("build", "-q", "--no-search", "--now", "2026-11-20T09:00", cwd=root)
    assert result.returncode == 0, result.stderr
    return root / "output"


def test_dates_and_times_never_break_across_lines(driver, site: Path) -> None:  # noqa: F811
    script = """
        return Array.from(document.querySelectorAll('.meta time, .latest-list time')).map(
            t => [t.textContent, t.getClientRects().length, t.closest('.card, .story-meta, .latest-list').className]);
    """
    checked = 0
    with serve(site) as base:
        for width in WIDTHS:
            viewport(driver, (width, 800), mobile=True)
            for page in PAGES:
                driver.get(base + page)
                for text, lines, where in driver.execute_script(script):
                    checked += 1
                    assert lines == 1, f"'{text}' breaks across {lines} lines in {where} at {width}px on /{page}"
                scroll, inner = driver.execute_script(
                    "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
                assert scroll <= inner, f"/{page} scrolls sideways at {width}px"
        viewport(driver, (320, 800), mobile=True)
        driver.get(base + "2026/11/01/market/")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(ARTIFACTS / "typography-article-320.png"))
    assert checked > 50


def test_the_breaking_banner_shows_at_the_top_of_every_page(driver, site: Path) -> None:  # noqa: F811
    with serve(site) as base:
        viewport(driver, (375, 800), mobile=True)
        for page in PAGES:
            driver.get(base + page)
            banner = driver.execute_script(
                "const b = document.querySelector('.breaking-news');"
                "return b && [b.innerText, b.getBoundingClientRect().top, b.querySelector('a').getAttribute('href')]")
            assert banner, page
            text, top, href = banner
            assert "Typhoon warning" in text and href == "/2026/11/18/bikes/"
            assert top < 400  # under the masthead, before the page's own content


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_axe_finds_nothing_serious_in_the_banner_and_bylines(driver, site: Path, dark: bool) -> None:  # noqa: F811
    if not AXE.is_file():
        pytest.skip("axe-core is not installed; run `npm ci` in the repository (see package.json)")
    source = AXE.read_text(encoding="utf-8")
    found = []
    with serve(site) as base:
        for page in PAGES[:3]:
            viewport(driver, (375, 800), dark=dark, mobile=True)
            driver.get(base + page)
            driver.execute_script(source)
            result = driver.execute_async_script(
                "const done = arguments[arguments.length - 1];"
                "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations), e => done(String(e)));"
            )
            assert isinstance(result, list), result
            found += [f"/{page}: {v['id']} ({v['impact']})" for v in result if v["impact"] in ("serious", "critical")]
    assert not found, "\n".join(found)
