"""A progress bar for long builds (tqdm), shown only on a terminal and only after a moment."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tqdm import tqdm

LABELS = {"markdown": "Markdown", "render": "Rendering"}


class ProgressBar:
    def __init__(self, enabled: bool = True, delay: float = 0.5) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.delay = delay
        self.bar: tqdm | None = None
        self.stage = ""

    def update(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        if stage != self.stage:
            from tqdm import tqdm  # loaded only when a bar is shown

            self.close()
            self.stage = stage
            self.bar = tqdm(total=total, desc=LABELS.get(stage, stage), unit="page" if stage == "render" else "article", delay=self.delay, leave=False)
        assert self.bar is not None
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        self.close()
