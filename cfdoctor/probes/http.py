"""One HTTP request, as CloudFront would send it, to time the origin's first byte.

Written on a raw socket rather than http.client: the probe must know the moment the first
byte arrives (the origin read timeout is about that), must tell "this port speaks TLS" or "this
HTTPS port speaks plain HTTP" from a garbled answer, and must never follow a redirect or read
a body. It reads the status line and headers only, and never waits longer than the target's
read timeout for the first byte.
"""

from __future__ import annotations

import re
import socket
import ssl
import time
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from cfdoctor import cloudfront
from cfdoctor.probes.policy import AddressPolicy
from cfdoctor.probes.result import Findings
from cfdoctor.probes.target import ProbeTarget
from cfdoctor.probes.tcp import open_connection
from cfdoctor.probes.tls import TlsContexts, sniff_tls

HttpOutcomeKind = Literal[
    "answered", "slow", "head-too-large", "not-http", "closed", "no-connection", "tls-failed"
]

_MAX_HEAD = 64 * 1024
"""The most of a response head read. A head not ended by then is "too large": CloudFront fails
such a response (OriginHeaderTooBigError), so a probe must not call it an answer."""


@dataclass(frozen=True, slots=True)
class HttpOutcome:
    kind: HttpOutcomeKind
    detail: str
    seconds: float
    speaks: Literal["http", "https"] | None = None
    """What the port turned out to speak, when that is news (plain HTTP on the HTTPS port, TLS
    on the HTTP port); None when it spoke what CloudFront expects or nothing is known."""
    status: int | None = None
    reason: str = ""
    server: str | None = None
    ttfb: float | None = None
    keep_alive: bool | None = None
    headers: dict[str, str] = field(default_factory=dict)


def request_bytes(target: ProbeTarget) -> bytes:
    """The request head CloudFront would send by default (its own User-Agent, the Host)."""
    return (
        f"GET {target.path} HTTP/1.1\r\n"
        f"Host: {target.host}\r\n"
        f"User-Agent: {cloudfront.USER_AGENT}\r\n"
        "Accept: */*\r\n"
        "Connection: keep-alive\r\n"
        "\r\n"
    ).encode("ascii")


def _read_head(
    sock: socket.socket, first_byte_timeout: float, rest_timeout: float, sent_at: float
) -> tuple[bytes, float | None]:
    """Bytes up to the end of the headers (bounded), and the time to the first byte.

    Stops at the deadline or at _MAX_HEAD: the caller tells an ended head from a cut one."""
    sock.settimeout(first_byte_timeout)
    data = sock.recv(4096)
    ttfb = time.monotonic() - sent_at if data else None
    deadline = time.monotonic() + rest_timeout
    while data and b"\r\n\r\n" not in data and len(data) < _MAX_HEAD:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        sock.settimeout(left)
        try:
            chunk = sock.recv(4096)
        except TimeoutError:
            break
        if not chunk:
            break
        data += chunk
    return data, ttfb


def _parse(data: bytes) -> tuple[int, str, str, dict[str, str]] | None:
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    lines = head.split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
        return None
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if sep:
            key = name.strip().lower()
            headers[key] = f"{headers[key]}, {value.strip()}" if key in headers else value.strip()
    return int(parts[1]), parts[0], parts[2] if len(parts) > 2 else "", headers


def _keep_alive(version: str, headers: dict[str, str]) -> bool:
    tokens = {t.strip().lower() for t in headers.get("connection", "").split(",")}
    if "close" in tokens:
        return False
    return version != "HTTP/1.0" or "keep-alive" in tokens


def exchange(
    address: str,
    port: int,
    target: ProbeTarget,
    context: ssl.SSLContext | None,
    policy: AddressPolicy | None = None,
) -> HttpOutcome:
    """Send the request over TLS (`context`) or plain TCP and read the answer's head."""
    start = time.monotonic()

    def done(kind: HttpOutcomeKind, detail: str, **kw: Any) -> HttpOutcome:
        return HttpOutcome(kind, detail, time.monotonic() - start, **kw)

    try:
        sock = open_connection(address, port, target.connect_timeout, policy)
    except OSError as exc:
        return done("no-connection", f"TCP: {exc.strerror or exc}")
    try:
        if context is not None:
            try:
                sock = context.wrap_socket(sock, server_hostname=target.server_name)
            except (ssl.SSLError, OSError) as exc:
                return done("tls-failed", f"TLS: {getattr(exc, 'reason', None) or exc}")
        sent_at = time.monotonic()
        sock.sendall(request_bytes(target))
        try:
            data, ttfb = _read_head(sock, target.read_timeout, target.connect_timeout, sent_at)
        except TimeoutError:
            return done(
                "slow", f"no first byte within the read timeout of {target.read_timeout:g} s"
            )
        except (ConnectionResetError, ssl.SSLError) as exc:
            return done("closed", f"the origin broke the connection: {exc}")
        if not data:
            return done("closed", "the origin closed the connection without answering")
        ended = b"\r\n\r\n" in data[:_MAX_HEAD]
        if not ended and len(data) >= _MAX_HEAD:
            return done(
                "head-too-large",
                f"the response head did not end within {_MAX_HEAD // 1024} KiB",
            )
        if not ended and (data.startswith(b"HTTP/") or b"HTTP/".startswith(data)):
            return done(
                "slow",
                f"the response head was not complete {target.connect_timeout:g} s after its "
                f"first byte ({len(data)} bytes): the origin trickles or stalls",
            )
        parsed = _parse(data)
        if parsed is None:
            tls_record = data[:1] in (b"\x15", b"\x16") and data[1:2] == b"\x03"
            what = "a TLS record" if tls_record else repr(data[:16])
            return done("not-http", f"the answer is not HTTP: {what}")
        status, version, reason, headers = parsed
        return done(
            "answered",
            f"{version} {status} {reason}".strip(),
            status=status,
            reason=reason,
            server=headers.get("server"),
            ttfb=ttfb,
            keep_alive=_keep_alive(version, headers),
            headers=headers,
        )
    except OSError as exc:
        return done("closed", f"{type(exc).__name__}: {exc.strerror or exc}")
    finally:
        sock.close()


def probe_http(
    address: str, target: ProbeTarget, contexts: TlsContexts, policy: AddressPolicy | None = None
) -> HttpOutcome:
    """The request CloudFront would send on the port it would use, plus the cross-check a
    mismatched port needs: plain HTTP on the HTTPS port, or TLS on the HTTP port."""
    port = target.port
    if target.protocol == "https":
        first = exchange(address, port, target, contexts.permissive, policy)
        if first.kind != "tls-failed":
            return first
        plain = exchange(address, port, target, None, policy)
        if plain.kind == "answered":
            return replace(plain, speaks="http")
        return first
    first = exchange(address, port, target, None, policy)
    if first.kind not in ("not-http", "closed"):
        return first
    tls = sniff_tls(address, port, target.server_name, target.connect_timeout, contexts, policy)
    if tls.outcome == "completed":
        return replace(first, speaks="https")
    return first


def http_findings(target: ProbeTarget, outcome: HttpOutcome) -> Findings:
    """origin.http.* and, when the port spoke the other protocol, origin.listener.*."""
    out = Findings("probe:http")
    port = target.port
    if outcome.speaks == "http":
        out.add(
            "origin.listener.https_port_protocol",
            "http",
            f"port {port} failed the TLS handshake but answered plain HTTP: {outcome.detail}",
        )
    elif outcome.speaks == "https":
        out.add(
            "origin.listener.http_port_protocol",
            "https",
            f"port {port} did not answer HTTP ({outcome.detail}) but completed a TLS handshake",
        )
    elif outcome.kind == "answered" and target.protocol == "http":
        out.add("origin.listener.http_port_protocol", "http", f"port {port}: {outcome.detail}")
    request = f"GET {target.path} with Host {target.host}"
    if outcome.speaks is not None:
        return out  # an answer in the wrong protocol is not what CloudFront would get
    if outcome.kind == "answered":
        assert outcome.status is not None and outcome.ttfb is not None
        server = f", Server: {outcome.server}" if outcome.server else ""
        out.add("origin.http.status", outcome.status, f"{request}: {outcome.detail}{server}")
        out.add("origin.http.head_too_large", False, f"{request}: the head ended within bounds")
        exceeds = outcome.ttfb > target.read_timeout
        out.add(
            "origin.http.ttfb_exceeds_read_timeout",
            exceeds,
            f"first byte after {outcome.ttfb * 1000:.0f} ms; "
            f"read timeout {target.read_timeout:g} s",
        )
        said = [
            f"{h.title()}: {outcome.headers[h]}"
            for h in ("connection", "keep-alive")
            if h in outcome.headers
        ]
        said_text = ", ".join(said) or "no Connection header"
        idle = re.search(r"timeout\s*=\s*(\d+)", outcome.headers.get("keep-alive", ""))
        if outcome.keep_alive and idle and int(idle.group(1)) < target.keepalive_timeout:
            said_text += (
                f" (the origin drops idle connections after {idle.group(1)} s, sooner than "
                f"CloudFront's keep-alive timeout of {target.keepalive_timeout:g} s: a reused "
                "connection may be closed under CloudFront, an intermittent 502)"
            )
        out.add(
            "origin.http.keep_alive", bool(outcome.keep_alive), f"{outcome.detail}; {said_text}"
        )
        out.extra["ttfb_ms"] = round(outcome.ttfb * 1000, 1)
        out.extra["server"] = outcome.server
    elif outcome.kind == "slow":
        out.add("origin.http.ttfb_exceeds_read_timeout", True, f"{request}: {outcome.detail}")
    elif outcome.kind == "head-too-large":
        out.add("origin.http.head_too_large", True, f"{request}: {outcome.detail}")
    else:
        out.errors.append(f"HTTP ({request}): {outcome.detail}")
    return out
