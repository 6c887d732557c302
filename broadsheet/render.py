"""Render stage: Jinja2 (autoescape on) turns planned pages into bytes."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import io
import os
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
from markupsafe import Markup

from broadsheet.errors import BuildFailed, SiteError
from broadsheet.markup.smartquotes import typeset
from broadsheet.model.catalogs import ThemeStrings, install, load_theme_strings
from broadsheet.model.curation import FrontPage, breaking_banner
from broadsheet.model.site import Site, Story
from broadsheet.model.urls import absolute_url, asset_url
from broadsheet.outputs.metadata import json_ld
from broadsheet.outputs.picture import Pictures
from broadsheet.outputs.processed import ProcessedImage
from broadsheet.pages.front import curated
from broadsheet.pages.kinds import Page, PageKind
from broadsheet.pages.plan import KINDS
from broadsheet.theme import THEME_DIR

CARD_TEMPLATE = "partials/story_card.html"

@dataclass(frozen=True)
class Renderer:
    """A site's template environment plus the site it renders.

    ``memo`` holds what renderers work out once per story and reuse on every
    page that shows it (feed entries), each kind's by story URL: for this
    build, or kept with the environment between builds of one site
    (``pipeline/keep.py``), which drops the changed stories' entries.
    """

    site: Site
    env: Templates
    memo: dict[str, dict[str, Any]] = field(default_factory=dict, compare=False)
    # Each further edition's renderer (its site, strings and dates), by prefix: ``Page.edition``.
    editions: Mapping[str, Renderer] = field(default_factory=dict, compare=False)
    strings: ThemeStrings | None = field(default=None, compare=False)

    def gettext(self, message: str) -> str:
        """A theme string in this renderer's language (as written, for a renderer made without strings)."""
        return self.strings.gettext(message) if self.strings is not None else message

    def feed_body(self, html: str) -> str:
        """A story body with its images naming the files the build published (``Pictures.feed_body``)."""
        return self.env.pictures.feed_body(html) if self.env.pictures is not None else html

    def render(self, page: Page) -> bytes:
        """The page's bytes: its kind's own renderer, or Jinja for its template, in the page's edition."""
        if page.edition and self.editions:  # the main renderer hands an edition's page to the edition's
            return self.editions[page.edition].render(page)
        render = page.family.render
        return _render_template(self, page) if render is None else render(self, page)


def _render_template(renderer: Renderer, page: Page) -> bytes:
    assert page.template is not None
    try:
        html = renderer.env.render(page.template, {"page": page, **page.data})
    except jinja2.TemplateSyntaxError as exc:
        raise BuildFailed([SiteError(_template_name(exc.filename, exc.name), exc.message or "syntax error", exc.lineno)]) from None
    except jinja2.TemplateNotFound as exc:
        # The template that asked for it (an include, an extends), once for every page it breaks.
        filename, line = _template_frame(exc)
        raise BuildFailed([SiteError(filename or page.template, f"template '{exc.name}' not found", line)]) from None
    except jinja2.UndefinedError as exc:
        filename, line = _template_frame(exc)
        raise BuildFailed([SiteError(filename or page.template, f"undefined name: {exc.message}", line)]) from None
    except Exception as exc:
        filename, line = _template_frame(exc)
        raise BuildFailed([SiteError(filename or page.template, f"{type(exc).__name__}: {exc} (rendering /{page.url})", line)]) from None
    return html.encode("utf-8")


def _template_name(filename: str | None, name: str | None) -> str:
    if filename:
        try:
            return Path(filename).resolve().relative_to(Path.cwd()).as_posix()
        except ValueError:
            return filename
    return name or "template"


def _template_frame(exc: BaseException) -> tuple[str | None, int | None]:
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith((".html", ".xml", ".txt", ".json")):
            return _template_name(frame.filename, None), frame.lineno
    return None, None


@dataclass(frozen=True)
class Templates:
    """The Jinja environment and the site's helpers (``url()``, ``card()``, ...), given to every template it renders.

    The helpers are template variables rather than Jinja globals: Jinja copies a
    template's globals into every new context through a ``ChainMap``, key by key
    in Python, while variables are merged as one plain dict. Templates see them
    the same way; a macro file a site imports must be imported ``with context``.
    """

    jinja: jinja2.Environment
    helpers: dict[str, Any]
    cards: dict[tuple[Any, ...], Markup] = field(default_factory=dict)  # ``card()``'s, by story and arguments
    front: list[FrontPage | None] = field(default_factory=list)  # ``front_page()``'s, once worked out
    pictures: Pictures | None = None  # the photo helpers behind ``picture()`` and the ``pictures`` filter

    def render(self, name: str, values: Mapping[str, Any]) -> str:
        return self.jinja.get_template(name).render({**self.helpers, **values})

    def forget(self, stories: Sequence[Story]) -> None:
        """Drop the cards of stories whose content changed, for an environment kept between builds of one site."""
        if stories:
            gone = set(map(id, stories))
            for key in [key for key in self.cards if id(key[0]) in gone]:
                del self.cards[key]

    def at(self, now: dt.datetime) -> None:
        """Take a new build's clock, for an environment kept between builds: ``build_time``, the
        breaking-news banner and the front page's curation are worked out again for it."""
        self.helpers["build_time"] = now
        self.helpers["breaking"] = breaking_banner(self.helpers["settings"], now)
        self.front.clear()


class CheckedBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates on disk, each file led by a checksum of the rest.

    Jinja checks a file's magic and its template's source hash, but loads the
    marshalled code as it finds it: flipped bytes could load as other code.
    A file that fails its checksum, or cannot be read at all, is compiled
    again; a file that cannot be written is skipped (the cache is a shortcut).
    Files are keyed by template source, so one written by a build that later
    failed is still right for the next build.
    """

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            with open(self._get_cache_filename(bucket), "rb") as file:
                raw = file.read()
        except OSError:
            return
        data = raw[_BYTECODE_SUM:]
        if raw[:_BYTECODE_SUM] != hashlib.blake2b(data, digest_size=_BYTECODE_SUM).digest():
            return
        try:
            bucket.load_bytecode(io.BytesIO(data))
        except Exception:  # any damage means: compile again
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        name = self._get_cache_filename(bucket)
        data = bucket.bytecode_to_string()
        tmp = f"{name}.{os.getpid()}.tmp"
        try:
            with open(tmp, "wb") as file:
                file.write(hashlib.blake2b(data, digest_size=_BYTECODE_SUM).digest() + data)
            os.replace(tmp, name)
        except OSError:
            with contextlib.suppress(OSError):
                os.remove(tmp)


_BYTECODE_SUM = 16


def make_environment(
    site: Site,
    templates_dir: Path | None,
    build_time: dt.datetime | None = None,
    asset_names: Mapping[str, str] | None = None,
    bytecode_dir: Path | None = None,
    kinds: Sequence[PageKind] = KINDS,
    strings: ThemeStrings | None = None,
    photos: Mapping[str, ProcessedImage] | None = None,
) -> Templates:
    """Site templates first, then the built-in theme: override one file, keep the rest.

    ``build_time`` (the build's notion of "now") lets templates tell scheduled
    articles apart without reading the clock themselves; ``asset_names`` maps
    static output paths to their fingerprinted names, for ``asset_url()``;
    compiled templates are kept in ``bytecode_dir`` (keyed by template source)
    so a rebuild that renders a few pages does not compile the theme again.
    Each of ``kinds`` adds its own helpers (``term_url``, ``search_url``, ...),
    and ``feed_formats`` lists their feed formats, for the links in every head.
    ``photos`` (the photo stage's processed images, by static path) give
    ``picture()``, ``social_image()`` and the ``pictures`` filter for bodies.
    """
    search = [str(d) for d in (templates_dir, THEME_DIR) if d is not None and d.is_dir()]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(search),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,  # a misspelt name is an error naming template and line
        auto_reload=False,  # one environment per build: no need to stat every template on every page
        bytecode_cache=CheckedBytecodeCache(str(bytecode_dir)) if bytecode_dir else None,
    )
    helpers: dict[str, Any] = {}
    settings = site.settings
    base_path = settings.base_path

    def url(path: str = "") -> str:
        if "://" in path or path.startswith("//"):
            return path
        return base_path + path.lstrip("/")

    def abs_url(path: str = "") -> str:
        return absolute_url(settings, path)

    def fingerprinted_asset_url(path: str) -> str:
        plain = asset_url(path)
        return (asset_names or {}).get(plain, plain)

    fragments: dict[tuple[str, tuple[tuple[str, object], ...]], Markup] = {}

    def fragment(name: str, **values: object) -> Markup:
        """Template ``name`` rendered with ``values`` and the site-wide globals, once per build and process.

        For pieces that many pages share (the footer; the masthead, which varies
        only with the section it marks; a story's card): each variant is rendered once.
        """
        key = (name, tuple(values.items()))  # one call site passes its values in one order
        html = fragments.get(key)
        if html is None:
            html = fragments[key] = Markup(templates.render(name, values))
        return html

    cards: dict[tuple[Any, ...], Markup] = {}

    def card(story: Story, variant: str = "block", hl: int = 2, show_image: bool = True, show_kicker: bool = True) -> Markup:
        """``partials/story_card.html`` for one story: the same on every list it appears in.

        A ``fragment`` of its own kind: a list page asks for twenty cards, so
        they are kept by their arguments as given, not by keyword items.
        """
        key = (story, variant, hl, show_image, show_kicker)
        html = cards.get(key)
        if html is None:
            values = {"story": story, "variant": variant, "hl": hl, "show_image": show_image, "show_kicker": show_kicker}
            html = cards[key] = Markup(templates.render(CARD_TEMPLATE, values))
        return html

    pictures = Pictures(photos or {}, url, fingerprinted_asset_url)

    now = build_time or dt.datetime.now(dt.UTC)
    front: list[FrontPage | None] = []

    def front_page() -> FrontPage | None:
        """The front page's lead and top stories by the build clock (worked out once per build)."""
        if not front:
            front.append(curated(site, templates.helpers["build_time"] or now))
        return front[0]

    helpers.update(
        picture=pictures.picture, social_image=pictures.social_image, social_size=pictures.social_size,
        pictures=pictures.pictures,
        site=site, settings=settings, url=url, abs_url=abs_url, asset_url=fingerprinted_asset_url,
        card=card, fragment=fragment, build_time=build_time, front_page=front_page,
        breaking=breaking_banner(settings, now),
        feed_formats=tuple(format for kind in kinds for format in kind.formats),
    )
    for kind in kinds:
        if kind.globals is not None:
            helpers.update(kind.globals(site))
    # The helpers that take a value are filters too ({{ story.url | url }}): Jinja calls a filter
    # directly, where a call in a template goes through Context.call's checks for pass_context.
    env.filters.update({name: helper for name, helper in helpers.items() if callable(helper)})
    env.filters.update(section_of=site.section_of, authors_of=site.authors_of, tags_of=site.tags_of)
    env.filters.update(typeset=lambda text, lang=None: Markup(typeset(str(text or ""), lang or settings.language)))
    env.filters.update(jsonld=json_ld, isoformat=lambda d: d.isoformat() if d else "", safe_html=Markup)
    # The theme's strings, dates and numbers in the site's language: the i18n extension, gettext
    # (_, gettext, ngettext), archive_title, direction, search_messages, and the datefmt and number filters.
    install(env, strings or load_theme_strings(settings.language, settings.strings, site_language=settings.language),
            settings.date_format)
    # Jinja's own globals (range, namespace, ...) and the catalog's travel with the helpers, so
    # that a new context (each page, include and fragment) has no globals to copy.
    helpers = {**env.globals, **helpers}
    env.globals.clear()
    templates = Templates(env, helpers, cards, front, pictures)
    return templates


def make_renderer(
    site: Site,
    templates_dir: Path | None,
    build_time: dt.datetime | None = None,
    asset_names: Mapping[str, str] | None = None,
    bytecode_dir: Path | None = None,
    warnings: list[str] | None = None,
    photos: Mapping[str, ProcessedImage] | None = None,
) -> Renderer:
    """The site's renderer, holding one per further edition, each in its language's strings and dates.

    The site's ``[strings]`` apply to every edition (top-level ones to the main
    language's); a language without a theme catalog adds its warning to ``warnings``.
    """
    main_language = site.settings.language

    def one(each: Site, bytecode: Path | None) -> Renderer:
        settings = each.settings
        strings = load_theme_strings(settings.language, settings.strings, site_language=main_language, cache=bytecode)
        if strings.warning and warnings is not None:
            warnings.append(strings.warning)
        return Renderer(each, make_environment(each, templates_dir, build_time, asset_names, bytecode, strings=strings, photos=photos),
                        strings=strings)

    editions = {}
    for prefix, edition in site.edition_sites.items():
        # Compiled templates fold each edition's own helpers (its URLs) in: a folder per edition.
        folder = bytecode_dir / prefix.strip("/") if bytecode_dir else None
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
        editions[prefix] = one(edition, folder)
    return dataclasses.replace(one(site, bytecode_dir), editions=editions)
