"""Corrections (dated notices, JSON-LD, feeds, the corrections page and feed) and series (packages of stories)."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest
from lxml import html as lxml_html
from sitekit import article, build, write_files

from broadsheet.errors import BuildFailed

BASE = "https://example.org/"
TOLLS = "2024-05-01-tolls.md"


def _site(root: Path, language: str = "en", **extra: str) -> Path:
    write_files(root, {
        "site.toml": f'title = "The Test Times"\nbase_url = "{BASE}"\nlanguage = "{language}"\n',
        f"content/{TOLLS}": article(
            title="Tolls rise", date="2024-05-01T09:00:00+00:00", updated="2024-05-02T08:00:00+00:00",
            series="Port money", series_part=2,
            corrections=[
                {"date": "2024-05-03T10:00:00+00:00", "text": "The rise is a tenth, not a fifth."},
                {"date": "2024-05-06T12:00:00+00:00", "text": "Fares are not affected.", "kind": "Clarification"},
                {"date": "2024-05-04T09:00:00+00:00", "text": "This story was updated.", "kind": "editor's note"},
            ],
        ),
        "content/2024-05-05-port.md": article(title="Port budget", date="2024-05-05T09:00:00+00:00",
                                              series="port money", series_part=1),
        "content/2024-04-01-dock.md": article(title="Dock closes", date="2024-04-01T09:00:00+00:00", series="Port money"),
        "content/2024-05-02-bank.md": article(
            title="Bank opens", date="2024-05-02T09:00:00+00:00",
            corrections=[{"date": "2024-05-05T09:00:00+00:00", "text": "The branch is on Quay Street.", "kind": "editors_note"}],
        ),
        "content/2024-03-01-walk.md": article(title="Harbour walks", date="2024-03-01", series=["Walks"]),
        "content/2024-03-08-walk.md": article(title="More walks", date="2024-03-08", series=["Walks"]),
        **extra,
    })
    return root


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = _site(tmp_path_factory.mktemp("record"))
    build(root)
    return root / "output"


def parse(path: Path) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(path.read_bytes())


def test_corrections_show_as_dated_notices_oldest_first(output: Path) -> None:
    page = parse(output / "2024/05/01/tolls/index.html")
    notices = page.xpath("//aside[@class='corrections-box']//li")
    assert [li.get("id") for li in notices] == ["correction-1", "correction-2", "correction-3"]
    assert [li.xpath("string(.//strong)") for li in notices] == ["Correction", "Editor's note", "Clarification"]
    assert [li.xpath("string(.//time/@datetime)") for li in notices] == [
        "2024-05-03T10:00:00+00:00", "2024-05-04T09:00:00+00:00", "2024-05-06T12:00:00+00:00"]
    assert "The rise is a tenth, not a fifth." in notices[0].text_content()
    assert not parse(output / "2024/03/01/walk/index.html").xpath("//aside[@class='corrections-box']")


def test_corrections_in_json_ld(output: Path) -> None:
    page = parse(output / "2024/05/01/tolls/index.html")
    [data] = [json.loads(s.text) for s in page.xpath("//script[@type='application/ld+json']") if "NewsArticle" in s.text]
    assert data["correction"] == [
        {"@type": "CorrectionComment", "text": "The rise is a tenth, not a fifth.", "datePublished": "2024-05-03T10:00:00+00:00"},
        {"@type": "CorrectionComment", "text": "This story was updated.", "datePublished": "2024-05-04T09:00:00+00:00"},
        {"@type": "CorrectionComment", "text": "Fares are not affected.", "datePublished": "2024-05-06T12:00:00+00:00"},
    ]
    assert data["dateModified"] == "2024-05-06T12:00:00+00:00"


def test_the_latest_correction_is_the_story_update_in_feeds_and_sitemap(output: Path) -> None:
    atom = feedparser.parse((output / "atom.xml").read_bytes())
    assert not atom.bozo
    entry = next(e for e in atom.entries if e.title == "Tolls rise")
    assert entry.updated == "2024-05-06T12:00:00+00:00"
    assert entry.published == "2024-05-01T09:00:00+00:00"
    walks = next(e for e in atom.entries if e.title == "Harbour walks")
    assert walks.updated == walks.published  # no correction, no update
    items = json.loads((output / "feed.json").read_text(encoding="utf-8"))["items"]
    assert next(i for i in items if i["title"] == "Tolls rise")["date_modified"] == "2024-05-06T12:00:00+00:00"
    sitemap = (output / "sitemap.xml").read_text(encoding="utf-8")
    assert "<lastmod>2024-05-06T12:00:00+00:00</lastmod>" in sitemap.split("2024/05/01/tolls/</loc>")[1].split("</url>")[0]


def test_the_corrections_page_lists_every_notice_newest_first(output: Path) -> None:
    page = parse(output / "corrections/index.html")
    entries = page.xpath("//li[@class='corrections-entry']")
    assert [e.xpath("string(.//time/@datetime)")[:10] for e in entries] == [
        "2024-05-06", "2024-05-05", "2024-05-04", "2024-05-03"]
    assert [e.xpath("string(.//p[@class='corrections-story']/a/@href)") for e in entries] == [
        "/2024/05/01/tolls/#correction-3", "/2024/05/02/bank/#correction-1",
        "/2024/05/01/tolls/#correction-2", "/2024/05/01/tolls/#correction-1"]
    assert page.xpath("string(//link[@type='application/atom+xml' and contains(@href, 'corrections')]/@href)") == (
        BASE + "corrections/atom.xml")
    assert "corrections/" in (output / "sitemap.xml").read_text(encoding="utf-8")


def test_the_corrections_feed_parses_newest_first(output: Path) -> None:
    feed = feedparser.parse((output / "corrections/atom.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert [e.title for e in feed.entries] == [
        "Clarification: Tolls rise", "Editor's note: Bank opens", "Editor's note: Tolls rise", "Correction: Tolls rise"]
    assert feed.entries[0].link == BASE + "2024/05/01/tolls/#correction-3"
    assert feed.entries[0].updated == "2024-05-06T12:00:00+00:00"
    assert feed.entries[-1].content[0].value == "<p>The rise is a tenth, not a fifth.</p>"
    assert len({e.id for e in feed.entries}) == 4
    assert feed.feed.updated == "2024-05-06T12:00:00+00:00"


def test_notices_in_chinese(tmp_path: Path) -> None:
    _site(tmp_path, language="zh-Hans")
    build(tmp_path)
    page = parse(tmp_path / "output/2024/05/01/tolls/index.html")
    assert [s.text for s in page.xpath("//aside[@class='corrections-box']//strong")] == ["更正", "编者按", "澄清"]
    assert page.xpath("string(//p[@class='series-label'])").endswith("第2篇，共3篇")
    feed = feedparser.parse((tmp_path / "output/corrections/atom.xml").read_bytes())
    assert [e.title for e in feed.entries][:2] == ["澄清: Tolls rise", "编者按: Bank opens"]
    assert feed.feed.title == "The Test Times: 更正"


def test_a_series_runs_by_part_then_date(output: Path) -> None:
    page = parse(output / "series/port-money/index.html")
    assert page.xpath("string(//h1)") == "Port money"
    assert [a.text for a in page.xpath("//ol[@class='series-parts']//h2/a")] == ["Port budget", "Tolls rise", "Dock closes"]
    assert [p.text for p in page.xpath("//p[@class='series-part-number']")] == ["Part 1 of 3", "Part 2 of 3", "Part 3 of 3"]
    walks = parse(output / "series/walks/index.html")  # no parts: by date, oldest first
    assert [a.text for a in walks.xpath("//ol[@class='series-parts']//h2/a")] == ["Harbour walks", "More walks"]
    assert "<loc>https://example.org/series/port-money/</loc>" in (output / "sitemap.xml").read_text(encoding="utf-8")


def test_each_part_says_where_it_stands_and_links_the_others(output: Path) -> None:
    page = parse(output / "2024/05/01/tolls/index.html")
    assert page.xpath("string(//p[@class='series-position'])") == "Part 2 of 3"
    box = page.xpath("//nav[@class='series-box']")[0]
    assert box.xpath("string(.//h2/a/@href)") == "/series/port-money/"
    assert [(a.text, a.get("href")) for a in box.xpath(".//ol//a")] == [
        ("Port budget", "/2024/05/05/port/"), ("Dock closes", "/2024/04/01/dock/")]
    assert box.xpath("string(.//li[2]/span[@aria-current='page'])") == "Tolls rise"
    assert not parse(output / "2024/05/02/bank/index.html").xpath("//nav[@class='series-box']")


@pytest.mark.parametrize(("corrections", "message", "line"), [
    ([{"date": "2024-05-02"}], "corrections: entry 1 has no text: say what was wrong and what is right", 5),
    ([{"date": "2024-05-02", "text": "ok"}, {"date": "2024-02-30", "text": "x"}], "corrections: entry 2: date '2024-02-30' is not a possible date", 7),
    ([{"date": "2024-05-02", "text": "x", "kind": "retraction"}],
     "corrections: entry 1 has unknown kind 'retraction'; use correction, clarification or editors-note", 5),
])
def test_bad_corrections_name_file_and_line(tmp_path: Path, corrections: list[dict[str, str]], message: str, line: int) -> None:
    text = "---\ntitle: Tolls\ndate: 2024-05-01\ncorrections:\n" + "".join(
        "  - " + "\n    ".join(f"{k}: {v}" for k, v in entry.items()) + "\n" for entry in corrections) + "---\nBody.\n"
    write_files(tmp_path, {"content/tolls.md": text})
    with pytest.raises(BuildFailed) as failed:
        build(tmp_path)
    [error] = failed.value.errors
    assert error.message.startswith(message) and error.line == line, (error, text)


def test_a_bad_series_part_is_an_error(tmp_path: Path) -> None:
    write_files(tmp_path, {"content/a.md": article(series="X", series_part=0)})
    with pytest.raises(BuildFailed) as failed:
        build(tmp_path)
    assert failed.value.errors[0].message == "series_part: must be a whole number from 1, got 0"


def test_a_part_is_rendered_again_when_what_its_box_shows_of_another_part_changes(tmp_path: Path) -> None:
    _site(tmp_path)
    cache = {"cache_dir": tmp_path / "cache"}
    build(tmp_path, **cache)
    tolls = tmp_path / "content" / TOLLS
    tolls.write_text(tolls.read_text(encoding="utf-8").replace("A paragraph of news.", "A longer paragraph of news."))
    rendered = set(build(tmp_path, **cache).rendered_urls)
    assert {"2024/05/01/tolls/", "series/port-money/"} <= rendered  # its page, and the series page's card of it
    assert "2024/05/05/port/" not in rendered  # another part's box shows only its headline and link
    tolls.write_text(tolls.read_text(encoding="utf-8").replace("Tolls rise", "Tolls rise again"))
    rendered = set(build(tmp_path, **cache).rendered_urls)
    assert {"2024/05/05/port/", "2024/04/01/dock/", "corrections/", "corrections/atom.xml"} <= rendered
    page = parse(tmp_path / "output/2024/05/05/port/index.html")
    assert "Tolls rise again" in [a.text for a in page.xpath("//nav[@class='series-box']//a")]
