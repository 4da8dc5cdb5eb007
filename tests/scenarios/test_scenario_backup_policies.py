"""Backup policies: the plans on offer, every droplet's policy, one droplet's, and changing it."""

from __future__ import annotations

import pytest
from scenario_world import World

import droplets
from droplets import BackupPolicy, Droplet, SupportedBackupPolicy


@pytest.mark.read_only
@pytest.mark.cassette("droplet_backup_policies")
def test_backup_policies_account_wide_and_of_one_droplet(world: World) -> None:
    plans = {plan.name: plan for plan in Droplet.objects.supported_backup_policies()}
    assert set(plans) == {"daily", "weekly"}
    assert all(isinstance(plan, SupportedBackupPolicy) for plan in plans.values())
    assert plans["weekly"].possible_days and plans["daily"].possible_days == ()
    assert set(plans["daily"].possible_window_starts) <= {0, 4, 8, 12, 16, 20}

    policies = Droplet.objects.backup_policies()
    assert None in policies.values(), "a droplet without backups has no policy"
    enabled = {ident: policy for ident, policy in policies.items() if policy is not None}
    assert enabled and all(isinstance(policy, BackupPolicy) for policy in enabled.values())

    droplet_id = max(enabled)
    assert Droplet.ref(droplet_id).backup_policy() == enabled[droplet_id]  # a reference: no GET of the droplet
    assert [sent.path for sent in world.sent()] == [
        "/v2/droplets/backups/supported_policies",
        "/v2/droplets/backups/policies",
        f"/v2/droplets/{droplet_id}/backups/policy",
    ]


@pytest.mark.sandbox_only("the enable_backups and change_backup_policy actions answer with schema-derived examples")
def test_enable_change_and_disable_a_backup_policy(world: World) -> None:
    d = Droplet.objects.filter(tag="env:stage").get()
    assert d.backup_policy() is None
    d.enable_backups(backup_policy={"plan": "daily", "hour": 20}, wait=True)
    assert "backups" in d.features and d.next_backup_window is not None
    assert d.backup_policy() == BackupPolicy(plan="daily", hour=20, window_length_hours=4, retention_period_days=7)

    d.change_backup_policy(BackupPolicy(plan="weekly", weekday="SUN", hour=8), wait=True)
    assert d.backup_policy() == BackupPolicy(
        plan="weekly", weekday="SUN", hour=8, window_length_hours=4, retention_period_days=28
    )
    assert Droplet.objects.backup_policies()[d.id] == d.backup_policy()
    assert d.next_backup_window is not None and d.next_backup_window.start.weekday() == 6  # Sunday
    assert d.next_backup_window.start.hour == 8

    with pytest.raises(droplets.ValidationError, match="backup hour must be one of"):
        d.change_backup_policy({"plan": "weekly", "weekday": "SUN", "hour": 9})
    d.disable_backups(wait=True)
    assert d.backup_policy() is None and Droplet.objects.backup_policies()[d.id] is None
