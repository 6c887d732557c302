"""Front matter in the three dialects Hugo reads: YAML (``---``), TOML (``+++``) and JSON (``{...}``),
and Pelican's ``Key: value`` lines up to the first blank line.

``split_front_matter`` returns the parsed mapping, the body, the line the body starts on and
the line of each top-level key (for error messages). Errors name the file and line.
"""

from __future__ import annotations

import functools
import json
import re
import tomllib
from dataclasses import dataclass
from typing import Any

from broadsheet.errors import BuildFailed, SiteError


@functools.cache
def _handler() -> Any:
    """python-frontmatter's YAML handler, with our YAML 1.2 loader.

    Made when the first YAML file is read: a rebuild that reads no source (nothing changed,
    or the edits parsed in a forked child) never imports python-frontmatter and PyYAML.
    """
    import frontmatter

    from broadsheet.model.yamlsafe import load_yaml

    class Handler(frontmatter.YAMLHandler):  # type: ignore[misc]
        def load(self, fm: str, **kwargs: object) -> Any:
            return load_yaml(fm)

    return Handler()

_YAML_OPEN = re.compile(r"\A-{3,}[ \t]*\n")
_TOML_OPEN = re.compile(r"\A\+{3}[ \t]*\n")
_TOML_CLOSE = re.compile(r"^\+{3}[ \t]*$", re.MULTILINE)
_YAML_KEY = re.compile(r"^([^\s#:][^:]*?)\s*:")
_TOML_KEY = re.compile(r"^\s*(\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+)\s*=")
_JSON_KEY = re.compile(r'^\s*"((?:[^"\\]|\\.)*)"\s*:')
_PELICAN_KEY = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*):[ \t]*(.*)$")


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """A file split into its parsed front matter and its body."""

    meta: dict[str, Any]
    body: str
    body_line: int  # the file's line where the body starts
    dialect: str  # "yaml", "toml" or "json"
    text: str  # the front matter as written, for key lines

    def key_lines(self) -> dict[str, int]:
        """Line in the file where each top-level key starts (as written)."""
        pattern = {"yaml": _YAML_KEY, "toml": _TOML_KEY, "json": _JSON_KEY, "pelican": _PELICAN_KEY}[self.dialect]
        first = 1 if self.dialect in ("json", "pelican") else 2
        lines: dict[str, int] = {}
        for number, line in enumerate(self.text.split("\n"), start=first):
            if self.dialect == "toml" and line.lstrip().startswith("["):
                break  # TOML's top-level keys all come before its first [table]
            match = pattern.match(line)
            if match:
                lines.setdefault(match.group(1).strip("'\""), number)
        return lines


def split_front_matter(text: str, rel: str) -> FrontMatter:
    """Split ``text`` (BOM and CR already removed) into front matter and body; raise ``BuildFailed``."""
    if _TOML_OPEN.match(text):
        return _split_toml(text, rel)
    if text.startswith("{"):
        return _split_json(text, rel)
    if _PELICAN_KEY.match(text.split("\n", 1)[0]):
        return _split_pelican(text)
    if not _YAML_OPEN.match(text):
        raise BuildFailed([SiteError(rel, "no front matter: start the file with a '---' line, then 'title: ...'", 1)])
    return _split_yaml(text, rel)


def _result(meta: Any, body: str, text: str, dialect: str, fm_text: str, rel: str) -> FrontMatter:
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise BuildFailed([SiteError(rel, "front matter must be a set of 'key: value' lines", 2)])
    body = body.lstrip("\n")
    body_line = text[: len(text) - len(body)].count("\n") + 1
    return FrontMatter(meta, body, body_line, dialect, fm_text)


def _split_yaml(text: str, rel: str) -> FrontMatter:
    import yaml

    handler = _handler()
    boundaries = handler.FM_BOUNDARY.finditer(text)  # the opening and closing '---': stop there, not at the end
    if next(boundaries, None) is None or next(boundaries, None) is None:
        raise BuildFailed([SiteError(rel, "front matter opened with '---' on line 1 is never closed with '---'", 1)])
    fm_text, body = handler.split(text)
    try:
        meta = handler.load(fm_text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and mark and mark.index >= len(fm_text.rstrip()):
            mark = exc.context_mark  # ran off the end (an unclosed bracket or quote): point at where it opened
        line = mark.line + 1 if mark else None  # +1 for the opening '---', +1 for 0-based, -1 for the split newline
        problem = exc.problem or "invalid YAML"
        if exc.context and exc.context.startswith("while "):
            problem += f" {exc.context}"  # "... while scanning a quoted scalar"
        if "mapping values are not allowed" in problem:
            problem += " (put a value that contains ': ' in quotes)"
        raise BuildFailed([SiteError(rel, f"front matter is not valid YAML: {problem}", line)]) from None
    except yaml.reader.ReaderError as exc:
        line = fm_text[: exc.position].count("\n") + 1
        raise BuildFailed([SiteError(rel, f"front matter is not valid YAML: {exc.reason} (#x{exc.character:04x})", line)]) from None
    except yaml.YAMLError as exc:
        raise BuildFailed([SiteError(rel, f"front matter is not valid YAML: {' '.join(str(exc).split())}")]) from None
    except (ValueError, TypeError, OverflowError) as exc:
        # An explicit tag with an impossible value, such as "!!timestamp 2024-02-30" or "!!int 10:00".
        raise BuildFailed([SiteError(rel, f"front matter has a value YAML cannot read: {exc}")]) from None
    return _result(meta, body, text, "yaml", fm_text.lstrip("\n"), rel)


def _split_toml(text: str, rel: str) -> FrontMatter:
    start = text.index("\n") + 1
    close = _TOML_CLOSE.search(text, start)
    if close is None:
        raise BuildFailed([SiteError(rel, "front matter opened with '+++' on line 1 is never closed with '+++'", 1)])
    fm_text = text[start : close.start()]
    try:
        meta = tomllib.loads(fm_text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = re.search(r"\(at line (\d+), column \d+\)$", message)
        line = int(match.group(1)) + 1 if match else None
        message = message[: match.start()].strip() if match else message
        if "line" not in message and line is None:
            line = 1
        raise BuildFailed([SiteError(rel, f"front matter is not valid TOML: {message}", line)]) from None
    return _result(meta, text[close.end() :], text, "toml", fm_text, rel)


def _split_json(text: str, rel: str) -> FrontMatter:
    try:
        meta, end = json.JSONDecoder().raw_decode(text)
    except json.JSONDecodeError as exc:
        raise BuildFailed([SiteError(rel, f"front matter is not valid JSON: {exc.msg}", exc.lineno)]) from None
    except RecursionError:
        raise BuildFailed([SiteError(rel, "front matter is not valid JSON: nested too deeply", 1)]) from None
    rest = text[end:]
    if rest.strip(" \t") and not rest.startswith("\n") and not rest.lstrip(" \t").startswith("\n"):
        line = text[:end].count("\n") + 1
        raise BuildFailed([SiteError(rel, "front matter in JSON must end with '}' on a line of its own", line)])
    return _result(meta, rest, text, "json", text[:end], rel)


def _split_pelican(text: str) -> FrontMatter:
    """Pelican's Markdown metadata: ``Title: ...`` lines (indented lines continue one) until a blank line."""
    meta: dict[str, Any] = {}
    lines = text.split("\n")
    count = 0
    key = ""
    for count, line in enumerate(lines, start=1):
        match = _PELICAN_KEY.match(line)
        if not line.strip():
            break
        if match:
            key = match.group(1)
            meta.setdefault(key, match.group(2).strip())
        elif key and line.startswith((" ", "\t")):
            meta[key] = f"{meta[key]} {line.strip()}".strip()
        else:
            count -= 1
            break
    else:
        count = len(lines)
    body = "\n".join(lines[count:]).lstrip("\n")
    body_line = text[: len(text) - len(body)].count("\n") + 1
    return FrontMatter(meta, body, body_line, "pelican", "\n".join(lines[:count]))
