"""The HTTP server over loopback: keep-alive, faults, latency, bad requests, CLI."""

from __future__ import annotations

import http.client
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from droplets.sandbox.__main__ import build_parser, main
from droplets.sandbox.server import SandboxServer

AUTH = {"Authorization": "Bearer t", "Content-Type": "application/json"}


@pytest.fixture
def server() -> Iterator[SandboxServer]:
    with SandboxServer(port=0, latency_ms=0, seed=0, action_seconds=0.05) as running:
        yield running


def _connection(server: SandboxServer) -> http.client.HTTPConnection:
    return http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)


def _request(conn: http.client.HTTPConnection, method: str, path: str, body: Any = None) -> tuple[int, Any, Any]:
    data = None if body is None else json.dumps(body).encode()
    conn.request(method, path, body=data, headers=AUTH)
    response = conn.getresponse()
    raw = response.read()
    return response.status, response, json.loads(raw) if raw else None


def test_keep_alive_serves_many_requests_on_one_connection(server: SandboxServer) -> None:
    conn = _connection(server)
    status, _, created = _request(
        conn, "POST", "/v2/droplets", {"name": "web-1", "size": "s-1vcpu-1gb", "image": "ubuntu-24-04-x64"}
    )
    assert status == 202
    sock = conn.sock
    for _ in range(5):
        status, response, _ = _request(conn, "GET", "/v2/droplets")
        assert status == 200 and response.getheader("Content-Length")
    assert conn.sock is sock, "the connection must be reused"
    status, response, _ = _request(conn, "DELETE", f"/v2/droplets/{created['droplet']['id']}")
    assert status == 204 and response.getheader("Content-Length") == "0"
    status, _, _ = _request(conn, "GET", "/v2/regions")
    assert status == 200 and conn.sock is sock
    conn.close()


def test_links_use_the_server_url_and_actions_complete_in_real_time(server: SandboxServer) -> None:
    server.sandbox.seed_droplets(3)
    conn = _connection(server)
    _, _, page = _request(conn, "GET", "/v2/droplets?per_page=1")
    assert page["links"]["pages"]["next"] == f"{server.url}/v2/droplets?page=2&per_page=1"
    droplet_id = page["droplets"][0]["id"]
    status, _, posted = _request(conn, "POST", f"/v2/droplets/{droplet_id}/actions", {"type": "power_off"})
    assert status == 201 and posted["action"]["status"] == "in-progress"
    time.sleep(0.1)
    _, _, action = _request(conn, "GET", f"/v2/actions/{posted['action']['id']}")
    assert action["action"]["status"] == "completed"
    conn.close()


def test_errors_are_json_and_the_server_keeps_serving(server: SandboxServer) -> None:
    conn = _connection(server)
    conn.request("POST", "/v2/droplets", body=b"{broken", headers=AUTH)
    response = conn.getresponse()
    assert response.status == 400 and json.loads(response.read())["id"] == "bad_request"
    conn.request("GET", "/v2/droplets")
    response = conn.getresponse()
    assert response.status == 401 and b"Traceback" not in response.read()
    status, _, _ = _request(conn, "GET", "/v2/nowhere/at/all")
    assert status == 404
    conn.close()
    with urllib.request.urlopen(urllib.request.Request(server.url + "/v2/sizes", headers=AUTH)) as answer:
        assert answer.status == 200


def test_garbage_bytes_do_not_kill_the_server(server: SandboxServer) -> None:
    import socket

    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as raw:
        raw.sendall(b"\x00\x01garbage\r\n\r\n")
        raw.recv(1024)
    with urllib.request.urlopen(urllib.request.Request(server.url + "/v2/sizes", headers=AUTH)) as answer:
        assert answer.status == 200


def test_dropped_connection_fault_closes_without_answer(server: SandboxServer) -> None:
    server.sandbox.faults.inject(method="GET", path="/v2/regions", kind="drop")
    conn = _connection(server)
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        _request(conn, "GET", "/v2/regions")
    conn.close()
    conn = _connection(server)
    assert _request(conn, "GET", "/v2/regions")[0] == 200
    conn.close()


def test_status_and_not_json_faults_over_http(server: SandboxServer) -> None:
    server.sandbox.faults.inject(kind="status", status=503, retry_after=2)
    server.sandbox.faults.inject(kind="not_json", status=502)
    request = urllib.request.Request(server.url + "/v2/sizes", headers=AUTH)
    with pytest.raises(urllib.error.HTTPError) as first:
        urllib.request.urlopen(request)
    assert first.value.code == 503 and first.value.headers["retry-after"] == "2"
    with pytest.raises(urllib.error.HTTPError) as second:
        urllib.request.urlopen(request)
    assert second.value.code == 502 and second.value.read() == b"<html>bad gateway</html>"


def test_latency_and_delay_fault_really_wait() -> None:
    with SandboxServer(port=0, latency_ms=30) as slow:
        request = urllib.request.Request(slow.url + "/v2/sizes", headers=AUTH)
        started = time.perf_counter()
        urllib.request.urlopen(request).read()
        assert time.perf_counter() - started >= 0.03
        slow.sandbox.faults.inject(kind="delay", delay=0.05)
        started = time.perf_counter()
        urllib.request.urlopen(request).read()
        assert time.perf_counter() - started >= 0.08


def test_server_seed_droplets_and_rate_limit_options() -> None:
    with SandboxServer(port=0, seed_droplets=4, burst_limit=2) as limited:
        request = urllib.request.Request(limited.url + "/v2/droplets", headers=AUTH)
        with urllib.request.urlopen(request) as answer:
            assert json.loads(answer.read())["meta"]["total"] == 4
        urllib.request.urlopen(request).read()
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(request)
        assert error.value.code == 429 and error.value.headers["retry-after"]


def test_cli_parser_defaults() -> None:
    args = build_parser().parse_args([])
    assert (args.host, args.port, args.latency_ms, args.seed, args.seed_droplets) == ("127.0.0.1", 8080, 0.0, 0, 0)


def test_main_serves_until_interrupted(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    started = threading.Event()

    def interrupted(self: SandboxServer) -> None:
        started.set()
        raise KeyboardInterrupt

    monkeypatch.setattr(SandboxServer, "serve_forever", interrupted)
    assert main(["--port", "0", "--seed-droplets", "2"]) == 0
    assert started.is_set()
    out = capsys.readouterr().out
    assert "http://127.0.0.1:" in out


def test_main_reports_a_busy_port(server: SandboxServer, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--port", str(server.port)]) == 2
    assert "cannot listen" in capsys.readouterr().err


def test_module_entry_point_serves_and_stops_cleanly_on_sigterm() -> None:
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")])}
    process = subprocess.Popen(
        [sys.executable, "-m", "droplets.sandbox", "--port", "0", "--seed-droplets", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        url = line.split("listening on ")[1].split()[0]
        request = urllib.request.Request(url + "/v2/droplets", headers=AUTH)
        with urllib.request.urlopen(request, timeout=5) as answer:
            assert json.loads(answer.read())["meta"]["total"] == 2
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=10)
        assert process.returncode == 0, err
        assert "Traceback" not in err
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_main_refuses_a_nonsense_timeout_or_bound(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--port", "0", "--read-timeout", "0"]) == 2
    assert main(["--port", "0", "--max-connections", "0"]) == 2
    assert "read_timeout must be positive" in capsys.readouterr().err


def test_cli_parser_sets_the_read_timeout_and_connection_bound() -> None:
    args = build_parser().parse_args(["--read-timeout", "2.5", "--max-connections", "8"])
    assert (args.read_timeout, args.max_connections, args.strict) == (2.5, 8, False)
    assert build_parser().parse_args(["--strict"]).strict is True


def test_a_strict_server_refuses_unknown_fields_and_a_lenient_one_ignores_them() -> None:
    body = {"name": "s-1", "size": "s-1vcpu-1gb", "image": "ubuntu-24-04-x64", "colour": "blue"}
    for strict, expected in ((True, 422), (False, 202)):
        with SandboxServer(port=0, strict=strict) as served:
            conn = _connection(served)
            assert _request(conn, "POST", "/v2/droplets", body)[0] == expected
            conn.close()
