"""Output stage: stage changed files, then commit them atomically and remove stale ones.

Nothing in the output folder changes until every page has rendered. Each file
is replaced with ``os.replace`` (atomic on POSIX), only when its bytes changed,
and files the previous build wrote but this one did not plan are removed.
Files Broadsheet never wrote are left alone only if it never wrote there
before: an existing, non-empty folder without our manifest is refused.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import BuildFailed, SiteError

MANIFEST = ".broadsheet-manifest.json"


@dataclass(frozen=True, slots=True)
class CommitReport:
    written: int
    unchanged: int
    removed: int


def check_output_dir(output: Path, protected: Iterable[Path]) -> None:
    """Refuse an output folder that is, or contains, the site's own sources."""
    out = output.resolve()
    for folder in protected:
        inner = folder.resolve()
        if out == inner or inner.is_relative_to(out):
            raise BuildFailed([SiteError(str(output), f"output folder must not be {folder} or contain it")])
    if out.exists() and not out.is_dir():
        raise BuildFailed([SiteError(str(output), "output path exists and is not a folder")])
    if out.is_dir() and any(out.iterdir()) and not (out / MANIFEST).exists():
        raise BuildFailed([
            SiteError(str(output), "folder is not empty and was not written by Broadsheet; empty it or choose another --output")
        ])


class Output:
    """Writes one build into ``root`` through a staging folder beside it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.staging = root.parent / f".{root.name}.staging"

    def start(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
        self.staging.mkdir(parents=True)

    def stage(self, rel: str, data: bytes) -> bool:
        """Stage ``data`` for ``rel`` unless the output already holds exactly it."""
        target = self.root / rel
        try:
            if target.stat().st_size == len(data) and target.read_bytes() == data:
                return False
        except OSError:
            pass
        staged = self.staging / rel
        staged.parent.mkdir(parents=True, exist_ok=True)
        staged.write_bytes(data)
        return True

    def stage_copy(self, rel: str, source: Path) -> bool:
        """Stage a copy of ``source`` unless the output already holds the same file."""
        target = self.root / rel
        try:
            a, b = source.stat(), target.stat()
            if a.st_size == b.st_size and a.st_mtime_ns == b.st_mtime_ns:
                return False
        except OSError:
            pass
        staged = self.staging / rel
        staged.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, staged)
        return True

    def abort(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

    def commit(self, planned: set[str]) -> CommitReport:
        """Move staged files into place and remove files this build did not plan."""
        self.root.mkdir(parents=True, exist_ok=True)
        written = 0
        for folder, _dirs, files in os.walk(self.staging):
            for name in files:
                staged = Path(folder, name)
                rel = staged.relative_to(self.staging)
                target = self.root / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staged, target)
                written += 1
        removed = self._remove_stale(planned)
        self._write_manifest(json.dumps(sorted(planned), ensure_ascii=False, indent=0).encode("utf-8"))
        shutil.rmtree(self.staging, ignore_errors=True)
        return CommitReport(written=written, unchanged=len(planned) - written, removed=removed)

    def _write_manifest(self, data: bytes) -> None:
        """Replace the manifest atomically, and only when the list of files changed."""
        manifest = self.root / MANIFEST
        try:
            if manifest.read_bytes() == data:
                return
        except OSError:
            pass
        tmp = manifest.with_suffix(".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, manifest)

    def _remove_stale(self, planned: set[str]) -> int:
        removed = 0
        for folder, _dirs, files in os.walk(self.root, topdown=False):
            base = Path(folder)
            for name in files:
                rel = (base / name).relative_to(self.root).as_posix()
                if rel != MANIFEST and rel not in planned:
                    (base / name).unlink()
                    removed += 1
            if base != self.root and not any(base.iterdir()):
                base.rmdir()
        return removed
