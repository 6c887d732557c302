"""``site.py check``: broken links, images and feeds are listed one per line, exit 1."""

from __future__ import annotations

from pathlib import Path

from smallsite import build, news_site, run_site, write_article

BASE = "https://example.org/news/"


def check(root: Path, *extra: str) -> tuple[int, list[str], str]:
    result = run_site(root, "check", "--content", "content", "--output", "output", "--base-url", BASE, "-q", *extra)
    return result.returncode, result.stdout.splitlines(), result.stderr


def test_clean_site_passes(tmp_path: Path) -> None:
    news_site(tmp_path)
    code, lines, err = check(tmp_path)
    assert (code, lines) == (0, []), err


def test_broken_link_in_an_article_is_reported(tmp_path: Path) -> None:
    content = news_site(tmp_path)
    write_article(content, "2024-03-01-bad.md", "title: Bad links\ndate: 2024-03-01\n",
                  "See [nothing](../../../../nowhere/) and ![gone](/news/static/missing.png).\n")
    code, lines, err = check(tmp_path)
    assert code == 1
    # Once, by the file and line that write them, though the body shows on the story's page, lists and feeds.
    assert lines == [
        "content/2024-03-01-bad.md:5: broken image reference to /news/static/missing.png (on 5 pages)",
        "content/2024-03-01-bad.md:5: broken link to ../../../../nowhere/ (on 5 pages)",
    ]
    assert err.startswith("check failed: ")


def test_root_relative_link_on_a_sub_path_site_is_broken(tmp_path: Path) -> None:
    content = news_site(tmp_path)
    write_article(content, "2024-03-01-root.md", "title: Root\ndate: 2024-03-01\nsummary: Short.\n", "Go [home](/).\n")
    code, lines, _ = check(tmp_path)
    assert code == 1
    assert lines == ["content/2024-03-01-root.md:6: broken link to /"]


def test_broken_link_in_a_template_is_reported(tmp_path: Path) -> None:
    news_site(tmp_path)
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "404.html").write_text(
        '{% extends "base.html" %}{% block main %}<a href="{{ url(\'lost/\') }}">x</a>'
        '<img src="{{ url(asset_url(\'img/none.png\')) }}" alt="">{% endblock %}',
        encoding="utf-8",
    )
    code, lines, _ = check(tmp_path, "--templates", "templates")
    assert code == 1
    assert lines == [
        "output/404.html: broken link to /news/lost/",
        "output/404.html: broken image reference to /news/static/img/none.png",
    ]


def test_malformed_feed_is_reported_without_building(tmp_path: Path) -> None:
    news_site(tmp_path)
    assert check(tmp_path)[0] == 0
    feed = tmp_path / "output" / "tags" / "economy" / "feed.xml"
    feed.write_text(feed.read_text("utf-8").replace("</channel>", ""), encoding="utf-8")
    (tmp_path / "output" / "feed.json").write_text("{not json", encoding="utf-8")
    code, lines, _ = check(tmp_path, "--no-build")
    assert code == 1
    assert any(line.startswith("output/tags/economy/feed.xml: not well-formed XML") for line in lines), lines
    assert any(line.startswith("output/feed.json: not valid JSON") for line in lines), lines
    assert len(lines) == 2


def test_no_build_reads_output_as_it_is(tmp_path: Path) -> None:
    news_site(tmp_path)
    assert check(tmp_path)[0] == 0
    (stylesheet,) = (tmp_path / "output" / "static" / "css").glob("site.*.css")  # the fingerprinted name pages use
    stylesheet.unlink()
    code, lines, _ = check(tmp_path, "--no-build")
    assert code == 1
    assert f"output/index.html: broken link to /news/static/css/{stylesheet.name}" in lines


def test_missing_output_folder_is_a_clear_error(tmp_path: Path) -> None:
    news_site(tmp_path)
    code, lines, err = check(tmp_path, "--no-build")
    assert code == 1 and lines == []
    assert err.startswith("error: output: output folder not found")
    assert "Traceback" not in err


def test_full_urls_a_writer_typed_are_links_elsewhere_on_the_host(tmp_path: Path) -> None:
    content = news_site(tmp_path)
    write_article(
        content, "2024-03-01-full.md", "title: Full\ndate: 2024-03-01\nsummary: Short.\n",
        "[ok](https://example.org/news/archive/) [people](https://example.org/news/people/x) "
        "[elsewhere](https://example.org/shop/) [other](https://other.example/x) [mail](mailto:a@b.c) "
        "[gone](../../../../gone/)\n",
    )
    code, lines, _ = check(tmp_path)
    assert code == 1
    assert lines == ["content/2024-03-01-full.md:6: broken link to ../../../../gone/"]


def test_full_urls_the_theme_writes_are_checked(tmp_path: Path) -> None:
    news_site(tmp_path)
    assert check(tmp_path)[0] == 0
    (tmp_path / "output" / "archive" / "index.html").unlink()
    code, lines, _ = check(tmp_path, "--no-build")
    assert code == 1
    assert "output/sitemap.xml: broken link to https://example.org/news/archive/" in lines


def test_no_build_checks_against_the_base_url_of_the_build(tmp_path: Path) -> None:
    news_site(tmp_path)
    (tmp_path / "site.toml").write_text('title = "News"\nbase_url = "https://example.com/"\n', encoding="utf-8")
    assert check(tmp_path)[0] == 0  # built with --base-url BASE, not site.toml's
    result = run_site(tmp_path, "check", "--content", "content", "--output", "output", "--no-build", "-q")
    assert (result.returncode, result.stdout) == (0, ""), result.stdout
    assert not [p for p in (tmp_path / "output").rglob("*.json") if "base_url" in p.read_text("utf-8")]  # never deployed


def test_missing_anchor_is_reported_and_real_ones_pass(tmp_path: Path) -> None:
    content = news_site(tmp_path)
    write_article(
        content, "2024-03-01-anchors.md", "title: Anchors\ndate: 2024-03-01\nsummary: Short.\n",
        "## Part one\n\nA footnote[^1], [back up](#part-one), [the archive](../../../../archive/#main) "
        "and [nowhere](#no-such-part).\n\n[^1]: The note.\n",
    )
    code, lines, _ = check(tmp_path)
    assert code == 1
    assert lines == [
        "content/2024-03-01-anchors.md:8: broken link to #no-such-part (no element with id 'no-such-part')"
    ]


def test_robots_txt_sitemap_lines_are_checked(tmp_path: Path) -> None:
    news_site(tmp_path)
    assert check(tmp_path)[0] == 0
    (tmp_path / "output" / "news-sitemap.xml").unlink()
    code, lines, _ = check(tmp_path, "--no-build")
    assert code == 1
    assert lines == [f"output/robots.txt: broken link to {BASE}news-sitemap.xml"]


def test_a_build_with_another_base_url_changes_every_link(tmp_path: Path) -> None:
    news_site(tmp_path)
    build(tmp_path, "https://example.org/")  # compiles the templates with base path /
    code, lines, _ = check(tmp_path)  # builds again with BASE
    assert (code, lines) == (0, [])


def test_a_broken_link_in_a_profile_is_reported_by_authors_yml(tmp_path: Path) -> None:
    content = news_site(tmp_path)
    authors = content / "authors.yml"
    authors.write_text(
        (authors.read_text(encoding="utf-8") if authors.exists() else "")
        + "\nAnn Lee:\n  bio: Writes.\n  links:\n    - label: Old page\n      url: ../../gone-profile/\n",
        encoding="utf-8",
    )
    code, lines, err = check(tmp_path)
    assert code == 1, err
    line = authors.read_text(encoding="utf-8").splitlines().index("      url: ../../gone-profile/") + 1
    assert lines == [f"content/authors.yml:{line}: broken link to ../../gone-profile/"]
