"""Faults of each kind, rate limits, authentication, and crash safety."""

from __future__ import annotations

import pytest
from sandbox_api import Api

from droplets.sandbox import ConnectionDropped, Sandbox, VirtualClock
from droplets.sandbox.handlers import catalog


@pytest.mark.parametrize("status", [500, 502, 503, 504, 429])
def test_status_fault_answers_error_body_then_stops(api: Api, sb: Sandbox, status: int) -> None:
    sb.faults.inject(method="GET", path="/v2/droplets", kind="status", status=status, times=1)
    response = api.get("/v2/droplets")
    assert response.status == status
    body = response.json()
    assert body["id"] == ("too_many_requests" if status == 429 else "server_error")
    assert body["request_id"] == response.headers["x-request-id"]
    assert response.headers["content-type"] == "application/json"
    assert api.get("/v2/droplets").status == 200
    assert sb.faults.injected == {"status": 1}


def test_status_fault_with_retry_after(api: Api, sb: Sandbox) -> None:
    sb.faults.inject(kind="status", status=429, retry_after=7)
    response = api.get("/v2/regions")
    assert response.status == 429 and response.headers["retry-after"] == "7"


def test_drop_fault_raises_connection_dropped(api: Api, sb: Sandbox) -> None:
    sb.faults.inject(method="POST", path="/v2/droplets", kind="drop")
    with pytest.raises(ConnectionDropped):
        api.create()
    assert sb.droplets() == []
    api.create()
    assert len(sb.droplets()) == 1


def test_drop_after_processing_keeps_the_effect(api: Api, sb: Sandbox) -> None:
    sb.faults.inject(method="POST", path="/v2/droplets", kind="drop", when="after")
    with pytest.raises(ConnectionDropped):
        api.create()
    assert len(sb.droplets()) == 1


def test_delay_fault_sets_delay_and_answers_normally(api: Api, sb: Sandbox) -> None:
    sb.faults.inject(method="*", path="/v2/droplets/*", kind="delay", delay=42.0, times=2)
    [droplet] = sb.seed_droplets(1)
    response = api.get(f"/v2/droplets/{droplet}")
    assert response.status == 200 and response.delay == 42.0
    assert api.get("/v2/droplets").delay == 0.0
    assert api.get(f"/v2/droplets/{droplet}/kernels").delay == 42.0
    assert api.get(f"/v2/droplets/{droplet}").delay == 0.0


def test_not_json_fault(api: Api, sb: Sandbox) -> None:
    sb.faults.inject(kind="not_json", times=None)
    for _ in range(2):
        response = api.get("/v2/sizes")
        assert response.status == 200 and response.body == b"<html>bad gateway</html>"
        assert response.headers["content-type"] == "text/html"
    sb.faults.clear()
    assert api.get("/v2/sizes").headers["content-type"] == "application/json"
    assert sb.faults.injected == {"not_json": 2}


def test_random_faults_are_seeded_and_near_the_rate(api: Api) -> None:
    def run() -> list[int | str]:
        sandbox = Sandbox(seed=0, rate_limit=None)
        sandbox.faults.random(rate=0.2, seed=1)
        caller = Api(sandbox)
        outcomes: list[int | str] = []
        for _ in range(500):
            try:
                response = caller.get("/v2/regions")
                outcomes.append("delay" if response.delay else response.status)
            except ConnectionDropped:
                outcomes.append("drop")
        return outcomes

    first, second = run(), run()
    assert first == second
    faulted = sum(1 for o in first if o != 200 or o == "delay")
    assert 60 <= faulted <= 140


def test_fault_arguments_are_checked(sb: Sandbox) -> None:
    with pytest.raises(ValueError):
        sb.faults.inject(kind="explode")
    with pytest.raises(ValueError):
        sb.faults.random(rate=2.0)


def test_missing_or_bad_authorization_is_401(api: Api) -> None:
    for token in (None,):
        response = api.get("/v2/droplets", token=token)
        assert response.status == 401 and response.json()["id"] == "unauthorized"
        assert "ratelimit-limit" in response.headers
    response = api.sandbox.handle("GET", "https://x/v2/droplets", {"authorization": "Basic abc"}, b"")
    assert response.status == 401
    response = api.sandbox.handle("GET", "https://x/v2/droplets", {"AUTHORIZATION": "bearer anything"}, b"")
    assert response.status == 200


def test_every_answer_has_rate_limit_headers(api: Api) -> None:
    first = api.get("/v2/regions")
    second = api.get("/v2/nowhere")
    assert second.status == 404
    assert int(first.headers["ratelimit-remaining"]) - 1 == int(second.headers["ratelimit-remaining"])
    assert first.headers["ratelimit-limit"] == "5000"
    assert first.headers["ratelimit-reset"] == str(1_700_000_000 + 3600)


def test_burst_limit_answers_429_with_retry_after(clock: VirtualClock) -> None:
    sandbox = Sandbox(clock=clock, burst_limit=5)
    api = Api(sandbox)
    assert all(api.get("/v2/regions").status == 200 for _ in range(5))
    limited = api.get("/v2/regions")
    assert limited.status == 429
    assert limited.json()["message"] == "API rate limit exceeded."
    assert limited.headers["retry-after"] == "60"
    assert Api(sandbox, token="other").get("/v2/regions").status == 200
    clock.advance(60)
    assert api.get("/v2/regions").status == 200


def test_hourly_limit_is_a_sliding_window(clock: VirtualClock) -> None:
    sandbox = Sandbox(clock=clock, rate_limit=3, burst_limit=None)
    api = Api(sandbox)
    for _ in range(3):
        assert api.get("/v2/sizes").status == 200
        clock.advance(600)
    limited = api.get("/v2/sizes")
    assert limited.status == 429 and "retry-after" not in limited.headers
    assert limited.headers["ratelimit-remaining"] == "0"
    assert limited.headers["ratelimit-reset"] == str(1_700_000_000 + 3600)
    clock.advance(1799)
    assert api.get("/v2/sizes").status == 429
    clock.advance(1)
    assert api.get("/v2/sizes").status == 200


def test_rate_limit_none_never_answers_429(clock: VirtualClock) -> None:
    sandbox = Sandbox(clock=clock, rate_limit=None, burst_limit=1)
    api = Api(sandbox)
    assert all(api.get("/v2/sizes").status == 200 for _ in range(10))
    assert "ratelimit-remaining" in api.get("/v2/sizes").headers


def test_unknown_paths_are_404(api: Api) -> None:
    for method, path in [("GET", "/v2/nothing"), ("PUT", "/v2/nothing"), ("GET", "/v2/droplets/abc"), ("GET", "/")]:
        response = api(method, path)
        assert response.status == 404 and response.json()["id"] == "not_found"


def test_a_known_path_with_a_wrong_method_is_405_with_allow(api: Api) -> None:
    for method in ("PUT", "PATCH", "OPTIONS", "TRACE", "get", "BREW"):
        response = api(method, "/v2/droplets")
        assert response.status == 405, method
        assert response.headers["allow"] == "GET, HEAD, POST, DELETE"
        assert response.json()["id"] == "method_not_allowed"
    assert api("DELETE", "/v2/regions").headers["allow"] == "GET, HEAD"


def test_head_answers_like_get_without_a_body(api: Api) -> None:
    got, head = api.get("/v2/regions"), api("HEAD", "/v2/regions")
    assert head.status == 200 and head.body == b""
    assert head.headers["content-length"] == str(len(got.body))
    missing = api("HEAD", "/v2/droplets/1")
    assert missing.status == 404 and missing.body == b"" and int(missing.headers["content-length"]) > 0


def test_repeated_slashes_are_read_as_one(api: Api) -> None:
    assert api.get("//v2//regions").status == 200


def test_trailing_slash_is_tolerated(api: Api) -> None:
    assert api.get("/v2/regions/").status == 200


def test_a_handler_bug_becomes_a_500_body(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("droplets.sandbox.app.resolve", lambda method, path: (broken, {}))
    response = api.get("/v2/regions")
    assert response.status == 500 and response.json()["id"] == "server_error"
    monkeypatch.undo()
    assert api.get("/v2/regions").status == 200
    assert catalog.list_regions is not None


def test_request_log(api: Api, sb: Sandbox) -> None:
    api.get("/v2/droplets?per_page=5")
    api.post("/v2/droplets", {"bad": 1})
    assert sb.requests == [("GET", "/v2/droplets?per_page=5"), ("POST", "/v2/droplets")]
    assert sb.request_count == 2
    sb.reset_log()
    assert sb.requests == [] and sb.request_count == 0


def test_ssh_keys_have_a_special_limit_of_ten_per_minute(api: Api, clock: VirtualClock) -> None:
    assert all(api.get("/v2/account/keys").status == 200 for _ in range(10))
    limited = api.get("/v2/account/keys")
    assert limited.status == 429 and limited.headers["retry-after"] == "60"
    assert api.get("/v2/regions").status == 200
    clock.advance(60)
    assert api.get("/v2/account/keys").status == 200
