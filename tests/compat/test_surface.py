"""The seed's call list, verbatim: names, parameters, order and defaults; and ``DO()`` itself."""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Any

import pytest

import droplets
from droplets.compat import DO, DOBOTOException
from tests.compat._support import ATTRIBS

SEED_SIGNATURES = Path(__file__).resolve().parents[1] / "data" / "seed_signatures.json"


def _seed_line(call: dict[str, Any]) -> str:
    """One seed call written the way the seed document writes it."""
    written = [p["name"] if "default" not in p else f"{p['name']}={_py(p['default'])}" for p in call["parameters"]]
    return f"do.droplet.{call['name']}({', '.join(written)})"


def _py(value: Any) -> str:
    return repr(value)


# Every ``do.droplet.*`` call of the seed document (vendored as data by scripts/vendor_spec.py).
SEED_CALLS = [_seed_line(call) for call in json.loads(SEED_SIGNATURES.read_text(encoding="utf-8"))["calls"]]


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


def test_the_call_list_is_the_seed_documents() -> None:
    """The vendored table holds the seed's 27 calls, each once (``scripts/vendor_spec.py --check`` keeps it fresh)."""
    names = [line.removeprefix("do.droplet.").partition("(")[0] for line in SEED_CALLS]
    assert len(names) == 27
    assert len(set(names)) == len(names)


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
