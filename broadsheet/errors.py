"""Errors a user can act on: one line each, naming the file and, where known, the line."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_CONTROL = re.compile("[\x00-\x1f\x7f]")


def _escape(match: re.Match[str]) -> str:
    return ascii(match.group())[1:-1]  # "\n", "\x00"


@dataclass(frozen=True, slots=True)
class SiteError:
    """One problem in the user's input (content, config or templates)."""

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        """``path:line: message`` on one line: control characters quoted from the input are shown escaped."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        return _CONTROL.sub(_escape, f"{where}: {self.message}")


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


class SiteBusy(Exception):
    """Another process is building this site (it holds the site's lock); the message names its pid."""
