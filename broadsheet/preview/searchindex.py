"""The preview's search index, brought up to date in a thread after each build.

Indexing takes seconds on a large site, so the preview does not index inside
its builds: a save reaches the open tab first, and the index follows. After
each successful build ``refresh()`` asks for a pass; a pass waits a moment
(saves in quick succession make one pass), indexes the preview folder as its
manifest lists it, and swaps the new index in whole. A build that finishes
while a pass runs asks for another, so the index always ends up matching
the last build. Only the preview writes its folder (``serve`` holds the
preview's lock for as long as it runs), and builds never touch the index's
folder, so a pass needs no other lock.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path

from broadsheet.errors import BuildFailed, SiteError
from broadsheet.outputs.output import Output

logger = logging.getLogger("broadsheet")

# Quiet time before a pass starts: the tab's reload is served first, and a burst of saves makes one pass.
SETTLE_SECONDS = 0.3

# How much lower the indexing thread (and Pagefind) runs than the server: a save's rebuild goes first.
NICENESS = 10

# Told each pass's outcome: (pages indexed, []) or (None, errors).
IndexListener = Callable[[int | None, list[SiteError]], None]


class BackgroundIndex:
    """Keeps ``root``'s Pagefind index (``root/pagefind/``) up to date with what the builds leave there."""

    def __init__(self, root: Path, listener: IndexListener, settle: float = SETTLE_SECONDS) -> None:
        self.root = root
        self.listener = listener
        self.settle = settle
        self._guard = threading.Lock()
        self._wanted = False
        self._closed = threading.Event()
        self._thread: threading.Thread | None = None

    def refresh(self) -> None:
        """Ask for a pass (after the build that just finished); returns at once."""
        with self._guard:
            if self._closed.is_set():
                return
            self._wanted = True
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="preview-search", daemon=True)
                self._thread.start()

    def close(self, timeout: float = 30.0) -> None:
        """Start no further pass and wait for the running one (at most ``timeout`` seconds)."""
        self._closed.set()
        with self._guard:
            thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _run(self) -> None:
        _lower_priority()
        while True:
            if self._closed.wait(self.settle):
                break
            with self._guard:
                if not self._wanted:
                    self._thread = None
                    return
                self._wanted = False
            try:
                pages = index_once(self.root)
            except BuildFailed as failed:
                self.listener(None, failed.errors)
            except Exception as exc:
                logger.exception("internal error while indexing the preview for search")
                self.listener(None, [SiteError("search", f"internal error: {type(exc).__name__}: {exc}")])
            else:
                self.listener(pages, [])
        with self._guard:
            self._thread = None


def _lower_priority() -> None:
    """Run this thread, and the Pagefind process it starts, below the server and its builds.

    On Linux a nice value belongs to the thread, and a process started from it inherits it.
    """
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICENESS)


def index_once(root: Path) -> int:
    """Index the site in ``root`` as its manifest lists it and swap the index in; the pages indexed."""
    from broadsheet.outputs import search  # subprocess and Pagefind: only when the preview indexes

    binary = search.pagefind_executable()
    output = Output(root)
    index = search.index_site(output, output.read_manifest(), binary)
    search.install(index, root)
    return index.pages
