"""RSS, Atom and JSON Feed: parsed with feedparser and held to the W3C Feed Validation Service's rules."""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import lxml.html
import pytest
from lxml import etree
from smallsite import build, news_site, write_article

BASE = "https://example.org/news/"
NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
RFC822 = re.compile(
    r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} "
    r"\d{2}:\d{2}:\d{2} [+-]\d{4}"
)
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("feeds")
    content = news_site(root)
    write_article(
        content, "2024-04-01-bell.md",
        'title: "Bell\\a in the title"\ndate: 2024-04-01T12:00:00-05:00\nauthor: Cy Dee\n',
        "Root link [home](/) and ![pic](/static/img/lead.png) and \x0b vertical tab.\n",
    )
    return build(root, BASE)


def rss(output: Path, rel: str = "feed.xml") -> etree._Element:
    return etree.parse(str(output / rel)).getroot()


def test_rss_parses_with_feedparser(output: Path) -> None:
    parsed = feedparser.parse((output / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    titles = [e.title for e in parsed.entries]
    assert titles == ["Budget day", 'Rates <rise> & "markets" ]]> fall', "An older story", "Bell in the title"]


def test_links_and_guids_are_absolute(output: Path) -> None:
    channel = rss(output).find("channel")
    assert channel.findtext("link") == BASE
    for item in channel.iter("item"):
        link, guid = item.findtext("link"), item.find("guid")
        assert urlsplit(link).scheme == "https" and link.startswith(BASE)
        assert guid.text == link and guid.get("isPermaLink") == "true"
        assert (output / urlsplit(link).path.removeprefix("/news/") / "index.html").is_file()


def test_dates_are_rfc822_with_numeric_zone(output: Path) -> None:
    channel = rss(output).find("channel")
    dates = [channel.findtext("lastBuildDate")] + [i.findtext("pubDate") for i in channel.iter("item")]
    for value in dates:
        assert RFC822.fullmatch(value), value
    pub = {i.findtext("title"): email.utils.parsedate_to_datetime(i.findtext("pubDate")) for i in channel.iter("item")}
    assert pub["Bell in the title"] == dt.datetime(2024, 4, 1, 17, 0, tzinfo=dt.UTC)
    assert pub["Budget day"] == dt.datetime(2024, 5, 2, 18, 0, tzinfo=dt.UTC)


def test_last_build_date_is_the_newest_story_not_the_clock(output: Path) -> None:
    value = rss(output).find("channel").findtext("lastBuildDate")
    # Budget day was updated 2024-05-03 08:15 +01:00, the newest change on the site.
    assert email.utils.parsedate_to_datetime(value) == dt.datetime(2024, 5, 3, 7, 15, tzinfo=dt.UTC)


def test_atom_self_link(output: Path) -> None:
    selves = rss(output).findall("channel/atom:link[@rel='self']", NS)
    assert [(s.get("href"), s.get("type")) for s in selves] == [(BASE + "feed.xml", "application/rss+xml")]


def test_every_byline_is_a_dc_creator(output: Path) -> None:
    creators = {i.findtext("title"): [c.text for c in i.findall("dc:creator", NS)] for i in rss(output).iter("item")}
    assert creators['Rates <rise> & "markets" ]]> fall'] == ["Ann Lee", "Bob Roe"]
    assert creators["Budget day"] == ["Ann Lee"]


def test_titles_are_escaped(output: Path) -> None:
    raw = (output / "feed.xml").read_text("utf-8")
    assert "<title>Rates &lt;rise&gt; &amp;" in raw


def test_content_encoded_has_absolute_urls(output: Path) -> None:
    items = list(rss(output).iter("item"))
    assert all(i.find("content:encoded", NS) is not None for i in items)
    refs = []
    for item in items:
        body = lxml.html.fragment_fromstring(item.findtext("content:encoded", namespaces=NS), create_parent="div")
        refs += [value for _el, _attr, value, _pos in body.iterlinks()]
    assert "https://example.org/news/archive/" in refs  # ../../../../archive/ from the article
    assert "https://example.org/" in refs  # a root-relative link resolves like a browser would
    # The body's photo (written ../static/img/lead.png and /static/img/lead.png) is the file the photo
    # stage published, under the site's path: a feed reader has no page to resolve it against.
    photos = [r for r in refs if "/static/img/lead" in r]
    assert len(photos) == 2 and all(r.startswith(f"{BASE}static/img/lead-") for r in photos), photos
    assert all((output / r.removeprefix(BASE)).is_file() for r in photos)
    assert all(urlsplit(r).scheme == "https" for r in refs), refs


def test_control_characters_never_reach_a_feed(output: Path) -> None:
    for name in ("feed.xml", "atom.xml", "feed.json", "authors/cy-dee/feed.xml"):
        text = (output / name).read_text("utf-8")
        assert not XML_FORBIDDEN.search(text), name
        assert "\\u0007" not in text and "\\u000b" not in text
    etree.fromstring((output / "feed.xml").read_bytes(), etree.XMLParser(recover=False))


def test_cdata_terminator_in_a_body_survives(output: Path) -> None:
    item = next(i for i in rss(output).iter("item") if "Rates" in i.findtext("title"))
    body = lxml.html.fragment_fromstring(item.findtext("content:encoded", namespaces=NS), create_parent="div")
    assert "Code says ]]> and the text goes on." in body.text_content()
    parsed = feedparser.parse((output / "feed.xml").read_bytes())
    assert "]]>" in parsed.entries[1].title


def test_item_limit_is_configurable(tmp_path: Path) -> None:
    news_site(tmp_path)
    (tmp_path / "site.toml").write_text("feed_limit = 2\n", encoding="utf-8")
    out = build(tmp_path, BASE)
    assert [i.findtext("title") for i in rss(out).iter("item")] == ["Budget day", 'Rates <rise> & "markets" ]]> fall']
    assert len(feedparser.parse((out / "atom.xml").read_bytes()).entries) == 2
    assert len(json.loads((out / "feed.json").read_text("utf-8"))["items"]) == 2


@pytest.mark.parametrize(
    ("page", "feed", "titles"),
    [
        ("authors/ann-lee/index.html", "authors/ann-lee/feed.xml", ["Budget day", 'Rates <rise> & "markets" ]]> fall']),
        ("tags/banks/index.html", "tags/banks/feed.xml", ['Rates <rise> & "markets" ]]> fall']),
        ("sections/business/index.html", "sections/business/feed.xml", ['Rates <rise> & "markets" ]]> fall', "An older story"]),
    ],
)
def test_term_feeds_are_advertised_on_their_pages(output: Path, page: str, feed: str, titles: list[str]) -> None:
    document = lxml.html.fromstring((output / page).read_bytes())
    hrefs = document.xpath("//head/link[@rel='alternate'][@type='application/rss+xml']/@href")
    assert "/news/" + feed in hrefs
    parsed = feedparser.parse((output / feed).read_bytes())
    assert not parsed.bozo
    assert [e.title for e in parsed.entries] == titles
    assert parsed.feed.link == BASE + feed.removesuffix("feed.xml")
    assert any(link.href == BASE + feed and link.rel == "self" for link in parsed.feed.links)


def test_site_feeds_are_advertised_on_every_page(output: Path) -> None:
    for page in output.rglob("*.html"):
        document = lxml.html.fromstring(page.read_bytes())
        links = {(link.get("type"), link.get("href")) for link in document.xpath("//head/link[@rel='alternate']")}
        assert ("application/atom+xml", "/news/atom.xml") in links, page
        assert ("application/feed+json", "/news/feed.json") in links, page


def test_atom_feed_has_the_same_stories(output: Path) -> None:
    atom = feedparser.parse((output / "atom.xml").read_bytes())
    rss_feed = feedparser.parse((output / "feed.xml").read_bytes())
    assert not atom.bozo and atom.version == "atom10"
    assert [e.id for e in atom.entries] == [e.link for e in rss_feed.entries]
    rates = atom.entries[1]
    assert [a.name for a in rates.authors] == ["Ann Lee", "Bob Roe"]
    assert rates.published_parsed and rates.updated_parsed
    root = rss(output, "atom.xml")
    assert root.find("atom:link[@rel='self']", NS).get("href") == BASE + "atom.xml"
    assert root.findtext("atom:updated", namespaces=NS) == "2024-05-03T08:15:00+01:00"


def test_json_feed_1_1(output: Path) -> None:
    document = json.loads((output / "feed.json").read_text("utf-8"))
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["feed_url"] == BASE + "feed.json"
    assert document["home_page_url"] == BASE
    rates = document["items"][1]
    assert rates["title"] == 'Rates <rise> & "markets" ]]> fall'
    assert [a["name"] for a in rates["authors"]] == ["Ann Lee", "Bob Roe"]
    assert rates["image"] == BASE + "static/img/lead.png"
    assert (output / "static/img/lead.png").is_file()  # the original is published beside its sizes
    assert dt.datetime.fromisoformat(rates["date_published"]) == dt.datetime(2024, 5, 1, 7, 30, tzinfo=dt.UTC)
    assert f'src="{BASE}static/img/lead-' in rates["content_html"]  # the size the photo stage published
    # feedparser does not read JSON Feed, so check the spec's required members directly.
    assert isinstance(document["title"], str) and document["items"]
    for item in document["items"]:
        assert isinstance(item["id"], str) and item["url"].startswith(BASE)
        assert isinstance(item.get("content_html") or item.get("content_text"), str)
        assert all(set(a) & {"name", "url", "avatar"} for a in item["authors"])
    rss_links = [e.link for e in feedparser.parse((output / "feed.xml").read_bytes()).entries]
    assert [i["id"] for i in document["items"]] == rss_links


def test_feeds_are_reproducible(tmp_path: Path) -> None:
    news_site(tmp_path)
    first = {n: (build(tmp_path, BASE) / n).read_bytes() for n in ("feed.xml", "atom.xml", "feed.json")}
    (tmp_path / "output" / "feed.xml").unlink()
    second = {n: (build(tmp_path, BASE) / n).read_bytes() for n in ("feed.xml", "atom.xml", "feed.json")}
    assert first == second
