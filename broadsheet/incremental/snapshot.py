"""What a successful build leaves for the next one, so that a small edit skips planning.

A full build plans every page from the whole site model (site → routes →
fingerprints): about a second at 10,000 articles, whatever changed. Most
rebuilds change much less: a writer saves a story in the preview, a desk
pushes a correction. An edit that changes only what a story *says* (its body
or summary) moves it in no index and no list, changes no URL and no compact
card, so only the pages that show the story's content need rendering again:
its own page, the list pages and feeds it is on, and pages that show every
story.

So a build leaves two things behind, in memory for the preview server and in
the cache folder for the next ``build``:

- a ``Stamp``, small and read on every build: what the build was made from
  (sources with their sizes, times and content keys; a digest of the
  settings, templates, static files and author profiles; the output manifest
  it wrote). If nothing differs, nothing needs doing;
- a ``Model``, read only when stories changed: the site as planned, every
  page's key, and which pages show each story's content. After body-only edits
  the changed stories take their new content in place (``Story.revise``) and
  only the pages that show them get new keys and render again. Revisions since
  the model was written are kept in a small journal beside it.

Anything else (a file added or removed, a headline, date, byline, tag or
section changed, a template, setting or static file changed, a scheduled
story's time come) takes the full path, which writes both anew.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import io
import os
import pickle
import secrets
import sys
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, fields, is_dataclass, replace
from pathlib import Path
from typing import Any

from broadsheet import __version__
from broadsheet.incremental.cache import HtmlSource, LazyHtml
from broadsheet.incremental.fingerprints import Fingerprinter
from broadsheet.incremental.forking import Forked
from broadsheet.incremental.pickling import Pickler, layout
from broadsheet.model.config import Settings
from broadsheet.model.content import Article
from broadsheet.model.pagination import Pager
from broadsheet.model.record import Correction
from broadsheet.model.rendered import Rendered
from broadsheet.model.site import Content, Site, Story, Term
from broadsheet.outputs.processed import PhotoUses, ProcessedImage, Variant
from broadsheet.pages.keys import KeyData
from broadsheet.pages.kinds import FeedFormat, Page, PageKind

STAMP = "stamp.pickle"
MODEL = "model.pickle"
JOURNAL = "journal.pickle"
# Fields of an Article that only its own content shows; any other change takes the full path.
CONTENT_FIELDS = frozenset({"body", "digest", "summary"})
_SHAPE_FIELDS = tuple(f.name for f in fields(Article) if f.name not in CONTENT_FIELDS)


def shape(article: Article) -> tuple[str, ...]:
    """Everything about an article that decides where it appears and how other pages link to it.

    Compared as text, so that equal instants in different time zones (which show differently) differ.
    """
    return tuple(repr(getattr(article, name)) for name in _SHAPE_FIELDS)


@dataclass
class Stamp:
    """What the last successful build was made from."""

    context: str  # digest of everything site-wide the build read
    model: str  # id of the Model written with it
    sources: dict[str, tuple[int, int, str]]  # source path → (mtime_ns, size, content key)
    manifest: str  # digest of the output manifest it wrote
    since: dt.datetime  # the build's "now"
    until: dt.datetime | None  # the first scheduled story's time: then the site changes by itself
    counts: tuple[int, int, int, int]  # articles, drafts skipped, scheduled skipped, pages
    format: str = field(default_factory=lambda: FORMAT)

    def fresh_at(self, now: dt.datetime) -> bool:
        return self.since <= now and (self.until is None or now < self.until)


@dataclass
class Model:
    """The site as the last build planned it, and which pages show each story."""

    site: Site
    pages: Sequence[Page]  # a list, or, in a model read from the snapshot, a ``PageTable``
    fingerprints: Fingerprinter
    readers: dict[str, list[int]]  # story URL → indices of the pages that show its content
    wide: list[int]  # pages that show every story's content
    id: str = field(default_factory=lambda: secrets.token_hex(8))
    revisions: dict[str, tuple[Article, Rendered, str]] = field(default_factory=dict)
    photos: PhotoUses = field(default_factory=PhotoUses)  # what the photo stage published, for the delta path

    def __post_init__(self) -> None:
        self.stories = {story.article.source: story for story in self.site.all_stories}

    def revise(self, source: str, article: Article, rendered: Rendered, key: str) -> Story:
        """Give the story from ``source`` new content of the same shape."""
        story = self.stories[source]
        story.revise(replace(article, body=""), rendered, key)
        self.fingerprints.revise(story)
        self.revisions[source] = (story.article, rendered, key)
        return story

    def affected(self, stories: list[Story]) -> list[Page]:
        """Pages whose keys may change when these stories' content does."""
        indices = set(self.wide)
        for story in stories:
            indices.update(self.readers.get(story.url, ()))
        return [self.pages[i] for i in sorted(indices)]


# What a snapshot written by other code must not be read as.
# The model holds dataclasses pickled by field position and plain classes (the Fingerprinter)
# pickled by attribute, so a snapshot is read only by the code that wrote it: the field layout
# of its dataclasses and the source of every module whose objects it holds (pages hold their kinds).
_CLASSES = (Article, Correction, Rendered, Content, Story, Term, Site, Page, PageKind, FeedFormat, Pager, Settings, LazyHtml, Stamp,
            Model, Fingerprinter, KeyData,
            PhotoUses, ProcessedImage, Variant)
_SOURCES = hashlib.blake2b(digest_size=8)
# Pages hold their kinds, and so every kind module's functions: the whole pages package is read
# (as files, so that a build that finds nothing to do need not import every kind).
_FILES = {Path(sys.modules[module].__file__ or "") for module in {c.__module__ for c in _CLASSES}}
_FILES |= set(Path(sys.modules["broadsheet.pages"].__file__ or "").parent.glob("*.py"))
for _file in sorted(_FILES):
    _SOURCES.update(_file.read_bytes())
FORMAT = f"{__version__}|{layout(*(c for c in _CLASSES if is_dataclass(c)))}|{_SOURCES.hexdigest()}"


class Store:
    """Stamp, model and journal in one folder of the build cache (or nowhere, for ``None``)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def load_stamp(self) -> Stamp | None:
        stamp = self._load(STAMP)
        return stamp if isinstance(stamp, Stamp) and stamp.format == FORMAT else None

    def load_model(self, stamp: Stamp) -> Model | None:
        model = self._load(MODEL)
        if not isinstance(model, Model) or model.id != stamp.model:
            return None
        journal = self._load(JOURNAL)
        if not (isinstance(journal, tuple) and len(journal) == 2 and journal[0] == model.id):
            return None  # the revisions since the model was written are lost: build in full
        for source, (article, rendered, key) in journal[1].items():
            model.revise(source, article, rendered, key)
        return model

    def save_stamp(self, stamp: Stamp) -> None:
        if self.folder is not None:
            self._dump(STAMP, stamp)

    @contextlib.contextmanager
    def writing(self, model: Model) -> Iterator[Callable[[Stamp], None]]:
        """Write ``model`` while the block runs; the block calls the function it gets to commit it with a stamp.

        Pickling a large model takes a third of a second, so in a process with
        no other threads (the command line) a forked child writes it beside
        the render pool and the build waits only at the end; elsewhere (the
        preview server's threads make forking unsafe) it is written when
        committed. If the block fails, nothing is committed and the last
        snapshot stays as it was.
        """
        folder = self.folder
        if folder is None:
            yield lambda stamp: None
            return
        folder.mkdir(parents=True, exist_ok=True)
        staged = folder / f"{MODEL}.next"
        with Forked(lambda: _write_model(staged, model)) as writer:
            committed = False

            def commit(stamp: Stamp) -> None:
                nonlocal committed
                try:
                    writer.result()
                    os.replace(staged, folder / MODEL)
                except OSError:
                    return  # no model, no stamp: the next build is a full one
                committed = True
                self._dump(JOURNAL, (model.id, {}))
                self._dump(STAMP, stamp)

            try:
                yield commit
            finally:
                if not committed:
                    with contextlib.suppress(FileNotFoundError):
                        staged.unlink()

    def save_journal(self, stamp: Stamp, model: Model) -> None:
        if self.folder is None:
            return
        self._dump(JOURNAL, (model.id, model.revisions))
        self._dump(STAMP, stamp)

    def _dump(self, name: str, value: object) -> None:
        """Write one file of the snapshot; if that fails (a full disk), drop the stamp: the next build is a full one."""
        assert self.folder is not None
        tmp = self.folder / f"{name}.tmp"
        try:
            _write_pickle(tmp, value)
            os.replace(tmp, self.folder / name)
        except OSError:
            for stale in (tmp, self.folder / STAMP):
                with contextlib.suppress(OSError):
                    stale.unlink()

    def _load(self, name: str) -> Any:
        if self.folder is None:
            return None
        try:
            raw = (self.folder / name).read_bytes()
        except OSError:
            return None
        data = raw[_HEADER:]
        if raw[:_HEADER] != _checksum(data):
            return None  # damaged (flipped bytes, a torn write) or not ours: build in full
        with _no_gc(freeze=True):
            try:
                return pickle.loads(data)
            except Exception:  # a cache from another version, or damaged: build in full
                return None


_HEADER = 24  # bytes of checksum before each pickle


def _checksum(data: bytes | memoryview) -> bytes:
    """The file's length and CRC-32: they catch a torn write or flipped bytes (the files guard against
    damage, not forgery) at a third of a cryptographic digest's cost, which a rebuild pays on every load."""
    return b"bs2:" + f"{len(data):010x}{zlib.crc32(data):08x}".encode() + b"\n" * 2


def _write_pickle(path: Path, value: object, pickler: type[pickle.Pickler] = Pickler) -> None:
    buffer = io.BytesIO()
    with _no_gc(freeze=False):
        pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    view = buffer.getbuffer()
    with open(path, "wb") as file:
        file.write(_checksum(view))
        file.write(view)


def _write_model(path: Path, model: Model) -> None:
    """Pickle ``model`` with each story's content packed apart (``_ModelPickler``)."""
    _write_pickle(path, model, _ModelPickler)


class _Shelf:
    """Packs and unpacks the content of one model's stories.

    Pickled once with the model and shared by its stories. The build cache's
    body-HTML source, which each story's ``LazyHtml`` holds, is packed as its
    path and unpacked as one shared object per path, so all the stories read
    their bodies through one connection, as they did when they were planned.
    """

    def __init__(self) -> None:
        self._sources: dict[str, HtmlSource] = {}

    def __reduce__(self) -> tuple[type[_Shelf], tuple[()]]:
        return _Shelf, ()

    @staticmethod
    def pack(content: Content) -> bytes:
        buffer = io.BytesIO()
        pickler = Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.persistent_id = lambda obj: (str(obj.path or ""),) if isinstance(obj, HtmlSource) else None  # type: ignore[method-assign]
        pickler.dump(content)
        return buffer.getvalue()

    def unpack(self, data: bytes) -> Content:
        unpickler = pickle.Unpickler(io.BytesIO(data))
        unpickler.persistent_load = self._source  # type: ignore[method-assign]
        content: Content = unpickler.load()
        return content

    def _source(self, pid: tuple[str]) -> HtmlSource:
        (path,) = pid
        if path not in self._sources:
            self._sources[path] = HtmlSource(Path(path) if path else None)
        return self._sources[path]


class PackedContent:
    """A story's content as a loaded model holds it: packed, and unpacked by ``load``.

    The story reads ``article`` and ``rendered`` through it (``Story.holding``),
    so the first read of either loads both; stories no page reads stay packed.
    """

    __slots__ = ("_content", "data", "shelf")

    def __init__(self, shelf: _Shelf, data: bytes) -> None:
        self.shelf = shelf
        self.data = data
        self._content: Content | None = None

    def __reduce__(self) -> tuple[type[PackedContent], tuple[_Shelf, bytes]]:
        return PackedContent, (self.shelf, self.data)

    @property
    def loaded(self) -> bool:
        return self._content is not None

    def load(self) -> Content:
        """The article and rendered body, unpacked the first time."""
        if self._content is None:
            self._content = self.shelf.unpack(self.data)
        return self._content

    @property
    def article(self) -> Article:
        return self.load().article

    @property
    def rendered(self) -> Rendered:
        return self.load().rendered


# What a page shares with the rest of the model and with other pages: a page's own pickle holds
# such an object as its place in the model's table of them, so that it comes back as itself.
_SHARED = (Story, Term, Site, PageKind, FeedFormat)


class PageTable(Sequence[Page]):
    """A loaded model's pages, each kept pickled apart and unpickled when first asked for.

    A snapshot holds some twenty thousand pages at 10,000 stories, and a rebuild after
    one edit renders a few dozen: unpickling only those spares it most of the model's
    load. A page's stories, terms, sites and kinds are looked up in ``shared`` (pickled
    with the model, so they are the model's own objects).
    """

    __slots__ = ("_blobs", "_pages", "_shared")

    def __init__(self, shared: list[Any], blobs: list[bytes]) -> None:
        self._shared = shared
        self._blobs = blobs
        self._pages: list[Page | None] = [None] * len(blobs)

    def __reduce__(self) -> tuple[type[PageTable], tuple[list[Any], list[bytes]]]:
        return PageTable, (self._shared, self._blobs)

    def __len__(self) -> int:
        return len(self._blobs)

    def __getitem__(self, index: int) -> Page:  # type: ignore[override]
        page = self._pages[index]
        if page is None:
            unpickler = pickle.Unpickler(io.BytesIO(self._blobs[index]))
            unpickler.persistent_load = self._shared.__getitem__  # type: ignore[method-assign]
            page = self._pages[index] = unpickler.load()
        return page

    @classmethod
    def pack(cls, pages: Sequence[Page]) -> PageTable:
        """Pickle each page apart, its shared objects as their places in one table."""
        shared: list[Any] = []
        places: dict[int, int] = {}

        def place(obj: object) -> int | None:
            if type(obj) not in _SHARED:
                return None
            n = places.get(id(obj))
            if n is None:
                n = places[id(obj)] = len(shared)
                shared.append(obj)
            return n

        buffer = io.BytesIO()
        pickler = _PagePickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.persistent_id = place  # type: ignore[method-assign]
        blobs: list[bytes] = []
        for page in pages:
            buffer.seek(0)
            buffer.truncate()
            pickler.clear_memo()
            pickler.dump(page)
            blobs.append(buffer.getvalue())
        return cls(shared, blobs)


class _PagePickler(Pickler):
    """Pickles one page; an article or rendered body must be reached through its story (a shared object)."""

    def reducer_override(self, obj: object) -> Any:
        if type(obj) in (Article, Rendered, Content):
            raise pickle.PicklingError(f"{type(obj).__name__} outside its Story in a model")
        return NotImplemented


def _model(state: dict[str, Any]) -> Model:
    """A model from its attributes, as ``_ModelPickler`` wrote them (its pages in a ``PageTable``)."""
    model = Model.__new__(Model)
    model.__dict__.update(state)
    return model


class _ModelPickler(Pickler):
    """Pickles a model's stories as URL, key and their content packed apart (a ``PackedContent``),
    and its pages each apart (a ``PageTable``).

    Loading the model then costs a few bytes objects instead of ten thousand
    articles and twenty thousand pages: a rebuild after one edit unpacks only
    the pages it renders and the stories they show. An article or rendered body met anywhere but in its story
    would come back as a copy, so that is refused.
    """

    def __init__(self, file: io.BytesIO, protocol: int = pickle.HIGHEST_PROTOCOL) -> None:
        super().__init__(file, protocol=protocol)
        self.shelf = _Shelf()

    def reducer_override(self, obj: object) -> Any:
        if type(obj) is Model:
            state = dict(vars(obj))
            if type(obj.pages) is not PageTable:
                state["pages"] = PageTable.pack(obj.pages)
            return _model, (state,)
        if type(obj) is Story:
            content = obj.content
            if type(content) is PackedContent:
                data = content.data  # written again as it was read: no need to unpack it
            else:
                data = self.shelf.pack(Content(content.article, content.rendered))
            return Story.holding, (PackedContent(self.shelf, data), obj.url, obj.key)
        if type(obj) in (Article, Rendered, Content):
            raise pickle.PicklingError(f"{type(obj).__name__} outside its Story in a model")
        return NotImplemented


@contextlib.contextmanager
def _no_gc(freeze: bool) -> Iterator[None]:
    """Keep the cycle collector out of (un)pickling a large object graph, and, with ``freeze``, away from it after.

    Left alone it would scan the graph repeatedly while it loads, and once
    more in full soon after. ``gc.freeze`` exempts the objects loaded so far
    from cycle collection; they are still freed as usual when no longer used.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()
