"""Content that would stall a build fails fast with one line naming the file, or builds in linear time."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from sitekit import article, build, error_lines, options, run_cli, write_files

from broadsheet.errors import BuildFailed
from broadsheet.markup.limits import precheck

# Paragraphs of 900 brackets: each under the limit, together far over a 1 s Markdown budget.
SLOW_PARAGRAPHS = 200


def _fails_fast(tmp_path: Path, body: str, message: str, seconds: float = 10.0) -> None:
    write_files(tmp_path, {"content/bad.md": article(title="Bad", body=body)})
    start = time.perf_counter()
    result = run_cli("build", "--no-search", cwd=tmp_path)
    took = time.perf_counter() - start
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = error_lines(result.stderr)
    assert len(lines) == 1 and lines[0].startswith("error: content/bad.md:") and message in lines[0], result.stderr
    assert took < seconds, took


def test_fifty_thousand_brackets_fail_at_once(tmp_path: Path) -> None:
    _fails_fast(tmp_path, "[" * 50_000 + "\n", "more than 1000 '['")


def test_a_list_three_thousand_levels_deep_fails_at_once(tmp_path: Path) -> None:
    _fails_fast(tmp_path, "- " * 3000 + "x\n", "nested more than 100 levels")  # a list in a list in a list...


def test_an_indented_list_a_thousand_levels_deep_fails_at_once(tmp_path: Path) -> None:
    _fails_fast(tmp_path, "".join("  " * i + "- x\n" for i in range(1000)), "nested more than 100 levels")


def test_a_quote_three_thousand_levels_deep_fails_at_once(tmp_path: Path) -> None:
    _fails_fast(tmp_path, ">" * 3000 + " x\n", "nested more than 100 levels")


def test_what_real_articles_hold_passes_the_precheck() -> None:
    links = " ".join(f"[link {i}](https://example.org/{i})" for i in range(300))
    nested = "".join("  " * i + "- x\n" for i in range(20))
    precheck(f"{links}\n\n{links}\n\n{nested}\n> > quoted\n", "a.md")


def test_the_time_budget_stops_slow_markdown(tmp_path: Path) -> None:
    # Each paragraph is under the bracket limit but slow to parse; together they take several seconds on
    # any machine (40 of them took 0.9-1.5 s, too close to the budget to fail every time).
    slow = "\n\n".join("[" * 900 for _ in range(SLOW_PARAGRAPHS))
    write_files(tmp_path, {"site.toml": "markdown_seconds = 1\n", "content/slow.md": article(title="Slow", body=slow)})
    start = time.perf_counter()
    result = run_cli("build", "--no-search", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert error_lines(result.stderr) == [
        "error: content/slow.md: the Markdown took more than 1 s to render (markdown_seconds in site.toml); simplify the file"
    ]
    assert time.perf_counter() - start < 6


def test_the_time_budget_applies_in_pool_workers(tmp_path: Path) -> None:
    slow = "\n\n".join("[" * 900 for _ in range(SLOW_PARAGRAPHS))
    files = {f"content/s{i:03d}.md": article(title=f"Story {i}") for i in range(210)}
    write_files(tmp_path, {"site.toml": "markdown_seconds = 1\n", **files, "content/slow.md": article(title="Slow", body=slow)})
    result = run_cli("build", "--no-search", "--jobs", "2", cwd=tmp_path)
    assert result.returncode == 1
    assert error_lines(result.stderr) == [
        "error: content/slow.md: the Markdown took more than 1 s to render (markdown_seconds in site.toml); simplify the file"
    ]


def test_limits_are_settings(tmp_path: Path) -> None:
    tags = [f"t{i}" for i in range(5)]
    write_files(tmp_path, {"site.toml": "max_tags = 4\n", "content/a.md": article(title="A", tags=tags)})
    with pytest.raises(BuildFailed, match=r"5 tags; the limit is 4 \(max_tags in site.toml\)"):
        build(tmp_path)
    write_files(tmp_path, {"site.toml": "max_tags = 5\nmax_article_kb = 1\n"})
    with pytest.raises(BuildFailed, match="the limit is 1 KiB"):
        write_files(tmp_path, {"content/a.md": article(title="A", tags=tags, body="x" * 2000)})
        build(tmp_path)
    write_files(tmp_path, {"site.toml": "max_tags = 0\n"})
    with pytest.raises(BuildFailed, match="max_tags: must be a whole number of at least 1"):
        build(tmp_path)


def _feed_entry(count: int) -> tuple[object, object]:
    from broadsheet.outputs.feeds import FeedEntry, FeedInfo

    when = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
    entry = FeedEntry("https://example.org/a/", "A", when, when, (), tuple(f"tag {i}" for i in range(count)), "s", "<p>b</p>", None, "en")
    return FeedInfo("T", "D", "https://example.org/", "en", "", when), entry


@pytest.mark.parametrize("writer", ["rss_feed", "atom_feed"])
def test_a_feed_entry_with_many_tags_is_written_in_linear_time(writer: str) -> None:
    from broadsheet.outputs import feeds

    write = getattr(feeds, writer)
    cost = []
    for count in (1000, 4000):
        info, entry = _feed_entry(count)
        start = time.process_time()
        data = write(info, [entry], "https://example.org/feed.xml")
        cost.append(time.process_time() - start)
        assert data.count(b"tag ") >= count
    assert cost[1] < cost[0] * 8, cost  # four times the tags; a writer quadratic in them (as one feedgen call per tag was) takes sixteen times as long


def test_feed_keys_for_a_story_with_many_tags_take_time_linear_in_the_feeds_times_tags(tmp_path: Path) -> None:
    from broadsheet.build import Builder

    cost = []
    for count in (150, 600):
        site = tmp_path / str(count)
        write_files(site, {"site.toml": "max_tags = 1000\n", "content/a.md": article(title="A", tags=[f"t{i}" for i in range(count)])})
        builder = Builder(options(site))
        builder.build()
        model = builder._current_model()
        assert model is not None
        feeds = [page for page in model.pages if page.family.name == "feeds"]
        assert len(feeds) > count
        start = time.process_time()
        for page in feeds:
            model.fingerprints.key(page)
        cost.append(time.process_time() - start)
    # Four times the tags: four times the feeds, each keyed over four times the tags (16x); cubic is 64x.
    assert cost[1] < cost[0] * 32, cost
