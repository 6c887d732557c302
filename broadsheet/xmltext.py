"""Text and HTML made safe for XML documents that leave the site (feeds, sitemaps)."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urljoin

import lxml.html

# Everything outside XML 1.0's Char production: C0 controls but tab/LF/CR, surrogates, U+FFFE/U+FFFF.
_FORBIDDEN = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: str) -> str:
    """``value`` without the characters XML 1.0 cannot carry at all."""
    return _FORBIDDEN.sub("", value)


@lru_cache(maxsize=4096)  # a story is in several feeds (site, authors, tags, section)
def absolute_html(fragment: str, base: str) -> str:
    """An HTML fragment with every link and source made absolute against ``base``.

    Covers ``href``, ``src``, ``srcset``, ``poster`` and the rest lxml knows, so a
    feed reader (which has no page URL to resolve against) shows images and links.
    """
    fragment = xml_text(fragment)
    if not fragment.strip():
        return fragment
    wrapper = lxml.html.fragment_fromstring(fragment, create_parent="div")
    wrapper.make_links_absolute(base, resolve_base_href=False, handle_failures="ignore")
    for element in wrapper.iter():
        srcset = element.get("srcset") if isinstance(element.tag, str) else None
        if srcset:
            element.set("srcset", _absolute_srcset(srcset, base))
    inner = lxml.html.tostring(wrapper, encoding="unicode")
    return inner[len("<div>") : -len("</div>")]


def _absolute_srcset(srcset: str, base: str) -> str:
    candidates = []
    for candidate in srcset.split(","):
        parts = candidate.split()
        if parts:
            candidates.append(" ".join([urljoin(base, parts[0]), *parts[1:]]))
    return ", ".join(candidates)
