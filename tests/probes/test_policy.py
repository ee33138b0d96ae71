"""The address policy: servers never contact what the operator did not allow."""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Iterator

import pytest

from cfdoctor.lab.dnsserver import DnsServer
from cfdoctor.probes import AddressPolicy, AddressRefusedError, ProbeTarget, make_resolver, probe
from cfdoctor.probes.policy import non_public_reason, parse_address


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("100.64.0.1", "shared (CGNAT)"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("fd00::1", "private"),
        ("::ffff:10.0.0.1", "private"),
        ("64:ff9b::a00:1", "private"),
        ("192.0.2.1", "private"),
        ("8.8.8.8", None),
        ("2606:4700::1111", None),
        ("13.32.0.1", None),
    ],
)
def test_non_public_reason(address: str, reason: str | None) -> None:
    assert non_public_reason(ipaddress.ip_address(address)) == reason


def test_parse_address_tolerates_brackets_and_zones() -> None:
    assert parse_address("[::1]") == ipaddress.ip_address("::1")
    assert parse_address("fe80::1%eth0") == ipaddress.ip_address("fe80::1")
    assert parse_address("origin.example.com") is None


def test_allow_all_allows_everything() -> None:
    AddressPolicy.allow_all().check([ipaddress.ip_address("127.0.0.1")])


def test_public_only_refuses_with_a_clear_error() -> None:
    policy = AddressPolicy.public_only()
    policy.check([ipaddress.ip_address("8.8.8.8")])
    with pytest.raises(AddressRefusedError, match=r"10\.0\.0\.5: it is a private address"):
        policy.check([ipaddress.ip_address("8.8.8.8"), ipaddress.ip_address("10.0.0.5")])


def test_operator_allowed_networks() -> None:
    policy = AddressPolicy.public_only(allow=["10.1.0.0/16"])
    assert policy.why_refused(ipaddress.ip_address("10.1.2.3")) is None
    assert policy.why_refused(ipaddress.ip_address("10.2.0.1")) is not None


class _CountingListener:
    """A listener on loopback that counts the connections it is offered."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.05)
        self.port = self.sock.getsockname()[1]
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
def listener() -> Iterator[_CountingListener]:
    counting = _CountingListener()
    yield counting
    counting.close()


def test_public_only_never_contacts_a_loopback_origin(listener: _CountingListener) -> None:
    target = ProbeTarget("127.0.0.1", https_port=listener.port, sni="x.test", connect_timeout=0.5)
    result = probe(target, policy=AddressPolicy.public_only())
    assert result.refusal is not None and "loopback" in result.refusal
    assert result.facts == {}
    assert [(s.step, s.status) for s in result.steps] == [
        ("dns", "skipped"),
        ("tcp", "refused"),
        ("tls", "skipped"),
        ("http", "skipped"),
    ]
    with pytest.raises(AddressRefusedError):
        result.raise_if_refused()
    assert listener.accepted == 0


def test_every_resolved_address_is_checked_before_any_contact(listener: _CountingListener) -> None:
    """A name with one public and one private address is refused as a whole."""
    dns = DnsServer(
        "lab.test",
        {
            "mixed.lab.test": {"A": ("8.8.8.8", "10.0.0.10")},
            "private.lab.test": {"A": ("10.0.0.10",)},
        },
    )
    dns.start()
    try:
        resolver = make_resolver(dns.address)
        for name in ("mixed.lab.test", "private.lab.test"):
            target = ProbeTarget(name, https_port=listener.port, connect_timeout=0.5)
            result = probe(target, policy=AddressPolicy.public_only(), resolver=resolver)
            assert result.refusal is not None and "10.0.0.10" in result.refusal
            assert result.facts["origin.dns.status"] == "resolves"
            assert result.facts["origin.dns.private_address"] is True
            assert "origin.tcp.connect" not in result.facts
    finally:
        dns.stop()
    assert listener.accepted == 0
