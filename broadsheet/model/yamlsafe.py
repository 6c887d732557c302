"""A YAML loader that reads front matter the way writers mean it.

PyYAML follows YAML 1.1, where ``no``, ``yes``, ``on`` and ``off`` are
booleans, ``10:00`` is the number 600 and ``2024-02-30`` crashes the parser.
This loader resolves only the YAML 1.2 core schema (null, true/false,
integers, floats) and leaves everything else as the text the writer typed;
numbers also print as typed ("0o17", "1.50"), so a tag or title that looks
like a number keeps its spelling. Dates are parsed later, with errors that
name the field.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class FrontMatterLoader(_Base):  # type: ignore[misc,valid-type]
    """Safe loader with YAML 1.2 core-schema implicit typing."""


FrontMatterLoader.yaml_implicit_resolvers = {}
_RESOLVERS: list[tuple[str, str, str]] = [
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", "~nN"),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
]
for _tag, _pattern, _first in _RESOLVERS:
    FrontMatterLoader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))
# The empty scalar has no first character; PyYAML keys it under None.
FrontMatterLoader.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"^$"), [""])


class Int(int):
    """A YAML integer that reads back as the text the writer typed (``0o17``, ``+5``)."""

    text: str

    def __new__(cls, value: int, text: str) -> Int:
        number = super().__new__(cls, value)
        number.text = text
        return number

    def __str__(self) -> str:
        return self.text

    def __reduce__(self) -> tuple[type[Int], tuple[int, str]]:
        return Int, (int(self), self.text)


class Float(float):
    """A YAML float that reads back as the text the writer typed (``1.50``, ``1e3``)."""

    text: str

    def __new__(cls, value: float, text: str) -> Float:
        number = super().__new__(cls, value)
        number.text = text
        return number

    def __str__(self) -> str:
        return self.text

    def __reduce__(self) -> tuple[type[Float], tuple[float, str]]:
        return Float, (float(self), self.text)


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    # SafeConstructor's own int constructor also reads sexagesimal ("10:00")
    # and octal "010"; ours sees only the YAML 1.2 forms matched above.
    text = str(loader.construct_scalar(node))
    return Int(int(text, 0) if text.startswith(("0x", "0o")) else int(text), text)


def _construct_float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> float:
    text = str(loader.construct_scalar(node))
    return Float(float(text.lower().replace(".inf", "inf").replace(".nan", "nan")), text)


FrontMatterLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
FrontMatterLoader.add_constructor("tag:yaml.org,2002:float", _construct_float)


def load_yaml(text: str) -> Any:
    """Parse ``text``; raises ``yaml.YAMLError`` on bad syntax."""
    return yaml.load(text, Loader=FrontMatterLoader)
