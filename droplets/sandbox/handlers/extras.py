"""Handlers of a droplet's satellites: backups, snapshots, kernels, neighbors."""

from __future__ import annotations

from droplets.sandbox import backups
from droplets.sandbox.handlers import Reply
from droplets.sandbox.handlers.common import show_droplet
from droplets.sandbox.pagination import paginate
from droplets.sandbox.request import Request
from droplets.sandbox.state import SandboxState
from droplets.sandbox.wire import droplet_backup_wire, droplet_snapshot_wire


def list_backups(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/droplets/{droplet_id}/backups``."""
    d = state.get_droplet(req.int_param("droplet_id"))
    images = [state.user_images[i] for i in d.backup_ids]
    return 200, paginate(req, state.base_url, "backups", images, droplet_backup_wire)


def list_snapshots(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/droplets/{droplet_id}/snapshots``."""
    d = state.get_droplet(req.int_param("droplet_id"))
    images = [state.user_images[i] for i in d.snapshot_ids if i in state.user_images]
    return 200, paginate(req, state.base_url, "snapshots", images, droplet_snapshot_wire)


def get_backup_policy(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/droplets/{droplet_id}/backups/policy``."""
    d = state.get_droplet(req.int_param("droplet_id"))
    return 200, {"policy": backups.policy_record(d)}


def list_backup_policies(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/droplets/backups/policies``: a page of an id-keyed object."""
    records = [backups.policy_record(d) for d in state.droplets.values()]
    page = paginate(req, state.base_url, "policies", records, lambda r: r)
    page["policies"] = {str(r["droplet_id"]): r for r in page["policies"]}
    return 200, page


def list_supported_policies(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/droplets/backups/supported_policies`` (not paginated)."""
    return 200, {"supported_policies": state.catalog.supported_backup_policies}


def list_kernels(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/droplets/{droplet_id}/kernels``."""
    state.get_droplet(req.int_param("droplet_id"))
    kernels = state.catalog.kernels
    return 200, paginate(req, state.base_url, "kernels", kernels, lambda k: k)


def list_neighbors(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/droplets/{droplet_id}/neighbors`` (not paginated)."""
    d = state.get_droplet(req.int_param("droplet_id"))
    return 200, {"droplets": [show_droplet(state, n) for n in state.neighbors(d)]}


def neighbors_report(state: SandboxState, req: Request) -> Reply:
    """``GET /v2/reports/droplet_neighbors_ids``: groups sharing a hypervisor."""
    groups: dict[tuple[str, int], list[int]] = {}
    for d in state.droplets.values():
        groups.setdefault(d.hypervisor, []).append(d.id)
    return 200, {"neighbor_ids": [ids for ids in groups.values() if len(ids) > 1]}
