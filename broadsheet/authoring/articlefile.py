"""Writing new article files: YAML front matter readers can edit, a body, no silent overwrite.

Front matter is written with PyYAML's safe dumper, Unicode left readable and keys in
the order given. Text that YAML 1.1 would read as something else (``no``, ``10:00``,
``2024-05-01``) is quoted by the dumper; dates are written as ISO text, which
Broadsheet's reader parses in the site time zone when they carry no offset.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from broadsheet.model.slugs import slugify


@functools.cache
def _dumper() -> Any:
    """PyYAML's safe dumper, writing dates and times as ISO strings (made when first needed: the
    command line loads this module for every command, a build among them)."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def iso(dumper: yaml.SafeDumper, value: dt.date) -> yaml.Node:
        return dumper.represent_str(value.isoformat())

    Dumper.add_representer(dt.date, iso)
    Dumper.add_representer(dt.datetime, iso)
    return Dumper


def format_article(meta: Mapping[str, Any], body: str) -> str:
    """The whole file: ``---``, front matter, ``---``, a blank line, the body."""
    import yaml

    front = yaml.dump(
        dict(meta), Dumper=_dumper(), allow_unicode=True, sort_keys=False, width=1_000_000, default_flow_style=False
    )
    body = body.strip("\n")
    return f"---\n{front}---\n\n" + (f"{body}\n" if body else "")


# An apostrophe inside a word joins it: "What's next" is whats-next, as Hugo writes it, not what-s-next.
_APOSTROPHE = re.compile(r"(?<=\w)['’](?=\w)")


def headline_slug(title: str) -> str:
    """The file name's slug for a headline."""
    return slugify(_APOSTROPHE.sub("", title))


def article_path(content: Path, title: str, date: dt.date, section: str | None = None) -> Path:
    """Where a new article goes: ``<content>/<section>/<slug>.md`` (as the sample site keeps its
    stories), or ``<content>/<YYYY>/<slug>.md`` without a section; the slug made from the title."""
    folder = slugify(section) if section and section.strip() else f"{date.year:04d}"
    return content / folder / f"{headline_slug(title)}.md"


def write_article(path: Path, text: str, *, force: bool = False) -> None:
    """Write ``text`` to ``path``; raise ``FileExistsError`` if it exists and not ``force``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not force:
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        return
    # A fresh, unpredictable name opened with O_EXCL: a link planted at a known temporary
    # name cannot redirect the write outside the content folder. os.replace swaps the name
    # itself, never following a link that stands at ``path``.
    import tempfile  # only a forced write needs it

    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
