"""How the build cache and the snapshot pickle the model: frozen dataclasses as constructor calls.

A frozen dataclass with slots unpickles through a ``__setstate__`` that
``dataclasses`` writes in Python, looking up the fields again for every
object. The build snapshot holds hundreds of thousands of such objects
(articles, pages, pagers), so ``Pickler`` pickles them as a plain
constructor call instead, about twice as fast to load: its dispatch table
holds one reducer per class, and the model's classes know nothing of it.
Unpickling needs nothing special (``pickle.loads``). Other pickles (the
Markdown workers' results, sent by ``multiprocessing``) use the classes'
default, slower but as correct: ten thousand articles cost a few hundredths
of a second more to receive, and importing ``multiprocessing`` here would
cost every no-change rebuild more than that.
"""

from __future__ import annotations

import copyreg
import hashlib
import io
import pickle
from collections import ChainMap
from collections.abc import Callable, Mapping
from dataclasses import fields
from operator import attrgetter
from typing import Any, ClassVar

from broadsheet.model.content import Article
from broadsheet.model.pagination import Pager
from broadsheet.model.rendered import Rendered
from broadsheet.model.site import Content, Term
from broadsheet.pages.kinds import Page

# The frozen dataclasses the cache and the snapshot hold, pickled as ``cls(*fields)``.
CONSTRUCTED: tuple[type, ...] = (Article, Rendered, Content, Term, Pager, Page)


def _reducer(cls: type) -> Callable[[Any], tuple[type, tuple[Any, ...]]]:
    """``obj -> (cls, its field values in order)``: unpickled as a call of the constructor."""
    names = tuple(f.name for f in fields(cls))
    values = attrgetter(*names)
    if len(names) == 1:
        return lambda obj: (cls, (values(obj),))
    return lambda obj: (cls, values(obj))


REDUCERS: dict[type, Callable[[Any], tuple[type, tuple[Any, ...]]]] = {cls: _reducer(cls) for cls in CONSTRUCTED}


class Pickler(pickle.Pickler):
    """A pickler that writes the model's dataclasses as constructor calls."""

    dispatch_table: ClassVar[Mapping[type, Any]] = ChainMap(REDUCERS, copyreg.dispatch_table)  # type: ignore[misc]


def dumps(value: object) -> bytes:
    """``pickle.dumps`` with ``Pickler``."""
    buffer = io.BytesIO()
    Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return buffer.getvalue()


def layout(*classes: type) -> str:
    """A digest of these dataclasses' field names in order.

    A pickle made by a constructor call fills fields by position, so one
    written before a field was added, removed or moved must not be loaded:
    caches keep this digest with what they pickle and compare it.
    """
    text = ";".join(f"{cls.__module__}.{cls.__qualname__}({','.join(f.name for f in fields(cls))})" for cls in classes)  # type: ignore[arg-type]
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()
