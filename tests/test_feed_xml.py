"""RSS and Atom as written from their templates: escaping, well-formedness, and the same stories as the JSON feed.

Every value is read back with a strict XML parser (and feedparser) and compared with what went in,
so a value the templates failed to escape, or escaped twice, shows as a parse error or a changed string.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
from pathlib import Path

import feedparser
import pytest
from lxml import etree
from sitekit import build_sample_site

from broadsheet.outputs.feeds import Author, FeedEntry, FeedInfo, atom_feed, rss_feed

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
STRICT = etree.XMLParser(recover=False, resolve_entities=False, no_network=True)
WRITERS = {"rss": rss_feed, "atom": atom_feed}

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
TITLE = """Rates <rise> & "markets" 'fall' ]]> 杭州 مرحبا"""
BODY = (
    '<p class="lead">Code says ]]> and the text goes on &amp; on.</p>\r\n'
    "<p>西湖边的共享单车 — عودة الدراجات إلى ضفاف البحيرة</p>\n"
    "<pre><![CDATA[ not a section ]]></pre>"
)
AUTHORS = (Author('Ann "A&B" <Lee>', "https://example.org/authors/?name=ann&lang=en"), Author("王小明", "https://example.org/authors/wang/"),
           Author("ليلى حسن", "https://example.org/authors/layla/"))
CATEGORIES = ("Banks & <Rates>", 'the "City"', "经济", "اقتصاد")


def _entry(**changes: object) -> FeedEntry:
    values: dict[str, object] = {
        "url": "https://example.org/2026/11/18/rates/?a=1&b=2",
        "title": TITLE,
        "published": dt.datetime(2026, 11, 18, 8, 50, tzinfo=SHANGHAI),
        "updated": dt.datetime(2026, 11, 19, 9, 5, 30, tzinfo=SHANGHAI),
        "authors": AUTHORS,
        "categories": CATEGORIES,
        "summary": "Summary with <b> & ' \" and 中文 and العربية",
        "content_html": BODY,
        "image": None,
        "language": "en",
    }
    values.update(changes)
    return FeedEntry(**values)  # type: ignore[arg-type]


INFO = FeedInfo("The Courier & <Friends>", 'News "from" 杭州 و العالم', "https://example.org/?edition=a&b", "zh-Hans",
                "Publisher & Sons", dt.datetime(2026, 11, 19, 9, 5, 30, tzinfo=SHANGHAI))
SELF = "https://example.org/feed.xml?x=1&y=2"


def _write(format: str, entries: list[FeedEntry] | None = None, info: FeedInfo = INFO) -> bytes:
    return WRITERS[format](info, [_entry()] if entries is None else entries, SELF)


def test_rss_values_come_back_from_a_strict_parser_as_they_went_in() -> None:
    channel = etree.fromstring(_write("rss"), STRICT).find("channel")
    assert channel.findtext("title") == INFO.title
    assert channel.findtext("description") == INFO.description
    assert channel.findtext("link") == INFO.home
    assert channel.findtext("language") == "zh-Hans"
    assert channel.find("atom:link", NS).get("href") == SELF
    item = channel.find("item")
    assert item.findtext("title") == TITLE
    assert item.findtext("link") == item.findtext("guid") == _entry().url
    assert item.findtext("description") == _entry().summary
    assert item.findtext("content:encoded", namespaces=NS) == BODY  # CR, ]]> and a CDATA lookalike, all just text
    assert [c.text for c in item.findall("category")] == list(CATEGORIES)
    assert [c.text for c in item.findall("dc:creator", NS)] == [a.name for a in AUTHORS]
    assert email.utils.parsedate_to_datetime(item.findtext("pubDate")) == _entry().published
    assert item.findtext("pubDate") == "Wed, 18 Nov 2026 08:50:00 +0800"


def test_atom_values_come_back_from_a_strict_parser_as_they_went_in() -> None:
    feed = etree.fromstring(_write("atom"), STRICT)
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-Hans"
    assert feed.findtext("atom:title", namespaces=NS) == INFO.title
    assert feed.findtext("atom:subtitle", namespaces=NS) == INFO.description
    assert feed.findtext("atom:author/atom:name", namespaces=NS) == INFO.publisher
    assert [(link.get("rel"), link.get("href")) for link in feed.findall("atom:link", NS)] == [("self", SELF), ("alternate", INFO.home)]
    assert feed.findtext("atom:updated", namespaces=NS) == "2026-11-19T09:05:30+08:00"
    entry = feed.find("atom:entry", NS)
    assert entry.findtext("atom:id", namespaces=NS) == entry.find("atom:link", NS).get("href") == _entry().url
    assert entry.findtext("atom:title", namespaces=NS) == TITLE
    assert entry.find("atom:content", NS).get("type") == "html"
    assert entry.findtext("atom:content", namespaces=NS) == BODY
    people = [(a.findtext("atom:name", namespaces=NS), a.findtext("atom:uri", namespaces=NS)) for a in entry.findall("atom:author", NS)]
    assert people == [(a.name, a.url) for a in AUTHORS]
    assert [c.get("term") for c in entry.findall("atom:category", NS)] == list(CATEGORIES)
    assert entry.findtext("atom:published", namespaces=NS) == "2026-11-18T08:50:00+08:00"
    assert entry.findtext("atom:updated", namespaces=NS) == "2026-11-19T09:05:30+08:00"


@pytest.mark.parametrize("format", ["rss", "atom"])
def test_feedparser_reads_the_awkward_entry(format: str) -> None:
    parsed = feedparser.parse(_write(format))
    assert not parsed.bozo, parsed.get("bozo_exception")
    entry = parsed.entries[0]
    assert entry.title == TITLE
    assert "Code says ]]> and the text goes on" in entry.content[0].value
    assert [t.term for t in entry.tags] == list(CATEGORIES)
    if format == "atom":
        assert [(a.name, a.href) for a in entry.authors] == [(a.name, a.url) for a in AUTHORS]


@pytest.mark.parametrize("format", ["rss", "atom"])
def test_text_is_utf8_and_markup_is_escaped_not_wrapped(format: str) -> None:
    data = _write(format)
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n")
    for word in ("杭州", "مرحبا", "王小明", "ليلى حسن", "اقتصاد"):
        assert word.encode("utf-8") in data  # as characters, not character references
    assert b"]]&gt; \xe6\x9d\xad" in data  # the title's ]]> is text
    assert b"<![CDATA[" not in data.replace(b"&lt;![CDATA[", b"")  # the body's CDATA lookalike is escaped, none is written
    assert b"&#13;" in data  # a CR in the body is kept as a reference, or a parser would make it a LF
    assert b"/rates/?a=1&amp;b=2" in data and b"feed.xml?x=1&amp;y=2" in data
    if format == "atom":  # RSS 2.0 has no place for a byline's page
        assert b"<uri>https://example.org/authors/?name=ann&amp;lang=en</uri>" in data


@pytest.mark.parametrize("format", ["rss", "atom"])
def test_a_story_in_several_feeds_is_written_the_same_in_each(format: str) -> None:
    """Entries are written once and reused: a further feed with other entries around it must hold the same bytes."""
    first, second = _entry(), _entry(url="https://example.org/other/", title="Other & more")
    alone = _write(format, [first])
    together = _write(format, [second, first], FeedInfo("Other", "", "https://example.org/tags/x/", "en", "", INFO.updated))
    fresh = _write(format, [_entry()])
    assert alone == fresh
    item_of = {"rss": b"    <item>", "atom": b"  <entry>"}[format]
    [_, written] = alone.split(item_of)
    assert together.split(item_of)[2] == written
    assert etree.fromstring(together, STRICT) is not None
    other = {"rss": "atom", "atom": "rss"}[format]
    assert _write(other, [first]) == _write(other, [_entry()])  # one entry, both formats: each its own


@pytest.mark.parametrize("format", ["rss", "atom"])
def test_a_feed_without_entries_or_optional_values_is_still_well_formed(format: str) -> None:
    bare = FeedInfo("T", "", "https://example.org/", "", "", dt.datetime(1970, 1, 1, tzinfo=dt.UTC))
    etree.fromstring(_write(format, [], bare), STRICT)
    lonely = _entry(authors=(), categories=(), summary="", content_html="")
    parsed = feedparser.parse(_write(format, [lonely], bare))
    assert not parsed.bozo and parsed.entries[0].title == TITLE


@pytest.mark.parametrize("format", ["rss", "atom"])
def test_a_feed_without_a_title_is_refused(format: str) -> None:
    untitled = FeedInfo("", "", "https://example.org/", "en", "", INFO.updated)
    with pytest.raises(ValueError, match="needs a title"):
        _write(format, info=untitled)


# The sample site in content/ (with its Chinese edition and corrections feed), built once.


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample_site(tmp_path_factory.mktemp("sample"))


def test_every_feed_of_the_sample_site_is_well_formed(sample: Path) -> None:
    feeds = sorted(p for name in ("feed.xml", "atom.xml") for p in sample.rglob(name))
    assert len(feeds) >= 30
    roots = set()
    for path in feeds:
        root = etree.fromstring(path.read_bytes(), STRICT)  # raises on the first error, naming it
        roots.add(root.tag)
        assert feedparser.parse(path.read_bytes()).bozo == 0, path
    assert roots == {"rss", "{http://www.w3.org/2005/Atom}feed"}


@pytest.mark.parametrize("edition", ["", "zh/"])
def test_rss_atom_and_json_carry_the_same_stories_in_the_same_order(sample: Path, edition: str) -> None:
    document = json.loads((sample / edition / "feed.json").read_text("utf-8"))
    channel = etree.fromstring((sample / edition / "feed.xml").read_bytes(), STRICT).find("channel")
    atom = etree.fromstring((sample / edition / "atom.xml").read_bytes(), STRICT)
    items, entries = channel.findall("item"), atom.findall("atom:entry", NS)
    assert len(document["items"]) == len(items) == len(entries) >= 4
    for story, item, entry in zip(document["items"], items, entries, strict=True):
        assert story["id"] == item.findtext("guid") == item.findtext("link") == entry.findtext("atom:id", namespaces=NS)
        assert story["title"] == item.findtext("title") == entry.findtext("atom:title", namespaces=NS)
        assert story["content_html"] == item.findtext("content:encoded", namespaces=NS) == entry.findtext("atom:content", namespaces=NS)
        assert (story["summary"] or story["title"]) == item.findtext("description")
        published = dt.datetime.fromisoformat(story["date_published"])
        assert email.utils.parsedate_to_datetime(item.findtext("pubDate")) == published
        assert dt.datetime.fromisoformat(entry.findtext("atom:published", namespaces=NS)) == published
        assert dt.datetime.fromisoformat(entry.findtext("atom:updated", namespaces=NS)) == dt.datetime.fromisoformat(story["date_modified"])
        names = [a["name"] for a in story["authors"]]
        assert names == [c.text for c in item.findall("dc:creator", NS)]
        assert [(a["name"], a["url"]) for a in story["authors"]] == [
            (a.findtext("atom:name", namespaces=NS), a.findtext("atom:uri", namespaces=NS)) for a in entry.findall("atom:author", NS)]
        assert story["tags"] == [c.text for c in item.findall("category")] == [c.get("term") for c in entry.findall("atom:category", NS)]
    if edition:  # the Chinese edition's feeds speak its language
        assert channel.findtext("language") == atom.get("{http://www.w3.org/XML/1998/namespace}lang") == document["language"] == "zh-Hans"
