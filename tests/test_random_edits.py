"""Random sequences of edits, each followed by an incremental build that must equal a clean build byte for byte.

Every kind of input is edited: stories (body, headline, date, tags and their
spelling, section, summary, draft, added, removed), ``authors.yml`` (role,
photo, name), ``site.toml``, template overrides and static files. After each
edit the site is built the way the command line does (a new builder reading
the last build's cache and snapshot) or the way the preview does (one builder
kept alive), and the output folder is compared with a first build of the
same sources into a fresh folder with no cache.

The seeds are fixed, so a failure names a reproducible sequence. Longer runs:
``BROADSHEET_RANDOM_EDITS=200`` (seeds) and ``BROADSHEET_RANDOM_STEPS=20``.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sitekit import tree

from broadsheet.build import Builder, BuildOptions
from broadsheet.errors import BuildFailed

NOW = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
SEEDS = list(range(int(os.environ.get("BROADSHEET_RANDOM_EDITS", "4"))))
STEPS = int(os.environ.get("BROADSHEET_RANDOM_STEPS", "6"))
# A real 8x8 PNG: the photo stage processes profile photos and fails the build on other bytes.
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x08\x00\x00\x00\x08\x08\x02\x00\x00\x00Km)\xdc\x00\x00\x00\x14IDATx\x9cc<Q\xa1\xc1\x80\r0a\x15\x1d\xb4\x12\x00\x1e'\x01x\x06\x16\x83\xca\x00\x00\x00\x00IEND\xaeB`\x82"
TAGS = ["harbour", "Harbour", "widgets", "Widgets", "transport", "economy"]
AUTHORS = ["Ann Lee", "Bo Chen", "ann lee"]
SECTIONS = ["City", "Business", "Sport", "city"]


class Site:
    """The site's files as data, written in full into a folder."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.stories: dict[str, dict[str, object]] = {}
        self.next = 0
        for _ in range(10):
            self.add_story()
        self.profiles = {
            "Ann Lee": {"name": "Ann Lee", "role": "City editor", "photo": "img/ann.png"},
            "Bo Chen": {"name": "Bo Chen", "role": "Reporter"},
        }
        self.settings: dict[str, object] = {"title": "The Harbour Times", "per_page": 3, "feed_limit": 4}
        self.templates: dict[str, str] = {}
        self.static: dict[str, bytes] = {"img/ann.png": PNG, "img/harbour.png": PNG + b"h", "css/extra.css": b"p { margin: 0 }\n"}

    def add_story(self) -> None:
        rng, n = self.rng, self.next
        self.next += 1
        self.stories[f"story-{n:03d}.md"] = {
            "title": f"Story number {n}",
            "date": dt.datetime(2025, rng.randint(1, 5), rng.randint(1, 28), rng.randint(0, 23), tzinfo=dt.UTC).isoformat(),
            "authors": rng.sample(AUTHORS[:2], rng.randint(1, 2)),
            "tags": rng.sample(TAGS, rng.randint(0, 3)),
            "section": rng.choice(SECTIONS),
            "body": f"Paragraph one of story {n}.\n\nParagraph two, with [a link](https://example.org/{n}).\n",
        }

    def write(self, root: Path) -> None:
        shutil.rmtree(root, ignore_errors=True)
        for name, meta in self.stories.items():
            lines = ["---"]
            for key, value in meta.items():
                if key != "body":
                    lines.append(f"{key}: {_yaml(value)}")
            _put(root / "content" / name, "\n".join([*lines, "---", str(meta["body"])]))
        profiles = []
        for key, profile in self.profiles.items():
            profiles.append(f"{key}:")
            profiles.extend(f"  {field}: {_yaml(value)}" for field, value in profile.items())
        _put(root / "content" / "authors.yml", "\n".join(profiles) + "\n")
        _put(root / "site.toml", "".join(f"{k} = {_toml(v)}\n" for k, v in self.settings.items()))
        for name, text in self.templates.items():
            _put(root / "templates" / name, text)
        (root / "templates").mkdir(parents=True, exist_ok=True)
        for name, data in self.static.items():
            path = root / "static" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)

    # -- edits ----------------------------------------------------------------

    def story(self) -> dict[str, object]:
        return self.stories[self.rng.choice(sorted(self.stories))]

    def edits(self) -> list[tuple[str, Callable[[], None]]]:
        rng = self.rng
        return [
            ("body", lambda: self.story().update(body=f"A new body {rng.random():.6f}.\n\nMore text.\n")),
            ("headline", lambda: self.story().update(title=f"A new headline {rng.randint(0, 999)}")),
            ("date", lambda: self.story().update(date=dt.datetime(2025, rng.randint(1, 5), rng.randint(1, 28), tzinfo=dt.UTC).isoformat())),
            ("tags", lambda: self.story().update(tags=rng.sample(TAGS, rng.randint(0, 3)))),
            ("tag spelling", lambda: self._respell()),
            ("section", lambda: self.story().update(section=rng.choice(SECTIONS))),
            ("summary", lambda: self.story().update(summary=f"A summary {rng.randint(0, 99)}.")),
            ("draft", lambda: self.story().update(draft=not self.story().get("draft", False))),
            ("story added", self.add_story),
            ("story removed", lambda: len(self.stories) > 3 and self.stories.pop(rng.choice(sorted(self.stories)))),
            ("profile role", lambda: self.profiles["Ann Lee"].update(role=rng.choice(["City editor", "Harbour editor", "Editor"]))),
            ("profile photo", lambda: self.profiles["Bo Chen"].update(photo=rng.choice(["img/ann.png", "img/harbour.png"]))),
            ("profile name", lambda: self.profiles["Ann Lee"].update(name=rng.choice(["Ann Lee", "Ann Lee-Park"]))),
            ("setting", lambda: self.settings.update(rng.choice([
                {"title": f"The Times {rng.randint(0, 9)}"}, {"per_page": rng.randint(2, 5)}, {"feed_limit": rng.randint(2, 6)}]))),
            ("template", lambda: self.templates.update({"partials/footer.html": f"<footer>Footer {rng.randint(0, 9)}</footer>\n"})),
            ("template removed", lambda: self.templates.clear()),
            ("static edited", lambda: self.static.update({"css/extra.css": f"p {{ margin: {rng.randint(0, 9)}px }}\n".encode()})),
            ("static added", lambda: self.static.update({f"img/new-{rng.randint(0, 3)}.png": PNG + bytes([rng.randint(0, 255)])})),
            ("static removed", lambda: self.static.pop(rng.choice([n for n in self.static if n.startswith("img/new")] or ["none"]), None)),
        ]

    def _respell(self) -> None:
        story = self.story()
        tags = list(story["tags"])  # type: ignore[call-overload]
        if tags:
            i = self.rng.randrange(len(tags))
            tags[i] = tags[i].lower() if tags[i][0].isupper() else tags[i].capitalize()
            story["tags"] = tags


def _yaml(value: object) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def _toml(value: object) -> str:
    import json

    return json.dumps(value) if not isinstance(value, bool) else str(value).lower()


def _put(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _options(root: Path, cache: Path | None) -> BuildOptions:
    return BuildOptions(
        content=root / "content", output=root / "output", templates=root / "templates", config=root / "site.toml",
        cache_dir=cache, now=NOW, jobs=1,
    )



def _write_in_place(site: Site, root: Path) -> None:
    """Rewrite the sources in place (keeping output and cache), as an editor saving files would."""
    staging = root.parent / "next"
    site.write(staging)
    for folder in ("content", "templates", "static"):
        old, new = tree(root / folder), tree(staging / folder)
        for rel in old.keys() - new.keys():
            (root / folder / rel).unlink()
        for rel, data in new.items():
            if old.get(rel) != data:  # unchanged files keep their times, as in an editor
                _put_bytes(root / folder / rel, data)
    if (root / "site.toml").read_bytes() != (staging / "site.toml").read_bytes():
        _put_bytes(root / "site.toml", (staging / "site.toml").read_bytes())
    shutil.rmtree(staging)


def _put_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


@pytest.mark.parametrize("seed", SEEDS)
def test_random_edits_build_like_a_clean_build(seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    site = Site(rng)
    root, clean = tmp_path / "site", tmp_path / "clean"
    site.write(root)
    keep_builder = seed % 2 == 1  # odd seeds build as the preview does, with one builder kept alive
    monkeypatch.chdir(root)
    builder = Builder(_options(root, root / ".cache"))
    builder.build()
    done: list[str] = []
    for _step in range(STEPS):
        name, edit = rng.choice(site.edits())
        edit()
        done.append(name)
        _write_in_place(site, root)
        monkeypatch.chdir(root)
        if not keep_builder:
            builder = Builder(_options(root, root / ".cache"))
        try:
            builder.build()
        except BuildFailed as failed:
            pytest.fail(f"seed {seed}, edits {done}: the build failed: {failed}")
        site.write(clean)
        monkeypatch.chdir(clean)
        Builder(_options(clean, None)).build()
        got, want = tree(root / "output"), tree(clean / "output")
        differ = sorted(k for k in want if got.get(k) != want[k]) + sorted(set(got) - set(want))
        assert not differ, f"seed {seed}, edits {done}: differs from a clean build: {differ[:10]}"
