"""Name resolution against a DNS server on loopback: every status CloudFront can run into."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from cfdoctor.lab.dnsserver import DnsServer
from cfdoctor.probes import ProbeInputError, make_resolver
from cfdoctor.probes.dns import dns_findings, resolve


@pytest.fixture(scope="module")
def server() -> Iterator[DnsServer]:
    dns = DnsServer(
        "lab.test",
        {
            "www.lab.test": {"CNAME": ("alb.lab.test",)},
            "alb.lab.test": {"A": ("13.32.0.1", "13.32.0.2"), "AAAA": ("2600:9000::1",)},
            "v6.lab.test": {"AAAA": ("2600:9000::2",)},
            "txt-only.lab.test": {"TXT": ('"hello"',)},
            "dangling.lab.test": {"CNAME": ("gone.lab.test",)},
            "internal.lab.test": {"A": ("10.0.3.4",)},
        },
        {"broken.lab.test": "servfail", "silent.lab.test": "silent"},
    )
    dns.start()
    yield dns
    dns.stop()


def _resolve(server: DnsServer, name: str, timeout: float = 1.0) -> tuple[str, list[str]]:
    answer = resolve(name, make_resolver(server.address), timeout)
    return answer.status, [str(a) for a in answer.addresses]


def test_resolves_through_a_cname_chain(server: DnsServer) -> None:
    answer = resolve("www.lab.test", make_resolver(server.address), 1.0)
    assert answer.status == "resolves"
    assert sorted(str(a) for a in answer.addresses) == ["13.32.0.1", "13.32.0.2", "2600:9000::1"]
    assert answer.cnames == ("alb.lab.test",)
    found = dns_findings("www.lab.test", answer)
    facts = {f.fact: f.value for f in found.items}
    assert facts == {"origin.dns.status": "resolves", "origin.dns.private_address": False}
    assert found.items[0].evidence.startswith("www.lab.test → CNAME alb.lab.test → 13.32.0.")


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("v6.lab.test", "resolves"),
        ("missing.lab.test", "nxdomain"),
        ("broken.lab.test", "servfail"),
        ("txt-only.lab.test", "no-address"),
        ("dangling.lab.test", "no-address"),
    ],
)
def test_status(server: DnsServer, name: str, status: str) -> None:
    assert _resolve(server, name)[0] == status


def test_silence_is_servfail_within_the_timeout(server: DnsServer) -> None:
    start = time.monotonic()
    assert _resolve(server, "silent.lab.test", timeout=0.3)[0] == "servfail"
    assert time.monotonic() - start < 1.5


def test_private_address_is_a_fact_with_evidence(server: DnsServer) -> None:
    answer = resolve("internal.lab.test", make_resolver(server.address), 1.0)
    found = {f.fact: f for f in dns_findings("internal.lab.test", answer).items}
    assert found["origin.dns.private_address"].value is True
    assert "10.0.3.4 (private)" in found["origin.dns.private_address"].evidence


@pytest.mark.parametrize(
    ("text", "servers", "port"),
    [
        ("127.0.0.1", ["127.0.0.1"], 53),
        ("127.0.0.1:5353", ["127.0.0.1"], 5353),
        ("[::1]:5300", ["::1"], 5300),
        ("[::1]", ["::1"], 53),
        ("::1", ["::1"], 53),
    ],
)
def test_make_resolver(text: str, servers: list[str], port: int) -> None:
    resolver = make_resolver(text)
    assert [str(s) for s in resolver.nameservers] == servers and resolver.port == port


@pytest.mark.parametrize(
    "text",
    [
        "dns.example.com",
        "127.0.0.1:port",
        "127.0.0.1:0",
        "[::1]:abc",
        "[::1]:",
        "[::1]53",
        "[::1",
        "[::1]:99999",
    ],
)
def test_make_resolver_rejects(text: str) -> None:
    with pytest.raises(ProbeInputError):
        make_resolver(text)
