"""Users' scenarios on failures: 401, 429 and 500 become typed, readable errors.

On the cassettes the client has ``RetryPolicy(attempts=1)`` and the answers
are the spec's explicit error examples (the 429 is the hourly-limit one:
``ratelimit-remaining: 0``, no ``retry-after``). On the sandbox the client has
the default policy (5 attempts) and the faults persist, so the scenario also
shows what that policy does with a GET: a 401 is never retried; a 429 that
carries ``retry-after`` (the burst limit) and a 500 are retried until the
attempts are spent (on the virtual clock), and the error says how many were
made.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from scenario_world import World

import droplets
from droplets import Droplet, SSHKey


def _list_droplets(world: World) -> Any:
    return list(Droplet.objects.all())


def _list_ssh_keys(world: World) -> Any:
    return list(SSHKey.objects.all())


def _get_droplet(world: World) -> Any:
    return Droplet.get(world.facts.droplet_id)


CASES = [
    pytest.param(
        401, droplets.Unauthorized, "unauthorized", "GET", "/v2/droplets", _list_droplets,
        marks=pytest.mark.cassette("error_unauthorized"), id="401",
    ),
    pytest.param(
        429, droplets.RateLimited, "too_many_requests", "GET", "/v2/account/keys", _list_ssh_keys,
        marks=pytest.mark.cassette("error_rate_limited"), id="429",
    ),
    pytest.param(
        500, droplets.ServerError, "server_error", "GET", "/v2/droplets/*", _get_droplet,
        marks=pytest.mark.cassette("error_server_error"), id="500",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("status", "error_class", "error_id", "method", "path", "call"), CASES)
def test_error_answers_raise_typed_errors(
    world: World,
    status: int,
    error_class: type[droplets.APIError],
    error_id: str,
    method: str,
    path: str,
    call: Callable[[World], Any],
) -> None:
    world.fail_next(method, path, status, times=None, retry_after=1 if status == 429 else None)
    with pytest.raises(error_class) as caught:
        call(world)
    error = caught.value
    assert isinstance(error, droplets.APIError) and isinstance(error, droplets.DropletsError)
    assert error.status == status and error.id == error_id
    assert error.message and error.request_id
    text = str(error)
    for part in (str(status), error_id, error.message, error.request_id):
        assert part in text
    assert world.token not in text and world.token not in repr(error)
    assert "Bearer" not in text

    expected_attempts = 1 if status == 401 else world.client.retry.attempts
    assert error.attempts == expected_attempts == len(world.sent())
    assert (f"after {expected_attempts} attempts" in text) is (expected_attempts > 1)
    if isinstance(error, droplets.RateLimited):
        assert error.reset_at is not None and error.reset_at.tzinfo is not None
        assert error.retry_after == (1.0 if world.sandbox is not None else None)
