"""A persistent build cache: values keyed by content hash, saved atomically between builds."""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any

FORMAT = 1


class BuildCache:
    """Maps keys (hashes of everything a value depends on) to values.

    Only entries read or written during a build are saved, so entries for
    deleted or edited files drop out by themselves.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._old: dict[str, Any] = {}
        self._new: dict[str, Any] = {}
        if path is not None:
            try:
                with path.open("rb") as handle:
                    stored = pickle.load(handle)
                if stored.get("format") == FORMAT:
                    self._old = stored["entries"]
            except (OSError, EOFError, pickle.UnpicklingError, AttributeError, KeyError, TypeError, ValueError, ImportError):
                self._old = {}

    def get(self, key: str) -> Any | None:
        value = self._new.get(key)
        if value is None:
            value = self._old.get(key)
            if value is not None:
                self._new[key] = value
        return value

    def put(self, key: str, value: Any) -> None:
        self._new[key] = value

    def save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        with tmp.open("wb") as handle:
            pickle.dump({"format": FORMAT, "entries": self._new}, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, self.path)
        self._old, self._new = self._new, {}
