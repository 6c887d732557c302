"""The front-matter vocabulary: Broadsheet's fields, the keys other generators use for them, a site's own.

Keys match case-insensitively, with ``-`` and ``_`` alike (``Image-Caption`` is ``image_caption``).
A site maps its own keys in ``site.toml`` (``[front_matter] tags = ["topics"]``); they are tried
before the built-in names. ``url`` and alias paths are checked here too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# Each Broadsheet field and the keys that fill it, first present wins (Hugo's and Jekyll's included).
FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "date": ("date", "publishdate", "pubdate", "published"),
    "updated": ("updated", "lastmod", "modified", "last_modified_at"),
    "expires": ("expires", "expirydate", "unpublishdate"),
    "authors": ("authors", "author"),
    "tags": ("tags",),
    "section": ("section", "category", "categories"),
    "summary": ("summary", "excerpt", "description"),
    "slug": ("slug",),
    "draft": ("draft",),
    "image": ("image", "images"),
    "image_caption": ("image_caption",),
    "image_alt": ("image_alt",),
    "image_credit": ("image_credit",),
    "image_focus": ("image_focus",),
    "dateline": ("dateline",),
    "lang": ("lang", "language"),
    "translation_key": ("translation_key", "translationkey", "translation_of"),  # Hugo's translationKey
    "url": ("url", "permalink"),
    "aliases": ("aliases", "redirect_from"),
    "featured": ("featured",),
    "featured_until": ("featured_until",),
    "credit": ("source", "credit"),
    "type": ("type",),
    "corrections": ("corrections",),
    "series": ("series",),
    "series_part": ("series_part", "series_order"),
}
# Fields the theme reads from ``story.extra``: kept there under Broadsheet's name.
EXTRA_FIELDS = ("image_caption", "image_alt", "dateline")
# Every front-matter key Broadsheet knows without a site vocabulary (normalized).
KNOWN = frozenset(name for names in FIELDS.values() for name in names)


def normal_key(key: object) -> str:
    """``Image-Caption`` -> ``image_caption``."""
    return str(key).strip().casefold().replace("-", "_")


def is_empty(value: Any) -> bool:
    """None, blank text and empty lists or tables count as absent (``url = ""`` in TOML)."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, (list, dict)) and not value


def vocabulary(mapping: Mapping[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """Every field's keys, normalized: the site's own first, then the built-in ones."""
    out: dict[str, tuple[str, ...]] = {}
    for name, builtin in FIELDS.items():
        keys = [normal_key(key) for key in mapping.get(name, ())] + list(builtin)
        out[name] = tuple(dict.fromkeys(keys))
    return out


def mapping_problems(value: Any) -> list[str]:
    """What is wrong with a ``[front_matter]`` table, one message each (empty if nothing)."""
    if not isinstance(value, Mapping):
        return [f"must be a table such as tags = [\"topics\"], got {value!r}"]
    problems: list[str] = []
    claimed: dict[str, str] = {}
    for name, keys in value.items():
        if name not in FIELDS:
            problems.append(f"'{name}' is not a Broadsheet field; map one of {', '.join(FIELDS)}")
            continue
        if not isinstance(keys, (list, tuple)) or not keys or not all(isinstance(k, str) and k.strip() for k in keys):
            problems.append(f"{name}: must be a list of front-matter keys such as [\"topics\"], got {keys!r}")
            continue
        for key in keys:
            other = claimed.setdefault(normal_key(key), name)
            if other != name:
                problems.append(f"{name}: key '{key}' is already mapped to {other}")
    return problems


class PathProblem(ValueError):
    """A ``url`` or alias that cannot be a path on the site."""


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def site_path(value: str) -> str:
    """A page path as Hugo and Jekyll write it (``/news/old.html``, ``/2016/03/post``), checked.

    Returns it relative to the site base with no leading slash; a path without a file
    extension becomes a folder (``2016/03/post/``). A path not starting with ``/`` keeps a
    ``./`` in front: it is relative to the article's own folder (resolved when URLs are planned).
    """
    text = value.strip()
    if _SCHEME.match(text) or text.startswith("//"):
        raise PathProblem(f"'{text}' must be a path on this site such as /news/old-story/, not a full URL")
    if any(c in text for c in "?#\\\x00") or any(c.isspace() for c in text):
        raise PathProblem(f"'{text}' must be a plain path, without spaces, '?', '#' or backslashes")
    rooted = text.startswith("/")
    parts = [part for part in text.strip("/").split("/") if part]
    if not parts:
        raise PathProblem(f"'{text}' is the site's front page; give the article its own path")
    if {".", ".."} & set(parts):
        raise PathProblem(f"'{text}' must not contain '.' or '..' parts")
    path = "/".join(parts)
    if text.endswith("/") or "." not in parts[-1]:
        path += "/"
    return path if rooted else f"./{path}"
