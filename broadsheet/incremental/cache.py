"""The persistent build cache: parsed articles keyed by content hash, in one SQLite file.

Three things are kept between builds:

- ``entries``: for each content key (a hash of the file's bytes and of the
  settings that change how it is read), the parsed ``Article`` and its
  ``Rendered`` summary data, pickled, and the body HTML separately, so a
  rebuild loads bodies only for the pages it actually renders;
- ``files``: each source file's size and modification time with its content
  key, so an unchanged file is not even read again;
- nothing else: entries not used by a build are deleted once it has
  succeeded (``save`` adds, ``collect`` deletes), so a failed or killed build
  never removes what the last good build's snapshot points at.

Every entry carries a checksum of its pickled metadata and body HTML, checked
when read. A damaged file (malformed pages, flipped bytes, another schema)
raises ``CacheDamaged``; the builder then discards the whole cache and builds
in full. Forked worker processes open their own read-only connection.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from broadsheet.incremental.pickling import dumps

SCHEMA = 3
BIG_WRITE = 500  # entries


class CacheDamaged(Exception):
    """The cache (or the snapshot that points into it) cannot be trusted: discard it and build in full."""

    def __reduce__(self) -> tuple[type[CacheDamaged], tuple[str]]:
        return CacheDamaged, (str(self),)


def _sum(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=12).hexdigest()


def checksum(meta: bytes, html: str) -> str:
    """An entry's checksum: its metadata's and its body's, checked apart (the body is read only when shown)."""
    return f"{_sum(meta)}:{_sum(html.encode('utf-8', 'surrogatepass'))}"


@dataclass(frozen=True, slots=True)
class LazyHtml:
    """Body HTML fetched from the cache when a template first uses it."""

    store: HtmlSource
    key: str

    def __reduce__(self) -> tuple[type[LazyHtml], tuple[HtmlSource, str]]:
        """Pickled (in the build snapshot) as a constructor call, which loads faster than a slotted dataclass's state."""
        return LazyHtml, (self.store, self.key)

    def __str__(self) -> str:
        return self.store.html(self.key)

    def __html__(self) -> str:
        return self.store.html(self.key)


class HtmlSource:
    """Reads body HTML by content key; safe to use after ``fork``."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.pending: dict[str, str] = {}
        self._pid = -1
        self._db: sqlite3.Connection | None = None

    def __reduce__(self) -> tuple[type[HtmlSource], tuple[Path | None]]:
        """A pickled store (in the build snapshot) opens the same file again where it is loaded."""
        return HtmlSource, (self.path,)

    def html(self, key: str) -> str:
        if key in self.pending:
            return self.pending[key]
        if self._pid != os.getpid():
            assert self.path is not None
            self._db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
            self._pid = os.getpid()
        assert self._db is not None
        try:
            row = self._db.execute("SELECT meta, html, sum FROM entries WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error as exc:
            raise CacheDamaged(f"build cache unreadable: {exc}") from None
        if row is None:
            raise CacheDamaged(f"body HTML for {key} is missing from the build cache")
        if not isinstance(row[1], str) or not isinstance(row[0], bytes) or checksum(row[0], row[1]) != row[2]:
            raise CacheDamaged(f"body HTML for {key} fails its checksum")
        return row[1]


class BuildCache:
    """A build's view of the cache file (or an in-memory cache when ``path`` is None)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.source = HtmlSource(path)
        self._meta: dict[str, bytes] = {}
        self._meta_loaded = path is None
        self._files: dict[str, tuple[int, int, str]] | None = None  # read on first use (``_known_files``)
        self._used: set[str] = set()
        self._new: dict[str, tuple[bytes, str, str]] = {}
        self._seen_files: dict[str, tuple[int, int, str]] = {}
        self._seen_paths: set[str] = set()  # files seen by builds since the last collection
        self._db: sqlite3.Connection | None = None
        self._pid = -1  # the process that opened the file
        self._inherited: sqlite3.Connection | None = None
        self._sums: dict[str, str] = {}

    def _open(self) -> None:
        """Open (or create) the file on first use, so a build refused early leaves nothing behind.

        A forked child (``forking.Forked``) opens a connection of its own: SQLite
        connections must not be used across a fork. The parent's is kept, unused,
        so that the child never closes it either.
        """
        if self.path is None or self._pid == os.getpid():
            return
        self._pid = os.getpid()
        self._inherited, self._db = self._db, None
        path = self.path
        assert path is not None
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = self._connect(path)
        except sqlite3.DatabaseError:
            self.discard()
            self._db = self._connect(path)

    def discard(self) -> None:
        """Delete the cache file (damaged, or from other code) and forget what was read of it."""
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
        self._db = None
        self._meta, self._sums, self._files = {}, {}, None
        self._meta_loaded = self.path is None
        self._used, self._new, self._seen_files, self._seen_paths = set(), {}, {}, set()
        self.source.pending.clear()
        self.source._pid = -1
        self._pid = -1
        if self.path is not None:
            for suffix in ("", "-wal", "-shm", "-journal"):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(f"{self.path}{suffix}")

    def _known_files(self) -> dict[str, tuple[int, int, str]]:
        """Every source's last seen (mtime, size, content key), read when first needed."""
        self._open()
        if self._files is None:
            with _reading():
                self._files = {} if self._db is None else {
                    p: (m, s, k) for p, m, s, k in self._db.execute("SELECT path, mtime, size, key FROM files")
                }
        return self._files

    def load_all(self) -> None:
        """Read every entry's metadata in one query (a full build asks for most of them)."""
        self._open()
        if not self._meta_loaded:
            self._meta_loaded = True
            assert self._db is not None
            with _reading():
                rows = self._db.execute("SELECT key, meta, sum FROM entries").fetchall()
            self._sums.update((key, total) for key, _meta, total in rows)
            self._meta = {**{key: meta for key, meta, _sum in rows}, **self._meta}

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path)
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA:
            db.executescript(
                "DROP TABLE IF EXISTS entries; DROP TABLE IF EXISTS files;"
                "CREATE TABLE entries (key TEXT PRIMARY KEY, meta BLOB NOT NULL, html TEXT NOT NULL, sum TEXT NOT NULL);"
                "CREATE TABLE files (path TEXT PRIMARY KEY, mtime INTEGER, size INTEGER, key TEXT);"
                f"PRAGMA user_version = {SCHEMA};"
            )
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = OFF")  # a cache: if it is lost, the next build re-reads the sources
        return db

    # -- source files ---------------------------------------------------------

    def file_key(self, path: str, mtime: int, size: int) -> str | None:
        """The content key of ``path`` if it is unchanged since it was last read."""
        known = self._known_files().get(path)
        if known and known[0] == mtime and known[1] == size:
            self._seen_files[path] = known
            return known[2]
        return None

    def remember_file(self, path: str, mtime: int, size: int, key: str) -> None:
        self._seen_files[path] = (mtime, size, key)

    # -- parsed articles ------------------------------------------------------

    def get(self, key: str) -> tuple[Any, Any] | None:
        """(Article, Rendered) for ``key``, the Rendered's html loaded lazily."""
        self._open()
        meta = self._meta.get(key)
        if meta is None and not self._meta_loaded and self._db is not None:
            with _reading():
                row = self._db.execute("SELECT meta, sum FROM entries WHERE key = ?", (key,)).fetchone()
            meta = row[0] if row else None
            if row:
                self._sums[key] = row[1]
        if meta is None:
            return None
        total = self._sums.get(key)
        if total is not None and (not isinstance(meta, bytes) or not total.startswith(_sum(meta) + ":")):
            raise CacheDamaged(f"cache entry {key} fails its checksum")
        try:
            article, rendered = pickle.loads(meta)
        except Exception:  # flipped bytes: the body's checksum (checked when it is read) catches the rest
            raise CacheDamaged(f"cache entry {key} cannot be read") from None
        self._used.add(key)
        return article, rendered.with_html(LazyHtml(self.source, key))

    def put(self, key: str, article: Any, rendered: Any) -> None:
        self._open()
        self._sums.pop(key, None)
        html = str(rendered.html)
        meta = dumps((article, rendered.with_html("")))
        self._meta[key] = meta
        self._new[key] = (meta, html, checksum(meta, html))
        self._used.add(key)
        self.source.pending[key] = html

    def save(self) -> None:
        """Write the new entries and the file stats seen since the last save; nothing is deleted."""
        self._open()
        db = self._db
        if db is None:
            return  # in memory: bodies stay in ``pending``
        known = self._files or {}  # a delta build need not read them: it writes the few it saw
        changed = [(p, *v) for p, v in self._seen_files.items() if known.get(p) != v]
        with _reading(), db:
            if self._new:
                db.executemany(
                    "INSERT OR REPLACE INTO entries (key, meta, html, sum) VALUES (?, ?, ?, ?)",
                    [(k, m, h, c) for k, (m, h, c) in self._new.items()],
                )
            if changed:
                db.executemany("INSERT OR REPLACE INTO files (path, mtime, size, key) VALUES (?, ?, ?, ?)", changed)
        if len(self._new) > BIG_WRITE:
            # Fold a large write into the database file now, while nothing reads it, and empty
            # the log: left to itself SQLite keeps a 100 MB log that later small commits pay for.
            with _reading():
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        if self._files is not None:
            self._files.update(self._seen_files)
        self._seen_paths.update(self._seen_files)
        self._seen_files = {}
        self._new.clear()
        self.source.pending.clear()

    def collect(self) -> None:
        """Forget the entries and files no build used since the last collection.

        Called only by a full build that has succeeded, once its snapshot is
        committed: a failed or interrupted build must never delete what the
        last good snapshot points at.
        """
        self.save()
        self.load_all()
        db = self._db
        if db is None:
            return
        stale = set(self._meta) - self._used
        gone = self._known_files().keys() - self._seen_paths
        with _reading(), db:
            if stale:
                db.executemany("DELETE FROM entries WHERE key = ?", [(k,) for k in stale])
            if gone:
                db.executemany("DELETE FROM files WHERE path = ?", [(p,) for p in gone])
        for key in stale:
            del self._meta[key]
            self._sums.pop(key, None)
        if self._files is not None:
            for path in gone:
                del self._files[path]
        self._used, self._seen_paths = set(), set()


@contextlib.contextmanager
def _reading() -> Iterator[None]:
    """SQLite errors (malformed pages, a file that is not a database) as ``CacheDamaged``."""
    try:
        yield
    except sqlite3.Error as exc:
        raise CacheDamaged(f"build cache unreadable: {exc}") from None


def unwritable(folder: Path) -> str:
    """Why the cache folder cannot be written ("" if it can): tried, not guessed from mode bits.

    The probe goes into the folder, or into its nearest existing parent, and is
    removed at once, so a build refused later leaves no cache folder behind.
    """
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        return f"{existing} is not a folder"
    probe = existing / f".broadsheet-probe-{os.getpid()}"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        return exc.strerror or type(exc).__name__
    return ""
