"""The fingerprint contract: no input may change what a page shows without changing that page's key.

Incremental builds skip a page whose key (in the output manifest) is unchanged,
so a key that misses something the page shows leaves the page stale. These
tests build a small but varied site in full, then change one input at a time
(every front-matter field of a story, every profile field, every setting, a
template, a static file), build in full again into a fresh folder, and report
every output file whose bytes changed while its key did not. (A key that
changes while the bytes do not is only wasted work.)

They know nothing of page kinds or of how keys are computed: only the output
files and the manifest. The inputs to change are drawn from the code
(``Article`` and ``Settings`` fields, profile fields, the extra front-matter
keys and profile fields the theme reads), so that a field added later without
a mutation here fails ``test_every_input_has_a_mutation``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from contract_site import MORE, NEW, OLD, PNG, STANDING, SiteFiles, sample_site, story

from broadsheet.build import Builder, BuildOptions
from broadsheet.model.authors import FIELDS as PROFILE_FIELDS
from broadsheet.model.config import Settings
from broadsheet.model.content import Article
from broadsheet.outputs.manifest import manifest_path
from broadsheet.outputs.output import Output
from broadsheet.theme import THEME_DIR

NOW = dt.datetime(2025, 2, 1, 12, 0, tzinfo=dt.UTC)
Edit = Callable[[SiteFiles], object]


@dataclass(frozen=True)
class Mutation:
    """One change to the site's inputs; ``covers`` names the inputs it exercises."""

    name: str
    covers: tuple[str, ...]
    edit: Edit


def _set(name: str, **changes: Any) -> Edit:
    return lambda site: site.meta(name).update(changes)


def _profile(key: str, value: Any) -> Edit:
    return lambda site: site.profiles["ann-lee"].update({key: value})


def _setting(key: str, value: Any) -> Edit:
    return lambda site: site.settings.update({key: value})


def _static(name: str, data: bytes) -> Edit:
    return lambda site: site.static.update({name: data})


def _later(name: str) -> Edit:
    """The same day, an hour later."""
    return lambda site: site.meta(name).update(
        date=(dt.datetime.fromisoformat(site.meta(name)["date"]) + dt.timedelta(hours=1)).isoformat()
    )


def _story_mutations(name: str, where: str) -> Iterable[Mutation]:
    """Every front-matter field of one story changed in turn."""
    edits: list[tuple[str, str, Edit]] = [
        ("title", "article.title", _set(name, title="A new headline")),
        ("date, same day", "article.date", _later(name)),
        ("date, another month", "article.date", _set(name, date="2024-12-10T09:00:00+01:00")),
        ("authors, one added", "article.authors", lambda site: site.meta(name)["authors"].append("Dee Ray")),
        ("authors, spelt otherwise", "article.authors", lambda site: site.respell(name, "authors")),
        ("tags, one added", "article.tags", lambda site: site.meta(name)["tags"].append("Harbour")),
        ("tags, only the spelling", "article.tags", lambda site: site.respell(name, "tags")),
        ("section", "article.section", _set(name, section="Sport")),
        ("section, only the spelling", "article.section", lambda site: site.respell(name, "section")),
        ("summary", "article.summary", _set(name, summary="A different summary.")),
        ("updated", "article.updated", _set(name, updated="2025-01-25T08:00:00+01:00")),
        ("image", "article.image", _set(name, image="img/other.png")),
        ("image_caption", "extra.image_caption", _set(name, image_caption="A new caption.")),
        ("image_alt", "extra.image_alt", _set(name, image_alt="New alt text")),
        ("image_credit", "article.image_credit", _set(name, image_credit="Photo: Dee Ray")),
        ("image_focus", "article.image_focus", _set(name, image_focus="0.2, 0.8")),
        ("dateline", "extra.dateline", _set(name, dateline="NEWTOWN")),
        ("lang", "article.lang", _set(name, lang="de")),
        ("slug", "article.slug", _set(name, slug="renamed")),
        ("draft", "article.draft", _set(name, draft=True)),
        ("an extra key", "article.extra", _set(name, kicker_note="Update")),
        ("url", "article.url", _set(name, url="/old/path/")),
        ("aliases", "article.aliases", _set(name, aliases=["/old/path.html"])),
        ("expires", "article.expires", _set(name, expires="2020-01-01")),
        ("featured: lead", "article.featured", _set(name, featured="lead")),
        ("featured: top", "article.featured", _set(name, featured="top")),
        ("featured: lead, its window still open", "article.featured_until",
         _set(name, featured="lead", featured_until="2025-03-01T00:00:00+01:00")),
        ("featured: lead, its window passed", "article.featured_until", _set(name, featured="lead", featured_until="2025-01-25")),
        ("source credit", "article.credit", _set(name, source="Wire Agency")),
        ("corrections, one added", "article.corrections", lambda site: site.meta(name).setdefault("corrections", []).append(
            {"date": "2025-01-25T10:00:00+01:00", "text": "A name was misspelt.", "kind": "clarification"})),
        ("series", "article.series", _set(name, series="Harbour life")),
        ("series_part", "article.series_part", _set(name, series_part=5)),
        ("made a standing page", "article.standing", _set(name, type="page")),
        ("file moved", "article.source", lambda site: site.stories.update({f"moved/{name}": site.stories.pop(name)})),
    ]
    return (Mutation(f"{where}: {what}", (covers,), edit) for what, covers, edit in edits)


# What a story shows on other stories' pages and on lists (the rest shows only on its own page).
ON_OTHER_PAGES = {
    "article.title", "article.date", "article.authors", "article.tags", "article.section", "article.summary",
    "article.image", "article.lang", "article.draft", "article.featured", "article.featured_until",
    "article.corrections", "article.series", "article.series_part",
}
PROFILE_CHANGES = {
    "name": "Ann Lee-Park", "role": "Business editor", "bio": "Ann Lee writes about money.", "photo": "img/other.png",
    "email": "ann@example.com", "links": [{"label": "Website", "url": "https://ann.example/"}],
}
SETTING_CHANGES = {
    "title": "The Other Times", "description": "Other news.", "base_url": "https://example.com/", "language": "en-GB",
    "timezone": "America/New_York", "per_page": 4, "permalink": "{section}/{year}/{slug}/", "feed_limit": 5,
    "related_count": 3, "publisher": "Other Ltd", "logo": "img/other.png", "date_format": "%d %b %Y",
    "extra": {"motto": "Other news"}, "static_dir": "assets", "authors_file": "people.yml",
    "front_matter": {"summary": ["blurb"]}, "image_widths": [320, 640], "image_formats": ["webp"],
    "image_quality": {"jpeg": 60}, "image_keep_copyright": True,
    "languages": ["de"], "strings": {"Search": "Find"},
    "max_tags": 50, "max_article_kb": 1024, "markdown_seconds": 5,
    "sections": ["City", "Business"], "breaking": {"text": "Polls close at 8 p.m.", "url": "/news/results/"},
    "markdown": "commonmark",  # the bridge story's ~~struck~~ words render otherwise: bodies must render again
    "menus": {"footer": ["contact", {"label": "Tips", "url": "mailto:tips@example.org"}]},
}
NEWCOMER = story("New year, new ferry", "2025-01-01T10:00:00+01:00", ["Bo Chen"], "City", ["transport", "widgets"])

MUTATIONS: list[Mutation] = [
    *_story_mutations(NEW, "newest story"),
    # The oldest story is in no feed and on no front page: what changes there comes from other stories.
    *(m for m in _story_mutations(OLD, "oldest story") if m.covers[0] in ON_OTHER_PAGES),
    Mutation("newest story: body", ("article.body",), lambda site: site.replace_body(NEW, "a tenth", "a fifth")),
    Mutation("story with a break: body before <!--more-->", ("article.body",),
             lambda site: site.replace_body(MORE, "opening", "first")),
    Mutation("story with a break: body after <!--more-->", ("article.body",),
             lambda site: site.replace_body(MORE, "The rest", "All the rest")),
    Mutation("story with a break: break removed", ("article.body",),
             lambda site: site.replace_body(MORE, "<!--more-->\n\n", "")),
    Mutation("a byline spelt otherwise, changing the reporter's name", ("article.authors",),
             _set("2024-12-15-bank.md", authors=["Ann Lee", "cy dee"])),
    Mutation("two stories made versions of one story", ("article.translation_key",), lambda site: (
        site.meta(NEW).update(translation_key="ferry"), site.meta(OLD).update(translation_key="ferry", lang="de"))),
    Mutation("newest story: lang, into the French edition", ("article.lang",), _set(NEW, lang="fr")),
    Mutation("French story: lang, out of its edition", ("article.lang",), _set("2025-01-05-tram.md", lang="de")),
    Mutation("translated stories: translation_key removed", ("article.translation_key",), lambda site: (
        site.meta("2025-01-05-tram.md").pop("translation_key"), site.meta("2025-01-18-market.md").pop("translation_key"))),
    Mutation("translated stories: another English version", ("article.translation_key",), lambda site: (
        site.meta("2025-01-18-market.md").pop("translation_key"), site.meta(MORE).update(translation_key="tram-line"))),
    Mutation("setting: editions, another prefix and title", ("settings.editions",), _setting(
        "editions", {"fr": {"prefix": "francais", "title": "Le Journal d'essai", "description": "Les nouvelles."}})),
    Mutation("setting: languages, none", ("settings.languages",), lambda site: (
        site.settings.pop("languages"), site.settings.pop("editions", None))),
    Mutation("newest story: a correction's text", ("article.corrections",), lambda site: site.meta(NEW).update(
        corrections=[{"date": "2025-01-22T08:00:00+01:00", "text": "The rise is a tenth.", "kind": "editors-note"}])),
    Mutation("series: parts swapped", ("article.series_part",), lambda site: (
        site.meta(NEW).update(series_part=2), site.meta("2025-01-12-budget.md").update(series_part=1))),
    Mutation("series: a part's headline", ("article.title",), _set("2025-01-12-budget.md", title="Budget talks collapse")),
    Mutation("standing page: title (in the footer menu)", ("article.title",), _set(STANDING, title="Who we are")),
    Mutation("standing page: body", ("article.body",), lambda site: site.replace_body(STANDING, "the news", "all the news")),
    Mutation("standing page: url", ("article.url",), _set(STANDING, url="/about-us/")),
    Mutation("standing page: slug", ("article.slug",), _set(STANDING, slug="who")),
    Mutation("standing page: updated", ("article.updated",), _set("pages/contact.md", updated="2025-01-05")),
    Mutation("standing page: made a story", ("article.standing",), lambda site: (
        site.meta(STANDING).update(type="story", date="2025-01-03"), site.settings["menus"].update(footer=["contact"]))),
    Mutation("standing page added", (), lambda site: site.stories.update({"pages/ethics.md": ({"title": "Ethics"}, "Rules.\n")})),
    Mutation("a story added", (), lambda site: site.stories.update({"2025-01-01-new.md": (NEWCOMER, "New.\n")})),
    Mutation("a story removed", (), lambda site: site.stories.pop("2024-12-24-lights.md")),
    *(Mutation(f"profile: {key}", (f"profile.{key}",), _profile(key, value)) for key, value in PROFILE_CHANGES.items()),
    Mutation("profile: a field removed", ("profile.role",), lambda site: site.profiles["ann-lee"].pop("role")),
    Mutation("profile: one added", ("profile.photo", "profile.bio"),
             lambda site: site.profiles.update({"Cy Dee": {"photo": "img/other.png", "bio": "Cy reports."}})),
    *(Mutation(f"setting: {key}", (f"settings.{key}",), _setting(key, value)) for key, value in SETTING_CHANGES.items()),
    Mutation("setting: a breaking-news banner already taken down", ("settings.breaking",),
             _setting("breaking", {"text": "Old news", "until": "2025-01-31T12:00:00Z"})),
    Mutation("setting: a section listed, the other left to follow", ("settings.sections",), _setting("sections", ["City"])),
    Mutation("template: the story card", ("template",), lambda site: site.override(
        "partials/story_card.html", 'class="card-title"', 'class="card-title card-heading"')),
    Mutation("template: a page template", ("template",), lambda site: site.override(
        "terms.html", '<ul class="term-index', '<ul class="terms term-index')),
    Mutation("static: an image a story shows", ("static",), _static("img/harbour.png", PNG + b"new")),
    Mutation("static: a reporter's photo", ("static",), _static("img/ann.png", PNG + b"new")),
    Mutation("static: a stylesheet", ("static",), _static("css/site.css", b"body { color: red }\n")),
]

# Inputs no page shows as such, with the reason.
NOT_SHOWN = {"article.digest": "the hash of the file's bytes: any edit to a story changes it"}


def _theme_reads(pattern: str) -> set[str]:
    """Names the theme's templates read with ``pattern`` (e.g. the extra front-matter keys)."""
    found: set[str] = set()
    for path in THEME_DIR.rglob("*.html"):
        found.update(re.findall(pattern, path.read_text(encoding="utf-8")))
    return found


def test_every_input_has_a_mutation() -> None:
    """A field added to articles, profiles or settings needs a mutation here, or the contract goes unguarded."""
    inputs = {f"article.{f.name}" for f in dataclasses.fields(Article)}
    inputs |= {f"settings.{f.name}" for f in dataclasses.fields(Settings)}
    inputs |= {f"profile.{name}" for name in PROFILE_FIELDS}
    inputs |= {f"profile.{name}" for name in _theme_reads(r"\bprofile\.(\w+)")}
    inputs |= {f"extra.{name}" for name in _theme_reads(r"""\bextra\.get\(\s*["'](\w+)["']""")}
    inputs |= {f"extra.{name}" for name in _theme_reads(r"""\bextra(?:\.|\[["'])(\w+)""") - {"get", "items"}}
    inputs |= {"template", "static"}
    covered = {name for mutation in MUTATIONS for name in mutation.covers} | set(NOT_SHOWN)
    missing = sorted(inputs - covered)
    assert not missing, "\n".join(f"add a mutation for field {name}" for name in missing)


def _build(site: SiteFiles, root: Path, output: Path, monkeypatch: pytest.MonkeyPatch, **options: Any) -> Builder:
    """A full build of ``site``, written into ``root``, into ``output``.

    Keys may depend on where the sources are (the templates folder's path is
    part of every key), so every build of one test reads from the same ``root``.
    The static folder is found from the working folder.
    """
    site.write(root)
    monkeypatch.chdir(root)
    values: dict[str, Any] = {
        "content": root / "content", "output": output, "templates": root / "templates",
        "config": root / "site.toml", "cache_dir": _cache_of(output), "full": True, "jobs": 1, "now": NOW,
    }
    builder = Builder(BuildOptions(**{**values, **options}))
    builder.build()
    return builder


def _cache_of(output: Path) -> Path:
    """Where a build into ``output`` keeps its state (the manifest of page keys among it)."""
    return output.parent / f".{output.name}.cache"


def _pages(output: Path) -> dict[str, tuple[str, bytes]]:
    """Every page in the manifest: output path -> (key, bytes).

    Static files (under ``static/``) are no pages: they are copied when their
    size or time differs, or written when their bytes do, whatever their key.
    """
    manifest = Output(output, manifest_path(output, _cache_of(output))).read_manifest()
    assert manifest
    pages = {path: key for path, key in manifest.items() if not path.startswith("static/")}
    return {path: (key, (output / path).read_bytes()) for path, key in pages.items()}


@dataclass(frozen=True)
class Baseline:
    root: Path  # where every build of this module reads its sources
    pages: dict[str, tuple[str, bytes]]


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Baseline:
    root = tmp_path_factory.mktemp("contract") / "site"
    with pytest.MonkeyPatch.context() as monkeypatch:
        _build(sample_site(), root, root.parent / "output", monkeypatch)
    return Baseline(root, _pages(root.parent / "output"))


@pytest.mark.parametrize("mutation", MUTATIONS, ids=[m.name for m in MUTATIONS])
def test_a_page_whose_bytes_change_changes_its_key(
    mutation: Mutation, baseline: Baseline, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = sample_site()
    mutation.edit(site)
    _build(site, baseline.root, tmp_path / "output", monkeypatch)
    after, before = _pages(tmp_path / "output"), baseline.pages
    stale = sorted(
        path for path, (key, data) in after.items()
        if path in before and before[path][0] == key and before[path][1] != data
    )
    assert not stale, f"after changing {mutation.name}, same key but other bytes (stale when incremental): {stale}"


# Mutations tests/test_incremental.py does not make, applied one after another on one site: each
# incremental build (cache on, same output folder) must equal a full build of the same sources.
INCREMENTAL = [
    "oldest story: tags, only the spelling",
    "profile: role",
    "profile: photo",
    "story with a break: break removed",
    "newest story: image_caption",
    "a byline spelt otherwise, changing the reporter's name",
    "static: an image a story shows",
    "oldest story: featured: lead",
    "newest story: source credit",
    "oldest story: featured: lead, its window passed",
    "newest story: lang, into the French edition",
    "translated stories: another English version",
    "French story: lang, out of its edition",
    "setting: editions, another prefix and title",
    "setting: languages, none",
    "setting: markdown",
    "newest story: a correction's text",
    "series: a part's headline",
    "series: parts swapped",
    "standing page: body",
    "standing page: title (in the footer menu)",
    "newest story: corrections, one added",
]


def _files(output: Path) -> dict[str, bytes]:
    return {p.relative_to(output).as_posix(): p.read_bytes() for p in output.rglob("*") if p.is_file()}


@pytest.mark.parametrize("process", ["one builder", "a new builder each time"])
def test_incremental_builds_equal_full_builds(process: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The preview keeps one builder; ``site.py build`` starts a new one that reads the last build's snapshot."""
    by_name = {mutation.name: mutation for mutation in MUTATIONS}
    root, output, full = tmp_path / "site", tmp_path / "output", tmp_path / "full"
    site = sample_site()
    builder = _build(site, root, output, monkeypatch, cache_dir=tmp_path / "cache", full=False)
    for name in INCREMENTAL:
        by_name[name].edit(site)
        site.write(root)
        if process != "one builder":
            builder = Builder(builder.options)
        builder.build()
        shutil.rmtree(full, ignore_errors=True)
        _build(site, root, full, monkeypatch)
        got, want = _files(output), _files(full)
        stale = sorted(k for k in want if got.get(k) != want[k]) + sorted(set(got) - set(want))
        assert not stale, f"after changing {name}, an incremental build differs from a full one: {stale}"
