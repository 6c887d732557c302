"""photos.py: the photos pages use, processed once per content and settings, bad uses reported at their lines."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from photokit import camera_jpeg
from PIL import Image

from broadsheet.model.imagerefs import ImageRef
from broadsheet.model.static import collect_static
from broadsheet.outputs.images import ImageOptions
from broadsheet.outputs.photos import PhotoCache, publish_photos

OPTIONS = ImageOptions(widths=(160, 320), formats=("webp",))


@pytest.fixture
def static(tmp_path: Path) -> Path:
    folder = tmp_path / "static" / "images"
    folder.mkdir(parents=True)
    (folder / "quay.jpg").write_bytes(camera_jpeg(1, (640, 480)))
    (folder / "tea.jpg").write_bytes(camera_jpeg(2, (480, 640), orientation=8))
    whole = camera_jpeg(3, (640, 480))
    (folder / "cut.jpg").write_bytes(whole[: len(whole) // 3])
    return tmp_path / "static"


def _refs() -> list[ImageRef]:
    return [
        ImageRef("images/quay.jpg", "content/a.md", "images/quay.jpg", "image", 4),
        ImageRef("images/tea.jpg", "content/a.md", "images/tea.jpg", "body", 12),
        ImageRef("images/quay.jpg", "content/b.md", "/images/quay.jpg", "body", 9),
    ]


def test_every_photo_once_with_its_social_crop(static: Path, tmp_path: Path) -> None:
    report = publish_photos(_refs(), collect_static(static), OPTIONS, PhotoCache(tmp_path / "cache"), leads={"images/quay.jpg": (0.5, 0.3)})
    assert (report.errors, report.warnings, report.processed, report.reused) == ([], [], 2, 0)  # one job a photo, a lead's with its crop
    quay, tea = report.image("images/quay.jpg"), report.image("images/tea.jpg")
    assert quay is not None and tea is not None
    assert (quay.width, quay.height, tea.width, tea.height) == (640, 480, 480, 640)
    lead = report.image("images/quay.jpg", social=True, focus=(0.5, 0.3))
    assert lead is not None and lead.social is not None and (lead.social.width, lead.social.height) == (640, 336)
    for variant in (*quay.variants, *tea.variants, lead.social):
        with Image.open(tmp_path / "cache" / "files" / variant.path) as image:
            assert image.size == (variant.width, variant.height)


def test_bad_photos_are_reported_at_every_use(static: Path, tmp_path: Path) -> None:
    refs = [*_refs(), ImageRef("images/cut.jpg", "content/c.md", "images/cut.jpg", "image", 5),
            ImageRef("images/gone.jpg", "content/d.md", "images/gone.jpg", "body", 7),
            ImageRef("images/gone.jpg", "content/e.md", "images/gone.jpg", "image", 3)]
    report = publish_photos(refs, collect_static(static), OPTIONS, PhotoCache(tmp_path / "cache"), leads={"images/cut.jpg": None})
    assert sorted(str(e) for e in report.errors) == [
        "content/c.md:5: image 'images/cut.jpg': damaged image: the file is truncated (cut short while copying?)",
        "content/d.md:7: image 'images/gone.jpg': image file not found: static/images/gone.jpg",
        "content/e.md:3: image 'images/gone.jpg': image file not found: static/images/gone.jpg",
    ]
    assert report.image("images/quay.jpg") is not None


def test_a_rebuild_processes_no_unchanged_photo(static: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assets = collect_static(static)
    first = publish_photos(_refs(), assets, OPTIONS, PhotoCache(tmp_path / "cache"))
    with monkeypatch.context() as patch:
        def unread(path: Path) -> bytes:
            raise AssertionError(f"{path} was read")

        patch.setattr(Path, "read_bytes", unread)  # unchanged originals are known by size and time
        again = publish_photos(_refs(), assets, OPTIONS, PhotoCache(tmp_path / "cache"))
    assert (first.processed, again.processed, again.reused) == (2, 0, 2)
    assert again.images == first.images

    quay = static / "images" / "quay.jpg"
    os.utime(quay, ns=(1, 1))  # touched, same bytes: read and hashed again, nothing processed
    assert publish_photos(_refs(), assets, OPTIONS, PhotoCache(tmp_path / "cache")).processed == 0

    quay.write_bytes(camera_jpeg(7, (640, 480)))  # a new photo under the same name
    changed = publish_photos(_refs(), assets, OPTIONS, PhotoCache(tmp_path / "cache"))
    assert (changed.processed, changed.reused) == (1, 1)

    better = ImageOptions(widths=(160, 320), formats=("webp",), quality=(("avif", 50), ("jpeg", 90), ("webp", 75)))
    assert publish_photos(_refs(), assets, better, PhotoCache(tmp_path / "cache")).processed == 2  # settings are in the key


def test_a_deleted_output_file_is_made_again(static: Path, tmp_path: Path) -> None:
    assets = collect_static(static)
    first = publish_photos(_refs(), assets, OPTIONS, PhotoCache(tmp_path / "cache"))
    tea = first.image("images/tea.jpg")
    assert tea is not None
    (tmp_path / "cache" / "files" / tea.variants[0].path).unlink()
    again = publish_photos(_refs(), assets, OPTIONS, PhotoCache(tmp_path / "cache"))
    assert (again.processed, again.reused) == (1, 1)
    assert (tmp_path / "cache" / "files" / tea.variants[0].path).is_file()


def test_jobs_run_in_a_process_pool(static: Path, tmp_path: Path) -> None:
    with ProcessPoolExecutor(2) as pool:
        report = publish_photos(_refs(), collect_static(static), OPTIONS, PhotoCache(tmp_path / "cache"), map_jobs=pool.map)
    assert (report.processed, report.errors) == (2, [])
