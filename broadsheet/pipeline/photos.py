"""The photo stage: process the photos pages use, and stage the processed files with the static ones.

It runs after the site model is built and before pages are planned, so the
processed files' names are reserved like any static file's. Each photo a
page uses (a story's lead image and body images, author photos, a raster
logo) is processed once per content and settings (``outputs/photos.py``);
the files live in the build cache's ``photos`` folder (a temporary one
without a cache) and are copied into the output beside the static files. An
original a page uses is never published as it is: its own name gets the
largest processed fallback, stripped of GPS and other metadata like every
processed file.

What the stage found is recorded for the delta path (``PhotoUses``): which
photos each story uses, and the processed image of each. An edit that uses
the same photos as before is rebuilt from that record without looking at a
single photo; one that uses others takes the full path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from broadsheet.errors import BuildFailed, SiteError
from broadsheet.incremental.fingerprints import digest
from broadsheet.model.content import Article
from broadsheet.model.imagerefs import ImageRef, is_photo, local_path, named_image, story_images
from broadsheet.model.site import Story
from broadsheet.model.static import StaticBundle
from broadsheet.outputs.processed import PhotoUses, ProcessedImage
from broadsheet.pipeline.run import BuildRun

if TYPE_CHECKING:
    from broadsheet.outputs.photos import PhotoReport

CACHE_FOLDER = "photos"
FILES = "files"  # the processed files' folder, inside the cache folder (``PhotoCache.files``)
Focus = tuple[float, float] | None


def story_uses(article: Article, body_html: object) -> tuple[str, ...]:
    """What decides the files a story's photos give: each local photo it uses, the lead one with its focus."""
    uses: list[str] = []
    if article.image and (path := local_path(article.image)) and is_photo(path):
        uses.append(f"lead|{path}|{article.image_focus}")
    uses += (f"body|{ref.path}" for ref in story_images(article.source, None, _body(body_html)))
    return tuple(uses)


def _body(html: object) -> str:
    text = str(html or "")
    return text if "<img" in text else ""


def _beside(source: str, src: str) -> bool:
    """Whether a body image names a file beside its story (a page bundle's own, which ``pages/bundles.py`` publishes)."""
    try:
        return (Path(source).parent / src.split("?", 1)[0].split("#", 1)[0]).is_file()
    except (OSError, ValueError):
        return False


def _source_text(source: str) -> str | None:
    try:
        return Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def site_refs(
    stories: Iterable[Story], profiles: Mapping[str, Mapping[str, Any]], authors_file: Path | None, logo: str,
    config: str = "site.toml", known: Mapping[str, object] | None = None, *, lines: Callable[[str], bool] = lambda source: False,
) -> tuple[list[ImageRef], dict[str, Focus], dict[str, tuple[str, ...]]]:
    """Every local photo the site's pages use, each lead photo's focus, and each story's uses.

    ``lines(source)`` says whether to read that file for the lines naming each photo (for errors).
    """
    refs: list[ImageRef] = []
    leads: dict[str, Focus] = {}
    uses: dict[str, tuple[str, ...]] = {}
    known = known or {}
    for story in stories:
        article = story.article
        html = _body(story.rendered.html)
        text = _source_text(article.source) if lines(article.source) else None
        refs += [
            ref for ref in story_images(article.source, article.image, html, text)
            if ref.field != "body" or f"static/{ref.path}" in known or not _beside(article.source, ref.written)
        ]
        if article.image and (path := local_path(article.image)) and is_photo(path):
            leads.setdefault(path, article.image_focus)
        uses[article.source] = story_uses(article, html)
    if authors_file is not None:
        authors = authors_file.as_posix()
        text = _source_text(authors) if lines(authors) else None
        for profile in profiles.values():
            photo = profile.get("photo")
            if isinstance(photo, str) and (ref := named_image(photo, authors, "photo", text)) is not None:
                refs.append(ref)
    if logo and (ref := named_image(logo, config, "logo", _source_text(config) if lines(config) else None)):
        refs.append(ref)
    return refs, leads, uses


def photo_stage(
    run: BuildRun, stories: Iterable[Story], folder: Path,
    profiles: Mapping[str, Mapping[str, Any]] | None = None, authors_file: Path | None = None,
) -> PhotoUses:
    """Process the pages' photos into ``folder`` and stage them into ``run``; bad photos fail the build."""
    from broadsheet.outputs.images import ImageOptions  # Pillow: loaded only by a build that looks at photos
    from broadsheet.outputs.photos import PhotoCache, publish_photos

    stories = list(stories)
    logo = run.settings.logo
    config = run.options.config.as_posix()
    refs, leads, uses = site_refs(stories, profiles or {}, authors_file, logo, config, run.assets.copies)
    cache = PhotoCache(folder)
    options = ImageOptions.from_settings(run.settings)

    def publish(refs: list[ImageRef]) -> PhotoReport:
        return publish_photos(
            refs, run.assets.copies, options, cache, leads=leads,
            map_jobs=lambda fn, jobs: iter(run.workers.map("photos", _Jobs(fn, list(jobs)), len(jobs), threshold=2, chunk_size=1)),
        )

    report = publish(refs)
    if report.errors:  # again, with the lines that name each bad photo (the good ones are in the cache now)
        failing = {error.path for error in report.errors}
        lined, _leads, _uses = site_refs(stories, profiles or {}, authors_file, logo, config, run.assets.copies, lines=failing.__contains__)
        raise BuildFailed(_unique(publish(lined).errors or report.errors))
    run.report.warnings.extend(_unique(report.warnings))
    images: dict[str, ProcessedImage] = {}
    for (path, social, _focus), image in report.images.items():
        if social or path not in images:
            images[path] = image  # a lead photo's record carries its social crop too
    photos = PhotoUses(images, uses)
    stage_photos(run, photos, folder)
    run.lap("photos")
    return photos


def stage_photos(run: BuildRun, photos: PhotoUses, folder: Path) -> bool:
    """Put the processed files (in ``folder``) among the static copies, in place of the originals; False if one is gone.

    The processed names enter ``run.site_key``: every page key changes when a photo's files do.
    """
    files = folder / FILES
    copies = dict(run.assets.copies)
    for path, image in sorted(photos.images.items()):
        for variant in (*image.variants, *([image.social] if image.social else [])):
            copies[f"static/{variant.path}"] = files / variant.path
        largest = max(image.of_format(image.fallback), key=lambda v: v.width)
        original = f"static/{path}"
        for rel in (original, run.assets.names.get(original)):
            if rel in copies:
                copies[rel] = files / largest.path  # never the original's bytes: they may carry where it was taken
    if not all(file.is_file() for rel, file in copies.items() if file.is_relative_to(files)):
        return False
    run.assets = replace(run.assets, copies=copies) if isinstance(run.assets, StaticBundle) else run.assets
    run.photos = photos.images
    if photos.images:
        run.site_key = digest(run.site_key, sorted((path, repr(image)) for path, image in photos.images.items()))
    return True


@dataclass(frozen=True)
class _Jobs:
    """Photo jobs as a worker task: each item is one photo."""

    fn: Callable[[Any], Any]
    jobs: list[Any]

    def run(self, indices: range) -> list[Any]:
        return [self.fn(self.jobs[i]) for i in indices]


def _unique(errors: list[SiteError]) -> list[SiteError]:
    return list(dict.fromkeys(errors))


def same_photos(run: BuildRun, photos: PhotoUses, edits: Iterable[Any], folder: Callable[[], Path]) -> bool:
    """Whether a delta build's edits use the photos they used before; if so, the last build's processed
    files (kept in ``folder()``) are staged. Otherwise the full path processes and stages them."""
    for edit in edits:
        try:
            uses = story_uses(edit.article, edit.rendered.html) if run.published(edit.article) else ()
        except (AssertionError, OSError, KeyError, LookupError):
            return False  # a body not readable here (a cached body of a build without a cache folder): the full path
        if uses != photos.stories.get(edit.source, ()):
            return False
    return not photos.images or stage_photos(run, photos, folder())
