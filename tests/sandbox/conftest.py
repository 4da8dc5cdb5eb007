"""Fixtures for the sandbox tests: a fresh sandbox, a tiny API caller, the spec."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from droplets.sandbox import Sandbox, SandboxResponse, VirtualClock

REPO_ROOT = Path(__file__).resolve().parents[2]
SPEC_DIR = REPO_ROOT.parent / "shared" / "digitalocean-openapi"
BASE = "https://api.digitalocean.com"


class Api:
    """Calls a sandbox the way a client would, with JSON in and out."""

    def __init__(self, sandbox: Sandbox, token: str = "test-token") -> None:
        self.sandbox = sandbox
        self.token = token

    def __call__(
        self,
        method: str,
        path: str,
        body: Any = None,
        token: str | None = "",
        raw: bytes | None = None,
    ) -> SandboxResponse:
        headers = {"Content-Type": "application/json"}
        use = self.token if token == "" else token
        if use is not None:
            headers["Authorization"] = f"Bearer {use}"
        data = raw if raw is not None else (b"" if body is None else json.dumps(body).encode())
        return self.sandbox.handle(method, BASE + path, headers, data)

    def get(self, path: str, **kwargs: Any) -> SandboxResponse:
        return self("GET", path, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> SandboxResponse:
        return self("POST", path, body, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> SandboxResponse:
        return self("DELETE", path, **kwargs)

    def create(self, name: str = "web-1", **fields: Any) -> dict[str, Any]:
        """Create one droplet and return its wire dict (status ``new``)."""
        body = {"name": name, "region": "nyc3", "size": "s-1vcpu-1gb", "image": "ubuntu-24-04-x64"}
        body.update(fields)
        response = self.post("/v2/droplets", body)
        assert response.status == 202, response.body
        droplet: dict[str, Any] = response.json()["droplet"]
        return droplet

    def action(self, droplet_id: int, action_type: str, **fields: Any) -> SandboxResponse:
        return self.post(f"/v2/droplets/{droplet_id}/actions", {"type": action_type, **fields})

    def droplet(self, droplet_id: int) -> dict[str, Any]:
        response = self.get(f"/v2/droplets/{droplet_id}")
        assert response.status == 200, response.body
        droplet: dict[str, Any] = response.json()["droplet"]
        return droplet


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock(start=1_700_000_000.0)


@pytest.fixture
def sb(clock: VirtualClock) -> Sandbox:
    return Sandbox(seed=0, clock=clock)


@pytest.fixture
def api(sb: Sandbox) -> Api:
    return Api(sb)


@pytest.fixture
def active(api: Api, sb: Sandbox, clock: VirtualClock) -> dict[str, Any]:
    """One droplet whose create action has completed."""
    droplet = api.create("active-1", ipv6=True)
    clock.advance(60)
    return api.droplet(droplet["id"])


@pytest.fixture(scope="session")
def spec() -> dict[str, Any]:
    yaml = pytest.importorskip("yaml")
    path = SPEC_DIR / "droplets-openapi.yaml"
    if not path.exists():
        pytest.skip(f"the OpenAPI spec is not at {path} (shared/ must sit beside the repo)")
    loaded: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded


@pytest.fixture(scope="session")
def examples() -> Path:
    path = SPEC_DIR / "examples"
    if not path.is_dir():
        pytest.skip(f"the spec examples are not at {path} (shared/ must sit beside the repo)")
    return path
