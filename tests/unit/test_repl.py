"""What a person sees in a REPL, IPython or Jupyter."""

from __future__ import annotations

import io
from typing import Any

import pytest

from droplets import Client, Droplet


class FakePrinter:
    """The part of IPython's pretty printer the hooks use."""

    def __init__(self) -> None:
        self.out = io.StringIO()

    def text(self, value: str) -> None:
        self.out.write(value)

    def breakable(self) -> None:
        self.out.write("\n  ")

    def group(self, indent: int, open: str, close: str) -> Any:
        printer = self

        class Group:
            def __enter__(self) -> None:
                printer.text(open)

            def __exit__(self, *exc: object) -> None:
                printer.text(close)

        return Group()


@pytest.fixture
def client() -> Client:
    client = Client.sandbox()
    client.transport.sandbox.seed_droplets(count=25, tag="web")  # type: ignore[attr-defined]
    return client


def test_model_repr_reads_at_a_glance_without_requests(client: Client) -> None:
    droplet = client.droplets.first()
    assert droplet is not None
    client.transport.sandbox.reset_log()  # type: ignore[attr-defined]
    text = repr(droplet)
    assert text == f"<Droplet {droplet.id} {droplet.name!r} active nyc3 s-1vcpu-1gb>"
    printer = FakePrinter()
    droplet._repr_pretty_(printer, False)
    assert printer.out.getvalue() == text
    assert "<table>" in droplet._repr_html_() and droplet.name in droplet._repr_html_()
    assert client.transport.sandbox.request_count == 0  # type: ignore[attr-defined]


def test_queryset_pretty_and_html_are_bounded(client: Client) -> None:
    qs = client.droplets.all()
    printer = FakePrinter()
    qs._repr_pretty_(printer, False)
    shown = printer.out.getvalue()
    assert shown.count("<Droplet ") == 20 and "remaining elements truncated" in shown
    table = qs._repr_html_()
    assert table.count("<tr>") == 1 + 20 + 1  # header, 20 rows, the ellipsis row
    assert "public_ipv4" in table


def test_dir_has_no_noise(client: Client) -> None:
    droplet = client.droplets.first()
    names = dir(droplet)
    assert {"power_off", "resize", "status", "public_ipv4", "refresh"} <= set(names)
    assert not [name for name in names if name.startswith("_")]
    assert "objects" not in names


def test_help_teaches_with_an_example() -> None:
    for method in (Droplet.resize, Droplet.power_off, Droplet.objects.create):
        assert method.__doc__ and "Example" in method.__doc__, method


def test_every_public_method_has_a_docstring_and_every_verb_an_example() -> None:
    from droplets.models.droplet_query import DropletManager, DropletQuerySet

    for cls in (Droplet, DropletQuerySet, DropletManager):
        for name in dir(cls):
            member = getattr(cls, name, None)
            if name.startswith("_") or not callable(member) or isinstance(member, type):
                continue
            assert member.__doc__, f"{cls.__name__}.{name} has no docstring"
    verbs = ["power_on", "power_off", "power_cycle", "shutdown", "snapshot", "enable_backups", "destroy"]
    for cls in (Droplet, DropletQuerySet):
        for verb in verbs:
            assert "Example" in (getattr(cls, verb).__doc__ or ""), f"{cls.__name__}.{verb}"
