"""Check a built site: every internal link, image and asset resolves, every feed parses.

References are resolved the way a browser would: against the page's own URL
under ``base_url``, so a root-relative ``/x/`` on a site served from ``/news/``
is reported as broken. Full URLs count as internal only when they start with
``base_url``; those are checked too (canonical, OpenGraph, feed and sitemap links).
A full URL in a link (``<a>``, ``<area>``) is one a writer typed (the theme and
Markdown link to the site's own pages with site paths): it may name a page of the
publisher's host that this build does not make, so it is not checked.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html
from lxml import etree

from broadsheet.errors import BuildFailed, SiteError

# (tag, attribute, what it is) for every HTML reference a browser follows or loads.
_HTML_REFS: tuple[tuple[str, str, str], ...] = (
    ("a", "href", "link"),
    ("area", "href", "link"),
    ("link", "href", "link"),
    ("img", "src", "image"),
    ("img", "srcset", "image"),
    ("source", "src", "asset"),
    ("source", "srcset", "image"),
    ("script", "src", "asset"),
    ("iframe", "src", "asset"),
    ("audio", "src", "asset"),
    ("video", "src", "asset"),
    ("video", "poster", "image"),
    ("track", "src", "asset"),
    ("embed", "src", "asset"),
    ("object", "data", "asset"),
)
# <meta> whose content is a URL of this site (OpenGraph, Twitter card).
_META_URLS = {"og:url", "og:image", "twitter:image"}
# <meta http-equiv="refresh" content="0; url=...">: a redirect page's target.
_REFRESH_URL = re.compile(r"""^\s*\d*(?:\.\d*)?\s*[;,]\s*url\s*=\s*(['"]?)(.+?)\1\s*$""", re.IGNORECASE)
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
_SKIP_SCHEMES = {"mailto", "tel", "data", "javascript", "sms", "ftp"}


@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)
    pages: int = 0
    feeds: int = 0
    references: int = 0


@dataclass(frozen=True)
class _Site:
    output: Path
    base_url: str
    anchors: dict[Path, set[str]] = field(default_factory=dict)

    @property
    def base_path(self) -> str:
        return urlsplit(self.base_url).path or "/"

    def url_of(self, rel: str) -> str:
        return self.base_url + rel

    def ids(self, page: Path) -> set[str]:
        if page not in self.anchors:
            try:
                document = lxml.html.fromstring(page.read_bytes())
                self.anchors[page] = set(document.xpath("//@id | //a/@name"))
            except (etree.ParserError, ValueError):
                self.anchors[page] = set()
        return self.anchors[page]

    def problem(self, page_url: str, ref: str) -> str | None:
        """What is wrong with a reference into the site; None if it resolves or leaves the site."""
        parts = urlsplit(ref)
        if parts.scheme.lower() in _SKIP_SCHEMES:
            return None
        absolute = urljoin(page_url, ref)
        if (parts.scheme or parts.netloc) and not absolute.startswith(self.base_url):
            return None  # a full URL of another site (or of pages beside this one on its host)
        target = urlsplit(absolute)
        if not target.path.startswith(self.base_path):
            return "outside the site"
        rel = unquote(target.path[len(self.base_path) :])
        path = self.output / (rel + "index.html" if rel == "" or rel.endswith("/") else rel)
        if not path.is_file():
            path = path / "index.html"
            if not path.is_file():
                return "missing"
        fragment = unquote(target.fragment)
        if fragment and path.suffix == ".html" and fragment not in self.ids(path):
            return f"no element with id '{fragment}'"
        return None


def _srcset_urls(value: str) -> list[str]:
    return [c.split()[0] for c in value.split(",") if c.split()]


def _full_url(ref: str) -> bool:
    parts = urlsplit(ref)
    return bool(parts.scheme or parts.netloc)


def _html_refs(path: Path) -> Iterator[tuple[str, str]]:
    document = lxml.html.fromstring(path.read_bytes())
    for tag, attribute, kind in _HTML_REFS:
        for element in document.iter(tag):
            value = (element.get(attribute) or "").strip()
            if not value or (tag in ("a", "area") and _full_url(value)):
                continue
            for ref in _srcset_urls(value) if attribute == "srcset" else [value]:
                yield kind, ref
    for element in document.iter("meta"):
        if (element.get("property") or element.get("name")) in _META_URLS and element.get("content"):
            yield "link", element.get("content", "").strip()
        elif (element.get("http-equiv") or "").lower() == "refresh":
            refresh = _REFRESH_URL.match(element.get("content") or "")
            if refresh:
                yield "redirect", refresh.group(2).strip()


def _xml_refs(root: etree._Element) -> Iterator[str]:
    """Links a feed or sitemap points at: RSS link/guid, Atom link href, sitemap loc."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element).localname
        if name == "loc" or (name == "link" and element.text and element.text.strip()):
            yield (element.text or "").strip()
        elif name == "guid" and element.get("isPermaLink", "true") == "true" and element.text:
            yield element.text.strip()
        elif name == "link" and element.get("href"):
            yield element.get("href", "")


def _json_refs(document: object) -> Iterator[str]:
    if isinstance(document, dict):
        for key in ("home_page_url", "feed_url", "url", "image"):
            value = document.get(key)
            if isinstance(value, str):
                yield value
        for item in document.get("items") or []:
            yield from _json_refs(item)


def check_output(output: Path, base_url: str, sources: Sequence[Path] = ()) -> CheckReport:
    """Every broken reference and malformed feed under ``output``, one message each.

    A broken reference written in one of ``sources`` (the site's Markdown and
    ``authors.yml``) is reported once, by that file and line, however many
    pages show it (a story's body is on its page, on list pages and in feeds);
    the rest, once per output file that holds them.
    """
    if not output.is_dir():
        raise BuildFailed([SiteError(str(output), "output folder not found; build the site first")])
    site = _Site(output, base_url if base_url.endswith("/") else base_url + "/")
    report = CheckReport()
    broken: dict[str, tuple[str, list[tuple[int, str]]]] = {}  # message -> (reference, where in the walk, output file)
    shown_root = output.as_posix().rstrip("/")
    for path in sorted(p for p in output.rglob("*") if p.is_file()):
        rel = path.relative_to(output).as_posix()
        shown = f"{shown_root}/{rel}"
        page_url = site.url_of(rel)
        refs: list[tuple[str, str]] = []
        suffix = path.suffix.lower()
        if suffix in (".html", ".htm"):
            report.pages += 1
            try:
                refs = list(_html_refs(path))
            except (etree.ParserError, ValueError) as exc:
                report.problems.append(f"{shown}: cannot parse HTML: {exc}")
        elif suffix == ".css":
            refs = [("asset", m.group(2).strip()) for m in _CSS_URL.finditer(path.read_text("utf-8", "replace"))]
        elif suffix == ".xml":
            report.feeds += 1
            try:
                refs = [("link", ref) for ref in _xml_refs(etree.parse(str(path)).getroot())]
            except etree.XMLSyntaxError as exc:
                report.problems.append(f"{shown}: not well-formed XML: {exc}")
        elif rel == "robots.txt":
            text = path.read_text("utf-8", "replace")
            refs = [("link", m.group(1)) for m in re.finditer(r"(?im)^sitemap:\s*(\S+)", text)]
        elif suffix == ".json":
            report.feeds += 1
            try:
                refs = [("link", ref) for ref in _json_refs(json.loads(path.read_bytes()))]
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                report.problems.append(f"{shown}: not valid JSON: {exc}")
        for kind, ref in dict.fromkeys(refs):
            report.references += 1
            problem = site.problem(page_url, ref)
            if problem is not None:
                what = "link to" if kind == "link" else f"{kind} reference to"
                note = f" ({problem})" if problem.startswith("no element") else ""
                broken.setdefault(f"broken {what} {ref}{note}", (ref, []))[1].append((report.references, shown))
    report.problems.extend(_by_source(broken, sources))
    return report


def _by_source(broken: dict[str, tuple[str, list[tuple[int, str]]]], sources: Sequence[Path]) -> list[str]:
    """One line per broken reference: by the source file and line that write it, else by each output file."""
    texts: list[tuple[str, str, list[str]]] = []  # each source's name, whole text and lines
    for source in sources:
        try:
            text = source.read_text("utf-8", "replace")
        except OSError:
            continue
        texts.append((source.as_posix(), text, text.splitlines()))
    by_source: list[tuple[str, int, str]] = []
    by_page: list[tuple[int, str]] = []
    for message, (ref, pages) in broken.items():
        written = re.compile(r"(?:^|(?<=[(\s\"'<=:\[]))" + re.escape(ref) + r"(?=$|[)\s\"'>\]])")
        found = False
        for name, whole, lines in texts:
            if ref not in whole:  # most sources do not name it: one substring search, not a regex per line
                continue
            line = next((n for n, text in enumerate(lines, start=1) if written.search(text)), None)
            if line is not None:
                found = True
                shown_on = f" (on {len(pages)} pages)" if len(pages) > 1 else ""
                by_source.append((name, line, f"{name}:{line}: {message}{shown_on}"))
        if not found:
            by_page.extend((seq, f"{page}: {message}") for seq, page in pages)
    return [text for _name, _line, text in sorted(by_source)] + [text for _seq, text in sorted(by_page)]
