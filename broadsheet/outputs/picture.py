"""``<picture>`` markup for a processed photo: one ``<source>`` per modern format, the fallback in ``<img>``.

The ``<img>`` carries ``width`` and ``height`` (the largest published size, so
the browser reserves the right shape before any byte arrives), ``srcset`` and
``sizes``, ``decoding="async"``, and ``loading="lazy"``; the one lead image at
the top of a page (the front page's, an article's) is fetched at once with
``fetchpriority="high"`` instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from html.parser import HTMLParser

from markupsafe import Markup, escape

from broadsheet.model.imagerefs import body_path, local_path
from broadsheet.outputs.processed import ProcessedImage, Variant

# What a photo shows across the theme's column on a phone and on a wide screen.
DEFAULT_SIZES = "(min-width: 56rem) 56rem, 100vw"
# A photo in a story's body spans the text column (--measure, 38rem).
BODY_SIZES = "(min-width: 40rem) 38rem, 100vw"
# The <img src> for browsers without srcset: the first fallback at least this wide.
SRC_WIDTH = 800
# Pagefind shows this image beside the page in search results.
SEARCH_IMAGE = 'data-pagefind-meta="image[src]"'


def srcset(variants: tuple[Variant, ...], url: Callable[[str], str]) -> str:
    """``a-480.avif 480w, a-800.avif 800w``: each variant's URL and width, narrowest first."""
    return ", ".join(f"{url(v.path)} {v.width}w" for v in sorted(variants, key=lambda v: v.width))


def picture(
    image: ProcessedImage, url: Callable[[str], str], *, alt: str = "", sizes: str = DEFAULT_SIZES,
    lead: bool = False, css_class: str | None = None, title: str | None = None, search_image: bool = False,
) -> Markup:
    """The ``<picture>`` element for ``image``; ``url`` turns a static-folder path into the page's link to it."""
    sizes_attr = escape(sizes)
    parts = ["<picture>"]
    for fmt in image.formats[:-1]:
        variants = image.of_format(fmt)
        parts.append(f'<source type="{variants[0].mime}" srcset="{escape(srcset(variants, url))}" sizes="{sizes_attr}">')
    fallback = image.of_format(image.fallback)
    largest = max(fallback, key=lambda v: v.width)
    src = next((v for v in sorted(fallback, key=lambda v: v.width) if v.width >= SRC_WIDTH), largest)
    attrs = [
        f'src="{escape(url(src.path))}"',
        f'srcset="{escape(srcset(fallback, url))}"',
        f'sizes="{sizes_attr}"',
        f'width="{largest.width}"',
        f'height="{largest.height}"',
        f'alt="{escape(alt)}"',
        'decoding="async"',
        'fetchpriority="high"' if lead else 'loading="lazy"',
    ]
    if css_class:
        attrs.insert(0, f'class="{escape(css_class)}"')
    if title:
        attrs.append(f'title="{escape(title)}"')
    if search_image:
        attrs.append(SEARCH_IMAGE)
    parts.append(f"<img {' '.join(attrs)}>")
    parts.append("</picture>")
    return Markup("".join(parts))


class Pictures:
    """The theme's image helpers for one build: ``picture``, ``social_image`` and the ``pictures`` body filter.

    ``photos`` maps a static-folder path to its processed image (the photo stage's); ``url`` turns an
    output path (``static/images/a-480.1f2e3d4c.jpg``) into the page's link to it. A path that was not
    processed (an SVG, a full URL) gets a plain ``<img>``.
    """

    def __init__(self, photos: Mapping[str, ProcessedImage], url: Callable[[str], str], asset: Callable[[str], str]) -> None:
        self.photos = photos
        self.url = url
        self.asset = asset  # a path as written (``images/a.svg``) → its output path, for a file published as it is

    def processed(self, path: str | None) -> ProcessedImage | None:
        local = local_path(path or "")
        return self.photos.get(local) if local else None

    def static(self, rel: str) -> str:
        return self.url(f"static/{rel}")

    def picture(
        self, path: str, alt: str = "", lead: bool = False, sizes: str = DEFAULT_SIZES, css_class: str | None = None,
        width: int | None = None, height: int | None = None, search_image: bool = False,
    ) -> Markup:
        """``<picture>`` for a processed photo, else an ``<img>`` as lazy (or eager) and sized as it can be."""
        image = self.processed(path)
        if image is not None:
            return picture(image, self.static, alt=alt, sizes=sizes, lead=lead, css_class=css_class, search_image=search_image)
        attrs = [f'src="{escape(self.url(self.asset(path)))}"']
        if css_class:
            attrs.insert(0, f'class="{escape(css_class)}"')
        if width and height:
            attrs += [f'width="{width}"', f'height="{height}"']
        attrs += [f'alt="{escape(alt)}"', 'decoding="async"', 'fetchpriority="high"' if lead else 'loading="lazy"']
        if search_image:
            attrs.append(SEARCH_IMAGE)
        return Markup(f"<img {' '.join(attrs)}>")

    def social_image(self, path: str | None) -> str:
        """The output path of the image to share a page with: the 1200x630 crop, a processed photo's
        largest fallback, a full URL as it is; "" for an SVG or nothing (social sites show no SVG)."""
        if not path:
            return ""
        image = self.processed(path)
        if image is not None:
            shown = image.social or max(image.of_format(image.fallback), key=lambda v: v.width)
            return f"static/{shown.path}"
        if path.lower().split("?", 1)[0].endswith(".svg") or path.startswith("data:"):
            return ""
        return self.asset(path)

    def social_size(self, path: str | None) -> tuple[int, int] | None:
        image = self.processed(path)
        if image is None:
            return None
        shown = image.social or max(image.of_format(image.fallback), key=lambda v: v.width)
        return shown.width, shown.height

    def pictures(self, html: object) -> Markup:
        """A story body with each processed photo's ``<img>`` as ``<picture>``: the engine's HTML, whichever made it."""
        text = str(html)
        if "<img" not in text or not self.photos:
            return Markup(text)

        def replace(match: re.Match[str]) -> str:
            attrs = _attributes(match.group(0))
            src = body_path(attrs.get("src") or "")
            image = self.photos.get(src) if src else None
            if image is None:
                return match.group(0)
            return str(picture(image, self.static, alt=attrs.get("alt") or "", sizes=BODY_SIZES, css_class=attrs.get("class"),
                               title=attrs.get("title")))

        return Markup(_IMG_TAG.sub(replace, text))

    def feed_body(self, html: str) -> str:
        """A story body as a feed carries it: each local image names the file the build published.

        A processed photo becomes a plain ``<img>`` of its ``SRC_WIDTH`` fallback (feed readers drop
        ``<picture>`` and ``srcset``) with its size; another local image (an SVG) its published path.
        Links stay site-relative here; the feed makes every URL absolute.
        """
        if "<img" not in html:
            return html

        def replace(match: re.Match[str]) -> str:
            tag = match.group(0)
            attrs = _attributes(tag)
            src = body_path(attrs.get("src") or "")
            if not src:
                return tag
            image = self.photos.get(src)
            if image is None:
                return _with_src(tag, self.url(self.asset(src)))
            fallback = sorted(image.of_format(image.fallback), key=lambda v: v.width)
            shown = next((v for v in fallback if v.width >= SRC_WIDTH), fallback[-1])
            parts = [f'src="{escape(self.static(shown.path))}"', f'width="{shown.width}"', f'height="{shown.height}"',
                     f'alt="{escape(attrs.get("alt") or "")}"']
            if attrs.get("title"):
                parts.append(f'title="{escape(attrs["title"])}"')
            return f"<img {' '.join(parts)}>"

        return _IMG_TAG.sub(replace, html)


def _with_src(tag: str, src: str) -> str:
    """``tag`` (one ``<img ...>``) with its ``src`` attribute's value replaced."""
    return _SRC_ATTRIBUTE.sub(lambda m: f'{m.group(1)}"{escape(src)}"', tag, count=1)


_SRC_ATTRIBUTE = re.compile(r'(\ssrc\s*=\s*)(?:"[^"]*"|\'[^\']*\'|[^\s>]+)', re.IGNORECASE)
_IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)


def _attributes(tag: str) -> dict[str, str]:
    """The attributes of one ``<img ...>`` tag, entities decoded (by the standard library's HTML parser)."""
    found: dict[str, str] = {}

    class _Parser(HTMLParser):
        def handle_starttag(self, name: str, attrs: list[tuple[str, str | None]]) -> None:
            found.update((key, value or "") for key, value in attrs)

        handle_startendtag = handle_starttag

    _Parser(convert_charrefs=True).feed(tag)
    return found
