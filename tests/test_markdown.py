"""markdown.py: HTML, summary and reading time from an Article's body."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import lxml.html
import pytest
from sitekit import article

from broadsheet.errors import BuildFailed
from broadsheet.markup.markdown import (
    CJK_CHARS_PER_MINUTE,
    WORDS_PER_MINUTE,
    Rendered,
    plain_text,
    reading_stats,
    render_article,
)
from broadsheet.model.content import Article, parse_article


def make(body: str, **fields: object) -> Article:
    return parse_article(article(body=body, **fields).encode(), "content/x.md", ZoneInfo("UTC"))


def render(body: str, language: str = "en", engine: str = "python-markdown", **fields: object) -> Rendered:
    return render_article(make(body, **fields), language, markdown=engine)


def test_summary_from_front_matter_is_escaped_text(markdown_engine: str) -> None:
    r = render("First paragraph.\n\nSecond.\n", summary="Fish & <chips>", engine=markdown_engine)
    assert r.summary_html == "Fish &amp; &lt;chips&gt;"
    assert r.summary_text == "Fish & <chips>"


def test_summary_from_more_marker(markdown_engine: str) -> None:
    r = render("Intro *one*.\n\nIntro two.\n\n<!-- more -->\n\nRest of the story.\n", engine=markdown_engine)
    assert r.summary_html == "<p>Intro <em>one</em>.</p>\n<p>Intro two.</p>"
    assert r.summary_text == "Intro one. Intro two."
    assert "Rest of the story." in r.html


def test_summary_from_first_paragraph(markdown_engine: str) -> None:
    r = render("# Heading\n\nFirst **para**.\n\nSecond para.\n", engine=markdown_engine)
    assert r.summary_html == "<p>First <strong>para</strong>.</p>"
    assert r.summary_text == "First para."


def test_no_paragraph_no_summary(markdown_engine: str) -> None:
    assert render("# Only a heading\n", engine=markdown_engine).summary_html == ""


def test_tables_footnotes_fenced_code_and_heading_ids(markdown_engine: str) -> None:
    body = "## Market report\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nSee note[^n].\n\n[^n]: The note.\n\n```python\nx = '<b>'\n```\n\n## 北京\n\n## Market report\n"
    tree = lxml.html.fromstring(f"<div>{render(body, engine=markdown_engine).html}</div>")
    assert tree.xpath("//table//td/text()") == ["1", "2"]
    assert tree.xpath("//sup/a/@href") == ["#fn:n"]
    assert tree.xpath("//li[@id='fn:n']")
    (code,) = tree.xpath("//pre/code")
    assert code.get("class") == "language-python" and code.text == "x = '<b>'\n"
    assert tree.xpath("//h2/@id") == ["market-report", "bei-jing", "market-report_1"]


def test_smart_quotes_for_english_none_for_chinese(markdown_engine: str) -> None:
    body = "\"Quoted\" and 'single' -- dash.\n"
    assert render(body, "en", engine=markdown_engine).html == "<p>&ldquo;Quoted&rdquo; and &lsquo;single&rsquo; &ndash; dash.</p>"
    assert render(body, "zh", engine=markdown_engine).html == "<p>\"Quoted\" and 'single' -- dash.</p>"
    assert render(body, "en", lang="zh-Hans", engine=markdown_engine).html == render(body, "zh", engine=markdown_engine).html


def test_reading_time_counts_words() -> None:
    words, minutes = reading_stats("word " * (WORDS_PER_MINUTE * 3))
    assert (words, minutes) == (WORDS_PER_MINUTE * 3, 3)
    assert reading_stats("") == (0, 1)


def test_reading_time_counts_cjk_characters() -> None:
    text = "新闻" * CJK_CHARS_PER_MINUTE  # two minutes of Chinese, no spaces
    words, minutes = reading_stats(text)
    assert (words, minutes) == (2 * CJK_CHARS_PER_MINUTE, 2)
    assert reading_stats("東京の天気 is fine")[0] == 5 + 2


def test_rendered_reading_time_and_word_count(markdown_engine: str) -> None:
    r = render("word " * (WORDS_PER_MINUTE * 2) + "\n", engine=markdown_engine)
    assert (r.word_count, r.reading_minutes) == (WORDS_PER_MINUTE * 2, 2)


@pytest.mark.parametrize("body", ["", "\x00\x01", "<div>unclosed", "> " * 200 + "deep", "[x]: <>", "*" * 1000])
def test_odd_bodies_render(body: str, markdown_engine: str) -> None:
    assert isinstance(render(body, engine=markdown_engine).html, str)


@pytest.mark.parametrize(
    ("fragment", "text"),
    [
        ("<p>First <strong>para</strong>.</p>", "First para."),
        ("<p>a</p><p>b</p>", "a b"),
        ("<p>x<br>y</p>", "x y"),
        ("<table><tr><td>1</td><td>2</td></tr></table>", "1 2"),
        ("<p><a href='#'>link</a>, &amp; more</p>", "link, & more"),
    ],
)
def test_plain_text(fragment: str, text: str) -> None:
    assert plain_text(fragment) == text


def test_markdown_nested_too_deeply_is_an_error_naming_the_file() -> None:
    body = "".join("  " * i + "- x\n" for i in range(500))
    with pytest.raises(BuildFailed) as failed:
        render(body)
    assert [str(e) for e in failed.value.errors] == [
        "content/x.md: the Markdown is nested too deeply to render (lists or quotes hundreds of levels deep)"
    ]


def test_a_failed_render_does_not_spoil_the_next_one(markdown_engine: str) -> None:
    with pytest.raises(BuildFailed):
        render("".join("  " * i + "- x\n" for i in range(500)))
    assert render("Hello *there*.\n", engine=markdown_engine).html == "<p>Hello <em>there</em>.</p>"
    assert render("- a\n\n    b\n", engine=markdown_engine).html == "<ul>\n<li>\n<p>a</p>\n<p>b</p>\n</li>\n</ul>"


def test_summaries_carry_no_footnote_markers(markdown_engine: str) -> None:
    for body in ("Lede with a note[^1].\n\n<!--more-->\n\nMore.\n\n[^1]: The note.\n",
                 "Lede with a note[^1].\n\nSecond.\n\n[^1]: The note.\n"):
        rendered = render(body, engine=markdown_engine)
        assert rendered.summary_html == "<p>Lede with a note.</p>"
        assert rendered.summary_text == "Lede with a note."
        assert 'id="fnref:1"' in rendered.html  # the body keeps its footnote


def test_a_body_step_sees_each_engines_html_in_one_shape(markdown_engine: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The seam for HTML post-processing: a step added to ``BODY_STEPS`` runs whichever engine converted."""
    seen: list[str] = []

    def figures(html: str) -> str:
        seen.append(html)
        return html.replace('<p><img alt="The pier" src="pier.jpg"></p>', "<figure>pier</figure>")

    monkeypatch.setattr("broadsheet.markup.markdown.BODY_STEPS", [figures])
    rendered = render("## Harbour\n\n![The pier](pier.jpg)\n\nNote[^1].\n\n[^1]: Text.\n", engine=markdown_engine)
    assert '<h2 id="harbour">Harbour</h2>\n<figure>pier</figure>\n<p>Note<sup id="fnref:1">' in rendered.html
    assert len(seen) == 1 and '<div class="footnote">' in seen[0]


def test_the_python_markdown_fingerprint_follows_its_version_file_without_importing_it(tmp_path, monkeypatch) -> None:
    import subprocess
    import sys
    from importlib.machinery import ModuleSpec

    from broadsheet.markup import engines

    script = "import sys; from broadsheet.markup.engines import fingerprint; fingerprint('python-markdown'); print('markdown' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"  # the rebuild's parent, which renders no Markdown, never loads it

    package = tmp_path / "markdown"
    package.mkdir()
    spec = ModuleSpec("markdown", None, is_package=True)
    spec.submodule_search_locations = [str(package)]
    monkeypatch.setattr("importlib.util.find_spec", lambda name: spec)
    seen = []
    for version in ("(3, 11, 3, 'final', 0)", "(3, 12, 0, 'final', 0)", "(3, 12, 0, 'final', 0)"):
        (package / "__meta__.py").write_text(f"__version_info__ = {version}\n", encoding="utf-8")
        seen.append(engines.fingerprint("python-markdown"))
    assert seen[0] != seen[1] == seen[2] and all(f.startswith("python-markdown (Python-Markdown ") for f in seen)
