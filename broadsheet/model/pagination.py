"""Split a list into numbered pages at /base/, /base/page/2/, ..."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# How many page numbers either side of the current one the page list shows.
NEAR = 2


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
        """Page numbers to link: the first, the last and those near this one; ``None`` marks a gap.

        Bounded in length, so a list of a thousand pages does not print a
        thousand numbers on each of them.
        """
        near = range(max(1, self.number - NEAR), min(self.total, self.number + NEAR) + 1)
        out: list[int | None] = []
        last = 0
        for n in sorted({1, self.total, *near}):
            if n - last == 2:  # a gap of one page: show the number, not "…"
                out.append(last + 1)
            elif n - last > 2:
                out.append(None)
            out.append(n)
            last = n
        return out


def paginate(items: Sequence[Any], per_page: int, base: str) -> list[Pager]:
    """Pages of ``items``; an empty list still has one (empty) page."""
    total = max(1, -(-len(items) // per_page))
    return [
        Pager(n, total, items[(n - 1) * per_page : n * per_page], base, len(items))
        for n in range(1, total + 1)
    ]
