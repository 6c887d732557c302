"""Theme strings in the page's language: the built-in gettext catalogs plus the site's own wording.

Catalogs are read from ``.po`` files (``locales/<name>/LC_MESSAGES/messages.po``,
the layout ``pybabel`` writes) and compiled in memory when a build needs one:
no compiled ``.mo`` is committed, so a catalog can never be stale against its
source. A site overrides any string in ``site.toml``::

    [strings]
    "Related stories" = "More on this"
    "%(num)s min read" = ["%(num)s minute", "%(num)s minutes"]   # plural forms
    [strings.zh-Hans]
    "Related stories" = "延伸阅读"

Top-level entries apply to the site's own language; a table named by a
language tag applies to that language (``zh`` to both Chinese scripts). A language with no catalog gets English
strings, and ``ThemeStrings.warning`` names the language.
"""

from __future__ import annotations

import functools
import gettext
import hashlib
import io
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel import __version__ as babel_version
from babel.support import Translations
from markupsafe import Markup

from broadsheet import __version__
from broadsheet.errors import BuildFailed, SiteError
from broadsheet.model import locale as loc
from broadsheet.theme import THEME_LOCALES

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

DOMAIN = "messages"
SOURCE_LANGUAGE = "en"
# Sample counts Intl.PluralRules sorts into each CLDR category (for the search page's script).
_SAMPLES = (*range(0, 200), 1000, 1_000_000)


def catalog_path(name: str, root: Path = THEME_LOCALES) -> Path:
    return root / name / "LC_MESSAGES" / f"{DOMAIN}.po"


def available(root: Path = THEME_LOCALES) -> list[str]:
    """Catalog names shipped in ``root`` (``de``, ``zh_Hans``...), sorted."""
    return sorted(p.parent.parent.name for p in root.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def find_catalog(language: str, root: Path = THEME_LOCALES) -> str | None:
    """The catalog for a language tag: the most specific match (``zh-TW`` finds ``zh_Hant``), or None."""
    names = set(available(root))
    return next((name for name in loc.candidates(language) if name in names), None)


@functools.cache
def read_catalog(path: Path) -> Catalog:
    """A parsed ``.po`` file (parsed once per process; catalogs are part of the code)."""
    from babel.messages.pofile import read_po

    with path.open("rb") as f:
        return read_po(f, locale=path.parent.parent.name, domain=DOMAIN)


@dataclass(frozen=True)
class ThemeStrings:
    """The theme's strings for one language: ``gettext``/``ngettext`` and what backs them."""

    language: str
    catalog: str | None
    translations: gettext.NullTranslations
    warning: str | None = None

    @property
    def plural_language(self) -> str:
        """The language whose plural rules pick the forms: English when the catalog is the English fallback."""
        return self.language if self.catalog else SOURCE_LANGUAGE

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    def plural_messages(self, singular: str, plural: str) -> dict[str, str]:
        """The form for each CLDR plural category of the language (``one``, ``few``, ``other``...).

        For scripts that count in the browser, where ``Intl.PluralRules`` gives the category.
        """
        rule = loc.babel_locale(self.plural_language).plural_form
        forms: dict[str, str] = {}
        for n in _SAMPLES:
            forms.setdefault(rule(n), self.ngettext(singular, plural, n))
        return forms


def load_theme_strings(
    language: str,
    overrides: Mapping[str, Any] | None = None,
    source: str = "site.toml",
    root: Path = THEME_LOCALES,
    site_language: str | None = None,
    cache: Path | None = None,
) -> ThemeStrings:
    """The theme catalog for ``language`` with the site's overrides applied (compiled once into ``cache``, if given).

    Top-level overrides apply when ``language`` is ``site_language`` (or no
    site language is given), language tables to their language. Raises
    ``BuildFailed`` naming ``source`` for an override with the wrong number
    of plural forms.
    """
    name = find_catalog(language, root)
    warning = None
    if name is None:
        warning = f"no theme translation for language '{language}'; theme strings are in English"
    path = catalog_path(name or SOURCE_LANGUAGE, root)
    own = site_language is None or site_language == language
    chosen = _overrides_for(language, overrides or {}, own)
    compiled = _compiled(path, language, chosen, source, cache)
    return ThemeStrings(language, name, Translations(io.BytesIO(compiled), domain=DOMAIN), warning)


def _compiled(path: Path, language: str, overrides: Mapping[str, Any], source: str, cache: Path | None) -> bytes:
    """The catalog at ``path`` with ``overrides`` applied, compiled (``.mo`` bytes).

    Kept in ``cache`` (a folder of compiled templates) under a digest of everything it is made
    from, led by a checksum (a damaged file is compiled again): parsing a ``.po`` file with Babel
    costs a rebuild 70 ms of imports and parsing.
    """
    stored: Path | None = None
    if cache is not None:
        try:
            source_bytes = path.read_bytes()
        except OSError:
            source_bytes = None
        if source_bytes is not None:
            made_from = hashlib.blake2b(repr([__version__, babel_version, language, sorted(overrides.items())]).encode("utf-8"), digest_size=12)
            made_from.update(source_bytes)
            stored = cache / f"strings-{made_from.hexdigest()}.mo"
            try:
                data = stored.read_bytes()
            except OSError:
                data = b""
            if data[:_SUM] == _checksum(data[_SUM:]):
                return data[_SUM:]  # else missing or damaged: compiled again
    from babel.messages.mofile import write_mo

    catalog = _copy(read_catalog(path))
    _apply(catalog, language, overrides, source)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    compiled = buffer.getvalue()
    if stored is not None:
        temporary = stored.with_name(f".{stored.name}.{os.getpid()}")
        try:
            temporary.write_bytes(_checksum(compiled) + compiled)
            os.replace(temporary, stored)
        except OSError:
            temporary.unlink(missing_ok=True)
    return compiled


_SUM = 16  # bytes of checksum before a kept catalog


def _checksum(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=_SUM).digest()


def _copy(catalog: Catalog) -> Catalog:
    from babel.messages.catalog import Catalog

    copy = Catalog(locale=catalog.locale, domain=DOMAIN)
    copy.mime_headers = catalog.mime_headers  # keeps the file's Plural-Forms, not this Babel version's idea of them
    for message in catalog:
        if message.id:
            copy.add(message.id, message.string, context=message.context)
    return copy


def _overrides_for(language: str, overrides: Mapping[str, Any], top_level: bool) -> dict[str, Any]:
    """Top-level entries (if they apply), then the language tables that match ``language``, most specific last."""
    chosen = {key: value for key, value in overrides.items() if top_level and not isinstance(value, Mapping)}
    tables = {loc.babel_tag(key): value for key, value in overrides.items() if isinstance(value, Mapping)}
    for name in reversed(loc.candidates(language)):
        chosen.update(tables.get(name, {}))
    return chosen


def _apply(catalog: Catalog, language: str, overrides: Mapping[str, Any], source: str) -> None:
    errors = []
    forms = catalog.num_plurals
    for key, value in overrides.items():
        existing = catalog.get(key)
        plural = existing is not None and isinstance(existing.id, tuple | list)
        if isinstance(value, list) and len(value) != forms:
            errors.append(SiteError(source, f"strings: '{key}' needs {forms} plural form{'s' * (forms != 1)} in '{language}', got {len(value)}"))
            continue
        if plural:
            string: str | tuple[str, ...] = tuple(value) if isinstance(value, list) else (value,) * forms
        else:
            string = value if isinstance(value, str) else value[0]
        if existing is None:
            catalog.add((key, key) if isinstance(string, tuple) else key, string)
        else:
            existing.string = string
    if errors:
        raise BuildFailed(errors)


def check_overrides(value: Any) -> str | None:
    """None if ``value`` is a valid ``[strings]`` table, else the problem (for ``config.py``)."""
    if not isinstance(value, Mapping):
        return f"must be a table of theme strings, got {value!r}"
    for key, item in value.items():
        if isinstance(item, Mapping):
            if problem := _language_tag(key):
                return f"[strings.{key}]: {problem}"
            problem = next((_entry(k, v) for k, v in item.items() if _entry(k, v)), None)
        else:
            problem = _entry(key, item)
        if problem:
            return problem
    return None


def _entry(key: str, value: Any) -> str | None:
    if isinstance(value, str):
        return None
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return None
    return f"'{key}' must be text, or a list of plural forms, got {value!r}"


def _language_tag(key: str) -> str | None:
    if re.fullmatch(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*", key):
        return None
    return f"'{key}' is not a language tag such as 'zh-Hans'"


def template_helpers(strings: ThemeStrings, date_format: str) -> tuple[dict[str, Callable[..., Any]], dict[str, Callable[..., Any]]]:
    """(globals, filters) the theme uses besides gettext, in ``strings``' language."""
    language = strings.language

    def search_messages() -> dict[str, Any]:
        return {
            "searching": strings.gettext("Searching…"),
            "older": strings.gettext("Searching older stories…"),
            "unavailable": strings.gettext("Search is not available here: the site must be served over HTTP with its search index."),
            "found": strings.plural_messages("%(num)s result for “%(query)s”", "%(num)s results for “%(query)s”"),
            "none": strings.gettext("No results for “%(query)s”."),
            "plurals": strings.plural_language,
        }

    @functools.cache
    def archive_title(key: tuple[int, ...]) -> str:
        """"2024", "May 2024" or a day's date, each formatted once (archive pages name their neighbours)."""
        return loc.archive_title(key, date_format, language)

    globals_ = {
        "direction": loc.text_direction,
        "archive_title": lambda key: archive_title(tuple(key)),  # a template may pass a list
        "search_messages": search_messages,
    }
    dates: dict[tuple[object, str], str] = {}

    def datefmt(value: object, fmt: str | None = None) -> str:
        """A date in the site's language, each (date, format) formatted once: Babel is slow, and a
        story's date is shown on its page, in its cards and on every list that carries it."""
        key = (value, fmt or date_format)
        text = dates.get(key)
        if text is None:
            text = dates[key] = loc.format_date(value, key[1], language)  # type: ignore[arg-type]
        return text

    def datetimefmt(value: object, fmt: str | None = None) -> str:
        """The date as ``datefmt`` shows it, with the time of day (none for a date given without one)."""
        key = (value, "time", fmt or date_format)
        text = dates.get(key)
        if text is None:
            text = dates[key] = loc.with_time(datefmt(value, fmt), value, language)  # type: ignore[arg-type]
        return text

    filters = {
        "datefmt": datefmt,
        "datetimefmt": datetimefmt,
        "number": lambda value: loc.format_number(value, language),
    }
    return globals_, filters


def direct_gettext(strings: ThemeStrings) -> tuple[Callable[..., Markup], Callable[..., Markup]]:
    """``gettext`` and ``ngettext`` for templates that autoescape, as Jinja's newstyle ones behave there.

    The translation is markup (the catalogs hold HTML) and is always a format string: its
    ``%(name)s`` fields are filled with the keyword arguments, escaped, and ``%%`` is a percent sign.
    """
    singles: dict[str, Markup] = {}

    def gettext_(message: str, /, **variables: Any) -> Markup:
        translated = singles.get(message)
        if translated is None:
            translated = singles[message] = Markup(strings.gettext(message))
        return translated % variables

    def ngettext_(singular: str, plural: str, num: int, /, **variables: Any) -> Markup:
        variables.setdefault("num", num)
        return Markup(strings.ngettext(singular, plural, num)) % variables

    return gettext_, ngettext_


def install(env: Any, strings: ThemeStrings, date_format: str) -> None:
    """Give a Jinja environment the i18n extension (newstyle gettext) and the helpers, in one language."""
    if "jinja2.ext.InternationalizationExtension" not in env.extensions:
        env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(strings.gettext, strings.ngettext, newstyle=True)
    # The same newstyle functions, without Jinja's layers: its ``_`` calls ``gettext`` through the
    # template context, which calls the catalog through it again (each a ``Context.call``, the
    # costliest step of a template's function calls), ~45,000 times per 10,000 pages.
    gettext_, ngettext_ = direct_gettext(strings)
    env.globals.update(_=gettext_, gettext=gettext_, ngettext=ngettext_)
    globals_, filters = template_helpers(strings, date_format)
    env.globals.update(globals_)
    env.filters.update(filters)
    # Those that take a value are filters too: {{ period | archive_title }}, {{ story.lang | direction }}.
    env.filters.update(archive_title=globals_["archive_title"], direction=globals_["direction"])
