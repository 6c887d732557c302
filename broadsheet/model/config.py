"""Typed site settings from an optional ``site.toml``; every problem reported at once."""

from __future__ import annotations

import dataclasses
import re
import string
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from broadsheet.errors import BuildFailed, SiteError
from broadsheet.model.curation import check_breaking, check_sections
from broadsheet.model.fields import mapping_problems, normal_key

PERMALINK_FIELDS = ("year", "month", "day", "slug", "section")
# The Markdown engines a site can choose with ``markdown``; the first is the default.
MARKDOWN_ENGINES = ("python-markdown", "commonmark")


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a build needs to know about the site, validated."""

    title: str = "Broadsheet"
    description: str = ""
    base_url: str = "http://localhost:8000/"
    language: str = "en"
    timezone: str = "UTC"
    per_page: int = 10
    permalink: str = "{year}/{month}/{day}/{slug}/"
    feed_limit: int = 20
    related_count: int = 4
    publisher: str = ""
    logo: str = ""
    static_dir: str = "static"
    authors_file: str = "authors.yml"
    date_format: str = "%B %-d, %Y"
    markdown: str = MARKDOWN_ENGINES[0]
    extra: Mapping[str, Any] = field(default_factory=dict)
    strings: Mapping[str, Any] = field(default_factory=dict)
    languages: tuple[str, ...] = ()
    # Per further language: its edition's "prefix" (a folder, "zh/"), "title" and "description".
    editions: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # The site's own front-matter keys per Broadsheet field: [front_matter] tags = ["topics"].
    front_matter: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Limits that keep one bad file from stalling or swamping a build; each is an error naming the file.
    max_tags: int = 100  # tags per article
    max_article_kb: int = 2048  # size of one article file
    markdown_seconds: int = 10  # time to render one article's Markdown
    # Sections in the order the masthead and the front page show them; unlisted ones follow alphabetically.
    sections: tuple[str, ...] = ()
    # The breaking-news banner on every page: text, optional url, optional until (taken down then).
    breaking: Mapping[str, Any] = field(default_factory=dict)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def base_path(self) -> str:
        """The path part of ``base_url``: ``/`` or e.g. ``/news/``."""
        return urlsplit(self.base_url).path or "/"

    @property
    def site_root(self) -> str:
        """``base_url`` without its path: ``https://example.org``."""
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"

    def with_overrides(self, **changes: Any) -> Settings:
        """Return a copy with CLI overrides applied (validated like the file)."""
        data = {k: v for k, v in changes.items() if v is not None}
        if not data:
            return self
        merged = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        merged.update(data)
        return parse_settings(merged, "command line")


def _positive_int(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        return f"must be a whole number of at least 1, got {value!r}"
    return None


def _string(value: Any) -> str | None:
    return None if isinstance(value, str) else f"must be text, got {value!r}"


def _base_url(value: Any) -> str | None:
    if not isinstance(value, str):
        return f"must be text, got {value!r}"
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"must be an absolute http(s) URL such as https://example.org/news/, got {value!r}"
    if parts.query or parts.fragment:
        return f"must not have a query or fragment, got {value!r}"
    return None


def _timezone(value: Any) -> str | None:
    if not isinstance(value, str):
        return f"must be text, got {value!r}"
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return f"unknown time zone {value!r}; use an IANA name such as 'Europe/London'"
    return None


def _language(value: Any) -> str | None:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", value):
        return f"must be a language tag such as 'en' or 'zh-Hans', got {value!r}"
    return None


def _permalink(value: Any) -> str | None:
    if not isinstance(value, str):
        return f"must be text, got {value!r}"
    try:
        parts = list(string.Formatter().parse(value))
    except ValueError as exc:  # "{year/{slug}/": every article would fail on it; say so once, here
        return f"is not a valid pattern ({exc}); write fields as {{slug}}, a literal brace as {{{{ or }}}}"
    if any(spec or conversion for _text, name, spec, conversion in parts if name is not None):
        return "fields take no format or conversion: write {year}, not {year:04d}"
    names = {name for _text, name, _spec, _conversion in parts if name is not None}
    unknown = names - set(PERMALINK_FIELDS)
    if unknown:
        return f"unknown field(s) {sorted(unknown)}; use {', '.join(PERMALINK_FIELDS)}"
    if "slug" not in names:
        return "must contain {slug}"
    if value.startswith("/") or ".." in value.split("/"):
        return "must be a relative path without '..'"
    return None


def _relative_dir(value: Any) -> str | None:
    if not isinstance(value, str):
        return f"must be text, got {value!r}"
    if Path(value).is_absolute() or ".." in Path(value).parts:
        return f"must be a path inside the site folder, got {value!r}"
    return None


def _date_format(value: Any) -> str | None:
    if not isinstance(value, str):
        return f"must be text, got {value!r}"
    from broadsheet.model.locale import check_date_format  # Babel loads only for sites that set a format

    return check_date_format(value)


def _languages(value: Any) -> str | None:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        return f"must be a list of language tags such as ['zh-Hans', 'ar'], got {value!r}"
    for tag in value:
        if problem := _language(tag):
            return problem
    lowered = [tag.replace("_", "-").lower() for tag in value]
    if len(set(lowered)) != len(lowered):
        return f"lists a language twice: {value!r}"
    return None


def _known_languages(value: Any) -> str | None:
    """Every further language must be one Babel knows (an edition needs its dates and plural rules)."""
    from broadsheet.model.locale import edition_languages, is_known_language  # Babel: only for multilingual sites

    unknown = [tag for tag in value if not is_known_language(tag)]
    if unknown:
        return f"unknown language {unknown[0]!r}; languages with theme translations: {', '.join(edition_languages())}"
    return None


_EDITION_KEYS = ("prefix", "title", "description")


def _editions(value: Any) -> list[str]:
    if not isinstance(value, Mapping):
        return [f"must be a table of languages, got {value!r}"]
    problems = []
    for tag, table in value.items():
        if not isinstance(table, Mapping):
            problems.append(f"{tag}: must be a table with {', '.join(_EDITION_KEYS)}, got {table!r}")
            continue
        for key, text in table.items():
            if key not in _EDITION_KEYS:
                problems.append(f"{tag}: unknown key '{key}'; use {', '.join(_EDITION_KEYS)}")
            elif not isinstance(text, str) or not text.strip():
                problems.append(f"{tag}.{key}: must be text, got {text!r}")
            elif key == "prefix" and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*/?", text):
                problems.append(f"{tag}.prefix: must be one folder name such as 'zh' or 'cn', got {text!r}")
    return problems


def _strings(value: Any) -> str | None:
    from broadsheet.model.catalogs import check_overrides

    return check_overrides(value)


def _mapping(value: Any) -> str | None:
    return None if isinstance(value, Mapping) else f"must be a table, got {value!r}"


def _markdown(value: Any) -> str | None:
    if value not in MARKDOWN_ENGINES:
        return f"must be one of {', '.join(repr(name) for name in MARKDOWN_ENGINES)}, got {value!r}"
    return None


def _front_matter(value: Any) -> list[str]:
    return mapping_problems(value)


_CHECKS: dict[str, Callable[[Any], str | list[str] | None]] = {
    "title": _string,
    "description": _string,
    "base_url": _base_url,
    "language": _language,
    "timezone": _timezone,
    "per_page": _positive_int,
    "permalink": _permalink,
    "feed_limit": _positive_int,
    "related_count": _positive_int,
    "publisher": _string,
    "logo": _string,
    "static_dir": _relative_dir,
    "authors_file": _relative_dir,
    "date_format": _date_format,
    "markdown": _markdown,
    "extra": _mapping,
    "strings": _strings,
    "languages": _languages,
    "editions": _editions,
    "front_matter": _front_matter,
    "max_tags": _positive_int,
    "max_article_kb": _positive_int,
    "markdown_seconds": _positive_int,
    "sections": check_sections,
    "breaking": check_breaking,
}


def parse_settings(data: Mapping[str, Any], source: str) -> Settings:
    """Validate a mapping of settings; raise ``BuildFailed`` listing every problem."""
    errors = [
        SiteError(source, f"unknown setting '{key}'; known settings: {', '.join(sorted(_CHECKS))}")
        for key in data
        if key not in _CHECKS
    ]
    for key, check in _CHECKS.items():
        if key in data and (problem := check(data[key])):
            problems = [problem] if isinstance(problem, str) else problem
            errors.extend(SiteError(source, f"{key}: {text}") for text in problems)
    language = str(data.get("language", Settings.language)).replace("_", "-").lower()
    if not errors and any(tag.replace("_", "-").lower() == language for tag in data.get("languages", ())):
        errors.append(SiteError(source, f"languages: lists the site's own language '{data.get('language', Settings.language)}'; list only the further editions"))
    if not errors and data.get("languages") and (problem := _known_languages(data["languages"])):
        errors.append(SiteError(source, f"languages: {problem}"))
    listed = {tag.replace("_", "-").lower() for tag in data.get("languages", ()) if isinstance(tag, str)}
    if not errors:
        errors.extend(
            SiteError(source, f"editions: '{tag}' is not in languages; list it there to publish its edition")
            for tag in data.get("editions", {}) if tag.replace("_", "-").lower() not in listed
        )
    if errors:
        raise BuildFailed(errors)
    values = {k: v for k, v in data.items() if k in _CHECKS}
    for key in ("languages", "sections"):
        if key in values:
            values[key] = tuple(" ".join(v.split()) for v in values[key]) if key == "sections" else tuple(values[key])
    if "front_matter" in values:
        values["front_matter"] = {
            name: tuple(normal_key(key) for key in keys) for name, keys in values["front_matter"].items()
        }
    if "base_url" in values and not values["base_url"].endswith("/"):
        values["base_url"] += "/"
    return Settings(**values)


def load_settings(path: Path, *, required: bool = False) -> Settings:
    """Read ``path`` if it exists (a site builds with no config at all)."""
    if not path.exists():
        if required:
            raise BuildFailed([SiteError(str(path), "config file not found")])
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise BuildFailed([SiteError(str(path), "not valid UTF-8 text")]) from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = re.search(r"\(at line (\d+), column \d+\)$", message)
        line = int(match.group(1)) if match else None
        message = message[: match.start()].strip() if match else message
        raise BuildFailed([SiteError(str(path), f"invalid TOML: {message}", line)]) from None
    return parse_settings(data, str(path))
