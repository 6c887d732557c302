"""The snapshot a build leaves: when the next build may rebuild from it, and when it must not."""

from __future__ import annotations

import datetime as dt
import pickle
from pathlib import Path

import pytest
from sitekit import article, options, run_cli, write_files

from broadsheet.build import Builder, BuildOptions
from broadsheet.errors import BuildFailed
from broadsheet.incremental.snapshot import Model, PackedContent, _write_model
from broadsheet.model.site import Story

NOW = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)


def site(tmp_path: Path, **overrides: object) -> BuildOptions:
    write_files(tmp_path, {
        "content/a.md": article(title="Alpha", date="2025-05-01", tags=["x"]),
        "content/b.md": article(title="Beta", date="2025-05-02", tags=["x"]),
        "content/c.md": article(title="Gamma", date="2025-05-03", tags=["y"], body="Original words.\n"),
    })
    return options(tmp_path, cache_dir=tmp_path / ".cache", now=NOW, jobs=1, **overrides)


def page(tmp_path: Path, url: str) -> str:
    return (tmp_path / "output" / url / "index.html").read_text(encoding="utf-8")


def test_an_edit_that_breaks_a_page_leaves_the_output_and_the_next_build_recovers(tmp_path: Path) -> None:
    opts = site(tmp_path)
    write_files(tmp_path, {"templates/article.html": (
        '{% extends "base.html" %}{% block main %}'
        '{% if "BOOM" in story.html %}{{ story.no_such_field.boom() }}{% endif %}{{ story.html }}'
        "{% endblock %}"
    )})
    Builder(opts).build()
    before = page(tmp_path, "2025/05/03/c")
    source = tmp_path / "content/c.md"
    good = source.read_text(encoding="utf-8")
    source.write_text(good.replace("Original words.", "BOOM words."), encoding="utf-8")
    builder = Builder(opts)
    with pytest.raises(BuildFailed) as failed:
        builder.build()
    assert "article.html" in failed.value.errors[0].path
    assert page(tmp_path, "2025/05/03/c") == before
    source.write_text(good.replace("Original words.", "Fixed words."), encoding="utf-8")
    report = builder.build()
    assert "routes" not in report.stages  # still a delta build, from the snapshot on disk
    assert "Fixed words." in page(tmp_path, "2025/05/03/c")
    source.write_text(good, encoding="utf-8")
    builder.build()
    assert page(tmp_path, "2025/05/03/c") == before


@pytest.mark.parametrize("name", ["stamp.pickle", "model.pickle", "journal.pickle"])
def test_a_damaged_snapshot_means_a_full_build(tmp_path: Path, name: str) -> None:
    opts = site(tmp_path)
    Builder(opts).build()
    source = tmp_path / "content/c.md"
    source.write_text(source.read_text(encoding="utf-8").replace("Original words.", "Edited words."), encoding="utf-8")
    (tmp_path / ".cache/snapshot" / name).write_bytes(b"\x80\x05not a pickle")
    report = Builder(opts).build()
    assert "Edited words." in page(tmp_path, "2025/05/03/c")
    assert report.rendered > 0


def test_a_scheduled_story_appears_when_its_time_comes(tmp_path: Path) -> None:
    opts = site(tmp_path)
    write_files(tmp_path, {"content/later.md": article(title="Later", date="2025-06-02T08:00:00Z")})
    first = Builder(opts).build()
    assert first.future_skipped == 1
    assert Builder(opts).build().rendered == 0
    after = Builder(BuildOptions(**{**opts.__dict__, "now": dt.datetime(2025, 6, 2, 8, 0, tzinfo=dt.UTC)})).build()
    assert after.future_skipped == 0 and after.articles == 4
    assert "Later" in page(tmp_path, "2025/06/02/later")


def test_a_clock_going_back_is_not_trusted(tmp_path: Path) -> None:
    opts = site(tmp_path)
    Builder(opts).build()
    earlier = Builder(BuildOptions(**{**opts.__dict__, "now": dt.datetime(2025, 5, 2, 12, 0, tzinfo=dt.UTC)})).build()
    assert earlier.future_skipped == 1  # Gamma (May 3) is scheduled again at that time
    assert not (tmp_path / "output/2025/05/03/c").exists()


def test_different_build_options_do_not_share_a_snapshot(tmp_path: Path) -> None:
    opts = site(tmp_path)
    write_files(tmp_path, {"content/draft.md": article(title="Draft", date="2025-05-04", draft=True)})
    Builder(opts).build()
    report = Builder(BuildOptions(**{**opts.__dict__, "drafts": True})).build()
    assert report.articles == 4
    assert (tmp_path / "output/2025/05/04/draft/index.html").exists()


def test_the_command_line_reuses_the_snapshot(tmp_path: Path) -> None:
    write_files(tmp_path, {"content/a.md": article(title="Alpha", date="2025-05-01", body="First words.\n")})
    assert run_cli("build", "-q", "--no-search", cwd=tmp_path).returncode == 0
    again = run_cli("build", "--no-search", cwd=tmp_path)
    assert again.returncode == 0 and ": 0 rendered, 0 written" in again.stdout
    source = tmp_path / "content/a.md"
    source.write_text(source.read_text(encoding="utf-8").replace("First words.", "Second words."), encoding="utf-8")
    edited = run_cli("build", "--no-search", cwd=tmp_path)
    assert edited.returncode == 0, edited.stderr
    assert "Second words." in page(tmp_path, "2025/05/01/a")
    assert (tmp_path / ".broadsheet-cache/snapshot/journal.pickle").stat().st_size > 100  # the revision, kept


@pytest.mark.parametrize("fingerprint", [True, False])
def test_an_edited_static_file_reaches_the_output(tmp_path: Path, fingerprint: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """The preview keeps plain asset names, so a changed stylesheet changes no page key."""
    monkeypatch.chdir(tmp_path)  # static_dir is relative to where the build runs
    opts = site(tmp_path, fingerprint=fingerprint)
    write_files(tmp_path, {"static/css/extra.css": "body { color: red; }\n"})
    Builder(opts).build()
    (tmp_path / "static/css/extra.css").write_text("body { color: blue; }\n", encoding="utf-8")
    Builder(opts).build()
    assert (tmp_path / "output/static/css/extra.css").read_text(encoding="utf-8") == "body { color: blue; }\n"


def test_a_snapshot_from_other_code_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pickles fill fields by position: a snapshot written before a field moved must not be loaded."""
    opts = site(tmp_path)
    Builder(opts).build()
    monkeypatch.setattr("broadsheet.incremental.snapshot.FORMAT", "another layout")
    source = tmp_path / "content/c.md"
    source.write_text(source.read_text(encoding="utf-8").replace("Original words.", "Edited words."), encoding="utf-8")
    report = Builder(opts).build()
    assert "routes" in report.stages  # planned from scratch
    assert "Edited words." in page(tmp_path, "2025/05/03/c")


def test_layout_changes_when_a_field_moves() -> None:
    from dataclasses import make_dataclass

    from broadsheet.incremental.pickling import layout

    before, after = make_dataclass("Record", ["a", "b"]), make_dataclass("Record", ["b", "a"])
    assert layout(before) != layout(after)
    assert layout(before) == layout(make_dataclass("Record", ["a", "b"]))


def test_a_failed_full_build_keeps_the_last_snapshot(tmp_path: Path) -> None:
    """From the command line a child process writes the model while pages render; a failure discards it."""
    write_files(tmp_path, {"content/a.md": article(title="Alpha", date="2025-05-01", body="First words.\n")})
    assert run_cli("build", "-q", "--no-search", cwd=tmp_path).returncode == 0
    folder = tmp_path / ".broadsheet-cache/snapshot"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    write_files(tmp_path, {"templates/article.html": "{{ story.no_such_field.boom() }}"})
    failed = run_cli("build", "-q", "--no-search", cwd=tmp_path)
    assert failed.returncode == 1 and "article.html" in failed.stderr
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    (tmp_path / "templates/article.html").unlink()
    source = tmp_path / "content/a.md"
    source.write_text(source.read_text(encoding="utf-8").replace("First words.", "Second words."), encoding="utf-8")
    assert run_cli("build", "-q", "--no-search", cwd=tmp_path).returncode == 0
    assert "Second words." in page(tmp_path, "2025/05/01/a")
    assert sorted(p.name for p in folder.iterdir()) == ["journal.pickle", "model.pickle", "stamp.pickle"]


def packed(story: Story) -> bool:
    """Whether ``story`` still holds its content packed, as the model was loaded."""
    return isinstance(story.content, PackedContent) and not story.content.loaded


def _loaded(tmp_path: Path) -> tuple[Builder, Model]:
    builder = Builder(site(tmp_path))
    builder.build()
    stamp = builder.snapshots.load_stamp()
    assert stamp is not None
    model = builder.snapshots.load_model(stamp)
    assert model is not None
    return builder, model


def test_a_loaded_model_unpacks_a_story_only_when_it_is_used(tmp_path: Path) -> None:
    builder, model = _loaded(tmp_path)
    built = {story.url: story for story in builder.site.stories}
    assert all(packed(story) for story in model.site.stories)
    first, *rest = model.site.stories
    assert first.title == built[first.url].title  # any field unpacks the story
    assert not packed(first) and all(packed(story) for story in rest)
    for story in model.site.stories:
        assert story.article == built[story.url].article
        assert story.rendered.with_html("") == built[story.url].rendered.with_html("")
        assert story.html == built[story.url].html


def test_a_loaded_model_keeps_one_object_per_story_and_one_html_source(tmp_path: Path) -> None:
    _builder, model = _loaded(tmp_path)
    by_url = {story.url: story for story in model.site.stories}
    articles = [page for page in model.pages if page.kind == "article"]
    assert articles and all(page.data["story"] is by_url[page.url] for page in articles)
    assert all(story is by_url[story.url] for term in model.site.tags.values() for story in term.stories)
    sources = {id(story.rendered.html.store) for story in model.site.stories}
    assert len(sources) == 1


def test_a_model_with_an_article_outside_its_story_is_not_written(tmp_path: Path) -> None:
    _builder, model = _loaded(tmp_path)
    story = model.site.stories[0]
    model.revisions[story.article.source] = (story.article, story.rendered, story.key)
    with pytest.raises(pickle.PicklingError, match="outside its Story"):
        _write_model(tmp_path / "model.pickle", model)


def test_a_loaded_model_written_again_without_unpacking_reads_back_the_same(tmp_path: Path) -> None:
    builder, model = _loaded(tmp_path)
    _write_model(tmp_path / "again.pickle", model)
    assert all(packed(story) for story in model.site.stories)  # writing did not unpack them
    again = pickle.loads((tmp_path / "again.pickle").read_bytes()[24:])  # after the checksum
    built = {story.url: story for story in builder.site.stories}
    assert [story.url for story in again.site.stories] == list(built)
    assert all(story.article == built[story.url].article for story in again.site.stories)
