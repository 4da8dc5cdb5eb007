"""The token never shows in an exception, a chained exception or a DEBUG log, and a malformed one is refused."""

from __future__ import annotations

import logging
import traceback

import pytest

import droplets
from droplets import Client, ConfigurationError, Request, Response, TransportError
from droplets.transport.http import RequestsTransport
from tests.conftest import MockTransport
from tests.reliability.hostile import TOKEN, client_for, droplet_bodies, dumps, page, raw

BEARER = f"Bearer {TOKEN}"


def _everything_shown(error: BaseException) -> str:
    """Every text a user or a log could see of an error: str, repr, attributes and the whole chain."""
    texts = ["".join(traceback.format_exception(error))]
    current: BaseException | None = error
    while current is not None:
        texts += [str(current), repr(current)]
        texts += [repr(value) for value in vars(current).values()]
        current = current.__cause__ or current.__context__
    return "\n".join(texts)


def _echo(status: int) -> Response:
    """A proxy that echoes the request's Authorization header into its answer."""
    return raw(status, dumps({"id": "echo", "message": f"you sent Authorization: {BEARER}"}))


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422, 429, 500])
def test_an_echoed_authorization_header_never_reaches_an_api_error(status: int) -> None:
    client, _ = client_for(lambda request: _echo(status), retry=droplets.RetryPolicy(attempts=1))
    with pytest.raises(droplets.APIError) as caught:
        client.droplets.get(id=1)
    assert TOKEN not in _everything_shown(caught.value)
    assert "[REDACTED]" in caught.value.message


@pytest.mark.parametrize("status", [200, 401, 502])
def test_an_echo_in_a_body_that_is_not_json_never_reaches_unexpected_response(status: int) -> None:
    body = f"<html>Authorization: {BEARER}</html>".encode()
    client, _ = client_for(lambda request: raw(status, body), retry=droplets.RetryPolicy(attempts=1))
    with pytest.raises(droplets.UnexpectedResponse) as caught:
        client.droplets.get(id=1)
    assert TOKEN not in _everything_shown(caught.value)
    assert TOKEN.encode() not in caught.value.body_start
    assert b"[REDACTED]" in caught.value.body_start


def test_a_next_link_carrying_the_token_never_reaches_errors_or_logs(caplog: pytest.LogCaptureFixture) -> None:
    bodies = droplet_bodies(2)

    def handler(request: Request) -> Response:
        if "leak=" in request.url:
            return raw(404, dumps({"id": "not_found", "message": "gone"}))
        return page(bodies[:1], None, f"https://api.digitalocean.com/v2/droplets?page=2&leak={TOKEN}")

    client, _ = client_for(handler)
    with caplog.at_level(logging.DEBUG, logger="droplets"), pytest.raises(droplets.NotFound) as caught:
        list(client.droplets.all())
    assert TOKEN not in _everything_shown(caught.value)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "leak=" in logged and TOKEN not in logged


def test_a_broken_transport_exception_holding_the_token_is_scrubbed_from_the_chain() -> None:
    class Leaky(Exception):
        pass

    def handler(request: Request) -> Response:
        raise Leaky(f"cannot send header {request.headers['Authorization']!r}")

    client = Client(token=TOKEN, transport=MockTransport(handler))
    with pytest.raises(TransportError) as caught:
        client.droplets.count()
    shown = _everything_shown(caught.value)
    assert TOKEN not in shown and "Leaky" in shown


@pytest.mark.parametrize(
    "malformed",
    [
        TOKEN + "\r\nX-Injected: 1",
        TOKEN[:20] + "\u200b" + TOKEN[20:],
        "\u201c" + TOKEN + "\u201d",
        TOKEN + "\t",
        TOKEN[:10] + " " + TOKEN[10:],
        TOKEN + "\x00",
    ],
)
def test_a_malformed_token_is_refused_without_showing_it(malformed: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        Client(token=malformed, transport=MockTransport(lambda request: raw(200)))
    shown = _everything_shown(caught.value)
    assert TOKEN[:20] not in shown and TOKEN[-20:] not in shown
    assert "position" in str(caught.value)


@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_a_trailing_line_break_from_a_file_is_stripped(ending: str) -> None:
    client, transport = client_for(lambda request: raw(200, dumps({"droplets": [], "meta": {"total": 0}})))
    client = Client(token=TOKEN + ending, transport=transport)
    assert client.droplets.count() == 0
    assert transport.requests[0].headers["Authorization"] == BEARER


def test_a_malformed_token_from_the_environment_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIGITALOCEAN_TOKEN", TOKEN + "\u200b")
    with pytest.raises(ConfigurationError) as caught:
        Client(transport=MockTransport(lambda request: raw(200)))
    assert TOKEN not in _everything_shown(caught.value)


def test_a_request_that_cannot_be_sent_is_not_retried_and_does_not_show_the_header() -> None:
    transport = RequestsTransport()
    request = Request("GET", "https://127.0.0.1:9/v2/droplets", {"Authorization": BEARER + "\n"}, None, (1.0, 1.0))
    with pytest.raises(TransportError) as caught:
        transport.send(request)
    assert caught.value.permanent and caught.value.reached_server is False
    calls: list[Request] = []

    def refuses(sent: Request) -> Response:
        calls.append(sent)
        raise TransportError("cannot send", method=sent.method, url=sent.url, reached_server=False, permanent=True)

    client = Client(token=TOKEN, transport=MockTransport(refuses))
    with pytest.raises(TransportError):
        client.droplets.count()
    assert len(calls) == 1
