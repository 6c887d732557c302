"""Output stage: stage changed files, then commit them through a journal and remove stale ones.

Nothing in the output folder changes until every page has rendered. Each file
is replaced with ``os.replace`` (atomic on POSIX), only when its bytes changed,
and files the previous build wrote but this one did not plan are removed.

The manifest (each output file and its page key, ``manifest.py``) is build
state, never deployed: it lives in the cache folder, keyed by the output
folder's path, with a format line and a checksum. When it is missing, damaged or names a
path outside the output folder, the previous files are the output folder's
real content. Nothing is written or removed outside the output folder: every
path is checked as text and against symbolic links.

The commit is journaled (``Commit``): once every file is staged, a journal
naming what the commit does is written into the staging folder, then the
files move. A commit interrupted at any point is finished by the next build
before it reads anything (``recover``), so each build starts from the old
output or the new one, never a mix.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from broadsheet.errors import BuildFailed, SiteError
from broadsheet.outputs.manifest import (
    LEGACY_MANIFEST,
    digest,
    manifest_bytes,
    read_manifest,
    safe_relative,
    save_manifest,
    write_atomic,
)

JOURNAL = ".broadsheet-commit.json"
# Folders of the output that other stages own and the output stage neither plans nor removes.
OWNED_ELSEWHERE = frozenset({"pagefind"})
# What a build writes at the top of the output folder; other files there (CNAME) are the host's.
_PAGE_SUFFIXES = (".html", ".xml", ".json", ".txt")


@dataclass(frozen=True, slots=True)
class CommitReport:
    written: int
    unchanged: int
    removed: int
    manifest: str  # digest of the manifest now recorded (``Output.manifest``)


def check_output_dir(output: Path, protected: Iterable[Path], manifest: Path | None = None) -> None:
    """Refuse an output folder that is, or contains, the site's own sources, or that Broadsheet did not write."""
    out = output.resolve()
    for folder in protected:
        inner = folder.resolve()
        if out == inner or inner.is_relative_to(out):
            raise BuildFailed([SiteError(str(output), f"output folder must not be {folder} or contain it")])
    if out.exists() and not out.is_dir():
        raise BuildFailed([SiteError(str(output), "output path exists and is not a folder")])
    if out.is_dir() and any(out.iterdir()) and not _ours(out, manifest):
        raise BuildFailed([
            SiteError(str(output), "folder is not empty and was not written by Broadsheet; empty it or choose another --output")
        ])


def _ours(out: Path, manifest: Path | None) -> bool:
    """Whether Broadsheet wrote ``out``: the cache has its manifest, it holds an old-style one, or its feed says so."""
    if manifest is not None and manifest.is_file():
        return True
    if (out / LEGACY_MANIFEST).is_file():
        return True
    try:
        with open(out / "feed.xml", "rb") as feed:
            return b">Broadsheet</generator>" in feed.read(8192)
    except OSError:
        return False


def pause(stage: str) -> None:
    """Stop here if ``BROADSHEET_PAUSE_AT`` names ``stage``: tests kill the build at each stage of a commit."""
    if os.environ.get("BROADSHEET_PAUSE_AT") == stage:
        os.write(2, f"paused at {stage}\n".encode())
        while True:
            time.sleep(60)


class Output:
    """Writes one build into ``root`` through a staging folder beside it.

    ``manifest`` is where the list of files this output holds is kept (``manifest_path``).
    """

    def __init__(self, root: Path, manifest: Path | None = None) -> None:
        self.root = root
        self.manifest_file = manifest
        self.staging = root.parent / f".{root.name}.staging"
        self._real_root = os.path.realpath(root)
        self._empty = False  # no previous output to compare with
        self._folders: set[str] = set()  # staging folders made so far (by this process)
        self._resolved: dict[str, str] = {}  # output folders and where they really are (while staging)
        self._planned: dict[str, str] | None = None  # the entries of the manifest being committed

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
            a, b = source.stat(), target.lstat()
            if a.st_size == b.st_size and a.st_mtime_ns == b.st_mtime_ns and stat.S_ISREG(b.st_mode):
                return False
        except OSError:
            pass
        staged = self.staging / rel
        staged.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, staged)
        return True

    @property
    def committing(self) -> bool:
        """Whether a commit has begun (its journal is written): from then on it is finished, never undone."""
        return (self.staging / JOURNAL).exists()

    def abort(self) -> None:
        """Drop the staged files, unless the commit has begun: then the next build finishes it."""
        if not self.committing:
            shutil.rmtree(self.staging, ignore_errors=True)

    def read_manifest(self) -> dict[str, str]:
        """Page keys of the files the previous build wrote here (empty if unknown)."""
        return self.manifest()[0]

    def manifest(self) -> tuple[dict[str, str], str]:
        """``read_manifest()`` and a digest of the file (``CommitReport.manifest`` of the build that wrote it)."""
        return read_manifest(self.manifest_file)

    def commit(self, planned: dict[str, str], previous: dict[str, str], after: dict[str, str] | None = None) -> CommitReport:
        """Move staged files into place and remove files the previous build wrote but this one did not.

        ``planned`` maps every output file of this build to its page key;
        ``previous`` is the manifest the last build left (``read_manifest``),
        empty if unknown, in which case every file of the output folder this
        build did not plan is stale. ``after`` names steps another stage
        finishes with once the files are in place (the search index's swap);
        it is written into the journal so that an interrupted commit finishes
        them too (``recover`` returns them). The caller runs them, then ``finish``.
        """
        data = manifest_bytes(planned)
        if not previous and not (self.root.is_dir() and any(self.root.iterdir())):
            return self._commit_whole(planned, data)
        if not previous:
            stale = self._real_files() - set(planned)
        else:
            stale = {rel for rel in previous if rel not in planned and safe_relative(rel)}
        stale.add(LEGACY_MANIFEST)
        written = sum(len(files) for _dir, _dirs, files in os.walk(self.staging))
        journal = {
            "root": str(self.root), "manifest": str(self.manifest_file or ""), "data": data.decode("utf-8"),
            "stale": sorted(stale), "after": after or {},
        }
        pause("commit-journal")
        write_atomic(self.staging / JOURNAL, json.dumps(journal).encode("utf-8"))
        pause("commit-files")
        self._planned = planned
        removed = self._apply(journal)
        return CommitReport(written=written, unchanged=len(planned) - written, removed=removed, manifest=digest(data))

    def recover(self) -> dict[str, str] | None:
        """Finish a commit that was interrupted (its journal is in the staging folder); its ``after`` steps, or None."""
        try:
            journal = json.loads((self.staging / JOURNAL).read_bytes())
        except (OSError, ValueError):
            return None
        if not isinstance(journal, dict) or journal.get("root") != str(self.root):
            return None
        pause("recover")
        self._apply(journal)
        after = journal.get("after")
        return after if isinstance(after, dict) else {}

    def _apply(self, journal: dict[str, Any]) -> int:
        """Do what the journal says; safe to do again after an interruption at any point."""
        self._resolved = {}  # folders are made real as files move in: resolve them again
        os.makedirs(self.root, exist_ok=True)
        journal_file = os.path.join(self.staging, JOURNAL)
        moved = 0
        for folder, _dirs, files in os.walk(self.staging):
            for name in files:
                staged = os.path.join(folder, name)
                if staged == journal_file:
                    continue
                rel = os.path.relpath(staged, self.staging).replace(os.sep, "/")
                target = self._target(rel)
                if target is None:
                    continue
                os.replace(staged, target)
                moved += 1
                if moved == 2:
                    pause("commit-files-half")
        removed = self._remove_stale({rel for rel in journal.get("stale", ()) if safe_relative(rel)})
        pause("commit-manifest")
        if self.manifest_file is not None and journal.get("manifest") == str(self.manifest_file):
            save_manifest(self.manifest_file, str(journal.get("data", "")).encode("utf-8"), self._planned)
        return removed

    def finish(self) -> None:
        """The commit and its ``after`` steps are done: drop the journal, then the staging folder."""
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.staging / JOURNAL)
        shutil.rmtree(self.staging, ignore_errors=True)

    def _commit_whole(self, planned: dict[str, str], data: bytes) -> CommitReport:
        """No previous output: the staging folder becomes the output folder in one rename, then the manifest."""
        with contextlib.suppress(FileNotFoundError):
            self.root.rmdir()  # an empty folder someone made for us
        self.root.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self.staging, self.root)
        if self.manifest_file is not None:
            save_manifest(self.manifest_file, data, planned)
        return CommitReport(written=len(planned), unchanged=0, removed=0, manifest=digest(data))

    def _target(self, rel: str) -> str | None:
        """Where ``rel`` goes in the output folder, its parent folders made real (a symlinked folder is replaced)."""
        if not safe_relative(rel):
            return None
        parent = self._real_root
        for part in rel.split("/")[:-1]:
            parent = os.path.join(parent, part)
            if os.path.islink(parent):
                os.unlink(parent)  # a link inside the output folder: it goes, never what it points at
            if not os.path.isdir(parent):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(parent)  # a file where a folder is planned
                os.mkdir(parent)
        return os.path.join(parent, rel.rsplit("/", 1)[-1])

    def _inside(self, rel: str) -> str | None:
        """The real path of ``rel``'s folder if it lies in the output folder (symlinks resolved), else None."""
        if not safe_relative(rel):
            return None
        path = os.path.join(self._real_root, rel)
        parent = os.path.dirname(path)
        folder = self._resolved.get(parent)
        if folder is None:
            folder = self._resolved[parent] = os.path.realpath(parent)
        if folder != self._real_root and not folder.startswith(self._real_root + os.sep):
            return None
        return os.path.join(folder, os.path.basename(path))

    def _unlink_link_on(self, rel: str) -> int:
        """Remove the symbolic link inside the output folder that ``rel`` passes through (never what it points at)."""
        if not safe_relative(rel):
            return 0
        path = self._real_root
        for part in rel.split("/")[:-1]:
            path = os.path.join(path, part)
            if os.path.islink(path):
                os.unlink(path)
                return 1
            if not os.path.isdir(path):
                return 0
        return 0

    def _real_files(self) -> set[str]:
        """The files now in the output folder that a build could have written (stale if not planned).

        Left alone: the folders other stages own (``pagefind/``), anything whose
        name starts with a dot (``.git`` of a deploy branch, ``.nojekyll``,
        ``.well-known``) and files at the top that are no page, feed or text
        file (``CNAME``, ``favicon.ico``), which hosts ask to find there.
        """
        found: set[str] = set()
        root = self._real_root
        if not os.path.isdir(root):
            return found
        for folder, dirs, files in os.walk(root):  # links to folders are listed as folders, never entered
            rel_folder = os.path.relpath(folder, root).replace(os.sep, "/")
            top = rel_folder == "."
            prefix = "" if top else rel_folder + "/"
            links = [name for name in dirs if os.path.islink(os.path.join(folder, name))]
            dirs[:] = [d for d in dirs if not d.startswith(".") and not (top and d in OWNED_ELSEWHERE) and d not in links]
            for name in (*files, *links):
                if name.startswith(".") or (top and not name.endswith(_PAGE_SUFFIXES)):
                    continue
                found.add(prefix + name)
        return found

    def _holds(self, rel: str, data: bytes) -> bool:
        """Whether the output's file ``rel`` holds exactly ``data`` (a link never does)."""
        target = self._inside(rel)
        if target is None:
            return False
        try:
            info = os.lstat(target)
            if not stat.S_ISREG(info.st_mode) or info.st_size != len(data):
                return False
            with open(target, "rb") as file:
                return file.read() == data
        except OSError:
            return False

    def _remove_stale(self, stale: set[str]) -> int:
        removed = 0
        folders: set[str] = set()
        for rel in stale:
            path = self._inside(rel)
            if path is None:
                removed += self._unlink_link_on(rel)
                continue
            try:
                if os.path.isdir(path) and not os.path.islink(path):
                    continue
                os.unlink(path)
                removed += rel != LEGACY_MANIFEST
            except FileNotFoundError:
                pass
            parent = os.path.dirname(path)
            while parent.startswith(self._real_root + os.sep):
                folders.add(parent)
                parent = os.path.dirname(parent)
        for folder in sorted(folders, key=len, reverse=True):
            with contextlib.suppress(OSError):  # not empty
                os.rmdir(folder)
        return removed

