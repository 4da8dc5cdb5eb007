"""``droplets demo`` (also ``python -m droplets.demo``): a guided tour on a simulated account.

It builds a fresh in-process sandbox (``droplets.Client.sandbox()``: no
token, no network, no cost) and walks through the library's main verbs:
create three tagged droplets and wait for them, list them, power them off by
tag in one request, resize and snapshot one, and destroy them all by tag.
Each step prints the Python call it makes, what happened, how many requests
the sandbox received and how much time the waits took. The sandbox's clock
is virtual, so minutes of waiting take milliseconds.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

import droplets
from droplets import Client, Droplet, ReservedIP, Volume
from droplets.cli.output import Column, format_table, rows_of
from droplets.client import DEFAULT_BASE_URL

if TYPE_CHECKING:
    from droplets.sandbox import Sandbox

__all__ = ["main", "run"]

TAG = "demo"
NAMES = ["demo-1", "demo-2", "demo-3"]
REGION, SIZE, BIGGER, IMAGE = "nyc3", "s-1vcpu-1gb", "s-2vcpu-4gb", "ubuntu-24-04-x64"
STEPS = 7
INDENT = "      "

_COLUMNS: list[Column] = [
    ("ID", lambda d: d.id),
    ("Name", lambda d: d.name),
    ("Public IPv4", lambda d: d.public_ipv4),
    ("Region", lambda d: d.region.slug),
    ("Size", lambda d: d.size_slug),
    ("Status", lambda d: d.status),
    ("Tags", lambda d: ",".join(d.tags)),
]


def _duration(seconds: float) -> str:
    """Seconds as ``2 min 35 s`` (whole seconds) or ``0.031 s`` (below one)."""
    if seconds < 1:
        return f"{seconds:.3f} s"
    minutes, rest = divmod(round(seconds), 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


def _q(value: object) -> str:
    """A string or list of strings as Python source with double quotes."""
    return json.dumps(value)


class _Tour:
    """Prints the steps and measures requests and virtual time per step."""

    def __init__(self, client: Client, sandbox: Sandbox) -> None:
        self.client = client
        self.sandbox = sandbox
        self.number = 0
        self._requests = sandbox.request_count
        self._virtual = client.clock.monotonic()

    def step(self, title: str, *code: str) -> None:
        self.number += 1
        print(f"\n[{self.number}/{STEPS}] {title}")
        for index, line in enumerate(code):
            print(f"{INDENT}{'>>>' if index == 0 else '...'} {line}")
        self._requests = self.sandbox.request_count
        self._virtual = self.client.clock.monotonic()

    def say(self, text: str) -> None:
        print(f"{INDENT}{text}")

    def cost(self) -> None:
        requests = self.sandbox.request_count - self._requests
        waited = self.client.clock.monotonic() - self._virtual
        text = f"{requests} request{'s' if requests != 1 else ''} to the sandbox"
        if waited >= 1:
            text += f"; waiting took {_duration(waited)} of virtual time, polling every 5 s"
        self.say(f"({text})")


def run(client: Client) -> None:
    """Walk through the tour on ``client``, which must be a sandbox client.

    Args:
        client: A client from `droplets.Client.sandbox()`; its
            ``transport.sandbox`` is read for the request counts.
    """
    sandbox: Sandbox = client.transport.sandbox  # type: ignore[attr-defined]
    tour = _Tour(client, sandbox)
    with droplets.using(client):
        tour.step(
            f"Create {len(NAMES)} droplets tagged {_q(TAG)} and wait until they are active",
            f"ds = Droplet.objects.create_many(names={_q(NAMES)}, region={_q(REGION)},",
            f"    size={_q(SIZE)}, image={_q(IMAGE)}, tags=[{_q(TAG)}], wait=True)",
        )
        created = Droplet.objects.create_many(NAMES, region=REGION, size=SIZE, image=IMAGE, tags=[TAG], wait=True)
        listed = ", ".join(f"{d.name} (id {d.id})" for d in created)
        tour.say(f"created {listed}")
        tour.say(f"statuses: {', '.join(d.status for d in created)}; each has a public IPv4 address now")
        tour.cost()

        tour.step(
            f"List the droplets tagged {_q(TAG)} (the API applies the tag filter)",
            f"Droplet.objects.filter(tag={_q(TAG)})",
        )
        table = format_table([title for title, _ in _COLUMNS], rows_of(Droplet.objects.filter(tag=TAG), _COLUMNS))
        for line in table.splitlines():
            tour.say(line)
        tour.cost()

        tour.step(
            "Power them all off by tag: one request starts all three actions",
            f"Droplet.objects.filter(tag={_q(TAG)}).power_off(wait=True)",
        )
        actions = Droplet.objects.filter(tag=TAG).power_off(wait=True)
        tour.say(
            f"{len(actions)} {actions[0].type} actions ({', '.join(str(a.id) for a in actions)}): "
            f"{', '.join(a.status for a in actions)}"
        )
        tour.say("while waiting, each poll read all three statuses in one request")
        tour.cost()

        first = created[0]
        tour.step(
            f"Resize {first.name} to {BIGGER} (a droplet must be off to resize)",
            "d = ds[0].refresh()  # re-read it: it was powered off since it was loaded",
            f"d.resize({_q(BIGGER)}, wait=True)",
        )
        first.refresh()
        tour.say(f"{first.name} is {first.status}, size {first.size_slug}")
        action = first.resize(BIGGER, wait=True)
        tour.say(
            f"action {action.id} ({action.type}) {action.status}; {first.name} is now {first.size_slug}: "
            f"{first.vcpus} vCPUs, {first.memory} MB memory, {first.disk} GB disk"
        )
        tour.cost()

        tour.step(f"Snapshot {first.name}", f"d.snapshot(name={_q(first.name + '-resized')}, wait=True)")
        action = first.snapshot(name=f"{first.name}-resized", wait=True)
        snapshots = first.snapshots()
        history = first.actions()
        tour.say(f"action {action.id} ({action.type}) {action.status}")
        tour.say(f"snapshots of {first.name}: {', '.join(f'{_q(s.name)} (image id {s.id})' for s in snapshots)}")
        tour.say(f"its action history: {', '.join(a.type for a in reversed(history))} ({len(history)} actions)")
        tour.cost()

        second = created[1]
        tour.step(
            f"Attach a volume to {second.name} and point a reserved IP at it",
            f"v = Volume.objects.create(name={_q('demo-data')}, size_gigabytes=10, region={_q(REGION)})",
            "v.attach(ds[1], wait=True)  # queued if the droplet is busy",
            "ip = ReservedIP.objects.create(droplet=ds[1], wait=True)",
        )
        volume = Volume.objects.create(name="demo-data", size_gigabytes=10, region=REGION)
        volume.attach(second, wait=True)
        ip = ReservedIP.objects.create(droplet=second, wait=True)
        second.refresh()
        tour.say(f"{second.name}'s volume_ids: {second.volume_ids}; d.volumes(): {[v.name for v in second.volumes()]}")
        tour.say(f"reserved IP {ip.ip} points at {ip.droplet.name if ip.droplet else None}; it shows in the")
        tour.say(f"droplet's networks too: {[n.ip_address for n in second.networks.v4 if n.type == 'public']}")
        tour.cost()

        tour.step(
            f"Destroy every droplet tagged {_q(TAG)}: one request, then one count a round until they are gone",
            f"Droplet.objects.filter(tag={_q(TAG)}).destroy(wait=True)",
            "v.destroy(); ip.destroy()  # a destroyed droplet's volume is detached and its IP unassigned, not deleted",
        )
        Droplet.objects.filter(tag=TAG).destroy(wait=True)
        volume.destroy()
        ip.destroy()
        tour.say(f"droplets left in the account: {Droplet.objects.count()}")
        tour.say(f"volumes: {Volume.objects.count()}, reserved IPs: {ReservedIP.objects.count()}")
        tour.cost()


def _sandbox_client() -> Client:
    """``Client.sandbox()``, but independent of ``DIGITALOCEAN_API_URL``.

    ``Client.sandbox()`` takes its base URL from the environment like any
    client, so a stray or invalid ``DIGITALOCEAN_API_URL`` would break the
    demo, which promises to need nothing from the environment.
    """
    from droplets.transport.sandbox import SandboxTransport

    transport = SandboxTransport.create()
    return Client(token="sandbox-token", base_url=DEFAULT_BASE_URL, transport=transport, clock=transport.clock)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the tour on a fresh in-process sandbox and print a summary.

    Args:
        argv: Command-line arguments (only ``--help``); ``sys.argv[1:]`` when None.

    Returns:
        0.
    """
    parser = argparse.ArgumentParser(
        prog="droplets demo",
        description="A guided tour of the droplets library on a simulated account (no token, no network).",
    )
    parser.parse_args(argv)
    started = time.perf_counter()
    client = _sandbox_client()
    virtual_start = client.clock.monotonic()
    print("droplets demo: a tour of the droplets library on a simulated DigitalOcean account.")
    print("It runs on an in-process sandbox (droplets.Client.sandbox()): no token, no network, no cost.")
    print("Each step shows the Python it runs, then what happened.")
    run(client)
    sandbox: Sandbox = client.transport.sandbox  # type: ignore[attr-defined]
    virtual = client.clock.monotonic() - virtual_start
    real = time.perf_counter() - started
    print(
        f"\nDone: {sandbox.request_count} requests to the sandbox; waiting for actions took "
        f"{_duration(virtual)} of virtual time, in {_duration(real)} of real time."
    )
    print("\nNext:")
    print("  droplets --help                            every command")
    print("  droplets sandbox serve --port 8080         the same sandbox over HTTP, then in another shell:")
    print("  DIGITALOCEAN_API_URL=http://127.0.0.1:8080 DIGITALOCEAN_TOKEN=any droplets list")
    print("  export DIGITALOCEAN_TOKEN=...              your real account (droplets list)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
