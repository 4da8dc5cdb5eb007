"""How the command prints: aligned tables, JSON, and one-line wait progress.

Tables are the default (doctl's convention): a header row and left-aligned
columns two spaces apart, so ``droplets list | column``-style reading and
``awk`` both work. ``-o json`` prints the API's JSON (each model's
``to_dict()``) for scripts. Progress of ``--wait`` goes to stderr, rewritten
in place with ``\\r``, and only when stderr is a terminal.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any

from droplets.models.droplet_wait import ReadyProgress

if TYPE_CHECKING:
    from droplets import Action
    from droplets.client import Client

__all__ = ["EMPTY", "Column", "WaitDisplay", "cell", "emit", "format_table", "print_json", "rows_of"]

EMPTY = "-"
"""What an empty cell shows."""

Column = tuple[str, Callable[[Any], object]]
"""A table column: its header and how to read the cell from an object."""


def cell(value: object) -> str:
    """Render one value for a table cell.

    Args:
        value: Any field value.

    Returns:
        ``-`` for None, an empty string or an empty list (so that every row
        has every column, and ``--no-header`` output splits on white space),
        ``true``/``false`` for booleans, comma-joined items for lists, ISO 8601
        for datetimes, else ``str(value)`` with its white space folded.
    """
    if value is None:
        return EMPTY
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, (list, tuple)):
        text = ",".join(item for item in (cell(item) for item in value) if item != EMPTY)
    else:
        text = " ".join(str(value).split())
    return text or EMPTY


def format_table(headers: Sequence[str], rows: Iterable[Sequence[str]], *, header: bool = True) -> str:
    """Lay out rows in left-aligned columns separated by two spaces.

    Args:
        headers: Column titles.
        rows: Cell strings, one sequence per row.
        header: Whether to print the header row.

    Returns:
        The table, one line per row, each ending in a newline (empty string
        when there is nothing to print).

    Example:
        >>> print(format_table(["ID", "Name"], [["1", "web-1"], ["22", "db"]]), end="")
        ID  Name
        1   web-1
        22  db
    """
    lines = [list(headers)] if header else []
    lines.extend(list(row) for row in rows)
    if not lines:
        return ""
    widths = [max(len(line[i]) for line in lines) for i in range(len(headers))]
    text = ""
    for line in lines:
        text += "  ".join(value.ljust(width) for value, width in zip(line, widths, strict=True)).rstrip() + "\n"
    return text


def print_json(data: object, stream: IO[str] | None = None) -> None:
    """Print ``data`` as indented JSON.

    Args:
        data: JSON-compatible data (dicts from ``to_dict()``).
        stream: Where to write; stdout by default.
    """
    out = stream or sys.stdout
    out.write(json.dumps(data, indent=2) + "\n")


def rows_of(objects: Iterable[Any], columns: Sequence[Column]) -> list[list[str]]:
    """Return the table cells of ``objects`` under ``columns``."""
    return [[cell(read(obj)) for _, read in columns] for obj in objects]


def emit(objects: Sequence[Any], columns: Sequence[Column], args: Any, *, single: bool = False) -> None:
    """Print models as the table or JSON the user asked for with ``-o``.

    Args:
        objects: Models with ``to_dict()``.
        columns: The table's columns.
        args: Parsed arguments with ``output`` and ``no_header``.
        single: Print JSON as one object rather than a list (``show``).
    """
    if args.output == "json":
        data = [obj.to_dict() for obj in objects]
        print_json(data[0] if single and data else data)
        return
    rows = rows_of(objects, columns)
    sys.stdout.write(format_table([title for title, _ in columns], rows, header=not args.no_header))


class WaitDisplay:
    """The ``progress=`` callback of ``--wait``: a status line rewritten in place.

    Shows how many of the awaited actions have completed out of how many
    (``3/12 completed``, and how many errored; for a ready or gone wait,
    ``k/N ready`` and the stage still awaited), and the time spent waiting on
    the client's clock (virtual on a sandbox). Draws only when ``active`` and
    ``stream`` is a terminal. Use it
    as a context manager: it draws the first line on entry and ends the line
    on exit, even when the wait fails.

    Args:
        label: What is awaited, e.g. ``"power_off"``.
        client: The client whose clock measures the wait.
        active: Whether anything is awaited (``--wait`` was given).
        stream: Where to draw; stderr by default.
        total: How many actions are awaited, when known before the first poll
            (otherwise: how many have been seen).

    Example:
        >>> with WaitDisplay("power_off", client, active=True) as show:   # doctest: +SKIP
        ...     Droplet.get(1).power_off(wait=True, progress=show)
    """

    def __init__(
        self,
        label: str,
        client: Client,
        *,
        active: bool = True,
        stream: IO[str] | None = None,
        total: int | None = None,
    ) -> None:
        self.label = label
        self.total = total
        self.stream = stream or sys.stderr
        self.enabled = active and _is_tty(self.stream)
        self._clock = client.clock
        self._started = self._clock.monotonic()
        self._statuses: dict[int, str] = {}
        self._ready: ReadyProgress | None = None
        self._width = 0

    def __call__(self, update: Action | ReadyProgress) -> None:
        """Record an action's status (or a ready/gone wait's progress) after a poll and redraw the line."""
        if isinstance(update, ReadyProgress):
            self._ready = update
        else:
            self._statuses[update.id] = update.status
        self._draw()

    def _draw(self) -> None:
        if not self.enabled:
            return
        statuses = list(self._statuses.values())
        total = max(self.total or 0, len(statuses))
        elapsed = self._clock.monotonic() - self._started
        if total:
            seen = f"{statuses.count('completed')}/{total} completed"
            errored = statuses.count("errored")
            seen += f", {errored} errored" if errored else ""
        else:
            seen = "started"
        ready = self._ready
        if ready is not None:
            word = "gone" if self.label == "destroy" else "ready"
            seen = f"{ready.done}/{ready.total} {word}" + (f", next: {ready.stage}" if ready.stage != "ready" else "")
        text = f"waiting for {self.label}: {seen} ({elapsed:.0f}s)"
        self.stream.write("\r" + text.ljust(self._width))
        self.stream.flush()
        self._width = max(self._width, len(text))

    def __enter__(self) -> WaitDisplay:
        self._draw()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._width:
            self.stream.write("\n")
            self.stream.flush()


def _is_tty(stream: IO[str]) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
