"""Where articles come from: the ``*.md`` files under ``content/``, page bundles and the files beside them."""

from __future__ import annotations

import os
import posixpath
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from broadsheet.model.content import Article

BUNDLE_INDEX = "index.md"  # a page bundle: story/index.md, its images beside it


def find_sources(content_dir: Path) -> list[Path]:
    """Every ``*.md`` under ``content_dir``, sorted; links leading outside are skipped.

    Names starting with '.' or '_' (editor backups, drafts folders) are ignored.
    """
    return [Path(path) for path in source_paths(content_dir)]


def source_paths(content_dir: Path) -> list[str]:
    """``find_sources`` as plain strings (``content/a.md``), for callers that only stat them."""
    return walk_sources(content_dir)[0]


def walk_sources(content_dir: Path) -> tuple[list[str], bool]:
    """``source_paths``, and whether any of them is reached through a symbolic link (one file may then be two sources)."""
    root = content_dir.resolve()
    found: list[str] = []
    linked = False
    folders = [str(content_dir)]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.name.startswith((".", "_")):
                    continue
                if entry.is_symlink():
                    if not _inside(Path(entry.path), root):
                        continue
                    linked = True
                if entry.is_dir():
                    folders.append(entry.path)
                elif entry.name.endswith(".md") and entry.is_file():
                    found.append(entry.path)
    return sorted(found), linked


def bundle_files(index: Path) -> list[str]:
    """The files of a page bundle (images, PDFs... beside ``story/index.md``), relative to its folder.

    Markdown files are articles of their own, and a folder holding its own ``index.md`` is another bundle.
    """
    found: list[str] = []
    folders = [index.parent]
    while folders:
        folder = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith((".", "_")) or entry.name.endswith(".md"):
                    continue
                if entry.is_dir(follow_symlinks=False) and not os.path.exists(os.path.join(entry.path, BUNDLE_INDEX)):
                    folders.append(Path(entry.path))
                elif entry.is_file(follow_symlinks=False):
                    found.append(Path(entry.path).relative_to(index.parent).as_posix())
    return sorted(found)


def local_reference(article: Article, ref: str) -> str | None:
    """A relative image or link path in an article (``pier.jpg``, ``../img/a.png``) as a source path.

    Resolved from the article's folder, as a browser resolves it from the article's page; None for
    URLs, site-absolute paths, anchors and paths that climb out of the content folder.
    """
    if not ref or ref.startswith(("/", "#", "?")) or "://" in ref or ref.startswith(("data:", "mailto:", "tel:")):
        return None
    path = posixpath.normpath(posixpath.join(article.folder, ref.split("#")[0].split("?")[0]))
    root = PurePosixPath(article.source).parts[0]
    return path if path.startswith(f"{root}/") else None


def _inside(path: Path, root: Path) -> bool:
    if not path.is_symlink():
        return True
    try:
        return path.resolve().is_relative_to(root)
    except OSError:
        return False

