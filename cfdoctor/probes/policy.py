"""Which addresses a probe may contact.

A person in a terminal may probe whatever they name, their own test server on 127.0.0.1
included. A server (HTTP API, MCP) must not: a chatbot user could otherwise make it scan the
operator's network. So the address policy is checked on the name as given (numeric forms such
as 2130706433 or 0177.0.0.1 are addresses in disguise), after name resolution on every address
the name resolved to, and again on every socket, on the address it actually connected to.

An IPv6 address that carries an IPv4 address (IPv4-mapped, NAT64, 6to4) is judged by the IPv4
address it carries, since that is where the packets end up.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass

from cfdoctor.engine.errors import CfdoctorError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_METADATA = (
    ipaddress.ip_network("169.254.169.254/32"),  # AWS, GCP, Azure instance metadata
    ipaddress.ip_network("fd00:ec2::254/128"),  # AWS instance metadata over IPv6
)
_NUMBER = r"(?:0x[0-9a-f]*|[0-9]+)"
_NUMERIC_HOST = re.compile(rf"^{_NUMBER}(?:\.{_NUMBER}){{0,3}}\.?$", re.IGNORECASE)
"""What inet_aton (and so many HTTP clients and resolvers) takes as an IPv4 address: 1 to 4
parts, each decimal, octal (leading 0) or hex (0x): 2130706433, 0177.0.0.1, 0x7f.1, 127.1."""


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
        carried = embedded_ipv4(address)
        if carried is not None:
            return non_public_reason(carried)
    checks: tuple[tuple[bool, str], ...] = (
        (address.is_unspecified, "unspecified"),
        (address.is_loopback, "loopback"),
        (address.is_link_local, "link-local"),
        (isinstance(address, ipaddress.IPv6Address) and address.is_site_local, "site-local"),
        (address.is_multicast, "multicast"),
        (isinstance(address, ipaddress.IPv4Address) and address in _CGNAT, "shared (CGNAT)"),
        (address.is_reserved, "reserved"),
        (address.is_private, "private"),
        (not address.is_global, "not globally routable"),
    )
    return next((why for hit, why in checks if hit), None)


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries to (IPv4-mapped, NAT64 64:ff9b::/96, 6to4)."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address.sixtofour


def numeric_host(name: str) -> bool:
    """Whether `name` is an IPv4 address in a numeric form other than dotted decimal."""
    return bool(_NUMERIC_HOST.match(name.strip())) and parse_address(name) is None


@dataclass(frozen=True, slots=True)
class AddressPolicy:
    """Which resolved addresses a probe may connect to.

    `public_only` refuses every non-public address (private, loopback, link-local, site-local,
    multicast, reserved, CGNAT, cloud metadata, or an IPv6 address carrying one of those),
    every IPv4-mapped IPv6 address, and names that are IPv4 addresses in decimal, octal or hex
    form, except addresses inside `allowed`, the networks an operator opened on purpose.
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
        if any(address.version == net.version and address in net for net in _METADATA):
            return f"refusing to contact {address}: it is a cloud metadata address"
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            return (
                f"refusing to contact {address}: an IPv4-mapped IPv6 address; give the IPv4 "
                "address itself"
            )
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

    def check_name(self, name: str) -> None:
        """Refuse a host name that is an IPv4 address in disguise (2130706433, 0177.0.0.1)."""
        if self.refuse_non_public and numeric_host(name):
            raise AddressRefusedError(
                f"refusing to contact '{name}': a numeric form of an IPv4 address; this probe "
                "may only contact public addresses, named by a domain name"
            )
