"""What the installed search index was built from, and which shards a change rebuilds or amends.

Every story has a *record digest* (what its search document is made from); a shard's digest is
that of the records it holds. After an edit, the story's shard would be indexed again whole:
about 5 ms of Pagefind's time a story, a few hundred milliseconds for a busy month, which is
most of what a one-story correction costs when the news breaks. So a shard whose only changes are
edits to stories it already holds, with the same byline, section and tags (the shard's filter
lists stay right), is *amended* instead: it stays as installed, the edited stories' new records go
into their language's amendments shard (``en-amended``: only corrected stories, indexed in tens of
milliseconds), and the listing names the fragments the old shard still holds for them
(``superseded``), which the search page leaves out of its results. Its documents carry an
``amended`` meta, so a new fragment never has the id of the one it supersedes.

When a language holds more than ``AMEND_LIMIT`` amended stories, the months holding the most
are rebuilt until half the limit is left, so a search page never loads a large amendments shard
and a fold costs a month or two, not every month. A build that
rebuilds a shard for any other reason (a story added, removed, moved, a byline changed) folds its
amendments into it.
"""

from __future__ import annotations

import gc
import gzip
import hashlib
import json
import pickle
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from broadsheet.outputs.manifest import write_atomic

# Changes whenever the documents given to Pagefind change shape: every shard is built again.
FORMAT = "broadsheet-search-2"
PAGEFIND_VERSION = "1.5.2"
AMENDED = "amended"
# Amended stories of one language at most: the amendments shard is indexed whole on every edit
# (about 5 ms a story) and loaded first by every search page.
AMEND_LIMIT = 24


@dataclass
class State:
    """What the installed index was built from: per story its content key, shard and record digest."""

    built_for: str = ""  # the digest of the output manifest the index was installed with
    # url -> (content key, shard, record digest, source file, the names it shows): the last two let
    # a rebuild start indexing before it has the site model (``search_early``)
    stories: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    shards: dict[str, str] = field(default_factory=dict)  # shard -> the digest of the records it holds
    # url -> (the record digest its shard holds, that record's fragment id): the stories amended
    amended: dict[str, tuple[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None) -> State:
        if path is None:
            return cls()
        try:
            with path.open("rb") as handle:
                raw = handle.read()
            enabled = gc.isenabled()
            gc.disable()  # tens of thousands of small tuples: the cycle collector would scan them as they load
            try:
                data = pickle.loads(raw)
            finally:
                if enabled:
                    gc.enable()
            if data[0] != FORMAT:
                return cls()
            return cls(data[1], data[2], data[3], data[4])
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, IndexError, AttributeError, KeyError):
            return cls()

    def save(self, path: Path | None) -> None:
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        data = (FORMAT, self.built_for, self.stories, self.shards, self.amended)
        write_atomic(path, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))

    def superseded(self) -> list[str]:
        """The fragment ids the search page leaves out: amended stories' old records."""
        return sorted(fragment for _digest, fragment in self.amended.values())


def shard_digest(records: list[str]) -> str:
    """A shard's digest: its stories' record digests, in URL order."""
    return digest(FORMAT, PAGEFIND_VERSION, records)


def digest(*parts: Any) -> str:
    return hashlib.blake2b(json.dumps(parts, sort_keys=True, default=str).encode("utf-8"), digest_size=16).hexdigest()


def amendments_shard(language: str) -> str:
    return f"{language}-{AMENDED}"


def is_amendments(shard: str) -> bool:
    return shard.endswith("-" + AMENDED)


# -- which shards to build ------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """Shards to write (with their stories' URLs), every decided shard's digest after, the amended stories after."""

    build: dict[str, tuple[str, ...]]
    shards: dict[str, str]
    amended: dict[str, tuple[str, str]]


def decide(
    old: State, stories: Mapping[str, tuple[Any, ...]], members: Mapping[str, Sequence[str]],
    deciding: Iterable[str], installed: Callable[[str], bool], fragment: Callable[[str, str], str | None],
) -> Decision:
    """Rebuild, keep or amend each shard in ``deciding`` (their stories' records are ``stories``, by
    URL; ``members``: each story shard's URLs); then each language's amendments shard.

    The shards not decided keep their digests and amendments (the caller carries them).
    ``installed(shard)``: whether the shard's files are in the output; ``fragment(shard, url)``: the
    id of the fragment the installed shard holds for ``url``, None if it cannot tell.
    """
    deciding = set(deciding)
    amended = {url: held for url, held in old.amended.items() if url in stories and stories[url][1] not in deciding}
    build: dict[str, tuple[str, ...]] = {}
    shards: dict[str, str] = {}

    def rebuild(shard: str) -> None:
        urls = tuple(sorted(members[shard]))
        build[shard] = urls
        shards[shard] = shard_digest([stories[url][2] for url in urls])
        for url in urls:
            amended.pop(url, None)

    for shard in sorted(deciding):
        urls = sorted(members[shard])
        current = shard_digest([stories[url][2] for url in urls])
        if not installed(shard):
            rebuild(shard)
        elif old.shards.get(shard) == current:
            shards[shard] = current
        else:
            changed = _amendable(old, shard, urls, stories)
            ids = {url: old.amended[url][1] if url in old.amended else fragment(shard, url) for url in changed or ()}
            if not changed or None in ids.values():
                rebuild(shard)
            else:
                shards[shard] = old.shards[shard]
                amended.update((url, (held, ids[url] or "")) for url, held in changed.items())
    languages: dict[str, list[str]] = {}
    for url in amended:
        languages.setdefault(shard_language(stories[url][1]), []).append(url)
    for language, urls in sorted(languages.items()):
        if len(urls) > AMEND_LIMIT:
            # Fold the months holding the most amended stories (corrections cluster in the newest
            # month), until half the limit is left: a fold is a month's rebuild, not every month's.
            holding: dict[str, int] = {}
            for url in urls:
                holding[stories[url][1]] = holding.get(stories[url][1], 0) + 1
            left = len(urls)
            for shard in sorted(holding, key=lambda shard: (-holding[shard], shard)):
                if left <= AMEND_LIMIT // 2:
                    break
                rebuild(shard)
                left -= holding[shard]
            urls = [url for url in urls if url in amended]
            if not urls:
                continue
        urls.sort()
        shard = amendments_shard(language)
        shards[shard] = shard_digest([AMENDED, *(stories[url][2] for url in urls)])
        if old.shards.get(shard) != shards[shard] or not installed(shard):
            build[shard] = tuple(urls)
    return Decision(build, shards, amended)


def _amendable(old: State, shard: str, urls: list[str], stories: Mapping[str, tuple[Any, ...]]) -> dict[str, str] | None:
    """The stories whose records changed, each with the record digest the installed shard holds for
    it, if the shard holds exactly these stories and only their text changed; else None."""
    held: list[str] = []
    for url in urls:
        if url in old.amended:
            held.append(old.amended[url][0])
        elif url in old.stories and old.stories[url][1] == shard:
            held.append(old.stories[url][2])
        else:
            return None  # a story new to the shard
    if shard_digest(held) != old.shards.get(shard):
        return None  # a story left it, or the state does not know what it holds
    changed: dict[str, str] = {}
    for url, record in zip(urls, held, strict=True):
        if record != stories[url][2]:
            if stories[url][4] != old.stories[url][4]:
                return None  # a byline, section or tag changed: the shard's filter lists would be stale
            changed[url] = record
    return changed


def shard_language(shard: str) -> str:
    """A shard's Pagefind language: ``en`` of ``en-2026-10`` and of ``en-amended``."""
    return shard.split("-", 1)[0]


ENTRY = "pagefind-entry.json"  # the file a Pagefind bundle is complete with


def has_bundle(folder: Path) -> bool:
    """Whether ``folder`` holds a whole Pagefind bundle (its entry file is written last)."""
    return (folder / ENTRY).is_file()


FRAGMENT_MAGIC = b"pagefind_dcd"  # what a Pagefind file holds before its data, once decompressed


def read_fragment(path: Path) -> dict[str, Any]:
    """A Pagefind page fragment (``fragment/<id>.pf_fragment``): its URL, text, filters and meta.
    ``OSError``, ``ValueError`` or ``EOFError`` if it cannot be read."""
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(FRAGMENT_MAGIC):
        raise ValueError(f"not a Pagefind fragment: {path}")
    fragment: dict[str, Any] = json.loads(data[len(FRAGMENT_MAGIC):])
    return fragment


def fragment_ids(folder: Path) -> dict[str, str]:
    """The id of each page's fragment in the Pagefind bundle in ``folder`` (``en_1a2b3c4``), by URL;
    an unreadable fragment is left out (its story's shard is then rebuilt, not amended)."""
    ids: dict[str, str] = {}
    for path in (folder / "fragment").glob("*.pf_fragment"):
        try:
            ids[read_fragment(path)["url"]] = path.name.removesuffix(".pf_fragment")
        except (OSError, ValueError, EOFError, KeyError):
            continue
    return ids
