"""What the engine keeps between builds (cache, snapshot, compiled templates) is checked when read.

Each test damages one piece of that state the way a crash, a disk or a user
would, builds again, and compares the output byte for byte with a clean build
of the same sources: never a stale page, never a failing build.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest
from sitekit import tree

from broadsheet.build import Builder, BuildOptions
from broadsheet.errors import BuildFailed

NOW = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)


def story(content: Path, n: int, body: str = "Body text.", extra: str = "") -> Path:
    path = content / f"story-{n:02d}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"---\ntitle: Story {n}\ndate: 2025-03-{n:02d}T09:00:00Z\nauthors: [Ann Lee]\ntags: [alpha]\n{extra}---\n{body}\n",
        encoding="utf-8",
    )
    return path


def options(root: Path, cache: Path | None = None) -> BuildOptions:
    return BuildOptions(
        content=root / "content", output=root / "output", templates=root / "templates", config=root / "site.toml",
        cache_dir=cache if cache is not None else root / "cache", now=NOW, jobs=1,
    )


def make(root: Path) -> Path:
    content = root / "content"
    for n in range(1, 8):
        story(content, n)
    return content



def clean_build(root: Path, tmp: Path) -> dict[str, bytes]:
    """The output a first build of ``root``'s sources makes, with nothing kept from before."""
    fresh = tmp / "clean"
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(root / "content", fresh / "content")
    Builder(options(fresh)).build()
    return tree(fresh / "output")


def test_a_failed_build_then_an_undo_then_an_edit_builds(tmp_path: Path) -> None:
    root = tmp_path / "site"
    content = make(root)
    Builder(options(root)).build()
    good = (content / "story-02.md").read_bytes()
    (content / "story-02.md").write_text("---\ntitle: [unclosed\n---\nBroken.\n", encoding="utf-8")
    with pytest.raises(BuildFailed):
        Builder(options(root)).build()
    (content / "story-02.md").write_bytes(good)  # undo
    Builder(options(root)).build()
    story(content, 5, body="A corrected body.")  # a new edit: the front page shows story 2 again
    Builder(options(root)).build()
    assert tree(root / "output") == clean_build(root, tmp_path)


def test_an_interrupted_render_keeps_what_the_snapshot_needs(tmp_path: Path) -> None:
    root = tmp_path / "site"
    content = make(root)
    Builder(options(root)).build()
    story(content, 3, body="Edited once.")
    (root / "templates").mkdir()
    (root / "templates" / "article.html").write_text("{{ nope.nothing }}", encoding="utf-8")
    with pytest.raises(BuildFailed):
        Builder(options(root)).build()  # a full build (a template changed) that fails to render
    shutil.rmtree(root / "templates")
    story(content, 3)  # back to what the snapshot knows
    Builder(options(root)).build()
    story(content, 6, body="Another edit.")
    Builder(options(root)).build()
    assert tree(root / "output") == clean_build(root, tmp_path)


def _damage_sqlite(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for offset in range(4096, len(data), 4096):  # every page after the first: b-tree pages become garbage
        data[offset:offset + 64] = b"\xa5" * 64
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("full", [False, True])
def test_malformed_sqlite_pages_mean_a_full_build(tmp_path: Path, full: bool) -> None:
    root = tmp_path / "site"
    content = make(root)
    Builder(options(root)).build()
    db = root / "cache" / "cache.sqlite"
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _damage_sqlite(db)
    story(content, 4, body="Edited after the damage.")
    report = Builder(options(root)).build() if not full else Builder(
        BuildOptions(**{**options(root).__dict__, "full": True})).build()
    assert tree(root / "output") == clean_build(root, tmp_path)
    assert report.pages > 0
    again = Builder(options(root)).build()  # and the cache written anew works
    assert again.rendered == 0


def test_a_flipped_byte_in_a_cached_body_is_never_published(tmp_path: Path) -> None:
    root = tmp_path / "site"
    content = make(root)
    Builder(options(root)).build()
    with sqlite3.connect(root / "cache" / "cache.sqlite") as conn:
        conn.execute("UPDATE entries SET html = replace(html, 'Body text.', 'Body tExt.')")
    story(content, 7, body="A new lead.")  # the front page renders again and shows other stories' bodies
    report = Builder(options(root)).build()
    assert any("build cache discarded" in str(w) for w in report.warnings)
    output = tree(root / "output")
    assert not any(b"Body tExt." in data for data in output.values())
    assert output == clean_build(root, tmp_path)


def test_a_flipped_byte_in_cached_article_data_is_caught(tmp_path: Path) -> None:
    root = tmp_path / "site"
    make(root)
    Builder(options(root)).build()
    with sqlite3.connect(root / "cache" / "cache.sqlite") as conn:
        conn.execute("UPDATE entries SET meta = replace(meta, CAST('Story 3' AS BLOB), CAST('Story 8' AS BLOB))")
    Builder(BuildOptions(**{**options(root).__dict__, "full": False})).build()
    shutil.rmtree(root / "cache" / "snapshot")  # the next build reads every article from the cache
    Builder(options(root)).build()
    output = tree(root / "output")
    assert not any(b"Story 8" in data for data in output.values())
    assert output == clean_build(root, tmp_path)


def test_garbled_compiled_templates_are_compiled_again(tmp_path: Path) -> None:
    root = tmp_path / "site"
    make(root)
    Builder(options(root)).build()
    compiled = [p for p in (root / "cache" / "templates").rglob("*") if p.is_file()]
    assert compiled
    for path in compiled:
        data = bytearray(path.read_bytes())
        for i in range(40, len(data), 97):
            data[i] ^= 0x5A
        path.write_bytes(bytes(data))
    (root / "output" / "index.html").unlink()
    shutil.rmtree(root / "cache" / "snapshot")
    Builder(BuildOptions(**{**options(root).__dict__, "full": True})).build()
    assert tree(root / "output") == clean_build(root, tmp_path)


@pytest.mark.parametrize("name", ["stamp.pickle", "model.pickle", "journal.pickle"])
def test_flipped_bytes_in_the_snapshot_mean_a_full_build(tmp_path: Path, name: str) -> None:
    root = tmp_path / "site"
    content = make(root)
    Builder(options(root)).build()
    story(content, 2, body="Edited once.")
    Builder(options(root)).build()  # a delta build: writes the journal
    path = root / "cache" / "snapshot" / name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    story(content, 5, body="Edited twice.")
    Builder(options(root)).build()
    assert tree(root / "output") == clean_build(root, tmp_path)


def test_an_unwritable_cache_folder_is_one_warning_and_a_good_build(tmp_path: Path) -> None:
    root = tmp_path / "site"
    make(root)
    (tmp_path / "blocker").write_text("a file where the cache folder's parent should be", encoding="utf-8")
    builder = Builder(options(root, cache=tmp_path / "blocker" / "cache"))
    first = builder.build()
    warnings = [str(w) for w in first.warnings if "cannot write the build cache" in str(w)]
    assert len(warnings) == 1 and "blocker" in warnings[0]
    assert not any("cannot write" in str(w) for w in builder.build().warnings)  # said once
    assert tree(root / "output") == clean_build(root, tmp_path)
