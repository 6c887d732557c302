#!/usr/bin/env python3
"""Time the RSS and Atom writers, alone or inside a cold build.

  python bench/feeds.py [--repo CHECKOUT]              one 50-story feed, every story new and every story known
  python bench/feeds.py [--repo CHECKOUT] --site DIR   a cold ``--no-search --jobs 1`` build of the site in DIR
                                                       (its output/ and build cache are removed first), with
                                                       the CPU time spent in ``rss_feed`` and ``atom_feed``

``--repo`` imports Broadsheet from another checkout (an older commit, for before/after figures).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
WRITERS = ("rss_feed", "atom_feed")


def story_body(number: int) -> str:
    """About 6,000 characters of HTML as the Markdown engines write it: entities, attributes, lists."""
    paragraph = ("<p>The market&rsquo;s 140 stalls trade until 1 a.m. &amp; take orders through one "
                 '<a href="https://example.org/2026/10/02/market/">mini program</a>, officials said.</p>\n')
    return (f'<h2 id="part-{number}">Part {number}</h2>\n' + paragraph * 20 + "<ul>\n<li>two exits</li>\n<li>stewards</li>\n</ul>\n") * 2


def micro(feeds: Any) -> None:
    zone = dt.timezone(dt.timedelta(hours=8))
    authors = (feeds.Author("Ann Lee", "https://example.org/authors/ann-lee/"), feeds.Author("Bob Roe", "https://example.org/authors/bob-roe/"))

    def stories() -> list[Any]:
        return [feeds.FeedEntry(
            f"https://example.org/2026/{i}/story-{i}/", f'Story {i}: rates & "markets" <rise>',
            dt.datetime(2026, 1, 1, tzinfo=zone) + dt.timedelta(hours=i), dt.datetime(2026, 1, 2, tzinfo=zone) + dt.timedelta(hours=i),
            authors, ("Business", "banks", "rates", "economy", "Hangzhou"),
            "A summary of the story, two sentences long. It says what happened.", story_body(i), None, "en",
        ) for i in range(50)]

    known = stories()
    info = feeds.FeedInfo("The Hangzhou Courier", "Digital platforms", "https://example.org/", "en", "The Hangzhou Courier", known[-1].updated)
    for name in WRITERS:
        write = getattr(feeds, name)
        for mode in ("new", "known"):
            runs = []
            for _ in range(5):
                batches = [stories() for _ in range(10)] if mode == "new" else [known] * 10
                start = time.perf_counter()
                for batch in batches:
                    write(info, batch, "https://example.org/feed.xml")
                runs.append((time.perf_counter() - start) / len(batches))
            size = len(write(info, known, "https://example.org/feed.xml"))
            print(f"{name}, every story {mode}: best {1000 * min(runs):.2f} ms, median {1000 * sorted(runs)[2]:.2f} ms ({size:,} bytes)")


def build(feeds: Any, site: Path) -> None:
    from broadsheet import cli

    spent = {name: [0.0, 0] for name in WRITERS}

    def timed(name: str) -> Any:
        write = getattr(feeds, name)

        def run(*args: Any) -> bytes:
            start = time.process_time()
            try:
                return write(*args)
            finally:
                spent[name][0] += time.process_time() - start
                spent[name][1] += 1
        return run

    for name in WRITERS:  # the format writers look these up when called
        setattr(feeds, name, timed(name))
    os.chdir(site)
    shutil.rmtree("output", ignore_errors=True)
    shutil.rmtree(".broadsheet-cache", ignore_errors=True)
    start, cpu = time.perf_counter(), time.process_time()
    code = cli.main(["build", "--no-search", "-q", "--jobs", "1"])
    if code:
        sys.exit(f"the build failed ({code})")
    print(f"cold build: wall {time.perf_counter() - start:.2f} s, CPU {time.process_time() - cpu:.2f} s; "
          + "; ".join(f"{name}: {count} feeds, {1000 * seconds:.0f} ms CPU" for name, (seconds, count) in spent.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repo", type=Path, default=REPO, help="the checkout to import Broadsheet from")
    parser.add_argument("--site", type=Path, help="a site folder (content/ and site.toml) to build cold")
    args = parser.parse_args()
    sys.path.insert(0, str(args.repo.resolve()))
    from broadsheet.outputs import feeds

    print(f"Broadsheet from {Path(feeds.__file__).resolve().parents[2]}")
    if args.site:
        build(feeds, args.site.resolve())
    else:
        micro(feeds)


if __name__ == "__main__":
    main()
