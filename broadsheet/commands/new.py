"""``site.py new``: start a draft article with complete front matter and print its path."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from broadsheet.authoring.articlefile import article_path, format_article, write_article
from broadsheet.authoring.newarticle import new_article_meta, split_list
from broadsheet.commands.authoring import add_writing_options, exists_error, fail, site_zone
from broadsheet.errors import BuildFailed, SiteError

Clock = Callable[[ZoneInfo], dt.datetime]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "new",
        help="start a new draft article",
        description=(
            "Write a draft article (draft: true, dated now in the site time zone) to "
            "<content>/<section>/<slug>.md (<content>/<year>/<slug>.md without --section), "
            "the slug made from the headline, and print its path."
        ),
    )
    parser.add_argument("headline", help="the article's title; non-Latin text is transliterated for the slug")
    parser.add_argument("--author", action="append", default=[], metavar="NAME", help="byline; repeat for several authors")
    parser.add_argument("--tags", default="", metavar="A,B", help="comma-separated tags")
    parser.add_argument("--section", default=None, metavar="S", help="section, e.g. Business")
    add_writing_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, clock: Clock = dt.datetime.now) -> int:
    if not args.headline.strip():
        return fail([SiteError("new", "the headline is empty")], "nothing written")
    try:
        zone = site_zone(args)
    except BuildFailed as failed:
        return fail(failed.errors, "nothing written")
    meta = new_article_meta(
        args.headline, now=clock(zone), authors=args.author, tags=split_list(args.tags), section=args.section
    )
    path = article_path(args.content, meta["title"], meta["date"], meta["section"])
    try:
        write_article(path, format_article(meta, ""), force=args.force)
    except FileExistsError:
        return fail([exists_error(path)], "nothing written")
    except OSError as exc:
        return fail([SiteError(path.as_posix(), f"cannot write file: {exc.strerror}")], "nothing written")
    print(path.as_posix())
    return 0
