"""Starting from a user-supplied account state: ``Sandbox(fixture=...)`` and ``serve --fixture``."""

from __future__ import annotations

import http.client
import json
import time
from pathlib import Path
from typing import Any

import pytest
from sandbox_api import Api

from droplets.sandbox import Sandbox, VirtualClock, fixtures
from droplets.sandbox.__main__ import main
from droplets.sandbox.server import SandboxServer
from droplets.sandbox.state import SandboxState

ACCOUNT: dict[str, Any] = {
    "droplets": [
        {
            "name": "web-1",
            "region": "ams3",
            "size": "s-2vcpu-4gb",
            "image": "ubuntu-22-04-x64",
            "tags": ["web", "env:prod"],
            "ipv6": True,
            "backups": [
                {"name": "web-1 nightly", "created_at": "2023-11-13T04:00:00Z"},
                {"created_at": "2023-11-12T04:00:00Z"},
            ],
            "backup_policy": {"plan": "daily", "hour": 4},
            "snapshots": [{"name": "before-upgrade"}],
        },
        {"name": "web-2", "tags": ["web"], "status": "off"},
        {"name": "db-1", "size": "s-4vcpu-8gb", "backups": True},
    ]
}


@pytest.fixture
def loaded(clock: VirtualClock) -> Api:
    return Api(Sandbox(seed=0, clock=clock, fixture=ACCOUNT))


def _by_name(api: Api) -> dict[str, dict[str, Any]]:
    return {d["name"]: d for d in api.get("/v2/droplets").json()["droplets"]}


def test_the_fixture_droplets_are_there_provisioned_and_tagged(loaded: Api) -> None:
    droplets = _by_name(loaded)
    assert set(droplets) == {"web-1", "web-2", "db-1"}
    web1 = droplets["web-1"]
    assert web1["status"] == "active" and web1["locked"] is False
    assert web1["region"]["slug"] == "ams3" and web1["size_slug"] == "s-2vcpu-4gb"
    assert web1["image"]["slug"] == "ubuntu-22-04-x64" and web1["tags"] == ["web", "env:prod"]
    assert web1["networks"]["v4"] and web1["networks"]["v6"]
    assert {"backups", "ipv6"} <= set(web1["features"]) and web1["next_backup_window"]
    assert droplets["web-2"]["status"] == "off" and droplets["web-2"]["region"]["slug"] == "nyc3"
    tagged = loaded.get("/v2/droplets?tag_name=web").json()
    assert tagged["meta"]["total"] == 2


def test_backups_and_snapshots_are_listed(loaded: Api) -> None:
    droplets = _by_name(loaded)
    web1 = droplets["web-1"]
    listed = loaded.get(f"/v2/droplets/{web1['id']}/backups").json()["backups"]
    assert [b["name"] for b in listed] == ["web-1 nightly", "web-1 backup 2"]
    assert [b["created_at"] for b in listed] == ["2023-11-13T04:00:00Z", "2023-11-12T04:00:00Z"]
    assert web1["backup_ids"] == [b["id"] for b in listed]
    snapshots = loaded.get(f"/v2/droplets/{web1['id']}/snapshots").json()["snapshots"]
    assert [s["name"] for s in snapshots] == ["before-upgrade"] and web1["snapshot_ids"] == [snapshots[0]["id"]]
    db1 = droplets["db-1"]
    assert "backups" in db1["features"] and db1["backup_ids"] == []
    policy = loaded.get(f"/v2/droplets/{db1['id']}/backups/policy").json()["policy"]
    assert policy["backup_enabled"] is True


def test_restore_from_a_fixture_backup_completes(loaded: Api, clock: VirtualClock) -> None:
    web1 = _by_name(loaded)["web-1"]
    response = loaded.action(web1["id"], "restore", image=web1["backup_ids"][1])
    assert response.status == 201, response.body
    clock.advance(600)
    action = loaded.get(f"/v2/actions/{response.json()['action']['id']}").json()["action"]
    assert action["status"] == "completed" and action["type"] == "restore"


def test_rebuild_from_a_fixture_snapshot_and_destroy_by_a_fixture_tag(loaded: Api, clock: VirtualClock) -> None:
    web1 = _by_name(loaded)["web-1"]
    assert loaded.action(web1["id"], "rebuild", image=web1["snapshot_ids"][0]).status == 201
    assert loaded.delete("/v2/droplets?tag_name=env:prod").status == 204


def test_a_fixture_file_path_is_read(tmp_path: Path) -> None:
    path = tmp_path / "account.json"
    path.write_text(json.dumps(ACCOUNT), encoding="utf-8")
    assert len(Sandbox(fixture=path).droplets()) == 3
    assert len(Sandbox(fixture=str(path)).droplets()) == 3


@pytest.mark.parametrize(
    ("fixture", "message"),
    [
        ({"volumes": []}, "unknown fixture section 'volumes'; known: droplets"),
        ({"droplets": {}}, "must be a list"),
        ({"droplets": ["web"]}, "droplets[0] must be an object"),
        ({"droplets": [{"size": "s-1vcpu-1gb"}]}, "droplets[0].name is required"),
        ({"droplets": [{"name": "a", "colour": "blue"}]}, "droplets[0]: unknown field 'colour'"),
        ({"droplets": [{"name": "a", "size": "s-99"}]}, "droplets[0].size: 's-99' is not in the sandbox catalog"),
        ({"droplets": [{"name": "a", "region": "mars1"}]}, "droplets[0].region"),
        ({"droplets": [{"name": "a", "image": "windows-xp"}]}, "droplets[0].image"),
        ({"droplets": [{"name": "a", "status": "new"}]}, "droplets[0].status must be one of"),
        ({"droplets": [{"name": "a", "ipv6": "yes"}]}, "droplets[0].ipv6 has the wrong type"),
        ({"droplets": [{"name": 5}]}, "droplets[0].name has the wrong type"),
        ({"droplets": [{"name": "a", "tags": [""]}]}, "droplets[0].tags"),
        ({"droplets": [{"name": "a", "backups": [{"created_at": "yesterday"}]}]}, "backups[0].created_at"),
        ({"droplets": [{"name": "a", "snapshots": [{"size": 1}]}]}, "snapshots[0]: unknown field 'size'"),
        ({"droplets": [{"name": "a", "backup_policy": {"plan": "daily", "x": 1}}]}, "backup_policy takes"),
    ],
)
def test_a_bad_fixture_is_refused_naming_what_is_wrong(fixture: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError) as error:
        Sandbox(fixture=fixture)
    assert message in str(error.value)


def test_an_unreadable_fixture_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot read the fixture"):
        Sandbox(fixture=tmp_path / "missing.json")
    (tmp_path / "list.json").write_text("[]", encoding="utf-8")
    with pytest.raises(ValueError, match="must hold a JSON object"):
        Sandbox(fixture=tmp_path / "list.json")


def test_other_resources_register_their_own_section(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[int, Any]] = []

    def load_widgets(state: SandboxState, value: Any) -> None:
        seen.append((len(state.droplets), value))

    monkeypatch.setattr(fixtures, "_SECTIONS", dict(fixtures._SECTIONS))
    fixtures.register_section("widgets", load_widgets)
    assert fixtures.sections() == ["droplets", "widgets"]
    Sandbox(fixture={"widgets": [1], "droplets": [{"name": "a"}]})
    assert seen == [(1, [1])], "sections load in registration order: droplets first"
    with pytest.raises(ValueError, match="already registered"):
        fixtures.register_section("widgets", load_widgets)


def test_restore_over_http_from_a_served_fixture(tmp_path: Path) -> None:
    path = tmp_path / "account.json"
    path.write_text(json.dumps(ACCOUNT), encoding="utf-8")
    headers = {"Authorization": "Bearer t", "Content-Type": "application/json"}
    with SandboxServer(port=0, fixture=path, action_seconds=0.05) as served:
        conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
        conn.request("GET", "/v2/droplets?tag_name=env:prod", headers=headers)
        [web1] = json.loads(conn.getresponse().read())["droplets"]
        conn.request("GET", f"/v2/droplets/{web1['id']}/backups", headers=headers)
        backup = json.loads(conn.getresponse().read())["backups"][0]
        body = json.dumps({"type": "restore", "image": backup["id"]})
        conn.request("POST", f"/v2/droplets/{web1['id']}/actions", body=body, headers=headers)
        answer = conn.getresponse()
        action = json.loads(answer.read())["action"]
        assert answer.status == 201 and action["type"] == "restore"
        deadline = time.monotonic() + 10
        while action["status"] == "in-progress" and time.monotonic() < deadline:
            time.sleep(0.05)
            conn.request("GET", f"/v2/actions/{action['id']}", headers=headers)
            action = json.loads(conn.getresponse().read())["action"]
        assert action["status"] == "completed"
        conn.close()


def test_serve_fixture_option(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "account.json"
    path.write_text(json.dumps(ACCOUNT), encoding="utf-8")
    served: list[int] = []

    def stop_at_once(self: SandboxServer) -> None:
        served.append(len(self.sandbox.droplets()))
        raise KeyboardInterrupt

    monkeypatch.setattr(SandboxServer, "serve_forever", stop_at_once)
    assert main(["--port", "0", "--fixture", str(path)]) == 0
    assert served == [3]
    (tmp_path / "bad.json").write_text('{"droplets": [{"name": "a", "size": "huge"}]}', encoding="utf-8")
    assert main(["--port", "0", "--fixture", str(tmp_path / "bad.json")]) == 2
    assert "droplets[0].size: 'huge' is not in the sandbox catalog" in capsys.readouterr().err
