"""Navigation scales linearly: planned pages, index sizes and related-story work grow with the story count.

Synthetic stories are built in memory (no Markdown, no rendering) with a few
very popular tags, as on a real news site, so that a tag holds many more
stories than ``RELATED_WINDOW``. Work is counted, never timed.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

import pytest

from broadsheet.model import site as site_module
from broadsheet.model.config import Settings
from broadsheet.model.content import Article
from broadsheet.model.pagination import NEAR
from broadsheet.model.rendered import Rendered
from broadsheet.model.site import RELATED_WINDOW, Site, Story, build_site
from broadsheet.pages.articles import article_url
from broadsheet.pages.plan import plan

SETTINGS = Settings(per_page=10)
SIZES = (500, 2000)
TAGS = [f"Tag {i}" for i in range(300)]
# Zipf-like popularity: the k-th tag is picked with weight 1/k.
WEIGHTS = [1 / (k + 1) for k in range(len(TAGS))]
SECTIONS = ["World", "Business", "City", "Sport", "Culture", "Opinion"]
START = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


def synthetic_stories(count: int) -> list[Story]:
    rng = random.Random(count)
    rendered = Rendered("<p>Body.</p>", "<p>Body.</p>", "Body.", 1, 1)
    stories = []
    for i in range(count):
        tags = tuple(dict.fromkeys(rng.choices(TAGS, WEIGHTS, k=3)))
        article = Article(
            source=f"content/s{i}.md", title=f"Story {i}", date=START + dt.timedelta(hours=7 * i),
            slug=f"s{i}", body="", digest=str(i), authors=(f"Reporter {rng.randrange(40)}",),
            tags=tags, section=rng.choice(SECTIONS),
        )
        stories.append(Story(article, rendered, article_url(article, SETTINGS)))
    return stories


def index_size(site: Site) -> int:
    """Entries held by every index of the site model."""
    terms = (t for kind in (site.authors, site.tags, site.sections) for t in kind.values())
    return (
        sum(len(t.stories) for t in terms)
        + sum(len(v) for v in site.archive.values())
        + sum(len(v) for v in site.term_position.values())
        + sum(len(v) for v in site.archive_children.values())
        + len(site.archive_around)
    )


@pytest.fixture(scope="module")
def sites() -> dict[int, Site]:
    return {n: build_site(SETTINGS, synthetic_stories(n)) for n in SIZES}


def test_the_popular_tag_outgrows_the_related_window(sites: dict[int, Site]) -> None:
    # Otherwise the bound below would hold trivially.
    assert max(len(t.stories) for t in sites[2000].tags.values()) > 2 * RELATED_WINDOW


def test_planned_pages_grow_linearly(sites: dict[int, Site]) -> None:
    small, large = (len(plan(sites[n])) for n in SIZES)
    assert small > 500 and large <= 4.5 * small


def test_indexes_grow_linearly(sites: dict[int, Site]) -> None:
    small, large = (index_size(sites[n]) for n in SIZES)
    assert large <= 4.5 * small


def test_page_number_lists_are_bounded(sites: dict[int, Site]) -> None:
    pagers = [page.data["pager"] for page in plan(sites[2000]) if "pager" in page.data]
    assert max(p.total for p in pagers) > 100
    assert max(len(p.numbers) for p in pagers) <= 2 * NEAR + 5


@pytest.fixture
def examined(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Candidate stories looked at by ``Site.related``, one count per window it takes."""
    counts: list[int] = []
    window = site_module._window

    def counting(stories: tuple[Story, ...], index: int) -> tuple[Story, ...]:
        found = window(stories, index)
        counts.append(len(found))
        return found

    monkeypatch.setattr(site_module, "_window", counting)
    yield counts


def test_related_examines_a_bounded_window_per_tag(sites: dict[int, Site], examined: list[int]) -> None:
    for n in SIZES:
        site = sites[n]
        start = len(examined)
        unbounded = 0  # what ranking every story of every shared tag would look at
        for story in site.stories:
            before = len(examined)
            related = site.related(story)
            assert 1 <= len(related) <= SETTINGS.related_count
            # One window per tag, plus one from the section when tags give too few.
            assert sum(examined[before:]) <= RELATED_WINDOW * (len(story.article.tags) + 1)
            unbounded += sum(len(t.stories) for t in site.tags_of(story))
        total = sum(examined[start:])
        assert total <= RELATED_WINDOW * 4 * n  # linear in the number of stories
    # On the larger site the window is what keeps it linear: all tag members would be far more.
    assert unbounded > 2 * total
