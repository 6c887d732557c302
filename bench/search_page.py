#!/usr/bin/env python3
"""How long a reader waits on the search page: time to the first results and to the final ones.

  python bench/search_page.py OUTPUT_FOLDER [--query WORD] [--repeat 3]

Serves a built site's output folder over HTTP and opens its search page with ``?q=WORD`` in headless
Chromium (the tests' driver), ``--repeat`` times with a fresh profile (cold: nothing cached) and
as many times again in the same profile (warm: the browser's cache holds the index files). "first"
is when the first result is in the page; "final" when the page says its results are final
(``data-done`` on the status: every shard merged and searched). Prints the median and range of
each, the shard count and the result count.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "tests")]

from serve_support import chromium_driver  # noqa: E402
from test_theme_browser import serve, wait_for  # noqa: E402

FIRST = "return document.querySelectorAll('#search-results li').length > 0"
FINAL = "return 'done' in document.getElementById('search-status').dataset"


def one_search(driver, url: str) -> tuple[float, float, int]:
    start = time.perf_counter()
    driver.get(url)
    wait_for(driver, FIRST, timeout=120)
    first = time.perf_counter() - start
    wait_for(driver, FINAL, timeout=120)
    final = time.perf_counter() - start
    return first, final, driver.execute_script("return document.querySelectorAll('#search-results li').length")


def summary(name: str, values: list[float]) -> str:
    return f"{name} {statistics.median(values):.2f} s ({min(values):.2f}-{max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("output", type=Path)
    parser.add_argument("--query", default="revenue")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    listing = json.loads((args.output / "pagefind" / "shards.json").read_text(encoding="utf-8"))
    runs: dict[str, list[tuple[float, float, int]]] = {"cold": [], "warm": []}
    with serve(args.output) as base:
        url = f"{base}search/?q={quote(args.query)}"
        for _ in range(args.repeat):
            driver, profile = chromium_driver()
            driver.set_page_load_timeout(120)
            try:
                runs["cold"].append(one_search(driver, url))
                runs["warm"].append(one_search(driver, url))
            finally:
                driver.quit()
                shutil.rmtree(profile, ignore_errors=True)
    print(f"{args.output}: {len(listing['shards'])} shards, query {args.query!r}")
    for kind, found in runs.items():
        print(f"  {kind}: {summary('first results', [f for f, _, _ in found])}, "
              f"{summary('final', [f for _, f, _ in found])}, {found[-1][2]} results shown")


if __name__ == "__main__":
    main()
