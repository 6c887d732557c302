"""Errors a user can act on: one line each, naming the file and, where known, the line."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SiteError:
    """One problem in the user's input (content, config or templates)."""

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class BuildFailed(Exception):
    """Raised by a pipeline stage when the input has problems; carries every one of them."""

    def __init__(self, errors: Iterable[SiteError]) -> None:
        self.errors: list[SiteError] = sorted(
            errors, key=lambda e: (e.path, e.line or 0, e.message)
        )
        super().__init__("\n".join(str(e) for e in self.errors))

    def __reduce__(self) -> tuple[type[BuildFailed], tuple[list[SiteError]]]:
        # Rebuilt from the errors, not the message, when it crosses a process-pool boundary.
        return BuildFailed, (self.errors,)
