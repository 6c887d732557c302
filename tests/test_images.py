"""images.py: real JPEGs in, every file decoded again by Pillow and checked."""

from __future__ import annotations

import hashlib
import io
import math
from pathlib import Path

import pytest
from photokit import MARKER, camera_jpeg
from PIL import Image, ImageChops, ImageStat

from broadsheet.model.config import Settings
from broadsheet.outputs import images
from broadsheet.outputs.images import ImageOptions, ImageProblem, ladder, process_image, read_original, social_crop

FAST = ImageOptions(widths=(160, 320))


@pytest.fixture(scope="module")
def landscape() -> bytes:
    return camera_jpeg(1, (1200, 900))


def _open(out: Path, rel: str) -> Image.Image:
    image = Image.open(out / rel)
    image.load()
    return image


def _is_marker(pixel: tuple[int, ...]) -> bool:
    return all(abs(a - b) < 40 for a, b in zip(pixel[:3], MARKER, strict=True))


def test_ladder_of_widths_in_every_format(tmp_path: Path) -> None:
    result = process_image(camera_jpeg(2, (1000, 750)), "images/quay.jpg", ImageOptions(widths=(240, 400, 600)), tmp_path)
    assert (result.width, result.height) == (1000, 750)
    assert result.formats == ("avif", "webp", "jpeg")
    assert [(v.format, v.width, v.height) for v in result.variants] == [
        (fmt, w, h) for fmt in ("avif", "webp", "jpeg") for w, h in ((240, 180), (400, 300), (600, 450))
    ]
    for variant in result.variants:
        image = _open(tmp_path, variant.path)
        assert image.format == {"avif": "AVIF", "webp": "WEBP", "jpeg": "JPEG"}[variant.format]
        assert image.size == (variant.width, variant.height)
        assert variant.path.startswith("images/quay-")
    assert result.of_format("webp")[-1].mime == "image/webp"
    assert result.social is None


def test_never_upscaled_but_the_original_width_is_offered(tmp_path: Path) -> None:
    assert ladder((480, 800, 1200, 1600), 1000) == (480, 800, 1000)
    assert ladder((480, 800), 300) == (300,)
    result = process_image(camera_jpeg(3, (1000, 750)), "a.jpg", ImageOptions(formats=()), tmp_path)
    assert [(v.format, v.width) for v in result.variants] == [("jpeg", 480), ("jpeg", 800), ("jpeg", 1000)]
    assert _open(tmp_path, result.variants[-1].path).size == (1000, 750)


@pytest.mark.parametrize("orientation", [1, 2, 3, 4, 5, 6, 7, 8])
def test_exif_orientation_is_applied(tmp_path: Path, orientation: int) -> None:
    data = camera_jpeg(4, (600, 400), orientation=orientation)
    stored = Image.open(io.BytesIO(data))
    assert stored.getexif()[0x0112] == orientation
    result = process_image(data, "turned.jpg", ImageOptions(widths=(300,)), tmp_path)
    assert (result.width, result.height) == (600, 400)  # upright, whatever the camera stored
    for variant in result.variants:
        image = _open(tmp_path, variant.path).convert("RGB")
        assert image.size == (300, 200)
        assert _is_marker(image.getpixel((5, 5))), f"{variant.format}: the upright top-left corner is red"
        assert not _is_marker(image.getpixel((294, 194)))


def test_metadata_and_gps_are_stripped(tmp_path: Path, landscape: bytes) -> None:
    source = Image.open(io.BytesIO(landscape))
    assert source.getexif().get_ifd(0x8825), "the test photo carries GPS"
    assert {"exif", "xmp", "comment"} <= set(source.info)
    result = process_image(landscape, "p.jpg", FAST, tmp_path, social=True)
    for variant in (*result.variants, result.social):
        assert variant is not None
        raw = (tmp_path / variant.path).read_bytes()
        image = _open(tmp_path, variant.path)
        assert not {"exif", "xmp", "XML:com.adobe.xmp", "comment", "icc_profile", "photoshop"} & set(image.info), variant
        assert len(image.getexif()) == 0
        for needle in (b"Test Camera", b"Mei Chen", b"GPS", b"xmpmeta", b"Exif\x00\x00"):
            assert needle not in raw, (variant.path, needle)


def test_copyright_can_be_kept_without_the_rest(tmp_path: Path, landscape: bytes) -> None:
    options = ImageOptions.from_settings(Settings(image_widths=(160,), image_keep_copyright=True))
    result = process_image(landscape, "p.jpg", options, tmp_path)
    for variant in result.variants:
        exif = _open(tmp_path, variant.path).getexif()
        assert (exif.get(0x013B), exif.get(0x8298)) == ("Mei Chen", "(c) 2026 Broadsheet"), variant.format
        assert not exif.get_ifd(0x8825)
        assert 0x0110 not in exif and 0x0112 not in exif  # no camera model, no orientation left to apply twice


def test_names_are_content_hashes_and_builds_repeat(tmp_path: Path, landscape: bytes) -> None:
    first = process_image(landscape, "images/p.jpg", FAST, tmp_path / "a")
    again = process_image(landscape, "images/p.jpg", FAST, tmp_path / "b")
    assert [v.path for v in first.variants] == [v.path for v in again.variants]
    for variant in first.variants:
        digest = hashlib.sha256((tmp_path / "a" / variant.path).read_bytes()).hexdigest()[:8]
        assert variant.path == f"images/p-{variant.width}.{digest}{images.SUFFIX[variant.format]}"
    lower = ImageOptions(widths=(160, 320), quality=(("avif", 40), ("jpeg", 60), ("webp", 60)))
    other = process_image(landscape, "images/p.jpg", lower, tmp_path / "a")
    assert not {v.path for v in other.variants} & {v.path for v in first.variants}
    assert FAST.key() == ImageOptions(widths=(160, 320)).key() != lower.key()


def test_social_image_is_1200_by_630_around_the_focus(tmp_path: Path) -> None:
    data = camera_jpeg(5, (1500, 2000), orientation=6)  # a portrait taken with the camera turned
    top = process_image(data, "s.jpg", FAST, tmp_path, social=True, focus=(0.0, 0.0))
    bottom = process_image(data, "s.jpg", FAST, tmp_path, social=True, focus=(0.5, 1.0))
    for result in (top, bottom):
        assert result.social is not None
        image = _open(tmp_path, result.social.path)
        assert (image.format, image.size) == ("JPEG", (1200, 630))
    assert _is_marker(_open(tmp_path, top.social.path).convert("RGB").getpixel((5, 5)))
    assert not _is_marker(_open(tmp_path, bottom.social.path).convert("RGB").getpixel((5, 5)))
    assert social_crop((1500, 2000), (0.5, 1.0)) == (0, 2000 - 788, 1500, 2000)
    assert social_crop((4000, 1000), None) == (1048, 0, 2953, 1000)


def test_reduced_scale_decoding_is_used_and_exact_enough(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import JpegImagePlugin

    data = camera_jpeg(6, (3200, 2400))
    calls: list[tuple[int, int]] = []
    draft = JpegImagePlugin.JpegImageFile.draft

    def spy(self: Image.Image, mode: str | None, size: tuple[int, int] | None) -> object:
        found = draft(self, mode, size)
        calls.append(self.size)
        return found

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", spy)
    options = ImageOptions(widths=(500, 1000), formats=())
    quick = process_image(data, "d.jpg", options, tmp_path / "quick")
    assert calls == [(1600, 1200)]  # 1/2 scale: the widest output, 1000, still fits
    monkeypatch.setattr(images, "DRAFT_GAP", 1000.0)  # never reduce
    full = process_image(data, "d.jpg", options, tmp_path / "full")
    assert calls == [(1600, 1200)]
    for fast, slow in zip(quick.variants, full.variants, strict=True):
        a = _open(tmp_path / "quick", fast.path).convert("RGB")
        b = _open(tmp_path / "full", slow.path).convert("RGB")
        assert a.size == b.size == (fast.width, fast.height)
        mse = sum(v * v for v in ImageStat.Stat(ImageChops.difference(a, b)).rms) / 3
        assert 10 * math.log10(255**2 / mse) > 45, fast.width  # dB: no visible difference


def test_transparency_keeps_a_png_fallback(tmp_path: Path) -> None:
    logo = Image.new("RGBA", (400, 200), (0, 0, 0, 0))
    logo.paste((200, 20, 20, 255), (0, 0, 200, 100))
    out = io.BytesIO()
    logo.save(out, "PNG")
    result = process_image(out.getvalue(), "logo.png", ImageOptions(widths=(200,)), tmp_path, social=True)
    assert result.formats == ("avif", "webp", "png")
    for variant in result.variants:
        image = _open(tmp_path, variant.path)
        assert image.mode == "RGBA" and image.getpixel((150, 80))[3] == 0, variant.format
    assert result.social is not None
    social = _open(tmp_path, result.social.path)
    assert social.size == (381, 200)  # never enlarged: the whole height, cropped to 1200:630
    assert social.getpixel((370, 190)) == pytest.approx((255, 255, 255), abs=3)  # transparency on white


def _png(size: tuple[int, int], mode: str = "1") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, "PNG")
    return out.getvalue()


def test_bad_input_is_one_clear_problem(tmp_path: Path, landscape: bytes) -> None:
    cases = {
        "the file is truncated": landscape[: len(landscape) // 2],
        "not an image: the file is damaged or not a JPEG, PNG, WebP, GIF or AVIF": b"\xff\xd8\xff" + bytes(range(256)) * 20,
        "refused as a decompression bomb": _png((20000, 10000)),
    }
    bmp = io.BytesIO()
    Image.new("RGB", (10, 10)).save(bmp, "BMP")
    cases["unsupported format BMP: use JPEG, PNG, WebP, GIF or AVIF"] = bmp.getvalue()
    frames = [Image.new("RGB", (10, 10), colour) for colour in ("red", "blue")]
    gif = io.BytesIO()
    frames[0].save(gif, "GIF", save_all=True, append_images=frames[1:])
    cases["animated images are not supported: use a still image"] = gif.getvalue()
    for expected, data in cases.items():
        with pytest.raises(ImageProblem) as problem:
            process_image(data, "bad.jpg", FAST, tmp_path)
        assert expected in str(problem.value)
        assert "\n" not in str(problem.value)
    assert not any(tmp_path.iterdir()), "nothing is written for a bad image"


def test_missing_original(tmp_path: Path) -> None:
    with pytest.raises(ImageProblem, match=r"^image file not found: static/images/gone\.jpg$"):
        read_original(tmp_path / "gone.jpg", "static/images/gone.jpg")
    with pytest.raises(ImageProblem, match="is a folder"):
        read_original(tmp_path, "static/images")


def test_over_forty_megapixels_is_a_warning() -> None:
    _, size, notes = images._open(_png((8000, 5100)))
    assert size == (8000, 5100)
    assert notes == ["8000x5100 is 41 megapixels; over 40 is slow to process: publish a smaller original"]
    assert images._open(_png((6000, 4000)))[2] == []


def test_sixteen_bit_greys_are_scaled_not_clipped(tmp_path: Path) -> None:
    grey = Image.new("I;16", (64, 32), 32768)  # half of 65535
    out = io.BytesIO()
    grey.save(out, "PNG")
    result = process_image(out.getvalue(), "g.png", ImageOptions(widths=(32,), formats=()), tmp_path)
    image = _open(tmp_path, result.variants[0].path).convert("RGB")
    assert image.getpixel((10, 10)) == pytest.approx((127, 127, 127), abs=2)


def test_default_options_are_the_default_settings() -> None:
    assert ImageOptions() == ImageOptions.from_settings(Settings())
    assert ImageOptions().key() == ImageOptions.from_settings(Settings()).key()
    assert ImageOptions.from_settings(Settings(image_formats=("webp",))).key() != ImageOptions().key()
