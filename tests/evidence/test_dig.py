"""dig (full and +short) and nslookup output."""

from __future__ import annotations

from pathlib import Path

import pytest

from cfdoctor.evidence import EvidenceError, parse_evidence
from cfdoctor.evidence import dig as parser
from cfdoctor.evidence.model import Context

EXPECTED: dict[str, dict[str, object]] = {
    "dig-origin.txt": {
        "origin.dns.status": "resolves",
        "origin.dns.private_address": False,
        "origin.dns.cname_to_cloudfront": False,
    },
    "dig-private.txt": {"origin.dns.status": "resolves", "origin.dns.private_address": True},
    "dig-nope.txt": {"origin.dns.status": "nxdomain"},
    "dig-dangling.txt": {"origin.dns.status": "nxdomain"},
    "dig-broken.txt": {"origin.dns.status": "servfail"},
    "dig-noaddr.txt": {"origin.dns.status": "no-address"},
    "dig-timeout.txt": {"origin.dns.status": "servfail"},
    "dig-api.txt": {"origin.dns.status": "resolves", "origin.dns.cname_to_cloudfront": True},
    "dig-short-origin.txt": {"origin.dns.status": "resolves", "origin.dns.private_address": False},
    "nslookup-origin.txt": {"origin.dns.status": "resolves", "origin.dns.private_address": False},
    "nslookup-private.txt": {"origin.dns.status": "resolves", "origin.dns.private_address": True},
    "nslookup-nope.txt": {"origin.dns.status": "nxdomain"},
    "nslookup-broken.txt": {"origin.dns.status": "servfail"},
    "nslookup-noaddr.txt": {"origin.dns.status": "no-address"},
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture(fixtures: Path, name: str) -> None:
    facts = parse_evidence(fixtures / name).facts
    expected = EXPECTED[name]
    assert {k: facts.get(k) for k in expected} == expected


def test_cname_chain_and_resolver_address_is_not_an_answer(fixtures: Path) -> None:
    ev = parse_evidence(fixtures / "nslookup-origin.txt")
    assert ev.hints["cname_chain"] == "lb-1234.us-east-1.elb.amazonaws.com"
    lookups = ev.details["lookups"]
    assert isinstance(lookups, list)
    assert lookups[0]["addresses"] == ["52.4.10.20", "52.4.10.21"]  # not 127.0.0.1


def test_dangling_cname_keeps_its_chain(fixtures: Path) -> None:
    ev = parse_evidence(fixtures / "dig-dangling.txt")
    assert ev.hints["cname_chain"] == "gone-env.us-east-1.elasticbeanstalk.com"


WINDOWS_NSLOOKUP = """Server:  UnKnown
Address:  192.168.1.1

Non-authoritative answer:
Name:    lb-1234.us-east-1.elb.amazonaws.com
Addresses:  52.4.10.20
          52.4.10.21
Aliases:  origin.example.com
"""

WINDOWS_NXDOMAIN = """Server:  UnKnown
Address:  192.168.1.1

*** UnKnown can't find nope.example.com: Non-existent domain
"""


def test_windows_nslookup() -> None:
    facts = parser.parse(WINDOWS_NSLOOKUP, "w").facts
    assert facts["origin.dns.status"] == "resolves"
    assert facts["origin.dns.private_address"] is False  # 192.168.1.1 is the resolver
    assert parser.parse(WINDOWS_NXDOMAIN, "w").facts == {"origin.dns.status": "nxdomain"}


def test_ns_query_settles_nothing() -> None:
    text = """; <<>> DiG 9.18 <<>> example.com NS
;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 1
;; QUESTION SECTION:
;example.com.			IN	NS

;; ANSWER SECTION:
example.com.		300	IN	NS	a.iana-servers.net.
"""
    assert parser.parse(text, "d").facts == {}


def test_several_digs_pick_the_origin(fixtures: Path) -> None:
    text = (fixtures / "dig-nope.txt").read_text() + (fixtures / "dig-origin.txt").read_text()
    ctx = Context(origin_domain="origin.example.com")
    assert parse_evidence(text, context=ctx).facts["origin.dns.status"] == "resolves"


def test_no_answer_is_an_error() -> None:
    with pytest.raises(EvidenceError, match="no DNS answer"):
        parser.parse("Server: x\n", "d")


@pytest.mark.parametrize(
    ("address", "private"),
    [
        ("10.0.0.1", True),
        ("172.16.5.4", True),
        ("192.168.0.1", True),
        ("127.0.0.1", True),
        ("169.254.169.254", True),
        ("100.64.1.1", True),
        ("fd00::1", True),
        ("52.4.10.20", False),
        ("2600:9000::1", False),
    ],
)
def test_unreachable_addresses(address: str, private: bool) -> None:
    assert parser.unreachable(address) is private
