"""The Markdown engines a site can choose (``markdown`` in site.toml), behind one seam.

An engine turns a body's Markdown into an HTML fragment in Broadsheet's shape: headings with
ids, footnotes as Python-Markdown writes them (``<sup id="fnref:x">`` markers, one
``<div class="footnote">`` at the end), tables, raw HTML as written. Everything after it is shared
(``markdown.py``): the HTML steps every body goes through (smart quotes by language, and any
step added to ``markdown.BODY_STEPS``), shortcodes, the summary and ``<!--more-->``, reading
time. Each engine's module loads only when a body is converted with it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from broadsheet.model.config import MARKDOWN_ENGINES


@dataclass(frozen=True, slots=True)
class Engine:
    """One engine: ``load()`` gives its converter (Markdown → HTML), ``version()`` its library's version."""

    name: str
    load: Callable[[], Callable[[str], str]]
    version: Callable[[], str]


def _python_markdown() -> Callable[[str], str]:
    from broadsheet.markup.markdown import python_markdown

    return python_markdown


def _python_markdown_version() -> str:
    """The library's version file, digested: it changes with every release, and reading it spares a
    rebuild's parent, which renders no Markdown, the 30-45 ms of importing the library."""
    import hashlib
    from importlib.util import find_spec
    from pathlib import Path

    spec = find_spec("markdown")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        try:
            meta = (Path(folder) / "__meta__.py").read_bytes()
        except OSError:
            continue
        return f"Python-Markdown {hashlib.blake2b(meta, digest_size=8).hexdigest()}"
    import markdown

    return f"Python-Markdown {markdown.__version__}"


def _commonmark() -> Callable[[str], str]:
    from broadsheet.markup.commonmark import to_html

    return to_html


def _commonmark_version() -> str:
    """pyromark's version, as the folder of its installed distribution names it (``pyromark-0.10.3.dist-info``):
    importing its compiled module costs a rebuild's parent, which renders no Markdown, 8 ms."""
    import os
    from importlib.util import find_spec

    spec = find_spec("pyromark")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        try:
            names = os.listdir(os.path.dirname(folder))
        except OSError:
            continue
        found = [name[len("pyromark-"):-len(".dist-info")] for name in names if name.startswith("pyromark-") and name.endswith(".dist-info")]
        if len(found) == 1:
            return f"pyromark {found[0]}"
    from broadsheet.markup.commonmark import version  # installed some other way, or twice: ask the library

    return version()


ENGINES: dict[str, Engine] = {
    "python-markdown": Engine("python-markdown", _python_markdown, _python_markdown_version),
    "commonmark": Engine("commonmark", _commonmark, _commonmark_version),
}
assert tuple(ENGINES) == MARKDOWN_ENGINES, "the settings list every engine, default first"


def engine(name: str) -> Engine:
    """The engine a validated ``markdown`` setting names."""
    return ENGINES[name]


def fingerprint(name: str) -> str:
    """What the content cache keys on for the engine: its name and its library's version."""
    return f"{name} ({ENGINES[name].version()})"
