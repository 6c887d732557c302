"""cache.py: values keyed by content hash, kept between builds, only while used."""

from __future__ import annotations

import pickle
from pathlib import Path

from sitekit import article, build, write_files

from broadsheet.cache import FORMAT, BuildCache


def test_put_get_save_and_reload(tmp_path: Path) -> None:
    path = tmp_path / "cache/build.pickle"
    cache = BuildCache(path)
    assert cache.get("k") is None
    cache.put("k", ("value",))
    assert cache.get("k") == ("value",)
    cache.save()
    assert BuildCache(path).get("k") == ("value",)


def test_only_entries_used_in_a_build_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "build.pickle"
    cache = BuildCache(path)
    cache.put("old", 1)
    cache.put("kept", 2)
    cache.save()
    cache = BuildCache(path)
    assert cache.get("kept") == 2
    cache.save()
    reloaded = BuildCache(path)
    assert (reloaded.get("old"), reloaded.get("kept")) == (None, 2)


def test_damaged_or_foreign_files_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "build.pickle"
    for data in (b"", b"not a pickle", pickle.dumps({"format": FORMAT + 1, "entries": {"k": 1}}), pickle.dumps([1, 2])):
        path.write_bytes(data)
        assert BuildCache(path).get("k") is None


def test_no_path_means_memory_only(tmp_path: Path) -> None:
    cache = BuildCache(None)
    cache.put("k", 1)
    cache.save()
    assert cache.get("k") == 1


def test_a_second_build_reuses_rendered_markdown(tmp_path: Path) -> None:
    write_files(tmp_path, {"content/a.md": article(title="A"), "content/b.md": article(title="B")})
    cache_dir = tmp_path / ".cache"
    assert build(tmp_path, cache_dir=cache_dir).markdown_cached == 0
    assert build(tmp_path, cache_dir=cache_dir).markdown_cached == 2
    write_files(tmp_path, {"content/b.md": article(title="B2", body="Changed.\n")})
    assert build(tmp_path, cache_dir=cache_dir).markdown_cached == 1
    assert "Changed." in (tmp_path / "output/2024/05/01/b/index.html").read_text(encoding="utf-8")


def test_a_cached_build_gives_the_same_site(tmp_path: Path) -> None:
    write_files(tmp_path, {"content/a.md": article(title="A", tags=["0o17", "no"], rating="1.50")})
    build(tmp_path, cache_dir=tmp_path / ".cache", output=tmp_path / "one")
    build(tmp_path, cache_dir=tmp_path / ".cache", output=tmp_path / "two")
    files = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*") if p.is_file())
    for rel in files:
        assert (tmp_path / "one" / rel).read_bytes() == (tmp_path / "two" / rel).read_bytes()
    assert (tmp_path / "two/tags/0o17/index.html").exists()
