"""Redirects from a story's old paths (Hugo's ``aliases``, Jekyll's ``redirect_from``).

Each old path gets an HTML page with a canonical link and a meta refresh, which any host serves;
a site with aliases also gets ``_redirects`` (Netlify, Cloudflare Pages) and an nginx map, which
let a host answer with a real 301. None of them is in the sitemap.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from broadsheet.model.site import Site, Story
from broadsheet.outputs.redirects import NGINX_MAP_FILE, REDIRECTS_FILE, alias_path, netlify_redirects, nginx_map
from broadsheet.pages.keys import KeyData
from broadsheet.pages.kinds import Page, PageKind, Rendering


def redirects(stories: Iterable[Story]) -> list[tuple[str, str, Story]]:
    """Every old path, the story's URL it leads to, and the story, in the stories' order."""
    out: list[tuple[str, str, Story]] = []
    for story in stories:
        for alias in story.article.aliases:
            old = alias_path(alias, story.url)
            if old != story.url:
                out.append((old, story.url, story))
    return out


def plan_redirects(kind: PageKind, site: Site, planned: Sequence[Page]) -> Iterable[Page]:
    """A page at each old path; one that another page has is an error naming both (``plan``)."""
    for old, _new, story in redirects(site.stories):
        yield Page(old, "redirect", story.article.source, kind, "redirect.html", {"story": story})


def plan_rules(kind: PageKind, site: Site, planned: Sequence[Page]) -> Iterable[Page]:
    """The rules files, only for a site with old paths (in any edition)."""
    rules = tuple((old, new) for old, new, _story in redirects(site.all_stories))
    if rules:
        yield Page(REDIRECTS_FILE, "redirect-rules", "redirect rules", kind, None, {"rules": rules})
        yield Page(NGINX_MAP_FILE, "redirect-rules", "redirect rules", kind, None, {"rules": rules})


def redirect_key(keys: KeyData, page: Page) -> str:
    """A redirect page shows its story's URL, title and language; a rules file, every old and new path."""
    if "story" in page.data:
        story: Story = page.data["story"]
        return keys.page(page, story.url, story.article.title, story.article.lang)
    return keys.page(page, page.data["rules"])


def render_rules(renderer: Rendering, page: Page) -> bytes:
    """``_redirects`` or the nginx map, under the site's base path."""
    base_path = renderer.site.settings.base_path
    write = netlify_redirects if page.url == REDIRECTS_FILE else nginx_map
    return write(page.data["rules"], base_path)


REDIRECTS = PageKind("redirects", plan_redirects, key=redirect_key, listed=False)
RULES = PageKind("redirect-rules", plan_rules, key=redirect_key, render=render_rules, listed=False)
