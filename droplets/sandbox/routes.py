"""The route table: (method, path pattern) -> handler, like moto's ``urls.py``."""

from __future__ import annotations

import re

from droplets.sandbox.handlers import (
    Handler,
    account,
    actions,
    associated,
    autoscale_pools,
    catalog,
    droplets,
    extras,
    firewalls,
    images,
    monitoring,
    reserved_ips,
    snapshots,
    ssh_keys,
    tags,
    volumes,
    vpcs,
)

_D = r"(?P<droplet_id>[1-9][0-9]{0,17})"
_A = r"(?P<action_id>[1-9][0-9]{0,17})"
_U = r"(?P<vpc_id>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"
_I = r"(?P<image_id>[1-9][0-9]{0,17})"
_T = r"(?P<tag_id>[^/]+)"
_K = r"(?P<ssh_key_identifier>[1-9][0-9]{0,17}|[0-9a-f]{2}(?::[0-9a-f]{2}){15})"
_P = r"(?P<autoscale_pool_id>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"
_V = r"(?P<volume_id>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"
_FW = r"(?P<firewall_id>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"
_IP = r"(?P<reserved_ip>(?:[0-9]{1,3}\.){3}[0-9]{1,3})"
_VS = r"(?P<snapshot_id>[0-9A-Za-z-]{1,64})"

ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", "/v2/droplets", droplets.list_droplets),
    ("POST", "/v2/droplets", droplets.create_droplets),
    ("DELETE", "/v2/droplets", droplets.destroy_by_tag),
    ("GET", "/v2/droplets/autoscale", autoscale_pools.list_pools),
    ("POST", "/v2/droplets/autoscale", autoscale_pools.create_pool),
    ("GET", f"/v2/droplets/autoscale/{_P}", autoscale_pools.get_pool),
    ("PUT", f"/v2/droplets/autoscale/{_P}", autoscale_pools.update_pool),
    ("DELETE", f"/v2/droplets/autoscale/{_P}", autoscale_pools.delete_pool),
    ("DELETE", f"/v2/droplets/autoscale/{_P}/dangerous", autoscale_pools.delete_pool_dangerous),
    ("GET", f"/v2/droplets/autoscale/{_P}/members", autoscale_pools.list_members),
    ("GET", f"/v2/droplets/autoscale/{_P}/history", autoscale_pools.list_history),
    ("GET", "/v2/droplets/backups/policies", extras.list_backup_policies),
    ("GET", "/v2/droplets/backups/supported_policies", extras.list_supported_policies),
    ("POST", "/v2/droplets/actions", actions.post_tag_action),
    ("GET", f"/v2/droplets/{_D}", droplets.get_droplet),
    ("DELETE", f"/v2/droplets/{_D}", droplets.destroy_droplet),
    ("GET", f"/v2/droplets/{_D}/destroy_with_associated_resources", associated.list_associated),
    ("DELETE", f"/v2/droplets/{_D}/destroy_with_associated_resources/selective", associated.destroy_selective),
    ("DELETE", f"/v2/droplets/{_D}/destroy_with_associated_resources/dangerous", associated.destroy_dangerous),
    ("GET", f"/v2/droplets/{_D}/destroy_with_associated_resources/status", associated.get_status),
    ("POST", f"/v2/droplets/{_D}/destroy_with_associated_resources/retry", associated.retry),
    ("GET", f"/v2/droplets/{_D}/backups", extras.list_backups),
    ("GET", f"/v2/droplets/{_D}/backups/policy", extras.get_backup_policy),
    ("GET", f"/v2/droplets/{_D}/snapshots", extras.list_snapshots),
    ("GET", f"/v2/droplets/{_D}/kernels", extras.list_kernels),
    ("GET", f"/v2/droplets/{_D}/firewalls", firewalls.list_droplet_firewalls),
    ("GET", f"/v2/droplets/{_D}/neighbors", extras.list_neighbors),
    ("GET", f"/v2/droplets/{_D}/actions", actions.list_droplet_actions),
    ("POST", f"/v2/droplets/{_D}/actions", actions.post_action),
    ("GET", f"/v2/droplets/{_D}/actions/{_A}", actions.get_droplet_action),
    ("GET", "/v2/reports/droplet_neighbors_ids", extras.neighbors_report),
    ("GET", "/v2/actions", actions.list_actions),
    ("GET", f"/v2/actions/{_A}", actions.get_action),
    ("GET", "/v2/regions", catalog.list_regions),
    ("GET", "/v2/sizes", catalog.list_sizes),
    ("GET", "/v2/images", images.list_images),
    ("GET", "/v2/images/(?P<image_id>[^/]+)", images.get_image),
    ("PUT", f"/v2/images/{_I}", images.update_image),
    ("DELETE", f"/v2/images/{_I}", images.delete_image),
    ("GET", f"/v2/images/{_I}/actions", images.list_image_actions),
    ("POST", f"/v2/images/{_I}/actions", images.post_image_action),
    ("GET", f"/v2/images/{_I}/actions/{_A}", images.get_image_action),
    ("GET", "/v2/account/keys", ssh_keys.list_ssh_keys),
    ("POST", "/v2/account/keys", ssh_keys.create_ssh_key),
    ("GET", f"/v2/account/keys/{_K}", ssh_keys.get_ssh_key),
    ("PUT", f"/v2/account/keys/{_K}", ssh_keys.update_ssh_key),
    ("DELETE", f"/v2/account/keys/{_K}", ssh_keys.delete_ssh_key),
    ("GET", "/v2/account", account.get_account),
    ("GET", "/v2/snapshots", snapshots.list_snapshots),
    ("GET", "/v2/snapshots/(?P<snapshot_id>[1-9][0-9]{0,17}|[0-9a-f-]{36})", snapshots.get_snapshot),
    ("DELETE", "/v2/snapshots/(?P<snapshot_id>[1-9][0-9]{0,17}|[0-9a-f-]{36})", snapshots.delete_snapshot),
    ("GET", "/v2/vpcs", vpcs.list_vpcs),
    ("POST", "/v2/vpcs", vpcs.create_vpc),
    ("GET", f"/v2/vpcs/{_U}", vpcs.get_vpc),
    ("PUT", f"/v2/vpcs/{_U}", vpcs.update_vpc),
    ("PATCH", f"/v2/vpcs/{_U}", vpcs.patch_vpc),
    ("DELETE", f"/v2/vpcs/{_U}", vpcs.delete_vpc),
    ("GET", f"/v2/vpcs/{_U}/members", vpcs.list_members),
    ("GET", "/v2/tags", tags.list_tags),
    ("POST", "/v2/tags", tags.create_tag),
    ("GET", f"/v2/tags/{_T}", tags.get_tag),
    ("DELETE", f"/v2/tags/{_T}", tags.delete_tag),
    ("POST", f"/v2/tags/{_T}/resources", tags.tag_resources),
    ("DELETE", f"/v2/tags/{_T}/resources", tags.untag_resources),
    (
        "GET",
        f"/v2/monitoring/metrics/droplet/(?P<metric>{'|'.join(monitoring.METRICS)})",
        monitoring.get_droplet_metric,
    ),
    ("GET", "/v2/volumes", volumes.list_volumes),
    ("POST", "/v2/volumes", volumes.create_volume),
    ("DELETE", "/v2/volumes", volumes.delete_by_name),
    ("POST", "/v2/volumes/actions", volumes.post_action_by_name),
    ("GET", f"/v2/volumes/snapshots/{_VS}", volumes.get_snapshot),
    ("DELETE", f"/v2/volumes/snapshots/{_VS}", volumes.delete_snapshot),
    ("GET", f"/v2/volumes/{_V}", volumes.get_volume),
    ("DELETE", f"/v2/volumes/{_V}", volumes.delete_volume),
    ("GET", f"/v2/volumes/{_V}/actions", volumes.list_actions),
    ("POST", f"/v2/volumes/{_V}/actions", volumes.post_action),
    ("GET", f"/v2/volumes/{_V}/actions/{_A}", volumes.get_action),
    ("GET", f"/v2/volumes/{_V}/snapshots", volumes.list_snapshots),
    ("POST", f"/v2/volumes/{_V}/snapshots", volumes.create_snapshot),
    ("GET", "/v2/firewalls", firewalls.list_firewalls),
    ("POST", "/v2/firewalls", firewalls.create_firewall),
    ("GET", f"/v2/firewalls/{_FW}", firewalls.get_firewall),
    ("PUT", f"/v2/firewalls/{_FW}", firewalls.update_firewall),
    ("DELETE", f"/v2/firewalls/{_FW}", firewalls.delete_firewall),
    ("POST", f"/v2/firewalls/{_FW}/droplets", firewalls.change_droplets),
    ("DELETE", f"/v2/firewalls/{_FW}/droplets", firewalls.change_droplets),
    ("POST", f"/v2/firewalls/{_FW}/tags", firewalls.change_tags),
    ("DELETE", f"/v2/firewalls/{_FW}/tags", firewalls.change_tags),
    ("POST", f"/v2/firewalls/{_FW}/rules", firewalls.change_rules),
    ("DELETE", f"/v2/firewalls/{_FW}/rules", firewalls.change_rules),
    ("GET", "/v2/reserved_ips", reserved_ips.list_reserved_ips),
    ("POST", "/v2/reserved_ips", reserved_ips.create_reserved_ip),
    ("GET", f"/v2/reserved_ips/{_IP}", reserved_ips.get_reserved_ip),
    ("DELETE", f"/v2/reserved_ips/{_IP}", reserved_ips.delete_reserved_ip),
    ("GET", f"/v2/reserved_ips/{_IP}/actions", reserved_ips.list_actions),
    ("POST", f"/v2/reserved_ips/{_IP}/actions", reserved_ips.post_action),
    ("GET", f"/v2/reserved_ips/{_IP}/actions/{_A}", reserved_ips.get_action),
]

_COMPILED = [(method, re.compile(f"{pattern}/?"), handler) for method, pattern, handler in ROUTES]


def resolve(method: str, path: str) -> tuple[Handler, dict[str, str]] | None:
    """Find the handler of a request; HEAD finds the GET handler.

    Args:
        method: The HTTP method (case-sensitive, as in HTTP).
        path: The URL path; one trailing slash is tolerated.

    Returns:
        The handler and its path parameters, or None (see `allowed_methods`).
    """
    wanted = "GET" if method == "HEAD" else method
    for route_method, pattern, handler in _COMPILED:
        if route_method == wanted:
            match = pattern.fullmatch(path)
            if match:
                return handler, match.groupdict()
    return None


def allowed_methods(path: str) -> list[str]:
    """Return the methods a path answers (HEAD wherever GET), for 405's ``Allow``.

    Args:
        path: The URL path.

    Returns:
        The methods in table order; empty for an unknown path (404).
    """
    methods = [method for method, pattern, _ in _COMPILED if pattern.fullmatch(path)]
    if "GET" in methods:
        methods.insert(methods.index("GET") + 1, "HEAD")
    return list(dict.fromkeys(methods))
