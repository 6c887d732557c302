"""Incremental builds: what a rebuild renders, writes and removes, on a real site."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

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
