"""The seed's call list, verbatim: names, parameters, order and defaults; and ``DO()`` itself."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

import droplets
from droplets.compat import DO, DOBOTOException
from tests.compat._support import ATTRIBS

SEED_FILE = Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_bcfe2e9ef14cd379.txt"

# Every ``do.droplet.*`` line of the seed document, copied as written.
SEED_CALLS = """
do.droplet.list(tag_name=None)
do.droplet.neighbor_list(id)
do.droplet.droplet_neighbor_list()
do.droplet.create(attribs, wait=False, poll=5, timeout=300)
do.droplet.present(attribs, wait=False, poll=5, timeout=300)
do.droplet.info(id)
do.droplet.destroy(id=None, tag_name=None)
do.droplet.backup_list(id)
do.droplet.backup_enable(id=None, tag_name=None, wait=False, poll=5, timeout=300)
do.droplet.backup_disable(id=None, tag_name=None, wait=False, poll=5, timeout=300)
do.droplet.reboot(id, wait=False, poll=5, timeout=300)
do.droplet.shutdown(id=None, tag_name=None, wait=False, poll=5, timeout=300)
do.droplet.power_on(id=None, tag_name=None, wait=False, poll=5, timeout=300)
do.droplet.power_off(id=None, tag_name=None, wait=False, poll=5, timeout=300)
do.droplet.power_cycle(id=None, tag_name=None, wait=False, poll=5, timeout=300)
do.droplet.restore(id, image, wait=False, poll=5, timeout=300)
do.droplet.password_reset(id, wait=False, poll=5, timeout=300)
do.droplet.resize(id, size, disk=False, wait=False, poll=5, timeout=300)
do.droplet.rebuild(id, image, wait=False, poll=5, timeout=300)
do.droplet.rename(id, name, wait=False, poll=5, timeout=300)
do.droplet.kernel_list(id)
do.droplet.kernel_update(id, kernel_id, wait=False, poll=5, timeout=300)
do.droplet.ipv6_enable(id=None, tag_name=None, wait=False, poll=5, timeout=300)
do.droplet.private_networking_enable(id=None, tag_name=None, wait=False, poll=5, timeout=300)
do.droplet.snapshot_list(id)
do.droplet.action_list(id)
do.droplet.action_info(id, action_id)
""".strip().splitlines()


def _as_seed_line(do: DO, name: str) -> str:
    """Write our method's signature the way the seed document writes it."""
    parameters = inspect.signature(getattr(do.droplet, name)).parameters.values()
    written = [p.name if p.default is inspect.Parameter.empty else f"{p.name}={p.default!r}" for p in parameters]
    return f"do.droplet.{name}({', '.join(written)})"


@pytest.mark.parametrize("line", SEED_CALLS)
def test_every_seed_call_exists_with_the_seeds_signature(do: DO, line: str) -> None:
    """Each seed call line, e.g. "do.droplet.power_off(id=None, tag_name=None, wait=False, poll=5, timeout=300)"."""
    name = line.removeprefix("do.droplet.").partition("(")[0]
    assert _as_seed_line(do, name) == line
    assert all(
        p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
        for p in inspect.signature(getattr(do.droplet, name)).parameters.values()
    )


@pytest.mark.skipif(not SEED_FILE.exists(), reason="the seed document is not beside the repository")
def test_the_call_list_is_the_seed_documents() -> None:
    """The list above is every ``do.droplet.`` line of the seed document, nothing more or less."""
    lines = [line.strip() for line in SEED_FILE.read_text(encoding="utf-8").splitlines()]
    assert [line for line in lines if line.startswith("do.droplet.")] == SEED_CALLS


def test_do_with_a_token_builds_a_client_on_the_default_url() -> None:
    """Seed: ``do = DO(token=...)``; url defaults like ``droplets.Client``."""
    do = DO(token="dop_v1_example")
    assert isinstance(do.client, droplets.Client)
    assert do.client.base_url == "https://api.digitalocean.com"
    assert "dop_v1_example" not in repr(do)


def test_do_accepts_a_url_with_or_without_v2() -> None:
    """``DO(token=..., url=...)``: doboto's ``https://api.digitalocean.com/v2`` form works too."""
    assert DO(token="t", url="http://127.0.0.1:8080/v2").client.base_url == "http://127.0.0.1:8080"  # type: ignore[union-attr]
    assert DO(token="t", url="http://localhost:8080").client.base_url == "http://localhost:8080"  # type: ignore[union-attr]


def test_do_refuses_a_bad_url_or_client_with_token() -> None:
    """Construction failures are DOBOTOExceptions too."""
    with pytest.raises(DOBOTOException, match="plain http"):
        DO(token="t", url="http://example.com")
    with pytest.raises(DOBOTOException, match="not both"):
        DO(token="t", client=droplets.Client.sandbox())


def test_do_without_arguments_uses_the_default_client(droplets_sandbox: droplets.Client) -> None:
    """``DO()`` follows ``droplets.configure()`` / the pytest fixture's default client."""
    do = DO()
    assert do.client is None
    created = do.droplet.create({"name": "web-1", **ATTRIBS}, wait=True)
    assert isinstance(created, dict)
    assert droplets.Droplet.get(created["id"]).to_dict() == created
    assert do.droplet.list() == [created]
