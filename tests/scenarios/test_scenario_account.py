"""Users' scenario: what the token's account allows."""

from __future__ import annotations

import pytest
from scenario_world import World

import droplets
from droplets import Account


@pytest.mark.sandbox_only("the spec has no explicit account example (its fixture is schema-derived)")
def test_read_the_account_before_creating_many_droplets(world: World) -> None:
    account = Account.get()
    assert isinstance(account, Account) and account.status == "active" and account.email_verified
    assert account.droplet_limit >= 1 and account.team is not None and account.team.name
    assert world.client.account.get() == account  # type: ignore[attr-defined]
    assert [(s.method, s.path) for s in world.sent()] == [("GET", "/v2/account")] * 2
    with pytest.raises(droplets.ValidationError):
        Account.objects.get(id=1)
