"""imagerefs.py: which local photos a story uses, and the line each is named on."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from broadsheet.markup.markdown import render_article
from broadsheet.model.content import parse_article
from broadsheet.model.imagerefs import (
    ImageRef,
    body_images,
    is_photo,
    local_path,
    named_image,
    story_images,
    unique_paths,
)

FILE = """---
title: Night market
date: 2026-10-02
image: images/night-market.jpg
image_credit: Mei Chen
---

The stalls reopened.

![Lanterns over the canal](images/lanterns.jpg "Lanterns over the canal")

A map: ![](images/map.svg) and a wire photo ![](https://example.org/wire.jpg).

![Again](/images/lanterns.jpg)

<img src="images/raw&amp;html.png" alt="">
"""


@pytest.mark.parametrize(
    ("src", "path"),
    [
        ("images/a.jpg", "images/a.jpg"),
        ("/images/a.jpg", "images/a.jpg"),
        ("/static/images/a.jpg", "images/a.jpg"),  # the published URL, as Jekyll and Hugo front matter writes it
        ("./images//a.jpg?v=2#x", "images/a.jpg"),
        ("https://example.org/a.jpg", None),
        ("//cdn.example.org/a.jpg", None),
        ("data:image/png;base64,AAAA", None),
        ("  ", None),
        ("../secret.jpg", "../secret.jpg"),
    ],
)
def test_local_path(src: str, path: str | None) -> None:
    assert local_path(src) == path


def test_photos_are_rasters() -> None:
    assert is_photo("images/A.JPG") and is_photo("x.heic") and is_photo("logo.png")
    assert not is_photo("images/map.svg") and not is_photo("feed.xml")


def test_body_images_from_rendered_html() -> None:
    assert body_images('<p><img alt="" src="a.jpg"><img src=\'b&amp;c.png\' alt=""><img src="a.jpg"></p>') == ["a.jpg", "b&c.png"]


def test_story_images_with_their_lines() -> None:
    article = parse_article(FILE.encode(), "content/city/market.md", ZoneInfo("UTC"))
    rendered = render_article(article, "en")
    refs = story_images(article.source, article.image, rendered.html, FILE)
    assert refs == [
        ImageRef("images/night-market.jpg", "content/city/market.md", "images/night-market.jpg", "image", 4),
        ImageRef("images/lanterns.jpg", "content/city/market.md", "images/lanterns.jpg", "body", 10),
        ImageRef("images/lanterns.jpg", "content/city/market.md", "/images/lanterns.jpg", "body", 14),
        ImageRef("images/raw&html.png", "content/city/market.md", "images/raw&html.png", "body", 16),
    ]
    assert unique_paths(refs) == ["images/night-market.jpg", "images/lanterns.jpg", "images/raw&html.png"]
    assert [ref.line for ref in story_images(article.source, article.image, rendered.html)] == [None] * 4
    assert str(refs[1].error("damaged image: the file is truncated")) == (
        "content/city/market.md:10: image 'images/lanterns.jpg': damaged image: the file is truncated"
    )


def test_lead_image_url_and_svg_are_not_photos() -> None:
    assert story_images("a.md", "https://example.org/a.jpg", "", "image: https://example.org/a.jpg") == []
    assert story_images("a.md", "images/skyline.svg", "", "image: images/skyline.svg") == []


def test_profile_photo_and_logo() -> None:
    authors = "Lin Xiao:\n  role: Reporter\n  photo: images/lin-xiao.jpg\n"
    ref = named_image("images/lin-xiao.jpg", "content/authors.yml", "photo", authors)
    assert ref == ImageRef("images/lin-xiao.jpg", "content/authors.yml", "images/lin-xiao.jpg", "photo", 3)
    assert str(ref.error("image file not found: static/images/lin-xiao.jpg")) == (
        "content/authors.yml:3: photo 'images/lin-xiao.jpg': image file not found: static/images/lin-xiao.jpg"
    )
    assert named_image("images/logo.svg", "site.toml", "logo") is None
    assert named_image("", "site.toml", "logo") is None
