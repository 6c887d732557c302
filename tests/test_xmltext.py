"""xmltext.py: absolute URLs in feed bodies, checked against lxml's own link rewriting."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import lxml.html
from hypothesis import given, settings
from hypothesis import strategies as st

from broadsheet.markup.markdown import to_html
from broadsheet.outputs.xmltext import _join, absolute_html, xml_text

BASE = "https://example.org/news/2024/05/01/story/"


def links(fragment: str) -> list[tuple[str, str]]:
    wrapper = lxml.html.fragment_fromstring(fragment, create_parent="div")
    return [(element.tag, link) for element, _attribute, link, _pos in wrapper.iterlinks()]


def reference(fragment: str) -> list[tuple[str, str]]:
    wrapper = lxml.html.fragment_fromstring(fragment, create_parent="div")
    wrapper.make_links_absolute(BASE, resolve_base_href=False, handle_failures="ignore")
    return [(element.tag, link) for element, _attribute, link, _pos in wrapper.iterlinks()]


targets = st.sampled_from(["../../../../archive/", "/static/x.png", "img/a b.png", "#note", "https://other.example/x",
                           "mailto:a@b.c", "?page=2&x=1", "../sibling/", "//cdn.example/x.js"])
words = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(words, targets, st.booleans()), min_size=1, max_size=6))
def test_markdown_bodies_get_the_same_links_as_lxml_gives(parts: list[tuple[str, str, bool]]) -> None:
    body = "\n\n".join(f"{'!' if image else ''}[{text.replace(']', '')}]({target})" for text, target, image in parts)
    fragment = to_html(body, "en")
    assert links(absolute_html(fragment, BASE)) == reference(fragment)


def test_every_quoting_style_and_srcset() -> None:
    fragment = (
        "<p><a href='../a/'>single</a> <a href=../b/>bare</a> <img src=\"c.png\" "
        "srcset=\"c.png 1x, /d.png 2x\" alt=\"x\"><video poster=\"p.jpg\"></video></p>"
    )
    out = absolute_html(fragment, BASE)
    assert "href='https://example.org/news/2024/05/01/a/'" in out
    assert "href=https://example.org/news/2024/05/01/b/" in out
    assert 'srcset="https://example.org/news/2024/05/01/story/c.png 1x, https://example.org/d.png 2x"' in out
    assert 'poster="https://example.org/news/2024/05/01/story/p.jpg"' in out


def test_text_that_looks_like_an_attribute_is_left_alone() -> None:
    fragment = '<p>Set src="x.png" and href="y/" in the template.</p><pre><code>&lt;a href="z"&gt;</code></pre>'
    assert absolute_html(fragment, BASE) == fragment


def test_unreadable_urls_stay_as_written_and_forbidden_characters_go() -> None:
    assert absolute_html('<a href="http://[oops">x\x01</a>', BASE) == '<a href="http://[oops">x</a>'
    assert xml_text("a\x00b\ufffec") == "abc"


url_text = st.text(alphabet=st.sampled_from(list("aZ09-._~:/?#[]@!$&'()*+,;=%\\ \t")), max_size=20)
bases = st.sampled_from([BASE, "https://example.org/", "http://example.org/a/b", "https://other.example/x/y?q#f", "ftp://h/p/"])


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["https://", "http://", "HTTPS://", "//", ""]), url_text, st.lists(bases, min_size=2, max_size=4))
def test_remembered_joins_are_what_urljoin_gives_for_every_base(prefix: str, rest: str, some_bases: list[str]) -> None:
    url = prefix + rest
    for base in some_bases:  # the first base's answer is remembered; later bases must still get their own
        try:
            expected = urljoin(base, url)
        except ValueError:
            continue
        assert _join(base, urlsplit(base).scheme, url) == expected
