"""The photo stage: process the photos stories use, and stage the processed files with the static ones.

It runs after the site model is built and before pages are planned, so the
processed files' names are reserved like any static file's. Each photo is
processed once per content and settings (``outputs/photos.py``); the files
live in the build cache's ``photos`` folder (a temporary one without a cache)
and are copied into the output beside the static files. An original a page
uses is never published as it is: its own name gets the largest processed
fallback, stripped of GPS and other metadata like every processed file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from broadsheet.errors import BuildFailed, SiteError
from broadsheet.model.content import Article
from broadsheet.model.imagerefs import ImageRef, is_photo, local_path, story_images
from broadsheet.model.rendered import Rendered
from broadsheet.model.site import Story
from broadsheet.model.static import StaticBundle
from broadsheet.outputs.images import ImageOptions
from broadsheet.outputs.photos import Focus, PhotoCache, PhotoReport, publish_photos
from broadsheet.pipeline.run import BuildRun
from broadsheet.theme import THEME_STATIC

CACHE_FOLDER = "photos"


def site_photos(run: BuildRun) -> bool:
    """Whether the site's own static folder holds a photo (the theme's files are no photos to process)."""
    theme = THEME_STATIC.resolve()
    return any(is_photo(rel) and not src.resolve().is_relative_to(theme) for rel, src in run.assets.copies.items())


def _source_text(source: str) -> str | None:
    try:
        return Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def uses_photos(pairs: Iterable[tuple[Article, Rendered]]) -> bool:
    """Whether any of these articles has a local lead photo (which the photo stage has to check)."""
    return any(lead_refs(article) for article, _rendered in pairs)


def lead_refs(article: Article) -> list[ImageRef]:
    """The story's lead photo, if local: body images are published as they are, for now."""
    return story_images(article.source, article.image, "")


def story_refs(stories: tuple[Story, ...] | list[Story]) -> tuple[list[ImageRef], dict[str, Focus]]:
    """Every local lead photo the stories use, and each one's focus."""
    refs: list[ImageRef] = []
    leads: dict[str, Focus] = {}
    for story in stories:
        article = story.article
        if lead_refs(article):  # the file is read again only for its lines
            refs.extend(story_images(article.source, article.image, "", _source_text(article.source)))
        if article.image and (path := local_path(article.image)) and is_photo(path):
            leads.setdefault(path, article.image_focus)
    return refs, leads


def photo_stage(run: BuildRun, stories: tuple[Story, ...] | list[Story], folder: Path) -> PhotoReport:
    """Process the stories' photos into ``folder``; stage them into ``run.assets``; bad photos fail the build."""
    refs, leads = story_refs(stories)
    cache = PhotoCache(folder)
    report = publish_photos(
        refs, run.assets.copies, ImageOptions.from_settings(run.settings), cache, leads=leads,
        map_jobs=lambda fn, jobs: iter(run.workers.map("photos", _Jobs(fn, list(jobs)), len(jobs), threshold=2, chunk_size=1)),
    )
    if report.errors:
        raise BuildFailed(_unique(report.errors))
    copies = dict(run.assets.copies)
    for (path, _social, _focus), image in report.images.items():
        for variant in (*image.variants, *([image.social] if image.social else [])):
            copies[f"static/{variant.path}"] = cache.files / variant.path
        fallback = image.of_format(image.fallback)
        largest = cache.files / max(fallback, key=lambda v: v.width).path
        original = f"static/{path}"
        for rel in (original, run.assets.names.get(original)):
            if rel in copies:
                copies[rel] = largest  # never the original's bytes: they may carry where it was taken
    run.assets = replace(run.assets, copies=copies) if isinstance(run.assets, StaticBundle) else run.assets
    run.lap("photos")
    return report


@dataclass(frozen=True)
class _Jobs:
    """Photo jobs as a worker task: each item is one photo."""

    fn: Callable[[Any], Any]
    jobs: list[Any]

    def run(self, indices: range) -> list[Any]:
        return [self.fn(self.jobs[i]) for i in indices]


def _unique(errors: list[SiteError]) -> list[SiteError]:
    return list(dict.fromkeys(errors))
