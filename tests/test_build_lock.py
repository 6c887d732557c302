"""One build of a site at a time, with real processes: concurrent builds, a build during a preview rebuild."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from serve_support import PREVIEW, SITE_PY, make_site, raw_get, running_server, wait_for_status, wait_until
from sitekit import tree
from test_preview_folder import DRAFT

from broadsheet.build import Builder, BuildOptions
from broadsheet.errors import SiteBusy
from broadsheet.pipeline.lock import holding

LOCK = Path(".broadsheet-cache/build.lock")
BUSY_EXIT = 75


def start_build(site: Path, *args: str, wait: str | None = None) -> subprocess.Popen[str]:
    env = {**os.environ, **({"BROADSHEET_LOCK_WAIT": wait} if wait is not None else {})}
    return subprocess.Popen(
        [sys.executable, str(SITE_PY), "build", "--quiet", "--no-search", "--jobs", "1", *args],
        cwd=site, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )


def finish(process: subprocess.Popen[str]) -> tuple[int, str]:
    _out, err = process.communicate(timeout=180)
    return process.returncode, err


def published(output: Path) -> dict[str, bytes]:
    """The files of a built site (its manifest is kept in the cache folder, not among them)."""
    return tree(output)


def clean_build(site: Path, name: str) -> dict[str, bytes]:
    clean = site.parent / f"{site.name}-{name}"
    shutil.copytree(site / "content", clean / "content")
    shutil.copy2(site / "site.toml", clean / "site.toml")
    if (site / "templates").is_dir():
        shutil.copytree(site / "templates", clean / "templates")
    code, err = finish(start_build(clean))
    assert code == 0, err
    return published(clean / "output")


def lock_holder(site: Path) -> int | None:
    """The pid in the site's lock file while some process holds the lock, else None."""
    try:
        fd = os.open(site / LOCK, os.O_RDWR)
    except FileNotFoundError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            text = os.pread(fd, 32, 0).decode().strip()
            return int(text) if text.isdigit() else None
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def test_two_builds_at_once_take_turns(tmp_path: Path) -> None:
    make_site(tmp_path, articles=120)
    first, second = start_build(tmp_path), start_build(tmp_path)
    outcomes = [finish(first), finish(second)]
    for code, err in outcomes:
        # The second one waits for the first (or, on a very slow machine, refuses cleanly).
        assert code == 0 or (code == BUSY_EXIT and err.startswith("error: another build of this site is running (pid ")), err
        assert "Traceback" not in err
    assert 0 in [code for code, _ in outcomes]
    assert published(tmp_path / "output") == clean_build(tmp_path, "clean")


def test_a_build_refuses_while_another_holds_the_lock(tmp_path: Path) -> None:
    make_site(tmp_path)
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from pathlib import Path; from broadsheet.pipeline.lock import holding\n"
         "with holding(Path('.broadsheet-cache/build.lock')):\n    print('held', flush=True); time.sleep(60)"],
        cwd=tmp_path, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(SITE_PY.parent)},
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        started = time.monotonic()
        code, err = finish(start_build(tmp_path, wait="1"))
        assert code == BUSY_EXIT
        assert err == f"error: another build of this site is running (pid {holder.pid}); try again when it has finished\n"
        assert time.monotonic() - started >= 1.0  # it waited before giving up
        assert not (tmp_path / "output").exists()
    finally:
        holder.kill()
        holder.wait()
    # The kernel drops the lock of a killed holder: the next build goes through.
    code, err = finish(start_build(tmp_path, wait="5"))
    assert code == 0, err


def test_build_while_the_preview_rebuilds(tmp_path: Path) -> None:
    make_site(tmp_path, articles=150)
    (tmp_path / "content" / "city" / "draft.md").write_text(DRAFT, encoding="utf-8")
    with running_server(tmp_path, startup=180) as server:
        # A template edit makes the preview render every page again: while it does, it holds the site's lock.
        mark = len(server.seen)
        (tmp_path / "templates" / "partials").mkdir(parents=True)
        (tmp_path / "templates" / "partials" / "byline.html").write_text('<span class="byline">Night desk</span>\n', encoding="utf-8")
        wait_until(lambda: lock_holder(tmp_path) == server.process.pid, timeout=30, interval=0.01)
        code, err = finish(start_build(tmp_path, wait="0"))
        assert code == BUSY_EXIT, err
        assert err == f"error: another build of this site is running (pid {server.process.pid}); try again when it has finished\n"

        # With the default wait, a build started during the rebuild waits for it and succeeds.
        (tmp_path / "templates" / "partials" / "byline.html").write_text('<span class="byline">Day desk</span>\n', encoding="utf-8")
        wait_until(lambda: lock_holder(tmp_path) == server.process.pid, timeout=30, interval=0.01)
        code, err = finish(start_build(tmp_path))
        assert code == 0, err
        wait_until(lambda: b"Day desk" in raw_get(server.port, "/2025/03/01/story-000/")[1], timeout=60)
        server.wait_for_line(r"^built \(", after=mark)
        server.wait_for_line(r"^built \(", after=len(server.seen))  # both template edits were built
        preview = tree(tmp_path / PREVIEW)

    deployed = published(tmp_path / "output")
    assert deployed == clean_build(tmp_path, "clean")
    assert not any(b"EMBARGOED-DRAFT-TEXT" in data or b"127.0.0.1" in data for data in deployed.values())
    assert any(b"EMBARGOED-DRAFT-TEXT" in data for data in preview.values())
    assert b"Day desk" in deployed["2025/03/01/story-000/index.html"]


def test_the_lock_is_one_per_site_and_released_after_each_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    make_site(tmp_path)
    options = BuildOptions(jobs=1, lock_wait=0.2)
    Builder(options).build()
    assert options.lock == LOCK and lock_holder(tmp_path) is None
    with holding(LOCK), pytest.raises(SiteBusy, match=rf"^another build of this site is running \(pid {os.getpid()}\)$"):
        Builder(options).build()
    Builder(options).build()  # released: builds again
    assert BuildOptions(cache_dir=None).lock is None
    assert BuildOptions(cache_dir=Path("c"), lock_dir=Path("site-state")).lock == Path("site-state/build.lock")


def test_the_preview_waits_its_turn_and_catches_up(tmp_path: Path) -> None:
    make_site(tmp_path)
    with running_server(tmp_path) as server:
        holder = subprocess.Popen(
            [sys.executable, "-c",
             "import sys, time; from pathlib import Path; from broadsheet.pipeline.lock import holding\n"
             "with holding(Path('.broadsheet-cache/build.lock')):\n    print('held', flush=True); sys.stdin.readline()"],
            cwd=tmp_path, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(SITE_PY.parent)},
        )
        try:
            assert holder.stdout is not None and holder.stdout.readline() == "held\n"
            story = tmp_path / "content" / "city" / "story-001.md"
            story.write_text(story.read_text(encoding="utf-8").replace("Original body", "Edited while locked"), encoding="utf-8")
            body = wait_for_status(server.port, "/2025/03/02/story-001/", 500)
            assert f"another build of this site is running (pid {holder.pid})".encode() in body
        finally:
            assert holder.stdin is not None
            holder.stdin.write("\n")  # release: the preview builds again by itself, without another save
            holder.stdin.close()
            holder.wait(timeout=30)
        wait_until(lambda: b"Edited while locked" in raw_get(server.port, "/2025/03/02/story-001/")[1], timeout=30)
        assert raw_get(server.port, "/")[0] == 200


def test_recovery_and_a_cache_discard_happen_under_the_lock_and_spare_it_and_the_preview(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sqlite3

    import broadsheet.build

    monkeypatch.chdir(tmp_path)
    make_site(tmp_path)
    options = BuildOptions(jobs=1, lock_wait=0.2)
    Builder(options).build()
    preview = tmp_path / PREVIEW
    preview.mkdir(parents=True)
    (preview / "index.html").write_text("the preview's page\n", encoding="utf-8")
    with sqlite3.connect(tmp_path / ".broadsheet-cache" / "cache.sqlite") as conn:
        conn.execute("UPDATE entries SET html = replace(html, 'Original body', 'Original bXdy')")
    story = tmp_path / "content" / "city" / "story-001.md"
    story.write_text(story.read_text(encoding="utf-8").replace("Original body", "Edited body"), encoding="utf-8")

    held: list[tuple[str, int | None]] = []
    recover, discard = broadsheet.build.recover, Builder.discard_state

    def recording_recover(opts: BuildOptions) -> None:
        held.append(("recover", lock_holder(tmp_path)))
        recover(opts)

    def recording_discard(self: Builder) -> None:
        held.append(("discard", lock_holder(tmp_path)))
        discard(self)

    monkeypatch.setattr(broadsheet.build, "recover", recording_recover)
    monkeypatch.setattr(Builder, "discard_state", recording_discard)
    report = Builder(options).build()
    assert any("build cache discarded" in str(w) for w in report.warnings)
    assert ("discard", os.getpid()) in held and ("recover", os.getpid()) in held
    assert all(pid == os.getpid() for _, pid in held)
    assert LOCK.is_file() and lock_holder(tmp_path) is None
    assert (preview / "index.html").read_text(encoding="utf-8") == "the preview's page\n"
    assert not any(b"Original bXdy" in data for data in tree(tmp_path / "output").values())
