"""Head metadata: canonical link, OpenGraph, Twitter card and NewsArticle JSON-LD."""

from __future__ import annotations

import json
import re
from pathlib import Path

import lxml.html
import pytest
from smallsite import build, news_site, write_article

BASE = "https://example.org/news/"
# The lead image, published under its own and its fingerprinted name.
LEAD = re.compile(re.escape(BASE) + r"static/img/lead(\.[0-9a-f]{8})?\.png")
# What a lead photo is shared as: its social crop, a JPEG named by its content.
SOCIAL = re.compile(re.escape(BASE) + r"static/img/lead-social\.[0-9a-f]{8}\.jpg")


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("meta")
    content = news_site(root)
    write_article(
        content, "2024-03-01-script.md",
        "title: \"Breakout </script><script>alert(1)</script> & <!-- x\"\ndate: 2024-03-01\nauthor: Cy Dee\n",
        "Body.\n",
    )
    write_article(content, "2024-02-01-cdn.md", "title: CDN\ndate: 2024-02-01\nimage: https://cdn.example/a.jpg\n", "B.\n")
    write_article(
        content, "2024-01-15-credited.md",
        "title: Credited\ndate: 2024-01-15\nimage: https://cdn.example/b.jpg\nimage_credit: Mei Chen / Wire\nimage_caption: The quay\n", "C.\n",
    )
    (root / "site.toml").write_text('publisher = "The Daily Test"\nlogo = "img/lead.png"\n', encoding="utf-8")
    return build(root, BASE)


def head(output: Path, rel: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((output / rel).read_bytes()).find("head")


def meta(document: lxml.html.HtmlElement, key: str) -> list[str]:
    return document.xpath(f"//meta[@property='{key}' or @name='{key}']/@content")


def json_ld(document: lxml.html.HtmlElement) -> list[dict]:
    return [json.loads(s.text) for s in document.xpath("//script[@type='application/ld+json']")]


def test_every_page_has_canonical_opengraph_and_twitter(output: Path) -> None:
    pages = list(output.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        rel = page.relative_to(output).as_posix()
        url = BASE + rel.removesuffix("index.html")
        document = head(output, rel)
        assert document.xpath("link[@rel='canonical']/@href") == [url], rel
        assert meta(document, "og:url") == [url], rel
        assert len(meta(document, "og:title")) == 1 and meta(document, "og:site_name") == ["Broadsheet"]
        assert meta(document, "twitter:card")[0] in ("summary", "summary_large_image")
        assert meta(document, "og:image") == meta(document, "twitter:image") != []


def test_article_opengraph(output: Path) -> None:
    document = head(output, "2024/05/01/rates/index.html")
    assert meta(document, "og:type") == ["article"]
    assert meta(document, "og:title") == ['Rates <rise> & "markets" ]]> fall']
    (image,) = meta(document, "og:image")
    assert SOCIAL.fullmatch(image), image
    assert meta(document, "twitter:image") == [image]
    from PIL import Image

    with Image.open(output / image.removeprefix(BASE)) as shared:
        assert shared.format == "JPEG"
        assert [str(shared.width), str(shared.height)] == meta(document, "og:image:width") + meta(document, "og:image:height")
        assert shared.height == round(shared.width * 630 / 1200)  # 1200x630, or that shape for a smaller original
    assert meta(document, "twitter:card") == ["summary_large_image"]
    assert meta(document, "article:section") == ["Business"]
    assert meta(document, "article:tag") == ["Economy", "Banks"]
    assert meta(head(output, "index.html"), "og:type") == ["website"]


def test_news_article_json_ld(output: Path) -> None:
    (data,) = json_ld(head(output, "2024/05/02/budget/index.html"))
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert data["headline"] == "Budget day"
    assert data["datePublished"] == "2024-05-02T18:00:00+00:00"
    assert data["dateModified"] == "2024-05-03T08:15:00+01:00"
    assert data["articleSection"] == "Politics"
    assert data["author"] == [{"@type": "Person", "name": "Ann Lee", "url": BASE + "authors/ann-lee/"}]
    assert data["publisher"]["name"] == "The Daily Test"
    assert LEAD.fullmatch(data["publisher"]["logo"]["url"])
    (rates,) = json_ld(head(output, "2024/05/01/rates/index.html"))
    assert [a["name"] for a in rates["author"]] == ["Ann Lee", "Bob Roe"]
    assert len(rates["image"]) == 1 and LEAD.fullmatch(rates["image"][0])


def test_json_ld_cannot_break_out_of_its_script(output: Path) -> None:
    raw = (output / "2024/03/01/script/index.html").read_text("utf-8")
    block = raw[raw.index('<script type="application/ld+json">') :]
    block = block[: block.index("</script>")]
    assert "<" not in block.removeprefix('<script type="application/ld+json">')
    document = lxml.html.fromstring(raw)
    assert document.xpath("//script[not(@type)]") == []
    (data,) = json_ld(document.find("head"))
    assert data["headline"] == "Breakout </script><script>alert(1)</script> & <!-- x"


def test_list_pages_have_no_article_json_ld(output: Path) -> None:
    assert json_ld(head(output, "index.html")) == []
    assert json_ld(head(output, "tags/economy/index.html")) == []


def test_full_image_urls_are_used_as_they_are(output: Path) -> None:
    document = lxml.html.fromstring((output / "2024/02/01/cdn/index.html").read_bytes())
    assert meta(document, "og:image") == ["https://cdn.example/a.jpg"]
    assert json_ld(document.find("head"))[0]["image"] == ["https://cdn.example/a.jpg"]
    assert document.xpath("//figure//img/@src") == ["https://cdn.example/a.jpg"]


def test_image_credit_is_in_json_ld(output: Path) -> None:
    document = lxml.html.fromstring((output / "2024/01/15/credited/index.html").read_bytes())
    assert json_ld(document.find("head"))[0]["image"] == [{
        "@type": "ImageObject", "url": "https://cdn.example/b.jpg", "contentUrl": "https://cdn.example/b.jpg",
        "creditText": "Mei Chen / Wire", "caption": "The quay",
    }]


def test_image_credit_is_shown_with_the_caption(output: Path) -> None:
    document = lxml.html.fromstring((output / "2024/01/15/credited/index.html").read_bytes())
    (caption,) = document.xpath("//figure[@class='lead-image']/figcaption")
    assert caption.text_content() == "The quay Mei Chen / Wire"
    assert caption.xpath("span[@class='credit']/text()") == ["Mei Chen / Wire"]
