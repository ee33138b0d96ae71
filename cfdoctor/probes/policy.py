"""Which addresses a probe may contact.

A person in a terminal may probe whatever they name, their own test server on 127.0.0.1
included. A server (HTTP API, MCP) must not: a chatbot user could otherwise make it scan the
operator's network. So the address policy is checked after name resolution, on every address
the name resolved to, and a refused address is never contacted.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

from cfdoctor.engine.errors import CfdoctorError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class AddressRefusedError(CfdoctorError):
    """The address policy forbids contacting an address the origin name resolved to."""

    exit_code = 5


def parse_address(text: str) -> IPAddress | None:
    """`text` as an IP address (brackets and an IPv6 zone are tolerated), or None for a name."""
    raw = text.strip().strip("[]").split("%", 1)[0]
    try:
        return ipaddress.ip_address(raw)
    except ValueError:
        return None


def non_public_reason(address: IPAddress) -> str | None:
    """Why CloudFront could not reach `address` over the internet, or None for a public address.

    CloudFront's edge locations reach standard custom origins over the public internet only, so
    this is also what the DNS probe reports as a private address.
    """
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return non_public_reason(address.ipv4_mapped)
        if address in _NAT64:
            return non_public_reason(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    checks: tuple[tuple[bool, str], ...] = (
        (address.is_unspecified, "unspecified"),
        (address.is_loopback, "loopback"),
        (address.is_link_local, "link-local"),
        (address.is_multicast, "multicast"),
        (isinstance(address, ipaddress.IPv4Address) and address in _CGNAT, "shared (CGNAT)"),
        (address.is_reserved, "reserved"),
        (address.is_private, "private"),
        (not address.is_global, "not globally routable"),
    )
    return next((why for hit, why in checks if hit), None)


@dataclass(frozen=True, slots=True)
class AddressPolicy:
    """Which resolved addresses a probe may connect to.

    `public_only` refuses every non-public address (private, loopback, link-local, multicast,
    reserved, CGNAT) except those inside `allowed`, the networks an operator opened on purpose.
    """

    refuse_non_public: bool = False
    allowed: tuple[IPNetwork, ...] = ()

    @classmethod
    def allow_all(cls) -> AddressPolicy:
        """For a person probing what they named themselves (library and CLI default)."""
        return cls()

    @classmethod
    def public_only(cls, allow: Iterable[str] = ()) -> AddressPolicy:
        """For servers: only public addresses, plus the networks in `allow` (e.g. "10.1.0.0/16")."""
        return cls(True, tuple(ipaddress.ip_network(n, strict=False) for n in allow))

    def why_refused(self, address: IPAddress) -> str | None:
        """The reason this policy refuses `address`, or None when it may be contacted."""
        if not self.refuse_non_public:
            return None
        if any(address.version == net.version and address in net for net in self.allowed):
            return None
        reason = non_public_reason(address)
        if reason is None:
            return None
        return (
            f"refusing to contact {address}: it is a {reason} address, and this probe may only "
            "contact public addresses"
        )

    def check(self, addresses: Iterable[IPAddress]) -> None:
        """Raise AddressRefusedError naming the first refused address: all pass or none is used."""
        for address in addresses:
            why = self.why_refused(address)
            if why is not None:
                raise AddressRefusedError(why)
