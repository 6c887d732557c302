"""One build of a site at a time: an exclusive ``flock`` on a file in the site's cache folder.

Two builds of one site at once (two terminals, a build while the preview
rebuilds) would stage, commit and snapshot over each other, leaving pages
stale. Every build holds the site's lock while it runs; a second one waits a
short while for it and then gives up with ``SiteBusy``, naming the holder's
process id, which the holder writes into the lock file.

The kernel drops a ``flock`` when its holder dies, however it dies, so a
killed build never leaves the site locked. The lock is released explicitly
(``LOCK_UN``), so processes forked during the build (the worker pool) do not
keep holding it through the descriptor they inherited.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from broadsheet.errors import SiteBusy

LOCK_FILE = "build.lock"
# How long a build waits for another one to finish before giving up.
WAIT_SECONDS = 10.0
_POLL = 0.05


@contextlib.contextmanager
def holding(path: Path | None, wait: float = WAIT_SECONDS, what: str = "build") -> Iterator[None]:
    """Hold the lock ``path`` for the block; ``SiteBusy`` if another process holds it for longer than ``wait``.

    ``None`` locks nothing (a build without a cache folder). A lock file that cannot be
    created (a read-only cache folder) locks nothing either: such a build writes no state.
    """
    if path is None:
        yield
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError:
        yield
        return
    try:
        _acquire(fd, wait, what)
        try:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
                os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _acquire(fd: int, wait: float, what: str) -> None:
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise SiteBusy(f"another {what} of this site is running{_holder(fd)}") from None
            time.sleep(_POLL)


def _holder(fd: int) -> str:
    """`` (pid N)`` as the holder wrote it in the lock file, or nothing if it is unreadable."""
    try:
        text = os.pread(fd, 32, 0).decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return f" (pid {text})" if text.isdigit() else ""
