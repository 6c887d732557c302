#!/usr/bin/env python3
"""Save-to-browser latency of ``site.py serve`` on a generated news site.

  python bench/serve_latency.py [--articles 2000] [--edits 10] [--corpus-script ../shared/bench/make_corpus.py]

Generates a corpus with the shared benchmark generator (``../shared/bench/
make_corpus.py`` relative to the repository), starts the preview server on
it, opens one article in headless Chromium and edits that article's file
``--edits`` times. For each edit it measures the time from the file write to
the new text being in the page: "visible" is when the reloaded page's DOM
became interactive (Navigation Timing), "detected" is when a 10 ms polling
loop first saw the text (an upper bound). Prints the median and p90 of both,
and the server's own rebuild time and files written per edit.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from serve_support import LIVERELOAD_CONNECTED, chromium_driver, running_server  # noqa: E402

from broadsheet.model.config import load_settings  # noqa: E402
from broadsheet.model.content import parse_article  # noqa: E402
from broadsheet.pages.articles import article_url  # noqa: E402

# Epoch milliseconds at which the current page's DOM became interactive.
DOM_READY_MS = "const n = performance.getEntriesByType('navigation')[0]; return n ? performance.timeOrigin + n.domInteractive : null;"


def make_corpus(script: Path, work: Path, articles: int) -> None:
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    subprocess.run([sys.executable, str(script), str(work / "content"), "--articles", str(articles)], check=True, stdout=subprocess.DEVNULL)


def pick_article(work: Path) -> tuple[Path, str]:
    """A published (not draft, not future) article file and its URL."""
    settings = load_settings(work / "site.toml")
    for path in sorted((work / "content").rglob("*.md")):
        article = parse_article(path.read_bytes(), path.relative_to(work).as_posix(), settings.zone)
        if not article.draft:
            return path, "/" + article_url(article, settings)
    raise SystemExit("no publishable article in the corpus")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--corpus-script", type=Path, default=REPO.parent / "shared" / "bench" / "make_corpus.py")
    parser.add_argument("--work", type=Path, default=REPO / "bench" / "work" / "serve-latency")
    args = parser.parse_args()

    from selenium.webdriver.support.ui import WebDriverWait

    print(f"generating {args.articles} articles in {args.work}", flush=True)
    make_corpus(args.corpus_script, args.work, args.articles)
    path, url = pick_article(args.work)
    original = path.read_text(encoding="utf-8")
    driver, profile = chromium_driver()
    visible: list[float] = []
    detected: list[float] = []
    builds: list[float] = []
    written: list[int] = []
    try:
        started = time.perf_counter()
        with running_server(args.work, "--jobs", str(os.cpu_count() or 1), startup=600) as server:
            print(f"first build and start: {time.perf_counter() - started:.1f}s; editing {path.relative_to(args.work)}", flush=True)
            driver.get(server.base + url)
            for n in range(args.edits):
                WebDriverWait(driver, 60, poll_frequency=0.01).until(lambda d: d.execute_script(LIVERELOAD_CONNECTED))
                marker = f"Latency probe {n} {time.time_ns()}"
                mark = len(server.seen)
                saved_ms = time.time() * 1000
                path.write_text(original.rstrip("\n") + f"\n\n{marker}\n", encoding="utf-8")
                script = f"return document.body && document.body.innerText.includes({marker!r});"
                WebDriverWait(driver, 60, poll_frequency=0.01).until(lambda d, s=script: d.execute_script(s))
                detected.append(time.time() * 1000 - saved_ms)
                visible.append(driver.execute_script(DOM_READY_MS) - saved_ms)
                line = server.wait_for_line(r"built \(.*changed\) in ([\d.]+)s: .* (\d+) written", after=mark)
                builds.append(float(line[1]) * 1000)
                written.append(int(line[2]))
                print(f"edit {n + 1}: visible {visible[-1]:.0f} ms, detected {detected[-1]:.0f} ms, "
                      f"rebuild {builds[-1]:.0f} ms, {written[-1]} files written", flush=True)
            pages = re.search(r"(\d+) pages", "".join(server.seen))
    finally:
        path.write_text(original, encoding="utf-8")
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)

    print(f"\n{args.articles} articles, {pages[1] if pages else '?'} pages, {args.edits} edits")
    for name, values in (("save → visible", visible), ("save → detected", detected), ("rebuild", builds)):
        print(f"{name:16} median {statistics.median(values):7.0f} ms   p90 {percentile(values, 0.9):7.0f} ms")
    print(f"{'files written':16} median {statistics.median(written):7.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
