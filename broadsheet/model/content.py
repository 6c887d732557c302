"""Content stage: read Markdown files with YAML front matter and validate them into Articles."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import frontmatter
import yaml

from broadsheet.errors import BuildFailed, SiteError
from broadsheet.incremental.pickling import fast_pickle
from broadsheet.model.dates import DateError, parse_date
from broadsheet.model.slugs import slugify, split_date_prefix
from broadsheet.model.yamlsafe import load_yaml

# Front-matter names other generators use, mapped to ours (first one present wins).
ALIASES: dict[str, tuple[str, ...]] = {
    "summary": ("summary", "excerpt", "description"),
    "updated": ("updated", "lastmod", "modified"),
    "section": ("section", "category"),
}
KNOWN = {
    "title", "date", "authors", "author", "tags", "categories", "slug", "draft", "image",
    "image_credit", "image_focus", "lang", *(name for names in ALIASES.values() for name in names),
}
_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


@fast_pickle
@dataclass(frozen=True, slots=True)
class Article:
    """One article's validated metadata and Markdown body. Pure data."""

    source: str
    title: str
    date: dt.datetime
    slug: str
    body: str
    digest: str
    authors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    section: str | None = None
    summary: str | None = None
    updated: dt.datetime | None = None
    draft: bool = False
    image: str | None = None
    lang: str | None = None
    image_credit: str | None = None
    image_focus: tuple[float, float] | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


class _Handler(frontmatter.YAMLHandler):
    """python-frontmatter's YAML handler, with our YAML 1.2 loader."""

    def load(self, fm: str, **kwargs: object) -> Any:
        return load_yaml(fm)


_HANDLER = _Handler()
_OPEN = re.compile(r"\A-{3,}[ \t]*\n")


def find_sources(content_dir: Path) -> list[Path]:
    """Every ``*.md`` under ``content_dir``, sorted; links leading outside are skipped.

    Names starting with '.' or '_' (editor backups, drafts folders) are ignored.
    """
    return [Path(path) for path in source_paths(content_dir)]


def source_paths(content_dir: Path) -> list[str]:
    """``find_sources`` as plain strings (``content/a.md``), for callers that only stat them."""
    root = content_dir.resolve()
    found: list[str] = []
    folders = [str(content_dir)]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.name.startswith((".", "_")):
                    continue
                if entry.is_symlink() and not _inside(Path(entry.path), root):
                    continue
                if entry.is_dir():
                    folders.append(entry.path)
                elif entry.name.endswith(".md") and entry.is_file():
                    found.append(entry.path)
    return sorted(found)


def _inside(path: Path, root: Path) -> bool:
    if not path.is_symlink():
        return True
    try:
        return path.resolve().is_relative_to(root)
    except OSError:
        return False


def parse_article(raw: bytes, rel: str, zone: ZoneInfo) -> Article:
    digest = hashlib.sha256(raw).hexdigest()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise BuildFailed(
            [SiteError(rel, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8", line)]
        ) from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise BuildFailed([SiteError(rel, "file is empty; an article needs front matter with a title")])
    meta, body, fm_text = _split(text, rel)
    return _validate(meta, body, fm_text, rel, digest, zone)


def _split(text: str, rel: str) -> tuple[dict[str, Any], str, str]:
    if not _OPEN.match(text):
        raise BuildFailed([SiteError(rel, "no front matter: start the file with a '---' line, then 'title: ...'", 1)])
    boundaries = _HANDLER.FM_BOUNDARY.finditer(text)  # the opening and closing '---': stop there, not at the end
    if next(boundaries, None) is None or next(boundaries, None) is None:
        raise BuildFailed([SiteError(rel, "front matter opened with '---' on line 1 is never closed with '---'", 1)])
    fm_text, body = _HANDLER.split(text)
    try:
        meta = _HANDLER.load(fm_text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and mark and mark.index >= len(fm_text.rstrip()):
            mark = exc.context_mark  # ran off the end (an unclosed bracket or quote): point at where it opened
        line = mark.line + 1 if mark else None  # +1 for the opening '---', +1 for 0-based, -1 for the split newline
        problem = exc.problem or "invalid YAML"
        if exc.context and exc.context.startswith("while "):
            problem += f" {exc.context}"  # "... while scanning a quoted scalar"
        if "mapping values are not allowed" in problem:
            problem += " (put a value that contains ': ' in quotes)"
        raise BuildFailed([SiteError(rel, f"front matter is not valid YAML: {problem}", line)]) from None
    except yaml.reader.ReaderError as exc:
        line = fm_text[: exc.position].count("\n") + 1
        raise BuildFailed([SiteError(rel, f"front matter is not valid YAML: {exc.reason} (#x{exc.character:04x})", line)]) from None
    except yaml.YAMLError as exc:
        raise BuildFailed([SiteError(rel, f"front matter is not valid YAML: {' '.join(str(exc).split())}")]) from None
    except (ValueError, TypeError, OverflowError) as exc:
        # An explicit tag with an impossible value, such as "!!timestamp 2024-02-30" or "!!int 10:00".
        raise BuildFailed([SiteError(rel, f"front matter has a value YAML cannot read: {exc}")]) from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise BuildFailed([SiteError(rel, "front matter must be a set of 'key: value' lines", 2)])
    return meta, body.lstrip("\n"), fm_text


class _Fields:
    """Typed access to front-matter values, collecting errors with line numbers."""

    def __init__(self, meta: dict[str, Any], fm_text: str, rel: str) -> None:
        self.meta = {str(k): v for k, v in meta.items() if v is not None}
        self.fm_text = fm_text
        self.rel = rel
        self.errors: list[SiteError] = []

    def error(self, key: str, message: str) -> None:
        line = _key_lines(self.fm_text).get(key)  # only a file with a mistake needs line numbers
        self.errors.append(SiteError(self.rel, f"{key}: {message}", line))

    def first(self, names: tuple[str, ...]) -> tuple[str, Any]:
        for name in names:
            if name in self.meta:
                return name, self.meta[name]
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

    def flag(self, key: str) -> bool:
        value = self.meta.get(key, False)
        if isinstance(value, bool):
            return value
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


def _key_lines(fm_text: str) -> dict[str, int]:
    """Line in the file where each top-level key starts (front matter begins on line 2)."""
    lines: dict[str, int] = {}
    for number, line in enumerate(fm_text.lstrip("\n").split("\n"), start=2):
        match = re.match(r"^([^\s#:][^:]*?)\s*:", line)
        if match:
            lines.setdefault(match.group(1).strip("'\""), number)
    return lines


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


def _validate(
    meta: dict[str, Any], body: str, fm_text: str, rel: str, digest: str, zone: ZoneInfo
) -> Article:
    f = _Fields(meta, fm_text, rel)
    stem = Path(rel).stem
    prefix_date, stem_slug = split_date_prefix(stem)

    title = f.text("title", f.meta.get("title"))
    if title is None and "title" not in f.meta:
        f.errors.append(SiteError(rel, "missing title: add 'title: ...' to the front matter", 2))
    elif title is None and not f.errors:
        f.error("title", "must not be empty")

    date = f.date("date", f.meta.get("date"), zone)
    if date is None and "date" not in f.meta:
        if prefix_date:
            date = f.date("date", prefix_date, zone)
        else:
            f.errors.append(
                SiteError(rel, "no date: add 'date: 2024-05-01' to the front matter or name the file 2024-05-01-slug.md", 2)
            )
    updated_key, updated_value = f.first(ALIASES["updated"])
    updated = f.date(updated_key, updated_value, zone)

    authors = f.names("authors", f.meta.get("authors"))
    if not authors:
        authors = f.names("author", f.meta.get("author"))

    tags = f.names("tags", f.meta.get("tags"))
    section_key, section_value = f.first(ALIASES["section"])
    section = f.text(section_key, section_value)
    if section is None and "categories" in f.meta:
        categories = f.names("categories", f.meta["categories"])
        section = categories[0] if categories else None

    summary_key, summary_value = f.first(ALIASES["summary"])
    summary = f.text(summary_key, summary_value)

    slug_value = f.text("slug", f.meta.get("slug"))
    slug = slugify(slug_value or stem_slug)

    draft = f.flag("draft")
    image = f.text("image", f.meta.get("image"))
    image_credit = f.text("image_credit", f.meta.get("image_credit"))
    image_focus = f.focus("image_focus", f.meta.get("image_focus"))
    lang = f.text("lang", f.meta.get("lang"))

    if f.errors:
        raise BuildFailed(f.errors)
    assert title is not None and date is not None
    extra = {k: v for k, v in f.meta.items() if k not in KNOWN}
    return Article(
        source=rel, title=title, date=date, slug=slug, body=body, digest=digest,
        authors=authors, tags=tags, section=section, summary=summary, updated=updated,
        draft=draft, image=image, lang=lang, image_credit=image_credit, image_focus=image_focus, extra=extra,
    )
