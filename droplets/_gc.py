"""Pausing the cyclic garbage collector while building many acyclic objects.

Decoding a page of JSON and turning 200 droplets into models allocates tens
of thousands of containers, none of them in a reference cycle. CPython's
collector would run dozens of times meanwhile, each pass scanning everything
alive, which is most of the CPU a long listing costs. A full read of a
queryset (``list(qs)``, ``len(qs)``) pauses it for the whole read, since no
user code runs meanwhile and everything built stays alive; a streamed read
(``qs.iterator()``) pauses it per page only, because the caller's code runs
between pages. The pause is process-wide, so other threads run without cyclic
collection for that long (seconds for 10,000 droplets). The collector is only
resumed if it was running before, so a program that disabled it keeps it off.

When a pause ends, the collector's next pass would scan everything allocated
meanwhile, only to find it alive: for 10,000 droplets that one pass costs
about a fifth of the listing's CPU. A full read, whose objects are known to
survive (the queryset caches them), skips that pass with ``promote=True``:
``gc.freeze()`` then ``gc.unfreeze()`` moves every tracked object into the
oldest generation, as surviving a pass would, without scanning them (both
are documented, constant-time list moves). Objects other threads made
meanwhile are promoted too, so a cycle among them waits for the next full
collection instead of the next young one. This is skipped when the program
froze objects itself (``gc.get_freeze_count()``), so that a pre-fork
server's ``gc.freeze()`` is never undone.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["gc_paused"]


@contextmanager
def gc_paused(*, promote: bool = False) -> Iterator[None]:
    """Disable automatic garbage collection inside the block if it was enabled.

    Args:
        promote: The objects built in the block survive it: move them to the
            oldest generation at the end instead of letting the next young
            collection scan them (see the module docs).
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        if promote and gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        gc.enable()
