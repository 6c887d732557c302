"""Safety: front-matter values are escaped, slugs stay inside output/, links out of content/ are not followed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import lxml.html
import pytest
from sitekit import article, build, error_lines, html_files, options, run_cli, snapshot, write_files

from broadsheet.build import Builder
from broadsheet.errors import BuildFailed

PAYLOAD = "<script>alert(1)</script>\"' onmouseover=\"alert(2)\" & <img src=x onerror=alert(3)>"
FIELDS = ("title", "summary", "authors", "tags", "section", "image", "image_alt", "image_caption", "extra_note")


def _hostile_site(root: Path) -> None:
    write_files(root, {
        "site.toml": "per_page = 1\n",  # paginated lists too
        "content/2024-05-01-hostile.md": article(
            title=f"Title {PAYLOAD}", summary=f"Summary {PAYLOAD}", authors=[f"Author {PAYLOAD}", "Ann"],
            tags=[f"Tag {PAYLOAD}", "plain"], section=f"Section {PAYLOAD}", image=f"https://cdn.example/pic{PAYLOAD}.jpg",  # a local file named so cannot exist
            image_alt=f"Alt {PAYLOAD}", image_caption=f"Caption {PAYLOAD}", extra_note=f"Note {PAYLOAD}",
        ),
        "content/2024-05-02-second.md": article(title="Second", date="2024-05-02", tags=["plain"]),
        "content/2024-04-30-first.md": article(title="First", date="2024-04-30", authors=[f"Author {PAYLOAD}"]),
    })


def test_front_matter_is_escaped_in_every_html_page(tmp_path: Path) -> None:
    _hostile_site(tmp_path)
    build(tmp_path)
    pages = html_files(tmp_path / "output")
    kinds = {p.relative_to(tmp_path / "output").parts[0] for p in pages}
    assert {"2024", "authors", "tags", "sections", "archive", "index.html", "404.html", "page"} <= kinds
    seen_payload = 0
    for page in pages:
        tree = lxml.html.fromstring(page.read_bytes())
        # The only scripts: JSON-LD data (which must stay one JSON value) and the search page's own script.
        for script in tree.xpath("//script"):
            if script.get("type") == "application/ld+json":
                assert "</" not in script.text and json.loads(script.text), page
            else:
                assert page.parent.name == "search" and script.get("src", "").startswith("/static/js/search."), page
        assert tree.xpath("//@onmouseover | //@onerror") == [], page
        # Only the lead image on the article page may be an <img>, and its src stays one attribute value.
        for img in tree.xpath("//img"):
            assert set(img.attrib) - {"width", "height", "loading", "decoding", "data-pagefind-meta"} == {"src", "alt"}, page
        seen_payload += PAYLOAD in tree.text_content() or any(PAYLOAD in v for v in tree.xpath("//@*"))
    assert seen_payload >= 10  # the payload is shown as text, not dropped


def test_every_field_reaches_the_article_page_as_text(tmp_path: Path) -> None:
    _hostile_site(tmp_path)
    build(tmp_path)
    page = tmp_path / "output/2024/05/01/hostile/index.html"
    tree = lxml.html.fromstring(page.read_bytes())
    text = tree.text_content()
    # Shown text gets typographic quotes (headline, dek, caption): compare with them made straight again.
    plain = text.translate(str.maketrans("\u201c\u201d\u2018\u2019", "\"\"''"))
    assert "Caption <script>alert(1)</script>\u201d\u2019 onmouseover" in text  # typeset, and still text
    for label in ("Title", "Summary", "Author", "Tag", "Section", "Caption"):
        assert f"{label} {PAYLOAD}" in plain, label
    (img,) = tree.xpath("//figure//img")
    assert img.get("alt") == f"Alt {PAYLOAD}"
    assert img.get("src").endswith(f"pic{PAYLOAD}.jpg")


@pytest.mark.parametrize("slug", ["../../etc/x", "/abs", "a/b", "..", ".", "..\\..\\win", "~/x", "%2e%2e/x", "\x00"])
def test_slug_never_writes_outside_output(tmp_path: Path, slug: str) -> None:
    site = tmp_path / "site"
    write_files(site, {
        "content/story.md": article(slug=slug, tags=[slug, "../up"], authors=[slug], section=slug),
    })
    write_files(tmp_path, {"etc/x/index.html": "keep", "abs/index.html": "keep"})
    outside_before = {k: v for k, v in snapshot(tmp_path).items() if not k.startswith("site/output/")}
    build(site)
    outside_after = {k: v for k, v in snapshot(tmp_path).items() if not k.startswith("site/output/")}
    assert outside_after == outside_before
    articles = [p for p in (site / "output/2024/05/01").iterdir() if p.is_dir()]
    assert len(articles) == 1
    name = articles[0].name
    assert name not in ("", ".", "..") and "/" not in name and "\\" not in name


def test_symlinked_article_outside_content_is_not_read(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "secret/leak.md": article(title="SECRET-FILE"),
        "secret/dir/leak2.md": article(title="SECRET-DIR", slug="other"),
        "site/content/ok.md": article(title="Visible"),
        "site/content/inner/real.md": article(title="Linked inside", slug="inner-real", date="2024-05-03"),
    })
    content = tmp_path / "site/content"
    (content / "leak.md").symlink_to(tmp_path / "secret/leak.md")
    (content / "dir").symlink_to(tmp_path / "secret/dir", target_is_directory=True)
    build(tmp_path / "site")
    text = b"".join(p.read_bytes() for p in (tmp_path / "site/output").rglob("*") if p.is_file())
    assert b"Visible" in text
    assert b"SECRET" not in text


def test_symlink_inside_content_is_followed(tmp_path: Path) -> None:
    write_files(tmp_path, {"content/inner/a.md": article(title="Through a link")})
    (tmp_path / "content/b.md").symlink_to(tmp_path / "content/inner/a.md")
    build(tmp_path)
    for slug in ("a", "b"):
        assert "Through a link" in (tmp_path / f"output/2024/05/01/{slug}/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("output", ["content", ".", "..", "content/.."])
def test_output_that_is_or_contains_content_is_refused(tmp_path: Path, output: str) -> None:
    site = tmp_path / "site"
    write_files(site, {"content/a.md": article()})
    before = snapshot(tmp_path)
    result = run_cli("build", "--output", output, cwd=site)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = error_lines(result.stderr)
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {output}: output folder must not be")
    assert snapshot(tmp_path) == before


def test_output_inside_content_via_options_is_refused_when_equal(tmp_path: Path) -> None:
    write_files(tmp_path, {"content/a.md": article()})
    with pytest.raises(BuildFailed):
        Builder(options(tmp_path, output=tmp_path / "content")).build()
    with pytest.raises(BuildFailed):
        Builder(options(tmp_path, output=tmp_path)).build()


def test_bom_and_crlf_build_identically(tmp_path: Path) -> None:
    texts = {
        "content/2024-05-01-a.md": article(title="Plain", tags=["x", "y"], body="One.\n\nTwo <!--more-->\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"),
        "content/b.md": article(title="Second", date="2024-05-02T10:00:00", summary="Short"),
    }
    write_files(tmp_path / "clean", texts)
    write_files(tmp_path / "dirty", {k: b"\xef\xbb\xbf" + v.replace("\n", "\r\n").encode() for k, v in texts.items()})
    build(tmp_path / "clean")
    build(tmp_path / "dirty")
    # Every published file is the same (the manifest, keyed by source bytes, is not among them).
    clean = {k: v[0] for k, v in snapshot(tmp_path / "clean/output").items()}
    dirty = {k: v[0] for k, v in snapshot(tmp_path / "dirty/output").items()}
    assert clean == dirty


def test_yaml_11_words_stay_text_as_tags_and_authors(tmp_path: Path) -> None:
    write_files(tmp_path, {"content/a.md": "---\ntitle: Words\ndate: 2024-05-01\ntags: [no, yes, on, off, 10:00, 0o17, 1.50, ~x]\nauthor: no\nsection: on\n---\nBody\n"})
    builder = Builder(options(tmp_path))
    builder.build()
    site = builder.site
    assert site is not None
    assert sorted(t.name for t in site.tags.values()) == sorted(["no", "yes", "on", "off", "10:00", "0o17", "1.50", "~x"])
    assert [t.name for t in site.authors.values()] == ["no"]
    assert [t.name for t in site.sections.values()] == ["on"]
    page = (tmp_path / "output/tags/no/index.html").read_text(encoding="utf-8")
    assert "False" not in page and "600" not in page


def test_names_that_slugify_alike_get_distinct_pages(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "content/a.md": article(title="A", tags=["C++", "C#", "C"], authors=["Zoë", "Zoe"]),
        "content/b.md": article(title="B", slug="b", tags=["c++"], authors=["zoë"]),
    })
    builder = Builder(options(tmp_path))
    builder.build()
    assert builder.site is not None
    tags = builder.site.tags
    assert len(tags) == 3 and len(set(tags)) == 3
    assert {t.name: len(t.stories) for t in tags.values()} == {"C++": 2, "C#": 1, "C": 1}
    authors = builder.site.authors
    assert sorted(t.name for t in authors.values()) == ["Zoe", "Zoë"]
    for term in [*tags.values(), *authors.values()]:
        page = tmp_path / "output" / f"{term.kind}s" / term.key / "index.html"
        assert term.name in lxml.html.fromstring(page.read_bytes()).text_content()


def test_no_staging_or_temp_files_are_left(tmp_path: Path) -> None:
    write_files(tmp_path, {"content/a.md": article()})
    build(tmp_path)
    assert sorted(os.listdir(tmp_path)) == ["content", "output"]
    assert not [p for p in (tmp_path / "output").rglob("*") if p.name.endswith((".tmp", ".staging"))]


@pytest.mark.parametrize("url", ["javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)", "data:text/html,<script>x</script>", "vbscript:x"])
def test_profile_links_that_would_run_code_are_errors(tmp_path: Path, url: str) -> None:
    write_files(tmp_path, {
        "content/a.md": article(authors=["Ann Lee"]),
        "content/authors.yml": f"Ann Lee:\n  photo: {json.dumps(url)}\n  links:\n    - label: Home\n      url: {json.dumps(url)}\n",
    })
    result = run_cli("build", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    scheme = url.replace("\t", "").strip().split(":")[0].lower()
    problem = f"'{scheme}:' links are not allowed; use an http(s) or mailto address, or a path on this site"
    assert error_lines(result.stderr) == [f"error: content/authors.yml: Ann Lee.links: {problem}", f"error: content/authors.yml: Ann Lee.photo: {problem}"]


def test_profile_links_to_pages_addresses_and_paths_are_kept(tmp_path: Path) -> None:
    links = ["https://example.org/x", "mailto:ann@example.org", "/people/ann/", "people/ann/", "//cdn.example.org/ann"]
    write_files(tmp_path, {
        "content/a.md": article(authors=["Ann Lee"]),
        "content/authors.yml": "Ann Lee:\n  links:\n" + "".join(f"    - {{label: L{i}, url: '{u}'}}\n" for i, u in enumerate(links)),
    })
    build(tmp_path)
    page = (tmp_path / "output" / "authors" / "ann-lee" / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{u}"' in page for u in links)
