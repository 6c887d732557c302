"""mdfigures.py and figures.py: a lone body image with a title becomes a figure with a caption, under either engine."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from broadsheet.markup.figures import lone_images
from broadsheet.markup.markdown import _converter, render_article, to_html
from broadsheet.markup.mdfigures import NAME
from broadsheet.model.content import parse_article


def test_titled_lone_image_becomes_a_figure() -> None:
    html = to_html('Intro.\n\n![Lanterns over the canal](images/lanterns.jpg "Stalls reopen at dusk")\n\nMore.\n', "en")
    assert html == (
        "<p>Intro.</p>\n<figure>\n"
        '<img alt="Lanterns over the canal" src="images/lanterns.jpg">\n'
        "<figcaption>Stalls reopen at dusk</figcaption>\n"
        "</figure>\n<p>More.</p>"
    )


def test_caption_keeps_escapes_quotes_and_attributes() -> None:
    html = to_html('![w](c.jpg "The \\*canal\\*, \'lit\' at dusk"){: .wide}\n', "en")
    assert '<img alt="w" class="wide" src="c.jpg">' in html
    assert "<figcaption>The *canal*, &lsquo;lit&rsquo; at dusk</figcaption>" in html


def test_other_images_stay_as_they_are() -> None:
    assert to_html('Text ![x](a.jpg "t") inline.\n', "en") == '<p>Text <img alt="x" src="a.jpg" title="t"> inline.</p>'
    assert to_html("![no title](b.jpg)\n", "en") == '<p><img alt="no title" src="b.jpg"></p>'
    assert to_html('![a](a.jpg "one") ![b](b.jpg "two")\n', "en").startswith("<p>")


def test_figures_inside_quotes_and_lists() -> None:
    html = to_html('> ![q](d.jpg "In a quote")\n\n- item\n\n    ![l](e.jpg "In a list")\n', "en")
    assert html.count("<figure>") == 2 and "<figcaption>In a quote</figcaption>" in html


def test_registered_by_name_and_a_figure_is_not_the_summary() -> None:
    assert NAME in _converter().treeprocessors
    article = parse_article(b'---\ntitle: x\ndate: 2026-01-01\n---\n\n![a](a.jpg "Caption")\n\nThe lede.\n', "a.md", ZoneInfo("UTC"))
    rendered = render_article(article, "en")
    assert rendered.summary_html == "<p>The lede.</p>"
    assert rendered.word_count == 3  # the caption's word and the lede's two


def test_both_engines_write_the_same_figure(markdown_engine: str) -> None:
    text = 'Intro.\n\n![Lanterns over the canal](images/lanterns.jpg "Stalls reopen at dusk")\n\nText ![x](a.jpg "t") inline.\n\n![n](b.jpg)\n'
    assert to_html(text, "en", markdown_engine) == (
        "<p>Intro.</p>\n<figure>\n"
        '<img alt="Lanterns over the canal" src="images/lanterns.jpg">\n'
        "<figcaption>Stalls reopen at dusk</figcaption>\n"
        "</figure>\n"
        '<p>Text <img alt="x" src="a.jpg" title="t"> inline.</p>\n'
        '<p><img alt="n" src="b.jpg"></p>'
    )


def test_the_html_step_escapes_and_quotes_the_caption() -> None:
    html = lone_images('<p><img alt="w" src="c.jpg" title="A &amp; B &lt;i&gt;   &quot;lit&quot;"></p>')
    assert html == '<figure>\n<img alt="w" src="c.jpg">\n<figcaption>A &amp; B &lt;i&gt; "lit"</figcaption>\n</figure>'
    assert lone_images('<p><img alt="w" src="c.jpg" title="  "></p>') == '<p><img alt="w" src="c.jpg" title="  "></p>'
