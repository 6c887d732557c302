"""Content stage: read Markdown files with front matter (YAML, TOML or JSON) and validate them into Articles.

Finding the files is ``sources.py``; reading each front-matter value with its line is ``fieldreader.py``;
the vocabulary of keys is ``fields.py``. This module holds the ``Article`` record and the rules that make one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo

from broadsheet.errors import BuildFailed, SiteError
from broadsheet.model.curation import featured_place
from broadsheet.model.fieldreader import FieldReader
from broadsheet.model.fields import EXTRA_FIELDS, vocabulary
from broadsheet.model.matter import FrontMatter, split_front_matter
from broadsheet.model.record import UNDATED, Correction, parse_corrections, parse_part
from broadsheet.model.slugs import slugify, split_date_prefix
from broadsheet.model.sources import BUNDLE_INDEX

_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*")


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
    image_credit: str | None = None
    image_focus: tuple[float, float] | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    url: str | None = None  # overrides the permalink: a site path, e.g. "news/old-story.html"
    aliases: tuple[str, ...] = ()  # old paths that redirect here ("./x/" is relative to the article's folder)
    expires: dt.datetime | None = None  # Hugo's expiryDate: out of the site from then on
    translation_key: str | None = None
    featured: str | None = None  # "lead" or "top": the front page shows it there
    featured_until: dt.datetime | None = None  # ... until then
    credit: str | None = None  # front matter ``source``: the outlet the story came from ("Huaxia Times")
    standing: bool = False  # a standing page (content/pages/ or "type: page"): undated, in no list or feed
    corrections: tuple[Correction, ...] = ()  # oldest first
    series: str | None = None
    series_part: int | None = None

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


def parse_article(
    raw: bytes, rel: str, zone: ZoneInfo, front_matter: Mapping[str, tuple[str, ...]] | None = None,
    standing: bool = False,
) -> Article:
    """Validate one file; ``front_matter`` is the site's ``[front_matter]`` vocabulary table.

    ``standing``: the file is in the standing pages folder (``content/pages/``), so needs no date.
    """
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
    return _validate(matter, rel, digest, zone, vocab, standing)


@cache
def _vocabulary(mapping: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, tuple[str, ...]]:
    return vocabulary(dict(mapping))


def _stem(rel: str) -> str:
    """The name a slug and a date come from: the file's, or its folder's for a bundle's index.md."""
    path = PurePosixPath(rel)
    if path.name == BUNDLE_INDEX and path.parent.name not in ("", ".", "content"):
        return path.parent.name
    return path.stem


def _validate(
    matter: FrontMatter, rel: str, digest: str, zone: ZoneInfo, vocab: dict[str, tuple[str, ...]], standing: bool,
) -> Article:
    f = FieldReader(matter, rel, vocab)
    prefix_date, stem_slug = split_date_prefix(_stem(rel))
    type_key, type_value = f.take("type")
    kind = f.text(type_key, type_value)
    if kind is not None and kind.casefold() not in ("page", "story", "article", "post"):
        f.error(type_key, f"must be 'page' (a standing page) or 'story', got {kind!r}")
    standing = kind.casefold() == "page" if kind else standing

    title_key, title_value = f.take("title")
    title = f.text(title_key, title_value)
    if title is None and not (set(vocab["title"]) & (f.empty | set(f.meta))):
        f.errors.append(SiteError(rel, "missing title: add 'title: ...' to the front matter", 2))
    elif title is None and not f.errors:
        f.error(next(k for k in vocab["title"] if k in f.written), "must not be empty")

    date_key, date_value = f.take("date")
    date = f.date(date_key, date_value, zone)
    if date is None and date_value is None:
        if standing:
            date = UNDATED
        elif prefix_date:
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
    if isinstance(section_value, list):  # Jekyll's and Hugo's categories: the first is the section, the rest tags
        names = f.names(section_key, section_value)
        section = names[0] if names else None
        tags += tuple(name for name in names[1:] if name.casefold() not in {tag.casefold() for tag in tags})
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
    image_credit = f.text(*f.take("image_credit"))
    image_focus = f.focus(*f.take("image_focus"))
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
    corrections_key, corrections_value = f.take("corrections")
    corrections = () if corrections_value is None else parse_corrections(
        corrections_value, zone, lambda message, number: f.entry_error(corrections_key, message, number))
    series_key, series_value = f.take("series")
    if isinstance(series_value, list):  # Hugo's "series" taxonomy: the first name
        series_names = f.names(series_key, series_value)
        series = series_names[0] if series_names else None
    else:
        series = f.text(series_key, series_value)
    part_key, part_value = f.take("series_part")
    series_part = parse_part(part_value, lambda message: f.error(part_key, message))

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
        draft=draft, image=image, lang=lang, image_credit=image_credit, image_focus=image_focus, extra=extra,
        translation_key=translation,
        url=url_paths[0].removeprefix("./") if url_paths else None, aliases=aliases, expires=expires,
        featured=featured, featured_until=featured_until, credit=credit,
        standing=standing, corrections=corrections, series=series, series_part=series_part,
    )
