"""commonmark.py: the CommonMark engine's HTML in the shape the rest of the pipeline (and Python-Markdown) gives."""

from __future__ import annotations

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadsheet.markup.commonmark import endnotes, heading_ids, to_html
from broadsheet.markup.markdown import python_markdown


def test_footnotes_become_endnotes_in_python_markdowns_markup() -> None:
    body = (
        "Fees rise.[^fees]\n\n[^fees]: Fees are per day.\n\n| Stall | Fee |\n|---|--:|\n| Small | £12 |\n\n"
        "The market's busiest day remains Saturday.\n"
    )
    assert to_html(body) == python_markdown(body)


def test_notes_are_numbered_and_listed_in_order_with_every_marker_linked() -> None:
    body = "One[^a], two[^b], one again[^a] and none[^missing].\n\n[^b]: Bee.\n\n[^a]: Ay.\n\n    <div>raw <div>nested</div></div>\n\nAfter.\n"
    html = to_html(body)
    tree = lxml.html.fromstring(f"<div>{html}</div>")
    assert tree.xpath("//sup/@id") == ["fnref:a", "fnref:b", "fnref2:a"]
    assert tree.xpath("//sup/a/@href") == ["#fn:a", "#fn:b", "#fn:a"]
    assert tree.xpath("//div[@class='footnote']/ol/li/@id") == ["fn:a", "fn:b"]
    assert "[^missing]" in html  # a marker without a note stays text, as in Python-Markdown
    assert html.index("After.") < html.index('<div class="footnote">')  # notes written mid-body move to the end
    assert tree.xpath("//li[@id='fn:a']//div/div/text()") == ["nested"]
    assert tree.xpath("//li[@id='fn:a']/p/a[@class='footnote-backref']/@href") == ["#fnref:a"]


def test_a_note_nobody_points_at_is_listed_without_a_link_back() -> None:
    html = endnotes('<p>x</p>\n<div class="footnote-definition" id="n"><sup class="footnote-definition-label">1</sup>\n<p>Orphan.</p>\n</div>\n')
    assert html == '<p>x</p>\n<div class="footnote">\n<hr>\n<ol>\n<li id="fn:n">\n<p>Orphan.</p>\n</li>\n</ol>\n</div>'


def test_heading_attributes_as_hugo_writes_them() -> None:
    html = to_html("## Rates {#rates .wide}\n\n## Rates\n\n## Plain & *simple*\n")
    assert html == (
        '<h2 id="rates" class="wide">Rates</h2>\n<h2 id="rates_1">Rates</h2>\n'
        '<h2 id="plain-and-simple">Plain &amp; <em>simple</em></h2>'
    )


HEADING_TEXT = st.lists(
    st.sampled_from(["Rates", "rates", "北京", "Café", "&", "1", "_1", "-", "é", "Q&A", "x_1", "  ", "a"]), min_size=1, max_size=4,
).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 6), HEADING_TEXT), min_size=1, max_size=6))
def test_heading_ids_are_python_markdowns(headings: list[tuple[int, str]]) -> None:
    """Same text, same ids, repeats numbered the same way."""
    body = "".join(f"{'#' * level} {text}\n\n" for level, text in headings)
    ids = [lxml.html.fromstring(f"<div>{html}</div>").xpath("//*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6]/@id")
           for html in (to_html(body), python_markdown(body))]
    assert ids[0] == ids[1]


def test_ids_already_in_the_document_are_kept_and_reserved() -> None:
    assert heading_ids('<p id="intro">x</p>\n<h2>Intro</h2>\n<h3 id="own">Own</h3>') == (
        '<p id="intro">x</p>\n<h2 id="intro_1">Intro</h2>\n<h3 id="own">Own</h3>'
    )


@pytest.mark.parametrize(
    ("body", "html"),
    [
        ("~~gone~~\n", "<p><del>gone</del></p>"),
        ("- [ ] to do\n- [x] done\n", '<ul>\n<li><input disabled="" type="checkbox">\nto do</li>\n<li><input disabled="" type="checkbox" checked="">\ndone</li>\n</ul>'),
        ('<div class="box">\n*raw* <script>x()</script>\n</div>\n', '<div class="box">\n*raw* <script>x()</script>\n</div>'),
        ("Term\n: Meaning\n", "<dl>\n<dt>Term</dt>\n<dd>Meaning</dd>\n</dl>"),
        ("a  \nb\n\n***\n", "<p>a<br>\nb</p>\n<hr>"),
        ("![The pier](pier.jpg)\n", '<p><img alt="The pier" src="pier.jpg"></p>'),
        ('![The "pier"](pier.jpg "At dawn")\n', '<p><img alt="The &quot;pier&quot;" src="pier.jpg" title="At dawn"></p>'),
    ],
)
def test_gfm_extensions_raw_html_and_void_elements(body: str, html: str) -> None:
    assert to_html(body) == html


@pytest.mark.parametrize(
    ("body", "commonmark", "python_markdown_html"),
    [
        # Where the two dialects differ, each engine shows the text as its own writers expect.
        ("1) one\n", "<ol>\n<li>one</li>\n</ol>", "<p>1) one</p>"),
        # A list nested by two spaces: CommonMark nests it, Python-Markdown wants four.
        ("- a\n  - b\n", "<ul>\n<li>a\n<ul>\n<li>b</li>\n</ul>\n</li>\n</ul>", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"),
        ('<div markdown="1">\n*md*\n</div>\n', '<div markdown="1">\n*md*\n</div>', "<div>\n<p><em>md</em></p>\n</div>"),
    ],
)
def test_where_commonmark_and_python_markdown_differ(body: str, commonmark: str, python_markdown_html: str) -> None:
    assert to_html(body) == commonmark
    assert python_markdown(body) == python_markdown_html


def test_the_commonmark_fingerprint_is_the_librarys_version_read_without_importing_it(tmp_path, monkeypatch) -> None:
    import subprocess
    import sys
    from importlib.machinery import ModuleSpec

    import pyromark

    from broadsheet.markup import engines

    script = "import sys; from broadsheet.markup.engines import fingerprint; print(fingerprint('commonmark')); print('pyromark' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    # The same version the library reports, and the rebuild's parent, which renders no Markdown, never loads it.
    assert done.stdout.split("\n")[:2] == [f"commonmark (pyromark {pyromark.__version__})", "False"]

    package = tmp_path / "site-packages" / "pyromark"
    package.mkdir(parents=True)
    spec = ModuleSpec("pyromark", None, is_package=True)
    spec.submodule_search_locations = [str(package)]
    monkeypatch.setattr("importlib.util.find_spec", lambda name: spec)
    (tmp_path / "site-packages" / "pyromark-9.8.7.dist-info").mkdir()
    assert engines.fingerprint("commonmark") == "commonmark (pyromark 9.8.7)"
    (tmp_path / "site-packages" / "pyromark-9.8.6.dist-info").mkdir()  # two installs' leftovers: ask the library
    assert engines.fingerprint("commonmark") == f"commonmark (pyromark {pyromark.__version__})"
