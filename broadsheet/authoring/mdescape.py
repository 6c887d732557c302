"""Plain text made safe to put in Markdown: it renders as the same text, never as markup."""

from __future__ import annotations

import re

_INLINE = re.compile(r"([\\`*_\[\]{}])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_LINE_START = re.compile(r"^(#|>|[-+*](?=\s|$)|-{3,})")
_NUMBERED = re.compile(r"^(\d+)([.)])(?=\s|$)")
# Line starts Markdown has no backslash escape for: definition lists, fenced code.
_ENTITY_START = {":": "&#58;", "~": "&#126;"}


def escape_markdown(text: str) -> str:
    """Escape one stripped line of plain text so Markdown shows it literally."""
    text = _INLINE.sub(r"\\\1", text)
    text = _ENTITY.sub("&amp;", text).replace("<", "&lt;")
    text = _NUMBERED.sub(r"\1\\\2", text)
    if text[:1] in _ENTITY_START:
        return _ENTITY_START[text[0]] + text[1:]
    return _LINE_START.sub(r"\\\1", text)
