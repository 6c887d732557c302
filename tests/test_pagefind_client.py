"""The Pagefind service client: every index file is whole on disk when indexing is said to be finished.

Broadsheet asks the service for an index's files and writes them itself: the service's own
writes are handed to background writers that it does not wait for, so a file could be empty
when the service said it was written (seen as an empty ``pagefind-entry.json`` on a loaded CI
machine). These tests run the real Pagefind binary.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from broadsheet.outputs.pagefind import start_bundles, write_files
from broadsheet.outputs.search import pagefind_executable
from broadsheet.outputs.search_state import read_fragment

WORDS = ["harbour", "ferry", "council", "budget", "school", "river", "market", "festival", "bridge", "tram", "quarry", "lantern"]


def page(n: int, lang: str) -> tuple[str, str]:
    words = " ".join(WORDS[(n * k) % len(WORDS)] for k in range(1, 40))
    body = f"<h1>Story {n}</h1><p>{words} unique{n}q.</p>"
    return f"/story-{n}/", f'<html lang="{lang}"><body data-pagefind-body>{body}</body></html>'


def check_whole(folder: Path) -> None:
    entry = json.loads((folder / "pagefind-entry.json").read_text("utf-8"))
    for language, about in entry["languages"].items():
        assert (folder / f"pagefind.{about['hash']}.pf_meta").is_file(), f"{folder.name}: no metadata for {language}"
    compressed = [p for p in folder.rglob("*") if p.suffix in {".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter"}]
    assert compressed
    for path in compressed:
        assert gzip.decompress(path.read_bytes()).startswith(b"pagefind_dcd"), path


def test_every_file_of_every_index_is_whole_when_indexing_finishes(tmp_path: Path) -> None:
    binary = pagefind_executable()
    folders = [tmp_path / f"shard-{n}" for n in range(24)]
    bundles = ((folder, (page(n * 100 + k, "zh-Hans" if n % 3 == 0 else "en") for k in range(25)))
               for n, folder in enumerate(folders))
    pages = start_bundles(binary, bundles, jobs=2).finish()
    assert pages == 24 * 25
    reference = {p.name: p.read_bytes() for p in folders[1].iterdir() if p.suffix in {".js", ".css"}}
    assert {"pagefind.js", "pagefind-ui.js", "pagefind-ui.css"} <= reference.keys()
    for folder in folders:
        check_whole(folder)
        for name, data in reference.items():
            assert (folder / name).read_bytes() == data, f"{folder.name}/{name} is not whole"
        fragments = [read_fragment(p)
                     for p in (folder / "fragment").iterdir()]
        assert len(fragments) == 25


@pytest.mark.parametrize("name", ["../escape.js", "/tmp/absolute.js", "fragment/../../up.pf_fragment"])
def test_a_file_named_outside_its_index_folder_is_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(OSError, match="not a path inside the index"):
        write_files(tmp_path / "index", [{"path": name, "content": ""}])
    assert not (tmp_path / "escape.js").exists() and not (tmp_path / "up.pf_fragment").exists()
