"""An event-driven file watcher for livereload's server, built on watchfiles.

livereload's own ``Watcher`` polls the disk every 0.8 s. ``WatchfilesWatcher``
keeps its interface (``watch``, ``start``, ``examine``, ``filepath``) but waits
on the operating system's change notifications instead, so a save reaches the
browser within a few tens of milliseconds.

Two watches run side by side: the watched folders that exist, recursively,
and the folders holding every watched path, flat. The flat one sees files
that editors save by renaming a new file over the old one, and watched
folders appearing or disappearing; the recursive one then starts again on
the new set of folders.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import os
import signal
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from livereload.watcher import Watcher
from watchfiles import Change, DefaultFilter, awatch

logger = logging.getLogger("livereload")

# How long the folders must stay quiet before a batch of changes is handed over: longer than the
# writes of one save (editors write a file in one go, or write a new one and rename it over),
# short beside the rebuild it sets off.
QUIET_MS = 15


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
        self._folders: list[str] = []
        self._stop = asyncio.Event()
        self._regroup = asyncio.Event()
        self._jobs: list[asyncio.Task[None]] = []

    # -- livereload's watcher interface ------------------------------------------

    def start(self, callback: Callable[[], Any]) -> bool:
        """Start watching on the running event loop; ``callback`` runs after each batch.

        Returns True, which tells livereload not to poll.
        """
        loop = asyncio.get_running_loop()
        self._jobs = [loop.create_task(self._watch_parents(callback)), loop.create_task(self._watch_folders(callback))]
        for job in self._jobs:
            job.add_done_callback(_report_failure)
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

    async def until_signalled(self, ready: Callable[[], None]) -> int:
        """Once every watch is in place, call ``ready``; watch until SIGINT or SIGTERM, then stop watching.
        Returns the signal's number."""
        await self.ready()
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        stopped_by: list[int] = []
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, lambda signum=signum: (stopped_by.append(signum), stop.set()))
        ready()
        await stop.wait()
        self.stop()
        await self.wait_stopped()
        return stopped_by[0]

    def stop(self) -> None:
        """Stop watching; the watch threads notice within ``quiet_ms``."""
        self._stop.set()
        self._regroup.set()

    async def wait_stopped(self) -> None:
        await asyncio.gather(*self._jobs, return_exceptions=True)

    def _existing_folders(self) -> list[str]:
        return sorted({str(Path(p).resolve()) for p in self._tasks if Path(p).is_dir()})

    async def _watch_parents(self, callback: Callable[[], Any]) -> None:
        parents = sorted({str(Path(p).resolve().parent) for p in self._tasks if Path(p).resolve().parent.is_dir()})
        await self._watch(parents, False, self._stop, callback)

    async def _watch_folders(self, callback: Callable[[], Any]) -> None:
        self._folders = self._existing_folders()
        while not self._stop.is_set():
            self._regroup.clear()
            if self._folders:
                await self._watch(self._folders, True, self._regroup, callback)
            else:
                await self._regroup.wait()
            before, self._folders = set(self._folders), self._existing_folders()
            if set(self._folders) != before and not self._stop.is_set():
                # The watch was down while it started again on the new set of folders, and a save
                # made then was not seen: report every watched folder as changed, so that the next
                # build looks at everything in them (a builder lists and stats all its sources).
                self._pending.update(self._folders)
                asyncio.get_running_loop().call_soon(callback)

    async def _watch(self, roots: list[str], recursive: bool, stop: asyncio.Event, callback: Callable[[], Any]) -> None:
        async for changes in awatch(*roots, watch_filter=self._wanted, step=self._quiet_ms, stop_event=stop, recursive=recursive):
            self._pending.update(path for _change, path in changes)
            if self._existing_folders() != self._folders:
                self._regroup.set()
            try:
                callback()
            except Exception:
                logger.exception("error while handling changed files")

    def _wanted(self, change: Change, path: str) -> bool:
        return self._filter(change, path) and any(_covers(root, path) for root in self._tasks)


def _report_failure(job: asyncio.Task[None]) -> None:
    if not job.cancelled() and job.exception() is not None:
        logger.error("watching for changes stopped: %s", job.exception())


def _covers(root: str, path: str) -> bool:
    """Whether ``path`` is the watched path ``root`` or inside it."""
    base = os.path.realpath(root)
    return path == base or path.startswith(base + os.sep)


def _shown(path: str) -> str:
    """``path`` relative to the working folder if it is inside it, else as it is."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative
