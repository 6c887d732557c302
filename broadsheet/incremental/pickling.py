"""Frozen dataclasses that unpickle at C speed.

A frozen dataclass with slots unpickles through a ``__setstate__`` that
``dataclasses`` writes in Python, looking up the fields again for every
object. The build snapshot holds hundreds of thousands of such objects
(articles, pages, pagers), so their classes pickle as a plain constructor
call instead, about twice as fast to load.
"""

from __future__ import annotations

import hashlib
from dataclasses import fields
from typing import Any, TypeVar

T = TypeVar("T")


def fast_pickle(cls: type[T]) -> type[T]:
    """Class decorator, outside ``@dataclass``: pickle instances as ``cls(*fields)``."""
    names = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]

    def __reduce__(self: Any) -> tuple[type[T], tuple[Any, ...]]:
        return cls, tuple(getattr(self, name) for name in names)

    cls.__reduce__ = __reduce__  # type: ignore[assignment,method-assign]
    return cls


def layout(*classes: type) -> str:
    """A digest of these dataclasses' field names in order.

    A pickle made by a constructor call fills fields by position, so one
    written before a field was added, removed or moved must not be loaded:
    caches keep this digest with what they pickle and compare it.
    """
    text = ";".join(f"{cls.__module__}.{cls.__qualname__}({','.join(f.name for f in fields(cls))})" for cls in classes)  # type: ignore[arg-type]
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()
