"""The persistent build cache: parsed articles keyed by content hash, in one SQLite file.

Three things are kept between builds:

- ``entries``: for each content key (a hash of the file's bytes and of the
  settings that change how it is read), the parsed ``Article`` and its
  ``Rendered`` summary data, pickled, and the body HTML separately, so a
  rebuild loads bodies only for the pages it actually renders;
- ``files``: each source file's size and modification time with its content
  key, so an unchanged file is not even read again;
- nothing else: entries not used by a build are deleted when it commits.

Forked worker processes open their own read-only connection.
"""

from __future__ import annotations

import os
import pickle
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from broadsheet.incremental.pickling import dumps

SCHEMA = 2
BIG_WRITE = 500  # entries


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
        row = self._db.execute("SELECT html FROM entries WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(f"body HTML for {key} is missing from the build cache")
        return row[0]


class BuildCache:
    """A build's view of the cache file (or an in-memory cache when ``path`` is None)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.source = HtmlSource(path)
        self._meta: dict[str, bytes] = {}
        self._meta_loaded = path is None
        self._files: dict[str, tuple[int, int, str]] | None = None  # read on first use (``_known_files``)
        self._used: set[str] = set()
        self._new: dict[str, tuple[bytes, str]] = {}
        self._seen_files: dict[str, tuple[int, int, str]] = {}
        self._db: sqlite3.Connection | None = None
        self._pid = -1  # the process that opened the file
        self._inherited: sqlite3.Connection | None = None

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
            path.unlink(missing_ok=True)
            self._db = self._connect(path)

    def _known_files(self) -> dict[str, tuple[int, int, str]]:
        """Every source's last seen (mtime, size, content key), read when first needed."""
        self._open()
        if self._files is None:
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
            self._meta = {**dict(self._db.execute("SELECT key, meta FROM entries")), **self._meta}

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path)
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA:
            db.executescript(
                "DROP TABLE IF EXISTS entries; DROP TABLE IF EXISTS files;"
                "CREATE TABLE entries (key TEXT PRIMARY KEY, meta BLOB NOT NULL, html TEXT NOT NULL);"
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
            row = self._db.execute("SELECT meta FROM entries WHERE key = ?", (key,)).fetchone()
            meta = row[0] if row else None
        if meta is None:
            return None
        self._used.add(key)
        article, rendered = pickle.loads(meta)
        return article, rendered.with_html(LazyHtml(self.source, key))

    def put(self, key: str, article: Any, rendered: Any) -> None:
        self._open()
        html = str(rendered.html)
        meta = dumps((article, rendered.with_html("")))
        self._meta[key] = meta
        self._new[key] = (meta, html)
        self._used.add(key)
        self.source.pending[key] = html

    def save(self, collect: bool = True) -> None:
        """Write new entries and file stats; ``collect`` also forgets the entries and files this build did not use.

        A build that looked at only some sources (a delta build) saves without collecting.
        """
        if collect:
            self.load_all()
        else:
            self._open()
        db = self._db
        if db is None:
            return  # in memory: bodies stay in ``pending``
        with db:
            if self._new:
                db.executemany(
                    "INSERT OR REPLACE INTO entries (key, meta, html) VALUES (?, ?, ?)",
                    [(k, m, h) for k, (m, h) in self._new.items()],
                )
            if collect:
                stale = set(self._meta) - self._used
                if stale:
                    db.executemany("DELETE FROM entries WHERE key = ?", [(k,) for k in stale])
                    for key in stale:
                        del self._meta[key]
                gone = self._known_files().keys() - self._seen_files.keys()
                if gone:
                    db.executemany("DELETE FROM files WHERE path = ?", [(p,) for p in gone])
            known = self._files or {}  # a delta build need not read them: it writes the few it saw
            changed = [(p, *v) for p, v in self._seen_files.items() if known.get(p) != v]
            if changed:
                db.executemany("INSERT OR REPLACE INTO files (path, mtime, size, key) VALUES (?, ?, ?, ?)", changed)
        if len(self._new) > BIG_WRITE:
            # Fold a large write into the database file now, while nothing reads it, and empty
            # the log: left to itself SQLite keeps a 100 MB log that later small commits pay for.
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        if collect:
            self._files, self._seen_files = self._seen_files, {}
            self._used = set()
        else:
            if self._files is not None:
                self._files.update(self._seen_files)
            self._seen_files = {}
        self._new.clear()
        self.source.pending.clear()
