"""Pausing the cyclic garbage collector while building many acyclic objects.

Decoding a page of JSON and turning 200 droplets into models allocates tens
of thousands of containers, none of them in a reference cycle. CPython's
collector would run dozens of times meanwhile, each pass scanning everything
alive, which is most of the CPU a long listing costs. A full read of a
queryset (``list(qs)``, ``len(qs)``) pauses it for the whole read, since no
user code runs meanwhile and everything built stays alive; a streamed read
(``qs.iterator()``) pauses it per page only, because the caller's code runs
between pages. One collection then sees it all when the read ends (reference
counting frees the garbage anyway). The pause is process-wide, so other threads
run without cyclic collection for that long (seconds for 10,000 droplets). The
collector is only resumed if it was running before, so a program that
disabled it keeps it off.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["gc_paused"]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Disable automatic garbage collection inside the block if it was enabled."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
