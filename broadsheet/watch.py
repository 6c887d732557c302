"""An event-driven file watcher for livereload's server, built on watchfiles.

livereload's own ``Watcher`` polls the disk every 0.8 s. ``WatchfilesWatcher``
keeps its interface (``watch``, ``start``, ``examine``, ``filepath``) but waits
on the operating system's change notifications instead, so a save reaches the
browser within a few tens of milliseconds.

Directories are watched recursively. A file, or a path that does not exist
yet, is watched through its parent folder (not recursively), so editors that
save by renaming a new file over the old one are still seen.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import os
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from livereload.watcher import Watcher
from watchfiles import Change, DefaultFilter, awatch

logger = logging.getLogger("livereload")

# How long the folder must stay quiet before a batch of changes is handed over.
QUIET_MS = 30


class WatchfilesWatcher(Watcher):
    """A livereload watcher that is told about changes instead of polling for them.

    Tasks are registered with ``watch(path, func)``; when files under ``path``
    change, ``func`` is called once per batch with the changed paths (or with
    no argument if it takes none). ``ignore_paths`` (e.g. the output folder)
    never trigger anything.
    """

    def __init__(self, ignore_paths: Iterable[Path] = (), quiet_ms: int = QUIET_MS) -> None:
        super().__init__()
        self._filter = DefaultFilter(ignore_paths=[str(p.resolve()) for p in ignore_paths])
        self._quiet_ms = quiet_ms
        self._pending: set[str] = set()
        self._stop = threading.Event()
        self._jobs: list[asyncio.Task[None]] = []

    # -- livereload's watcher interface ------------------------------------------

    def start(self, callback: Callable[[], Any]) -> bool:
        """Start watching on the running event loop; ``callback`` runs after each batch.

        Returns True, which tells livereload not to poll.
        """
        loop = asyncio.get_running_loop()
        for recursive, roots in self._roots().items():
            if roots:
                self._jobs.append(loop.create_task(self._run(sorted(roots), recursive, callback)))
        return True

    def examine(self) -> tuple[str | None, float | None]:
        """Run the tasks hit by the changes seen since the last call.

        Returns ``(path, None)``: the changed file (relative to the working
        folder when inside it), ``"*"`` for several, or ``None`` when nothing
        changed. livereload sends that path to the browsers, which restyle the
        page in place when it is a stylesheet and reload it otherwise.
        """
        if self._changes:
            return self._changes.pop()
        changed, self._pending = sorted(self._pending), set()
        if not changed:
            return None, None
        calls: dict[Callable[..., Any], list[str]] = {}
        for path in changed:
            for root, task in self._tasks.items():
                func, ignore = task["func"], task["ignore"]
                if func and _covers(root, path) and not (ignore and ignore(path)):
                    calls.setdefault(func, []).append(path)
        for func, paths in calls.items():
            if inspect.signature(func).parameters:
                func(paths)
            else:
                func()
        self.filepath = _shown(changed[0]) if len(changed) == 1 else "*"
        return self.filepath, None

    # -- watchfiles --------------------------------------------------------------

    async def ready(self) -> None:
        """Return once every watch is in place (changes from then on are seen).

        ``awatch`` sets up its notifier in the first step of its task, before
        it first waits, so letting the started tasks run once is enough.
        """
        await asyncio.sleep(0)

    def stop(self) -> None:
        """Stop watching; the watch threads notice within ``quiet_ms``."""
        self._stop.set()

    async def wait_stopped(self) -> None:
        await asyncio.gather(*self._jobs, return_exceptions=True)

    def _roots(self) -> dict[bool, set[str]]:
        """Folders to watch: recursive ones (watched folders) and flat ones (parents of files)."""
        roots: dict[bool, set[str]] = {True: set(), False: set()}
        for task_path in self._tasks:
            path = Path(task_path).resolve()
            if path.is_dir():
                roots[True].add(str(path))
            elif path.parent.is_dir():
                roots[False].add(str(path.parent))
        return roots

    def _wanted(self, change: Change, path: str) -> bool:
        return self._filter(change, path) and any(_covers(root, path) for root in self._tasks)

    async def _run(self, roots: Sequence[str], recursive: bool, callback: Callable[[], Any]) -> None:
        async for changes in awatch(
            *roots, watch_filter=self._wanted, step=self._quiet_ms, stop_event=self._stop, recursive=recursive
        ):
            self._pending.update(path for _change, path in changes)
            try:
                callback()
            except Exception:
                logger.exception("error while handling changed files")


def _covers(root: str, path: str) -> bool:
    """Whether ``path`` is the watched path ``root`` or inside it."""
    base = os.path.realpath(root)
    return path == base or path.startswith(base + os.sep)


def _shown(path: str) -> str:
    """``path`` relative to the working folder if it is inside it, else as it is."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative
