"""Helpers for preview-server tests: a small site on disk, a real server process, raw HTTP."""

from __future__ import annotations

import contextlib
import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SITE_PY = REPO / "site.py"
SECTIONS = ["Business", "City", "Culture"]
TAGS = ["payments", "transport", "markets", "weather", "schools"]

# Where ``serve`` builds the preview, relative to the site (never its output/ folder).
PREVIEW = Path(".broadsheet-cache/preview/site")

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


def article_text(title: str, day: int, body: str, section: str = "City", tags: tuple[str, ...] = ("markets",)) -> str:
    tag_list = ", ".join(f'"{t}"' for t in tags)
    return (
        f'---\ntitle: "{title}"\ndate: 2025-03-{day:02d}T09:00:00+00:00\nauthors: ["Ada Reporter"]\n'
        f"section: {section}\ntags: [{tag_list}]\n---\n\n{body}\n"
    )


def make_site(root: Path, articles: int = 6) -> dict[str, Path]:
    """Write a site with ``articles`` articles; return slug → file."""
    files: dict[str, Path] = {}
    for i in range(articles):
        slug = f"story-{i:03d}"
        section = SECTIONS[i % len(SECTIONS)]
        path = root / "content" / section.lower() / f"{slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        tags = (TAGS[i % len(TAGS)], TAGS[(i * 2 + 1) % len(TAGS)])
        path.write_text(article_text(f"Story number {i}", 1 + i % 28, f"Original body of story {i}.", section, tags), encoding="utf-8")
        files[slug] = path
    (root / "site.toml").write_text('# preview-secret-marker\ntitle = "Preview Test"\n', encoding="utf-8")
    return files


def article_url(index: int) -> str:
    return f"/2025/03/{1 + index % 28:02d}/story-{index:03d}/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class ServerProcess:
    """A ``site.py serve`` child process and the lines it has printed so far."""

    process: subprocess.Popen[str]
    port: int
    site: Path
    lines: queue.Queue[str] = field(default_factory=queue.Queue)
    seen: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_for_line(self, pattern: str, timeout: float = 30.0, after: int = 0) -> re.Match[str]:
        """Wait for an output line (stdout or stderr) matching ``pattern``, among lines after index ``after``."""
        deadline = time.monotonic() + timeout
        while True:
            for line in self.seen[after:]:
                match = re.search(pattern, line)
                if match:
                    return match
            after = len(self.seen)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no line matching {pattern!r}; output so far:\n" + "".join(self.seen))
            try:
                self.seen.append(self.lines.get(timeout=min(remaining, 0.5)))
            except queue.Empty:
                if self.process.poll() is not None and self.lines.empty():
                    raise AssertionError(f"server exited ({self.process.returncode}); output:\n" + "".join(self.seen)) from None


def _pump(stream, lines: queue.Queue[str]) -> None:  # type: ignore[no-untyped-def]
    for line in stream:
        lines.put(line)


@contextlib.contextmanager
def running_server(
    site: Path, *extra: str, port: int | None = None, startup: float = 30.0, search: bool = False,
) -> Iterator[ServerProcess]:
    """Start ``python site.py serve`` in ``site`` and wait until it is serving.

    Without ``search`` the server is started with ``--no-search`` (indexing is tested where it matters).
    """
    port = port or free_port()
    command = ["serve", "--port", str(port), "--jobs", "1", *(() if search else ("--no-search",)), *extra]
    with running_command(site, command, r"^serving ", startup, port) as server:
        yield server


@contextlib.contextmanager
def running_command(site: Path, args: list[str], ready: str, startup: float = 30.0, port: int = 0) -> Iterator[ServerProcess]:
    """Start ``python site.py ARGS`` in ``site``, wait for a line matching ``ready``, and end it with the block."""
    process = subprocess.Popen(
        [sys.executable, str(SITE_PY), *args],
        cwd=site, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    running = ServerProcess(process, port, site)
    threading.Thread(target=_pump, args=(process.stdout, running.lines), daemon=True).start()
    try:
        running.wait_for_line(ready, timeout=startup)
        yield running
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def raw_get(port: int, target: str, method: str = "GET") -> tuple[int, bytes]:
    """Send one HTTP/1.0 request with ``target`` exactly as given; return (status, body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"{method} {target} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode("latin-1"))
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, body


def wait_until(check: Callable[[], object], timeout: float = 20.0, interval: float = 0.05) -> object:
    """Poll ``check`` until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        time.sleep(interval)


def wait_for_status(port: int, target: str, status: int, timeout: float = 20.0) -> bytes:
    """Poll ``target`` until it answers with ``status``; return the body."""
    found: list[bytes] = []

    def check() -> bool:
        got, body = raw_get(port, target)
        found[:] = [body]
        return got == status

    wait_until(check, timeout)
    return found[0]


def chromium_driver():  # type: ignore[no-untyped-def]
    """A headless Chromium driven by Selenium, with a fresh profile; skips the test if either is missing."""
    import pytest

    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip(f"needs {CHROMIUM} and {CHROMEDRIVER}")
    import tempfile

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    return driver, profile


# True once livereload.js has shaken hands with the server (it then listens for reloads).
LIVERELOAD_CONNECTED = "return !!(window.LiveReload && window.LiveReload.connector && window.LiveReload.connector.protocol >= 7);"
