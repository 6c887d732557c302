"""The progress bar: shown on a terminal for builds that take a moment, never with --quiet or in a pipe."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

SITE_PY = Path(__file__).resolve().parent.parent / "site.py"
BODY = "\n\n".join(f"Paragraph {n} of wire copy about the *city council* and its [budget](https://example.org/b{n})." for n in range(150))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("progress")
    content = root / "content"
    content.mkdir()
    for n in range(400):  # enough Markdown that a build takes longer than the bar's half-second delay
        (content / f"story-{n:03d}.md").write_text(
            f"---\ntitle: Story {n}\ndate: 2024-05-01T09:{n % 60:02d}:00Z\ntags: [t{n % 7}]\n---\n{BODY}\n", encoding="utf-8"
        )
    return root


def build_on_terminal(site: Path, *args: str) -> str:
    """Run a build with stderr on a pseudo-terminal; return what the terminal showed."""
    main, child = pty.openpty()
    # A new pseudo-terminal is 0x0; give it a real terminal's size, as tqdm draws to the width.
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    output = site / "out-tty"
    process = subprocess.Popen(
        [sys.executable, str(SITE_PY), "build", "--output", str(output), "--no-search", "--full", "--jobs", "1", *args],
        cwd=site, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=child,
    )
    os.close(child)
    shown = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    process.wait(timeout=120)
    os.close(main)
    assert process.returncode == 0, shown
    return shown.decode("utf-8", "replace")


def test_a_long_build_on_a_terminal_shows_a_bar(site: Path) -> None:
    shown = build_on_terminal(site)
    assert "Markdown" in shown and "%|" in shown and "article" in shown


def test_quiet_shows_no_bar(site: Path) -> None:
    assert build_on_terminal(site, "--quiet") == ""


def test_no_bar_when_stderr_is_not_a_terminal(site: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(SITE_PY), "build", "--output", str(site / "out-pipe"), "--no-search", "--jobs", "1"],
        cwd=site, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0
    assert result.stderr == ""
    assert result.stdout.startswith("built 400 articles")
