"""What to probe, described the way a distribution's origin settings describe it.

One small frozen dataclass, so the CLI builds it from options and the lead builds it from a
distribution config (DomainName, OriginProtocolPolicy, HTTPPort, HTTPSPort, OriginSslProtocols,
ConnectionTimeout, OriginReadTimeout, OriginKeepaliveTimeout) without either knowing the other.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from cfdoctor import cloudfront
from cfdoctor.engine.errors import CfdoctorError
from cfdoctor.probes.policy import parse_address

Protocol = Literal["http", "https"]

_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")
_MAX_TIMEOUT = cloudfront.MAX_READ_TIMEOUT


class ProbeInputError(CfdoctorError):
    """A probe target that cannot be probed as given (a bad port, name, path or timeout)."""

    exit_code = 2


def check_name(name: str, what: str) -> str:
    """A DNS name in lower case without its final dot; ProbeInputError if it is not one."""
    text = name.strip().rstrip(".").lower()
    try:
        ascii_name = text.encode("idna").decode("ascii") if text else ""
    except UnicodeError:
        ascii_name = ""
    labels = ascii_name.split(".")
    if not ascii_name or len(ascii_name) > 253 or not all(_LABEL.match(x) for x in labels):
        raise ProbeInputError(f"{what} '{name}' is not a valid domain name")
    return ascii_name


@dataclass(frozen=True, slots=True)
class ProbeTarget:
    """An origin as CloudFront would contact it.

    `domain` is the origin domain name; an IP address is accepted for local tests (CloudFront
    itself only takes names), and then `sni` stands for the origin domain name. `sni` defaults
    to the origin domain name: pass the viewer's Host when the cache behavior forwards Host.
    `host_header` defaults to the origin domain name, which is what CloudFront sends unless it
    forwards the viewer's Host. Timeouts are CloudFront's (defaults as documented); the probe
    never waits longer than them.
    """

    domain: str
    protocol: Protocol = "https"
    https_port: int = 443
    http_port: int = 80
    sni: str | None = None
    host_header: str | None = None
    path: str = "/"
    connect_timeout: float = cloudfront.CONNECTION_TIMEOUT
    read_timeout: float = cloudfront.READ_TIMEOUT
    keepalive_timeout: float = cloudfront.KEEPALIVE_TIMEOUT
    dns_timeout: float = 5.0
    origin_ssl_protocols: tuple[str, ...] = field(default=cloudfront.DEFAULT_ORIGIN_SSL_PROTOCOLS)
    ca_bundle: str | None = None

    def __post_init__(self) -> None:
        if self.protocol not in ("http", "https"):
            raise ProbeInputError(f"protocol must be http or https, not '{self.protocol}'")
        for port_name in ("https_port", "http_port"):
            port = getattr(self, port_name)
            if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
                raise ProbeInputError(f"{port_name} must be a port number 1-65535, not {port!r}")
        for t_name in ("connect_timeout", "read_timeout", "keepalive_timeout", "dns_timeout"):
            value = getattr(self, t_name)
            if not isinstance(value, int | float) or not 0 < value <= _MAX_TIMEOUT:
                raise ProbeInputError(
                    f"{t_name} must be more than 0 and at most {_MAX_TIMEOUT:g} seconds"
                )
        if self.address is None:
            check_name(self.domain, "origin domain")
        for name_field in ("sni", "host_header"):
            value = getattr(self, name_field)
            if value is not None and parse_address(value) is None:
                check_name(value, name_field.replace("_", " "))
        if (
            not self.path.startswith("/")
            or any(c in self.path for c in "\r\n\t ")
            or (not self.path.isascii())
        ):
            raise ProbeInputError(
                f"path must start with / and contain no spaces or control characters: {self.path!r}"
            )
        unknown = [p for p in self.origin_ssl_protocols if p not in cloudfront.ORIGIN_SSL_PROTOCOLS]
        if unknown or not self.origin_ssl_protocols:
            raise ProbeInputError(
                "origin SSL protocols must be some of "
                + ", ".join(cloudfront.ORIGIN_SSL_PROTOCOLS)
                + (f" (not {', '.join(unknown)})" if unknown else "")
            )
        if self.ca_bundle is not None and not Path(self.ca_bundle).is_file():
            raise ProbeInputError(f"CA bundle '{self.ca_bundle}' is not a readable file")

    # -- what CloudFront would use --------------------------------------------------------
    @property
    def address(self) -> str | None:
        """The origin as an IP address when it was given as one (local tests), else None."""
        ip = parse_address(self.domain)
        return None if ip is None else str(ip)

    @property
    def port(self) -> int:
        """The port CloudFront connects to for this protocol."""
        return self.https_port if self.protocol == "https" else self.http_port

    @property
    def origin_name(self) -> str:
        """The origin domain name the certificate must cover (the SNI for an address origin)."""
        if self.address is None:
            return check_name(self.domain, "origin domain")
        return self.sni or self.address

    @property
    def server_name(self) -> str:
        """The name sent as SNI and checked against the certificate."""
        return self.sni or self.origin_name

    @property
    def host(self) -> str:
        """The Host header CloudFront sends."""
        return self.host_header or self.origin_name


def target_from_options(
    origin: str,
    *,
    port: int | None = None,
    protocol: str = "https",
    sni: str | None = None,
    host_header: str | None = None,
    path: str = "/",
    timeout: float | None = None,
    read_timeout: float | None = None,
    ca_bundle: str | Path | None = None,
) -> ProbeTarget:
    """A ProbeTarget from command-line options (`cfdoctor probe ORIGIN --port ... --sni ...`).

    `port` is the port of `protocol`. `timeout` stands for both of the origin's timeouts,
    connection and response (CloudFront's defaults: 10 s and 30 s), and so bounds every step;
    `read_timeout` sets the response timeout (OriginReadTimeout) alone.
    """
    if protocol not in ("http", "https"):
        raise ProbeInputError(f"protocol must be http or https, not '{protocol}'")
    proto: Protocol = "https" if protocol == "https" else "http"
    changes: dict[str, Any] = {}
    if port is not None:
        changes["https_port" if proto == "https" else "http_port"] = port
    if timeout is not None:
        changes.update(
            connect_timeout=timeout, read_timeout=max(timeout, 1.0), dns_timeout=min(timeout, 5.0)
        )
    if read_timeout is not None:
        changes["read_timeout"] = read_timeout
    target = ProbeTarget(
        domain=origin.strip(),
        protocol=proto,
        sni=sni,
        host_header=host_header,
        path=path,
        ca_bundle=None if ca_bundle is None else str(ca_bundle),
    )
    return replace(target, **changes) if changes else target


def target_from_origin_config(
    origin: Mapping[str, Any],
    *,
    viewer_protocol: str = "https",
    host_header: str | None = None,
    ca_bundle: str | None = None,
) -> ProbeTarget:
    """A ProbeTarget "as CloudFront would" from one `DistributionConfig.Origins.Items[]` entry
    of `aws cloudfront get-distribution-config` (the API's own field names).

    `viewer_protocol` decides the port for `match-viewer`; `host_header` is the viewer's Host
    when the cache behavior forwards it (it then also becomes the SNI, as CloudFront sends it).
    """
    domain = origin.get("DomainName")
    if not isinstance(domain, str) or not domain:
        raise ProbeInputError("the origin has no DomainName")
    custom = origin.get("CustomOriginConfig") or {}
    policy = custom.get("OriginProtocolPolicy", "https-only")
    if policy == "http-only":
        protocol: Protocol = "http"
    elif policy == "match-viewer":
        protocol = "http" if viewer_protocol == "http" else "https"
    else:
        protocol = "https"
    changes: dict[str, Any] = {}
    for key, name in (
        ("HTTPPort", "http_port"),
        ("HTTPSPort", "https_port"),
        ("OriginReadTimeout", "read_timeout"),
        ("OriginKeepaliveTimeout", "keepalive_timeout"),
    ):
        if isinstance(custom.get(key), int):
            changes[name] = custom[key]
    if isinstance(origin.get("ConnectionTimeout"), int):
        changes["connect_timeout"] = origin["ConnectionTimeout"]
    protocols = (custom.get("OriginSslProtocols") or {}).get("Items")
    if protocols:
        changes["origin_ssl_protocols"] = tuple(protocols)
    return ProbeTarget(
        domain=domain,
        protocol=protocol,
        sni=host_header,
        host_header=host_header,
        ca_bundle=ca_bundle,
        **changes,
    )
