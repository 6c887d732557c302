"""Work in a forked child: its result, its failures, and when no child is started."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from broadsheet.incremental.cache import BuildCache
from broadsheet.incremental.forking import Forked

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


def test_the_result_comes_from_a_child_process() -> None:
    with Forked(os.getpid) as job:
        assert job.forked
        assert job.result() != os.getpid()


def test_without_fork_the_function_runs_here_when_asked() -> None:
    calls: list[int] = []

    def work() -> int:
        calls.append(os.getpid())
        return os.getpid()

    with Forked(work, fork=False) as job:
        assert not job.forked and calls == []
        assert job.result() == os.getpid()
    assert calls == [os.getpid()]


def test_a_process_with_other_threads_does_not_fork() -> None:
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        with Forked(os.getpid) as job:
            assert not job.forked
            assert job.result() == os.getpid()
    finally:
        release.set()
        other.join()


def test_a_child_that_fails_is_replaced_by_running_the_function_here() -> None:
    parent = os.getpid()

    def fails_in_a_child() -> str:
        if os.getpid() != parent:
            raise RuntimeError("no luck in the child")
        return "computed in the parent"

    with Forked(fails_in_a_child) as job:
        assert job.forked
        assert job.result() == "computed in the parent"


def test_the_function_s_own_exception_reaches_the_caller() -> None:
    def broken() -> None:
        raise ValueError("bad input")

    with Forked(broken) as job, pytest.raises(ValueError, match="bad input"):
        job.result()


def test_a_large_result_passes_through_the_pipe() -> None:
    with Forked(lambda: {f"page/{i}/index.html": "k" * 40 for i in range(50_000)}) as job:
        result = job.result()
    assert len(result) == 50_000 and result["page/49999/index.html"] == "k" * 40


def test_leaving_the_block_without_the_result_stops_the_child(tmp_path: Path) -> None:
    marker = tmp_path / "child.pid"

    def slow() -> None:
        marker.write_text(str(os.getpid()))
        time.sleep(60)

    with Forked(slow) as job:
        assert job.forked
        while not marker.exists() or not marker.read_text():
            time.sleep(0.01)
        child = int(marker.read_text())
    assert not job.forked
    with pytest.raises(ProcessLookupError):
        os.kill(child, 0)  # stopped and reaped


def test_the_build_cache_opens_its_own_connection_in_a_child(tmp_path: Path) -> None:
    from broadsheet.markup.markdown import render_article
    from broadsheet.model.content import parse_article

    article = parse_article(b"---\ntitle: T\ndate: 2025-01-01\n---\nBody text.\n", "content/t.md", ZoneInfo("UTC"))
    cache = BuildCache(tmp_path / "cache.sqlite")
    cache.put("k1", article, render_article(article, "en"))
    cache.save()
    assert cache.get("k1") is not None  # the parent's connection is open when the child starts

    def read_in_child() -> str:
        found = cache.get("k1")
        assert found is not None
        return str(found[1].html)

    with Forked(read_in_child) as job:
        assert job.forked
        assert job.result() == "<p>Body text.</p>"
    cache.put("k2", article, render_article(article, "en"))
    cache.save()
    assert cache.get("k2") is not None  # the parent's connection still works
