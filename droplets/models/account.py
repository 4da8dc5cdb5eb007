"""The account the token belongs to (``GET /v2/account``): limits, email, status, team."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import attrs

from droplets import _api
from droplets._api import Endpoint
from droplets._converter import OMIT_IF_NONE
from droplets.managers import Manager, ManagerDescriptor
from droplets.models.base import Bound

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["Account", "AccountManager", "Team"]


@attrs.frozen
class Team:
    """The team the token acts for (present in a team context)."""

    uuid: str
    name: str


class AccountManager(Manager["Account"]):
    """``Account.objects``: the one account of the token (``client.account.get()``)."""

    def get(self, *ident: object, **lookups: object) -> Account:
        """The account of the client's token (one ``GET /v2/account``; takes no lookup).

        Raises:
            droplets.ValidationError: A lookup was given (there is one account per token).
        """
        if ident or lookups:
            from droplets.errors import ValidationError

            raise ValidationError("Account.get() takes no lookup: a token belongs to exactly one account")
        client = self.get_queryset().client
        endpoint = self.model._endpoint
        return self.model._from_wire(_api.get(client, endpoint.path, endpoint.singular), client)


@attrs.define(repr=False)
class Account(Bound):
    """The account of the token.

    Attributes:
        droplet_limit: How many droplets the account may run.
        floating_ip_limit: How many reserved IPs it may hold.
        email: The account's email address.
        name: The account holder's name, where set.
        uuid: Identifier.
        email_verified: Whether the email is confirmed.
        status: ``"active"``, ``"warning"`` or ``"locked"``.
        status_message: Why the status is not active (often a blank).
        team: The team, when the token acts for one.

    Example:
        >>> Account.get().droplet_limit   # doctest: +SKIP
        25
    """

    _endpoint = Endpoint("/v2/account", "account", "account")

    droplet_limit: int
    floating_ip_limit: int
    email: str
    uuid: str
    email_verified: bool
    status: Literal["active", "warning", "locked"]
    status_message: str
    name: str | None = attrs.field(default=None, metadata=OMIT_IF_NONE)
    team: Team | None = attrs.field(default=None, metadata=OMIT_IF_NONE)

    objects = ManagerDescriptor(AccountManager)

    @classmethod
    def get(cls) -> Account:
        """Load the account of the default client's token (one request)."""
        return cls.objects.get()

    def refresh(self) -> Self:
        """Reload in place and return self."""
        return self._take(type(self).objects.using(self.client).get())

    def __repr__(self) -> str:
        return f"<Account {self.email} {self.status} droplet_limit={self.droplet_limit}>"
