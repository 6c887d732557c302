"""output.py: only changed files are rewritten, atomically; stale files go; failures change nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitekit import article, build, snapshot, write_files

from broadsheet.errors import BuildFailed
from broadsheet.outputs.output import Output, check_output_dir


def _site(root: Path) -> None:
    write_files(root, {
        "content/a.md": article(title="Alpha", date="2024-05-01", tags=["one"]),
        "content/b.md": article(title="Beta", date="2024-04-01", tags=["two"]),
    })


def test_only_changed_files_are_rewritten(tmp_path: Path) -> None:
    _site(tmp_path)
    first = build(tmp_path)
    static = [p for p in (tmp_path / "output" / "static").rglob("*") if p.is_file()]
    assert first.written == first.pages + len(static)  # pages plus the theme's static files
    before = snapshot(tmp_path / "output")
    again = build(tmp_path)
    assert (again.written, again.removed) == (0, 0)
    assert snapshot(tmp_path / "output") == before

    write_files(tmp_path, {"content/b.md": article(title="Beta, corrected", date="2024-04-01", tags=["two"])})
    build(tmp_path)
    after = snapshot(tmp_path / "output")
    changed = {k for k in after if after[k] != before[k]}
    assert "2024/04/01/b/index.html" in changed
    assert "2024/05/01/a/index.html" in changed  # its "previous story" link names Beta
    assert "tags/one/index.html" not in changed and "static/css/site.css" not in changed
    for rel in changed:
        assert after[rel][2] != before[rel][2], rel  # replaced by a new file (os.replace), not rewritten in place


def test_stale_files_and_empty_folders_are_removed(tmp_path: Path) -> None:
    _site(tmp_path)
    build(tmp_path)
    (tmp_path / "content/b.md").unlink()
    report = build(tmp_path)
    assert report.removed > 0
    output = tmp_path / "output"
    assert not (output / "2024/04").exists()
    assert not (output / "tags/two").exists()
    assert (output / "2024/05/01/a/index.html").exists()


def test_a_folder_not_written_by_broadsheet_is_refused(tmp_path: Path) -> None:
    _site(tmp_path)
    write_files(tmp_path, {"output/precious.txt": "keep me"})
    with pytest.raises(BuildFailed) as failed:
        build(tmp_path)
    assert "was not written by Broadsheet" in str(failed.value)
    assert sorted(p.name for p in (tmp_path / "output").iterdir()) == ["precious.txt"]


def test_an_empty_folder_is_used(tmp_path: Path) -> None:
    _site(tmp_path)
    (tmp_path / "output").mkdir()
    build(tmp_path)
    assert (tmp_path / "output" / "index.html").exists()


@pytest.mark.parametrize(
    "breakage",
    [
        {"content/c.md": "---\ntitle: Broken: yes\n---\n"},
        {"content/c.md": article(title="Same URL", slug="a")},
        {"templates/article.html": "{% extends 'base.html' %}{% block main %}{{ story.title.nope() }}{% endblock %}"},
        {"templates/list.html": "{% if %}"},
        {"site.toml": "per_page = 0\n"},
    ],
)
def test_a_failed_build_leaves_output_byte_for_byte_identical(tmp_path: Path, breakage: dict[str, str]) -> None:
    _site(tmp_path)
    build(tmp_path)
    before = snapshot(tmp_path / "output")
    # The good article changes too, so a partial write would show.
    write_files(tmp_path, {"content/a.md": article(title="Alpha, rewritten", date="2024-05-01", tags=["one"]), **breakage})
    with pytest.raises(BuildFailed):
        build(tmp_path)
    assert snapshot(tmp_path / "output") == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_output_unit(tmp_path: Path) -> None:
    root = tmp_path / "out"
    manifest = tmp_path / "cache" / "out.manifest"
    out = Output(root, manifest)
    out.start()
    assert out.stage("a/index.html", b"A") and out.stage("b.txt", b"B") and out.stage("c/d/e.txt", b"E")
    report = out.commit({"a/index.html": "k1", "b.txt": "k2", "c/d/e.txt": "k3"}, out.read_manifest())
    assert (report.written, report.unchanged, report.removed) == (3, 0, 0)
    out = Output(root, manifest)
    assert out.read_manifest() == {"a/index.html": "k1", "b.txt": "k2", "c/d/e.txt": "k3"}
    out.start()
    assert not out.stage("a/index.html", b"A")
    assert out.stage("b.txt", b"B2")
    report = out.commit({"a/index.html": "k1", "b.txt": "k4"}, out.read_manifest())
    out.finish()
    assert (report.written, report.unchanged, report.removed) == (1, 1, 1)
    assert (root / "b.txt").read_bytes() == b"B2"
    assert not (root / "c").exists()  # the stale file and its now-empty folders are gone
    assert not out.staging.exists()


def test_check_output_dir(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    for bad in (content, tmp_path, tmp_path / "content" / ".."):
        with pytest.raises(BuildFailed, match="output folder must not be"):
            check_output_dir(bad, [content])
    (tmp_path / "file").write_text("x")
    with pytest.raises(BuildFailed, match="exists and is not a folder"):
        check_output_dir(tmp_path / "file", [content])
    check_output_dir(tmp_path / "output", [content])


def test_a_manifest_read_again_is_the_file_on_disk_not_the_one_remembered(tmp_path: Path) -> None:
    """A process that builds again (the preview) parses an unchanged manifest once; any change to the file is read."""
    from broadsheet.outputs.manifest import digest, manifest_bytes, read_manifest, save_manifest

    path = tmp_path / "cache" / "site.manifest"
    save_manifest(path, manifest_bytes({"a/index.html": "k1"}), {"a/index.html": "k1"})
    first, key = read_manifest(path)
    assert first == {"a/index.html": "k1"} and key == digest(path.read_bytes())
    assert read_manifest(path)[0] is first  # remembered: not parsed again
    path.write_bytes(manifest_bytes({"a/index.html": "k2", "b.txt": "k3"}))  # another process wrote it
    assert read_manifest(path)[0] == {"a/index.html": "k2", "b.txt": "k3"}
    path.write_bytes(manifest_bytes({"../outside.txt": "k1"}))  # a path outside the output, checksum and all
    assert read_manifest(path) == ({}, "")
    path.write_bytes(path.read_bytes() + b" ")  # damaged
    assert read_manifest(path) == ({}, "")
