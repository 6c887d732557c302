"""Which local images a page uses, and where each is named, so a bad one is reported at its line.

A story uses its lead ``image`` and the images in its body; author pages and
bylines use profile photos; every page may use the site's ``logo``. Each is a
path inside the static folder (``images/quay.jpg``; a leading ``/`` is
allowed). Full URLs, protocol-relative and ``data:`` addresses are left alone.
Raster photos are published through the image pipeline; anything else (an
SVG) stays a plain static file.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass

from broadsheet.errors import SiteError

# Files the pipeline publishes (the last few only to say clearly that their format is not supported).
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif", ".bmp", ".tif", ".tiff", ".heic", ".heif")
_IMG_SRC = re.compile(r"<img\b[^>]*?\ssrc=(?:\"([^\"]*)\"|'([^']*)')", re.IGNORECASE)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True, slots=True)
class ImageRef:
    """One use of a local image: its path in the static folder, the file naming it, and how it is written there."""

    path: str
    source: str
    written: str
    field: str = "body"
    line: int | None = None

    def error(self, message: str) -> SiteError:
        where = self.field if self.field != "body" else "image"
        return SiteError(self.source, f"{where} {self.written!r}: {message}", self.line)


def local_path(src: str) -> str | None:
    """The static-folder path ``src`` names, or None for a full URL, ``data:`` or an empty value.

    ``images/a.jpg``, ``/images/a.jpg`` and the published URL ``/static/images/a.jpg`` all name ``images/a.jpg``.

    A path that climbs out of the static folder is returned as written, so looking it up fails loudly.
    """
    src = src.strip()
    if not src or src.startswith(("//", "#")) or _SCHEME.match(src):
        return None
    path = src.split("#", 1)[0].split("?", 1)[0]
    if path.startswith("/static/"):  # the static folder's own URL, as Jekyll and Hugo sites write it
        path = path.removeprefix("/static")
    path = path.lstrip("/")
    normal = posixpath.normpath(path)
    return path if normal.startswith("..") else normal


def body_path(src: str) -> str | None:
    """The static-folder path a body image's ``src`` names: ``images/x.jpg``, ``/static/images/x.jpg`` and a
    page-relative ``../../static/images/x.jpg`` all name ``images/x.jpg``; None for a full URL."""
    path = local_path(src)
    if path is None:
        return None
    parts = src.strip().split("#", 1)[0].split("?", 1)[0].lstrip("/").split("/")
    while parts and parts[0] in ("..", "."):
        parts.pop(0)
    if parts[:1] == ["static"]:
        parts.pop(0)
    return posixpath.normpath("/".join(parts)) if parts else path


def is_photo(path: str) -> bool:
    return path.lower().endswith(PHOTO_SUFFIXES)


def body_images(body_html: str) -> list[str]:
    """The ``src`` of every ``<img>`` in rendered HTML, in order, each once."""
    found = (html.unescape(m.group(1) if m.group(1) is not None else m.group(2)) for m in _IMG_SRC.finditer(body_html))
    return list(dict.fromkeys(found))


def story_images(source: str, image: str | None, body_html: str, text: str | None = None) -> list[ImageRef]:
    """The local photos a story uses: its lead image, then its body's; with lines when ``text`` (the file) is given."""
    refs: list[ImageRef] = []
    if image and (path := local_path(image)) and is_photo(path):
        line = (key_line(text, "image") or line_of(text, image)) if text else None  # TOML, JSON, a mapped key
        refs.append(ImageRef(path, source, image, "image", line))
    for src in body_images(body_html):
        if (path := body_path(src)) and is_photo(path):
            refs.append(ImageRef(path, source, src, "body", line_of(text, src) if text else None))
    return refs


def named_image(value: str | None, source: str, field: str, text: str | None = None) -> ImageRef | None:
    """A profile ``photo`` (in the authors file) or the ``logo`` (in site.toml), if it is a local photo."""
    if not value or not (path := local_path(value)) or not is_photo(path):
        return None
    return ImageRef(path, source, value, field, line_of(text, value) if text else None)


def key_line(text: str, key: str) -> int | None:
    """The line where front-matter ``key:`` starts, counted in the whole file."""
    match = re.search(rf"^{re.escape(key)}\s*:", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def line_of(text: str, needle: str) -> int | None:
    """The first line of ``text`` holding ``needle`` (as written, or with its HTML entities decoded)."""
    for candidate in dict.fromkeys((needle, html.escape(needle, quote=False))):
        index = text.find(candidate)
        if index >= 0:
            return text.count("\n", 0, index) + 1
    return None


def unique_paths(refs: Iterable[ImageRef]) -> list[str]:
    """Each photo once, in first-use order: what the pipeline has to process."""
    return list(dict.fromkeys(ref.path for ref in refs))
