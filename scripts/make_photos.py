#!/usr/bin/env python3
"""Deterministic camera-like JPEGs: textured scenes with EXIF orientation, GPS, XMP and a comment.

  python scripts/make_photos.py sample                 the sample site's photos, into content/static/images/
  python scripts/make_photos.py corpus OUT [--articles 500] [--size 4000x3000]
                                                       the benchmark corpus: OUT/content/*.md, one photo each
                                                       in OUT/static/images/ (Broadsheet's layout)

A photo is a scene (sky and ground gradients, blocks like buildings, discs)
drawn at low resolution and enlarged, with film-grain noise at two scales on
top, so it compresses like a real photograph rather than a flat picture. The
pixels are stored turned the way a camera held sideways stores them, with the
EXIF orientation that turns them upright; the upright top-left corner is red.
The same seed gives the same bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import multiprocessing
import os
import random
import sys
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
# Stored pixels = upright pixels turned by the inverse of what each EXIF orientation asks for.
_STORE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_90, 7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}
GPS_IFD = 0x8825
MARKER = (220, 30, 30)
# name, upright size, orientation, where it was taken (lat, lon), subject
SAMPLES = [
    ("night-market.jpg", (2400, 1600), 1, (30.2741, 120.1551), "stalls on the canal"),
    ("metro-platform.jpg", (2400, 1600), 6, (30.2599, 120.2121), "a metro platform"),
    ("tea-harvest.jpg", (1600, 2000), 8, (30.2302, 120.1187), "tea pickers on a slope"),
    ("tea-packing.jpg", (1600, 1000), 1, (30.2310, 120.1190), "a packing table, shown in a story's body"),
]


def scene(seed: int, size: tuple[int, int]) -> Image.Image:
    """An upright textured picture of ``size``; its top-left corner is ``MARKER`` red."""
    rng = random.Random(seed)
    width, height = size
    small = (max(8, width // 8), max(8, height // 8))
    sky = Image.linear_gradient("L").resize(small).convert("RGB")
    tint = Image.new("RGB", small, (rng.randrange(90, 200), rng.randrange(110, 210), rng.randrange(150, 250)))
    picture = ImageChops.multiply(ImageChops.invert(sky), tint)
    draw = ImageDraw.Draw(picture)
    horizon = int(small[1] * rng.uniform(0.45, 0.7))
    draw.rectangle((0, horizon, small[0], small[1]), fill=(rng.randrange(40, 120), rng.randrange(60, 130), rng.randrange(30, 90)))
    for _ in range(rng.randrange(8, 20)):  # buildings
        left = rng.randrange(0, small[0])
        top = rng.randrange(small[1] // 5, horizon)
        shade = rng.randrange(30, 200)
        draw.rectangle((left, top, left + rng.randrange(small[0] // 30 + 2, small[0] // 6 + 3), horizon),
                       fill=(shade, shade + rng.randrange(-20, 20), shade + rng.randrange(-20, 30)))
    for _ in range(rng.randrange(5, 15)):  # people, lamps, fruit
        x, y, r = rng.randrange(small[0]), rng.randrange(horizon - 5, small[1]), rng.randrange(2, max(3, small[0] // 25))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    picture = picture.filter(ImageFilter.GaussianBlur(1)).resize(size, Image.Resampling.BICUBIC)
    picture = Image.blend(picture, _grain(rng, size), 0.22)
    ImageDraw.Draw(picture).rectangle((0, 0, width // 6, height // 6), fill=MARKER)
    return picture


def _grain(rng: random.Random, size: tuple[int, int]) -> Image.Image:
    """Noise at two scales: fine grain and soft blotches, like sensor noise and surfaces."""
    width, height = size
    fine = Image.frombytes("L", size, rng.randbytes(width * height))
    coarse_size = (max(1, width // 12), max(1, height // 12))
    coarse = Image.frombytes("L", coarse_size, rng.randbytes(coarse_size[0] * coarse_size[1])).resize(size, Image.Resampling.BICUBIC)
    grey = Image.blend(fine.filter(ImageFilter.BoxBlur(1)), coarse, 0.5)
    return Image.merge("RGB", (grey, grey.point(lambda v: min(255, v + 6)), grey))


def camera_jpeg(
    seed: int, size: tuple[int, int], *, orientation: int = 1, gps: tuple[float, float] | None = (30.2741, 120.1551),
    quality: int = 90, artist: str = "Mei Chen", copyright: str = "(c) 2026 Broadsheet",
) -> bytes:
    """A JPEG whose upright picture is ``size``, stored as a camera held with ``orientation`` stores it."""
    upright = scene(seed, size)
    stored = upright.transpose(_STORE[orientation]) if orientation in _STORE else upright
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Broadsheet", "Test Camera 1"  # Make, Model
    exif[0x0132] = dt.datetime(2026, 10, 2, 20, 30).strftime("%Y:%m:%d %H:%M:%S")
    exif[0x013B], exif[0x8298] = artist, copyright
    exif[0x0112] = orientation
    if gps is not None:
        exif[GPS_IFD] = {
            1: "N" if gps[0] >= 0 else "S", 2: _dms(abs(gps[0])),
            3: "E" if gps[1] >= 0 else "W", 4: _dms(abs(gps[1])),
        }
    xmp = (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="{gps}">'
        f"<dc:creator>{artist}</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"
    ).encode()
    out = io.BytesIO()
    stored.save(out, "JPEG", quality=quality, exif=exif, xmp=xmp, comment=b"shot on a test camera")
    return out.getvalue()


def _dms(value: float) -> tuple[float, float, float]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    return float(degrees), float(minutes), round((value - degrees - minutes / 60) * 3600, 2)


def write_samples(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for seed, (name, size, orientation, gps, _) in enumerate(SAMPLES, start=1):
        path = folder / name
        path.write_bytes(camera_jpeg(seed, size, orientation=orientation, gps=gps, quality=82))
        written.append(path)
    return written


def _corpus_photo(job: tuple[Path, int, tuple[int, int]]) -> None:
    path, n, size = job
    orientation = (1, 6, 1, 8, 3)[n % 5]
    upright = size if orientation in (1, 3) else (size[1], size[0])  # the sensor's pixels are always ``size``
    temp = path.with_suffix(".tmp")
    temp.write_bytes(camera_jpeg(n, upright, orientation=orientation, gps=(30 + n / 1000, 120 + n / 1000)))
    temp.replace(path)


def write_corpus(out: Path, articles: int, size: tuple[int, int], jobs: int = 1) -> None:
    """``articles`` stories, each with its own photo as lead image; two in five stored sideways, one upside down."""
    content, images = out / "content", out / "static" / "images"
    content.mkdir(parents=True, exist_ok=True)
    images.mkdir(parents=True, exist_ok=True)
    todo = [(images / f"photo-{n:04d}.jpg", n, size) for n in range(articles) if not (images / f"photo-{n:04d}.jpg").exists()]
    if jobs > 1 and len(todo) > 1:
        with multiprocessing.Pool(jobs) as pool:
            pool.map(_corpus_photo, todo, chunksize=1)
    else:
        for job in todo:
            _corpus_photo(job)
    start = dt.datetime(2026, 1, 1, 8, 0)
    for n in range(articles):
        name = f"photo-{n:04d}.jpg"
        date = start + dt.timedelta(hours=7 * n)
        (content / f"story-{n:04d}.md").write_text(
            f"---\ntitle: \"Photo story {n}\"\ndate: {date.isoformat()}\nauthors: [\"Mei Chen\"]\nsection: City\n"
            f"image: images/{name}\nimage_credit: \"Mei Chen\"\n---\n\nStory {n}, told by its photograph.\n",
            encoding="utf-8",
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("sample", help="the sample site's photos, into content/static/images/")
    corpus = sub.add_parser("corpus", help="the benchmark corpus")
    corpus.add_argument("out", type=Path)
    corpus.add_argument("--articles", type=int, default=500)
    corpus.add_argument("--size", default="4000x3000", help="WIDTHxHEIGHT of the stored pixels")
    corpus.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes making photos")
    args = parser.parse_args(argv)
    if args.command == "sample":
        for path in write_samples(ROOT / "content" / "static" / "images"):
            print(path.relative_to(ROOT))
    else:
        width, height = (int(v) for v in args.size.split("x"))
        write_corpus(args.out, args.articles, (width, height), args.jobs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
