"""Content stage: read Markdown files with front matter (YAML, TOML or JSON) and validate them into Articles."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo

from broadsheet.errors import BuildFailed, SiteError
from broadsheet.model.curation import featured_place
from broadsheet.model.dates import DateError, parse_date
from broadsheet.model.fields import EXTRA_FIELDS, FIELDS, PathProblem, is_empty, normal_key, site_path, vocabulary
from broadsheet.model.matter import FrontMatter, split_front_matter
from broadsheet.model.slugs import slugify, split_date_prefix

# Every front-matter key Broadsheet knows without a site vocabulary (normalized).
KNOWN = frozenset(name for names in FIELDS.values() for name in names)
BUNDLE_INDEX = "index.md"  # a page bundle: story/index.md, its images beside it
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*")
_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


class Body(str):
    """An article's Markdown that knows the file line it starts on (a front-matter edit moves it)."""

    line: int

    def __new__(cls, text: str, line: int) -> Body:
        body = super().__new__(cls, text)
        body.line = line
        return body

    def __reduce__(self) -> tuple[type[Body], tuple[str, int]]:
        return Body, (str(self), self.line)


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
    extra: Mapping[str, Any] = field(default_factory=dict)
    url: str | None = None  # overrides the permalink: a site path, e.g. "news/old-story.html"
    aliases: tuple[str, ...] = ()  # old paths that redirect here ("./x/" is relative to the article's folder)
    expires: dt.datetime | None = None  # Hugo's expiryDate: out of the site from then on
    translation_key: str | None = None
    featured: str | None = None  # "lead" or "top": the front page shows it there
    featured_until: dt.datetime | None = None  # ... until then
    credit: str | None = None  # front matter ``source``: the outlet the story came from ("Huaxia Times")

    @property
    def body_line(self) -> int:
        """The file's line where the body starts (shortcode errors and warnings name lines in the file)."""
        return getattr(self.body, "line", 1)

    @property
    def folder(self) -> str:
        """The folder the source file is in: relative image paths resolve from here."""
        return PurePosixPath(self.source).parent.as_posix()

    @property
    def is_bundle(self) -> bool:
        """A page bundle (``story/index.md``): files beside it belong to it."""
        return PurePosixPath(self.source).name == BUNDLE_INDEX


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


def bundle_files(index: Path) -> list[str]:
    """The files of a page bundle (images, PDFs... beside ``story/index.md``), relative to its folder.

    Markdown files are articles of their own, and a folder holding its own ``index.md`` is another bundle.
    """
    found: list[str] = []
    folders = [index.parent]
    while folders:
        folder = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith((".", "_")) or entry.name.endswith(".md"):
                    continue
                if entry.is_dir(follow_symlinks=False) and not os.path.exists(os.path.join(entry.path, BUNDLE_INDEX)):
                    folders.append(Path(entry.path))
                elif entry.is_file(follow_symlinks=False):
                    found.append(Path(entry.path).relative_to(index.parent).as_posix())
    return sorted(found)


def local_reference(article: Article, ref: str) -> str | None:
    """A relative image or link path in an article (``pier.jpg``, ``../img/a.png``) as a source path.

    Resolved from the article's folder, as a browser resolves it from the article's page; None for
    URLs, site-absolute paths, anchors and paths that climb out of the content folder.
    """
    if not ref or ref.startswith(("/", "#", "?")) or "://" in ref or ref.startswith(("data:", "mailto:", "tel:")):
        return None
    path = posixpath.normpath(posixpath.join(article.folder, ref.split("#")[0].split("?")[0]))
    root = PurePosixPath(article.source).parts[0]
    return path if path.startswith(f"{root}/") else None


def _inside(path: Path, root: Path) -> bool:
    if not path.is_symlink():
        return True
    try:
        return path.resolve().is_relative_to(root)
    except OSError:
        return False


def parse_article(
    raw: bytes, rel: str, zone: ZoneInfo, front_matter: Mapping[str, tuple[str, ...]] | None = None
) -> Article:
    """Validate one file; ``front_matter`` is the site's ``[front_matter]`` vocabulary table."""
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
    matter = split_front_matter(text, rel)
    vocab = _vocabulary(tuple(sorted((k, tuple(v)) for k, v in (front_matter or {}).items())))
    return _validate(matter, rel, digest, zone, vocab)


@cache
def _vocabulary(mapping: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, tuple[str, ...]]:
    return vocabulary(dict(mapping))


class _Fields:
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


def _stem(rel: str) -> str:
    """The name a slug and a date come from: the file's, or its folder's for a bundle's index.md."""
    path = PurePosixPath(rel)
    if path.name == BUNDLE_INDEX and path.parent.name not in ("", ".", "content"):
        return path.parent.name
    return path.stem


def _validate(matter: FrontMatter, rel: str, digest: str, zone: ZoneInfo, vocab: dict[str, tuple[str, ...]]) -> Article:
    f = _Fields(matter, rel, vocab)
    prefix_date, stem_slug = split_date_prefix(_stem(rel))

    title_key, title_value = f.take("title")
    title = f.text(title_key, title_value)
    if title is None and not (set(vocab["title"]) & (f.empty | set(f.meta))):
        f.errors.append(SiteError(rel, "missing title: add 'title: ...' to the front matter", 2))
    elif title is None and not f.errors:
        f.error(next(k for k in vocab["title"] if k in f.written), "must not be empty")

    date_key, date_value = f.take("date")
    date = f.date(date_key, date_value, zone)
    if date is None and date_value is None:
        if prefix_date:
            date = f.date("date", prefix_date, zone)
        else:
            f.errors.append(
                SiteError(rel, "no date: add 'date: 2024-05-01' to the front matter or name the file 2024-05-01-slug.md", 2)
            )
    updated = f.date(*f.take("updated"), zone)
    expires = f.date(*f.take("expires"), zone)

    authors = f.names(*f.take("authors"))
    tags = f.names(*f.take("tags"))
    section_key, section_value = f.take("section")
    if section_key == "categories" and isinstance(section_value, str) and "," not in section_value:
        section_value = section_value.split()  # Jekyll: "categories: politics council" is two
    if isinstance(section_value, list):  # Jekyll's categories: the first is the section
        names = f.names(section_key, section_value)
        section = names[0] if names else None
    else:
        section = f.text(section_key, section_value)

    summary = f.text(*f.take("summary"))
    slug_value = f.text(*f.take("slug"))
    slug = slugify(slug_value or stem_slug)

    draft = f.flag(*f.take("draft"))
    if str(f.meta.get("status", "")).lower() == "draft":
        draft = True  # Pelican: "Status: draft"
    published = f.meta.get("published")
    if isinstance(published, bool) and not published and "published" not in vocab["draft"]:
        draft = True  # Jekyll: "published: false" keeps a post out
    image_key, image_value = f.take("image")
    image_alt = None
    if isinstance(image_value, list) and image_value:  # Hugo's images: the first one leads
        image_value = image_value[0]
    if isinstance(image_value, dict) and "path" in image_value:  # jekyll-seo-tag: {path: ..., alt: ...}
        image_alt = image_value.get("alt")
        image_value = image_value["path"]
    image = f.text(image_key, image_value)
    lang = f.text(*f.take("lang"))
    if lang is not None:
        if _LANGUAGE_TAG.fullmatch(lang):
            lang = lang.replace("_", "-")
        else:
            f.error("lang", f"must be a language tag such as 'en' or 'zh-Hans', got {lang!r}")
    translation = f.text(*f.take("translation_key"))
    featured_key, featured_value = f.take("featured")
    try:
        featured = featured_place(featured_value)
    except ValueError as exc:
        featured = None
        f.error(featured_key, str(exc))
    featured_until = f.date(*f.take("featured_until"), zone)
    credit = f.text(*f.take("credit"))
    url_key, url_value = f.take("url")
    url_paths = f.paths(url_key, f.text(url_key, url_value))
    aliases = tuple(path for path in f.paths(*f.take("aliases")) if path not in url_paths)

    if f.errors:
        raise BuildFailed(f.errors)
    assert title is not None and date is not None
    known = {name for names in vocab.values() for name in names}
    extra = {k: v for k, v in f.meta.items() if k not in known}
    for name in EXTRA_FIELDS:
        _key, value = f.take(name)
        if value is not None:
            extra[name] = value
    if image_alt and "image_alt" not in extra:
        extra["image_alt"] = image_alt
    return Article(
        source=rel, title=title, date=date, slug=slug, body=Body(matter.body, matter.body_line), digest=digest,
        authors=authors, tags=tags, section=section, summary=summary, updated=updated,
        draft=draft, image=image, lang=lang, extra=extra, translation_key=translation,
        url=url_paths[0].removeprefix("./") if url_paths else None, aliases=aliases, expires=expires,
        featured=featured, featured_until=featured_until, credit=credit,
    )
