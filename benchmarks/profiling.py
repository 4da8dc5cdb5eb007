"""cProfile over every thread, in CPU time, summarised by function and by package.

``cProfile`` sees only the thread that enabled it, and droplets fetches pages
from a small thread pool; so each thread started during the call gets a
profiler of its own (``threading.Thread.run`` is wrapped) and the results
are merged. The timer is ``time.thread_time``, so a thread blocked on a
socket or a lock costs nothing: the figures are CPU time, the same quantity
as the benchmark's "client CPU".
"""

from __future__ import annotations

import cProfile
import pstats
import sys
import sysconfig
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

_STDLIB = Path(sysconfig.get_paths()["stdlib"]).resolve()


def _category(filename: str, name: str) -> str:
    """Name the package a profiled function belongs to."""
    if filename == "~":  # a built-in function or method
        lowered = name.lower()
        if "json" in lowered:
            return "JSON decoding (C)"
        if any(word in lowered for word in ("socket", "recv", "send", "select", "poll", "ssl")):
            return "socket I/O (C)"
        return "other built-ins"
    if filename.startswith("<cattrs generated"):
        return "cattrs (generated code)"
    if filename.startswith("<attrs generated"):
        return "attrs (generated methods)"
    if filename.startswith("<frozen "):
        return "stdlib " + filename.removeprefix("<frozen ").removesuffix(">")
    if filename.startswith("<"):
        return filename
    path = Path(filename).resolve()
    parts = path.parts
    if "site-packages" in parts:
        return parts[parts.index("site-packages") + 1].removesuffix(".py")
    if "droplets" in parts:
        return "droplets"
    if path.is_relative_to(_STDLIB):
        top = path.relative_to(_STDLIB).parts[0].removesuffix(".py")
        return f"stdlib {top}"
    return path.name


def _describe(key: tuple[str, int, str]) -> str:
    filename, line, name = key
    if filename == "~":
        return name
    path = Path(filename)
    parts = path.parts
    if "site-packages" in parts:
        short = "/".join(parts[parts.index("site-packages") + 1 :])
    elif "droplets" in parts:
        short = "/".join(parts[len(parts) - 1 - parts[::-1].index("droplets") :])
    elif path.resolve().is_relative_to(_STDLIB):
        short = str(path.resolve().relative_to(_STDLIB))
    else:
        short = path.name
    return f"{short}:{line}({name})"


def profile_all_threads(call: Callable[[], T], top: int = 15) -> tuple[T, dict[str, Any]]:
    """Run ``call`` under cProfile in every thread and summarise the CPU time.

    Args:
        call: What to profile.
        top: How many functions to list.

    Returns:
        The call's result and a summary: ``total`` CPU seconds seen by the
        profilers, ``functions`` (the ``top`` functions by own time, as
        ``[description, calls, own seconds, cumulative seconds]``) and
        ``packages`` (own time per package, largest first).
    """
    profiles: list[cProfile.Profile] = []
    original_run = threading.Thread.run

    def profiled_run(thread: threading.Thread) -> None:
        profile = cProfile.Profile(time.thread_time)
        profiles.append(profile)
        profile.enable()
        try:
            original_run(thread)
        finally:
            profile.disable()

    threading.Thread.run = profiled_run  # type: ignore[method-assign,assignment]
    main = cProfile.Profile(time.thread_time)
    try:
        main.enable()
        result = call()
        main.disable()
    finally:
        threading.Thread.run = original_run  # type: ignore[method-assign]
    for thread in threading.enumerate():  # let pool threads finish their profilers
        if thread is not threading.current_thread() and not thread.daemon:
            thread.join(timeout=5)
    stats = pstats.Stats(main, stream=sys.stderr)
    for profile in profiles:
        stats.add(profile)
    table: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    packages: dict[str, float] = defaultdict(float)
    rows = []
    for key, (_, calls, own, cumulative, _) in table.items():
        packages[_category(key[0], key[2])] += own
        rows.append([_describe(key), calls, own, cumulative])
    rows.sort(key=lambda row: row[2], reverse=True)
    summary = {
        "total": sum(packages.values()),
        "functions": rows[:top],
        "packages": sorted(packages.items(), key=lambda item: item[1], reverse=True),
        "threads": len(profiles) + 1,
    }
    return result, summary
