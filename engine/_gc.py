"""Loading without pauses for cyclic garbage collection."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collection_paused"]


@contextmanager
def collection_paused() -> Iterator[None]:
    """No cyclic garbage collection inside: reading and compiling a tree make a few objects
    per value, most of them kept, and every collection on the way walks them all again (a
    10,001-node tree loaded in twice the time). Loading makes no reference cycles that
    need collecting; the collector's previous state comes back at the end, and nesting is
    harmless (the inner one finds it paused).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
