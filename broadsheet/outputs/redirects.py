"""Redirects from old paths (Hugo's ``aliases``, Jekyll's ``redirect_from``) for hosts that read a rules file.

Every old path also gets an HTML page with a canonical link and a meta refresh (any host); these
files let a host answer with a real 301 instead: ``_redirects`` (Netlify, Cloudflare Pages) and an
nginx ``map`` file. Paths are relative to the site base, as ``urls.py`` gives them.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

REDIRECTS_FILE = "_redirects"
NGINX_MAP_FILE = "redirects.nginx.map"


def alias_path(alias: str, url: str) -> str:
    """An article's old path as a site path: a relative one (``./old/``) sits beside the article's URL."""
    if not alias.startswith("./"):
        return alias
    return posixpath.join(posixpath.dirname(url.rstrip("/")), alias[2:]).lstrip("/")


def netlify_redirects(redirects: Iterable[tuple[str, str]], base_path: str) -> bytes:
    """``_redirects``: one ``/old /new 301`` rule a line, sorted by old path."""
    lines = [f"{base_path}{old} {base_path}{new} 301" for old, new in sorted(redirects)]
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def nginx_map(redirects: Iterable[tuple[str, str]], base_path: str) -> bytes:
    """Entries for an nginx ``map $uri $new_uri { include ...; }`` block; folders with and without '/'."""
    lines = [
        "# Redirects from old paths. In nginx's http block:",
        "#   map $uri $broadsheet_redirect { include /path/to/redirects.nginx.map; }",
        "# and in the server block:",
        "#   if ($broadsheet_redirect) { return 301 $broadsheet_redirect; }",
    ]
    for old, new in sorted(redirects):
        sources = [old, old.rstrip("/")] if old.endswith("/") else [old]
        lines.extend(f"{_quoted(base_path + source)} {_quoted(base_path + new)};" for source in sources)
    return ("\n".join(lines) + "\n").encode("utf-8")


def _quoted(path: str) -> str:
    return '"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"'
