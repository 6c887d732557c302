"""Archives imported from other generators, through the build: vocabulary, shortcodes and Liquid warnings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from photokit import camera_jpeg
from PIL import Image
from sitekit import article, build, error_lines, run_cli, write_files

ORIENTATION, GPS_IFD = 0x0112, 0x8825

STORY = "content/2024-05-01-tides.md"


def test_front_matter_vocabulary_is_read_by_the_build(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "site.toml": 'title = "Gazette"\n[front_matter]\ntags = ["topics"]\n',
        STORY: "---\ntitle: Tides\ndate: 2024-05-01\ntopics: [harbour]\n---\nBody.\n",
    })
    build(tmp_path)
    assert (tmp_path / "output/tags/harbour/index.html").is_file()


def test_shortcodes_render_and_a_changed_template_renders_again(tmp_path: Path) -> None:
    write_files(tmp_path, {
        STORY: article("{{< note >}}\n", title="Tides"),
        "templates/shortcodes/note.html": "<aside>first</aside>",
    })
    page = tmp_path / "output/2024/05/01/tides/index.html"
    cache = tmp_path / "cache"
    build(tmp_path, cache_dir=cache)
    assert "<aside>first</aside>" in page.read_text()
    (tmp_path / "templates/shortcodes/note.html").write_text("<aside>second</aside>")
    build(tmp_path, cache_dir=cache)
    assert "<aside>second</aside>" in page.read_text()


def test_a_changed_vocabulary_reads_the_cached_sources_again(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "site.toml": 'title = "Gazette"\n',
        STORY: "---\ntitle: Tides\ndate: 2024-05-01\ntopics: [harbour]\n---\nBody.\n",
    })
    cache = tmp_path / "cache"
    build(tmp_path, cache_dir=cache)
    assert not (tmp_path / "output/tags/harbour").exists()
    (tmp_path / "site.toml").write_text('title = "Gazette"\n[front_matter]\ntags = ["topics"]\n')
    build(tmp_path, cache_dir=cache)
    assert (tmp_path / "output/tags/harbour/index.html").is_file()


def test_liquid_is_warned_of_on_stderr_and_the_build_succeeds(tmp_path: Path) -> None:
    write_files(tmp_path, {STORY: article("Intro.\n\n{% include map.html %}\n", title="Tides")})
    result = run_cli("build", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"warning: {STORY}:8: Liquid tag {{% include map.html %}} is not run by Broadsheet and appears as written; "
        "replace it with Markdown or a shortcode",
    ]
    assert (tmp_path / "output/2024/05/01/tides/index.html").is_file()


def test_serve_prints_the_same_warnings(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from broadsheet.build import BuildReport
    from broadsheet.commands.serve import _Printer
    from broadsheet.errors import SiteError

    report = BuildReport(warnings=[SiteError(STORY, "Liquid variable site.baseurl is not run", 6)])
    _Printer(quiet=True)(report, [], [])
    assert capsys.readouterr().err == f"warning: {STORY}:6: Liquid variable site.baseurl is not run\n"


def _pages(output: Path) -> set[str]:
    return {p.relative_to(output).as_posix() for p in output.rglob("*.html")}


def test_an_articles_own_url_wins_over_the_permalink(tmp_path: Path) -> None:
    write_files(tmp_path, {
        STORY: article(title="Tides", url="/news/old-tides.html"),
        "content/2024-05-02-ferry.md": article(title="Ferry", date="2024-05-02", url="/ferry"),
    })
    build(tmp_path)
    pages = _pages(tmp_path / "output")
    assert {"news/old-tides.html", "ferry/index.html"} <= pages
    assert "2024/05/01/tides/index.html" not in pages
    assert 'href="/news/old-tides.html"' in (tmp_path / "output/index.html").read_text()


def test_permalinks_with_literal_parts_and_html_endings(tmp_path: Path) -> None:
    write_files(tmp_path, {"site.toml": 'title = "G"\npermalink = "news/{year}/{month}/{slug}/"\n', STORY: article(title="Tides")})
    build(tmp_path)
    assert "news/2024/05/tides/index.html" in _pages(tmp_path / "output")
    (tmp_path / "site.toml").write_text('title = "G"\npermalink = "{year}/{slug}.html"\n')
    build(tmp_path)
    assert "2024/tides.html" in _pages(tmp_path / "output")


def test_expired_stories_are_left_out_everywhere(tmp_path: Path) -> None:
    write_files(tmp_path, {
        STORY: article(title="Tides", tags=["harbour"], expires="2024-05-20"),
        "content/2024-05-02-ferry.md": article(title="Ferry", date="2024-05-02", tags=["harbour"], expires="2099-01-01"),
    })
    build(tmp_path)  # the build clock is sitekit's NOW
    output = tmp_path / "output"
    assert "2024/05/01/tides/index.html" not in _pages(output)
    assert "2024/05/02/ferry/index.html" in _pages(output)
    for path in output.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml", ".json", ".txt"}:
            assert "/2024/05/01/tides/" not in path.read_text(encoding="utf-8", errors="replace"), path


def test_a_story_leaves_when_it_expires_between_incremental_builds(tmp_path: Path) -> None:
    write_files(tmp_path, {STORY: article(title="Tides", expires="2025-02-01"), "content/2024-05-02-ferry.md": article(title="Ferry", date="2024-05-02")})
    cache = tmp_path / "cache"
    build(tmp_path, cache_dir=cache)
    assert "2024/05/01/tides/index.html" in _pages(tmp_path / "output")
    build(tmp_path, cache_dir=cache, now=dt.datetime(2025, 3, 1, tzinfo=dt.UTC))
    assert "2024/05/01/tides/index.html" not in _pages(tmp_path / "output")


# -- redirects ----------------------------------------------------------------

ARCHIVES = Path(__file__).parent / "fixtures" / "archives"


def _archive(name: str, tmp_path: Path) -> Path:
    import shutil

    site = tmp_path / name
    shutil.copytree(ARCHIVES / name, site)
    return site


def test_each_archive_builds_through_the_cli_with_its_urls_and_redirects(tmp_path: Path) -> None:
    import json

    from broadsheet.model.config import load_settings
    from broadsheet.outputs.redirects import alias_path

    for name in ("hugo_toml", "hugo_yaml", "hugo_json", "jekyll", "pelican"):
        site = _archive(name, tmp_path)
        result = run_cli("build", "-q", cwd=site)
        assert result.returncode == 0, (name, result.stderr)
        expected = json.loads((site / "expected.json").read_text(encoding="utf-8"))
        base = load_settings(site / "site.toml").base_path
        output = site / "output"
        rules: list[str] = []
        assert [line.removeprefix("warning: ") for line in result.stderr.splitlines()] == expected["warnings"], name
        for want in expected["articles"].values():
            url = want["url"]
            if want.get("draft") or (want.get("expires") or "9999") < dt.datetime.now(dt.UTC).isoformat():
                assert not (output / url).exists(), (name, url)
                continue
            assert (output / (url + "index.html" if url.endswith("/") else url)).is_file(), (name, url)
            for alias in want["aliases"]:
                old = alias_path(alias, url)
                page = (output / (old + "index.html" if old.endswith("/") else old)).read_text()
                assert '<meta http-equiv="refresh" content="0; url=https://' in page and f"{base}{url}\">" in page, (name, old)
                assert '<link rel="canonical" href="https://' in page
                assert f"{old}<" not in (output / "sitemap.xml").read_text()
                rules.append(f"{base}{old} {base}{url} 301")
        if rules:
            assert sorted((output / "_redirects").read_text().splitlines()) == sorted(rules), name
            assert f'"{base}{old}"' in (output / "redirects.nginx.map").read_text()
        else:
            assert not (output / "_redirects").exists() and not (output / "redirects.nginx.map").exists(), name
        checked = run_cli("check", "-q", cwd=site)  # the archives' images are not in them: only redirects must resolve
        assert "redirect" not in checked.stdout and "Traceback" not in checked.stderr, (name, checked.stdout)


def test_a_site_without_aliases_has_no_rules_files(tmp_path: Path) -> None:
    write_files(tmp_path, {STORY: article(title="Tides")})
    build(tmp_path)
    assert not (tmp_path / "output/_redirects").exists()
    assert not (tmp_path / "output/redirects.nginx.map").exists()


def test_an_alias_taken_by_a_page_is_an_error_naming_both_files(tmp_path: Path) -> None:
    write_files(tmp_path, {
        STORY: article(title="Tides"),
        "content/2024-05-02-ferry.md": article(title="Ferry", date="2024-05-02", aliases=["/2024/05/01/tides/"]),
    })
    result = run_cli("build", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0] == (
        "error: content/2024-05-02-ferry.md: URL /2024/05/01/tides/ is already used by content/2024-05-01-tides.md"
    )


def test_check_follows_a_redirect_page_to_its_target(tmp_path: Path) -> None:
    write_files(tmp_path, {
        STORY: article(title="Tides", aliases=["/old/tides.html"]),
        "templates/redirect.html": '<!doctype html><html lang="en"><head><title>x</title>'
        '<meta http-equiv="refresh" content="0; url={{ url(story.url) }}gone/"></head><body></body></html>',
    })
    result = run_cli("check", "-q", cwd=tmp_path)
    assert result.returncode == 1
    assert "output/old/tides.html: broken redirect reference to /2024/05/01/tides/gone/" in result.stdout


def test_incremental_equals_full_after_an_alias_edit(tmp_path: Path) -> None:
    from sitekit import snapshot

    write_files(tmp_path, {STORY: article(title="Tides", aliases=["/old/tides/"])})
    cache = tmp_path / "cache"
    build(tmp_path, cache_dir=cache)
    write_files(tmp_path, {STORY: article(title="Tides", aliases=["/older/tides.html"])})
    build(tmp_path, cache_dir=cache)
    incremental = {path: data for path, (data, *_rest) in snapshot(tmp_path / "output").items()}
    assert "older/tides.html" in incremental and "old/tides/index.html" not in incremental
    build(tmp_path, output=tmp_path / "full")
    full = {path: data for path, (data, *_rest) in snapshot(tmp_path / "full").items()}
    assert incremental == full


# -- bundles ------------------------------------------------------------------


def test_bundle_files_are_published_beside_their_article_page_photos_upright_and_stripped(tmp_path: Path) -> None:
    site = _archive("hugo_toml", tmp_path)
    assert run_cli("build", "-q", cwd=site).returncode == 0
    bundle = site / "content/posts/night-buses"
    page = site / "output/2020/02/night-buses"
    assert (page / "index.html").is_file()
    # The camera's photo: stored on its side with GPS; published upright, no wider than the widest
    # image_widths (1600), with no EXIF at all.
    original = Image.open(bundle / "night-bus.jpg")
    assert (original.size, original.getexif().get(ORIENTATION), GPS_IFD in original.getexif()) == ((1200, 1800), 6, True)
    photo = Image.open(page / "night-bus.jpg")
    assert (photo.format, photo.size, dict(photo.getexif())) == ("JPEG", (1600, 1067), {})
    # The drawn map keeps its size and transparency, and loses its text chunk (a place, here).
    assert "Comment" in Image.open(bundle / "route-map.png").info
    drawn = Image.open(page / "route-map.png")
    assert (drawn.format, drawn.size, drawn.mode, "Comment" in drawn.info) == ("PNG", (300, 200), "RGBA", False)
    assert "night-bus.jpg" not in (site / "output/sitemap.xml").read_text()


def test_a_bundle_file_that_is_not_a_photo_is_copied_as_it_is_and_a_broken_photo_is_one_error(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "content/tides/index.md": article("[The tables](tables.pdf) ![Pier](pier.jpg)\n", title="Tides"),
        "content/tides/tables.pdf": b"%PDF-1.4 tide tables",
        "content/tides/pier.jpg": camera_jpeg(3, (640, 480)),
    })
    assert run_cli("build", "-q", "--no-search", cwd=tmp_path).returncode == 0
    assert (tmp_path / "output/2024/05/01/tides/tables.pdf").read_bytes() == b"%PDF-1.4 tide tables"
    (tmp_path / "content/tides/pier.jpg").write_bytes(camera_jpeg(3, (640, 480))[:2000])  # cut short while copying
    result = run_cli("build", "--no-search", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert error_lines(result.stderr) == ["error: content/tides/pier.jpg: damaged image: the file is truncated (cut short while copying?)"]


def test_a_changed_bundle_file_is_copied_again_and_a_clash_names_both(tmp_path: Path) -> None:
    write_files(tmp_path, {"content/tides/index.md": article("![Pier](pier.jpg)\n", title="Tides"), "content/tides/pier.jpg": camera_jpeg(1, (640, 480))})
    cache = tmp_path / "cache"
    build(tmp_path, cache_dir=cache)
    copied = tmp_path / "output/2024/05/01/tides/pier.jpg"
    assert Image.open(copied).size == (640, 480)
    (tmp_path / "content/tides/pier.jpg").write_bytes(camera_jpeg(2, (800, 600)))
    build(tmp_path, cache_dir=cache)
    assert Image.open(copied).size == (800, 600)
    write_files(tmp_path, {"content/tides/index.html": b"<p>a page of its own</p>", "content/x.md": article(title="X", url="/2024/05/01/tides/index.html")})
    result = run_cli("build", cwd=tmp_path)
    assert result.returncode == 1
    assert "error: content/tides/index.md (index.html): URL /2024/05/01/tides/index.html is already used by" in result.stderr
