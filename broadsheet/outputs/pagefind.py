"""A client for Pagefind's indexing service (``pagefind --service``), the process behind its Python API.

The ``pagefind`` package's own client (``pagefind.index.PagefindIndex``) waits a tenth of a
second between reading two responses, which at one response per page is minutes for a
newsroom's archive. This client speaks the same protocol, documented by that package: each
request is a JSON object, base64-encoded and followed by a comma, on the service's stdin; each
response comes back the same way on its stdout. The service handles requests one at a time, in
order, and numbers indexes in the order they were created, so requests are written without
waiting for answers (a thread per service reads them) and every page is one pipe write.

The index's files are asked for (``GetFiles``) and written by this client, not by the service
(``WriteFiles``): the service answers ``WriteFiles`` once it has handed the files to its runtime's
background writers, and exits at the end of its input without waiting for them, so on a busy
machine a file could still be empty when the answer came, or never be written. Files received
are whole, and are on disk before their answer counts as received.

A service keeps each index in memory until it is deleted (``DeleteIndex``), which is asked for
right after its files: memory stays bounded however large the site, and one service per job
indexes every bundle, never waiting for another to wind down.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import json
import subprocess
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any


class PagefindError(Exception):
    """Pagefind refused a request, or the service stopped."""


class Service:
    """One ``pagefind --service`` process: requests go out as they come, a thread collects the answers."""

    def __init__(self, binary: Path, read: bool = True) -> None:
        """Start the service; ``read=False`` leaves its answers unread until ``read()`` (a process
        that is to fork has no other thread, and a forked child may write the requests)."""
        try:
            self.process = subprocess.Popen([str(binary), "--service"], stdin=subprocess.PIPE,
                                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        except OSError as exc:
            raise PagefindError(f"cannot run Pagefind: {exc.strerror}") from None
        self.sent = 0
        self.indexes = 0
        self.pages = 0
        self.answered = 0
        self.destinations: dict[int, Path] = {}  # GetFiles requests, by message id: where the files go
        self.problems: list[str] = []
        self.done = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        if read:
            self.reader.start()

    def read(self, sent: int, indexes: int, pages: int, destinations: Mapping[int, Path]) -> None:
        """Collect the answers to requests written by another process on this service's input."""
        self.sent, self.indexes, self.pages = sent, indexes, pages
        self.destinations.update(destinations)
        self.reader.start()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        pieces: list[bytes] = []  # the answer being received, in chunks (a shard's files are megabytes)
        while True:
            chunk = stream.read1(1 << 20)
            if not chunk:
                break
            *complete, rest = chunk.split(b",")
            if complete:
                complete[0] = b"".join([*pieces, complete[0]])
                pieces = []
                for raw in complete:
                    if raw:
                        self._receive(json.loads(base64.b64decode(raw)))
            if rest:
                pieces.append(rest)
        with self.done:
            self.problems.append("Pagefind stopped before it finished")
            self.done.notify_all()

    def _receive(self, answer: dict[str, Any]) -> None:
        """Count one answer; an index's files are written to their folder first."""
        payload = answer.get("payload") or {}
        problem = str(payload.get("message")) if payload.get("type") == "Error" else None
        folder = self.destinations.pop(answer.get("message_id"), None)
        if folder is not None and problem is None:
            try:
                write_files(folder, payload.get("files") or [])
            except OSError as exc:
                problem = f"cannot write {exc.filename}: {exc.strerror}"
        with self.done:
            if problem is not None:
                self.problems.append(problem)
            self.answered += 1
            self.done.notify_all()

    def send(self, payload: Mapping[str, Any]) -> None:
        assert self.process.stdin is not None
        message = json.dumps({"message_id": self.sent, "payload": payload}).encode("utf-8")
        try:
            self.process.stdin.write(base64.b64encode(message) + b",")
        except OSError:
            raise PagefindError(self.problems[0] if self.problems else "Pagefind stopped before it finished") from None
        self.sent += 1

    def flush(self) -> None:
        assert self.process.stdin is not None
        try:
            self.process.stdin.flush()
        except OSError:
            raise PagefindError(self.problems[0] if self.problems else "Pagefind stopped before it finished") from None

    def new_index(self) -> int:
        """A new index's id: the service numbers them from 0 in the order asked."""
        self.send({"type": "NewIndex", "config": None})
        self.indexes += 1
        return self.indexes - 1

    def add(self, index_id: int, url: str, html: str) -> None:
        self.send({"type": "AddFile", "index_id": index_id, "url": url, "file_contents": html, "file_path": None})
        self.pages += 1

    def write(self, index_id: int, folder: Path) -> None:
        """Ask for the index's files, written into ``folder`` when they come; then let the service forget it."""
        self.destinations[self.sent] = folder
        self.send({"type": "GetFiles", "index_id": index_id})
        self.send({"type": "DeleteIndex", "index_id": index_id})

    def finish(self) -> None:
        """Wait for every answer, then stop the process; ``PagefindError`` if any request failed."""
        assert self.process.stdin is not None
        with contextlib.suppress(OSError):
            self.process.stdin.flush()
        with self.done:
            while self.answered < self.sent and not self.problems:
                self.done.wait()
            problems = list(self.problems)
        self.close(wait=not problems)
        if problems:
            raise PagefindError(f"Pagefind failed: {problems[0]}")

    def close(self, wait: bool = False) -> None:
        """End the service: with ``wait``, let it exit by itself at the end of its input, so that no
        file it is writing is cut short (killed if it hangs); else kill it at once."""
        with contextlib.suppress(OSError):
            if self.process.stdin is not None:
                self.process.stdin.close()
        try:
            self.process.wait(timeout=30 if wait else 0)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def write_files(folder: Path, files: Iterable[Mapping[str, str]]) -> None:
    """Write an index's files (``path`` relative to ``folder``, ``content`` in base64) into ``folder``."""
    made: set[Path] = set()
    for file in files:
        relative = Path(file["path"])
        if relative.is_absolute() or ".." in relative.parts:
            raise OSError(errno.EINVAL, "not a path inside the index", file["path"])
        target = folder / relative
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(base64.b64decode(file["content"]))


class Indexing:
    """Bundles sent to Pagefind and being written; ``finish()`` waits for them."""

    def __init__(self, services: list[Service], pages: int) -> None:
        self.services, self.pages = services, pages

    def finish(self) -> int:
        """Wait until every bundle is written; the pages indexed. ``PagefindError`` if Pagefind failed."""
        try:
            for service in self.services:
                service.finish()
                self.pages += service.pages
            return self.pages
        finally:
            self.close()

    def close(self) -> None:
        for service in self.services:
            service.close()
        self.services = []


def start_bundles(binary: Path, bundles: Iterable[tuple[Path, Iterable[tuple[str, str]]]], jobs: int = 1) -> Indexing:
    """Send each bundle's ``(url, html)`` pages to Pagefind, to be written to the bundle's folder.

    Bundles go to ``jobs`` services in turn. The pages are produced in the calling thread as they
    are sent; Pagefind indexes them, and its answers are written, while the caller goes on, until
    ``finish()``.
    """
    services: list[Service] = []
    try:
        for n, (folder, documents) in enumerate(bundles):
            slot = n % max(1, jobs)
            if slot == len(services):
                services.append(Service(binary))
            service = services[slot]
            index_id = service.new_index()
            for url, html in documents:
                service.add(index_id, url, html)
            service.write(index_id, folder)
            service.flush()
    except BaseException:
        for service in services:
            service.close()
        raise
    return Indexing(services, 0)
