"""Incremental builds: what a rebuild renders, writes and removes, on a real site."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import replace
from pathlib import Path

import pytest

from broadsheet.build import Builder, BuildOptions

NOW = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)


def write(content: Path, name: str, title: str, day: int, tags: str, body: str = "Body text.") -> Path:
    path = content / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"---\ntitle: {title}\ndate: 2025-03-{day:02d}T09:00:00Z\nauthors: [Ann Lee]\nsection: City\ntags: [{tags}]\n---\n{body}\n",
        encoding="utf-8",
    )
    return path


def make(tmp_path: Path) -> tuple[Builder, Path]:
    content = tmp_path / "content"
    for n in range(1, 26):
        write(content, f"story-{n:02d}.md", f"Story {n}", n, "alpha" if n % 2 else "beta")
    options = BuildOptions(
        content=content, output=tmp_path / "output", templates=tmp_path / "templates",
        config=tmp_path / "site.toml", cache_dir=tmp_path / "cache", now=NOW, jobs=1,
    )
    return Builder(options), content


def test_nothing_changed_renders_nothing(tmp_path: Path) -> None:
    builder, _ = make(tmp_path)
    first = builder.build()
    assert first.rendered == first.pages
    again = Builder(builder.options).build()  # a new process would start like this
    assert (again.rendered, again.written, again.removed) == (0, 0, 0)


def test_body_edit_renders_exactly_the_pages_that_show_the_story(tmp_path: Path) -> None:
    builder, content = make(tmp_path)
    builder.build()
    write(content, "story-03.md", "Story 3", 3, "alpha", body="A corrected body.")
    report = builder.build()
    assert sorted(report.rendered_urls) == sorted([
        "2025/03/03/story-03/",         # its page
        "",                             # the front page (lead and section blocks)
        "page/3/",                      # the front-page page listing it (per_page 10)
        "authors/ann-lee/page/3/",      # its byline's page listing it
        "tags/alpha/page/2/",           # its tag's page listing it
        "sections/city/page/3/",        # its section's page listing it
        "2025/page/3/", "2025/03/page/3/", "2025/03/03/",  # its date archives
        "tags/alpha/feed.xml",          # its tag's feed (13 stories, under the 20-item limit)
        "news-sitemap.xml",             # lists recent stories
    ])  # not the site, author or section feeds: 25 stories each, and story 3 is not among the newest 20
    assert "A corrected body." in (tmp_path / "output/2025/03/03/story-03/index.html").read_text(encoding="utf-8")


def test_headline_edit_also_renders_neighbours_and_related_pages(tmp_path: Path) -> None:
    builder, content = make(tmp_path)
    builder.build()
    write(content, "story-03.md", "Story three, rewritten", 3, "alpha")
    report = builder.build()
    rendered = set(report.rendered_urls)
    # Neighbours link to it by headline, and every story sharing its tag may list it as related.
    assert {"2025/03/02/story-02/", "2025/03/04/story-04/", "2025/03/05/story-05/"} <= rendered
    for url in rendered:
        page = tmp_path / "output" / (url + "index.html" if url == "" or url.endswith("/") else url)
        assert page.exists()
    assert "2025/03/04/story-04/" in rendered  # beta story, but its neighbour


def test_removed_article_removes_its_pages(tmp_path: Path) -> None:
    builder, content = make(tmp_path)
    builder.build()
    (content / "story-25.md").unlink()
    report = builder.build()
    assert report.removed >= 2  # its page and its day archive
    assert not (tmp_path / "output/2025/03/25").exists()


def test_template_change_renders_every_page_using_templates(tmp_path: Path) -> None:
    builder, _ = make(tmp_path)
    first = builder.build()
    override = tmp_path / "templates" / "404.html"
    override.parent.mkdir()
    override.write_text("<!doctype html><title>gone</title><p>Nothing here.</p>", encoding="utf-8")
    report = builder.build()
    assert report.rendered == first.pages
    assert (tmp_path / "output" / "404.html").read_text(encoding="utf-8").endswith("Nothing here.</p>")


def test_deleted_output_file_is_restored(tmp_path: Path) -> None:
    builder, _ = make(tmp_path)
    builder.build()
    target = tmp_path / "output/2025/03/07/story-07/index.html"
    target.unlink()
    report = builder.build()
    assert report.rendered_urls == ["2025/03/07/story-07/"]
    assert target.exists()


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and p.name != ".broadsheet-manifest.json"
    }


def _rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def _touch(path: Path) -> None:
    path.write_bytes(path.read_bytes())
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))


# (what, edit, whether well under half the site should re-render). In this small site every story
# shares one section and one author, so any change to what a compact card shows may appear in any
# article's related list; only a change to what a story says is sure to stay local.
EDITS = [
    ("a lede (the summary other pages show)", lambda c: _rewrite(c / "story-07.md", "Body text.", "A new first paragraph."), True),
    ("the same story again", lambda c: _rewrite(c / "story-07.md", "A new first paragraph.", "A second new paragraph."), True),
    ("a file saved unchanged", lambda c: _touch(c / "story-09.md"), True),
    ("an undo", lambda c: _rewrite(c / "story-07.md", "A second new paragraph.", "Body text."), True),
    ("a summary in front matter", lambda c: _rewrite(c / "story-08.md", "section: City", "section: City\nsummary: In short."), True),
    ("a deleted page", lambda c: (c.parent / "output/2025/03/11/story-11/index.html").unlink(), True),
    ("a headline", lambda c: _rewrite(c / "story-12.md", "title: Story 12", "title: Story twelve"), False),
    ("a byline", lambda c: _rewrite(c / "story-12.md", "authors: [Ann Lee]", "authors: [Ann Lee, Bo Chen]"), False),
    ("a tag", lambda c: _rewrite(c / "story-03.md", "tags: [alpha]", "tags: [alpha, gamma]"), False),
    ("a date", lambda c: _rewrite(c / "story-05.md", "2025-03-05", "2025-04-30"), False),
    ("a body after a date", lambda c: _rewrite(c / "story-05.md", "Body text.", "Moved, then corrected."), True),
    ("a new story", lambda c: write(c, "story-26.md", "Story 26", 26, "beta"), False),
    ("a deleted story", lambda c: (c / "story-14.md").unlink(), False),
    ("a new section", lambda c: _rewrite(c / "story-20.md", "section: City", "section: Business"), False),
    ("an author profile", lambda c: (c / "authors.yml").write_text("Ann Lee:\n  name: Ann Lee-Park\n  role: Editor\n", encoding="utf-8"), False),
    ("a body after a profile", lambda c: _rewrite(c / "story-21.md", "Body text.", "Profiled, then edited."), True),
]


@pytest.mark.parametrize("process", ["one builder", "a new builder each time"])
def test_every_incremental_build_equals_a_full_build(tmp_path: Path, process: str) -> None:
    """Each edit, built on the last build, gives the same files as a full build from scratch.

    The preview server keeps one builder; ``site.py build`` starts a new one that reads the
    last build's snapshot from the cache folder.
    """
    builder, content = make(tmp_path)
    builder.build()
    for what, edit, partial in EDITS:
        edit(content)
        if process != "one builder":
            builder = Builder(builder.options)
        incremental = builder.build()
        full = Builder(replace(builder.options, output=tmp_path / "full", cache_dir=None, full=True))
        full.build()
        got, want = _files(tmp_path / "output"), _files(tmp_path / "full")
        stale = sorted(k for k in want if got.get(k) != want[k]) + sorted(set(got) - set(want))
        assert not stale, f"after editing {what}, stale: {stale[:10]}"
        if partial:
            assert incremental.rendered < incremental.pages // 2, what
            assert "routes" not in incremental.stages, f"{what} planned the site again"


def test_missing_files_names_exactly_the_outputs_that_are_gone(tmp_path: Path) -> None:
    from broadsheet.incremental.delta import missing_files

    names = ["index.html", "2025/03/11/story-11/index.html", "2025/03/11/index.html", "feeds/城市.xml", "static/a b.css"]
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / "2025/03/11/story-11/index.html").unlink()
    (tmp_path / "feeds/城市.xml").unlink()
    assert missing_files(tmp_path, names) == ["2025/03/11/story-11/index.html", "feeds/城市.xml"]
    assert missing_files(tmp_path / "gone", names) == names  # no folder at all: every output is missing


def test_the_front_matter_keys_read_are_part_of_every_content_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """A new spelling of a field (an upgrade that reads 'language' as 'lang') must make cached articles be read again."""
    from broadsheet.incremental import delta
    from broadsheet.model.config import Settings

    before = delta.namespace(Settings(), None)
    monkeypatch.setitem(delta.FIELDS, "lang", ("lang", "language", "locale"))
    assert delta.namespace(Settings(), None) != before
