"""The HTML document Pagefind indexes for a story, made from the site model (not from its finished page).

Headline, dek, byline, body, section and tags, in the story's own language (Pagefind's extended
build splits Chinese and Japanese into words); bylines, section and tags are also filters, and the
date and section are shown with each result.
"""

from __future__ import annotations

import html

from broadsheet.model.config import Settings
from broadsheet.model.site import Site, Story


def pagefind_language(tag: str) -> str:
    """Pagefind's name for a language: the tag's primary subtag, lower case (``zh-Hans`` -> ``zh``)."""
    return tag.replace("_", "-").split("-")[0].lower() or "unknown"


def shown_names(site: Site, story: Story) -> tuple[list[str], list[str], str]:
    """The names a story's byline, tags and section show, resolved by its edition's site."""
    section = site.section_of(story)
    return ([t.name for t in site.authors_of(story)], [t.name for t in site.tags_of(story)],
            section.name if section else "")


def document(site: Site, story: Story) -> str:
    """The HTML Pagefind reads for ``story``: what a reader searches for, in the story's language."""
    return document_of(site.settings, story, shown_names(site, story))


def document_of(settings: Settings, story: Story, shown: tuple[list[str], list[str], str], amended: bool = False) -> str:
    """``document`` from the story's edition's settings and the names it shows (``shown_names``);
    ``amended``: for an amendments shard (its fragment's id then differs from the one it supersedes)."""
    from broadsheet.model.locale import format_date  # Babel: loaded by the render stage already

    authors, tags, section = shown
    esc = html.escape
    language = pagefind_language(story.lang or settings.language)
    parts = [f'<!DOCTYPE html><html lang="{esc(language)}"><head><title>{esc(story.title)}</title></head><body>',
             f'<main data-pagefind-body><h1>{esc(story.title)}</h1>',
             f'<span data-pagefind-meta="date:{esc(format_date(story.date, settings.date_format, settings.language))}"></span>',
             f'<span data-pagefind-meta="published:{esc(story.date.isoformat())}"></span>',
             f'<span data-pagefind-sort="published:{esc(story.date.isoformat())}"></span>']
    if section:
        parts.append(f'<span data-pagefind-meta="section:{esc(section)}"></span>')
    if amended:
        parts.append('<span data-pagefind-meta="amended:true"></span>')
    if story.summary:
        parts.append(f"<p>{esc(story.summary)}</p>")
    if authors:
        parts.append("<p>" + " ".join(f'<span data-pagefind-filter="author">{esc(a)}</span>' for a in authors) + "</p>")
    parts.append(story.html)
    if section:
        parts.append(f'<p><span data-pagefind-filter="section">{esc(section)}</span></p>')
    if tags:
        parts.append("<p>" + " ".join(f'<span data-pagefind-filter="tag">{esc(t)}</span>' for t in tags) + "</p>")
    parts.append("</main></body></html>")
    return "".join(parts)
