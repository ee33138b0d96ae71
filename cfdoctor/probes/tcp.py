"""Open a TCP connection to the origin port: refused and timed out are different faults.

A refusal (RST, or an ICMP reject) comes back at once and CloudFront answers 502; a silent
drop leaves the SYN unanswered until the connection timeout, and CloudFront answers 504 after
its attempts. The probe makes one attempt where CloudFront makes up to three.
"""

from __future__ import annotations

import errno
import socket
import time
from dataclasses import dataclass
from typing import Literal

from cfdoctor.probes.policy import AddressPolicy, parse_address
from cfdoctor.probes.result import Findings

TcpStatus = Literal["connects", "refused", "timeout", "error"]

_REFUSED = frozenset({errno.ECONNREFUSED, errno.ECONNRESET, errno.EHOSTUNREACH})


@dataclass(frozen=True, slots=True)
class TcpOutcome:
    status: TcpStatus
    seconds: float
    detail: str


def open_connection(
    address: str, port: int, timeout: float, policy: AddressPolicy | None = None
) -> socket.socket:
    """A connected socket to `address` (an IP address, never a name), or OSError.

    Every probe connects through here, so `policy` is enforced where it matters: before the
    SYN on the address given, and after it on the peer the socket is actually connected to.
    AddressRefusedError (not an OSError) when the policy refuses either.
    """
    ip = parse_address(address)
    if ip is None:
        raise ValueError(f"open_connection takes an IP address, not the name {address!r}")
    if policy is not None:
        policy.check([ip])
    sock = socket.socket(socket.AF_INET6 if ip.version == 6 else socket.AF_INET)
    try:
        sock.settimeout(timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.connect((address, port))
        if policy is not None:
            peer = parse_address(str(sock.getpeername()[0]))
            policy.check([peer if peer is not None else ip])
    except BaseException:
        sock.close()
        raise
    return sock


def connect(
    address: str, port: int, timeout: float, policy: AddressPolicy | None = None
) -> TcpOutcome:
    """One connection attempt, bounded by `timeout`, classified as CloudFront would suffer it."""
    start = time.monotonic()
    try:
        open_connection(address, port, timeout, policy).close()
    except TimeoutError:
        elapsed = time.monotonic() - start
        return TcpOutcome("timeout", elapsed, f"no answer to the SYN within {timeout:g} s")
    except OSError as exc:
        elapsed = time.monotonic() - start
        if exc.errno in _REFUSED:
            return TcpOutcome("refused", elapsed, f"{exc.strerror or exc} after {elapsed:.3f} s")
        return TcpOutcome("error", elapsed, f"cannot try from this host: {exc.strerror or exc}")
    elapsed = time.monotonic() - start
    return TcpOutcome("connects", elapsed, f"connected in {elapsed * 1000:.1f} ms")


def tcp_findings(address: str, port: int, outcome: TcpOutcome, others: int = 0) -> Findings:
    """origin.tcp.connect, unless this host could not even try (then only an error)."""
    out = Findings("probe:tcp")
    where = f"{address} port {port}" + (f" (1 of {others + 1} addresses)" if others else "")
    if outcome.status == "error":
        out.errors.append(f"TCP to {where}: {outcome.detail}")
    else:
        out.add("origin.tcp.connect", outcome.status, f"{where}: {outcome.detail}")
    out.extra["tcp_seconds"] = round(outcome.seconds, 4)
    return out
