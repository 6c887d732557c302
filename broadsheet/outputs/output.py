"""Output stage: stage changed files, then commit them atomically and remove stale ones.

Nothing in the output folder changes until every page has rendered. Each file
is replaced with ``os.replace`` (atomic on POSIX), only when its bytes changed,
and files the previous build wrote but this one did not plan are removed.
Files Broadsheet never wrote are left alone only if it never wrote there
before: an existing, non-empty folder without our manifest is refused.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from broadsheet.errors import BuildFailed, SiteError

MANIFEST = ".broadsheet-manifest.json"


def build_info_path(output: Path, cache_dir: Path) -> Path:
    """Where a build records how it made ``output`` (its base URL): in the cache folder, so it is never deployed."""
    return cache_dir / "builds" / f"{_digest(str(output.resolve()).encode('utf-8'))}.json"


def write_build_info(output: Path, cache_dir: Path, info: dict[str, str]) -> None:
    path = build_info_path(output, cache_dir)
    data = json.dumps(info, sort_keys=True).encode("utf-8")
    with contextlib.suppress(OSError):
        if path.read_bytes() == data:
            return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def read_build_info(output: Path, cache_dir: Path | None) -> dict[str, str]:
    """What ``write_build_info`` recorded for ``output``; empty if nothing (or nothing readable) was."""
    if cache_dir is None:
        return {}
    try:
        data = json.loads(build_info_path(output, cache_dir).read_bytes())
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in data.items() if isinstance(v, str)} if isinstance(data, dict) else {}


@dataclass(frozen=True, slots=True)
class CommitReport:
    written: int
    unchanged: int
    removed: int
    manifest: str  # digest of the manifest now in the output (``Output.manifest``)


def manifest_bytes(planned: dict[str, str]) -> bytes:
    """The manifest file: one sorted entry a line, so that equal manifests are equal bytes."""
    return json.dumps(planned, ensure_ascii=False, sort_keys=True, separators=(",\n", ": ")).encode("utf-8")


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


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
        self._empty = False  # no previous output to compare with
        self._folders: set[str] = set()  # staging folders made so far (by this process)

    def start(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
        self.staging.mkdir(parents=True)
        self._empty = not self.root.exists()
        self._folders = {str(self.staging)}

    def stage(self, rel: str, data: bytes) -> bool:
        """Stage ``data`` for ``rel`` unless the output already holds exactly it."""
        if not self._empty and self._holds(rel, data):
            return False
        # Plain strings: a cold build stages every page, and Path objects cost a fifth of the time.
        staged = os.path.join(self.staging, rel)
        folder = os.path.dirname(staged)
        if folder not in self._folders:
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        with open(staged, "wb") as file:
            file.write(data)
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

    def read_manifest(self) -> dict[str, str]:
        """Page keys of the files the previous build wrote here (empty if unknown)."""
        return self.manifest()[0]

    def manifest(self) -> tuple[dict[str, str], str]:
        """``read_manifest()`` and a digest of the file (``CommitReport.manifest`` of the build that wrote it)."""
        try:
            raw = (self.root / MANIFEST).read_bytes()
            data = json.loads(raw)
        except (OSError, ValueError):
            return {}, ""
        return (data, _digest(raw)) if isinstance(data, dict) else ({}, "")

    def commit(self, planned: dict[str, str], previous: dict[str, str]) -> CommitReport:
        """Move staged files into place and remove files the previous build wrote but this one did not.

        ``planned`` maps every output file of this build to its page key;
        ``previous`` is the manifest the last build left (``read_manifest``).
        """
        if not self.root.exists() or (self.root.is_dir() and not any(self.root.iterdir())):
            return self._commit_whole(planned)
        written = 0
        for folder, _dirs, files in os.walk(self.staging):
            for name in files:
                staged = Path(folder, name)
                target = self.root / staged.relative_to(self.staging)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staged, target)
                written += 1
        removed = self._remove_stale(set(previous) - set(planned))
        data = manifest_bytes(planned)
        if planned != previous or not self._holds(MANIFEST, data):
            self._write_manifest(self.root, data)
        shutil.rmtree(self.staging, ignore_errors=True)
        return CommitReport(written=written, unchanged=len(planned) - written, removed=removed, manifest=_digest(data))

    def _commit_whole(self, planned: dict[str, str]) -> CommitReport:
        """No previous output: the staging folder becomes the output folder in one rename."""
        data = manifest_bytes(planned)
        self._write_manifest(self.staging, data)
        with contextlib.suppress(FileNotFoundError):
            self.root.rmdir()  # an empty folder someone made for us
        self.root.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self.staging, self.root)
        return CommitReport(written=len(planned), unchanged=0, removed=0, manifest=_digest(data))

    def _holds(self, rel: str, data: bytes) -> bool:
        """Whether the output's file ``rel`` holds exactly ``data``."""
        target = self.root / rel
        try:
            return target.stat().st_size == len(data) and target.read_bytes() == data
        except OSError:
            return False

    @staticmethod
    def _write_manifest(folder: Path, data: bytes) -> None:
        manifest = folder / MANIFEST
        tmp = manifest.with_suffix(".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, manifest)

    def _remove_stale(self, stale: set[str]) -> int:
        removed = 0
        folders: set[Path] = set()
        for rel in stale:
            path = self.root / rel
            try:
                path.unlink()
                removed += 1
            except FileNotFoundError:
                pass
            folders.update(p for p in path.parents if p != self.root and p.is_relative_to(self.root))
        for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
            with contextlib.suppress(OSError):  # not empty
                folder.rmdir()
        return removed
