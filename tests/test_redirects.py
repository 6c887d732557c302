"""redirects.py: old paths as rules files for hosts that answer with a real 301."""

from __future__ import annotations

import pytest

from broadsheet.outputs.redirects import alias_path, netlify_redirects, nginx_map

REDIRECTS = [("2019/11/ferry-fares.html", "2019/11/ferry-fares/"), ("news/ferry-fares-frozen/", "2019/11/ferry-fares/")]


@pytest.mark.parametrize(
    ("alias", "url", "expected"),
    [
        ("2019/11/old.html", "2019/11/new/", "2019/11/old.html"),
        ("./dredging/", "harbour/dredging-begins/", "harbour/dredging/"),
        ("./old.html", "briefs/agenda.html", "briefs/old.html"),
        ("./old/", "top-level/", "old/"),
    ],
)
def test_alias_path(alias: str, url: str, expected: str) -> None:
    assert alias_path(alias, url) == expected


def test_netlify_and_cloudflare_rules_under_the_base_path() -> None:
    assert netlify_redirects(REDIRECTS, "/news/").decode() == (
        "/news/2019/11/ferry-fares.html /news/2019/11/ferry-fares/ 301\n"
        "/news/news/ferry-fares-frozen/ /news/2019/11/ferry-fares/ 301\n"
    )
    assert netlify_redirects([], "/") == b""


def test_nginx_map_lists_folders_with_and_without_the_slash() -> None:
    lines = [line for line in nginx_map([*REDIRECTS, ('say-"hi"/', "x/")], "/").decode().splitlines() if not line.startswith("#")]
    assert lines == [
        '"/2019/11/ferry-fares.html" "/2019/11/ferry-fares/";',
        '"/news/ferry-fares-frozen/" "/2019/11/ferry-fares/";',
        '"/news/ferry-fares-frozen" "/2019/11/ferry-fares/";',
        '"/say-\\"hi\\"/" "/x/";',
        '"/say-\\"hi\\"" "/x/";',
    ]
