"""Droplet metrics on the client side: input refused before sending, answers read strictly, the views."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser
from typing import Any

import pytest

from droplets import Client, Droplet, UnexpectedResponse, ValidationError
from droplets.models.metrics import MetricLine, MetricPoint, MetricSeries
from tests.conftest import MockTransport, json_response, load_example

END = datetime(2021, 10, 28, 2, 12, tzinfo=timezone.utc)


def _client(body: Any) -> tuple[Client, MockTransport]:
    transport = MockTransport(lambda request: json_response(200, body))
    return Client(token="t", transport=transport), transport


def _droplet(body: Any = None) -> tuple[Droplet, MockTransport]:
    client, transport = _client(
        body if body is not None else load_example("monitoring_get_droplet_cpu_metrics_200.json")
    )
    return client.droplets.ref(3164444), transport


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "memory"}, "memory_available"),
        ({"kind": "gpu"}, "unknown metric"),
        ({"kind": "cpu", "end": datetime(2021, 10, 28)}, "timezone-aware"),
        ({"kind": "cpu", "start": datetime(2021, 10, 28)}, "timezone-aware"),
        ({"kind": "cpu", "start": END + timedelta(seconds=1), "end": END}, "after end"),
        ({"kind": "cpu", "start": timedelta(0), "end": END}, "positive"),
        ({"kind": "cpu", "start": "1h", "end": END}, "datetime or a timedelta"),
        ({"kind": "bandwidth", "interface": "eth0"}, "interface"),
        ({"kind": "bandwidth", "direction": "in"}, "direction"),
    ],
)
def test_bad_input_is_refused_before_any_request(kwargs: dict[str, Any], message: str) -> None:
    droplet, transport = _droplet()
    kind = kwargs.pop("kind")
    with pytest.raises(ValidationError, match=message):
        droplet.metrics(kind, **kwargs)
    assert transport.requests == []


def test_the_request_names_the_droplet_and_the_range_in_unix_seconds() -> None:
    droplet, transport = _droplet(load_example("monitoring_get_droplet_bandwidth_metrics_200_outbound_private.json"))
    droplet.metrics("bandwidth", start=timedelta(minutes=30), end=END, interface="private", direction="outbound")
    (request,) = transport.requests
    assert request.method == "GET"
    assert request.url.startswith("https://api.digitalocean.com/v2/monitoring/metrics/droplet/bandwidth?")
    query = dict(part.split("=") for part in request.url.split("?", 1)[1].split("&"))
    assert query == {"host_id": "3164444", "start": str(int(END.timestamp()) - 1800), "end": str(int(END.timestamp())),
                     "interface": "private", "direction": "outbound"}  # fmt: skip


def test_the_default_range_is_the_last_hour_on_the_clients_clock() -> None:
    droplet, _ = _droplet()
    series = droplet.metrics("cpu")
    assert series.end - series.start == timedelta(hours=1)
    assert series.end.tzinfo is timezone.utc
    assert abs(series.end.timestamp() - droplet.client.clock.time()) < 60


def test_cpu_points_are_utilisation_from_the_mode_counters() -> None:
    droplet, _ = _droplet()
    series = droplet.metrics("cpu", start=timedelta(hours=1), end=END)
    example = load_example("monitoring_get_droplet_cpu_metrics_200.json")["data"]["result"]
    counters = {line["metric"]["mode"]: [float(v) for _, v in line["values"]] for line in example}
    deltas = {mode: values[1] - values[0] for mode, values in counters.items()}
    expected = 100 * (sum(deltas.values()) - deltas["idle"]) / sum(deltas.values())
    assert len(series.lines) == 8 and len(series.points) == len(example[0]["values"]) - 1
    assert series.points[0].value == pytest.approx(expected)
    assert series.points[0].at == datetime.fromtimestamp(example[0]["values"][1][0], timezone.utc)


def test_several_lines_are_summed_per_time_and_rows_keep_every_line() -> None:
    at = [END - timedelta(minutes=2), END]
    lines = tuple(
        MetricLine(
            {"host_id": "1", "device": device}, tuple(MetricPoint(t, v) for t, v in zip(at, values, strict=True))
        )
        for device, values in (("/dev/vda1", [1.0, 2.0]), ("/dev/vdb", [10.0, 20.0]))
    )
    series = MetricSeries("filesystem_free", 1, at[0], at[1], lines)
    assert [p.value for p in series.points] == [11.0, 22.0]
    rows = series.to_rows()
    assert len(rows) == 4 and {r["device"] for r in rows} == {"/dev/vda1", "/dev/vdb"}
    assert rows[0] == {"time": at[0], "value": 1.0, "host_id": "1", "device": "/dev/vda1"}


HOSTILE = [
    ({"status": "success", "data": []}, "data"),
    ({"status": "success", "data": {"resultType": "vector", "result": []}}, "data"),
    ({"status": "success", "data": {"resultType": "matrix", "result": [{"values": []}]}}, "data.result[0].metric"),
    ({"status": "success", "data": {"resultType": "matrix", "result": [{"metric": {"a": 1}, "values": []}]}},
     "data.result[0].metric"),
    ({"status": "success", "data": {"resultType": "matrix", "result": [{"metric": {}, "values": {}}]}},
     "data.result[0].values"),
    ({"status": "success", "data": {"resultType": "matrix", "result": [{"metric": {}, "values": [[1, 2]]}]}},
     "data.result[0].values[0]"),
    ({"status": "success", "data": {"resultType": "matrix", "result": [{"metric": {}, "values": [[1, "x"]]}]}},
     "data.result[0].values[0]"),
    ({"status": "success", "data": {"resultType": "matrix", "result": [{"metric": {}, "values": [["1", "2"]]}]}},
     "data.result[0].values[0]"),
    ({"status": "success", "data": {"resultType": "matrix", "result": [{"metric": {}, "values": [[1e300, "2"]]}]}},
     "data.result[0].values[0]"),
    ({"status": "success", "data": {"resultType": "matrix", "result": [{"metric": {}, "values": [[1]]}]}},
     "data.result[0].values[0]"),
]  # fmt: skip


@pytest.mark.parametrize(("body", "where"), HOSTILE)
def test_an_answer_not_in_the_prometheus_shape_names_where(body: Any, where: str) -> None:
    droplet, _ = _droplet(body)
    with pytest.raises(UnexpectedResponse) as caught:
        droplet.metrics("load_1", start=timedelta(hours=1), end=END)
    assert caught.value.path == where


class _Chart(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.polyline: str = ""
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "polyline":
            self.polyline = dict(attrs).get("points") or ""

    def handle_data(self, data: str) -> None:
        self.text += data


def test_jupyter_renders_a_chart_of_the_points() -> None:
    """What a notebook does with the last expression of a cell: call ``_repr_html_`` and show it."""
    droplet, _ = _droplet(load_example("monitoring_get_droplet_bandwidth_metrics_200_inbound_public.json"))
    series = droplet.metrics(
        "bandwidth", start=timedelta(hours=1), end=datetime.fromtimestamp(1634052720, timezone.utc)
    )
    chart = _Chart()
    chart.feed(series._repr_html_())
    assert "svg" in chart.tags and "polyline" in chart.tags
    coordinates = [tuple(map(float, pair.split(","))) for pair in chart.polyline.split()]
    assert len(coordinates) == len(series.points) == 4
    assert all(0 <= x <= 360 and 0 <= y <= 80 for x, y in coordinates)
    assert "bandwidth" in chart.text and "4 points" in chart.text and "Mbit/s" in chart.text
    assert "4 points" in repr(series)


def test_an_empty_series_renders_without_a_chart() -> None:
    droplet, _ = _droplet({"status": "success", "data": {"resultType": "matrix", "result": []}})
    series = droplet.metrics("load_5", start=timedelta(hours=1), end=END)
    assert series.points == () and "no samples" in series._repr_html_()


def test_plot_without_matplotlib_says_which_extra_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_matplotlib(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("matplotlib"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    droplet, _ = _droplet()
    series = droplet.metrics("cpu", start=timedelta(hours=1), end=END)
    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    with pytest.raises(ValidationError, match=r"droplets-orm\[plot\]"):
        series.plot()


def test_plot_draws_the_points_with_matplotlib() -> None:
    import matplotlib

    matplotlib.use("Agg")
    droplet, _ = _droplet()
    series = droplet.metrics("cpu", start=timedelta(hours=1), end=END)
    ax = series.plot()
    (line,) = ax.get_lines()
    assert list(line.get_ydata()) == [p.value for p in series.points]
