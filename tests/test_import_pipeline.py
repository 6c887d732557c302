"""Archives imported from other generators, through the build: vocabulary, shortcodes and Liquid warnings."""

from __future__ import annotations

from pathlib import Path

from sitekit import article, build, run_cli, write_files

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
