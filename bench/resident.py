"""Save to live with the deploy build resident (``python site.py build --watch``).

Starts the watch in a site already built, then, edit by edit, appends a
sentence to one story and times from just before the write until the watch
prints the line saying that build is done (the search index is finished
inside each build). The edit is then checked on the story's page and in the
search index, outside the timing. Also reports the resident process's memory
(PSS) after the edits: what the newsroom's publishing machine keeps in use.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from memory import tree_pss_kb

EDIT = "A line added while the deploy build was watching."


@dataclass(frozen=True)
class Watched:
    seconds: list[float]  # save to live, edit by edit
    resident_mb: float  # the resident process's PSS after the edits

    @property
    def median(self) -> float:
        """The median save (the upper one of an even count, as ``bench.median``)."""
        return sorted(self.seconds)[len(self.seconds) // 2]


def save_to_live(
    site: Path, repo: Path, flags: tuple[str, ...], edits: list[Path], env: dict[str, str],
    indexed: Callable[[Path, str, str], bool],
) -> Watched:
    command = [sys.executable, str(repo / "site.py"), "build", "--watch", "--templates", "templates", *flags]
    process = subprocess.Popen(
        command, cwd=site, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**env, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    try:
        _line(process, re.compile(r"^watching for changes"))
        seconds: list[float] = []
        for n, edited in enumerate(edits):
            time.sleep(1.0)  # the watch idle, as between two saves
            done = re.compile(rf"^(built|build failed).*\({re.escape(os.path.relpath(edited, site))} changed\)")
            start = time.perf_counter()
            with edited.open("a", encoding="utf-8") as handle:
                handle.write(f"\n{EDIT} ({n})\n")
            line = _line(process, done)
            seconds.append(time.perf_counter() - start)
            if line.startswith("build failed"):
                sys.exit(f"the watch failed to build {edited.name}")
            pages = list((site / "output").rglob(f"{edited.stem}/index.html"))
            if not (pages and f"{EDIT} ({n})" in pages[0].read_text(encoding="utf-8")):
                sys.exit(f"the edit to {edited.name} is not in the output (watch)")
            if "--no-search" not in flags and not indexed(site / "output", edited.stem, f"{EDIT} ({n})"):
                sys.exit(f"the edit to {edited.name} is not in the search index (watch)")
        resident = tree_pss_kb(process.pid) / 1024
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
    return Watched(seconds, resident)


def _line(process: subprocess.Popen[str], pattern: re.Pattern[str]) -> str:
    """The next line of the watch's output matching ``pattern`` (exits if the watch ends first)."""
    assert process.stdout is not None
    for line in process.stdout:
        if pattern.search(line):
            return line
    sys.exit(f"the watch ended ({process.wait()}) before printing a line matching {pattern.pattern!r}")
