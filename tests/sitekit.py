"""Helpers shared by the core tests: write small sites, build them in-process or via the CLI, snapshot output."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from broadsheet.build import Builder, BuildOptions, BuildReport

ROOT = Path(__file__).resolve().parent.parent
NOW = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def front_matter(**fields: Any) -> str:
    """YAML front matter with every value written as JSON (valid YAML, quoted as the writer would)."""
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False, default=str)}" for key, value in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n"


def article(body: str = "A paragraph of news.\n", **fields: Any) -> str:
    fields.setdefault("title", "A headline")
    fields.setdefault("date", "2024-05-01")
    return front_matter(**fields) + "\n" + body


def write_files(root: Path, files: Mapping[str, str | bytes]) -> None:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")


def options(site: Path, **overrides: Any) -> BuildOptions:
    values: dict[str, Any] = {
        "content": site / "content",
        "output": site / "output",
        "templates": site / "templates",
        "config": site / "site.toml",
        "cache_dir": None,
        "jobs": 1,
        "now": NOW,
    }
    values.update(overrides)
    return BuildOptions(**values)


def build(site: Path, **overrides: Any) -> BuildReport:
    return Builder(options(site, **overrides)).build()


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, str(ROOT / "site.py"), *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False,
    )


def build_sample_site(root: Path) -> Path:
    """The sample site in ``content/`` (its Chinese edition and corrections feed too) built into ``root``
    without search, as a user would; its output folder."""
    import shutil

    shutil.copytree(ROOT / "content", root / "content")
    shutil.copy(ROOT / "site.toml", root / "site.toml")
    result = run_cli("build", "--no-search", "-q", cwd=root)
    assert result.returncode == 0, result.stderr
    return root / "output"


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error:")]


def snapshot(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file under ``folder``: (bytes, mtime_ns, inode)."""
    files: dict[str, tuple[bytes, int, int]] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            stat = path.stat()
            files[path.relative_to(folder).as_posix()] = (path.read_bytes(), stat.st_mtime_ns, stat.st_ino)
    return files


def tree(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, bytes]:
    """Every file under ``folder`` (relative POSIX path → bytes), leaving out those whose path starts with one of ``skip``."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.relative_to(folder).as_posix().startswith(skip)
    }


def html_files(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))


def make_stories(settings: Any, *texts: tuple[str, str]) -> list[Any]:
    """Stories from (file name, file text) pairs, through the real content and Markdown stages."""
    from broadsheet.markup.markdown import render_article
    from broadsheet.model.content import parse_article
    from broadsheet.model.site import Story
    from broadsheet.pages.articles import article_url

    stories = []
    for name, text in texts:
        a = parse_article(text.encode("utf-8"), f"content/{name}", settings.zone)
        stories.append(Story(a, render_article(a, settings.language), article_url(a, settings)))
    return stories
