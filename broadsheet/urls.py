"""URL paths (relative to the site base) for every kind of page; one place decides them."""

from __future__ import annotations

from .site import Term

TERM_ROOTS = {"author": "authors", "tag": "tags", "section": "sections"}


def term_index_url(kind: str) -> str:
    return f"{TERM_ROOTS[kind]}/"


def term_url(term: Term) -> str:
    return f"{TERM_ROOTS[term.kind]}/{term.key}/"


def archive_url(key: tuple[int, ...]) -> str:
    """``(2024,)`` → ``2024/``, ``(2024, 5)`` → ``2024/05/``, ``(2024, 5, 1)`` → ``2024/05/01/``."""
    year, *rest = key
    return "/".join([f"{year:04d}", *(f"{n:02d}" for n in rest)]) + "/"


ARCHIVE_INDEX = "archive/"
SEARCH = "search/"


def asset_url(path: str) -> str:
    """A file from the static folder; absolute URLs and base-relative paths pass through."""
    if "://" in path or path.startswith("//"):
        return path
    if path.startswith("/"):
        return path.lstrip("/")
    return f"static/{path}"
