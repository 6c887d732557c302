"""Body images with a title become figures, whichever engine converted the body.

``![The canal at dusk](images/canal.jpg "Stalls reopen")`` alone in its paragraph becomes
``<figure>`` with the image and a ``<figcaption>`` holding the title (the title attribute goes:
the caption already shows it). Images inside text, or without a title, stay as they are.

Python-Markdown makes the figure while it builds its tree (``mdfigures.py``: after ``attr_list``,
so ``{: .wide}`` is applied first); this HTML step, one of ``markdown.BODY_STEPS``, does the same
to what any other engine writes (both write ``<p><img alt=... src=... title=...></p>``), so a
figure is written the same way by either.
"""

from __future__ import annotations

import html
import re

# A paragraph holding one image and nothing else, its attributes as both engines write them.
_LONE_IMAGE = re.compile(r'<p>\s*<img((?:\s+[\w:-]+="[^"]*")*)\s*/?>\s*</p>')
_TITLE = re.compile(r'\s+title="([^"]*)"')


def _figure(match: re.Match[str]) -> str:
    attributes = match.group(1)
    title = _TITLE.search(attributes)
    caption = " ".join(html.unescape(title.group(1)).split()) if title else ""
    if not caption:
        return match.group(0)
    image = attributes[: title.start()] + attributes[title.end():]  # type: ignore[union-attr]
    return f"<figure>\n<img{image}>\n<figcaption>{html.escape(caption, quote=False)}</figcaption>\n</figure>"


def lone_images(fragment: str) -> str:
    """``fragment`` with each captioned lone image made a ``<figure>``."""
    return _LONE_IMAGE.sub(_figure, fragment) if "<img" in fragment else fragment
