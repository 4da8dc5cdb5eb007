"""Destroy with associated resources on the client side: refusals before sending, the wire, the typed answers."""

from __future__ import annotations

import json
from typing import Any

import pytest

from droplets import (
    Client,
    DestroyFailed,
    Droplet,
    DropletsError,
    UnexpectedResponse,
    ValidationError,
    WaitTimeout,
)
from droplets._converter import strict, structure_wire
from droplets.models.associated import AssociatedResources, DestroyStatus
from droplets.sandbox.clock import VirtualClock
from droplets.transport.base import Request, Response
from tests.conftest import MockTransport, json_response, load_example

DROPLET = 187000742
PREVIEW = "droplets_list_associated_resources_200.json"
STATUS = "droplets_get_destroy_associated_resources_status_200.json"
BASE = f"/v2/droplets/{DROPLET}/destroy_with_associated_resources"


def _answer(request: Request) -> Response:
    if request.method == "GET" and request.url.endswith(BASE):
        return json_response(200, load_example(PREVIEW))
    if request.method == "GET" and request.url.endswith(f"{BASE}/status"):
        return json_response(200, load_example(STATUS))
    return json_response(202, None)


def _droplet(handler: Any = _answer) -> tuple[Droplet, MockTransport]:
    transport = MockTransport(handler)
    client = Client(token="secret-token", transport=transport, clock=VirtualClock())
    return Droplet.objects.using(client).ref(DROPLET), transport


def test_the_spec_examples_structure_strictly() -> None:
    preview = structure_wire(load_example(PREVIEW), AssociatedResources, conv=strict)
    assert [r.name for r in preview.volumes] == ["volume-nyc1-01"]
    assert str(preview.total_cost) == "14.09"  # the reserved IP, listed twice, counted once
    status = structure_wire(load_example(STATUS), DestroyStatus, conv=strict)
    assert status.done and status.failures == 0 and not status.left and not status.pending
    assert status.droplet is not None and status.droplet.id == "187000742"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"associated": "everything"}, 'takes "all"'),
        ({"associated": True}, 'takes "all"'),
        ({"associated": "all", "volumes": ["ba49449a-7435-11ea-b89e-0a58ac14480f"]}, "do not also list"),
        ({"associated": "all", "reserved_ips": []}, "do not also list"),
        ({"volumes": "ba49449a-7435-11ea-b89e-0a58ac14480f"}, "takes a list"),
        ({"volumes": 5}, "takes a list"),
        ({"volumes": [None]}, "volumes= takes Volume"),
        ({"snapshots": [True]}, "snapshots= takes Image"),
        ({"snapshots": [-3]}, "snapshots= takes Image"),
        ({"reserved_ips": [""]}, "reserved_ips= takes ReservedIP"),
        ({"volume_snapshots": [object()]}, "volume_snapshots= takes Snapshot"),
        ({"associated": "all", "wait": "yes"}, "wait must be True or False"),
        ({"associated": "all", "wait": True, "poll": 0}, "poll"),
        ({"volumes": [], "wait": True, "timeout": -1}, "timeout"),
    ],
)
def test_bad_input_is_refused_before_any_request(kwargs: dict[str, Any], message: str) -> None:
    d, transport = _droplet()
    with pytest.raises(ValidationError, match=message):
        d.destroy(**kwargs)
    assert transport.requests == []


def test_an_unknown_keyword_is_a_type_error_not_a_request() -> None:
    d, transport = _droplet()
    with pytest.raises(TypeError):
        d.destroy(images=["1"])  # type: ignore[call-arg]
    assert transport.requests == []


def test_the_dangerous_destroy_sends_x_dangerous_and_no_body() -> None:
    d, transport = _droplet()
    assert d.destroy(associated="all") is None
    (request,) = transport.requests
    assert request.method == "DELETE" and request.url.endswith(f"{BASE}/dangerous")
    assert request.headers["X-Dangerous"] == "true"
    assert request.headers["Authorization"] == "Bearer secret-token"
    assert not request.body


def test_a_plain_destroy_stays_a_plain_delete_without_x_dangerous() -> None:
    d, transport = _droplet(lambda request: json_response(204, None))
    d.destroy()
    (request,) = transport.requests
    assert request.method == "DELETE" and request.url.endswith(f"/v2/droplets/{DROPLET}")
    assert "X-Dangerous" not in request.headers


def test_the_selective_destroy_maps_models_names_and_ids_to_the_previews_ids() -> None:
    d, transport = _droplet()
    preview = d.associated_resources()
    d.destroy(
        volumes=["volume-nyc1-01"],
        snapshots=[61486916],
        volume_snapshots=[preview.volume_snapshots[0]],
        reserved_ips=["45.55.96.47"],
    )
    get, delete = transport.requests[1:]
    assert get.method == "GET" and get.url.endswith(BASE)
    assert delete.method == "DELETE" and delete.url.endswith(f"{BASE}/selective")
    assert "X-Dangerous" not in delete.headers
    assert json.loads(delete.body or b"") == {
        "volumes": ["ba49449a-7435-11ea-b89e-0a58ac14480f"],
        "snapshots": ["61486916"],
        "volume_snapshots": ["edb0478d-7436-11ea-86e6-0a58ac144b91"],
        "reserved_ips": ["6186916"],
    }


def test_a_resource_not_associated_is_refused_before_anything_is_deleted() -> None:
    d, transport = _droplet()
    with pytest.raises(ValidationError, match="not associated with it") as caught:
        d.destroy(volumes=["ba49449a-7435-11ea-b89e-0a58ac14480f", "someone-elses-volume"])
    assert "volume-nyc1-01" in str(caught.value)
    assert [r.method for r in transport.requests] == ["GET"]


def test_wait_raises_destroy_failed_listing_what_is_left_and_why() -> None:
    failed = load_example(STATUS)
    failed["resources"]["volumes"] = [{"id": "ba49", "name": "volume-nyc1-01", "error_message": "volume busy"}]
    failed["failures"] = 1

    def handler(request: Request) -> Response:
        return json_response(200, failed) if request.method == "GET" else json_response(202, None)

    d, _ = _droplet(handler)
    with pytest.raises(DestroyFailed) as caught:
        d.destroy(associated="all", wait=True)
    assert isinstance(caught.value, DropletsError)
    assert caught.value.left == [("volumes", "ba49", "volume-nyc1-01", "volume busy")]
    assert "volume busy" in str(caught.value) and "retry_destroy" in str(caught.value)
    assert "secret-token" not in str(caught.value)


def test_failures_counted_but_unnamed_still_raise() -> None:
    odd = {**load_example(STATUS), "failures": 2}

    def handler(request: Request) -> Response:
        return json_response(200, odd) if request.method == "GET" else json_response(202, None)

    d, _ = _droplet(handler)
    with pytest.raises(DestroyFailed, match="2 resource"):
        d.retry_destroy(wait=True)


def test_a_flow_that_never_completes_times_out_instead_of_hanging() -> None:
    running = {**load_example(STATUS)}
    del running["completed_at"]

    def handler(request: Request) -> Response:
        return json_response(200, running) if request.method == "GET" else json_response(202, None)

    d, transport = _droplet(handler)
    with pytest.raises(WaitTimeout) as caught:
        d.destroy(associated="all", wait=True, poll=5, timeout=30)
    assert caught.value.stage == "destroy"
    assert 1 < len(transport.requests) <= 8


def test_a_status_in_another_shape_is_unexpected() -> None:
    d, _ = _droplet(lambda request: json_response(200, {"droplet": 5, "failures": "none"}))
    with pytest.raises(UnexpectedResponse, match="DestroyStatus"):
        d.destroy_status()


def test_a_completed_flow_with_a_resource_neither_destroyed_nor_failed_still_raises() -> None:
    odd = load_example(STATUS)
    odd["resources"]["volumes"] = [{"id": "ba49", "name": "volume-nyc1-01"}]

    def handler(request: Request) -> Response:
        return json_response(200, odd) if request.method == "GET" else json_response(202, None)

    d, _ = _droplet(handler)
    with pytest.raises(DestroyFailed) as caught:
        d.destroy(associated="all", wait=True)
    assert caught.value.left == [("volumes", "ba49", "volume-nyc1-01", "not destroyed, and the API gave no reason")]


def test_the_status_of_another_droplet_is_not_taken_for_this_ones() -> None:
    other = load_example(STATUS)
    other["droplet"]["id"] = "3164444"

    def handler(request: Request) -> Response:
        return json_response(200, other) if request.method == "GET" else json_response(202, None)

    d, _ = _droplet(handler)
    with pytest.raises(UnexpectedResponse, match="droplet 3164444") as caught:
        d.destroy(associated="all", wait=True)
    assert str(DROPLET) in str(caught.value) and "secret-token" not in str(caught.value)
    with pytest.raises(UnexpectedResponse, match="droplet 3164444"):
        d.destroy_status()
