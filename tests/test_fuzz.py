"""Fuzz: random front matter and bodies give either an Article / a site, or clean errors naming the file."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

import lxml.html
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sitekit import options

from broadsheet.build import Builder
from broadsheet.errors import BuildFailed
from broadsheet.model.content import Article, parse_article
from broadsheet.model.fields import KNOWN

ZONE = ZoneInfo("Europe/Amsterdam")
YAMLISH = [
    "no", "yes", "on", "off", "10:00", "0o17", "1.50", ".inf", "null", "~", "", "2024-05-01", "2024-02-30",
    "2024-05-01T09:30:00+08:00", "2024-05-01 25:00", "0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-12:00",
    "[a, b", "{x: 1}", "[C++, C#]", "'quoted: colon'", "unquoted: colon", '"open', "!!binary aGk=", "!!set {a}",
    "!!timestamp 2024-02-30", "!!int 10:00", "!!python/object:os.system x", "*alias", "&anchor value", "|", ">",
    "- item", "<script>alert(1)</script>", "../../etc/passwd", "/abs", "a/b", "..", "\t", "#comment", "%", "@", "`",
]
printable = st.characters(blacklist_categories=("Cs", "Cc"))
keys = st.one_of(st.sampled_from(sorted(KNOWN)), st.text(printable, min_size=1, max_size=8), st.text(min_size=1, max_size=3))
quoted = st.text(max_size=30).map(lambda t: json.dumps(t, ensure_ascii=False))  # any unicode, incl. control chars
scalars = st.one_of(st.sampled_from(YAMLISH), st.text(printable, max_size=20), st.integers().map(str), quoted)
values = st.one_of(
    scalars,
    st.lists(scalars, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
    st.lists(scalars, max_size=3).map(lambda items: "".join(f"\n  - {i}" for i in items)),
)
MARKDOWN = [
    "# Heading", "## 北京", "- item", "1. item", "> quote", "```", "```python", "| a | b |", "|---|---|", "[^1]", "[^1]: note",
    "<!--more-->", "<div>", "</div>", "<script>alert(1)</script>", "[x](javascript:alert(1))", "*", "**", "`", "    code",
    "---", "***", "![img](x.png)", "<b>", "&amp;", "&#0;", "{: #id .class }", "Term\n:   definition", "*[HTML]: Hyper",
]
markdown_lines = st.lists(st.one_of(st.sampled_from(MARKDOWN), st.text(max_size=20)), max_size=15).map("\n".join)
bodies = st.one_of(markdown_lines, st.text(max_size=200), st.binary(max_size=200).map(lambda b: b.decode("utf-8", "replace")))
titles = st.text(printable, min_size=1, max_size=30).filter(str.strip)
good_dates = st.sampled_from(["2024-05-01", "2024-05-01T09:30:00+08:00", "2024-05-01 23:59", "'2024-05-01T00:00:00Z'"])


@st.composite
def documents(draw: st.DrawFn) -> bytes:
    fields = draw(st.lists(st.tuples(keys, values), max_size=3))
    if draw(st.integers(0, 3)):  # mostly an article that could be valid, plus random fields
        title = json.dumps(draw(titles), ensure_ascii=False)
        fields = [("title", title), ("date", draw(good_dates)), *fields]
    lines = "".join(f"{key}: {value}\n" for key, value in fields)
    closing = draw(st.sampled_from(["---\n"] * 8 + ["", "...\n"]))
    text = f"---\n{lines}{closing}{draw(bodies)}"
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    raw = text.encode("utf-8")
    if draw(st.booleans()):
        raw = b"\xef\xbb\xbf" + raw
    if draw(st.integers(0, 9)) == 0:
        raw += draw(st.binary(min_size=1, max_size=20))
    return raw


def _assert_clean(failed: BuildFailed, names: set[str]) -> None:
    assert failed.errors
    for error in failed.errors:
        assert error.path in names, error
        assert "\n" not in str(error) and "\r" not in str(error)


@settings(max_examples=300, deadline=None)
@given(documents())
def test_parse_article_returns_article_or_clean_error(raw: bytes) -> None:
    try:
        result = parse_article(raw, "content/fuzz.md", ZONE)
    except BuildFailed as failed:
        event("error")
        _assert_clean(failed, {"content/fuzz.md"})
    else:
        event("article")
        assert isinstance(result, Article)
        assert result.title and result.slug and result.date.tzinfo is not None
        assert "/" not in result.slug and result.slug not in (".", "..")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(documents(), min_size=1, max_size=2))
def test_build_gives_valid_site_or_clean_errors(docs: list[bytes]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp)
        (site / "content").mkdir()
        names = set()
        for i, raw in enumerate(docs):
            path = site / "content" / f"2024-05-0{i + 1}-story-{i}.md"
            path.write_bytes(raw)
            names.add(path.as_posix())
        try:
            Builder(options(site)).build()
        except BuildFailed as failed:
            event("errors")
            _assert_clean(failed, names)
            assert not (site / "output").exists()
        else:
            event("site")
            pages = sorted((site / "output").rglob("*.html"))
            assert pages
            for page in pages:
                tree = lxml.html.fromstring(page.read_bytes())
                assert tree.tag == "html"
