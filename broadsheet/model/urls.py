"""Full URLs and asset paths; each kind of page decides its own paths (``broadsheet/pages``)."""

from __future__ import annotations

from urllib.parse import urlsplit

from broadsheet.model.config import Settings


def absolute_url(settings: Settings, path: str = "") -> str:
    """A full URL for a base-relative path; URLs that are already absolute pass through."""
    if "://" in path:
        return path
    if path.startswith("//"):
        return f"{urlsplit(settings.base_url).scheme}:{path}"
    return settings.site_root + settings.base_path + path.lstrip("/")


def asset_url(path: str) -> str:
    """A file from the static folder; absolute URLs and base-relative paths pass through."""
    if "://" in path or path.startswith("//"):
        return path
    if path.startswith("/"):
        return path.lstrip("/")
    return f"static/{path}"
