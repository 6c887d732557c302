"""What a file watcher's report leaves of the last build's listing of the content folder (``ContentListing.after``).

A resident builder trusts the last listing only when every changed path is a source it lists, changed
in place, or lies outside the content folder, or is a name no build reads (``.`` or ``_`` first). Anything
else (a source added, removed or renamed, a page bundle's image, a folder) means listing again.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from broadsheet.pipeline.listing import ContentListing


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("content/a.md", "content/city/b.md", "content/photo-story/index.md", "content/photo-story/quay.jpg",
                 "templates/article.html", "content/_drafts/c.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_listing_holds_the_sources_and_the_bundle_files(site: Path) -> None:
    listing = ContentListing.of(Path("content"))
    assert listing.sources == ["content/a.md", "content/city/b.md", "content/photo-story/index.md"]
    assert [name for name, _size, _mtime in listing.bundles] == ["content/photo-story/quay.jpg"]


def test_sources_changed_in_place_leave_the_listing_standing(site: Path) -> None:
    listing = ContentListing.of(Path("content"))
    changed = [str(site / "content/city/b.md"), str(site / "content/a.md"), str(site / "templates/article.html"),
               str(site / "content/.a.md.swp"), str(site / "content/_drafts/c.md")]
    vouched = listing.after(Path("content"), changed)
    assert vouched is not None and vouched.listing is listing
    assert vouched.changed == {"content/a.md", os.path.join("content", "city", "b.md")}
    assert listing.after(Path("content"), [str(site / "templates/article.html")]).changed == frozenset()  # type: ignore[union-attr]


@pytest.mark.parametrize("change", [
    "content/new.md",  # added
    "content/a.md",  # removed
    "content/photo-story/quay.jpg",  # a page bundle's photo
    "content/city",  # a folder
    "content",  # the content folder itself
])
def test_anything_else_under_content_means_listing_again(site: Path, change: str) -> None:
    listing = ContentListing.of(Path("content"))
    if change == "content/new.md":
        (site / change).write_text("x", encoding="utf-8")
    if change == "content/a.md":
        (site / change).unlink()
    assert listing.after(Path("content"), [str(site / change)]) is None


def test_a_listing_with_a_source_reached_through_a_link_is_never_vouched_for(site: Path) -> None:
    (site / "content" / "also-city").symlink_to(site / "content" / "city")
    listing = ContentListing.of(Path("content"))
    assert {"content/also-city/b.md", "content/city/b.md"} <= set(listing.sources)  # one file, two sources
    # A watcher names the file once, by its real path: the other name's source would be missed.
    assert listing.after(Path("content"), [str(site / "content/city/b.md")]) is None
