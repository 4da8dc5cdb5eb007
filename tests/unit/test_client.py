"""Client configuration, the default client, and where the token may go."""

from __future__ import annotations

import logging

import pytest

import droplets
from droplets import Client, ConfigurationError, Droplet, Request, Response
from tests.conftest import MockTransport, json_response, load_example

TOKEN = "dop_v1_" + "ab" * 32


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DIGITALOCEAN_TOKEN", "DIGITALOCEAN_ACCESS_TOKEN", "DIGITALOCEAN_API_URL"):
        monkeypatch.delenv(name, raising=False)


def test_missing_token_names_the_variables_looked_at() -> None:
    with pytest.raises(droplets.MissingToken) as caught:
        Client()
    assert isinstance(caught.value, ConfigurationError)
    assert "DIGITALOCEAN_TOKEN" in str(caught.value)
    assert "DIGITALOCEAN_ACCESS_TOKEN" in str(caught.value)
    assert isinstance(caught.value, droplets.ValidationError)


def test_token_and_url_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIGITALOCEAN_ACCESS_TOKEN", "from-doctl")
    monkeypatch.setenv("DIGITALOCEAN_API_URL", "http://127.0.0.1:8080")
    seen: list[Request] = []
    transport = MockTransport(lambda r: (seen.append(r), json_response(200, {"droplets": [], "meta": {"total": 0}}))[1])
    client = Client(transport=transport)
    assert client.base_url == "http://127.0.0.1:8080"
    assert client.droplets.count() == 0
    assert seen[0].headers["Authorization"] == "Bearer from-doctl"
    assert seen[0].url.startswith("http://127.0.0.1:8080/v2/droplets?")


def test_droplets_token_wins_over_doctl_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIGITALOCEAN_TOKEN", "primary")
    monkeypatch.setenv("DIGITALOCEAN_ACCESS_TOKEN", "secondary")
    transport = MockTransport(lambda r: json_response(200, {"droplets": [], "meta": {"total": 0}}))
    Client(transport=transport).droplets.count()
    assert transport.requests[0].headers["Authorization"] == "Bearer primary"


@pytest.mark.parametrize("url", ["http://api.digitalocean.com", "http://10.0.0.5:8080", "ftp://x", "nonsense"])
def test_plain_http_refused_except_loopback(url: str) -> None:
    with pytest.raises(ConfigurationError):
        Client(token="t", base_url=url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://localhost:8080", "http://localhost:8080"),
        ("http://127.0.0.1:9", "http://127.0.0.1:9"),
        ("http://[::1]:8080", "http://[::1]:8080"),
        ("https://api.digitalocean.com/v2/", "https://api.digitalocean.com"),
    ],
)
def test_base_url_accepted_forms(url: str, expected: str) -> None:
    assert Client(token="t", base_url=url).base_url == expected


def test_base_url_with_other_path_refused() -> None:
    with pytest.raises(ConfigurationError, match="path"):
        Client(token="t", base_url="https://example.com/api")


def test_repr_and_errors_never_show_the_token() -> None:
    transport = MockTransport(lambda r: json_response(404, load_example("error_404.json")))
    client = Client(token=TOKEN, transport=transport)
    assert TOKEN not in repr(client) and TOKEN not in str(client)
    with pytest.raises(Droplet.DoesNotExist) as caught:
        client.droplets.get(id=1)
    assert TOKEN not in str(caught.value) and TOKEN not in repr(caught.value)


def test_pagination_links_are_followed_on_the_configured_host() -> None:
    """The real API answers with absolute api.digitalocean.com links; we stay on our base."""
    droplet = load_example("droplets_get_200.json")["droplet"]

    def handler(request: Request) -> Response:
        page = 2 if "?page=2" in request.url or "&page=2" in request.url else 1
        links = {"pages": {"next": "https://api.digitalocean.com/v2/droplets?page=2&per_page=200"}} if page == 1 else {}
        return json_response(200, {"droplets": [dict(droplet, id=page)], "links": links, "meta": {}})

    transport = MockTransport(handler)
    client = Client(token=TOKEN, base_url="http://127.0.0.1:9999", transport=transport)
    assert [d.id for d in client.droplets.all()] == [1, 2]
    assert all(r.url.startswith("http://127.0.0.1:9999/v2/") for r in transport.requests)


def test_link_outside_the_api_is_refused() -> None:
    def handler(request: Request) -> Response:
        return json_response(200, {"droplets": [], "links": {"pages": {"next": "https://evil.example/steal"}}})

    client = Client(token=TOKEN, transport=MockTransport(handler))
    with pytest.raises(droplets.UnexpectedResponse):
        list(client.droplets.all())


def test_debug_log_has_no_token_and_no_body(caplog: pytest.LogCaptureFixture) -> None:
    transport = MockTransport(lambda r: json_response(404, load_example("error_404.json")))
    client = Client(token=TOKEN, transport=transport)
    with caplog.at_level(logging.DEBUG, logger="droplets"), pytest.raises(droplets.NotFound):
        client.droplets.create(
            name="web-1", region="nyc3", size="s-1vcpu-1gb", image="ubuntu-24-04-x64", user_data="SECRET-USER-DATA"
        )
    assert caplog.records, "requests are logged at DEBUG"
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert TOKEN not in text and "SECRET-USER-DATA" not in text and "Bearer" not in text


def test_configure_and_using() -> None:
    first = droplets.configure(sandbox=True)
    assert droplets.default_client() is first
    other = Client.sandbox(seed=1)
    with droplets.using(other) as bound:
        assert bound is other and droplets.default_client() is other
    assert droplets.default_client() is first


def test_default_client_is_built_lazily_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from droplets.client import _reset_default

    previous = _reset_default(None)
    try:
        monkeypatch.setenv("DIGITALOCEAN_TOKEN", "lazy")
        assert droplets.default_client()._token == "lazy"
    finally:
        _reset_default(previous)


def test_transport_breaking_its_contract_becomes_transport_error() -> None:
    def handler(request: Request) -> Response:
        raise RuntimeError("boom")

    client = Client(token="t", transport=MockTransport(handler))
    with pytest.raises(droplets.TransportError, match="boom"):
        client.droplets.count()


def test_success_body_that_is_not_json_is_unexpected_response() -> None:
    client = Client(token="t", transport=MockTransport(lambda r: Response(200, {}, b"<html>ok</html>")))
    with pytest.raises(droplets.UnexpectedResponse) as caught:
        client.droplets.count()
    assert caught.value.body_start.startswith(b"<html>")


def test_context_manager_closes_transport() -> None:
    transport = MockTransport(lambda r: json_response(200, {}))
    with Client(token="t", transport=transport):
        pass
    assert transport.closed


def test_sandbox_client_takes_client_options() -> None:
    client = Client.sandbox(retry=droplets.RetryPolicy(attempts=1), timeout=5.0, page_workers=1, rate_limit=None)
    assert client.retry.attempts == 1 and client.timeout == (5.0, 5.0) and client.page_workers == 1
    client.transport.sandbox.faults.inject(method="GET", path="/v2/droplets", status=503)  # type: ignore[attr-defined]
    with pytest.raises(droplets.ServerError):
        client.droplets.count()
