"""A tiny API caller for the sandbox tests (a module name unique in the test tree)."""

from __future__ import annotations

import json
from typing import Any

from droplets.sandbox import Sandbox, SandboxResponse

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
