"""Small sites written into a temporary folder and built with the real command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


# An 8x8 PNG.
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x08\x00\x00\x00\x08\x08\x02\x00\x00\x00Km)\xdc\x00\x00\x00\x14IDATx\x9cc<Q\xa1\xc1\x80\r0a\x15\x1d\xb4\x12\x00\x1e'\x01x\x06\x16\x83\xca\x00\x00\x00\x00IEND\xaeB`\x82"


def write_article(content: Path, name: str, front_matter: str, body: str) -> Path:
    """``front_matter`` is YAML text without the ``---`` lines."""
    path = content / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front_matter.strip()}\n---\n{body}", encoding="utf-8")
    return path


def run_site(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "site.py"), *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def build(cwd: Path, base_url: str, *extra: str) -> Path:
    """Build ``cwd/content`` into ``cwd/output``; fail the test with the CLI's errors if it fails."""
    result = run_site(cwd, "build", "--content", "content", "--output", "output", "--base-url", base_url, "-q", *extra)
    assert result.returncode == 0, result.stderr
    return cwd / "output"


def news_site(root: Path) -> Path:
    """A few stories covering bylines, tags, sections, images and awkward text."""
    content = root / "content"
    write_article(
        content, "2024-05-01-rates.md",
        """
title: "Rates <rise> & \\"markets\\" ]]> fall"
date: 2024-05-01T09:30:00+02:00
authors: [Ann Lee, Bob Roe]
tags: [Economy, Banks]
section: Business
image: img/lead.png
summary: "Central bank moves; \\u0007 bell"
""",
        "Intro with a [link to the archive](../../../../archive/) and ![chart](../../../../static/img/lead.png).\n\n"
        "Code says `]]>` and the text goes on.\n\nControl \x01 char here.\n",
    )
    write_article(
        content, "2024-05-02-budget.md",
        """
title: Budget day
date: 2024-05-02T18:00:00Z
updated: 2024-05-03T08:15:00+01:00
author: Ann Lee
tags: [Economy]
section: Politics
""",
        "The budget.\n",
    )
    write_article(
        content, "2024-04-20-old.md",
        """
title: An older story
date: 2024-04-20
author: Cy Dee
section: Business
""",
        "Older news.\n",
    )
    static = root / "static" / "img"
    static.mkdir(parents=True, exist_ok=True)
    (static / "lead.png").write_bytes(PNG)  # a real PNG: the photo stage processes lead photos
    return content
