"""A small but varied site held as data, for tests that change one input at a time and build again.

``tests/test_fingerprint_contract.py`` edits a ``SiteFiles`` (a front-matter
key, a profile field, a setting, a template, a static file) and writes it over
the last one: files left as they were keep their times, as an editor leaves them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from broadsheet.theme import THEME_DIR

PNG = b"\x89PNG\r\n\x1a\n"
NEW = "2025-01-20-tolls.md"  # the newest story, with every field set: in every list, feed and front page
OLD = "2024-11-02-port.md"  # the oldest: in no feed and on no front page, only on the last page of its lists
MORE = "2024-11-28-factory.md"  # a body with <!--more--> and no summary in front matter


@dataclass
class SiteFiles:
    """Settings, author profiles, stories, site templates and static files of one site."""

    settings: dict[str, Any]
    profiles: dict[str, dict[str, Any]]
    stories: dict[str, tuple[dict[str, Any], str]]  # file under content/ -> (front matter, body)
    templates: dict[str, str] = field(default_factory=dict)
    static: dict[str, bytes] = field(default_factory=dict)

    def meta(self, story: str) -> dict[str, Any]:
        return self.stories[story][0]

    def replace_body(self, story: str, old: str, new: str) -> None:
        meta, body = self.stories[story]
        assert old in body, (story, old)
        self.stories[story] = (meta, body.replace(old, new))

    def respell(self, story: str, key: str) -> None:
        """Change only the case of the last name in a list (or of a single name): the same term, spelt otherwise."""
        value = self.meta(story)[key]
        names = value if isinstance(value, list) else [value]
        last = names[-1]
        names = [*names[:-1], last.capitalize() if last != last.capitalize() else last.lower()]
        self.meta(story)[key] = names if isinstance(value, list) else names[0]

    def override(self, template: str, old: str, new: str) -> None:
        """Override a theme template in the site's templates, with one change."""
        text = self.templates.get(template) or (THEME_DIR / template).read_text(encoding="utf-8")
        assert old in text, (template, old)
        self.templates[template] = text.replace(old, new)

    def write(self, root: Path) -> None:
        """Make the folder ``root`` (nothing but the site's sources) hold exactly this site."""
        files = {"site.toml": _toml(self.settings)}
        files[f"content/{self.settings.get('authors_file', 'authors.yml')}"] = json.dumps(self.profiles, indent=1)
        for name, (meta, body) in self.stories.items():
            lines = "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in meta.items())
            files[f"content/{name}"] = f"---\n{lines}---\n\n{body}"
        files.update({f"templates/{name}": text for name, text in self.templates.items()})
        wanted = {rel: text.encode("utf-8") for rel, text in files.items()}
        static_dir = self.settings.get("static_dir", "static")
        wanted.update({f"{static_dir}/{name}": data for name, data in self.static.items()})
        for path in root.rglob("*") if root.is_dir() else ():
            if path.is_file() and path.relative_to(root).as_posix() not in wanted:
                path.unlink()
        (root / "templates").mkdir(parents=True, exist_ok=True)
        for rel, data in wanted.items():
            path = root / rel
            if not path.is_file() or path.read_bytes() != data:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)


def _toml(settings: dict[str, Any]) -> str:
    """Text and whole numbers written as JSON (valid TOML); a mapping as a table, last."""
    plain = [f"{key} = {json.dumps(value)}" for key, value in settings.items() if not isinstance(value, dict)]
    tables = [
        f"[{key}]\n" + "".join(f"{json.dumps(k)} = {_inline(v)}\n" for k, v in value.items())
        for key, value in settings.items()
        if isinstance(value, dict)
    ]
    return "\n".join(plain) + "\n" + "".join(tables)


def _inline(value: Any) -> str:
    """A value as TOML: an inline table for a mapping (``[editions]`` holds one per language), else JSON."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {_inline(v)}" for k, v in value.items()) + "}"
    return json.dumps(value)


def story(title: str, date: str, authors: list[str], section: str, tags: list[str], **more: Any) -> dict[str, Any]:
    """Front matter of one story."""
    return {"title": title, "date": date, "authors": authors, "section": section, "tags": tags, **more}


def sample_site() -> SiteFiles:
    """Twelve stories over three months, two sections, three reporters, tags spelt more than one way.

    Three stories a page and four in a feed, so that lists paginate and the
    oldest stories are in no feed. "widgets" is spelt so in three stories and
    "Widgets" in two, and "Cy Dee" as often as "cy dee", so that one story can
    change the name every other page shows.
    """
    more = "The opening paragraph.\n\n<!--more-->\n\nThe rest of the story, after the break.\n"
    stories = {
        NEW: (story(
            "Harbour tolls rise", "2025-01-20T09:00:00+01:00", ["Ann Lee", "Bo Chen"], "Business",
            ["Economy", "widgets"],
            summary="Tolls go up in March.", updated="2025-01-21T10:00:00+01:00", image="img/harbour.png",
            image_caption="The harbour at dawn.", image_alt="Ships in a harbour", dateline="PORTSEA",
            kicker_note="Exclusive", aliases=["/old/tolls.html"],
        ), "Harbour tolls will rise by a tenth, the port said.\n\n## Why\n\nCosts have gone up.\n"),
        "2025-01-20-ferry.md": (story(
            "Ferry timetable changes", "2025-01-20T07:00:00+01:00", ["Cy Dee"], "City", ["transport"],
        ), more),
        "2025-01-18-market.md": (story(
            "Covered market reopens", "2025-01-18T08:00:00+01:00", ["ann-lee"], "City", ["Widgets", "transport"],
            translation_key="tram-line",
        ), "Traders are back.\n"),
        "2025-01-12-budget.md": (story(
            "Budget talks stall", "2025-01-12T18:00:00+01:00", ["Bo Chen"], "Business", ["Economy"],
            summary="No deal yet.",
        ), "The talks go on.\n"),
        "2025-01-05-tram.md": (story(
            "Le tramway prolongé", "2025-01-05T10:00:00+01:00", ["cy dee"], "City", ["transport", "Night Life"],
            lang="fr", translation_key="tram-line",
        ), "Le tramway ira jusqu'au port.\n"),
        "2024-12-30-review.md": (story(
            "The year in business", "2024-12-30T12:00:00+01:00", ["Ann Lee"], "Business", ["Economy", "Widgets"],
            summary="A look back.",
        ), "It was a long year.\n"),
        "2024-12-24-lights.md": (story(
            "Winter lights switched on", "2024-12-24T17:00:00+01:00", ["Bo Chen"], "City", ["night  life"],
        ), "The lights are on.\n"),
        "2024-12-15-bank.md": (story(
            "Bank opens a branch", "2024-12-15T09:30:00+01:00", ["Ann Lee", "Cy Dee"], "Business", ["Economy"],
        ), "A new branch.\n"),
        "2024-12-02-bridge.md": (story(
            "Bridge repairs finish early", "2024-12-02T11:00:00+01:00", ["Bo Chen"], "City", ["transport"],
        ), "The bridge is open, ~~late~~ early.\n"),
        MORE: (story(
            "Widget factory expands", "2024-11-28T09:00:00+01:00", ["Ann Lee"], "Business", ["widgets", "Economy"],
        ), more),
        "2024-11-15-school.md": (story(
            "School roof fixed", "2024-11-15T15:00:00+01:00", ["cy dee"], "City", [],
        ), "Pupils are back.\n"),
        OLD: (story(
            "Port traffic record", "2024-11-02T08:00:00+01:00", ["Ann Lee"], "Business", ["widgets"],
            summary="Busiest October yet.", updated="2024-11-03T09:00:00+01:00", image="img/harbour.png",
            image_caption="Cranes at work.",
        ), "More ships than ever.\n"),
    }
    profiles = {
        "ann-lee": {
            "name": "Ann Lee", "role": "Economics editor", "bio": "Ann Lee covers the economy.", "photo": "img/ann.png",
            "email": "ann@example.org", "links": [{"label": "Mastodon", "url": "https://social.example/@ann"}],
        },
        "Bo Chen": {"role": "City reporter", "bio": "Writes about the city."},
    }
    settings = {
        "title": "The Test Times", "description": "News for the contract.", "base_url": "https://example.org/news/",
        "language": "en", "timezone": "Europe/Paris", "per_page": 3, "feed_limit": 4, "related_count": 2,
        "publisher": "Test Times Ltd", "logo": "img/logo.png", "date_format": "%B %-d, %Y",
        "extra": {"motto": "All the news"},
        # A French edition under fr/, with the French story and the translation of an English one.
        "languages": ["fr"],
    }
    static = {"img/harbour.png": PNG + b"harbour", "img/ann.png": PNG + b"ann", "img/logo.png": PNG + b"logo",
              "img/other.png": PNG + b"other", "files/notes.txt": b"notes\n"}
    return SiteFiles(settings, profiles, stories, {}, static)
