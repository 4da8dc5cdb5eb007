"""doboto compatibility: the seed document's ``do.droplet.*`` calls, verbatim.

Code written for doboto's Droplet API keeps working unchanged::

    from droplets.compat import DO, DOBOTOException

    do = DO(token="dop_v1_...")
    droplet = do.droplet.create({"name": "web-1", "region": "nyc3", "size": "s-1vcpu-1gb",
                                 "image": "ubuntu-24-04-x64", "tags": ["web"]}, wait=True)
    do.droplet.power_off(tag_name="web", wait=True)     # -> list of Action dicts
    do.droplet.destroy(id=droplet["id"])                # -> None

Every call has the seed's name, parameters and defaults, and returns what the
seed says: plain dicts equal to the API's JSON (Droplet, Action, Image and
Kernel dicts), lists of them, ``present``'s tuples, None from ``destroy``.
Every failure raises `DOBOTOException` (a
`droplets.DropletsError`) whose ``__cause__`` is the library's own
error.

This is a thin facade over the object model (`droplets.Droplet`, its
manager and querysets): it sends no request of its own, so the object
model's retries, rate-limit pacing, error mapping and waiting apply. New code
should use the object model directly; ``docs/seed-compat.md`` maps each call
to its object-model form.
"""

from __future__ import annotations

from droplets.compat.droplet import DropletAPI
from droplets.compat.errors import DOBOTOException, translated
from droplets.errors import ValidationError
from droplets.facade import Client

__all__ = ["DO", "DOBOTOException", "DropletAPI"]


class DO:
    """The seed's entry point: ``do = DO(token=...)``, then ``do.droplet.*``.

    Args:
        token: API token. Without it (and without ``url``/``client``) the
            default client is used at each call: ``droplets.configure()``, or
            ``DIGITALOCEAN_TOKEN`` / ``DIGITALOCEAN_ACCESS_TOKEN``.
        url: Base URL (scheme and host; doboto's ``.../v2`` is accepted too).
            Defaults like `droplets.Client`: ``DIGITALOCEAN_API_URL``,
            then ``https://api.digitalocean.com``.
        client: A ready `droplets.Client` (e.g. ``Client.sandbox()``),
            instead of ``token`` and ``url``.

    Attributes:
        droplet: The seed's Droplet calls (`DropletAPI`).
        client: The client given or built, or None for the default client.

    Raises:
        DOBOTOException: ``client`` together with ``token`` or ``url``, or a
            token/URL the client refuses.

    Example:
        >>> do = DO(client=droplets.Client.sandbox())     # doctest: +SKIP
        >>> do.droplet.list()                             # doctest: +SKIP
        []
    """

    @translated
    def __init__(self, token: str | None = None, url: str | None = None, *, client: Client | None = None) -> None:
        if client is not None and (token is not None or url is not None):
            raise ValidationError("give either client= or token=/url=, not both")
        if client is None and (token is not None or url is not None):
            client = Client(token=token, base_url=url)
        self.client = client
        self.droplet = DropletAPI(client)

    def __repr__(self) -> str:
        return f"<DO on {'default client' if self.client is None else repr(self.client)}>"
