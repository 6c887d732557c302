"""Page bundles: the files beside a story's ``index.md`` (images, PDFs...) copied beside its page.

A photo is published under its own name too, but as the photo stage publishes any photo: upright, stripped of
its camera's metadata (GPS included) and no wider than the widest of ``image_widths`` (``own_name_copy``).

A bundle's Markdown links them by name (``![](pier.jpg)``), which the browser resolves from the
page's folder. A file another page has is an error naming both (``plan``); none is in the sitemap.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable, Sequence
from pathlib import Path

from broadsheet.errors import BuildFailed, SiteError
from broadsheet.model.site import Site
from broadsheet.model.sources import BUNDLE_INDEX, bundle_files
from broadsheet.pages.keys import KeyData
from broadsheet.pages.kinds import Page, PageKind, Rendering


def plan_bundles(kind: PageKind, site: Site, planned: Sequence[Page]) -> Iterable[Page]:
    """One output file per bundle file, in the folder of its story's page."""
    for story in site.stories:
        index = Path(story.article.source)
        if index.name != BUNDLE_INDEX:
            continue
        folder = story.url if story.url.endswith("/") else posixpath.dirname(story.url) + "/"
        for rel in bundle_files(index):
            url = (folder + rel).lstrip("/")
            yield Page(url, "bundle-file", f"{story.article.source} ({rel})", kind, None, {"file": str(index.parent / rel)})


def bundle_key(keys: KeyData, page: Page) -> str:
    """The file's size and modification time: a changed file is copied again."""
    try:
        stat = os.stat(page.data["file"])
    except OSError:
        return keys.page(page, "missing")
    return keys.page(page, page.data["file"], stat.st_size, stat.st_mtime_ns)


def copy_bundle_file(renderer: Rendering, page: Page) -> bytes:
    """The file as it is; a photo upright, stripped of its metadata (GPS included) and no wider than the
    widest ``image_widths``, as the photo stage publishes a static photo under its own name."""
    # Pillow loads only to render a bundle file: a rebuild that loads this kind with its model renders none.
    from broadsheet.outputs.images import OWN_NAME_FORMATS, ImageOptions, ImageProblem, own_name_copy

    path = Path(page.data["file"])
    data = path.read_bytes()
    fmt = OWN_NAME_FORMATS.get(path.suffix.lower())
    if fmt is None:
        return data
    try:
        return own_name_copy(data, fmt, ImageOptions.from_settings(renderer.site.settings))
    except ImageProblem as problem:
        raise BuildFailed([SiteError(path.as_posix(), str(problem))]) from None


BUNDLES = PageKind("bundles", plan_bundles, key=bundle_key, render=copy_bundle_file, listed=False)
