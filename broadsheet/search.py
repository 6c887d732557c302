"""Search stage: a Pagefind index of the committed output, swapped in whole.

Runs after the output commit, because Pagefind reads finished HTML files. The
index is written to a folder beside the output and only replaces
``output/pagefind/`` when Pagefind succeeds, so a failed run leaves the previous
index in place. The output stage does not know these files; the build adds the
current index to its planned files so that committing pages never removes it.
Only elements marked ``data-pagefind-body`` (the article body in the theme) are
indexed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from .errors import BuildFailed, SiteError

SEARCH_DIR = "pagefind"
INSTALL_HINT = "install it with: pip install 'pagefind[bin]==1.5.2', or build with --no-search"


def pagefind_executable() -> Path:
    """The Pagefind binary shipped by the ``pagefind[bin]`` package; ``BuildFailed`` if missing."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        get_executable = None
    binary = get_executable() if get_executable else None
    if binary is None:
        raise BuildFailed([SiteError("search", f"Pagefind is not installed; {INSTALL_HINT}")])
    return binary


def index_files(output: Path) -> set[str]:
    """Output paths of the current search index, so the output commit keeps them."""
    folder = output / SEARCH_DIR
    if not folder.is_dir():
        return set()
    return {path.relative_to(output).as_posix() for path in folder.rglob("*") if path.is_file()}


def build_index(output: Path, binary: Path) -> int:
    """Index ``output`` with Pagefind and swap the result into ``output/pagefind/``; return pages indexed."""
    fresh = output.parent / f".{output.name}.search"
    shutil.rmtree(fresh, ignore_errors=True)
    command = [str(binary), "--site", str(output), "--output-path", str(fresh)]
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise BuildFailed([SiteError("search", f"cannot run Pagefind: {exc.strerror}")]) from None
    if result.returncode != 0 or not (fresh / "pagefind.js").is_file():
        shutil.rmtree(fresh, ignore_errors=True)
        lines = (result.stderr or result.stdout).strip().splitlines() or ["no index written"]
        raise BuildFailed([SiteError("search", f"Pagefind failed: {lines[-1]}")])
    target = output / SEARCH_DIR
    retired = output.parent / f".{output.name}.search-old"
    shutil.rmtree(retired, ignore_errors=True)
    if target.exists():
        os.replace(target, retired)
    os.replace(fresh, target)
    shutil.rmtree(retired, ignore_errors=True)
    return _indexed_pages(result.stdout)


def _indexed_pages(log: str) -> int:
    """The page count Pagefind reports ("Indexed 12 pages"), 0 if it reports none."""
    for line in log.splitlines():
        words = line.split()
        if len(words) >= 3 and words[0] == "Indexed" and words[1].isdigit() and words[2].startswith("page"):
            return int(words[1])
    return 0
