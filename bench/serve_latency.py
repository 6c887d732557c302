#!/usr/bin/env python3
"""Save-to-browser latency of ``site.py serve`` on a generated news site.

  python bench/serve_latency.py [--articles 2000] [--edits 10] [--corpus-script ../shared/bench/make_corpus.py]
                                [--work DIR] [--no-search]

Generates a corpus with the shared benchmark generator (``../shared/bench/
make_corpus.py`` relative to the repository), starts the preview server on
it as a user does (search on, unless ``--no-search``), and measures two
stories in turn: the newest (the front page's lead, in every list and feed
it belongs to, so an edit to it re-renders the most pages) and the oldest
(its own page and the last page of a few lists). For each, it opens the
story in headless Chromium and edits its file ``--edits`` times, measuring
the time from the file write to the new text being in the page: "visible"
is when the reloaded page's DOM became interactive (Navigation Timing),
"detected" is when a 10 ms polling loop first saw the text (an upper bound).
Prints the median and p90 of both per story, and the server's own rebuild
time and files written per edit.
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


def pick_articles(work: Path) -> dict[str, tuple[Path, str]]:
    """The newest and the oldest article the preview shows (drafts and scheduled ones included): file and URL."""
    settings = load_settings(work / "site.toml")
    articles = []
    for path in sorted((work / "content").rglob("*.md")):
        article = parse_article(path.read_bytes(), path.relative_to(work).as_posix(), settings.zone)
        articles.append((article.date, path, "/" + article_url(article, settings)))
    if not articles:
        raise SystemExit("no article in the corpus")
    articles.sort(key=lambda item: item[0])
    return {"newest": articles[-1][1:], "oldest": articles[0][1:]}


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--corpus-script", type=Path, default=REPO.parent / "shared" / "bench" / "make_corpus.py")
    parser.add_argument("--work", type=Path, default=REPO / "bench" / "work" / "serve-latency")
    parser.add_argument("--no-search", action="store_true", help="serve without the search index")
    args = parser.parse_args()

    from selenium.webdriver.support.ui import WebDriverWait

    print(f"generating {args.articles} articles in {args.work}", flush=True)
    make_corpus(args.corpus_script, args.work, args.articles)
    targets = pick_articles(args.work)
    driver, profile = chromium_driver()
    results: dict[str, dict[str, list[float]]] = {}
    originals = {path: path.read_text(encoding="utf-8") for path, _url in targets.values()}
    try:
        started = time.perf_counter()
        with running_server(args.work, "--jobs", str(os.cpu_count() or 1), startup=600, search=not args.no_search) as server:
            print(f"first build and start: {time.perf_counter() - started:.1f}s", flush=True)
            if not args.no_search:
                server.wait_for_line(r"^search index updated", timeout=600)
                print(f"first search index: {time.perf_counter() - started:.1f}s", flush=True)
            for name, (path, url) in targets.items():
                print(f"{name} story: editing {path.relative_to(args.work)} ({url})", flush=True)
                results[name] = measure(driver, server, path, url, originals[path], args.edits, WebDriverWait, not args.no_search)
            pages = re.search(r"(\d+) pages", "".join(server.seen))
    finally:
        for path, original in originals.items():
            path.write_text(original, encoding="utf-8")
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)

    search_note = "search off" if args.no_search else "search on, indexed after each build's pages are in place"
    print(f"\n{args.articles} articles, {pages[1] if pages else '?'} pages, {args.edits} edits per story ({search_note})")
    for name, values in results.items():
        print(f"{name} story:")
        for label in ("save → visible", "save → detected", "rebuild", "save → searchable"):
            got = values[label]
            if not got:
                continue
            print(f"  {label:16} median {statistics.median(got):7.0f} ms   p90 {percentile(got, 0.9):7.0f} ms")
        print(f"  {'files written':16} median {statistics.median(values['files written']):7.0f}")
    return 0


def measure(driver, server, path: Path, url: str, original: str, edits: int, wait, search: bool) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    """Open ``url`` and edit ``path`` ``edits`` times; the latencies of each edit.

    With ``search``, each edit waits for the rebuild's search line (the preview commits the pages,
    reloads the tab, then indexes the edited month's shard), and "searchable" is the time from the
    save to that line.
    """
    values: dict[str, list[float]] = {"save → visible": [], "save → detected": [], "rebuild": [], "save → searchable": [], "files written": []}
    driver.get(server.base + url)
    for n in range(edits):
        wait(driver, 60, poll_frequency=0.01).until(lambda d: d.execute_script(LIVERELOAD_CONNECTED))
        time.sleep(0.2)
        marker = f"Latency probe {n} {time.time_ns()}"
        mark = len(server.seen)
        saved_ms = time.time() * 1000
        path.write_text(original.rstrip("\n") + f"\n\n{marker}\n", encoding="utf-8")
        script = f"return document.body && document.body.innerText.includes({marker!r});"
        wait(driver, 60, poll_frequency=0.01).until(lambda d, s=script: d.execute_script(s))
        values["save → detected"].append(time.time() * 1000 - saved_ms)
        values["save → visible"].append(driver.execute_script(DOM_READY_MS) - saved_ms)
        line = server.wait_for_line(r"built \(.*changed\) in ([\d.]+)s: .* (\d+) written", after=mark)
        values["rebuild"].append(float(line[1]) * 1000)
        values["files written"].append(int(line[2]))
        if search:
            server.wait_for_line(r"^search index updated", after=mark, timeout=120)
            values["save → searchable"].append(time.time() * 1000 - saved_ms)
        print(f"  edit {n + 1}: visible {values['save → visible'][-1]:.0f} ms, detected {values['save → detected'][-1]:.0f} ms, "
              f"rebuild {values['rebuild'][-1]:.0f} ms, {values['files written'][-1]} files written"
              + (f", searchable {values['save → searchable'][-1]:.0f} ms" if search else ""), flush=True)
    return values


if __name__ == "__main__":
    raise SystemExit(main())
