"""Hugo's shortcode syntax, parsed into a tree: text and ``Shortcode`` nodes.

``{{< name arg key="value" >}}``, ``{{% name %}}``, paired ``{{< name >}}…{{< /name >}}`` (nested
too), self-closing ``{{< name />}}`` and the escaped form ``{{</* name */>}}``, which stays as
text. Arguments are bare words, ``"quoted"`` (with ``\\"`` escapes; a ``>`` inside is text) or
```raw```. A tag is paired when a closing tag with its name follows at the same depth.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

from broadsheet.theme import THEME_DIR

FOLDER = "shortcodes"

_START = re.compile(r"\{\{([<%])")
_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./-]*")
_BARE = re.compile(r"[^\s\"`=]+?(?=\s|$|/?[>%]\}\}|=)")


class ShortcodeSyntaxError(ValueError):
    """A malformed shortcode, at a line of the text (counted from 1)."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


@dataclass(slots=True)
class Shortcode:
    """One shortcode: its name, arguments, and the nodes between its tags (None when unpaired)."""

    name: str
    args: list[str] = field(default_factory=list)
    params: dict[str, str] = field(default_factory=dict)
    inner: list[Node] | None = None
    markdown: bool = False  # {{% %}}: the inner text is Markdown
    line: int = 1
    self_closed: bool = False


Node = Union[str, Shortcode]  # noqa: UP007 (a runtime alias)


@dataclass(slots=True)
class _Tag:
    shortcode: Shortcode
    closing: bool
    delimiter: str


def parse(text: str) -> list[Node]:
    """The text as a tree of text and shortcodes; raises ``ShortcodeSyntaxError``."""
    tokens = _tokens(text)
    pairs = _pairs(tokens)
    nodes, _ = _tree(tokens, 0, len(tokens), pairs)
    return nodes


def closing_tag(name: str, delimiter: str) -> str:
    """``{{< /name >}}`` or ``{{% /name %}}``."""
    end = ">" if delimiter == "<" else "%"
    return "{{" + delimiter + " /" + name + " " + end + "}}"


def has_shortcodes(text: str) -> bool:
    return "{{<" in text or "{{%" in text


def _tokens(text: str) -> list[str | _Tag]:
    tokens: list[str | _Tag] = []
    pos = 0
    plain: list[str] = []
    while (match := _START.search(text, pos)) is not None:
        plain.append(text[pos : match.start()])
        delimiter = match.group(1)
        close = ">}}" if delimiter == "<" else "%}}"
        line = text.count("\n", 0, match.start()) + 1
        if text.startswith("/*", match.end()):  # {{</* name */>}}: the tag as text, for documentation
            end = text.find("*/" + close, match.end())
            if end < 0:
                raise ShortcodeSyntaxError(f"'{{{{{delimiter}/*' is never closed with '*/{close}'", line)
            plain.append("{{" + delimiter + text[match.end() + 2 : end] + close)
            pos = end + 2 + len(close)
            continue
        tag, pos = _tag(text, match.end(), delimiter, close, line)
        if plain:
            tokens.append("".join(plain))
            plain = []
        tokens.append(tag)
    plain.append(text[pos:])
    tokens.append("".join(plain))
    return tokens


def _tag(text: str, pos: int, delimiter: str, close: str, line: int) -> tuple[_Tag, int]:
    """Parse one tag after its opening ``{{<``; return it and the position after its ``>}}``."""
    pos = _skip(text, pos)
    closing = text.startswith("/", pos)
    if closing:
        pos = _skip(text, pos + 1)
    name_match = _NAME.match(text, pos)
    if not name_match or ".." in name_match.group().split("/"):
        found = text[pos : pos + 20].split("\n")[0]
        raise ShortcodeSyntaxError(f"'{{{{{delimiter}' must be followed by a shortcode name, found '{found}'", line)
    shortcode = Shortcode(name_match.group().strip("/"), markdown=delimiter == "%", line=line)
    pos = name_match.end()
    while True:
        pos = _skip(text, pos)
        if pos >= len(text):
            raise ShortcodeSyntaxError(f"shortcode '{shortcode.name}' opened with '{{{{{delimiter}' is never closed with '{close}'", line)
        if text.startswith(close, pos):
            return _Tag(shortcode, closing, delimiter), pos + len(close)
        if text.startswith("/" + close, pos) and not closing:
            shortcode.self_closed = True
            return _Tag(shortcode, closing, delimiter), pos + 1 + len(close)
        value, pos = _value(text, pos, shortcode.name, line)
        if text.startswith("=", pos):
            named, pos = _value(text, pos + 1, shortcode.name, line)
            shortcode.params[value] = named
        else:
            shortcode.args.append(value)
        if shortcode.args and shortcode.params:
            raise ShortcodeSyntaxError(
                f"shortcode '{shortcode.name}' mixes positional and named arguments; use one kind", line)


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\n":
        pos += 1
    return pos


def _value(text: str, pos: int, name: str, line: int) -> tuple[str, int]:
    if text.startswith('"', pos):
        out: list[str] = []
        pos += 1
        while pos < len(text) and text[pos] != '"':
            if text[pos] == "\\" and pos + 1 < len(text):
                pos += 1
            out.append(text[pos])
            pos += 1
        if pos >= len(text):
            raise ShortcodeSyntaxError(f"shortcode '{name}' has a quoted argument that is never closed", line)
        return "".join(out), pos + 1
    if text.startswith("`", pos):
        end = text.find("`", pos + 1)
        if end < 0:
            raise ShortcodeSyntaxError(f"shortcode '{name}' has a `raw` argument that is never closed", line)
        return text[pos + 1 : end], end + 1
    match = _BARE.match(text, pos)
    if not match:
        raise ShortcodeSyntaxError(f"shortcode '{name}' has an argument that cannot be read at '{text[pos:pos + 10]}'", line)
    return match.group(), match.end()


def _pairs(tokens: list[str | _Tag]) -> dict[int, int]:
    """Opening tag index -> its closing tag index; a closing tag without an opening is an error."""
    open_by_name: dict[str, list[int]] = {}
    pairs: dict[int, int] = {}
    for index, token in enumerate(tokens):
        if isinstance(token, str) or token.shortcode.self_closed:
            continue
        stack = open_by_name.setdefault(token.shortcode.name, [])
        if not token.closing:
            stack.append(index)
        elif stack:
            pairs[stack.pop()] = index
        else:
            name = token.shortcode.name
            raise ShortcodeSyntaxError(
                f"'{closing_tag(name, token.delimiter)}' closes shortcode '{name}', which is not open here",
                token.shortcode.line)
    return pairs


def _tree(tokens: list[str | _Tag], start: int, end: int, pairs: dict[int, int]) -> tuple[list[Node], int]:
    nodes: list[Node] = []
    index = start
    while index < end:
        token = tokens[index]
        if isinstance(token, str):
            if token:
                nodes.append(token)
        elif token.closing:
            name = token.shortcode.name
            raise ShortcodeSyntaxError(
                f"'{closing_tag(name, token.delimiter)}' closes shortcode '{name}' while another shortcode opened "
                "inside it is still open", token.shortcode.line)
        elif index in pairs:
            close = pairs[index]
            if close >= end:
                raise ShortcodeSyntaxError(
                    f"shortcode '{token.shortcode.name}' must be closed before the shortcode around it ends",
                    token.shortcode.line)
            token.shortcode.inner, _ = _tree(tokens, index + 1, close, pairs)
            nodes.append(token.shortcode)
            index = close
        else:
            nodes.append(token.shortcode)
        index += 1
    return nodes, index


def template_folders(site_templates: Path | None, theme: Path = THEME_DIR) -> list[Path]:
    """The folders shortcode templates are looked up in, in order: the site's, then the theme's."""
    searched = [site_templates / FOLDER] if site_templates else []
    return [folder for folder in (*searched, theme / FOLDER) if folder.is_dir()]


def shortcodes_digest(site_templates: Path | None, theme: Path = THEME_DIR) -> str:
    """A hash of every shortcode template (names and bytes): the content cache must key on it.

    Here rather than beside the renderer, so that keying a build does not load Jinja.
    """
    h = hashlib.blake2b(digest_size=16)
    for folder in template_folders(site_templates, theme):
        h.update(str(folder).encode() + b"\x00")
        for path in sorted(folder.rglob("*.html")):
            h.update(path.relative_to(folder).as_posix().encode() + b"\x00" + path.read_bytes() + b"\x00")
    return h.hexdigest()
