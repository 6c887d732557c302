"""``site.py build --watch``: the deploy build kept resident, rebuilding output/ on every save.

Each test runs the real command in a child process on a small site and edits its files on disk,
as a newsroom's publishing machine would: real file-system events, a real Pagefind index. What
the resident builder writes must be what a one-off build of the same files writes, search index
included; a broken save must leave the last good output in place; a scheduled story must be
published when it falls due, with no save to set it off.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import signal
from contextlib import AbstractContextManager
from pathlib import Path

from serve_support import ServerProcess, article_text, article_url, make_site, running_command, wait_until
from sitekit import build, tree
from test_search import amended_shards, fragments, searchable

# The build clock of the tests that compare builds: after every story of ``make_site``.
NOW = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
NOW_TEXT = NOW.isoformat()


def watching(site: Path, *extra: str) -> AbstractContextManager[ServerProcess]:
    """``python site.py build --watch`` running in ``site`` until the block ends; waits until it is watching."""
    return running_command(site, ["build", "--watch", "--jobs", "1", *extra], r"^watching for changes", startup=60)


def one_off_build(site: Path, scratch: Path, search: bool = True) -> Path:
    """A from-scratch build of the site's files into ``scratch`` (search included, unless not); its output folder."""
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(site / "content", scratch / "content")
    shutil.copy(site / "site.toml", scratch / "site.toml")
    build(scratch, search=search, now=NOW)
    return scratch / "output"


def test_a_save_is_rebuilt_into_output_as_a_one_off_build_writes_it_search_included(tmp_path: Path) -> None:
    site = tmp_path / "site"
    files = make_site(site)
    draft = site / "content" / "city" / "embargoed.md"
    draft.write_text(article_text("Embargoed story", 9, "Not before noon.").replace("---\n\n", "draft: true\n---\n\n", 1), encoding="utf-8")
    with watching(site, "--now", NOW_TEXT) as watcher:
        page = site / "output" / article_url(2).strip("/") / "index.html"
        assert "Original body of story 2." in page.read_text(encoding="utf-8")
        seen = len(watcher.seen)
        with files["story-002"].open("a", encoding="utf-8") as handle:
            handle.write("\nCorrection: the stall sells grilled tofu.\n")
        watcher.wait_for_line(r"^built .* \(content/culture/story-002\.md changed\)$", after=seen)
        # Built means published and findable: the page and the story's search entry say it.
        assert "grilled tofu" in page.read_text(encoding="utf-8")
        entry = fragments(site / "output" / "pagefind")[article_url(2).lstrip("/")]
        assert "grilled tofu" in entry["content"]
        assert not (site / "output" / "2025" / "03" / "09" / "embargoed").exists()  # the deploy build: no drafts

        fresh = one_off_build(site, tmp_path / "fresh")
        assert tree(site / "output", skip=("pagefind",)) == tree(fresh, skip=("pagefind",))
        loose = amended_shards(site / "output" / "pagefind")
        assert searchable(site / "output" / "pagefind", loose) == searchable(fresh / "pagefind", loose)


def test_stories_added_renamed_and_removed_while_watching_are_published_as_a_one_off_build_would(tmp_path: Path) -> None:
    site = tmp_path / "site"
    files = make_site(site)
    with watching(site, "--now", NOW_TEXT, "--no-search") as watcher:
        steps = [
            ("added", lambda: (site / "content" / "city" / "story-new.md").write_text(
                article_text("A new story", 20, "Filed while watching."), encoding="utf-8")),
            ("renamed", lambda: files["story-003"].rename(files["story-003"].with_name("story-003-moved.md"))),
            ("removed", lambda: files["story-004"].unlink()),
            ("edited", lambda: files["story-005"].write_text(
                files["story-005"].read_text(encoding="utf-8") + "\nA late paragraph.\n", encoding="utf-8")),
        ]
        for what, change in steps:
            seen = len(watcher.seen)
            change()
            watcher.wait_for_line(r"^built .* changed\)$", after=seen)
            fresh = tree(one_off_build(site, tmp_path / "fresh", search=False))
            # A rename may reach the watch as two batches (gone, then new): wait for the last build.
            try:
                wait_until(lambda fresh=fresh: tree(site / "output") == fresh, timeout=10)
            except AssertionError:
                raise AssertionError(f"output/ is not what a one-off build writes after the story was {what}") from None


def test_a_broken_save_keeps_the_last_good_output_and_the_fix_is_built(tmp_path: Path) -> None:
    site = tmp_path / "site"
    files = make_site(site)
    with watching(site, "--now", NOW_TEXT, "--no-search") as watcher:
        before = tree(site / "output")
        good = files["story-001"].read_text(encoding="utf-8")
        seen = len(watcher.seen)
        files["story-001"].write_text(good.replace('title: "Story number 1"', 'title: "Story number 1'), encoding="utf-8")
        failed = watcher.wait_for_line(r"^build failed \(content/city/story-001\.md changed\): 1 problem; output/ keeps the last good build$", after=seen)
        errors = [line for line in watcher.seen[seen:] if line.startswith("error: ")]
        assert len(errors) == 1 and re.match(r"error: content/city/story-001\.md:\d+: front matter is not valid YAML", errors[0]), errors
        assert "Traceback" not in "".join(watcher.seen)
        assert tree(site / "output") == before
        assert failed and watcher.process.poll() is None  # still watching

        seen = len(watcher.seen)
        files["story-001"].write_text(good.replace("Original body", "Mended body"), encoding="utf-8")
        watcher.wait_for_line(r"^built .* \(content/city/story-001\.md changed\)$", after=seen)
        page = site / "output" / article_url(1).strip("/") / "index.html"
        assert "Mended body of story 1." in page.read_text(encoding="utf-8")


def test_a_scheduled_story_is_published_when_it_falls_due_without_a_save(tmp_path: Path) -> None:
    site = tmp_path / "site"
    make_site(site, articles=2)
    due = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(seconds=4)
    story = site / "content" / "city" / "embargo-lifts.md"
    story.write_text(
        f'---\ntitle: "Embargo lifts"\ndate: {due.isoformat()}\nauthors: ["Ada Reporter"]\nsection: City\n---\n\nOut at last.\n',
        encoding="utf-8",
    )
    page = site / "output" / due.strftime("%Y/%m/%d") / "embargo-lifts" / "index.html"
    with watching(site, "--no-search") as watcher:
        assert not page.exists()
        assert dt.datetime.now(dt.UTC) < due  # the first build ran before the story fell due
        seen = len(watcher.seen)
        watcher.wait_for_line(r"^built \d+ articles", after=seen, timeout=30)
        assert dt.datetime.now(dt.UTC) >= due
        wait_until(page.exists, timeout=5)
        assert "Out at last." in page.read_text(encoding="utf-8")
        assert "changed)" not in watcher.seen[-1]  # no file set it off


def test_ctrl_c_stops_it_with_the_shells_code(tmp_path: Path) -> None:
    site = tmp_path / "site"
    make_site(site, articles=2)
    with watching(site, "--no-search", "--now", NOW_TEXT) as watcher:
        watcher.process.send_signal(signal.SIGINT)
        assert watcher.process.wait(timeout=10) == 130


def test_the_summary_names_a_file_of_the_site_first(tmp_path: Path, monkeypatch) -> None:
    from broadsheet.commands.build import changed_note

    monkeypatch.chdir(tmp_path)
    theme = str(tmp_path.parent / "theme" / "static")  # a watched folder outside the site (the theme's)
    assert changed_note([]) == ""
    assert changed_note([str(tmp_path / "content" / "a.md")]) == " (content/a.md changed)"
    assert changed_note([theme, str(tmp_path / "content"), str(tmp_path / "static")]) == " (content and 2 more changed)"
