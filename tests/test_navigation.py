"""Navigation: author, tag, section and date-archive pages, article pages, related stories, scheduling."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html
from sitekit import NOW, article, build, run_cli, write_files

PNG = b"\x89PNG\r\n\x1a\n"
DC = "{http://purl.org/dc/elements/1.1/}creator"


def make_site(root: Path, articles: dict[str, str], toml: str = "", files: dict[str, str | bytes] | None = None) -> Path:
    """Articles under ``content/``, a ``site.toml`` and any other ``files`` (paths relative to ``root``)."""
    write_files(root, {f"content/{name}": text for name, text in articles.items()})
    write_files(root, {"site.toml": toml, **(files or {})})
    return root


def page(root: Path, url: str) -> lxml_html.HtmlElement:
    path = root / "output" / url / "index.html" if not url.endswith(".html") else root / "output" / url
    return lxml_html.fromstring(path.read_bytes())


def links(tree: lxml_html.HtmlElement, xpath: str) -> list[tuple[str, str]]:
    """(href, link text) of every link matched by ``xpath``."""
    return [(a.get("href"), a.text_content().strip()) for a in tree.xpath(xpath)]


def cls(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def listed(tree: lxml_html.HtmlElement) -> list[str]:
    """Headlines of a list page's stories, in order."""
    return [t.text_content().strip() for t in tree.xpath(f"//div[{cls('story-list')}]//*[{cls('card-title')}]")]


def count_text(tree: lxml_html.HtmlElement) -> str:
    return tree.xpath(f"//header[{cls('list-header')}]//p[{cls('count')}]")[0].text_content().strip()


# -- authors ----------------------------------------------------------------------


AUTHORS_YML = """
lxiao:
  name: Lin Xiao
  role: Technology correspondent
  bio: Lin Xiao covers payment apps.
  photo: img/lin.png
Marcus Webb:
  role: Business editor
"""


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_site(
        tmp_path_factory.mktemp("newsroom"),
        {
            "one.md": article(title="One", date="2024-05-01T08:00:00Z", authors=["lxiao"], tags=["Payments"], section="Business"),
            "two.md": article(title="Two", date="2024-05-02T08:00:00Z", authors=["Lin Xiao", "Marcus Webb"], section="Business"),
            "three.md": article(title="Three", date="2024-05-03T08:00:00Z", authors=["Dana Oak"], category="City"),
        },
        'base_url = "https://example.org/"\n',
        {"content/authors.yml": AUTHORS_YML, "static/img/lin.png": PNG},
    )
    with contextlib.chdir(root):  # the static folder is found from the working directory
        build(root)
    return root


def test_author_keyed_by_id_shows_the_profile_name_everywhere(newsroom: Path) -> None:
    one = page(newsroom, "2024/05/01/one")
    assert links(one, f"//p[{cls('byline')}]/a") == [("/authors/lxiao/", "Lin Xiao")]
    author = page(newsroom, "authors/lxiao")
    assert author.xpath("//h1")[0].text_content() == "Lin Xiao"
    assert listed(author) == ["Two", "One"]  # by id and by display name: one reporter, newest first
    assert ("/authors/lxiao/", "Lin Xiao") in links(page(newsroom, "authors"), f"//ul[{cls('term-index')}]//a")
    creators = {item.findtext("title"): [c.text for c in item.iter(DC)] for item in etree.parse(str(newsroom / "output/feed.xml")).iter("item")}
    assert creators["One"] == ["Lin Xiao"] and creators["Two"] == ["Lin Xiao", "Marcus Webb"]
    (ld,) = one.xpath("//script[@type='application/ld+json']/text()")
    assert [a["name"] for a in json.loads(ld)["author"]] == ["Lin Xiao"]
    feed = json.loads((newsroom / "output/feed.json").read_text())
    assert {i["title"]: [a["name"] for a in i["authors"]] for i in feed["items"]}["One"] == ["Lin Xiao"]


def test_profile_photo_shows_on_the_author_page_and_byline(newsroom: Path) -> None:
    photo = newsroom / "output" / "static" / "img"
    author = page(newsroom, "authors/lxiao")
    (img,) = author.xpath(f"//img[{cls('profile-photo')}]")
    assert img.get("src").startswith("/static/img/lin.") and (photo / Path(img.get("src")).name).is_file()
    (byline_img,) = page(newsroom, "2024/05/01/one").xpath(f"//div[{cls('byline-photos')}]/img")
    assert byline_img.get("src") == img.get("src")


def test_co_authored_story_is_on_each_authors_page_and_profiles_by_display_name_work(newsroom: Path) -> None:
    two = page(newsroom, "2024/05/02/two")
    assert links(two, f"//p[{cls('byline')}]/a") == [("/authors/lxiao/", "Lin Xiao"), ("/authors/marcus-webb/", "Marcus Webb")]
    assert "Business editor" in two.xpath(f"//p[{cls('byline')}]")[0].text_content()
    assert listed(page(newsroom, "authors/marcus-webb")) == ["Two"]
    assert page(newsroom, "authors/marcus-webb").xpath(f"//p[{cls('role')}]")[0].text == "Business editor"


def test_author_without_a_profile_is_shown_by_name(newsroom: Path) -> None:
    dana = page(newsroom, "authors/dana-oak")
    assert dana.xpath("//h1")[0].text_content() == "Dana Oak"
    assert not dana.xpath(f"//img[{cls('profile-photo')}]")
    index = page(newsroom, "authors")
    items = {li.xpath(".//a")[0].text_content(): li.xpath(f".//span[{cls('count')}]")[0].text for li in index.xpath(f"//ul[{cls('term-index')}]/li")}
    assert items == {"Dana Oak": "1 story", "Lin Xiao": "2 stories", "Marcus Webb": "1 story"}


def test_sections_from_section_or_category(newsroom: Path) -> None:
    assert listed(page(newsroom, "sections/business")) == ["Two", "One"]
    assert listed(page(newsroom, "sections/city")) == ["Three"]
    assert links(page(newsroom, "2024/05/03/three"), f"//header[{cls('story-header')}]/p[{cls('kicker')}]/a") == [("/sections/city/", "City")]


# -- tags -------------------------------------------------------------------------


def test_tags_differing_in_case_or_spacing_are_one_tag_with_the_common_spelling(tmp_path: Path) -> None:
    spellings = ["Digital Payments", "digital payments", "digital  payments", " digital payments"]
    make_site(tmp_path, {f"a{i}.md": article(title=f"A{i}", date=f"2024-05-0{i + 1}", tags=[t]) for i, t in enumerate(spellings)})
    build(tmp_path)
    assert sorted(p.name for p in (tmp_path / "output/tags").iterdir() if p.is_dir()) == ["digital-payments"]
    tag = page(tmp_path, "tags/digital-payments")
    assert tag.xpath("//h1")[0].text_content() == "digital payments"
    assert listed(tag) == ["A3", "A2", "A1", "A0"]
    (item,) = page(tmp_path, "tags").xpath(f"//ul[{cls('term-index')}]/li")
    assert links(item, ".//a") == [("/tags/digital-payments/", "digital payments")]
    assert item.xpath(f".//span[{cls('count')}]")[0].text == "4 stories"
    # The article that spelt it differently still links to the one tag, named the common way.
    assert links(page(tmp_path, "2024/05/01/a0"), f"//ul[{cls('tags')}]//a") == [("/tags/digital-payments/", "digital payments")]


# -- article pages ----------------------------------------------------------------


def test_article_page_shows_everything_a_reader_navigates_by(tmp_path: Path) -> None:
    make_site(tmp_path, {
        "old.md": article(title="Old", date="2024-04-30T10:00:00Z", tags=["Metro"]),
        "metro-line-opens.md": article(
            "地铁" * 600 + "\n",
            title="Metro line opens", date="2024-05-01T09:30:00+08:00", updated="2024-05-02T10:00:00Z",
            summary="A new line crosses the river.", authors=["Ann Lee", "Bo Chen"], tags=["Metro", "Transport"],
            section="City", dateline="HANGZHOU",
        ),
        "new.md": article(title="New", date="2024-05-03T10:00:00Z"),
    })
    build(tmp_path)
    tree = page(tmp_path, "2024/05/01/metro-line-opens")
    assert tree.xpath("//h1[@class='headline']")[0].text == "Metro line opens"
    assert tree.xpath(f"//p[{cls('dek')}]")[0].text == "A new line crosses the river."
    assert links(tree, f"//p[{cls('byline')}]/a") == [("/authors/ann-lee/", "Ann Lee"), ("/authors/bo-chen/", "Bo Chen")]
    (dateline,) = tree.xpath(f"//span[{cls('dateline')}]")
    assert dateline.text.startswith("HANGZHOU")
    assert links(dateline, "./a") == [("/2024/05/01/", "May 1, 2024, 9:30\u202fAM")]  # with the time of day
    assert dateline.xpath(".//time/@datetime") == ["2024-05-01T09:30:00+08:00"]
    assert tree.xpath(f"//span[{cls('updated')}]/time/@datetime") == ["2024-05-02T10:00:00+00:00"]
    # 1,200 CJK characters at 500 a minute: about two minutes, not one "word".
    assert tree.xpath(f"//span[{cls('reading-time')}]")[0].text == "2 min read"
    assert links(tree, f"//ul[{cls('tags')}]//a") == [("/tags/metro/", "Metro"), ("/tags/transport/", "Transport")]
    assert links(tree, f"//header[{cls('story-header')}]/p[{cls('kicker')}]/a") == [("/sections/city/", "City")]
    nav = tree.xpath(f"//nav[{cls('story-nav')}]")[0]
    assert [(a.get("rel"), a.get("href")) for a in nav.xpath(".//a")] == [("prev", "/2024/04/30/old/"), ("next", "/2024/05/03/new/")]
    assert [h for h, _ in links(tree, f"//aside[{cls('related')}]//*[{cls('card-title')}]/a")] == ["/2024/04/30/old/"]


def test_no_updated_time_without_an_update(tmp_path: Path) -> None:
    make_site(tmp_path, {"a.md": article(title="A")})
    build(tmp_path)
    tree = page(tmp_path, "2024/05/01/a")
    assert not tree.xpath(f"//span[{cls('updated')}]")
    assert tree.xpath(f"//span[{cls('dateline')}]//time/@datetime") == ["2024-05-01T00:00:00+00:00"]


# -- related stories ----------------------------------------------------------------


def related_of(root: Path, url: str) -> list[str]:
    return [t for _, t in links(page(root, url), f"//aside[{cls('related')}]//*[{cls('card-title')}]/a")]


def ranking_site(root: Path, toml: str = "") -> Path:
    """``Subject`` has tags a, b, c; the others share 3, 2, 2, 1, 1 and 0 of them."""
    make_site(root, {
        "subject.md": article(title="Subject", date="2024-05-10", tags=["a", "b", "c"]),
        "x.md": article(title="X shares three", date="2024-05-01", tags=["a", "b", "c"]),
        "y.md": article(title="Y shares two, newer", date="2024-05-20", tags=["a", "b"]),
        "z.md": article(title="Z shares two, older", date="2024-05-02", tags=["b", "c", "other"]),
        "w.md": article(title="W shares one, newest", date="2024-05-30", tags=["c"]),
        "v.md": article(title="V shares one, oldest", date="2024-04-01", tags=["a"]),
        "u.md": article(title="U shares none", date="2024-05-31", tags=["other"]),
    }, toml)
    build(root)
    return root


def test_related_are_ranked_by_shared_tags_then_recency(tmp_path: Path) -> None:
    ranking_site(tmp_path)
    assert related_of(tmp_path, "2024/05/10/subject") == ["X shares three", "Y shares two, newer", "Z shares two, older", "W shares one, newest"]


def test_related_count_comes_from_the_config(tmp_path: Path) -> None:
    ranking_site(tmp_path, "related_count = 5\n")
    assert related_of(tmp_path, "2024/05/10/subject")[-1] == "V shares one, oldest"
    assert len(related_of(tmp_path, "2024/05/10/subject")) == 5


def test_too_few_tag_matches_are_topped_up_from_the_section(tmp_path: Path) -> None:
    make_site(tmp_path, {
        "s.md": article(title="S", date="2024-05-10", section="City", tags=["rare"]),
        "t.md": article(title="Tagged", date="2024-01-01", section="Sport", tags=["rare"]),
        **{f"c{i}.md": article(title=f"City {i}", date=f"2024-05-0{i}", section="City") for i in range(1, 6)},
        "o.md": article(title="Elsewhere", date="2024-05-09", section="Sport"),
    })
    build(tmp_path)
    related = related_of(tmp_path, "2024/05/10/s")
    assert related[0] == "Tagged" and len(related) == 3
    assert set(related[1:]) <= {f"City {i}" for i in range(1, 6)}


# -- date archives ----------------------------------------------------------------


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_site(tmp_path_factory.mktemp("archive"), {
        "a.md": article(title="A", date="2023-12-31T12:00:00Z"),
        "b.md": article(title="B", date="2024-05-01T08:00:00Z"),
        "c.md": article(title="C", date="2024-05-01T09:00:00Z"),
        "d.md": article(title="D", date="2024-05-20T09:00:00Z"),
        "e.md": article(title="E", date="2024-06-02T09:00:00Z"),
    })
    build(root)
    return root


def test_year_page_links_down_to_its_months_and_across_to_other_years(archive: Path) -> None:
    year = page(archive, "2024")
    assert links(year, f"//nav[{cls('archive-children')}]//a") == [("/2024/06/", "June 2024"), ("/2024/05/", "May 2024")]
    assert links(year, f"//nav[{cls('archive-nav')}]/a") == [("/2023/", "Earlier 2023")]
    assert listed(year) == ["E", "D", "C", "B"]
    assert links(page(archive, "2023"), f"//nav[{cls('archive-nav')}]/a") == [("/2024/", "Later 2024")]


def test_month_page_links_up_to_its_year_and_down_to_its_days(archive: Path) -> None:
    month = page(archive, "2024/05")
    assert ("/2024/", "2024") in links(month, f"//nav[{cls('breadcrumbs')}]/a")
    assert links(month, f"//nav[{cls('archive-children')}]//a") == [("/2024/05/20/", "May 20, 2024"), ("/2024/05/01/", "May 1, 2024")]
    counts = [s.text for s in month.xpath(f"//nav[{cls('archive-children')}]//span[{cls('count')}]")]
    assert counts == ["1", "2"]
    # Months are neighbours across a year boundary.
    assert links(page(archive, "2024/05"), f"//nav[{cls('archive-nav')}]/a") == [("/2023/12/", "Earlier December 2023"), ("/2024/06/", "Later June 2024")]


def test_day_page_links_up_to_month_and_year(archive: Path) -> None:
    day = page(archive, "2024/05/01")
    assert links(day, f"//nav[{cls('breadcrumbs')}]/a") == [("/archive/", "Archive"), ("/2024/", "2024"), ("/2024/05/", "May 2024")]
    assert listed(day) == ["C", "B"]
    assert not day.xpath(f"//nav[{cls('archive-children')}]")
    assert links(day, f"//nav[{cls('archive-nav')}]/a") == [("/2023/12/31/", "Earlier December 31, 2023"), ("/2024/05/20/", "Later May 20, 2024")]


def test_archive_index_lists_years_and_months_with_counts(archive: Path) -> None:
    index = page(archive, "archive")
    years = [(h.xpath("./a")[0].text, h.xpath("./span")[0].text) for h in index.xpath("//section/h2")]
    assert years == [("2024", "4"), ("2023", "1")]
    months = [(a.get("href"), a.text, a.getnext().text) for a in index.xpath("//ul[@class='archive-months']/li/a")]
    assert months == [("/2024/06/", "June 2024", "1"), ("/2024/05/", "May 2024", "3"), ("/2023/12/", "December 2023", "1")]


# -- pagination -------------------------------------------------------------------

# Every kind of list: its URL when all stories share one author, tag, section and day.
LISTS = ["", "authors/ann/", "tags/t/", "sections/s/", "2024/", "2024/05/", "2024/05/01/"]


def paged_site(root: Path, count: int) -> Path:
    make_site(root, {
        f"s{i}.md": article(title=f"S{i}", date=f"2024-05-01T0{i}:00:00Z", authors=["Ann"], tags=["T"], section="S")
        for i in range(count)
    }, "per_page = 2\n")
    build(root)
    return root


def head_links(tree: lxml_html.HtmlElement) -> dict[str, str]:
    return {link.get("rel"): link.get("href") for link in tree.xpath("//head/link[@rel='next' or @rel='prev']")}


@pytest.mark.parametrize("url", LISTS)
def test_exactly_per_page_items_is_one_page_without_next(tmp_path: Path, url: str) -> None:
    paged_site(tmp_path, 2)
    tree = page(tmp_path, url)
    assert len(tree.xpath(f"//*[{cls('card-title')}]")) >= 2
    assert head_links(tree) == {} and not tree.xpath("//a[@rel='next' or @rel='prev']")
    assert not (tmp_path / "output" / url / "page").exists()


@pytest.mark.parametrize("url", LISTS)
def test_one_more_item_makes_two_linked_pages(tmp_path: Path, url: str) -> None:
    paged_site(tmp_path, 3)
    first, second = page(tmp_path, url), page(tmp_path, f"{url}page/2")
    assert head_links(first) == {"next": f"/{url}page/2/"}
    assert head_links(second) == {"prev": f"/{url}"}
    pages = f"//nav[{cls('pagination')}]"
    assert links(first, f"{pages}/a[@rel='next']") == [(f"/{url}page/2/", "Older →")]
    assert links(second, f"{pages}/a[@rel='prev']") == [(f"/{url}", "← Newer")]
    assert links(first, f"{pages}//ol//a") == [(f"/{url}page/2/", "2")]
    assert first.xpath(f"{pages}//ol//span[@aria-current='page']/text()") == ["1"]
    assert links(second, f"{pages}//ol//a") == [(f"/{url}", "1")]
    assert second.xpath(f"{pages}//ol//span[@aria-current='page']/text()") == ["2"]
    assert [t.text_content() for t in second.xpath(f"//div[{cls('story-list')}]//*[{cls('card-title')}]")] == ["S0"]
    assert not (tmp_path / "output" / url / "page/3").exists()


def test_no_stories_is_one_empty_front_page_and_no_term_pages(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    build(tmp_path)
    front = page(tmp_path, "")
    assert front.xpath(f"//p[{cls('empty')}]")[0].text == "No stories have been published yet."
    assert head_links(front) == {} and not (tmp_path / "output/page").exists()
    for root in ("authors", "tags", "sections"):
        assert [p.name for p in (tmp_path / "output" / root).iterdir()] == ["index.html"]
        assert not page(tmp_path, root).xpath(f"//ul[{cls('term-index')}]/li")
    assert not (tmp_path / "output/2024").exists()


def test_long_lists_show_a_bounded_run_of_page_numbers(tmp_path: Path) -> None:
    make_site(tmp_path, {f"s{i:02d}.md": article(title=f"S{i}", date=f"2024-05-{i + 1:02d}") for i in range(20)}, "per_page = 1\n")
    build(tmp_path)
    middle = page(tmp_path, "page/10")
    numbers = [li.text_content().strip() for li in middle.xpath(f"//nav[{cls('pagination')}]//ol/li")]
    assert numbers == ["1", "…", "8", "9", "10", "11", "12", "…", "20"]
    assert links(middle, f"//nav[{cls('pagination')}]//ol//a")[-1] == ("/page/20/", "20")


# -- scheduled publishing and drafts ----------------------------------------------

LATER = NOW + dt.timedelta(days=2)


def scheduled_site(root: Path) -> Path:
    """``Soon`` is dated a day after ``NOW``; ``Draft`` is a draft; both share every term with ``Today``."""
    terms = {"authors": ["Ann"], "tags": ["Metro"], "section": "City"}
    return make_site(root, {
        "today.md": article(title="Today", date="2024-12-31T12:00:00Z", **terms),
        "soon.md": article(title="Soon", date=(NOW + dt.timedelta(days=1)).isoformat(), **terms),
        "draft.md": article(title="Unfinished", date="2024-12-30T12:00:00Z", draft=True, **terms),
    }, 'base_url = "https://example.org/"\n')


def all_text(output: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(output.rglob("*")) if p.is_file() and p.suffix in (".html", ".xml", ".json", ".txt"))


def test_scheduled_and_draft_stories_are_nowhere_until_due(tmp_path: Path) -> None:
    scheduled_site(tmp_path)
    report = build(tmp_path)
    assert (report.articles, report.future_skipped, report.drafts_skipped) == (1, 1, 1)
    text = all_text(tmp_path / "output")
    for hidden in ("Soon", "soon/", "Unfinished", "draft/"):
        assert hidden not in text
    assert not (tmp_path / "output/2025").exists()
    for url in ("tags/metro", "authors/ann", "sections/city", "2024/12"):
        assert count_text(page(tmp_path, url)) == "1 story"


def test_scheduled_story_appears_everywhere_once_a_build_runs_after_its_date(tmp_path: Path) -> None:
    scheduled_site(tmp_path)
    build(tmp_path, now=LATER)
    out = tmp_path / "output"
    soon = "2025/01/02/soon/"
    assert page(tmp_path, soon).xpath("//h1")[0].text == "Soon"
    for url in ("", "tags/metro/", "authors/ann/", "sections/city/", "2025/", "2025/01/", "2025/01/02/"):
        assert f"/{soon}" in [h for h, _ in links(page(tmp_path, url), f"//*[{cls('card-title')}]/a")], url
    for url in ("tags/metro/", "authors/ann/", "sections/city/"):
        assert count_text(page(tmp_path, url)) == "2 stories"
    assert "Soon" in [i.findtext("title") for i in etree.parse(str(out / "feed.xml")).iter("item")]
    assert "Soon" in [i.findtext("title") for i in etree.parse(str(out / "tags/metro/feed.xml")).iter("item")]
    assert f"https://example.org/{soon}" in (out / "sitemap.xml").read_text()
    today = page(tmp_path, "2024/12/31/today")
    assert links(today, f"//nav[{cls('story-nav')}]/a[@rel='next']")[0][0] == f"/{soon}"
    assert f"/{soon}" in [h for h, _ in links(today, f"//aside[{cls('related')}]//*[{cls('card-title')}]/a")]
    assert "Unfinished" not in all_text(out)  # still a draft


def test_future_and_drafts_flags_on_the_command_line(tmp_path: Path) -> None:
    make_site(tmp_path, {
        "now.md": article(title="Now", date="2024-01-01", tags=["T"]),
        "far.md": article(title="Far future", date="2999-01-01", tags=["T"]),
        "draft.md": article(title="Unfinished", date="2024-01-02", draft=True, tags=["T"]),
    })
    args = ("build", "--no-search", "-q", "--jobs", "1")
    assert run_cli(*args, cwd=tmp_path).returncode == 0
    assert "Far future" not in all_text(tmp_path / "output") and "Unfinished" not in all_text(tmp_path / "output")
    result = run_cli(*args, "--future", "--drafts", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert listed(page(tmp_path, "tags/t")) == ["Far future", "Unfinished", "Now"]
    assert page(tmp_path, "2999/01/01/far").xpath(f"//p[{cls('preview-banner')}]")


def test_renaming_a_reporter_in_the_profiles_updates_every_byline_on_rebuild(tmp_path: Path) -> None:
    make_site(tmp_path, {
        f"s{i}.md": article(title=f"S{i}", date=f"2024-05-0{i + 1}", authors=["lxiao"], tags=["T"]) for i in range(3)
    }, "per_page = 1\n", {"content/authors.yml": "lxiao: {name: Lin Xiao}\n"})
    builder_options = {"cache_dir": tmp_path / "cache"}
    build(tmp_path, **builder_options)
    (tmp_path / "content/authors.yml").write_text("lxiao: {name: Xiao Lin}\n", encoding="utf-8")
    build(tmp_path, **builder_options)
    for url in ("", "page/2", "tags/t/page/3", "2024/05/01", "2024/05/02/s1"):
        bylines = {a.text for a in page(tmp_path, url).xpath("//a[@rel='author']")}
        assert bylines == {"Xiao Lin"}, url


def test_a_new_period_is_linked_from_its_neighbours_on_rebuild(tmp_path: Path) -> None:
    make_site(tmp_path, {"a.md": article(title="A", date="2023-03-01"), "b.md": article(title="B", date="2024-03-01")})
    cache = {"cache_dir": tmp_path / "cache"}
    build(tmp_path, **cache)
    write_files(tmp_path, {"content/c.md": article(title="C", date="2022-07-01")})
    report = build(tmp_path, **cache)
    assert "2023/" in report.rendered_urls and "2024/" not in report.rendered_urls
    assert links(page(tmp_path, "2023"), f"//nav[{cls('archive-nav')}]/a[{cls('older')}]") == [("/2022/", "Earlier 2022")]
    assert links(page(tmp_path, "2023/03"), f"//nav[{cls('archive-nav')}]/a[{cls('older')}]") == [("/2022/07/", "Earlier July 2022")]
