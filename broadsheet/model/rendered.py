"""What the Markdown stage adds to an article: its body as HTML, a summary and reading statistics."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from broadsheet.errors import SiteError


@dataclass(frozen=True, slots=True)
class Rendered:
    """What the Markdown stage adds to an Article."""

    html: Any
    summary_html: str
    summary_text: str
    reading_minutes: int
    word_count: int
    warnings: tuple[SiteError, ...] = ()  # shown, not fatal: Liquid left in Jekyll content

    def with_html(self, html: Any) -> Rendered:
        """The same data with another body (the cache stores bodies apart)."""
        return replace(self, html=html)
