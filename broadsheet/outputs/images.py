"""Photos for the web: a ladder of widths in AVIF, WebP and a JPEG (or PNG) fallback, plus a social image.

``process_image`` decodes a photo once (a JPEG at reduced scale when that is
exact enough), applies its EXIF orientation, converts it to sRGB and writes
each width in each format with no metadata (EXIF, XMP, IPTC, GPS, comments)
unless ``keep_copyright`` keeps the EXIF artist and copyright. Widths are
never larger than the original. Each file is named by a digest of its bytes
(``images/quay-800.3f2a9c1b.avif``), so it can be cached forever. Input that
cannot be published raises ``ImageProblem`` with one line saying why; the
caller names the article and line.
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import posixpath
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageCms, ImageFile, UnidentifiedImageError

from broadsheet.model.config import Settings
from broadsheet.outputs.processed import MIME, ProcessedImage, Variant

__all__ = ["MIME", "ProcessedImage", "Variant"]

# Bump when the same inputs and options would give different files.
RECIPE = "2"
READABLE = ("JPEG", "PNG", "WEBP", "GIF", "AVIF")
SUFFIX = {"avif": ".avif", "webp": ".webp", "jpeg": ".jpg", "png": ".png"}
SOCIAL_SIZE = (1200, 630)
# An original this large is published, with a warning: it is slow to process and rarely needed.
WARN_PIXELS = 40_000_000
# Larger than this is refused as a decompression bomb (Pillow's own limit: twice its warning size).
MAX_PIXELS = 2 * 89_478_485
# A JPEG is decoded at 1/2, 1/4 or 1/8 scale (libjpeg scales in the DCT, a proper low-pass) when
# that still leaves at least DRAFT_GAP times the pixels the largest output needs. At 1.0 the
# outputs of the benchmark's photos differ from a full decode's by 0.3-0.5 levels on average,
# over 50 dB PSNR (tests/test_images.py checks over 45): invisible, and the widest output
# resamples a quarter of the pixels.
DRAFT_GAP = 1.0
AVIF_SPEED = 8  # libavif's speed, 0-10: 8 is about four times faster than its default 6, files within a few per cent
WEBP_METHOD = 4  # libwebp's default effort
EXIF_ARTIST, EXIF_COPYRIGHT = 0x013B, 0x8298
HASH_LENGTH = 8


class ImageProblem(Exception):
    """A photo that cannot be published; the message says why in one line."""


@dataclass(frozen=True, slots=True)
class ImageOptions:
    """What the published files depend on besides the original's bytes."""

    widths: tuple[int, ...] = (480, 800, 1200, 1600)
    formats: tuple[str, ...] = ("avif", "webp")
    quality: tuple[tuple[str, int], ...] = (("avif", 50), ("jpeg", 80), ("webp", 75))  # sorted, as from_settings gives
    keep_copyright: bool = False

    @classmethod
    def from_settings(cls, settings: Settings) -> ImageOptions:
        return cls(
            widths=tuple(sorted(settings.image_widths)), formats=tuple(settings.image_formats),
            quality=tuple(sorted(settings.image_quality.items())), keep_copyright=settings.image_keep_copyright,
        )

    def quality_of(self, fmt: str) -> int:
        return dict(self.quality).get("jpeg" if fmt == "png" else fmt, 80)

    def key(self) -> str:
        """A digest of the options, the recipe and the codecs: equal keys give equal files."""
        text = f"{RECIPE}|{Image.__version__}|{self!r}"
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def read_original(path: Path, shown: str) -> bytes:
    """The original's bytes; a missing or unreadable file is an ``ImageProblem`` naming ``shown``."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise ImageProblem(f"image file not found: {shown}") from None
    except IsADirectoryError:
        raise ImageProblem(f"{shown} is a folder, not an image") from None
    except OSError as exc:
        raise ImageProblem(f"cannot read {shown}: {exc.strerror or exc}") from None


def process_image(
    data: bytes, source: str, options: ImageOptions, out_dir: Path, *,
    social: bool = False, focus: tuple[float, float] | None = None,
) -> ProcessedImage:
    """Write the ladder (and, with ``social``, the 1200x630 JPEG) for ``data`` under ``out_dir``.

    ``source`` is the original's path relative to the static folder; the files keep its folder.
    """
    image, size, notes = _open(data)
    oriented = _oriented_size(image, size)
    widths = ladder(options.widths, oriented[0])
    needs = [(w, round(oriented[1] * w / oriented[0])) for w in widths[-1:]]
    if social:
        crop = social_crop(oriented, focus)
        scale = min(1.0, SOCIAL_SIZE[0] / (crop[2] - crop[0]))
        needs.append((math.ceil(oriented[0] * scale), math.ceil(oriented[1] * scale)))
    base = _decode(image, oriented, max(w for w, _ in needs))
    copyright_exif = _copyright(image) if options.keep_copyright else None
    alpha = base.mode in ("RGBA", "LA") or (base.mode == "P" and "transparency" in base.info)
    base = _to_srgb(base, alpha)
    fallback = "png" if alpha else "jpeg"
    formats = (*options.formats, fallback)
    variants: list[Variant] = []
    step = base
    for width in reversed(widths):  # each width resampled from the next larger one: far less work than from the original
        height = max(1, round(oriented[1] * width / oriented[0]))
        if step.size != (width, height):
            step = step.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        for fmt in formats:
            encoded = _encode(step, fmt, options.quality_of(fmt), copyright_exif)
            variants.append(Variant(_write(out_dir, source, f"-{width}", fmt, encoded), width, height, fmt))
    variants.sort(key=lambda v: (formats.index(v.format), v.width))
    social_variant = _social(base, oriented, focus, source, options, out_dir, copyright_exif) if social else None
    return ProcessedImage(source, oriented[0], oriented[1], tuple(variants), social_variant, tuple(notes))


# The photos a page bundle publishes under their own names, by suffix, and the format each is written in.
OWN_NAME_FORMATS = {".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png", ".webp": "webp", ".avif": "avif"}


def own_name_copy(data: bytes, fmt: str, options: ImageOptions) -> bytes:
    """A photo to publish under its own name, without a ladder (a page bundle's, which its Markdown names as
    it is): upright, in sRGB, no wider than the widest of ``options.widths``, in ``fmt``, and stripped of its
    metadata, GPS included, like every file ``process_image`` writes."""
    image, size, _notes = _open(data)
    oriented = _oriented_size(image, size)
    base = _decode(image, oriented, ladder(options.widths, oriented[0])[-1])
    alpha = fmt != "jpeg" and (base.mode in ("RGBA", "LA") or (base.mode == "P" and "transparency" in base.info))
    return _encode(_to_srgb(base, alpha), fmt, options.quality_of(fmt), _copyright(image) if options.keep_copyright else None)


def ladder(widths: Iterable[int], original: int) -> tuple[int, ...]:
    """The widths to publish: those narrower than the original, and the original's own if a wider one was asked."""
    return tuple(sorted({min(w, original) for w in widths}))


def social_crop(size: tuple[int, int], focus: tuple[float, float] | None) -> tuple[int, int, int, int]:
    """The largest 1200:630 box in ``size``, centred on ``focus`` (fractions; default the middle) as far as it fits."""
    width, height = size
    fx, fy = focus or (0.5, 0.5)
    ratio = SOCIAL_SIZE[0] / SOCIAL_SIZE[1]
    if width / height > ratio:
        box_w, box_h = min(width, round(height * ratio)), height
    else:
        box_w, box_h = width, min(height, round(width / ratio))
    left = min(max(round(fx * width - box_w / 2), 0), width - box_w)
    top = min(max(round(fy * height - box_h / 2), 0), height - box_h)
    return left, top, left + box_w, top + box_h


def _open(data: bytes) -> tuple[ImageFile.ImageFile, tuple[int, int], list[str]]:
    notes: list[str] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=READABLE)  # only these decoders ever see the bytes
    except Image.DecompressionBombError:
        raise ImageProblem(f"refused as a decompression bomb: more than {MAX_PIXELS // 1_000_000} megapixels") from None
    except UnidentifiedImageError:
        raise ImageProblem(_unreadable(data)) from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageProblem(f"damaged image: {_reason(exc)}") from None
    if getattr(image, "is_animated", False):
        raise ImageProblem("animated images are not supported: use a still image")
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise ImageProblem(f"refused as a decompression bomb: {width}x{height} is more than {MAX_PIXELS // 1_000_000} megapixels")
    if width * height > WARN_PIXELS:
        notes.append(f"{width}x{height} is {width * height / 1e6:.0f} megapixels; over {WARN_PIXELS // 1_000_000} is slow to process: publish a smaller original")
    return image, (width, height), notes


def _unreadable(data: bytes) -> str:
    """Why bytes none of the readable formats accept cannot be published: another format, or none."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = Image.open(io.BytesIO(data)).format  # the header only: nothing is decoded
    except Exception:  # any failure to recognise the bytes means the same to the writer
        found = None
    if found:
        return f"unsupported format {found}: use JPEG, PNG, WebP, GIF or AVIF"
    return "not an image: the file is damaged or not a JPEG, PNG, WebP, GIF or AVIF"


def _oriented_size(image: Image.Image, size: tuple[int, int]) -> tuple[int, int]:
    return (size[1], size[0]) if _orientation(image) in (5, 6, 7, 8) else size


def _orientation(image: Image.Image) -> int:
    try:
        value = image.getexif().get(0x0112, 1)
    except (OSError, SyntaxError, ValueError, TypeError):
        return 1  # damaged EXIF: show the pixels as they are stored
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


# What each EXIF orientation asks for to show the stored pixels upright.
_TURNS = {
    2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _decode(image: ImageFile.ImageFile, oriented: tuple[int, int], need_width: int) -> Image.Image:
    """Load the pixels, at reduced scale for a JPEG where exact enough, and apply the orientation."""
    transposed = oriented != image.size
    if image.format == "JPEG" and image.mode in ("RGB", "L", "CMYK"):
        scale = need_width * DRAFT_GAP / oriented[0]
        if scale < 1:
            want = (math.ceil(oriented[0] * scale), math.ceil(oriented[1] * scale))
            image.draft(image.mode, (want[1], want[0]) if transposed else want)
    try:
        image.load()
        stored = image
        if image.size[0 if not transposed else 1] > need_width:  # shrink before turning: the turn then moves fewer pixels
            ratio = need_width / oriented[0]
            size = (max(1, round(oriented[0] * ratio)), max(1, round(oriented[1] * ratio)))
            stored = image.resize((size[1], size[0]) if transposed else size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        turn = _TURNS.get(_orientation(image))
        oriented_image = stored.transpose(turn) if turn is not None else stored
        oriented_image.info = dict(image.info)
    except Image.DecompressionBombError:
        raise ImageProblem(f"refused as a decompression bomb: more than {MAX_PIXELS // 1_000_000} megapixels") from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageProblem(f"damaged image: {_reason(exc)}") from None
    return oriented_image


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    if "truncated" in text:
        return "the file is truncated (cut short while copying?)"
    return text


def _to_srgb(image: Image.Image, alpha: bool) -> Image.Image:
    """RGB (or RGBA) pixels in sRGB, the colour space a browser assumes for an image without a profile."""
    icc = image.info.get("icc_profile")
    mode = "RGBA" if alpha else "RGB"
    if image.mode.startswith("I"):  # 16-bit greys: scale to 8 bits, not clip at 255
        image = image.convert("I").point(lambda value: value / 257).convert("L")
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert(mode)
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if "srgb" not in (ImageCms.getProfileDescription(source) or "").replace(" ", "").lower():
                image = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode=mode) or image
        except (ImageCms.PyCMSError, OSError):
            pass  # an unreadable profile: the pixels as they are
    image.info.clear()
    return image


def _copyright(image: Image.Image) -> bytes | None:
    """An EXIF block holding only the original's artist and copyright, or None if it has neither."""
    try:
        exif = image.getexif()
    except (OSError, SyntaxError, ValueError, TypeError):
        return None
    kept = Image.Exif()
    for tag in (EXIF_ARTIST, EXIF_COPYRIGHT):
        if isinstance(exif.get(tag), str) and exif[tag].strip():
            kept[tag] = exif[tag]
    return kept.tobytes() if len(kept) else None


def _encode(image: Image.Image, fmt: str, quality: int, exif: bytes | None) -> bytes:
    out = io.BytesIO()
    extra: dict[str, object] = {"exif": exif} if exif else {}
    if fmt == "avif":
        image.save(out, "AVIF", quality=quality, speed=AVIF_SPEED, **extra)
    elif fmt == "webp":
        image.save(out, "WEBP", quality=quality, method=WEBP_METHOD, **extra)
    elif fmt == "jpeg":
        image.save(out, "JPEG", quality=quality, optimize=True, progressive=True, **extra)
    else:
        image.save(out, "PNG", compress_level=6, **extra)
    return out.getvalue()


def _social(
    base: Image.Image, oriented: tuple[int, int], focus: tuple[float, float] | None,
    source: str, options: ImageOptions, out_dir: Path, exif: bytes | None,
) -> Variant:
    scale = base.size[0] / oriented[0]
    box = tuple(round(v * scale) for v in social_crop(oriented, focus))
    crop = base.crop(box)
    if crop.mode == "RGBA":
        flat = Image.new("RGB", crop.size, "white")
        flat.paste(crop, mask=crop.getchannel("A"))
        crop = flat
    width = min(SOCIAL_SIZE[0], crop.size[0])
    height = round(width * SOCIAL_SIZE[1] / SOCIAL_SIZE[0])
    crop = crop.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
    encoded = _encode(crop, "jpeg", options.quality_of("jpeg"), exif)
    return Variant(_write(out_dir, source, "-social", "jpeg", encoded), width, height, "jpeg")


def _write(out_dir: Path, source: str, label: str, fmt: str, data: bytes) -> str:
    """Write ``data`` under a content-hashed name beside where the original sits; returns that name."""
    folder, name = posixpath.split(source)
    stem = posixpath.splitext(name)[0]
    digest = hashlib.sha256(data).hexdigest()[:HASH_LENGTH]
    rel = posixpath.join(folder, f"{stem}{label}.{digest}{SUFFIX[fmt]}")
    target = out_dir / rel
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        temp.write_bytes(data)
        os.replace(temp, target)
    return rel
