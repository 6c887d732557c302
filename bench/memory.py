"""Peak memory of a command and all its descendant processes, sampled from /proc.

Resident set size double-counts the pages that forked workers share with
their parent, so the total is the sum of each process's *proportional* set
size (PSS, from ``/proc/PID/smaps_rollup``), sampled every ``interval``
seconds (less often while one sample is slow); the peak of those sums is reported. The same sampler measures every
generator, single- or multi-process.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float
    returncode: int
    stderr: str


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(entry.name))
    return tree


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_pss_kb(root: int) -> int:
    tree = _children()
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += _pss_kb(pid)
        todo.extend(tree.get(pid, ()))
    return total


SAMPLING_SHARE = 0.05  # of one core, at most, for sampling memory


def measure(command: Sequence[str], cwd: Path, interval: float = 0.05, env: dict[str, str] | None = None) -> Run:
    """Run ``command`` to completion; return wall time and peak total PSS."""
    peak = 0
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    done = threading.Event()

    def sample() -> None:
        # Reading a process's PSS walks its page tables: tens of milliseconds for a build of gigabytes,
        # which at a fixed interval would take a core from the build it measures. So the pause after a
        # sample is at least ``SAMPLING_SHARE``'s inverse times what the sample took.
        nonlocal peak
        while not done.is_set():
            began = time.perf_counter()
            peak = max(peak, tree_pss_kb(process.pid))
            done.wait(max(interval, (time.perf_counter() - began) / SAMPLING_SHARE))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    return Run(seconds, peak / 1024, process.returncode, stderr)
