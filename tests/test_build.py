"""build.py: the whole pipeline in-process."""

from __future__ import annotations

import datetime as dt
import os
import pickle
from pathlib import Path

import lxml.html
import pytest
from sitekit import NOW, article, build, options, snapshot, write_files

from broadsheet.build import POOL_THRESHOLD, Builder
from broadsheet.errors import BuildFailed, SiteError
from broadsheet.outputs.manifest import LEGACY_MANIFEST as MANIFEST


def test_build_report_and_pages(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "content/a.md": article(title="A", tags=["x"], authors=["Ann"], section="World"),
        "content/b.md": article(title="B", date="2024-05-02"),
        "content/draft.md": article(title="Draft", draft=True),
        "content/future.md": article(title="Future", date="2030-01-01"),
    })
    report = build(tmp_path)
    assert (report.articles, report.drafts_skipped, report.future_skipped) == (2, 1, 1)
    output = tmp_path / "output"
    published = [p for p in output.rglob("*") if p.is_file() and p.name != MANIFEST and "static" not in p.relative_to(output).parts]
    assert report.pages == len(published)  # HTML pages, feeds, sitemaps, robots.txt
    assert not (tmp_path / "output/2024/05/01/draft").exists()
    assert set(report.stages) == {"config", "content", "markdown", "site", "photos", "routes", "fingerprints", "render", "output", "snapshot"}
    home = lxml.html.fromstring((tmp_path / "output/index.html").read_bytes())
    story_links = [a.get("href") for a in home.xpath("//main//a") if a.get("href") in ("/2024/05/02/b/", "/2024/05/01/a/")]
    assert story_links and story_links[0] == "/2024/05/02/b/"  # newest first
    assert "/2024/05/01/a/" in story_links


def test_drafts_and_future_when_asked(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "content/draft.md": article(title="Draft", draft=True),
        "content/future.md": article(title="Future", date="2030-01-01"),
    })
    report = build(tmp_path, drafts=True, future=True)
    assert report.articles == 2
    assert (tmp_path / "output/2030/01/01/future/index.html").exists()


def test_future_is_judged_against_now_in_utc(tmp_path: Path) -> None:
    write_files(tmp_path, {"content/a.md": article(title="Soon", date="2025-01-01T00:30:00+01:00")})
    assert build(tmp_path, now=NOW).articles == 1  # 23:30 UTC the day before
    assert build(tmp_path, now=NOW - dt.timedelta(hours=1)).future_skipped == 1


def test_missing_content_folder(tmp_path: Path) -> None:
    with pytest.raises(BuildFailed) as failed:
        build(tmp_path)
    assert [e.message for e in failed.value.errors] == ["content folder not found"]


def test_every_broken_file_is_reported_and_nothing_written(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "content/good.md": article(),
        "content/bad1.md": "---\ntitle: a: b\n---\n",
        "content/bad2.md": "",
        "content/bad3.md": article(date="2024-02-30"),
    })
    with pytest.raises(BuildFailed) as failed:
        build(tmp_path)
    assert sorted({Path(e.path).name for e in failed.value.errors}) == ["bad1.md", "bad2.md", "bad3.md"]
    assert not (tmp_path / "output").exists()


def test_empty_content_builds_an_empty_site(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    report = build(tmp_path)
    assert report.articles == 0
    assert (tmp_path / "output/index.html").exists()


def test_pool_gives_the_same_site(tmp_path: Path) -> None:
    files = {
        f"content/{i:03d}.md": article(title=f"Story {i}", date=f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}", tags=[f"t{i % 7}"])
        for i in range(POOL_THRESHOLD + 10)
    }
    write_files(tmp_path, files)
    build(tmp_path, jobs=1, output=tmp_path / "serial")
    build(tmp_path, jobs=2, output=tmp_path / "pool")
    serial = {k: v[0] for k, v in snapshot(tmp_path / "serial").items()}
    pool = {k: v[0] for k, v in snapshot(tmp_path / "pool").items()}
    assert serial == pool


def test_builder_keeps_the_site(tmp_path: Path) -> None:
    write_files(tmp_path, {"content/a.md": article(title="Kept")})
    builder = Builder(options(tmp_path))
    builder.build()
    assert builder.site is not None and builder.site.stories[0].title == "Kept"


def test_url_clashes_are_reported_with_broken_files(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "content/one.md": article(title="One", slug="same"),
        "content/two.md": article(title="Two", slug="same"),
        "content/broken.md": "---\ntitle: [x]\ndate: 2024-05-01\n---\n",
    })
    with pytest.raises(BuildFailed) as failed:
        build(tmp_path)
    assert [str(e).replace(f"{tmp_path}/", "") for e in failed.value.errors] == [
        "content/broken.md:2: title: expected text, got a list",
        "content/one.md: URL /2024/05/01/same/ is already used by content/two.md",
    ]


def test_file_names_that_are_not_utf8_or_have_control_characters(tmp_path: Path) -> None:
    write_files(tmp_path, {"content/北京\u3000新闻.md": article(title="Fine")})
    content = os.fsencode(tmp_path / "content")
    for name in (b"caf\xe9.md", b"c\x1b[31m.md"):
        (Path(os.fsdecode(content + b"/" + name))).write_bytes(article().encode())
    with pytest.raises(BuildFailed) as failed:
        build(tmp_path)
    assert [str(e).replace(f"{tmp_path}/", "") for e in failed.value.errors] == [
        "content/c\\x1b[31m.md: file name is not valid UTF-8 or has control characters; rename the file",
        "content/caf\\xe9.md: file name is not valid UTF-8 or has control characters; rename the file",
    ]


def test_errors_cross_the_process_pool(tmp_path: Path) -> None:
    files = {f"content/{i:03d}.md": article(title=f"Story {i}") for i in range(POOL_THRESHOLD)}
    files["content/deep.md"] = article(body="".join("  " * i + "- x\n" for i in range(500)))
    write_files(tmp_path, files)
    with pytest.raises(BuildFailed) as failed:
        build(tmp_path, jobs=2)
    assert [e.path for e in failed.value.errors] == [(tmp_path / "content/deep.md").as_posix()]
    assert not (tmp_path / "output").exists()


def test_build_failed_survives_pickling() -> None:
    error = BuildFailed([SiteError("b.md", "two", 3), SiteError("a.md", "one")])
    again = pickle.loads(pickle.dumps(error))
    assert again.errors == error.errors and str(again) == str(error)


def test_a_missing_include_is_one_error_naming_the_template_that_includes_it(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "content/one.md": article(title="One"),
        "content/two.md": article(title="Two"),
        "templates/article.html": '{% extends "base.html" %}\n{% block main %}\n{% include "partials/nope.html" %}\n{% endblock %}\n',
    })
    with pytest.raises(BuildFailed) as failed:
        build(tmp_path)
    assert [str(e).replace(f"{tmp_path}/", "") for e in failed.value.errors] == [
        "templates/article.html:3: template 'partials/nope.html' not found",
    ]


def test_an_undefined_name_in_a_template_is_an_error_naming_template_and_line(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "content/one.md": article(title="One"),
        "content/two.md": article(title="Two"),
        "templates/article.html": '{% extends "base.html" %}\n{% block main %}\n<h1>{{ stroy }}</h1>\n{% endblock %}\n',
    })
    with pytest.raises(BuildFailed) as failed:
        build(tmp_path)
    assert [str(e).replace(f"{tmp_path}/", "") for e in failed.value.errors] == [
        "templates/article.html:3: undefined name: 'stroy' is undefined",
    ]


def test_a_missing_lead_image_or_author_photo_is_an_error_naming_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_files(tmp_path, {
        "content/one.md": article(title="One", image="img/pier.jpg", authors=["Lin Xiao"]),
        "content/two.md": article(title="Two", image="img/here.jpg"),
        "content/three.md": article(title="Three", image="https://cdn.example/x.jpg"),
        "content/authors.yml": "Lin Xiao:\n  role: Reporter\n  photo: img/lin.jpg\n",
        "static/img/here.jpg": b"\xff\xd8",
    })
    monkeypatch.chdir(tmp_path)  # static/ is found from the current folder
    with pytest.raises(BuildFailed) as failed:
        build(tmp_path)
    assert [str(e).replace(f"{tmp_path}/", "") for e in failed.value.errors] == [
        "content/authors.yml:3: Lin Xiao.photo: 'img/lin.jpg' is not in static/",
        "content/one.md:3: image: 'img/pier.jpg' is not in static/",
    ]
