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
from yaml.constructor import ConstructorError

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# Front matter is a few dozen values. These bound what a file can make the build hold or walk:
# every alias counts as a full copy of what it names (a "billion laughs" of nested aliases is
# small text and an enormous value once pickled or compared), and nesting is kept far from
# Python's recursion limit.
MAX_VALUES = 10_000
MAX_DEPTH = 64


class FrontMatterLoader(_Base):  # type: ignore[misc,valid-type]
    """Safe loader with YAML 1.2 core-schema implicit typing, refusing duplicate keys and oversized documents."""

    def get_single_data(self) -> Any:
        node = self.get_single_node()
        if node is None:
            return None
        check_node(node)
        return self.construct_document(node)


def check_node(root: yaml.Node) -> None:
    """Raise a marked error for a duplicate key, or a document too large or too deep once aliases are expanded.

    Walks collections only, counting their scalars in bulk: a front matter's few dozen values take microseconds.
    """
    count = 0
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ConstructorError(None, None, f"nested more than {MAX_DEPTH} levels deep", node.start_mark)
        if type(node) is yaml.MappingNode:
            pairs = node.value
            count += 1 + 2 * len(pairs)
            keys = [key.value for key, _value in pairs if type(key) is yaml.ScalarNode]
            if len(set(keys)) != len(keys):
                _duplicate(pairs)
            for key, value in pairs:
                if type(key) is not yaml.ScalarNode:
                    stack.append((key, depth + 1))
                if type(value) is not yaml.ScalarNode:
                    stack.append((value, depth + 1))
        elif type(node) is yaml.SequenceNode:
            items = node.value
            count += 1 + len(items)
            stack.extend((item, depth + 1) for item in items if type(item) is not yaml.ScalarNode)
        else:
            count += 1
        if count > MAX_VALUES:
            raise ConstructorError(None, None, f"holds more than {MAX_VALUES:,} values (each alias counted in full)", node.start_mark)


def _duplicate(pairs: list[tuple[yaml.Node, yaml.Node]]) -> None:
    seen: set[str] = set()
    for key, _value in pairs:
        if type(key) is yaml.ScalarNode:
            if key.value in seen:
                raise ConstructorError(None, None, f"the key '{key.value}' is given twice", key.start_mark)
            seen.add(key.value)


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
