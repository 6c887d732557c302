"""Plain text made safe to put in Markdown: it renders as the same text, never as markup."""

from __future__ import annotations

import re

_INLINE = re.compile(r"([\\`*_\[\]{}])")
_LINE_START = re.compile(r"^(#|>|[-+*](?=\s|$)|-{3,})")
_NUMBERED = re.compile(r"^(\d+)([.)])(?=\s|$)")


def escape_markdown(text: str) -> str:
    """Escape one line of plain text so Markdown shows it literally."""
    text = _INLINE.sub(r"\\\1", text).replace("<", "&lt;")
    text = _NUMBERED.sub(r"\1\\\2", text)
    return _LINE_START.sub(r"\\\1", text)
