"""Pausing the cyclic garbage collector while building many acyclic objects.

Decoding a page of JSON and turning 200 droplets into models allocates tens
of thousands of containers, none of them in a reference cycle. CPython's
collector would run dozens of times meanwhile, each pass scanning everything
alive, which is most of the CPU a long listing costs. Pausing it for the
length of one page and resuming it afterwards lets one collection see the
page's garbage (reference counting frees it anyway). The collector is only
resumed if it was running before, so a program that disabled it keeps it off.
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
