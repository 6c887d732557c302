"""Search stage: a Pagefind index of the site's stories, in shards by language and month, rebuilt shard by shard.

The index is made from the site model, not from finished pages: each published story becomes one
small HTML document (headline, dek, byline, body, section and tags; bylines, section and tags are
also Pagefind filters) in the story's own language, which Pagefind's extended build segments
(Chinese and Japanese are split into words). Stories are grouped into *shards*, one Pagefind
bundle per language and month of publication (``output/pagefind/en-2026-10/``); a month of more
than ``SHARD_STORIES`` stories is split into parts in order of publication (``en-2026-10-2/``...),
so that an edit re-indexes a bounded number of stories however busy the month. Shards are listed
with their languages in ``output/pagefind/shards.json``; the search page loads the newest and
merges the others (Pagefind's ``mergeIndex``), each searched in its own language.

What is incremental: every story has a *record digest* (its content key, URL, the names its
byline, section and tags show, the date format); a shard's digest is that of its records. The
last index's digests are kept in the cache folder (``search.json``), so a build re-indexes only
the shards whose digest changed (a story moved to another month: two) and removes those no story
is left in; a build whose output did not change does nothing. New stories come last in their
month, so they change only its last part. An edit to a story's text does not re-index its month:
the story is *amended* (``search_state.py``), indexed again alone in its language's amendments
shard, and the listing names its old fragment as ``superseded``.

The seam with the output commit, in order:

1. ``prepare(site, root, state_file)`` (cheap, no Pagefind): which shards to build and which to drop;
2. ``start(plan, site, binary, folder)`` and ``finish()`` write the changed shards into ``folder``, beside the
   output and before the commit (a Pagefind failure stops the build, the output untouched);
3. ``install(index, root)`` after (or as the last step of) the commit: moves each new shard into
   ``root/pagefind/``, removes dropped ones, writes ``shards.json`` last;
4. ``remember(index, state_file, manifest)`` records the digests for the next build.

``discard(index)`` removes a prepared index that will not be installed.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import shutil
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from broadsheet.errors import BuildFailed, SiteError
from broadsheet.model.config import Settings
from broadsheet.model.site import Site, Story
from broadsheet.outputs.manifest import write_atomic
from broadsheet.outputs.search_documents import document_of, pagefind_language, shown_names
from broadsheet.outputs.search_state import (
    PAGEFIND_VERSION,
    State,
    decide,
    digest,
    fragment_ids,
    has_bundle,
    is_amendments,
    shard_digest,
    shard_language,
)

__all__ = [
    "PAGEFIND_VERSION",
    "SHARD_STORIES",
    "Pending",
    "Plan",
    "SearchIndex",
    "State",
    "discard",
    "install",
    "prepare",
    "record_digest",
    "remember",
    "shard_digest",
    "start",
]

SEARCH_DIR = "pagefind"
LISTING = "shards.json"
INSTALL_STEPS = "install.json"  # in the folder a new index waits in: what installing it does
# Stories in one shard at most: Pagefind takes about 3.5 ms of CPU a story, and an edit re-indexes
# the story's whole shard; every shard costs the search page its own fetches and WebAssembly instance.
SHARD_STORIES = 250
INSTALL_HINT = f"install it with: pip install 'pagefind[extended]=={PAGEFIND_VERSION}', or build with --no-search"


def pagefind_executable() -> Path:
    """The Pagefind binary shipped by ``pagefind[extended]`` (or ``pagefind[bin]``); ``BuildFailed`` if missing.

    Found as ``pagefind.service.get_executable`` finds it (``PAGEFIND_BINARY_PATH``, the extended
    wheel, the plain one, then ``PATH``), without importing those packages: they bring ``asyncio``,
    ``logging`` and ``platform``, a fifth of a second that a one-edit build cannot spare.
    """
    override = os.environ.get("PAGEFIND_BINARY_PATH")
    if override:
        return Path(override)
    for package, names in (("pagefind_bin_extended", ("pagefind_extended", "pagefind")), ("pagefind_bin", ("pagefind",))):
        spec = importlib.util.find_spec(package)
        for folder in (spec.submodule_search_locations or []) if spec else []:
            for name in names:
                for suffix in ("", ".exe"):
                    if (Path(folder) / (name + suffix)).is_file():
                        return Path(folder) / (name + suffix)
    found = shutil.which("pagefind_extended") or shutil.which("pagefind")
    if found is None:
        raise BuildFailed([SiteError("search", f"Pagefind is not installed; {INSTALL_HINT}")])
    return Path(found)


def has_index(output: Path) -> bool:
    """Whether the output folder holds a search index."""
    return (output / SEARCH_DIR / LISTING).is_file()


# -- the state kept between builds -----------------------------------------------------------------


def is_current(root: Path, state_file: Path | None, manifest: str) -> bool:
    """Whether the installed index was made for the output whose manifest digest is ``manifest``."""
    return state_file is not None and has_index(root) and State.load(state_file).built_for == manifest


# -- planning: which shards changed ----------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """The shards to (re)build, with their stories' URLs, the shards to drop, and the new state."""

    build: Mapping[str, tuple[str, ...]]
    drop: tuple[str, ...]
    state: State
    languages: Mapping[str, str]  # every shard of the new index -> its Pagefind language
    editions: Mapping[str, str] = field(default_factory=dict)  # shard -> the URL prefix of its edition ("" for the main)


def shard_of(story: Story, site_language: str) -> str:
    """``<language>-<year>-<month>`` of the story's publication."""
    language = pagefind_language(story.lang or site_language)
    return f"{language}-{story.date.year:04d}-{story.date.month:02d}"


def shards_of(site: Site) -> dict[str, str]:
    """Each story's shard, by URL: its language and month, and in a month of more than
    ``SHARD_STORIES`` stories, the part it falls in by publication order (``en-2026-10-2`` from the
    second part on)."""
    months: dict[str, list[tuple[Any, str]]] = {}
    for _home, story in _every_story(site):
        months.setdefault(shard_of(story, site.settings.language), []).append((story.date, story.url))
    shards: dict[str, str] = {}
    for month, members in months.items():
        if len(members) > SHARD_STORIES:
            members.sort()
        for position, (_date, url) in enumerate(members):
            part = position // SHARD_STORIES
            shards[url] = f"{month}-{part + 1}" if part else month
    return shards


def prepare(site: Site, root: Path, state_file: Path | None, edited: Collection[str] | None = None,
            since: str = "") -> Plan:
    """Compare the site's stories with the last index; which shards to build and drop.

    ``edited``: the URLs of the only stories whose content changed since the output whose manifest
    digest is ``since`` (a delta build); if the index was made for that output, only they are
    looked at. Otherwise every story is compared, reading a story's article only if its content key
    changed (for its language and month).
    """
    old = State.load(state_file)
    settings = site.settings
    shards: Mapping[str, str]
    deciding: set[str] | None = None  # the only shards whose records may differ from the last index's (None: any)
    if edited is not None and since and old.built_for == since and old.stories:
        # Only content changed: no story moved, came or went, so each keeps its shard.
        new = State(stories=dict(old.stories))
        stories: Iterable[tuple[Site, Story]] = [(home, story) for home, story in _every_story(site) if story.url in edited]
        shards = {url: entry[1] for url, entry in old.stories.items()}
        if any(url not in shards for url in edited):
            shards = shards_of(site)
        else:
            deciding = {shards[url] for url in edited}
    else:
        new = State(stories={})
        stories = _every_story(site)
        shards = shards_of(site)
    for home, story in stories:
        shown = shown_names(home, story)
        shard = shards[story.url]
        record = record_digest(story.key, story.url, shown, settings)
        new.stories[story.url] = (story.key, shard, record, story.article.source, shown)
    members: dict[str, list[str]] = {}
    for url, entry in new.stories.items():
        members.setdefault(entry[1], []).append(url)
    installed = root / SEARCH_DIR

    def is_installed(shard: str) -> bool:
        return has_bundle(installed / shard)

    @functools.cache
    def held_ids(shard: str) -> dict[str, str]:  # read once per shard, however many of its stories are amended
        return fragment_ids(installed / shard)

    deciding = set(members) if deciding is None else deciding | {shard for shard in members if not is_installed(shard)}
    decision = decide(old, new.stories, members, deciding, is_installed, lambda shard, url: held_ids(shard).get(url))
    new.shards = {shard: old.shards[shard] for shard in members if shard not in deciding}
    new.shards.update(decision.shards)
    new.amended = decision.amended
    drop = tuple(sorted(set(old.shards) - set(new.shards)))
    languages = {shard: shard_language(shard) for shard in new.shards}
    prefixes = {pagefind_language(e.language): e.prefix for e in site.editions[1:]}
    editions = {shard: prefixes.get(language, "") for shard, language in languages.items()}
    return Plan(decision.build, drop, new, languages, editions)


def record_digest(key: str, url: str, shown: tuple[list[str], list[str], str], settings: Settings) -> str:
    """A story's record digest: what its document is made from (its content key, URL, shown names, date format)."""
    return digest(key, url, shown, settings.date_format, settings.language)


def _every_story(site: Site) -> Iterable[tuple[Site, Story]]:
    """Each story of every edition, with the edition's site (which resolves its bylines and tags)."""
    for home in (site, *site.edition_sites.values()):
        for story in home.stories:
            yield home, story


# -- indexing, installing ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchIndex:
    """Shards built into ``folder`` (beside the output), waiting to be installed, and the new state."""

    folder: Path
    plan: Plan
    pages: int



def staging_folder(root: Path) -> Path:
    return root.parent / f".{root.name}.search"


@dataclass
class Pending:
    """A plan's shards being written by Pagefind into ``folder``; ``finish()`` waits and gives the index."""

    folder: Path
    plan: Plan
    indexing: Any  # pagefind.Indexing, or None when no shard changed

    def finish(self) -> SearchIndex:
        from broadsheet.outputs.pagefind import PagefindError

        try:
            pages = self.indexing.finish() if self.indexing is not None else 0
        except PagefindError as exc:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise BuildFailed([SiteError("search", str(exc))]) from None
        missing = [shard for shard in self.plan.build if not has_bundle(self.folder / shard)]
        if missing:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise BuildFailed([SiteError("search", f"Pagefind failed: no index written for {missing[0]}")])
        index = SearchIndex(self.folder, self.plan, pages)
        _write_steps(index)
        return index

    def cancel(self) -> None:
        if self.indexing is not None:
            self.indexing.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def start(plan: Plan, site: Site, binary: Path, folder: Path, jobs: int = 1) -> Pending:
    """Give Pagefind the documents of the plan's shards, to be written into ``folder`` (the output is not touched).

    Returns once every document is sent; Pagefind goes on indexing in its own processes.
    """
    from broadsheet.outputs.pagefind import PagefindError, start_bundles

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    if not plan.build:
        return Pending(folder, plan, None)
    wanted = {url for urls in plan.build.values() for url in urls}
    by_url = {story.url: (home, story) for home, story in _every_story(site) if story.url in wanted}
    # The names each story shows were resolved by ``prepare``: its state holds them.
    bundles = ((folder / shard, ((url, document_of(by_url[url][0].settings, by_url[url][1], plan.state.stories[url][4],
                                                   amended=is_amendments(shard))) for url in urls))
               for shard, urls in plan.build.items())
    try:
        indexing = start_bundles(binary, bundles, jobs)
    except PagefindError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise BuildFailed([SiteError("search", str(exc))]) from None
    return Pending(folder, plan, indexing)


def install(index: SearchIndex, root: Path) -> None:
    """Move the new shards into ``root/pagefind/``, remove dropped ones, then write the listing.

    Each shard is swapped in one rename; ``shards.json``, which the search page reads first, is
    replaced last, so a reader sees the old listing or the new one, each naming shards that exist.
    What to do is read from the index folder (``finish()`` wrote it there), so that a commit
    interrupted half-way can be finished by the next build with ``install_folder``.
    """
    install_folder(index.folder, root)


def install_folder(folder: Path, root: Path) -> None:
    """Install the index waiting in ``folder``; safe to repeat after an interruption at any point."""
    try:
        steps = json.loads((folder / INSTALL_STEPS).read_text("utf-8"))
    except (OSError, ValueError):
        shutil.rmtree(folder, ignore_errors=True)  # already installed (or never finished): nothing to do
        return
    target = root / SEARCH_DIR
    target.mkdir(parents=True, exist_ok=True)
    for shard in steps["build"]:
        if (folder / shard).is_dir():  # not moved yet
            _swap(folder / shard, target / shard)
    write_atomic(target / LISTING, (json.dumps(steps["listing"], indent=0) + "\n").encode("utf-8"))
    for shard in steps["drop"]:
        shutil.rmtree(target / shard, ignore_errors=True)
    keep = set(steps["shards"])
    for stray in target.iterdir():  # an index of the layout before shards, or a shard no state knew
        if stray.name not in keep and stray.name != LISTING:
            if stray.is_dir():
                shutil.rmtree(stray, ignore_errors=True)
            else:
                stray.unlink(missing_ok=True)
    shutil.rmtree(folder, ignore_errors=True)


def _write_steps(index: SearchIndex) -> None:
    """Record in the index folder what ``install_folder`` must do with it."""
    plan = index.plan
    shards = [{"path": f"{shard}/", "language": language, "edition": plan.editions.get(shard, "")}
              for shard, language in sorted(plan.languages.items())]
    tag = digest(sorted(plan.state.shards.items()))[:12]  # lets browsers cache each shard's entry file
    steps = {
        "build": sorted(plan.build), "drop": sorted(plan.drop), "shards": sorted(plan.languages),
        "listing": {"version": PAGEFIND_VERSION, "tag": tag, "shards": shards, "superseded": plan.state.superseded()},
    }
    write_atomic(index.folder / INSTALL_STEPS, json.dumps(steps).encode("utf-8"))


def remember(index: SearchIndex, state_file: Path | None, manifest: str) -> None:
    """Record what the installed index was built from, for the next build."""
    index.plan.state.built_for = manifest
    index.plan.state.save(state_file)


def discard(index: SearchIndex) -> None:
    shutil.rmtree(index.folder, ignore_errors=True)


def _swap(source: Path, target: Path) -> None:
    retired = target.with_name(f".{target.name}.old")
    shutil.rmtree(retired, ignore_errors=True)
    if target.exists():
        os.replace(target, retired)
    os.replace(source, target)
    shutil.rmtree(retired, ignore_errors=True)
