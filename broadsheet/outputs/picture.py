"""``<picture>`` markup for a processed photo: one ``<source>`` per modern format, the fallback in ``<img>``.

The ``<img>`` carries ``width`` and ``height`` (the largest published size, so
the browser reserves the right shape before any byte arrives), ``srcset`` and
``sizes``, ``decoding="async"``, and ``loading="lazy"``; the one lead image at
the top of a page (the front page's, an article's) is fetched at once with
``fetchpriority="high"`` instead.
"""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup, escape

from broadsheet.outputs.images import ProcessedImage, Variant

# What a photo shows across the theme's column on a phone and on a wide screen.
DEFAULT_SIZES = "(min-width: 56rem) 56rem, 100vw"
# The <img src> for browsers without srcset: the first fallback at least this wide.
SRC_WIDTH = 800


def srcset(variants: tuple[Variant, ...], url: Callable[[str], str]) -> str:
    """``a-480.avif 480w, a-800.avif 800w``: each variant's URL and width, narrowest first."""
    return ", ".join(f"{url(v.path)} {v.width}w" for v in sorted(variants, key=lambda v: v.width))


def picture(
    image: ProcessedImage, url: Callable[[str], str], *, alt: str = "", sizes: str = DEFAULT_SIZES,
    lead: bool = False, css_class: str | None = None,
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
    parts.append(f"<img {' '.join(attrs)}>")
    parts.append("</picture>")
    return Markup("".join(parts))
