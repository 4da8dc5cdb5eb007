"""Droplet metrics: typed time series from the monitoring API.

``d.metrics("cpu")`` asks ``GET /v2/monitoring/metrics/droplet/cpu`` for one
droplet over a time range (the last hour unless told otherwise) and returns a
`MetricSeries`. The API answers in Prometheus' range-query shape, with values
as strings; this module reads that shape strictly (a missing key or a value
that is not a number raises `UnexpectedResponse` naming where) and gives:

- ``series.lines``: every labelled line the API sent (CPU has one per mode,
  bandwidth one per interface and direction), each with its `MetricPoint` s;
- ``series.points``: the one line to look at. For ``cpu`` that is the CPU
  utilisation in percent between consecutive samples, computed from the
  per-mode counters (``100 × busy / total``, busy being every mode but
  ``idle``), which is what a dashboard draws; for one line, its points; for
  several (filesystems on several devices), their sum at each time;
- ``series.to_rows()``: plain dicts, one per point and line, ready for
  ``pandas.DataFrame`` or ``csv.DictWriter``;
- a chart in Jupyter (``_repr_html_``, an inline SVG: no plotting library
  needed) and `MetricSeries.plot` with matplotlib, when it is installed
  (``pip install 'droplets-orm[plot]'``; never a runtime dependency).

Times are timezone-aware datetimes in UTC. The metric kinds and their units
are in `METRIC_KINDS`.
"""

from __future__ import annotations

import html
import itertools
import math
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Literal

import attrs

from droplets import _api
from droplets.errors import UnexpectedResponse, ValidationError

if TYPE_CHECKING:
    from droplets.client import Client

__all__ = ["METRIC_KINDS", "MetricKind", "MetricLine", "MetricPoint", "MetricSeries", "fetch_droplet_metric"]

METRICS_PATH = "/v2/monitoring/metrics/droplet"
"""The collection of the droplet metric endpoints (one per kind below it)."""

MetricKind = Literal[
    "cpu",
    "bandwidth",
    "memory_available",
    "memory_cached",
    "memory_free",
    "memory_total",
    "load_1",
    "load_5",
    "load_15",
    "filesystem_free",
    "filesystem_size",
]
METRIC_KINDS: Mapping[str, str | None] = {
    "cpu": "%",
    "bandwidth": "Mbit/s",
    "memory_available": "bytes",
    "memory_cached": "bytes",
    "memory_free": "bytes",
    "memory_total": "bytes",
    "load_1": None,
    "load_5": None,
    "load_15": None,
    "filesystem_free": "bytes",
    "filesystem_size": "bytes",
}
"""Every metric kind and the unit of its `MetricSeries.points` (``cpu``: percent utilisation)."""
INTERFACES = ("public", "private")
DIRECTIONS = ("inbound", "outbound")
DEFAULT_RANGE = timedelta(hours=1)


@attrs.frozen
class MetricPoint:
    """One sample: when, and the value.

    Attributes:
        at: The sample's time (aware, UTC).
        value: The value, in the series' unit.
    """

    at: datetime
    value: float


@attrs.frozen
class MetricLine:
    """One labelled line of a series, as the API sent it.

    Attributes:
        labels: The Prometheus labels (``host_id``, and ``mode`` for CPU,
            ``interface``/``direction`` for bandwidth, ``device``/``mountpoint``
            for filesystems).
        points: The samples, oldest first.
    """

    labels: Mapping[str, str]
    points: tuple[MetricPoint, ...]


@attrs.frozen
class MetricSeries:
    """A droplet's metric over a time range.

    Attributes:
        kind: The metric (one of `METRIC_KINDS`).
        droplet_id: The droplet the series is of.
        start: The start of the range asked for (aware, UTC).
        end: The end of the range asked for (aware, UTC).
        lines: Every labelled line the API sent.

    Example:
        >>> series = droplet.metrics("load_1")          # doctest: +SKIP
        >>> series.points[-1].value                      # doctest: +SKIP
        0.27
    """

    kind: str
    droplet_id: int
    start: datetime
    end: datetime
    lines: tuple[MetricLine, ...]

    @property
    def unit(self) -> str | None:
        """The unit of `points` (``"%"`` for CPU, ``"bytes"``, ``"Mbit/s"``, or None for load averages)."""
        return METRIC_KINDS.get(self.kind)

    @property
    def points(self) -> tuple[MetricPoint, ...]:
        """The one line to look at: CPU utilisation for ``cpu``, else the line (or the sum of the lines)."""
        if self.kind == "cpu":
            return _cpu_utilisation(self.lines)
        if len(self.lines) == 1:
            return self.lines[0].points
        totals: dict[datetime, float] = {}
        for line in self.lines:
            for point in line.points:
                totals[point.at] = totals.get(point.at, 0.0) + point.value
        return tuple(MetricPoint(at, value) for at, value in sorted(totals.items()))

    def to_rows(self) -> list[dict[str, Any]]:
        """Every sample of every line as a dict: ``time`` (aware datetime), ``value`` and the line's labels.

        Returns:
            One dict per sample and line, oldest first within each line.
        """
        return [{"time": p.at, "value": p.value, **line.labels} for line in self.lines for p in line.points]

    def plot(self, ax: Any = None) -> Any:
        """Draw `points` with matplotlib (the ``plot`` extra).

        Args:
            ax: A matplotlib ``Axes`` to draw on; a new figure's when None.

        Returns:
            The ``Axes``.

        Raises:
            ValidationError: matplotlib is not installed (``pip install 'droplets-orm[plot]'``).
        """
        try:
            import matplotlib.pyplot as plt
        except ImportError:
            raise ValidationError(
                "plot() needs matplotlib, which is not installed: pip install 'droplets-orm[plot]' "
                "(or use to_rows(), or the chart Jupyter shows)"
            ) from None
        if ax is None:
            _, ax = plt.subplots()
        points = self.points
        ax.plot([p.at for p in points], [p.value for p in points])
        ax.set_title(f"droplet {self.droplet_id}: {self.kind}")
        ax.set_ylabel(self.unit or self.kind)
        return ax

    def __repr__(self) -> str:
        points = self.points
        last = f", last {_format(points[-1].value, self.unit)}" if points else ""
        return f"<MetricSeries {self.kind} of droplet {self.droplet_id}: {len(points)} points{last}>"

    def _repr_html_(self) -> str:
        """A small SVG line chart with the range and the minimum, maximum and last value (Jupyter)."""
        points = self.points
        title = html.escape(f"droplet {self.droplet_id}: {self.kind}")
        span = f"{self.start:%Y-%m-%d %H:%M} – {self.end:%Y-%m-%d %H:%M} UTC"
        if not points:
            return f"<div><b>{title}</b><br><small>{span}: no samples</small></div>"
        values = [p.value for p in points]
        summary = ", ".join(
            f"{name} {_format(value, self.unit)}" for name, value in (("min", min(values)), ("max", max(values)),
                                                                       ("last", values[-1]))
        )  # fmt: skip
        return (
            f'<div class="droplets-metric"><b>{title}</b><br>{_svg(points)}<br>'
            f"<small>{html.escape(span)}; {len(points)} points; {html.escape(summary)}</small></div>"
        )


def _format(value: float, unit: str | None) -> str:
    if unit == "bytes":
        for name, size in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
            if abs(value) >= size:
                return f"{value / size:.1f} {name}"
        return f"{value:.0f} B"
    text = f"{value:.3g}"
    return f"{text} {unit}" if unit and unit != "%" else f"{text}{unit or ''}"


def _svg(points: tuple[MetricPoint, ...], width: int = 360, height: int = 80) -> str:
    low = min(p.value for p in points)
    high = max(p.value for p in points)
    first, last = points[0].at.timestamp(), points[-1].at.timestamp()
    x_span = (last - first) or 1.0
    y_span = (high - low) or 1.0
    coords = " ".join(
        f"{(p.at.timestamp() - first) / x_span * (width - 4) + 2:.1f},"
        f"{height - 2 - (p.value - low) / y_span * (height - 4):.1f}"
        for p in points
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img">'
        f'<polyline fill="none" stroke="#0069ff" stroke-width="1.5" points="{coords}"/></svg>'
    )


def _cpu_utilisation(lines: tuple[MetricLine, ...]) -> tuple[MetricPoint, ...]:
    by_time: dict[datetime, dict[str, float]] = {}
    for line in lines:
        mode = line.labels.get("mode", "")
        for point in line.points:
            by_time.setdefault(point.at, {})[mode] = point.value
    times = sorted(by_time)
    out = []
    for before, after in itertools.pairwise(times):
        deltas = {mode: after_value - by_time[before].get(mode, after_value)
                  for mode, after_value in by_time[after].items()}  # fmt: skip
        total = sum(deltas.values())
        if total > 0:
            busy = total - deltas.get("idle", 0.0)
            out.append(MetricPoint(after, max(0.0, min(100.0, 100.0 * busy / total))))
    return tuple(out)


def _aware(value: datetime, name: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(
            f"{name} must be a timezone-aware datetime (e.g. datetime.now(timezone.utc)), got {value!r}"
        )
    return value.astimezone(timezone.utc)


def time_range(
    start: datetime | timedelta | None, end: datetime | None, now: datetime | None = None
) -> tuple[datetime, datetime]:
    """Resolve a metric query's range: aware datetimes, ``start`` also as a duration back from ``end``.

    Args:
        start: The start, or how long before ``end``; the last hour when None.
        end: The end; now when None.
        now: What "now" is (tests pass a fixed time).

    Returns:
        ``(start, end)`` in UTC.

    Raises:
        ValidationError: a naive datetime, a negative duration, or start after end.
    """
    end_at = _aware(end, "end") if end is not None else (now or datetime.now(timezone.utc))
    if isinstance(start, timedelta):
        if start <= timedelta(0):
            raise ValidationError(f"start as a duration must be positive, got {start!r}")
        start_at = end_at - start
    elif start is None:
        start_at = end_at - DEFAULT_RANGE
    elif isinstance(start, datetime):
        start_at = _aware(start, "start")
    else:
        raise ValidationError(f"start must be a datetime or a timedelta, got {start!r}")
    if start_at > end_at:
        raise ValidationError(f"start ({start_at:%Y-%m-%d %H:%M:%S}Z) is after end ({end_at:%Y-%m-%d %H:%M:%S}Z)")
    return start_at, end_at


def _check_kind(kind: str, interface: str, direction: str) -> dict[str, str]:
    if not isinstance(kind, str) or kind not in METRIC_KINDS:
        hint = ""
        if isinstance(kind, str) and kind.startswith(("memory", "load", "filesystem")):
            family = [k for k in METRIC_KINDS if k.startswith(kind.split("_")[0])]
            hint = f" (did you mean one of {', '.join(family)}?)"
        raise ValidationError(f"unknown metric {kind!r}{hint}; the kinds are: {', '.join(METRIC_KINDS)}")
    if kind != "bandwidth":
        return {}
    if interface not in INTERFACES:
        raise ValidationError(f"interface must be one of {', '.join(INTERFACES)}, got {interface!r}")
    if direction not in DIRECTIONS:
        raise ValidationError(f"direction must be one of {', '.join(DIRECTIONS)}, got {direction!r}")
    return {"interface": interface, "direction": direction}


def fetch_droplet_metric(
    client: Client,
    droplet_id: int,
    kind: str,
    *,
    start: datetime | timedelta | None = None,
    end: datetime | None = None,
    interface: str = "public",
    direction: str = "inbound",
) -> MetricSeries:
    """Ask the monitoring API for one droplet's metric (what `Droplet.metrics` does).

    Args:
        client: The client to send through.
        droplet_id: The droplet.
        kind: One of `METRIC_KINDS`.
        start: The range's start (aware datetime) or a duration back from ``end``; the last hour when None.
        end: The range's end (aware datetime); now (on the client's clock: the sandbox's virtual one) when None.
        interface: For ``bandwidth``: ``public`` or ``private``.
        direction: For ``bandwidth``: ``inbound`` or ``outbound``.

    Returns:
        The series.

    Raises:
        ValidationError: bad input, before any request.
        UnexpectedResponse: the answer is not in the Prometheus shape the spec gives.
    """
    extra = _check_kind(kind, interface, direction)
    start_at, end_at = time_range(start, end, now=datetime.fromtimestamp(client.clock.time(), timezone.utc))
    params = {
        "host_id": str(droplet_id),
        "start": str(math.floor(start_at.timestamp())),
        "end": str(math.ceil(end_at.timestamp())),
        **extra,
    }
    data = _api.get(client, f"{METRICS_PATH}/{kind}", "data", dict, params)
    return MetricSeries(kind, droplet_id, start_at, end_at, _lines(data))


def _lines(data: Mapping[str, Any]) -> tuple[MetricLine, ...]:
    """Read ``data`` of a Prometheus range answer strictly."""
    result = data.get("result")
    if data.get("resultType") != "matrix" or not isinstance(result, list):
        raise UnexpectedResponse("the metrics answer is not a Prometheus matrix", status=200, path="data")
    lines = []
    for number, item in enumerate(result):
        where = f"data.result[{number}]"
        labels, values = (item.get("metric"), item.get("values")) if isinstance(item, dict) else (None, None)
        if not isinstance(labels, dict) or not all(isinstance(v, str) for v in labels.values()):
            raise UnexpectedResponse("a metric line has no string labels", status=200, path=f"{where}.metric")
        if not isinstance(values, list):
            raise UnexpectedResponse("a metric line has no values", status=200, path=f"{where}.values")
        points = []
        for index, sample in enumerate(values):
            try:
                at, text = sample
                if isinstance(at, bool) or not isinstance(at, (int, float)) or not isinstance(text, str):
                    raise TypeError(sample)
                value = float(text)
                moment = datetime.fromtimestamp(at, timezone.utc)
            except (TypeError, ValueError, OverflowError, OSError):
                raise UnexpectedResponse(
                    'a metric sample is not [unix seconds, "number"]', status=200, path=f"{where}.values[{index}]"
                ) from None
            points.append(MetricPoint(moment, value))
        lines.append(MetricLine(dict(labels), tuple(points)))
    return tuple(lines)
