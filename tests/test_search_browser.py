"""The search page in headless Chromium, against the sharded index: languages, bylines and filters, edits.

Every search here runs through Pagefind's own JavaScript and WebAssembly, as a reader's does: the
page loads the first shard, merges the others, and searches each in its own language.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from test_theme_browser import DESKTOP, driver, serve, viewport, wait_for

pytestmark = pytest.mark.browser
__all__ = ["driver"]  # the fixture, shared

REPO = Path(__file__).resolve().parent.parent
MIDDLE_WORD = "桂花糕"  # from the middle of a Chinese sentence: found only if Chinese text is split into words

ARTICLES = {
    "city/market.md": """\
        ---
        title: "Night market reopens by the canal"
        date: 2026-10-02T20:30:00+08:00
        authors: ["Lin Xiao", "Daniel Okafor"]
        section: City
        tags: ["retail", "Hangzhou"]
        ---

        The smell of grilled squid returned to the Grand Canal on Friday night.
        """,
    "city/night-market-zh.md": """\
        ---
        title: "运河边夜市重新开张"
        date: 2026-10-03T20:30:00+08:00
        authors: ["林晓"]
        section: City
        lang: zh-Hans
        ---

        周五晚上，烤鱿鱼和臭豆腐的香味又回到了大运河畔。

        并不是所有摊主都买账。“这门生意一半靠聊。”卖桂花糕的楼爱萍说，“以前大家会停下来尝一块，一买就是三盒。”

        不过对许多游客来说，夜市的吸引力要简单得多。
        """,
    "business/tea.md": """\
        ---
        title: "Tea growers take the spring harvest online"
        date: 2026-04-08T07:45:00+08:00
        authors: ["Ama Mensah"]
        section: Business
        tags: ["retail"]
        ---

        Growers in the hills explained the roasting of the leaves to a live audience.
        """,
    "business/port.md": """\
        ---
        title: "Port volumes climb for a third month"
        date: 2025-11-20T07:45:00+08:00
        authors: ["Daniel Okafor"]
        section: Business
        tags: ["shipping"]
        ---

        Container volumes at the port climbed again, the harbour authority said.
        """,
}


def write(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "site.toml").write_text('title = "Canal Courier"\ntimezone = "Asia/Shanghai"\n', encoding="utf-8")
    for rel, text in ARTICLES.items():
        path = root / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def site_build(root: Path, *args: str) -> None:
    result = subprocess.run([sys.executable, str(REPO / "site.py"), "build", "--quiet", "--jobs", "1", *args],
                            cwd=root, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def results(driver, server: str, query: str = "", **filters: str) -> list[str]:
    """The result links' paths for a search, after the page has finished it."""
    params = {"q": query, **filters} if query else filters
    driver.get(f"{server}search/?{urlencode(params, quote_via=quote)}")
    wait_for(driver, "return 'done' in document.getElementById('search-status').dataset;", timeout=45)
    links = driver.find_elements("css selector", "#search-results li h2 a")
    return sorted(link.get_attribute("href").removeprefix(server) for link in links)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write(tmp_path_factory.mktemp("search-site"))
    site_build(root)
    return root


@pytest.fixture(scope="module")
def server(site: Path):
    with serve(site / "output") as base:
        yield base


def test_a_chinese_article_on_an_english_site_is_found_by_a_word_from_its_middle(driver, server: str) -> None:
    viewport(driver, DESKTOP)
    assert results(driver, server, MIDDLE_WORD) == ["2026/10/03/night-market-zh/"]
    assert results(driver, server, "squid") == ["2026/10/02/market/"]


def test_bylines_are_searchable_and_filters_are_offered(driver, server: str) -> None:
    assert results(driver, server, "Okafor") == ["2025/11/20/port/", "2026/10/02/market/"]
    options = {
        name: [o.get_attribute("value") for o in driver.find_elements("css selector", f"select[name={name}] option")]
        for name in ("author", "section", "tag")
    }
    assert options["author"] == ["", "Ama Mensah", "Daniel Okafor", "Lin Xiao", "林晓"]
    assert options["section"] == ["", "Business", "City"]
    assert {"retail", "shipping", "Hangzhou"} <= set(options["tag"])
    assert driver.find_element("css selector", "[data-search-filters]").is_displayed()


def test_filters_narrow_a_search_and_work_alone(driver, server: str) -> None:
    assert results(driver, server, "retail", author="Ama Mensah") == ["2026/04/08/tea/"]
    assert results(driver, server, section="Business") == ["2025/11/20/port/", "2026/04/08/tea/"]
    assert results(driver, server, tag="retail") == ["2026/04/08/tea/", "2026/10/02/market/"]
    selected = driver.find_element("css selector", "select[name=tag] option:checked")
    assert selected.get_attribute("value") == "retail"


def test_after_edits_the_incremental_index_answers_as_a_fresh_one(driver, tmp_path: Path) -> None:
    root = write(tmp_path / "site")
    site_build(root)
    content = root / "content"
    market = content / "city" / "market.md"
    corrected = market.read_text(encoding="utf-8").replace("grilled squid", "grilled tofu")
    market.write_text(corrected + "\nLanterns were strung along the towpath.\n", encoding="utf-8")
    site_build(root)  # a correction: the delta path, the story amended (its month's old record superseded)
    listing = json.loads((root / "output" / "pagefind" / "shards.json").read_text(encoding="utf-8"))
    assert len(listing["superseded"]) == 1 and {"path": "en-amended/", "language": "en", "edition": ""} in listing["shards"]
    (content / "business" / "port.md").unlink()
    tea = content / "business" / "tea.md"
    tea.write_text(tea.read_text(encoding="utf-8").replace('authors: ["Ama Mensah"]', 'authors: ["Kofi Boateng"]'), encoding="utf-8")
    site_build(root)  # a deletion and a byline change: the full path, two shards
    fresh = tmp_path / "fresh"
    shutil.copytree(content, fresh / "content")
    shutil.copy(root / "site.toml", fresh / "site.toml")
    site_build(fresh)
    queries = [("lanterns", {}), ("squid", {}), ("tofu", {}), ("harbour", {}), ("Okafor", {}), ("Boateng", {}), ("Mensah", {}), (MIDDLE_WORD, {}),
               ("", {"author": "Kofi Boateng"}), ("", {"section": "Business"}), ("retail", {"tag": "retail"})]
    with serve(root / "output") as incremental, serve(fresh / "output") as scratch:
        for query, filters in queries:
            assert results(driver, incremental, query, **filters) == results(driver, scratch, query, **filters), (query, filters)
        assert results(driver, incremental, "lanterns") == ["2026/10/02/market/"]
        assert results(driver, incremental, "squid") == []  # only in the superseded record
        assert results(driver, incremental, "Lin Xiao") == ["2026/10/02/market/"]  # once, not twice
        assert results(driver, incremental, "harbour") == []
        assert results(driver, incremental, "", author="Kofi Boateng") == ["2026/04/08/tea/"]


def test_a_long_archive_shows_the_newest_months_first_then_every_match(driver, tmp_path: Path) -> None:
    """Twenty months of stories, twenty shards: the newest twelve are searched first, then all."""
    root = tmp_path / "archive"
    root.mkdir()
    (root / "site.toml").write_text('title = "Canal Courier"\ntimezone = "Asia/Shanghai"\n', encoding="utf-8")
    months = [(2025 + (m // 12), m % 12 + 1) for m in range(20)]
    for n, (year, month) in enumerate(months):
        oldest_or_newest = n in (0, len(months) - 1)
        body = "The ferry timetable changed again." + (" Lanterns lit the quay." if oldest_or_newest else "")
        (root / "content" / f"s{n}.md").parent.mkdir(exist_ok=True)
        (root / "content" / f"s{n}.md").write_text(
            f'---\ntitle: "Ferry notes {n}"\ndate: {year}-{month:02d}-10T08:00:00+08:00\nslug: s{n}\n---\n\n{body}\n', encoding="utf-8")
    site_build(root)
    listing = (root / "output" / "pagefind" / "shards.json").read_text(encoding="utf-8")
    assert listing.count('"path"') == 20
    # Record every text the status takes, from before the page's script runs.
    record = driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": """
        window.statuses = [];
        new MutationObserver(() => {
          const status = document.getElementById("search-status");
          if (status && status.textContent !== window.statuses.at(-1)) window.statuses.push(status.textContent);
        }).observe(document, {subtree: true, childList: true, characterData: true});"""})
    try:
        with serve(root / "output") as base:
            assert results(driver, base, "lanterns") == ["2025/01/10/s0/", "2026/08/10/s19/"]
            # The newest twelve months held one match, shown while the older months were merged.
            assert driver.execute_script("return window.statuses.filter(Boolean)") == [
                "Searching…", "1 result for “lanterns” Searching older stories…", "2 results for “lanterns”"]
            assert len(results(driver, base, "ferry")) == 20  # one page of results: twenty of twenty
            assert driver.find_element("id", "search-status").text == "20 results for “ferry”"
    finally:
        driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": record["identifier"]})
