"""Typed reading of front-matter values: each field's value as text, names, a flag, a date..., every mistake
recorded with its line so that a file's problems are reported at once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from broadsheet.errors import BuildFailed, SiteError
from broadsheet.model.dates import DateError, parse_date
from broadsheet.model.fields import PathProblem, is_empty, normal_key, site_path
from broadsheet.model.matter import FrontMatter, split_front_matter
from broadsheet.model.record import entry_line

_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


class FieldReader:
    """Typed access to front-matter values by normalized key, collecting errors with line numbers."""

    def __init__(self, matter: FrontMatter, rel: str, vocab: dict[str, tuple[str, ...]]) -> None:
        self.matter = matter
        self.rel = rel
        self.vocab = vocab
        self.errors: list[SiteError] = []
        self.meta: dict[str, Any] = {}  # normalized key -> value, empty values left out
        self.written: dict[str, str] = {}  # normalized key -> the key as written
        self.empty: set[str] = set()
        params = matter.meta.get("params")
        for key, value in matter.meta.items():
            self._add(str(key), value)
        if isinstance(params, dict):  # Hugo's custom fields, read after the top-level keys
            self.meta.pop("params", None)
            for key, value in params.items():
                if normal_key(key) not in self.written:
                    self._add(str(key), value)

    def _add(self, key: str, value: Any) -> None:
        name = normal_key(key)
        if name in self.written:
            self.error(name, f"is given twice (as '{self.written[name]}' and '{key}'); keep one", written=key)
            return
        self.written[name] = key
        if is_empty(value):
            self.empty.add(name)
        else:
            self.meta[name] = value

    def error(self, name: str, message: str, written: str | None = None) -> None:
        key = written or self.written.get(name, name)
        line = self.matter.key_lines().get(key)  # only a file with a mistake needs line numbers
        self.errors.append(SiteError(self.rel, f"{key}: {message}", line))

    def entry_error(self, name: str, message: str, number: int) -> None:
        """An error in entry ``number`` of a YAML list, at that entry's line when it can be found."""
        key = self.written.get(name, name)
        line = self.matter.key_lines().get(key)
        if line is not None and self.matter.dialect == "yaml":
            line = entry_line(self.matter.text, line, number) or line
        self.errors.append(SiteError(self.rel, f"{key}: {message}", line))

    def take(self, field_name: str) -> tuple[str, Any]:
        """The first key of ``field_name`` present: (its normalized name, its value)."""
        names = self.vocab[field_name]
        for name in names:
            value = self.meta.get(name)
            if value is None or (name == "published" and isinstance(value, bool)):
                continue  # Jekyll's "published: false" is a flag, not Hugo's date
            return name, value
        return names[0], None

    def text(self, key: str, value: Any) -> str | None:
        if value is None:
            return None
        if not _is_scalar(value):
            self.error(key, f"expected text, got {_kind(value)}")
            return None
        text = str(value).strip()
        return text or None

    def names(self, key: str, value: Any) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            value = value.split(",")
        if not isinstance(value, list):
            self.error(key, f"expected a list of names, got {_kind(value)}")
            return ()
        out: list[str] = []
        seen: set[str] = set()
        for item in value:
            if item is None:
                continue
            if not _is_scalar(item):
                self.error(key, f"expected a list of names, but one entry is {_kind(item)}")
                return ()  # one line for the field, however many entries are wrong
            name = " ".join(str(item).split())
            if name and name.casefold() not in seen:
                seen.add(name.casefold())
                out.append(name)
        return tuple(out)

    def flag(self, key: str, value: Any) -> bool:
        if value is None or isinstance(value, bool):
            return bool(value)
        if isinstance(value, (str, int)) and str(value).lower() in _TRUE | _FALSE:
            return str(value).lower() in _TRUE
        self.error(key, f"expected true or false, got {value!r}")
        return False

    def focus(self, key: str, value: Any) -> tuple[float, float] | None:
        """A focal point ``x, y``: fractions of the width and height from the top left, 0 to 1."""
        if value is None:
            return None
        parts = value.split(",") if isinstance(value, str) else value
        try:
            if not isinstance(parts, list) or len(parts) != 2 or any(isinstance(p, bool) for p in parts):
                raise ValueError
            x, y = (float(p) for p in parts)
        except (TypeError, ValueError):
            self.error(key, f"expected two numbers 'x, y' from 0 to 1 such as '0.5, 0.3', got {value!r}")
            return None
        if not (0 <= x <= 1 and 0 <= y <= 1):
            self.error(key, f"both numbers must be from 0 to 1 (fractions of the width and height), got {value!r}")
            return None
        return x, y

    def date(self, key: str, value: Any, zone: ZoneInfo) -> dt.datetime | None:
        if value is None:
            return None
        try:
            return parse_date(value, zone)
        except DateError as exc:
            self.error(key, str(exc))
            return None

    def paths(self, key: str, value: Any) -> tuple[str, ...]:
        """Site paths: one, or a list (Hugo's ``aliases``, Jekyll's ``redirect_from``)."""
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        out: list[str] = []
        for item in items:
            if item is None or (isinstance(item, str) and not item.strip()):
                continue
            if not isinstance(item, str):
                self.error(key, f"expected a path such as /news/old-story/, got {_kind(item)}")
                return ()
            try:
                path = site_path(item)
            except PathProblem as exc:
                self.error(key, str(exc))
                return ()
            if path not in out:
                out.append(path)
        return tuple(out)


def front_matter_line(raw: bytes, *keys: str) -> int | None:
    """The line of the first of ``keys`` in a source file's front matter (for errors found after parsing)."""
    text = raw.decode("utf-8", "replace").removeprefix("\ufeff").replace("\r\n", "\n")
    try:
        lines = {normal_key(key): line for key, line in split_front_matter(text, "").key_lines().items()}
    except BuildFailed:
        return None
    return next((lines[normal_key(key)] for key in keys if normal_key(key) in lines), None)


def _is_scalar(value: Any) -> bool:
    """Text, or a number or date that reads as the text the writer typed (not ``!!binary``, ``!!set``...)."""
    return isinstance(value, (str, int, float, dt.date)) and not isinstance(value, bool)


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if not _is_scalar(value):
        return f"a YAML {type(value).__name__}"
    return repr(value)

