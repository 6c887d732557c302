"""site.py: stories indexed by author, tag, section and date."""

from __future__ import annotations

from sitekit import article, make_stories

from broadsheet.model.config import Settings
from broadsheet.model.site import Site, Story, build_site, term_key

SETTINGS = Settings()


def site_of(*texts: tuple[str, str], profiles: dict | None = None) -> Site:
    return build_site(SETTINGS, make_stories(SETTINGS, *texts), profiles)


def test_stories_are_newest_first_ties_by_source() -> None:
    site = site_of(
        ("b.md", article(title="B", date="2024-05-01")),
        ("a.md", article(title="A", date="2024-05-01")),
        ("c.md", article(title="C", date="2024-06-01")),
    )
    assert [s.title for s in site.stories] == ["C", "B", "A"]


def test_terms_merge_by_case_and_spacing_with_the_most_common_spelling() -> None:
    site = site_of(
        ("a.md", article(title="A", tags=["Climate Change"], authors=["ann lee"])),
        ("b.md", article(title="B", tags=["climate  change"], authors=["Ann Lee"])),
        ("c.md", article(title="C", tags=["Climate Change"], authors=["Ann Lee"])),
    )
    (tag,) = site.tags.values()
    assert (tag.key, tag.name, len(tag.stories)) == ("climate-change", "Climate Change", 3)
    (author,) = site.authors.values()
    assert (author.key, author.name) == ("ann-lee", "Ann Lee")
    assert term_key("  Climate\tCHANGE ") == "climate change"


def test_colliding_slugs_get_distinct_keys() -> None:
    site = site_of(
        ("a.md", article(title="A", tags=["Ä", "A", "C++", "C#", "c plus plus"])),
    )
    keys = list(site.tags)
    assert len(keys) == len(set(keys)) == 5
    by_name = {t.name: t.key for t in site.tags.values()}
    assert by_name["C++"] != by_name["c plus plus"]
    assert by_name["C#"] == "c-sharp"
    assert by_name["Ä"].startswith("a-") and by_name["A"].startswith("a-") and by_name["Ä"] != by_name["A"]
    # The same set of names always gives the same keys.
    again = site_of(("a.md", article(title="A", tags=["c plus plus", "C#", "C++", "A", "Ä"])))
    assert {t.name: t.key for t in again.tags.values()} == by_name


def test_lookups_for_a_story() -> None:
    site = site_of(("a.md", article(title="A", tags=["X", "y"], authors=["Ann"], section="World")))
    story = site.stories[0]
    assert [t.name for t in site.tags_of(story)] == ["X", "y"]
    assert [t.name for t in site.authors_of(story)] == ["Ann"]
    assert site.section_of(story).name == "World"
    assert site.term("tag", " x ").name == "X"
    assert site.term("tag", "missing") is None


def test_author_profiles_are_matched_by_name() -> None:
    site = site_of(("a.md", article(title="A", authors=["Ann Lee"])), profiles={"ANN LEE": {"bio": "Reporter"}})
    assert site.authors["ann-lee"].profile == {"bio": "Reporter"}


def test_archive_keys() -> None:
    site = site_of(
        ("a.md", article(title="A", date="2024-05-01")),
        ("b.md", article(title="B", date="2024-05-20")),
        ("c.md", article(title="C", date="2023-12-31")),
    )
    assert list(site.archive) == [(2023,), (2023, 12), (2023, 12, 31), (2024,), (2024, 5), (2024, 5, 1), (2024, 5, 20)]
    assert [s.title for s in site.archive[(2024, 5)]] == ["B", "A"]
    assert [s.title for s in site.archive[(2023,)]] == ["C"]


def test_newer_and_older() -> None:
    site = site_of(
        ("a.md", article(title="A", date="2024-05-01")),
        ("b.md", article(title="B", date="2024-05-02")),
        ("c.md", article(title="C", date="2024-05-03")),
    )
    c, b, a = site.stories
    assert (site.newer(c), site.older(c)) == (None, b)
    assert (site.newer(b), site.older(b)) == (c, a)
    assert (site.newer(a), site.older(a)) == (b, None)


def test_story_reads_through_to_article_and_rendered() -> None:
    (story,) = make_stories(SETTINGS, ("a.md", article(title="A", body="Hello *there*.\n")))
    assert story.title == "A"
    assert story.html == "<p>Hello <em>there</em>.</p>"
    assert story.url == "2024/05/01/a/"


def test_an_author_profile_keyed_by_id_is_also_found_by_its_display_name() -> None:
    site = site_of(
        ("a.md", article(title="A", date="2024-05-01", authors=["lxiao"])),
        ("b.md", article(title="B", date="2024-05-02", authors=["Lin Xiao", "lxiao"])),
        profiles={"lxiao": {"name": "Lin Xiao"}, "Bo": {"name": "Lin Xiao"}},
    )
    (author,) = site.authors.values()
    assert (author.key, author.name, [s.title for s in author.stories]) == ("lxiao", "Lin Xiao", ["B", "A"])
    assert [t.key for t in site.authors_of(site.stories[0])] == ["lxiao"]
    assert site.term("author", "LIN XIAO") is author


def test_archive_periods_know_their_children_and_neighbours() -> None:
    site = site_of(
        ("a.md", article(title="A", date="2023-12-31")),
        ("b.md", article(title="B", date="2024-05-01")),
        ("c.md", article(title="C", date="2024-05-20")),
        ("d.md", article(title="D", date="2024-06-02")),
    )
    assert site.archive_children[()] == ((2024,), (2023,))
    assert site.archive_children[(2024,)] == ((2024, 6), (2024, 5))
    assert site.archive_children[(2024, 5)] == ((2024, 5, 20), (2024, 5, 1))
    assert (site.archive_older((2024, 5)), site.archive_newer((2024, 5))) == ((2023, 12), (2024, 6))
    assert (site.archive_older((2023,)), site.archive_newer((2023,))) == (None, (2024,))
    assert (site.archive_older((2024, 6, 2)), site.archive_newer((2024, 6, 2))) == ((2024, 5, 20), None)


def test_section_top_up_never_exceeds_the_related_count() -> None:
    texts = [(f"s{i}.md", article(title=f"S{i}", date=f"2024-05-0{i + 1}", section="City")) for i in range(6)]
    site = site_of(*texts)
    assert len(site.related(site.stories[0])) == 3
    assert len(site.related(site.stories[0], count=2)) == 2


def test_related_never_lists_the_story_itself_even_asked_with_a_copy() -> None:
    texts = [(f"t{i}.md", article(title=f"T{i}", date=f"2024-05-0{i + 1}", tags=["Rates", "Banks"])) for i in range(5)]
    site = site_of(*texts)
    story = site.stories[2]
    copy = Story(story.article, story.rendered, story.url, story.key)
    assert copy is not story
    for asked in (story, copy):
        related = site.related(asked)
        assert [s.url for s in related] == [s.url for s in site.stories if s is not story][:4]
