"""The broken-origins lab: one local origin per fault, to try `cfdoctor probe` on.

Everything listens on 127.0.0.1 only, and a test CA written to a temporary directory stands in
for the public CAs (pass it as --ca-bundle). `start_lab()` starts it all in threads in a
fraction of a second; `Lab.stop()` (or leaving the `with` block) stops it and removes the files.
"""

from __future__ import annotations

import datetime
import shlex
import shutil
import ssl
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import TracebackType

from cfdoctor.i18n import N_
from cfdoctor.lab import pki
from cfdoctor.lab.dnsserver import DnsServer
from cfdoctor.lab.servers import (
    DroppingServer,
    HttpServer,
    RefusingServer,
    Server,
    TlsSettings,
)
from cfdoctor.probes.target import ProbeTarget

ZONE = "lab.test"
"""`.test` is reserved (RFC 2606): no lab name can ever leak to a real host."""

NO_SHARED_CIPHER = "ECDHE-ECDSA-CHACHA20-POLY1305"
"""A modern suite that is not in CloudFront's origin cipher list."""


@dataclass(frozen=True, slots=True)
class LabOrigin:
    """One broken origin: how to reach it, and what CloudFront would make of it."""

    fault: str
    title: str
    """English, marked for gettext (translate with cfdoctor.i18n.gettext)."""
    target: ProbeTarget
    viewer_status: int
    """What CloudFront would answer the viewer."""
    expected_cause: str | None
    """The knowledge base's cause for this fault (None for the healthy origin)."""
    nameserver: str | None = None
    """The lab's DNS server ("127.0.0.1:PORT") for origins given by name."""

    def command(self) -> str:
        """The `cfdoctor probe` command line that probes this origin."""
        t = self.target
        words = ["cfdoctor", "probe", t.domain]
        if t.port != (443 if t.protocol == "https" else 80):
            words += ["--port", str(t.port)]
        if t.protocol != "https":
            words += ["--protocol", t.protocol]
        if t.sni:
            words += ["--sni", t.sni]
        if t.ca_bundle:
            words += ["--ca-bundle", t.ca_bundle]
        if self.nameserver:
            words += ["--dns-server", self.nameserver]
        words += ["--timeout", f"{t.connect_timeout:g}"]
        return shlex.join(words)


@dataclass(slots=True)
class Lab:
    origins: list[LabOrigin]
    ca_bundle: Path
    directory: Path
    dns_server: DnsServer
    servers: list[Server] = field(default_factory=list)
    stopped: bool = False
    _done: threading.Event = field(default_factory=threading.Event)

    def __enter__(self) -> Lab:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __iter__(self) -> Iterator[LabOrigin]:
        return iter(self.origins)

    def origin(self, fault: str) -> LabOrigin:
        return next(o for o in self.origins if o.fault == fault)

    def instructions(self) -> str:
        """A printable list: each fault, what CloudFront answers, and the command to probe it."""
        lines = [f"CA bundle (stands in for the public CAs): {self.ca_bundle}", ""]
        for o in self.origins:
            expected = o.expected_cause or "no cause: the origin works"
            lines.append(f"{o.fault}: {o.title}")
            lines.append(f"    CloudFront would answer {o.viewer_status}; expected: {expected}")
            lines.append(f"    {o.command()}")
        return "\n".join(lines)

    def wait(self) -> None:
        """Block until `stop()` is called from elsewhere (Ctrl-C still interrupts it)."""
        while not self._done.wait(0.5):
            pass

    def stop(self) -> None:
        """Stop every server, close every socket, remove the certificates. Idempotent."""
        if self.stopped:
            return
        self.stopped = True
        self._done.set()
        for server in self.servers:
            server.stop()
        self.dns_server.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


@dataclass(frozen=True, slots=True)
class _Spec:
    fault: str
    title: str
    status: int
    cause: str | None


_SPECS: tuple[_Spec, ...] = (
    _Spec("healthy", N_("A working HTTPS origin"), 200, None),
    _Spec(
        "self-signed",
        N_("Self-signed certificate"),
        502,
        "origin-cert-untrusted-or-self-signed",
    ),
    _Spec("expired", N_("Expired certificate"), 502, "origin-cert-expired-or-not-yet-valid"),
    _Spec(
        "not-yet-valid",
        N_("Certificate not valid yet"),
        502,
        "origin-cert-expired-or-not-yet-valid",
    ),
    _Spec("wrong-name", N_("Certificate for another name"), 502, "origin-cert-name-mismatch"),
    _Spec(
        "wildcard-too-shallow",
        N_("Wildcard certificate that does not cover a name two labels deep"),
        502,
        "origin-cert-name-mismatch",
    ),
    _Spec(
        "missing-intermediate",
        N_("The intermediate certificate is not sent"),
        502,
        "origin-cert-chain-incomplete-or-misordered",
    ),
    _Spec(
        "misordered-chain",
        N_("Intermediate certificates sent in the wrong order"),
        502,
        "origin-cert-chain-incomplete-or-misordered",
    ),
    _Spec(
        "tls13-only",
        N_("Accepts TLS 1.3 only"),
        502,
        "origin-tls-protocol-or-cipher-mismatch",
    ),
    _Spec(
        "no-shared-cipher",
        N_("TLS 1.2 with no cipher from CloudFront's list"),
        502,
        "origin-tls-protocol-or-cipher-mismatch",
    ),
    _Spec(
        "plain-http-on-https-port",
        N_("The HTTPS port speaks plain HTTP"),
        502,
        "origin-protocol-port-mismatch",
    ),
    _Spec("port-refused", N_("Nothing listens on the port"), 502, "origin-port-blocked"),
    _Spec(
        "port-drops",
        N_("The port silently drops connections (firewall)"),
        504,
        "origin-firewall-drops-cloudfront",
    ),
    _Spec(
        "slow-first-byte",
        N_("The first byte comes after the origin read timeout"),
        504,
        "origin-slow-exceeds-read-timeout",
    ),
    _Spec("dns-nxdomain", N_("The origin name does not exist"), 502, "origin-dns-failure"),
    _Spec("dns-servfail", N_("The origin's DNS servers fail"), 502, "origin-dns-failure"),
    _Spec(
        "dns-dangling-cname",
        N_("A CNAME to a name that does not exist"),
        502,
        "origin-dns-failure",
    ),
    _Spec(
        "private-address",
        N_("The origin name resolves to an address the internet cannot reach"),
        504,
        "origin-not-internet-reachable",
    ),
)


FAULTS: tuple[str, ...] = tuple(s.fault for s in _SPECS)
"""Every fault the lab offers, healthy first."""


def _host(fault: str) -> str:
    return f"{fault}.{ZONE}"


def start_lab(*, timeout: float = 2.0, slow_seconds: float | None = None) -> Lab:
    """Start every broken origin on 127.0.0.1 and return them with the commands to probe them.

    `timeout` is the connection and read timeout the lab's commands use (short, so the
    dropping port and the slow origin show quickly); the slow origin answers after
    `slow_seconds` (default: `timeout` + 1.5 s).
    """
    directory = Path(tempfile.mkdtemp(prefix="cfdoctor-lab-"))
    servers: list[Server] = []
    dns_server: DnsServer | None = None
    try:
        ca = pki.LabCa.create()
        ca_bundle = directory / "ca.pem"
        ca_bundle.write_bytes(ca.root.pem())
        now = datetime.datetime.now(datetime.UTC)
        delay = slow_seconds if slow_seconds is not None else timeout + 1.5

        def tls(
            stem: str,
            leaf: pki.Issued,
            chain: list[pki.Issued],
            minimum: ssl.TLSVersion = ssl.TLSVersion.TLSv1_2,
            maximum: ssl.TLSVersion = ssl.TLSVersion.MAXIMUM_SUPPORTED,
            ciphers: str | None = None,
        ) -> TlsSettings:
            cert_file, key_file = pki.write_server_files(directory, stem, leaf, chain)
            return TlsSettings(cert_file, key_file, minimum, maximum, ciphers)

        def leaf(
            name: str,
            not_before: datetime.datetime | None = None,
            not_after: datetime.datetime | None = None,
        ) -> pki.Issued:
            return pki.issue(
                name, issuer=ca.intermediate, not_before=not_before, not_after=not_after
            )

        inter = [ca.intermediate]
        settings: dict[str, TlsSettings] = {
            "healthy": tls("healthy", leaf(_host("healthy")), inter),
            "self-signed": tls("self-signed", pki.issue(_host("self-signed")), []),
            "expired": tls(
                "expired",
                leaf(_host("expired"), not_before=now - 400 * pki.DAY, not_after=now - pki.DAY),
                inter,
            ),
            "not-yet-valid": tls(
                "not-yet-valid",
                leaf(_host("not-yet-valid"), not_before=now + 2 * pki.DAY),
                inter,
            ),
            "wrong-name": tls("wrong-name", leaf(f"www.{ZONE}"), inter),
            "wildcard-too-shallow": tls("wildcard", leaf(f"*.{ZONE}"), inter),
            "missing-intermediate": tls(
                "missing-intermediate", leaf(_host("missing-intermediate")), []
            ),
            "misordered-chain": tls(
                "misordered-chain",
                pki.issue(_host("misordered-chain"), issuer=ca.sub_intermediate),
                [ca.intermediate, ca.sub_intermediate],  # should be sub first, then intermediate
            ),
            "tls13-only": tls(
                "tls13-only", leaf(_host("tls13-only")), inter, minimum=ssl.TLSVersion.TLSv1_3
            ),
            "no-shared-cipher": tls(
                "no-shared-cipher",
                leaf(_host("no-shared-cipher")),
                inter,
                maximum=ssl.TLSVersion.TLSv1_2,
                ciphers=NO_SHARED_CIPHER,
            ),
            "slow-first-byte": tls("slow", leaf(_host("slow-first-byte")), inter),
            "private-address": tls("private", leaf(_host("private-address")), inter),
        }
        by_fault: dict[str, Server] = {}
        for fault, setting in settings.items():
            by_fault[fault] = HttpServer(setting, delay if fault == "slow-first-byte" else 0.0)
        by_fault["plain-http-on-https-port"] = HttpServer(None)
        by_fault["port-refused"] = RefusingServer()
        by_fault["port-drops"] = DroppingServer()
        servers = list(by_fault.values())
        for server in servers:
            server.start()

        dns_server = DnsServer(
            ZONE,
            {
                _host("dns-dangling-cname"): {"CNAME": (f"gone.{ZONE}",)},
                _host("private-address"): {"CNAME": (f"internal-alb.{ZONE}",)},
                f"internal-alb.{ZONE}": {"A": ("127.0.0.1",)},
            },
            {_host("dns-servfail"): "servfail"},
        )
        dns_server.start()

        origins: list[LabOrigin] = []
        for spec in _SPECS:
            listener = by_fault.get(spec.fault)
            by_name = spec.fault.startswith("dns-") or spec.fault == "private-address"
            port = listener.port if listener is not None else 443
            target = ProbeTarget(
                domain=_host(spec.fault) if by_name else "127.0.0.1",
                https_port=port,
                sni=None if by_name else _host(spec.fault),
                connect_timeout=timeout,
                read_timeout=timeout,
                dns_timeout=min(timeout, 5.0),
                ca_bundle=None if spec.fault == "plain-http-on-https-port" else str(ca_bundle),
            )
            if spec.fault == "wildcard-too-shallow":
                target = replace(target, sni=f"api.shop.{ZONE}")
            origins.append(
                LabOrigin(
                    spec.fault,
                    spec.title,
                    target,
                    spec.status,
                    spec.cause,
                    nameserver=dns_server.address if by_name else None,
                )
            )
        return Lab(origins, ca_bundle, directory, dns_server, servers)
    except BaseException:
        for server in servers:
            server.stop()
        if dns_server is not None:
            dns_server.stop()
        shutil.rmtree(directory, ignore_errors=True)
        raise
