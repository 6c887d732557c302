"""Run a task over chunks of items, in a pool of forked processes when it pays.

The Markdown and render stages each do the same work for thousands of
items. A task is an object holding everything its work needs (the sources,
the renderer, the output) with a ``run(indices)`` method. Workers are forked
with the task already in memory, so nothing of it is pickled: only the
indices go to a worker, and only each chunk's results come back.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator
from typing import Protocol, TypeVar

from broadsheet.incremental.forking import die_with_parent

# Below this many items a process pool costs more than it saves.
POOL_THRESHOLD = 200
CHUNK = 64

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
Progress = Callable[[str, int, int], None]


class Task(Protocol[T_co]):
    def run(self, indices: range) -> list[T_co]:
        """The results for these items, in order."""
        ...


# In a worker process only: the task it was forked with (set by the pool's initializer).
_adopted: Task[object] | None = None


def _adopt(task: Task[object], parent: int) -> None:
    global _adopted
    die_with_parent(parent)
    _adopted = task


def _run_adopted(indices: range) -> list[object]:
    assert _adopted is not None
    return _adopted.run(indices)


def _chunks(count: int) -> Iterator[range]:
    for start in range(0, count, CHUNK):
        yield range(start, min(start + CHUNK, count))


class Workers:
    """Runs tasks for one build: ``jobs`` processes, reporting each finished chunk to ``progress``."""

    def __init__(self, jobs: int, progress: Progress | None = None) -> None:
        self.jobs = jobs
        self.progress = progress

    def forks(self, count: int) -> bool:
        """Whether ``map`` over ``count`` items runs in a process pool (else in this process)."""
        return count >= POOL_THRESHOLD and self.jobs > 1

    def map(self, stage: str, task: Task[T], count: int) -> list[T]:
        """``task.run`` over chunks of ``range(count)``, in a process pool when it pays; its lists joined."""
        out: list[list[T]] = []
        progress = self.progress
        if not self.forks(count):
            for chunk in _chunks(count):
                out.append(task.run(chunk))
                if progress:
                    progress(stage, chunk.stop, count)
        else:
            import multiprocessing  # loaded only by builds big enough for a pool
            from concurrent.futures import ProcessPoolExecutor

            context = multiprocessing.get_context("fork")
            # Workers inherit the whole site; frozen, the cycle collector in each worker does not
            # walk it again and again (touching every object also copies its memory page).
            gc.freeze()
            try:
                # With the fork start method the initializer's arguments are inherited, not pickled.
                with ProcessPoolExecutor(self.jobs, mp_context=context, initializer=_adopt, initargs=(task, os.getpid())) as pool:
                    for chunk, result in zip(_chunks(count), pool.map(_run_adopted, _chunks(count)), strict=True):
                        out.append(result)  # type: ignore[arg-type]
                        if progress:
                            progress(stage, chunk.stop, count)
            finally:
                gc.unfreeze()
        return [item for part in out for item in part]
