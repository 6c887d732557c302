"""Search stage: a Pagefind index of the site as committed, swapped in whole.

Pagefind reads finished HTML, so the index is built after rendering and before
the output commit, from a mirror of the site as it will be: each planned HTML
file linked from the staging folder if it changed, else from the output
folder. A Pagefind failure therefore stops the build with the output folder
untouched. After the commit the new index replaces ``output/pagefind/`` in one
move. The output stage does not plan the index's files; the build adds the
current index to its planned set so that committing pages never removes it.
Only elements marked ``data-pagefind-body`` (the article body in the theme) are
indexed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from broadsheet.errors import BuildFailed, SiteError
from broadsheet.outputs.output import Output

SEARCH_DIR = "pagefind"
INSTALL_HINT = "install it with: pip install 'pagefind[extended]==1.5.2', or build with --no-search"


def pagefind_executable() -> Path:
    """The Pagefind binary shipped by ``pagefind[extended]`` (or ``pagefind[bin]``); ``BuildFailed`` if missing."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        get_executable = None
    binary = get_executable() if get_executable else None
    if binary is None:
        raise BuildFailed([SiteError("search", f"Pagefind is not installed; {INSTALL_HINT}")])
    return binary


def has_index(output: Path) -> bool:
    """Whether the output folder already holds a search index."""
    return (output / SEARCH_DIR / "pagefind.js").is_file()


@dataclass(frozen=True)
class SearchIndex:
    """A finished index waiting beside the output folder, and how many pages it holds."""

    folder: Path
    pages: int


def index_site(output: Output, planned: Iterable[str], binary: Path) -> SearchIndex:
    """Index the pages the coming commit will leave in place; the output folder is not touched."""
    root = output.root
    mirror = root.parent / f".{root.name}.search-site"
    fresh = root.parent / f".{root.name}.search"
    for folder in (mirror, fresh):
        shutil.rmtree(folder, ignore_errors=True)
    try:
        for rel in sorted(planned):
            if rel.endswith(".html"):
                staged = output.staging / rel
                _link(staged if staged.exists() else root / rel, mirror / rel)
        command = [str(binary), "--site", str(mirror), "--output-path", str(fresh)]
        try:
            result = subprocess.run(command, capture_output=True, text=True, check=False)
        except OSError as exc:
            raise BuildFailed([SiteError("search", f"cannot run Pagefind: {exc.strerror}")]) from None
    finally:
        shutil.rmtree(mirror, ignore_errors=True)
    if result.returncode != 0 or not (fresh / "pagefind.js").is_file():
        shutil.rmtree(fresh, ignore_errors=True)
        lines = (result.stderr or result.stdout).strip().splitlines() or ["no index written"]
        raise BuildFailed([SiteError("search", f"Pagefind failed: {lines[-1]}")])
    return SearchIndex(fresh, _indexed_pages(result.stdout))


def install(index: SearchIndex, root: Path) -> None:
    """Replace ``root/pagefind/`` with ``index`` (after the output commit)."""
    target = root / SEARCH_DIR
    retired = root.parent / f".{root.name}.search-old"
    shutil.rmtree(retired, ignore_errors=True)
    if target.exists():
        os.replace(target, retired)
    os.replace(index.folder, target)
    shutil.rmtree(retired, ignore_errors=True)


def discard(index: SearchIndex) -> None:
    shutil.rmtree(index.folder, ignore_errors=True)


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _indexed_pages(log: str) -> int:
    """The page count Pagefind reports ("Indexed 12 pages"), 0 if it reports none."""
    for line in log.splitlines():
        words = line.split()
        if len(words) >= 3 and words[0] == "Indexed" and words[1].isdigit() and words[2].startswith("page"):
            return int(words[1])
    return 0
