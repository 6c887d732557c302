"""Publishing the photos pages use: each processed once per content and settings, bad uses reported at their line.

``publish_photos`` takes every ``ImageRef`` the site's pages make (see
``imagerefs.py``) and the static files (``collect_static``), and returns a
``PhotoReport``: the ``ProcessedImage`` of each photo, one ``SiteError`` per
use of a missing or bad photo (naming the article and line), and warnings.
Work is keyed by the original's SHA-256, ``ImageOptions.key()`` and the
social crop; a key already in the cache folder, with all its files still
there, is not processed again. An original's digest is remembered with its
size and modification time, so an unchanged photo is not even read.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from broadsheet.errors import SiteError
from broadsheet.model.imagerefs import ImageRef
from broadsheet.outputs.images import ImageOptions, ImageProblem, process_image, read_original
from broadsheet.outputs.processed import ProcessedImage, Variant

Focus = tuple[float, float] | None


@dataclass(frozen=True, slots=True)
class PhotoJob:
    """One photo to process: picklable, for a worker process."""

    path: str
    file: str
    digest: str
    key: str
    social: bool = False
    focus: Focus = None


@dataclass
class PhotoReport:
    """What ``publish_photos`` found: processed photos by (path, social, focus), errors, warnings, work done."""

    images: dict[tuple[str, bool, Focus], ProcessedImage] = field(default_factory=dict)
    errors: list[SiteError] = field(default_factory=list)
    warnings: list[SiteError] = field(default_factory=list)
    processed: int = 0
    reused: int = 0

    def image(self, path: str, *, social: bool = False, focus: Focus = None) -> ProcessedImage | None:
        return self.images.get((path, social, focus if social else None))

    def add(self, path: str, image: ProcessedImage, focus: Focus) -> None:
        self.images[(path, False, None)] = replace(image, social=None)
        if image.social is not None:
            self.images[(path, True, focus)] = image


def job_key(digest: str, options: ImageOptions, social: bool, focus: Focus) -> str:
    text = f"{digest}|{options.key()}|{social}|{focus}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class PhotoCache:
    """Processed photos' records (JSON) and the originals' digests, in a folder of the build cache."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.files = folder / "files"  # pipeline/photos.py FILES
        self._stats_path = folder / "stats.json"
        try:
            self._stats: dict[str, list] = json.loads(self._stats_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self._stats = {}
        self._seen: dict[str, list] = {}

    def digest(self, file: Path) -> str:
        """SHA-256 of ``file``, read only if its size or modification time changed."""
        stat = file.stat()
        key = str(file)
        known = self._stats.get(key)
        if known and known[:2] == [stat.st_mtime_ns, stat.st_size]:
            self._seen[key] = known
            return str(known[2])
        digest = hashlib.sha256(file.read_bytes()).hexdigest()
        self._seen[key] = [stat.st_mtime_ns, stat.st_size, digest]
        return digest

    def get(self, key: str) -> ProcessedImage | None:
        try:
            record = json.loads((self.folder / "records" / f"{key}.json").read_text(encoding="utf-8"))
            image = _from_record(record)
        except (OSError, ValueError, KeyError, TypeError):
            return None
        wanted = (*image.variants, *([image.social] if image.social else []))
        return image if all((self.files / v.path).is_file() for v in wanted) else None

    def put(self, key: str, image: ProcessedImage) -> None:
        _write_text(self.folder / "records" / f"{key}.json", json.dumps(asdict(image), sort_keys=True))

    def save(self) -> None:
        """Keep the digests of the originals this build saw (and only those)."""
        _write_text(self._stats_path, json.dumps(self._seen, sort_keys=True))


def publish_photos(
    refs: Iterable[ImageRef], assets: Mapping[str, Path], options: ImageOptions, cache: PhotoCache, *,
    leads: Mapping[str, Focus] | None = None, map_jobs: Callable[..., Iterator[object]] = map,
) -> PhotoReport:
    """Process every photo ``refs`` name; ``leads`` maps lead photos to their focus, for the social crop.

    ``map_jobs(fn, jobs)`` runs the jobs (``map``, or a process pool's ``map``); each job is ``run_job``.
    """
    report = PhotoReport()
    uses: dict[str, list[ImageRef]] = {}
    for ref in refs:
        uses.setdefault(ref.path, []).append(ref)
    leads = leads or {}
    todo: list[PhotoJob] = []
    failed: dict[str, str] = {}
    for path in uses:
        social, focus = path in leads, leads.get(path)  # a lead photo's one job makes its ladder and its social crop
        file = assets.get(f"static/{path}")
        try:
            if file is None:
                raise ImageProblem(f"image file not found: static/{path}")
            digest = cache.digest(file)
        except ImageProblem as exc:
            failed[path] = str(exc)
            continue
        except OSError as exc:
            failed[path] = f"cannot read static/{path}: {exc.strerror or exc}"
            continue
        key = job_key(digest, options, social, focus)
        found = cache.get(key)
        if found is not None:
            report.add(path, found, focus)
            report.reused += 1
        else:
            todo.append(PhotoJob(path, str(file), digest, key, social, focus))
    for job, outcome in zip(todo, map_jobs(_RunJob(options, cache.files), todo), strict=True):
        if isinstance(outcome, str):
            failed[job.path] = outcome
            continue
        assert isinstance(outcome, ProcessedImage)
        cache.put(job.key, outcome)
        report.add(job.path, outcome, job.focus)
        report.processed += 1
    for path, refs_of_path in uses.items():
        if path in failed:
            report.errors.extend(ref.error(failed[path]) for ref in refs_of_path)
        elif (image := report.image(path)) is not None:
            report.warnings.extend(refs_of_path[0].error(note) for note in image.warnings)
    cache.save()
    return report


@dataclass(frozen=True, slots=True)
class _RunJob:
    """``run_job`` with its options bound, picklable for a process pool."""

    options: ImageOptions
    out_dir: Path

    def __call__(self, job: PhotoJob) -> ProcessedImage | str:
        return run_job(job, self.options, self.out_dir)


def run_job(job: PhotoJob, options: ImageOptions, out_dir: Path) -> ProcessedImage | str:
    """Process one photo; a problem comes back as its one-line message (it crosses a process boundary)."""
    try:
        data = read_original(Path(job.file), f"static/{job.path}")
        return process_image(data, job.path, options, out_dir, social=job.social, focus=job.focus)
    except ImageProblem as exc:
        return str(exc)


def _from_record(record: Mapping) -> ProcessedImage:
    social = record.get("social")
    return ProcessedImage(
        source=record["source"], width=record["width"], height=record["height"],
        variants=tuple(Variant(**v) for v in record["variants"]),
        social=Variant(**social) if social else None, warnings=tuple(record.get("warnings", ())),
    )


def _write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)
