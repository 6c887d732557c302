"""cache.py: parsed articles keyed by content hash, kept between builds, only while used."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import pickle
import pickletools
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from sitekit import article, build, write_files

from broadsheet.incremental.cache import BuildCache, LazyHtml
from broadsheet.incremental.pickling import CONSTRUCTED, dumps
from broadsheet.model.content import Article
from broadsheet.model.rendered import Rendered
from broadsheet.model.site import Content


def _entry(title: str, html: str) -> tuple[Article, Rendered]:
    article = Article(source=f"content/{title}.md", title=title, date=dt.datetime(2024, 5, 1, tzinfo=dt.UTC), slug=title, body="", digest="")
    return article, Rendered(html=html, summary_html="<p>s</p>", summary_text="s", reading_minutes=1, word_count=1)


def test_put_get_save_and_reload_with_lazy_body(tmp_path: Path) -> None:
    path = tmp_path / "cache/cache.sqlite"
    cache = BuildCache(path)
    assert cache.get("k") is None
    cache.put("k", *_entry("a", "<p>body</p>"))
    cache.save()
    article, rendered = BuildCache(path).get("k")
    assert article.title == "a" and rendered.summary_text == "s"
    assert isinstance(rendered.html, LazyHtml)  # the body is read only when used
    assert str(rendered.html) == "<p>body</p>"


def test_only_entries_used_in_a_build_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    cache = BuildCache(path)
    cache.put("old", *_entry("old", "o"))
    cache.put("kept", *_entry("kept", "k"))
    cache.save()
    cache = BuildCache(path)
    assert cache.get("kept") is not None
    cache.save()  # a build that has not succeeded yet deletes nothing
    assert BuildCache(path).get("old") is not None
    cache.collect()  # the build succeeded
    reloaded = BuildCache(path)
    assert reloaded.get("old") is None and reloaded.get("kept") is not None


def test_file_index_remembers_unchanged_files_only(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    cache = BuildCache(path)
    assert cache.file_key("content/a.md", 10, 5) is None
    cache.remember_file("content/a.md", 10, 5, "key-a")
    cache.save()
    cache = BuildCache(path)
    assert cache.file_key("content/a.md", 10, 5) == "key-a"
    assert cache.file_key("content/a.md", 11, 5) is None  # touched
    assert cache.file_key("content/a.md", 10, 6) is None  # resized


def test_damaged_or_foreign_files_are_replaced(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    for data in (b"", b"not a database at all, just text" * 100):
        path.write_bytes(data)
        cache = BuildCache(path)
        assert cache.get("k") is None
        cache.put("k", *_entry("a", "x"))
        cache.save()
        assert BuildCache(path).get("k") is not None


def test_a_refused_build_creates_no_cache(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "cache.sqlite"
    BuildCache(path)
    assert not path.parent.exists()


def test_no_path_means_memory_only(tmp_path: Path) -> None:
    cache = BuildCache(None)
    cache.put("k", *_entry("a", "x"))
    cache.save()
    assert str(cache.get("k")[1].html) == "x"


def test_bodies_are_readable_from_a_forked_process(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    cache = BuildCache(path)
    cache.put("k", *_entry("a", "<p>from the parent</p>"))
    cache.save()
    _, rendered = BuildCache(path).get("k")
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        assert pool.submit(str, rendered.html).result() == "<p>from the parent</p>"


def test_a_second_build_reuses_rendered_markdown(tmp_path: Path) -> None:
    write_files(tmp_path, {"content/a.md": article(title="A"), "content/b.md": article(title="B")})
    cache_dir = tmp_path / ".cache"
    assert build(tmp_path, cache_dir=cache_dir).markdown_cached == 0
    assert build(tmp_path, cache_dir=cache_dir).markdown_cached == 2
    write_files(tmp_path, {"content/b.md": article(title="B2", body="Changed.\n")})
    assert build(tmp_path, cache_dir=cache_dir).markdown_cached == 1
    assert "Changed." in (tmp_path / "output/2024/05/01/b/index.html").read_text(encoding="utf-8")


def test_a_cached_build_gives_the_same_site(tmp_path: Path) -> None:
    write_files(tmp_path, {"content/a.md": article(title="A", tags=["0o17", "no"], rating="1.50")})
    build(tmp_path, cache_dir=tmp_path / ".cache", output=tmp_path / "one")
    build(tmp_path, cache_dir=tmp_path / ".cache", output=tmp_path / "two")
    files = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*") if p.is_file())
    for rel in files:
        assert (tmp_path / "one" / rel).read_bytes() == (tmp_path / "two" / rel).read_bytes()
    assert (tmp_path / "two/tags/0o17/index.html").exists()


def test_the_cache_pickles_the_model_as_constructor_calls_the_model_not_knowing() -> None:
    article, rendered = _entry("a", "<p>Body</p>")
    value = (article, rendered, Content(article, rendered))
    data = dumps(value)
    assert pickle.loads(data) == value
    opcodes = {op.name for op, _arg, _pos in pickletools.genops(data)}
    assert "REDUCE" in opcodes and "BUILD" not in opcodes  # constructors called, no state set afterwards
    assert not any("__reduce__" in vars(cls) for cls in CONSTRUCTED)  # the model's classes know nothing of it
