"""``droplets metrics ID KIND --since 1h``: a droplet's metric as a sparkline, a table or JSON."""

from __future__ import annotations

import argparse
import re
import sys
from datetime import timedelta
from typing import TYPE_CHECKING

from droplets import Droplet
from droplets.cli.output import format_table, print_json
from droplets.cli.parsing import add_command, positive_id
from droplets.models.metrics import METRIC_KINDS, MetricSeries

if TYPE_CHECKING:
    from droplets.cli.parsing import Subparsers

__all__ = ["register", "sparkline"]

BARS = "▁▂▃▄▅▆▇█"
_DURATION = re.compile(r"(\d+)([smhdw])")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def duration(text: str) -> timedelta:
    """Read ``90m``, ``1h``, ``2d12h`` as a duration (argparse type).

    Args:
        text: Numbers with units s, m, h, d, w.

    Returns:
        The duration.

    Raises:
        argparse.ArgumentTypeError: not such a duration, or zero.
    """
    parts = _DURATION.findall(text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise argparse.ArgumentTypeError(f"{text!r} is not a duration like 30m, 1h, 2d12h")
    total = sum((timedelta(**{_UNITS[unit]: int(number)}) for number, unit in parts), timedelta())
    if total <= timedelta(0):
        raise argparse.ArgumentTypeError("the duration must be positive")
    return total


def sparkline(values: list[float], width: int = 60) -> str:
    """A one-line chart of ``values`` in block characters, resampled to at most ``width`` cells.

    Args:
        values: The values, oldest first.
        width: The most characters to use.

    Returns:
        The line (empty for no values).
    """
    if not values:
        return ""
    if len(values) > width:
        step = len(values) / width
        values = [max(values[int(i * step) : int((i + 1) * step)] or [values[-1]]) for i in range(width)]
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    return "".join(BARS[min(len(BARS) - 1, int((v - low) / span * len(BARS)))] for v in values)


def _json(series: MetricSeries) -> object:
    return {
        "droplet_id": series.droplet_id,
        "kind": series.kind,
        "unit": series.unit,
        "start": series.start.isoformat(),
        "end": series.end.isoformat(),
        "points": [[p.at.isoformat(), p.value] for p in series.points],
        "lines": [
            {"labels": dict(line.labels), "values": [[p.at.isoformat(), p.value] for p in line.points]}
            for line in series.lines
        ],
    }


def cmd_metrics(args: argparse.Namespace) -> int:
    """Print one metric of one droplet."""
    series = Droplet.ref(args.id).metrics(
        args.kind, start=args.since, interface=args.interface, direction=args.direction
    )
    points = series.points
    if args.output == "json":
        print_json(_json(series))
        return 0
    if args.output == "table":
        rows = [[p.at.strftime("%Y-%m-%d %H:%M:%S"), f"{p.value:.6g}"] for p in points]
        unit = f" ({series.unit})" if series.unit else ""
        sys.stdout.write(format_table(["Time (UTC)", f"Value{unit}"], rows, header=not args.no_header))
        return 0
    heading = f"droplet {series.droplet_id} {series.kind}, {series.start:%Y-%m-%d %H:%M} – {series.end:%H:%M} UTC"
    if not points:
        print(f"{heading}: no samples in this range")
        return 0
    values = [p.value for p in points]
    unit = series.unit or ""
    print(heading)
    print(sparkline(values))
    low, high, last = (f"{v:.3g}{unit}" for v in (min(values), max(values), values[-1]))
    print(f"min {low}  max {high}  last {last}  ({len(values)} points)")
    return 0


def register(subparsers: Subparsers) -> None:
    """Add ``metrics``."""
    parser = add_command(
        subparsers,
        "metrics",
        summary="show a droplet's CPU, memory, load, disk or bandwidth over time",
        description=(
            "Show one metric of a droplet from the monitoring API: a sparkline with the minimum, maximum and "
            "last value (default), every point (-o table) or the series as JSON (-o json). CPU is utilisation "
            "in percent; memory and filesystem are bytes; bandwidth is Mbit/s."
        ),
        example=(
            "droplets metrics 3164444 cpu --since 6h\ndroplets metrics 3164444 bandwidth --interface public -o json"
        ),
        func=cmd_metrics,
    )
    parser.add_argument("id", type=positive_id, metavar="ID", help="the droplet id")
    parser.add_argument("kind", choices=list(METRIC_KINDS), metavar="KIND", help=", ".join(METRIC_KINDS))
    parser.add_argument(
        "--since",
        type=duration,
        default=timedelta(hours=1),
        metavar="DURATION",
        help="how far back: 30m, 1h (default), 2d",
    )
    parser.add_argument("--interface", choices=("public", "private"), default="public", help="for bandwidth")
    parser.add_argument("--direction", choices=("inbound", "outbound"), default="inbound", help="for bandwidth")
    parser.add_argument(
        "-o",
        "--output",
        choices=("sparkline", "table", "json"),
        default="sparkline",
        help="sparkline (default), table (every point) or json",
    )
    parser.add_argument("--no-header", action="store_true", help="leave out the table's header row")
