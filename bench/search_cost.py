#!/usr/bin/env python3
"""What the search index costs by itself: Pagefind's CPU per story, and the floor it puts under a cold build.

  python bench/search_cost.py SITE [--jobs 2] [--stories N]

SITE is a site Broadsheet has built (any engine, with or without search: its build cache holds the
site model). The script loads that model, makes every story's search document as a build does
(``outputs/search.py``), and indexes them with the build's own Pagefind client, shard by shard, into
a scratch folder. It prints the documents' size, the Python CPU spent making and sending them,
Pagefind's CPU (all its processes, from ``getrusage``), the wall time, and the lower bound that
Pagefind's CPU alone sets on any build with search on this machine: its CPU divided by the cores.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from broadsheet.incremental.snapshot import Store  # noqa: E402
from broadsheet.outputs import search  # noqa: E402
from broadsheet.outputs.pagefind import start_bundles  # noqa: E402
from broadsheet.outputs.search_documents import document  # noqa: E402


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--stories", type=int, default=0, help="index only the newest N stories")
    args = parser.parse_args()
    store = Store(args.site / ".broadsheet-cache" / "snapshot")
    stamp = store.load_stamp()
    model = store.load_model(stamp) if stamp else None
    if model is None:
        sys.exit(f"{args.site}: no build snapshot of this checkout's format; build the site with this checkout first")
    site = model.site
    stories = [(home, story) for home in (site, *site.edition_sites.values()) for story in home.stories]
    if args.stories:
        stories = stories[: args.stories]

    cpu = time.process_time()
    shards: dict[str, list[tuple[str, str]]] = {}
    placed = search.shards_of(site)
    for home, story in stories:
        shards.setdefault(placed[story.url], []).append((story.url, document(home, story)))
    made = time.process_time() - cpu
    characters = sum(len(html) for documents in shards.values() for _, html in documents)

    with tempfile.TemporaryDirectory(prefix="search-cost-") as scratch:
        before, cpu, wall = children_cpu(), time.process_time(), time.perf_counter()
        indexing = start_bundles(search.pagefind_executable(), ((Path(scratch) / name, docs) for name, docs in shards.items()), args.jobs)
        pages = indexing.finish()
        wall = time.perf_counter() - wall
        sent, pagefind = time.process_time() - cpu, children_cpu() - before

    cores = os.cpu_count() or 1
    print(f"{pages} stories in {len(shards)} shards, {characters / 1e6:.1f} M characters of documents")
    print(f"  Python: {made:.2f} s CPU making documents, {sent:.2f} s CPU sending them and writing the index")
    print(f"  Pagefind: {pagefind:.2f} s CPU ({1000 * pagefind / max(pages, 1):.2f} ms a story), {args.jobs} services")
    print(f"  wall time indexing: {wall:.2f} s")
    print(f"  floor on a build with search on {cores} cores: {pagefind / cores:.2f} s (Pagefind's CPU / cores)")


if __name__ == "__main__":
    main()
