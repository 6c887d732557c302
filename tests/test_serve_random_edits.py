"""Random edit sequences applied while ``serve`` runs: after each rebuild, the preview folder is byte for byte
a clean build of the same site with the same preview options.

Each seed in ``SEEDS`` is one sequence over every kind of input: story text, front matter (headline, tags,
section, date, draft), a new story, a deleted story, ``authors.yml``, a template, a static file, and a broken
file fixed again. A failing seed names the step; run more with ``BROADSHEET_EDIT_SEEDS=1-50``.
"""

from __future__ import annotations

import os
import random
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from serve_support import PREVIEW, article_text, make_site, running_server, wait_until
from sitekit import tree

from broadsheet.build import Builder, BuildOptions

STEPS = 8


def _seeds() -> list[int]:
    spec = os.environ.get("BROADSHEET_EDIT_SEEDS", "")
    if "-" in spec:
        first, last = spec.split("-")
        return list(range(int(first), int(last) + 1))
    return [int(s) for s in spec.split(",") if s] or [11, 23, 42]


SEEDS = _seeds()


class Site:
    """The site under edit, and the edits a sequence draws from."""

    def __init__(self, root: Path, rng: random.Random) -> None:
        self.root, self.rng, self.count = root, rng, 0

    def stories(self) -> list[Path]:
        return sorted(p for p in (self.root / "content").rglob("*.md"))

    def story_text(self) -> str:
        path = self.rng.choice(self.stories())
        head, _, body = path.read_text(encoding="utf-8").partition("\n---\n")
        if self.rng.random() < 0.5:  # the lede: the summary that lists and cards show
            body = f"\nA new lede, number {self.count}.\n\n" + body.lstrip("\n")
            what = "lede"
        else:
            body = body.rstrip("\n") + f"\n\nA new last paragraph, number {self.count}.\n"
            what = "last paragraph"
        path.write_text(head + "\n---\n" + body, encoding="utf-8")
        return f"{what} of {path.name}"

    def front_matter(self) -> str:
        path = self.rng.choice(self.stories())
        text = path.read_text(encoding="utf-8")
        field = self.rng.choice(["title", "tags", "section", "date", "draft", "summary"])
        head, _, body = text.partition("\n---\n")
        lines = [line for line in head.splitlines() if not line.startswith(f"{field}:")]
        value = {
            "title": f'"Rewritten headline {self.count}"',
            "tags": f'["{self.rng.choice(["markets", "weather", "ferries", "Schools"])}", "extra-{self.count % 3}"]',
            "section": self.rng.choice(["City", "Business", "Sport"]),
            "date": f"2025-0{self.rng.randint(1, 4)}-{self.rng.randint(1, 28):02d}T0{self.rng.randint(0, 9)}:00:00+00:00",
            "draft": self.rng.choice(["true", "false"]),
            "summary": f'"A dek written by hand, {self.count}."',
        }[field]
        lines.append(f"{field}: {value}")
        path.write_text("\n".join(lines) + "\n---\n" + body, encoding="utf-8")
        return f"{field} of {path.name}"

    def new_story(self) -> str:
        path = self.root / "content" / "city" / f"added-{self.count}.md"
        day = self.rng.randint(1, 28)
        text = article_text(f"Added story {self.count}", day, f"Body of added story {self.count}.", "City", ("markets",))
        if self.rng.random() < 0.3:
            text = text.replace("2025-03-", "2999-03-")  # scheduled
        path.write_text(text, encoding="utf-8")
        return f"new {path.name}"

    def delete_story(self) -> str:
        stories = self.stories()
        if len(stories) <= 4:
            return self.new_story()
        path = self.rng.choice(stories)
        path.unlink()
        return f"deleted {path.name}"

    def authors(self) -> str:
        role = self.rng.choice(["Night editor", "City reporter", "Correspondent"])
        (self.root / "content" / "authors.yml").write_text(
            f"Ada Reporter:\n  role: {role}\n  bio: Writes about the city, edit {self.count}.\n", encoding="utf-8"
        )
        return f"authors.yml ({role})"

    def template(self) -> str:
        byline = self.root / "templates" / "partials" / "byline.html"
        if byline.exists() and self.rng.random() < 0.4:
            byline.unlink()
            return "template removed"
        byline.parent.mkdir(parents=True, exist_ok=True)
        byline.write_text(f'<span class="byline">Desk {self.count}</span>\n', encoding="utf-8")
        return "template written"

    def static_file(self) -> str:
        path = self.root / "static" / "notes" / f"note-{self.rng.randint(0, 2)}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"note {self.count}\n", encoding="utf-8")
        return f"static {path.name}"

    def broken_then_fixed(self, server_wait: Callable[[], None]) -> str:
        path = self.rng.choice(self.stories())
        good = path.read_bytes()
        path.write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
        server_wait()
        path.write_bytes(good)
        return f"{path.name} broken, then fixed"


def clean_build(site: Path, out: Path, port: int) -> dict[str, bytes]:
    """A from-scratch build of ``site`` with the preview's options, into ``out``."""
    shutil.rmtree(out, ignore_errors=True)
    cwd = Path.cwd()
    os.chdir(site)
    try:
        Builder(BuildOptions(
            output=out, cache_dir=None, drafts=True, future=True, fingerprint=False, search=False,
            base_url=f"http://127.0.0.1:{port}/", jobs=1,
        )).build()
    finally:
        os.chdir(cwd)
    return tree(out)


@pytest.mark.parametrize("seed", SEEDS)
def test_random_edits_in_serve_equal_clean_builds(tmp_path: Path, seed: int) -> None:
    root = tmp_path / "site"
    make_site(root, articles=8)
    (root / "static").mkdir()
    (root / "static" / "about.txt").write_text("about\n", encoding="utf-8")
    rng = random.Random(seed)
    site = Site(root, rng)
    with running_server(root) as server:
        preview = root / PREVIEW
        assert tree(preview) == clean_build(root, tmp_path / "clean", server.port)

        def failed() -> None:
            server.wait_for_line(r"^build failed", after=mark)

        kinds = [site.story_text, site.front_matter, site.new_story, site.delete_story, site.authors, site.template, site.static_file]
        deck: list[Callable[[], str]] = []
        for step in range(STEPS):
            site.count = step
            mark = len(server.seen)
            if not deck:  # every kind of edit once, in a random order, then again
                deck = rng.sample(kinds, len(kinds))
            what = site.broken_then_fixed(failed) if rng.random() < 0.1 else deck.pop()()
            print(f"seed {seed}, step {step}: {what}")  # shown when the test fails
            want = clean_build(root, tmp_path / "clean", server.port)
            try:
                wait_until(lambda want=want: tree(preview) == want, timeout=20, interval=0.1)
            except AssertionError:
                got = tree(preview)
                differ = sorted(k for k in set(got) | set(want) if got.get(k) != want.get(k))
                raise AssertionError(f"seed {seed}, step {step} ({what}): preview differs from a clean build in {differ[:10]}") from None
        assert not any("Traceback" in line for line in server.seen)
