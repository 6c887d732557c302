"""Split a list into numbered pages at /base/, /base/page/2/, ..."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


WINDOW = 2


@dataclass(frozen=True, slots=True)
class Pager:
    """One page of a paginated list, with everything a template needs to link around it."""

    number: int
    total: int
    items: Sequence[Any]
    base: str
    count: int

    def url_for(self, number: int) -> str:
        return self.base if number == 1 else f"{self.base}page/{number}/"

    @property
    def url(self) -> str:
        return self.url_for(self.number)

    @property
    def prev_url(self) -> str | None:
        return self.url_for(self.number - 1) if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.url_for(self.number + 1) if self.number < self.total else None

    @property
    def numbers(self) -> list[int | None]:
        """Page numbers to link: the first, the last and ``WINDOW`` either side of this one.

        ``None`` marks a gap. Linking every page would make each of a long
        list's N pages carry N links: quadratic output for a popular tag.
        """
        shown = {1, self.total, *range(self.number - WINDOW, self.number + WINDOW + 1)}
        out: list[int | None] = []
        for n in sorted(n for n in shown if 1 <= n <= self.total):
            if out and out[-1] is not None and n > out[-1] + 1:
                out.append(None)
            out.append(n)
        return out


def paginate(items: Sequence[Any], per_page: int, base: str) -> list[Pager]:
    """Pages of ``items``; an empty list still has one (empty) page."""
    total = max(1, -(-len(items) // per_page))
    return [
        Pager(n, total, items[(n - 1) * per_page : n * per_page], base, len(items))
        for n in range(1, total + 1)
    ]
