"""Static assets: the theme's and the site's ``static/`` folders, the site's files winning."""

from __future__ import annotations

import os
from pathlib import Path

from .render import THEME_DIR

THEME_STATIC = THEME_DIR.parent / "static"


def collect_static(site_static: Path, templates_dir: Path | None = None) -> dict[str, Path]:
    """Map output paths (``static/...``) to source files; links out of a folder are skipped."""
    assets: dict[str, Path] = {}
    for folder in (THEME_STATIC, site_static):
        if not folder.is_dir():
            continue
        root = folder.resolve()
        for base, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if name.startswith("."):
                    continue
                path = Path(base, name)
                if path.is_symlink() and not path.resolve().is_relative_to(root):
                    continue
                assets["static/" + path.relative_to(folder).as_posix()] = path
    return assets
