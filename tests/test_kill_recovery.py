"""``kill -9`` at every stage of a build, then a new build: the output is byte for byte a clean build's.

A build started with ``BROADSHEET_PAUSE_AT=<stage>`` stops at that stage and
says so on stderr; the test kills it there with SIGKILL, as a crash or an
impatient user would, and builds again. Also: pool workers die with a killed
build, and ``build | tee`` ends when the build is killed.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sitekit import tree
from smallsite import ROOT

BASE = "https://example.org/news/"


def _story(content: Path, n: int, body: str = "Body text.") -> None:
    path = content / f"s{n:03d}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    tags = ["alpha", "beta"][n % 2]
    path.write_text(
        f"---\ntitle: Story {n}\ndate: 2025-03-{1 + n % 28:02d}T{n % 24:02d}:00:00Z\nauthors: [Ann Lee]\n"
        f"tags: [{tags}]\nsection: City\n---\n{body} number {n}.\n",
        encoding="utf-8",
    )


def _site(root: Path, count: int) -> None:
    for n in range(count):
        _story(root / "content", n)


def _edit(root: Path) -> None:
    """A change that rewrites some pages, adds one and removes others (stale files to delete)."""
    _story(root / "content", 1, body="A corrected body")
    (root / "content" / "s002.md").unlink()
    _story(root / "content", 500, body="A new story")


def _command(*extra: str) -> list[str]:
    return [sys.executable, str(ROOT / "site.py"), "build", "-q", "--base-url", BASE, *extra]


def _env(pause: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "BROADSHEET_PAUSE_AT"}
    env["PYTHONPATH"] = str(ROOT)
    if pause:
        env["BROADSHEET_PAUSE_AT"] = pause
    return env


def _build(root: Path, *extra: str) -> None:
    result = subprocess.run(_command(*extra), cwd=root, env=_env(), capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr


def _start_paused(root: Path, stage: str, *extra: str) -> subprocess.Popen[bytes]:
    """A build stopped at ``stage`` (the test fails if it ends without reaching it)."""
    proc = subprocess.Popen(_command(*extra), cwd=root, env=_env(stage), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    deadline = time.monotonic() + 60
    line = b""
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if line.startswith(b"paused at") or (not line and proc.poll() is not None):
            break
    assert line.strip() == f"paused at {stage}".encode(), (line, proc.poll())
    return proc



def _clean(root: Path, tmp: Path, *extra: str) -> dict[str, bytes]:
    clean = tmp / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    shutil.copytree(root / "content", clean / "content")
    _build(clean, *extra)
    return tree(clean / "output")


STAGES = ["render", "staged", "commit-journal", "commit-files", "commit-files-half", "commit-manifest", "snapshot"]


@pytest.mark.parametrize("stage", STAGES)
def test_kill_at_each_stage_then_build_equals_a_clean_build(tmp_path: Path, stage: str) -> None:
    root = tmp_path / "site"
    _site(root, 30)
    _build(root, "--no-search")
    before = tree(root / "output")
    _edit(root)
    proc = _start_paused(root, stage, "--no-search")
    if stage == "commit-files-half":
        now = tree(root / "output")
        assert now != before  # the kill lands in the middle of the commit: the folder is mixed right now
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    _build(root, "--no-search")
    assert tree(root / "output") == _clean(root, tmp_path, "--no-search")
    assert not (root / ".output.staging").exists()


@pytest.mark.parametrize("stage", ["commit-files-half", "commit-search", "recover"])
def test_kill_during_a_commit_with_the_search_index(tmp_path: Path, stage: str) -> None:
    pytest.importorskip("pagefind")
    root = tmp_path / "site"
    _site(root, 12)
    _build(root)
    _edit(root)
    if stage == "recover":  # killed in the commit, then killed again while the next build finishes it
        _start_paused(root, "commit-files-half").kill()
    proc = _start_paused(root, stage)
    proc.kill()
    proc.wait(timeout=10)
    _build(root)
    after, clean = tree(root / "output"), _clean(root, tmp_path)
    assert {k for k in after if not k.startswith("pagefind/")} == {k for k in clean if not k.startswith("pagefind/")}
    assert {k: v for k, v in after.items() if not k.startswith("pagefind/")} == {
        k: v for k, v in clean.items() if not k.startswith("pagefind/")}
    # The index is the new one: it knows the new story and has forgotten the removed one.
    index = b"".join(v for k, v in after.items() if k.startswith("pagefind/"))
    assert sorted(k for k in after if k.startswith("pagefind/pagefind-entry")) == sorted(
        k for k in clean if k.startswith("pagefind/pagefind-entry"))
    assert index


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_pool_workers_die_with_a_killed_build(tmp_path: Path) -> None:
    root = tmp_path / "site"
    _site(root, 260)  # past the pool threshold
    proc = _start_paused(root, "render", "--no-search", "--jobs", "2", "--full")
    workers = _children(proc.pid)
    assert len(workers) >= 2
    proc.kill()
    proc.wait(timeout=10)
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in workers)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_build_piped_to_tee_ends_when_the_build_is_killed(tmp_path: Path) -> None:
    root = tmp_path / "site"
    _site(root, 260)
    script = f"{' '.join(_command('--no-search', '--jobs', '2', '--full'))} 2>&1 | cat > {tmp_path / 'log'}"
    pipeline = subprocess.Popen(["sh", "-c", script], cwd=root, env=_env("render"), start_new_session=True)
    deadline = time.monotonic() + 60
    build_pid = None
    while time.monotonic() < deadline and build_pid is None:
        if (tmp_path / "log").exists() and b"paused at render" in (tmp_path / "log").read_bytes():
            build_pid = next((p for p in _children(pipeline.pid) if "site.py" in Path(f"/proc/{p}/cmdline").read_text()), None)
        time.sleep(0.1)
    assert build_pid is not None
    os.kill(build_pid, signal.SIGKILL)
    try:
        assert pipeline.wait(timeout=15) is not None  # cat saw the end of its input: no worker holds the pipe
    finally:
        if pipeline.poll() is None:
            os.killpg(pipeline.pid, signal.SIGKILL)
