"""Nothing is deleted or written outside the output folder, whatever the manifest or the folder holds.

Output folders are often committed (a ``docs/`` folder for GitHub Pages), and
the manifest lives in the cache folder: whoever can change either must not be
able to make a build remove or overwrite a file anywhere else.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from sitekit import article, build, options, write_files

from broadsheet.build import Builder
from broadsheet.outputs.manifest import (
    LEGACY_MANIFEST,
    all_safe,
    manifest_bytes,
    manifest_path,
    parse_manifest,
    safe_relative,
)
from broadsheet.outputs.output import Output


def _site(root: Path) -> None:
    write_files(root, {
        "content/a.md": article(title="Alpha", date="2024-05-01", tags=["one"]),
        "content/b.md": article(title="Beta", date="2024-04-01", tags=["two"]),
    })


def _victims(root: Path) -> list[Path]:
    victims = [root / "victim.txt", root / "deep" / "victim.txt", root / "elsewhere" / "victim.txt"]
    for path in victims:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("must survive", encoding="utf-8")
    return victims


@pytest.mark.parametrize("rel", ["../victim.txt", "../../x/../victim.txt", "./../victim.txt", "a/../../victim.txt", "", ".", "a//b"])
def test_unsafe_relative_paths_are_refused(rel: str) -> None:
    assert not safe_relative(rel)


def test_absolute_and_odd_paths_are_refused() -> None:
    for rel in ("/etc/passwd", "\\etc\\passwd", "C:/x", "a\\..\\..\\b", "a\x00b", 3, None):
        assert not safe_relative(rel)
    assert safe_relative("tags/one/index.html") and safe_relative("static/css/site.3f2a.css")


def test_all_safe_judges_a_list_as_safe_relative_judges_each_path() -> None:
    """The bulk check a manifest is read with says exactly what the path-by-path one does."""
    pieces = ["a", "bc", ".", "..", "...", "/", ":", "\\", "\x00", "\n", "é", "index.html"]
    rng = random.Random(7)
    for _ in range(20_000):
        paths: list[object] = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 6))) for _ in range(rng.randint(0, 3))]
        if rng.random() < 0.05:
            paths.append(rng.choice([3, None, b"a"]))
        assert all_safe(paths) == all(safe_relative(path) for path in paths), paths
    assert all_safe(["tags/one/index.html", "2024/05/01/a/index.html", "feed.xml"])


def test_a_crafted_manifest_deletes_nothing_outside(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _site(site)
    victims = _victims(tmp_path)
    cache = site / ".cache"
    build(site, cache_dir=cache)
    manifest = manifest_path(site / "output", cache)
    assert manifest is not None and manifest.is_file()
    entries = parse_manifest(manifest.read_bytes())
    assert entries
    crafted = {
        **entries, "../victim.txt": "k", "../../victim.txt": "k", str(tmp_path / "deep" / "victim.txt"): "k",
        "../elsewhere/victim.txt": "k", "static/../../victim.txt": "k",
    }
    manifest.write_bytes(manifest_bytes(crafted))  # checksum and all: the attacker can compute it
    assert parse_manifest(manifest.read_bytes()) is None  # refused whole: the folder's real content is compared
    (site / "content" / "b.md").unlink()
    report = build(site, cache_dir=cache)
    assert report.removed > 0
    assert all(v.read_text(encoding="utf-8") == "must survive" for v in victims)
    assert not (site / "output" / "2024" / "04").exists()


def test_a_symlinked_folder_in_the_output_is_never_followed(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _site(site)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.html").write_text("outside page", encoding="utf-8")
    (outside / "feed.xml").write_text("outside feed", encoding="utf-8")
    cache = site / ".cache"
    build(site, cache_dir=cache)
    output = site / "output"
    # Planted: a folder the build writes into, and a stale folder it would clean, both links to outside.
    import shutil

    shutil.rmtree(output / "tags" / "one")
    (output / "tags" / "one").symlink_to(outside, target_is_directory=True)
    shutil.rmtree(output / "tags" / "two")
    (output / "tags" / "two").symlink_to(outside, target_is_directory=True)
    (output / "robots.txt").unlink()
    (output / "robots.txt").symlink_to(outside / "index.html")
    (site / "content" / "b.md").unlink()  # tags/two becomes stale
    Builder(options(site, cache_dir=cache, full=True)).build()
    assert (outside / "index.html").read_text(encoding="utf-8") == "outside page"
    assert (outside / "feed.xml").read_text(encoding="utf-8") == "outside feed"
    assert sorted(p.name for p in outside.iterdir()) == ["feed.xml", "index.html"]
    assert not (output / "tags" / "one").is_symlink() and (output / "tags" / "one" / "index.html").is_file()
    assert not (output / "robots.txt").is_symlink()
    assert not (output / "tags" / "two").exists()


def test_the_manifest_is_never_deployed_and_an_old_one_is_removed(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _site(site)
    victim = _victims(tmp_path)[0]
    build(site, cache_dir=site / ".cache")
    output = site / "output"
    assert not list(output.rglob(".broadsheet*"))
    # An output folder written by an older version: its manifest (naming a file outside) is not read, only removed.
    (output / LEGACY_MANIFEST).write_text('{"../victim.txt": "k"}', encoding="utf-8")
    Builder(options(site, cache_dir=site / ".cache", full=True)).build()
    assert not (output / LEGACY_MANIFEST).exists()
    assert victim.read_text(encoding="utf-8") == "must survive"


def test_without_a_manifest_the_real_content_is_compared(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _site(site)
    cache = site / ".cache"
    build(site, cache_dir=cache)
    output = site / "output"
    (output / "leftover.html").write_text("a page from a build long ago", encoding="utf-8")
    host_files = {"CNAME": "news.example.org", ".nojekyll": "", ".git/HEAD": "ref: refs/heads/gh-pages", "favicon.ico": "icon"}
    for name, text in host_files.items():
        (output / name).parent.mkdir(parents=True, exist_ok=True)
        (output / name).write_text(text, encoding="utf-8")
    (output / "pagefind").mkdir()
    (output / "pagefind" / "pagefind.js").write_text("index", encoding="utf-8")
    manifest = manifest_path(output, cache)
    assert manifest is not None
    manifest.unlink()  # lost with the cache folder (a fresh clone of a committed output folder)
    (site / "content" / "b.md").unlink()
    build(site, cache_dir=cache)
    assert not (output / "leftover.html").exists() and not (output / "2024" / "04").exists()
    assert (output / "pagefind" / "pagefind.js").is_file()  # the search stage's folder is its own
    assert all((output / name).read_text(encoding="utf-8") == text for name, text in host_files.items())  # the host's
    assert (output / "2024" / "05" / "01" / "a" / "index.html").is_file()


def test_a_folder_someone_else_wrote_is_still_refused(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _site(site)
    write_files(site, {"output/feed.xml": "<rss><generator>Hugo</generator></rss>", "output/index.html": "mine"})
    from broadsheet.errors import BuildFailed

    with pytest.raises(BuildFailed, match="not written by Broadsheet"):
        build(site, cache_dir=site / ".cache")
    assert (site / "output" / "index.html").read_text(encoding="utf-8") == "mine"


def test_commit_unit_refuses_staged_names_outside(tmp_path: Path) -> None:
    out = Output(tmp_path / "out", tmp_path / "m")
    out.start()
    out.stage("a.html", b"A")
    out.commit({"a.html": "k"}, {})
    out.finish()
    out.start()
    report = out.commit({"a.html": "k"}, {"../victim.txt": "k", "a.html": "k"})
    out.finish()
    assert report.removed == 0 and (tmp_path / "out" / "a.html").is_file()
