"""The preview's order: pages committed first, the search index after (``index_after_commit``).

A writer's tab reloads as soon as the pages are in place; the index follows in a thread, and the
next build waits for it. The index made that way is the index a fresh build makes, and one that
fails leaves the old index in place for the next build to bring up to date.
"""

from __future__ import annotations

import random
import threading
from pathlib import Path

import pytest
from sitekit import write_files
from test_search import fragments, same_as_fresh, search_options, searchable, story

from broadsheet.build import Builder
from broadsheet.errors import BuildFailed, SiteError
from broadsheet.outputs import search as search_stage
from broadsheet.preview.serve import Preview


def make_site(root: Path) -> Path:
    rng = random.Random(3)
    write_files(root / "content", {f"s{n}.md": story(rng, n, n % 3 + 1) for n in range(1, 6)})
    return root / "content" / "s2.md"


def correct(path: Path, words: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + f"\n{words}\n", encoding="utf-8")


def test_pages_are_committed_before_the_index_which_follows_and_equals_a_fresh_one(tmp_path: Path) -> None:
    edited = make_site(tmp_path)
    builder = Builder(search_options(tmp_path, index_after_commit=True))
    first = builder.build()
    assert first.index_later is not None and (tmp_path / "output" / "index.html").is_file()
    assert not search_stage.has_index(tmp_path / "output")  # not until it is run
    builder.settle()
    got, expected = same_as_fresh(tmp_path, tmp_path.parent / "fresh")
    assert got == expected

    correct(edited, "The tram depot moved to the harbourfront.")
    report = builder.build()
    page = next((tmp_path / "output").rglob("story-2/index.html"))
    assert "harbourfront" in page.read_text(encoding="utf-8")
    assert not any("harbourfront" in f["content"] for f in fragments(tmp_path / "output" / "pagefind").values())
    report.index_later.run()
    assert any("harbourfront" in f["content"] for f in fragments(tmp_path / "output" / "pagefind").values())
    got, expected = same_as_fresh(tmp_path, tmp_path.parent / "fresh")
    assert got == expected


def test_a_build_waits_for_the_last_index_and_a_failed_one_is_made_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edited = make_site(tmp_path)
    builder = Builder(search_options(tmp_path, index_after_commit=True))
    builder.build()
    correct(edited, "The ferry timetable changed.")
    builder.build()  # waits for the first build's index before it reads the search state
    assert search_stage.has_index(tmp_path / "output")
    builder.settle()
    before = searchable(tmp_path / "output" / "pagefind")
    got, expected = same_as_fresh(tmp_path, tmp_path.parent / "fresh")
    assert got == expected

    def failing(self: search_stage.Pending) -> search_stage.SearchIndex:
        self.cancel()
        raise BuildFailed([SiteError("search", "Pagefind failed: out of memory")])

    correct(edited, "The council approved the quarry budget.")
    with monkeypatch.context() as patched:
        patched.setattr(search_stage.Pending, "finish", failing)
        report = builder.build()
        report.index_later.run()
    assert report.index_later.error is not None
    assert searchable(tmp_path / "output" / "pagefind") == before  # the old index, whole
    correct(edited, "And the market reopened.")
    builder.build()
    builder.settle()
    got, expected = same_as_fresh(tmp_path, tmp_path.parent / "fresh")
    assert got == expected


def test_the_preview_reloads_before_indexing_and_reports_each_index(tmp_path: Path) -> None:
    edited = make_site(tmp_path)
    events: list[str] = []
    indexed = threading.Event()

    def listener(report, errors, changed) -> None:  # type: ignore[no-untyped-def]
        events.append("built" if report is not None else "failed")

    def done(report, errors) -> None:  # type: ignore[no-untyped-def]
        events.append(f"indexed {report.searchable}" if not errors else "not indexed")
        indexed.set()

    preview = Preview(Builder(search_options(tmp_path, index_after_commit=True)), listener, done)
    preview.rebuild()
    assert indexed.wait(60)
    indexed.clear()
    correct(edited, "A correction about the bridge.")
    preview.rebuild()
    assert events[:2] == ["built", "indexed 5"] and events[2] == "built"
    preview.settle()
    assert events == ["built", "indexed 5", "built", "indexed 1"]  # the edited story, amended
