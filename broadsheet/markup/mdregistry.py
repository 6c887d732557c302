"""Putting a tuned processor in place of a stock one, through Python-Markdown's registry.

Python-Markdown keeps its processors and patterns in ``util.Registry``s,
each item under a name and a priority, and documents replacing one as
registering another under the same name. A registry does not say an item's
priority, so the tuned modules use the priority the stock code registers it
at (a constant of its source) and check here that the item kept its place.
"""

from __future__ import annotations

from typing import Any

from markdown.util import Registry


def replace(registry: Registry[Any], name: str, item: object, priority: float) -> None:
    """Register ``item`` as ``name`` at ``priority``; fails if that moved it among the others.

    A moved processor would change the output: the Python-Markdown installed
    registers ``name`` at another priority than its source said.
    """
    index = registry.get_index_for_name(name)
    registry.register(item, name, priority)
    if registry.get_index_for_name(name) != index:
        raise RuntimeError(f"Python-Markdown's {name!r} is not registered at priority {priority}: update its priority")
