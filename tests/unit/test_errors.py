"""One function maps status and DigitalOcean's error body to a class."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

import droplets
from droplets.errors import error_for_response
from tests.conftest import load_example


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, droplets.BadRequest),
        (401, droplets.Unauthorized),
        (403, droplets.Forbidden),
        (404, droplets.NotFound),
        (409, droplets.Conflict),
        (422, droplets.Unprocessable),
        (429, droplets.RateLimited),
        (500, droplets.ServerError),
        (503, droplets.ServerError),
        (418, droplets.APIError),
    ],
)
def test_status_maps_to_class(status: int, cls: type) -> None:
    body = json.dumps({"id": "x", "message": "m", "request_id": "r-1"}).encode()
    error = error_for_response(status, {}, body, method="GET", url="https://api.digitalocean.com/v2/droplets")
    assert type(error) is cls
    assert isinstance(error, droplets.APIError)
    assert isinstance(error, droplets.DropletsError)


@pytest.mark.parametrize("name", ["error_401.json", "error_404.json", "error_429.json", "error_500.json"])
def test_spec_error_bodies_keep_id_message_and_request_id(name: str) -> None:
    body = load_example(name)
    status = int(name.split("_")[1].split(".")[0])
    error = error_for_response(status, {}, json.dumps(body).encode(), method="GET", url="https://h/v2/droplets/1")
    assert isinstance(error, droplets.APIError)
    assert (error.status, error.id, error.message) == (status, body["id"], body["message"])
    assert error.request_id == body.get("request_id")
    text = str(error)
    assert str(status) in text and body["id"] in text and body["message"] in text
    if body.get("request_id"):
        assert body["request_id"] in text
    assert "GET https://h/v2/droplets/1" in text


def test_request_id_falls_back_to_header() -> None:
    error = error_for_response(404, {"X-Request-Id": "hdr-9"}, b'{"id":"not_found","message":"gone"}')
    assert isinstance(error, droplets.NotFound)
    assert error.request_id == "hdr-9"


@pytest.mark.parametrize("body", [b"<html>502 Bad Gateway</html>", b"", b"[1,2]", b'{"message": "no id"}'])
def test_non_json_or_misshapen_body_is_unexpected_response(body: bytes) -> None:
    error = error_for_response(502, {}, body)
    assert isinstance(error, droplets.UnexpectedResponse)
    assert isinstance(error, droplets.TransportError)
    assert error.status == 502
    assert error.body_start == body[:200]


def test_rate_limited_carries_retry_after_and_reset() -> None:
    headers = {"retry-after": "7", "ratelimit-reset": "1700000000"}
    error = error_for_response(429, headers, b'{"id":"too_many_requests","message":"API rate limit exceeded."}')
    assert isinstance(error, droplets.RateLimited)
    assert error.retry_after == 7.0
    assert error.reset_at == datetime.fromtimestamp(1_700_000_000, tz=timezone.utc)
    assert "Wait until the rate limit resets" in str(error)


def test_unauthorized_tells_what_to_do() -> None:
    error = error_for_response(401, {}, b'{"id":"unauthorized","message":"Unable to authenticate you."}')
    assert "DIGITALOCEAN_TOKEN" in str(error)


def test_attempts_are_reported() -> None:
    error = error_for_response(503, {}, b'{"id":"server_error","message":"down"}', attempts=5)
    assert "after 5 attempts" in str(error)
