"""Run a function in a forked child while the parent goes on with other work.

A build from the command line spends a tenth of a second or more on each of
several independent steps (comparing every source with the last build's
stamp, loading the snapshot's site model, pickling a new one). On a machine
with two or more cores a forked child can do one of them while the process
does another. Forking is safe only in a process without other threads, so
elsewhere (the preview server) the function simply runs in-process when its
result is asked for; a child that fails is treated the same way, so the caller
sees the function's own result or exception either way.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """In a forked child: be killed when ``parent`` dies, however it dies (``kill -9`` included).

    On Linux the kernel does it (``prctl(PR_SET_PDEATHSIG, SIGKILL)``); if the
    parent died before that was set, the child leaves at once. Without it, a
    killed build would leave workers running, holding the cache and the
    caller's stdout (``build | tee`` would never end).
    """
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def can_fork() -> bool:
    return hasattr(os, "fork") and threading.active_count() == 1


class Forked(Generic[T]):
    """``func()`` started in a forked child where that is safe; ``result()`` waits for it.

    ``fork=False`` runs it in-process instead, for a caller with nothing to do
    meanwhile. Use it as a context manager: leaving the block without asking
    for the result stops the child.
    """

    def __init__(self, func: Callable[[], T], fork: bool = True) -> None:
        self._func = func
        self._pid: int | None = None
        self._pipe = -1
        if not (fork and can_fork()):
            return
        read, write = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the child: run, send the pickled result, leave without the parent's clean-up
            code = 1
            try:
                die_with_parent(parent)
                os.close(read)
                data = pickle.dumps(func(), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write, "wb") as out:
                    out.write(data)
                code = 0
            finally:
                os._exit(code)
        os.close(write)
        self._pid, self._pipe = pid, read

    @property
    def forked(self) -> bool:
        """Whether a child is running the function (else ``result()`` will run it here)."""
        return self._pid is not None

    def result(self) -> T:
        """The function's result: the child's, or, without a child or if it failed, computed here."""
        if self._pid is None:
            return self._func()
        with os.fdopen(self._pipe, "rb") as pipe:
            data = pipe.read()
        pid, self._pid = self._pid, None
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) == 0:
            with contextlib.suppress(Exception):
                return pickle.loads(data)  # type: ignore[no-any-return]
        return self._func()

    def __enter__(self) -> Forked[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pid is not None:
            os.close(self._pipe)
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
            self._pid = None
