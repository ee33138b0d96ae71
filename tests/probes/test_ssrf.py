"""A probe started by a server (AddressPolicy.public_only) never reaches an internal address,
whatever form the address takes: each form below is refused and the loopback listener that
would have answered counts no connection."""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Iterator

import pytest

from cfdoctor.lab.dnsserver import DnsServer
from cfdoctor.probes import AddressPolicy, AddressRefusedError, ProbeTarget, make_resolver, probe
from cfdoctor.probes import http as http_probe
from cfdoctor.probes import tcp as tcp_probe
from cfdoctor.probes import tls as tls_probe
from cfdoctor.probes.policy import numeric_host

PUBLIC_ONLY = AddressPolicy.public_only()


class Listener:
    """A TCP listener on loopback that counts the connections it is offered."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.05)
        self.port: int = self.sock.getsockname()[1]
        self.accepted = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.accepted += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    counting = Listener()
    yield counting
    counting.close()


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("10.0.0.1", "private"),
        ("172.31.255.1", "private"),
        ("192.168.0.1", "private"),
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("169.254.1.1", "link-local"),
        ("fe80::1", "link-local"),
        ("100.64.0.1", "CGNAT"),
        ("169.254.169.254", "cloud metadata"),
        ("fd00:ec2::254", "cloud metadata"),
        ("::ffff:127.0.0.1", "IPv4-mapped"),
        ("::ffff:8.8.8.8", "IPv4-mapped"),  # refused as a form, even when it maps to public
        ("64:ff9b::7f00:1", "loopback"),  # NAT64 carrying 127.0.0.1
        ("2002:7f00:1::", "loopback"),  # 6to4 carrying 127.0.0.1 (issue 13, item 21)
        ("2002:a00:1::1", "private"),  # 6to4 carrying 10.0.0.1
        ("2002:a9fe:a9fe::", "link-local"),  # 6to4 carrying 169.254.169.254
        ("fec0::1", "site-local"),  # deprecated site-local fec0::/10 (issue 13, item 21)
        ("fed0::1", "site-local"),
        ("fc00::1", "private"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
    ],
)
def test_public_only_refuses_every_internal_address_form(address: str, why: str) -> None:
    refused = PUBLIC_ONLY.why_refused(ipaddress.ip_address(address))
    assert refused is not None and why in refused


@pytest.mark.parametrize("address", ["8.8.8.8", "2606:4700::1111", "2002:808:808::1"])
def test_public_only_lets_public_addresses_through(address: str) -> None:
    assert PUBLIC_ONLY.why_refused(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize(
    ("name", "numeric"),
    [
        ("2130706433", True),  # 127.0.0.1 as one decimal number
        ("0177.0.0.1", True),  # octal
        ("0x7f.0.0.1", True),  # hex
        ("0x7f000001", True),
        ("127.1", True),  # inet_aton's short form
        ("017700000001", True),
        ("127.0.0.1", False),  # dotted decimal is an address, judged as one
        ("origin.example.com", False),
        ("1e100.net", False),
        ("a0.b1.example", False),
    ],
)
def test_numeric_host_names_are_addresses_in_disguise(name: str, numeric: bool) -> None:
    assert numeric_host(name) is numeric


@pytest.mark.parametrize(
    "origin",
    [
        "127.0.0.1",
        "[::1]",
        "::ffff:127.0.0.1",
        "2002:7f00:1::",
        "2130706433",
        "0177.0.0.1",
        "0x7f.0.0.1",
        "127.1",
    ],
)
def test_a_probe_of_an_internal_origin_never_connects(origin: str, listener: Listener) -> None:
    target = ProbeTarget(origin, https_port=listener.port, sni="x.test", connect_timeout=0.5)
    result = probe(target, policy=PUBLIC_ONLY, resolver=make_resolver("127.0.0.1:9"))
    assert result.refusal is not None, result.to_dict()
    assert "origin.tcp.connect" not in result.facts
    with pytest.raises(AddressRefusedError):
        result.raise_if_refused()
    assert listener.accepted == 0


RESOLVED = {
    "private.lab.test": {"A": ("10.1.2.3",)},
    "loopback.lab.test": {"A": ("127.0.0.1",)},
    "metadata.lab.test": {"A": ("169.254.169.254",)},
    "cgnat.lab.test": {"A": ("100.64.1.1",)},
    "mapped.lab.test": {"AAAA": ("::ffff:127.0.0.1",)},
    "sixtofour.lab.test": {"AAAA": ("2002:7f00:1::",)},
    "sitelocal.lab.test": {"AAAA": ("fec0::1",)},
    "linklocal.lab.test": {"AAAA": ("fe80::1",)},
    "mixed.lab.test": {"A": ("8.8.8.8",), "AAAA": ("::1",)},
    "alias.lab.test": {"CNAME": ("loopback.lab.test.",)},
}


@pytest.fixture(scope="module")
def dns_server() -> Iterator[DnsServer]:
    server = DnsServer("lab.test", RESOLVED)
    server.start()
    yield server
    server.stop()


@pytest.mark.parametrize("name", sorted(RESOLVED))
def test_names_resolving_to_internal_addresses_are_refused(
    name: str, dns_server: DnsServer, listener: Listener
) -> None:
    target = ProbeTarget(name, https_port=listener.port, connect_timeout=0.5)
    result = probe(target, policy=PUBLIC_ONLY, resolver=make_resolver(dns_server.address))
    assert result.facts.get("origin.dns.status") == "resolves"
    assert result.refusal is not None
    assert "origin.tcp.connect" not in result.facts
    assert listener.accepted == 0


def test_every_connection_checks_the_address_it_connects_to(listener: Listener) -> None:
    """The run checks resolved addresses first; each socket checks again, so a step that
    skipped the run's check (or a future one) cannot reach a refused address either."""
    target = ProbeTarget("127.0.0.1", https_port=listener.port, sni="x.test", connect_timeout=0.5)
    contexts = tls_probe.build_contexts(target)
    with pytest.raises(AddressRefusedError):
        tcp_probe.open_connection("127.0.0.1", listener.port, 0.5, PUBLIC_ONLY)
    with pytest.raises(AddressRefusedError):
        tcp_probe.connect("127.0.0.1", listener.port, 0.5, PUBLIC_ONLY)
    with pytest.raises(AddressRefusedError):
        tls_probe.handshake(
            "127.0.0.1", listener.port, "x.test", contexts.permissive, 0.5, PUBLIC_ONLY
        )
    with pytest.raises(AddressRefusedError):
        http_probe.probe_http("127.0.0.1", target, contexts, PUBLIC_ONLY)
    with pytest.raises(ValueError, match="IP address"):
        tcp_probe.open_connection("localhost", listener.port, 0.5, PUBLIC_ONLY)
    assert listener.accepted == 0
    allowed = AddressPolicy.public_only(allow=["127.0.0.0/8"])
    tcp_probe.open_connection("127.0.0.1", listener.port, 0.5, allowed).close()
    assert tcp_probe.connect("127.0.0.1", listener.port, 0.5, allowed).status == "connects"
