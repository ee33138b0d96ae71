"""Resolve the origin domain name the way CloudFront must before it can connect.

dnspython rather than the system resolver: the answer must say NXDOMAIN, SERVFAIL or "no
address" (getaddrinfo folds them together), show the CNAME chain, and take an injectable
resolver so tests run against a DNS server on loopback.
"""

from __future__ import annotations

import concurrent.futures
from dataclasses import dataclass
from typing import Literal

import dns.exception
import dns.name
import dns.rdatatype
import dns.resolver

from cfdoctor.probes.policy import IPAddress, non_public_reason, parse_address
from cfdoctor.probes.result import Findings
from cfdoctor.probes.target import ProbeInputError

DnsStatus = Literal["resolves", "nxdomain", "servfail", "no-address"]


@dataclass(frozen=True, slots=True)
class DnsAnswer:
    status: DnsStatus
    addresses: tuple[IPAddress, ...]
    cnames: tuple[str, ...]
    """The CNAME chain from the origin name, in order (empty when the name is an A/AAAA owner)."""
    detail: str
    server: str


def make_resolver(nameserver: str | None = None) -> dns.resolver.Resolver:
    """The system's resolver, or one that asks only `nameserver` ("ADDR" or "ADDR:PORT")."""
    if nameserver is None:
        try:
            return dns.resolver.Resolver()
        except dns.resolver.NoResolverConfiguration as exc:
            raise ProbeInputError(f"no DNS resolver is configured on this host: {exc}") from None
    text = nameserver.strip()
    host, port = text, 53
    if text.startswith("["):  # [::1]:5353
        host, bracket, rest = text[1:].partition("]")
        if not bracket or (rest and not (rest.startswith(":") and rest[1:].isdigit())):
            raise ProbeInputError(
                f"DNS server '{nameserver}': write [ADDRESS] or [ADDRESS]:PORT, PORT a number"
            )
        port = int(rest[1:]) if rest else 53
    elif text.count(":") == 1:
        host, _, tail = text.partition(":")
        if not tail.isdigit():
            raise ProbeInputError(f"DNS server '{nameserver}': the port must be a number")
        port = int(tail)
    if parse_address(host) is None or not 1 <= port <= 65535:
        raise ProbeInputError(f"DNS server '{nameserver}' must be an IP address, optionally :PORT")
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = [host]
    resolver.port = port
    return resolver


def _server(resolver: dns.resolver.Resolver) -> str:
    servers = [str(s) for s in resolver.nameservers]
    return ", ".join(servers) + ("" if resolver.port == 53 else f" port {resolver.port}")


@dataclass(frozen=True, slots=True)
class _One:
    status: DnsStatus
    addresses: tuple[IPAddress, ...] = ()
    cnames: tuple[str, ...] = ()
    detail: str = ""


def _query(
    resolver: dns.resolver.Resolver, qname: dns.name.Name, rdtype: str, timeout: float
) -> _One:
    try:
        answer = resolver.resolve(
            qname, rdtype, search=False, lifetime=timeout, raise_on_no_answer=False
        )
    except dns.resolver.NXDOMAIN as exc:
        try:
            canonical = exc.canonical_name
        except TypeError:
            canonical = qname
        if canonical != qname:  # a CNAME that leads nowhere
            return _One("no-address", cnames=(canonical.to_text(True),), detail="CNAME to nowhere")
        return _One("nxdomain", detail="NXDOMAIN")
    except dns.resolver.NoNameservers:
        return _One("servfail", detail="SERVFAIL (or REFUSED) from every name server")
    except dns.exception.Timeout:
        return _One("servfail", detail=f"no answer within {timeout:g} s")
    except dns.exception.DNSException as exc:
        return _One("servfail", detail=f"{type(exc).__name__}: {exc}")
    cnames: list[str] = []
    for rrset in answer.response.answer:
        if rrset.rdtype == dns.rdatatype.CNAME:
            cnames.extend(r.target.to_text(True) for r in rrset)
    addresses: list[IPAddress] = []
    if answer.rrset is not None:
        for rdata in answer.rrset:
            ip = parse_address(rdata.to_text())
            if ip is not None:
                addresses.append(ip)
    if addresses:
        return _One("resolves", tuple(addresses), tuple(cnames))
    return _One("no-address", cnames=tuple(cnames), detail=f"no {rdtype} record")


def resolve(name: str, resolver: dns.resolver.Resolver, timeout: float) -> DnsAnswer:
    """A and AAAA at once, each bounded by `timeout`; one status for both, as CloudFront sees it."""
    qname = dns.name.from_text(name)
    with concurrent.futures.ThreadPoolExecutor(2, thread_name_prefix="cfdoctor-dns") as pool:
        a, aaaa = pool.map(lambda t: _query(resolver, qname, t, timeout), ("A", "AAAA"))
    cnames = a.cnames or aaaa.cnames
    addresses = a.addresses + aaaa.addresses
    status: DnsStatus
    if addresses:
        status, detail = "resolves", ""
    elif "servfail" in (a.status, aaaa.status):
        status = "servfail"
        detail = a.detail if a.status == "servfail" else aaaa.detail
    elif a.status == "nxdomain" and aaaa.status == "nxdomain":
        status, detail = "nxdomain", a.detail
    else:
        status, detail = "no-address", a.detail or aaaa.detail
    return DnsAnswer(status, addresses, cnames, detail, _server(resolver))


def dns_findings(name: str, answer: DnsAnswer) -> Findings:
    """origin.dns.status and, when it resolves, origin.dns.private_address."""
    out = Findings("probe:dns")
    chain = " → ".join([name, *(f"CNAME {c}" for c in answer.cnames)])
    if answer.status == "resolves":
        shown = ", ".join(str(a) for a in answer.addresses)
        out.add("origin.dns.status", "resolves", f"{chain} → {shown} (asked {answer.server})")
        private = [(a, why) for a in answer.addresses if (why := non_public_reason(a))]
        if private:
            listed = ", ".join(f"{a} ({why})" for a, why in private)
            out.add(
                "origin.dns.private_address", True, f"not reachable from the internet: {listed}"
            )
        else:
            out.add("origin.dns.private_address", False, f"all public: {shown}")
    else:
        out.add(
            "origin.dns.status", answer.status, f"{chain}: {answer.detail} (asked {answer.server})"
        )
    out.extra["addresses"] = [str(a) for a in answer.addresses]
    out.extra["cnames"] = list(answer.cnames)
    return out
