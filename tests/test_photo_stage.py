"""The build's photo stage: lead photos published processed, stripped of GPS, beside the static files."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from photokit import camera_jpeg
from PIL import Image
from sitekit import article, write_files

from broadsheet.build import Builder, BuildOptions

GPS_IFD = 0x8825


def _site(root: Path) -> None:
    write_files(root, {
        "content/2024-05-01-quay.md": article(title="The quay reopens", date="2024-05-01", image="images/quay.jpg"),
    })
    folder = root / "static" / "images"
    folder.mkdir(parents=True)
    (folder / "quay.jpg").write_bytes(camera_jpeg(1, (900, 600)))


def _has_gps(data: bytes) -> bool:
    return bool(Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD))


@pytest.mark.parametrize("cache", [True, False])
def test_lead_photos_are_published_processed_and_without_gps(cache: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _site(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert _has_gps((tmp_path / "static/images/quay.jpg").read_bytes())  # the test photo carries GPS
    output = tmp_path / "output"
    options = BuildOptions(content=tmp_path / "content", output=output, config=tmp_path / "site.toml",
                           templates=tmp_path / "templates", cache_dir=tmp_path / "cache" if cache else None, jobs=2)
    report = Builder(options).build()
    assert "photos" in report.stages
    published = sorted(p.name for p in (output / "static" / "images").iterdir())
    assert any(name.startswith("quay-480.") and name.endswith(".jpg") for name in published), published
    assert any(name.startswith("quay-social.") for name in published), published
    assert "quay.jpg" in published  # links to the original's name still work...
    for path in (output / "static" / "images").iterdir():
        if path.suffix == ".jpg":
            assert not _has_gps(path.read_bytes()), path.name  # ...but no published file says where it was taken
    if cache:
        assert any((tmp_path / "cache" / "photos" / "records").iterdir())
