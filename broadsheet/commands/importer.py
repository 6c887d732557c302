"""``site.py import``: turn wire-copy text files into Markdown articles, all or nothing."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from broadsheet.authoring.articlefile import article_path, format_article, write_article
from broadsheet.commands.authoring import add_writing_options, exists_error, fail, site_zone
from broadsheet.errors import BuildFailed, SiteError

FAILED = "import failed, nothing was written"


@dataclass(frozen=True, slots=True)
class _Planned:
    source: str
    target: Path
    text: str
    undated: bool
    caption_only: bool  # a photo caption came with the copy, but no photo


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "import",
        help="convert wire-copy text files into articles",
        description=(
            "Convert wire-copy text files (headline, 'Author: ... Time: ...' line, caption, "
            "body, editor credits, '- END -') into Markdown articles at <content>/<year>/<slug>.md. "
            "Every file is checked first: if any has a problem, or would overwrite an existing "
            "article without --force, nothing is written and every problem is listed. "
            "A file whose header has no time is dated today. Imported articles are drafts "
            "(draft: true) for an editor to check, unless --publish is given."
        ),
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="wire-copy text file (UTF-8)")
    add_writing_options(parser)
    parser.add_argument("--publish", action="store_true", help="publish the articles at once instead of writing drafts")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        zone = site_zone(args)
    except BuildFailed as failed:
        return fail(failed.errors, FAILED)
    planned, errors = _plan(args.files, args.content, zone, force=args.force, publish=args.publish)
    if errors:
        return fail(errors, FAILED)
    for item in planned:
        try:
            write_article(item.target, item.text, force=args.force)
        except FileExistsError:
            return fail([exists_error(item.target)], "import stopped")
        except OSError as exc:
            return fail([SiteError(item.target.as_posix(), f"cannot write file: {exc.strerror}")], "import stopped")
        if item.undated:
            print(f"note: {item.source} gives no time; dated today", file=sys.stderr)
        if item.caption_only:
            print(f"note: {item.source} has a photo caption but no photo; kept as image_caption in "
                  f"{item.target.as_posix()}: add image: to show it", file=sys.stderr)
        print(item.target.as_posix())
    drafts = 0 if args.publish else len(planned)
    if drafts:
        print(f"note: {drafts} draft{'s' if drafts != 1 else ''} written (draft: true); remove the line, "
              "or import with --publish, to publish", file=sys.stderr)
    return 0


def _plan(files: list[Path], content: Path, zone: ZoneInfo, *, force: bool, publish: bool = False) -> tuple[list[_Planned], list[SiteError]]:
    """Parse every file and choose its target; collect every problem instead of stopping."""
    from broadsheet.authoring.wirecopy import parse_wire_copy  # loaded by this command only

    planned: list[_Planned] = []
    errors: list[SiteError] = []
    claimed: dict[Path, str] = {}
    today = dt.datetime.now(zone).date()
    for path in files:
        source = path.as_posix()
        try:
            meta, body = parse_wire_copy(_read_text(path, source), source, zone)
        except BuildFailed as failed:
            errors.extend(failed.errors)
            continue
        undated = meta["date"] is None
        if undated:
            meta["date"] = today
        target = article_path(content, meta["title"], meta["date"])
        if target in claimed:
            errors.append(SiteError(source, f"would write {target.as_posix()}, like {claimed[target]}; give one a different headline"))
            continue
        claimed[target] = source
        if target.exists() and not force:
            errors.append(exists_error(target))
            continue
        if not publish:
            meta["draft"] = True
        caption_only = "image_caption" in meta and "image" not in meta
        planned.append(_Planned(source, target, format_article(meta, body), undated, caption_only))
    return planned, errors


def _read_text(path: Path, source: str) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BuildFailed([SiteError(source, f"cannot read file: {exc.strerror}")]) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise BuildFailed([SiteError(source, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8", line)]) from None
