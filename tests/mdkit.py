"""Broadsheet's Markdown converter beside stock Python-Markdown with the same extensions."""

from __future__ import annotations

import markdown as md

from broadsheet.markup.markdown import _converter, extensions


def stock() -> md.Markdown:
    return md.Markdown(extensions=extensions(), output_format="html")


def both(text: str) -> tuple[str, str]:
    """``text`` converted by stock Python-Markdown and by Broadsheet's converter."""
    plain, ours = stock(), _converter()
    ours.reset()
    return plain.convert(text), ours.convert(text)
