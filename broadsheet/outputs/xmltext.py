"""Text and HTML made safe for XML documents that leave the site (feeds, sitemaps)."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

# Everything outside XML 1.0's Char production: C0 controls but tab/LF/CR, surrogates, U+FFFE/U+FFFF.
_FORBIDDEN = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: str) -> str:
    """``value`` without the characters XML 1.0 cannot carry at all."""
    return _FORBIDDEN.sub("", value)


# Attributes that hold a URL (srcset holds several), in any of HTML's three quoting styles,
# looked for only in start tags that have an attribute value at all ("<p>" has none).
_TAG = re.compile(r"<[A-Za-z][^>=]*=[^>]*>")
_URL_ATTRIBUTE = re.compile(
    r"""(?P<name>\s(?:href|src|srcset|poster|cite|action|longdesc|usemap|background|formaction)\s*=\s*)"""
    r"""(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'=<>`]+))""",
    re.IGNORECASE,
)


# A URL with its own scheme and host joins to the same result against every base of one
# scheme (urljoin reads no further into the base), so those joins are remembered by scheme.
_OWN_HOST = re.compile(r"https?://[^/?#\t\n\r]", re.IGNORECASE)
_JOINED: dict[tuple[str, str], str] = {}
_JOINED_MAX = 65536


def absolute_html(fragment: str, base: str) -> str:
    """An HTML fragment with every link and source made absolute against ``base``.

    Covers ``href``, ``src``, ``srcset``, ``poster`` and the other URL
    attributes, so a feed reader (which has no page URL to resolve against)
    shows images and links. Only attribute values inside tags change; text is
    left byte for byte. (Parsing and re-serialising each body with lxml did
    the same at six times the cost, most of a large site's feed time.)
    """
    scheme = urlsplit(base).scheme

    def attribute(match: re.Match[str]) -> str:
        return _absolute_attribute(match, base, scheme)

    return _TAG.sub(lambda tag: _URL_ATTRIBUTE.sub(attribute, tag.group()), xml_text(fragment))


def _join(base: str, scheme: str, url: str) -> str:
    """``urljoin(base, url)``; ``scheme`` is the base's."""
    if not _OWN_HOST.match(url):
        return urljoin(base, url)
    key = (scheme, url)
    joined = _JOINED.get(key)
    if joined is None:
        joined = urljoin(base, url)
        if len(_JOINED) < _JOINED_MAX:
            _JOINED[key] = joined
    return joined


def _absolute_attribute(match: re.Match[str], base: str, scheme: str) -> str:
    name, dq, sq, bare = match.groups()
    quote, value = ('"', dq) if dq is not None else ("'", sq) if sq is not None else ("", bare)
    try:
        if name.strip().lower().startswith("srcset"):
            value = _absolute_srcset(value, base)
        else:
            value = _join(base, scheme, value.strip())
    except ValueError:  # not a URL urljoin can read ("http://[oops"): leave it as written
        pass
    return f"{name}{quote}{value}{quote}"


def _absolute_srcset(srcset: str, base: str) -> str:
    candidates = []
    for candidate in srcset.split(","):
        parts = candidate.split()
        if parts:
            candidates.append(" ".join([urljoin(base, parts[0]), *parts[1:]]))
    return ", ".join(candidates)
