#!/usr/bin/env python3
"""Extract the theme's strings into ``locales/messages.pot`` and merge them into every catalog.

  python scripts/messages.py           rewrite the template and update each locales/*/LC_MESSAGES/messages.po
  python scripts/messages.py --check   exit 1 if a template string is missing from the template or a catalog

Strings come from ``templates/`` (``_``, ``gettext``, ``ngettext`` calls) and from
``broadsheet/model/catalogs.py`` (the search page's script messages) and ``broadsheet/pages/feeds.py``
(term feeds' descriptions, marked with ``gettext_noop``).
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
POT = LOCALES / "messages.pot"
# Fixed, so that regenerating an unchanged template changes nothing.
CREATED = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
HEADER = "# Strings of the Broadsheet default theme, extracted by scripts/messages.py.\n#"
KEYWORDS = {"_": None, "gettext": None, "gettext_noop": None, "ngettext": (1, 2), "plural_messages": (1, 2)}
TEMPLATE_OPTIONS = {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}


def extract() -> Catalog:
    """Every theme string, with the files and lines that use it."""
    catalog = Catalog(
        project="Broadsheet", domain="messages", charset="utf-8", fuzzy=False, creation_date=CREATED,
        copyright_holder="the Broadsheet authors", header_comment=HEADER,
    )
    methods = [("templates/**.html", "jinja2"), ("broadsheet/model/catalogs.py", "python"), ("broadsheet/pages/feeds.py", "python")]
    options = {"templates/**.html": TEMPLATE_OPTIONS}
    for filename, lineno, message, comments, context in extract_from_dir(
        ROOT, methods, options_map=options, keywords=KEYWORDS, comment_tags=("Translators:",), strip_comment_tags=True
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def catalogs() -> list[Path]:
    return sorted(LOCALES.glob("*/LC_MESSAGES/messages.po"))


def problems(template: Catalog) -> list[str]:
    """What is missing or untranslated in each catalog, one line each."""
    found = []
    for path in catalogs():
        with path.open("rb") as f:
            catalog = read_po(f)
        for message in template:
            if not message.id:
                continue
            have = catalog.get(message.id, message.context)
            strings = have.string if have else None
            forms = strings if isinstance(strings, tuple) else (strings,)
            if have is None or have.fuzzy or not all(forms):
                found.append(f"{path.relative_to(ROOT)}: missing or untranslated: {message.id!r}")
            elif isinstance(strings, tuple) and len(strings) != catalog.num_plurals:
                found.append(f"{path.relative_to(ROOT)}: {message.id!r} has {len(strings)} forms, needs {catalog.num_plurals}")
    return found


def main(argv: list[str]) -> int:
    template = extract()
    if argv == ["--check"]:
        lines = problems(template)
        print("\n".join(lines) or "catalogs complete")
        return 1 if lines else 0
    buffer = io.BytesIO()
    write_po(buffer, template, omit_header=False, width=100, sort_output=True, include_lineno=False)
    POT.write_bytes(buffer.getvalue())
    for path in catalogs():
        with path.open("rb") as f:
            catalog = read_po(f, locale=path.parent.parent.name)
        catalog.update(template, no_fuzzy_matching=True)
        out = io.BytesIO()
        write_po(out, catalog, width=100, sort_output=True, include_lineno=False, ignore_obsolete=True)
        path.write_bytes(out.getvalue())
    print(f"{len(template)} strings; updated {len(catalogs())} catalogs")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
