"""Every word the theme shows goes through the catalogs: no literal text is left in a template.

The text between tags and the attributes a reader sees or hears (``aria-label``,
``placeholder``, ``alt``, ``title``) of every template, once its Jinja code is
taken out, may hold punctuation, numbers and entities, but no words: a word
there would show in English on a page in any language.
"""

from __future__ import annotations

import re

from broadsheet.theme import THEME_DIR

JINJA = re.compile(r"\{#.*?#\}|\{\{.*?\}\}|\{%.*?%\}", re.S)
HIDDEN = re.compile(r"<(script|style)\b.*?</\1>", re.S)
SEEN_ATTRIBUTES = re.compile(r"""\b(?:aria-label|placeholder|alt|title)\s*=\s*(["'])(.*?)\1""", re.S)
WORD = re.compile(r"[^\W\d_]{2,}")
# Shortcodes render inside a story's body, in the Markdown stage, in the story's own words: no theme
# catalog reaches them. The video players' poster names its service; these are all the words allowed.
SHORTCODE_WORDS = {"shortcodes/youtube.html": {"Play", "loads", "YouTube"}, "shortcodes/vimeo.html": {"Play", "loads", "Vimeo"}}


def literal_words(source: str) -> list[str]:
    """The words a template shows that are not Jinja: its text and its visible attributes."""
    markup = HIDDEN.sub(" ", JINJA.sub(" ", source))
    attributes = [match.group(2) for match in SEEN_ATTRIBUTES.finditer(markup)]
    text = re.sub(r"&#?\w+;", " ", re.sub(r"<[^>]*>", " ", markup))
    return WORD.findall(" ".join([text, *attributes]))


def test_the_scan_finds_literal_text() -> None:
    assert literal_words('<p>{{ _("Older") }} &rarr;</p><a aria-label="{{ _(\'Next\') }}">{{ n }}</a>') == []
    assert literal_words("<p>This story has moved: {{ link }}</p>") == ["This", "story", "has", "moved"]
    assert literal_words('<input placeholder="Search">{# a comment #}') == ["Search"]
    assert literal_words("<p>作者 {{ name }}</p>") == ["作者"]


def test_no_template_shows_literal_text() -> None:
    templates = sorted(THEME_DIR.rglob("*.html"))
    assert len(templates) > 20
    found = {}
    for path in templates:
        name = path.relative_to(THEME_DIR).as_posix()
        words = set(literal_words(path.read_text(encoding="utf-8"))) - SHORTCODE_WORDS.get(name, set())
        if words:
            found[name] = sorted(words)
    assert not found, f"literal text in templates; wrap it in _(...) and run scripts/messages.py: {found}"
