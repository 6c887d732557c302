"""Indexing for search begun early: by the forked child that reads a rebuild's edits, before the site model is loaded.

After a one-story edit, Pagefind indexes the story's amendments shard (or its month): time
which the rebuild waited for at the end because indexing could start only once
the site model was loaded and the search plan made. But the last index's state
(``search.json``) already says which shard a story is in, which stories share it, their
content keys and the names they show; the build cache holds their articles. So the child
that reads and renders the edits (``incremental/delta.py``) can send the shard's documents
at once, to a Pagefind service the parent started before forking, and Pagefind works while
the parent loads the model and renders.

Which shards to send is decided as the plan decides it (``search_state.decide``): for a
correction to a story's text, only its language's amendments shard (the story and the others
amended since their months were indexed), tens of milliseconds of Pagefind's time.

It is a guess, checked before it is used: the child reports each shard it sent with the
digest of its records, computed as ``search.prepare`` computes it; the parent makes its plan
as always and takes the early indexing only if the plan builds exactly those shards with
those digests (equal records make equal documents). Otherwise the early work is discarded
and the plan's shards are indexed as usual. A site with editions indexes as usual.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from broadsheet.model.config import Settings
from broadsheet.model.content import Article
from broadsheet.model.rendered import Rendered
from broadsheet.model.site import Story
from broadsheet.outputs.pagefind import PagefindError, Service
from broadsheet.outputs.search import SEARCH_DIR, SHARD_STORIES, record_digest
from broadsheet.outputs.search_documents import document_of
from broadsheet.outputs.search_state import State, decide, has_bundle, is_amendments

__all__ = ["Early", "Sent", "begin"]


@dataclass(frozen=True)
class Sent:
    """What the child sent: each shard's URLs and record digest, and the service's request counts."""

    shards: Mapping[str, tuple[tuple[str, ...], str]]
    sent: int
    indexes: int
    pages: int
    destinations: Mapping[int, Path]


# Linux's F_SETPIPE_SZ, and the room asked for Pagefind's answers while nobody reads them yet:
# the child must never wait on a full pipe for the parent, which waits for the child. An answer
# to a page is under 2 KB even for a long headline in Chinese; at most SHARD_STORIES are sent.
_SETPIPE_SIZE = 1031
_ANSWER_ROOM = 1 << 20


class Early:
    """A Pagefind service started before the fork, written to by the child, read by the parent."""

    def __init__(self, binary: Path, state_file: Path, root: Path, folder: Path, since: str) -> None:
        self.state_file, self.root, self.folder, self.since = state_file, root, folder, since
        import fcntl

        service = Service(binary, read=False)
        assert service.process.stdout is not None
        try:
            fcntl.fcntl(service.process.stdout.fileno(), _SETPIPE_SIZE, _ANSWER_ROOM)
        except OSError as exc:
            service.close()
            raise PagefindError(f"cannot make room for Pagefind's answers: {exc.strerror}") from None
        self.service: Service | None = service
        self.shards: Mapping[str, tuple[tuple[str, ...], str]] = {}

    # -- in the child ----------------------------------------------------------------------------

    def send(
        self, settings: Settings, edits: Iterable[tuple[str, str, Article, Rendered]],
        cached: Callable[[str], tuple[Article, Rendered] | None],
    ) -> Sent | None:
        """Send the documents of the shards the edits ``(source, key, article, rendered)`` are in; None if it cannot tell them.

        ``cached`` gives the article and rendered body the build cache keeps under a content key.
        """
        assert self.service is not None
        old = State.load(self.state_file)
        if old.built_for != self.since or not old.stories or settings.languages:
            return None
        urls = {entry[3]: url for url, entry in old.stories.items()}
        edited: dict[str, tuple[str, Article, Rendered]] = {}
        stories = dict(old.stories)
        for source, key, article, rendered in edits:
            if source not in urls:
                return None  # a story the index does not hold (a draft): the plan decides
            url = urls[source]
            edited[url] = (key, article, rendered)
            _key, shard, _record, _source, shown = old.stories[url]
            stories[url] = (key, shard, record_digest(key, url, shown, settings), source, shown)
        members: dict[str, list[str]] = {}
        for url, entry in old.stories.items():
            members.setdefault(entry[1], []).append(url)
        installed = self.root / SEARCH_DIR
        decision = decide(old, stories, members, {stories[url][1] for url in edited},
                          lambda shard: has_bundle(installed / shard), lambda _shard, _url: "")
        if sum(map(len, decision.build.values())) > SHARD_STORIES:
            return None
        documents: dict[str, list[tuple[str, str]]] = {}
        for shard, listed in decision.build.items():
            for url in listed:
                key, _shard, _record, _source, shown = stories[url]
                if url in edited:
                    _key, article, rendered = edited[url]
                else:
                    kept = cached(key)
                    if kept is None:
                        return None
                    article, rendered = kept
                story = Story(article, rendered, url, key)
                documents.setdefault(shard, []).append((url, document_of(settings, story, shown, amended=is_amendments(shard))))
        shards = {shard: (listed, decision.shards[shard]) for shard, listed in decision.build.items()}
        service = self.service
        try:
            for shard, pages in documents.items():
                index_id = service.new_index()
                for url, html in pages:
                    service.add(index_id, url, html)
                service.write(index_id, self.folder / shard)
            service.flush()
        except PagefindError:
            return None
        return Sent(shards, service.sent, service.indexes, service.pages, dict(service.destinations))

    # -- in the parent ---------------------------------------------------------------------------

    def received(self, sent: Sent | None) -> None:
        """Start collecting Pagefind's answers to what the child sent (or stop the service if it sent nothing)."""
        if sent is None or self.service is None:
            self.cancel()
            return
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.shards = sent.shards
        self.service.read(sent.sent, sent.indexes, sent.pages, sent.destinations)

    def take(self, build: Mapping[str, tuple[str, ...]], digests: Mapping[str, str]) -> Any:
        """The indexing under way (a ``pagefind.Indexing``) if it builds exactly the plan's shards; else None, and it stops."""
        from broadsheet.outputs.pagefind import Indexing

        service, self.service = self.service, None
        if service is None:
            return None
        if set(build) == set(self.shards) and all(
            self.shards[shard] == (urls, digests[shard]) for shard, urls in build.items()
        ):
            return Indexing([service], 0)
        self.service = service
        self.cancel()
        return None

    def cancel(self) -> None:
        """Stop the service (nothing it was sent is used) and its reader: the process has no other thread after."""
        service, self.service = self.service, None
        if service is not None:
            service.close()
            if service.reader.ident is not None:
                service.reader.join()
            shutil.rmtree(self.folder, ignore_errors=True)


def begin(binary: Path, state_file: Path | None, root: Path, folder: Path, since: str) -> Early | None:
    """A service for a child to write to, if the last index's state is there to guide it (and the system is Linux)."""
    if state_file is None or not state_file.is_file() or not sys.platform.startswith("linux"):
        return None
    try:
        return Early(binary, state_file, root, folder, since)
    except PagefindError:
        return None
