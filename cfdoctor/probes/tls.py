"""TLS handshakes with the origin, each asking one question CloudFront's handshake depends on.

One permissive handshake without verification gets the chain exactly as served; one verifying
handshake gets OpenSSL's verify code for the name CloudFront sends; one handshake per protocol
version says which versions the origin accepts; one offering only CloudFront's origin cipher
list says whether any of them is accepted. They are independent, so they run concurrently.

The served chain: Python 3.13 has `SSLSocket.get_unverified_chain()`. On 3.11 and 3.12 the
same CPython code exists as `SSLSocket._sslobj.get_unverified_chain()` (since 3.10; 3.13 only
made it public), which reads the chain from the same OpenSSL handshake as everything else.
That beats pyOpenSSL (a second TLS stack whose authors advise against new uses) and a second
`getpeercert(binary_form=True)` handshake (leaf only). When neither method exists the probe
falls back to the leaf and leaves the chain facts unknown rather than guessing.

The local OpenSSL 3.0 has no SSLv3, so SSLv3 is never tested; TLS 1.0 and 1.1 need security
level 0, which the probe sets. Python cannot restrict the client's ECDHE groups or signature
algorithms, so the cipher handshake offers OpenSSL's default groups (CloudFront's prime256v1,
secp384r1 and X25519 among them), and DES-CBC3-SHA and RC4-MD5 from CloudFront's list are not
offered because this OpenSSL does not build them.
"""

from __future__ import annotations

import datetime
import ssl
import time
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from cryptography import x509

from cfdoctor import cloudfront
from cfdoctor.probes import certs
from cfdoctor.probes.policy import AddressPolicy, parse_address
from cfdoctor.probes.result import Findings
from cfdoctor.probes.target import ProbeTarget
from cfdoctor.probes.tcp import open_connection

Outcome = Literal["completed", "alert", "not-tls", "no-connection", "timeout", "error"]

VERSIONS: dict[str, ssl.TLSVersion] = {
    "TLSv1": ssl.TLSVersion.TLSv1,
    "TLSv1.1": ssl.TLSVersion.TLSv1_1,
    "TLSv1.2": ssl.TLSVersion.TLSv1_2,
    "TLSv1.3": ssl.TLSVersion.TLSv1_3,
}
"""Versions the probe can test with the local OpenSSL, in CloudFront's spelling."""

_LOCAL = {
    "TLSv1": ssl.HAS_TLSv1,
    "TLSv1.1": ssl.HAS_TLSv1_1,
    "TLSv1.2": ssl.HAS_TLSv1_2,
    "TLSv1.3": ssl.HAS_TLSv1_3,
}
_NOT_TLS = frozenset(
    {"WRONG_VERSION_NUMBER", "PACKET_LENGTH_TOO_LONG", "HTTP_REQUEST", "UNKNOWN_PROTOCOL"}
)
_ALL = "ALL:@SECLEVEL=0"


@dataclass(frozen=True, slots=True)
class Handshake:
    outcome: Outcome
    detail: str
    seconds: float
    version: str | None = None
    cipher: str | None = None
    chain: tuple[bytes, ...] = ()
    verify_code: int | None = None


@dataclass(frozen=True, slots=True)
class TlsContexts:
    """Every client context one probe needs, built up front in the calling thread (building a
    context for TLS 1.0 or 1.1 warns, and warning filters are not thread-safe)."""

    permissive: ssl.SSLContext
    verifying: ssl.SSLContext
    versions: Mapping[str, ssl.SSLContext]
    cipher: ssl.SSLContext | None
    allowed: tuple[str, ...]
    """CloudFront's allowed versions this host can test (OriginSslProtocols minus SSLv3)."""
    untestable: tuple[str, ...] = field(default=())


def _context(
    low: ssl.TLSVersion, high: ssl.TLSVersion, ciphers: str = _ALL, cafile: str | None = None
) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if cafile is None:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    else:
        ctx.load_verify_locations(cafile=cafile)
    ctx.minimum_version = low
    ctx.maximum_version = high
    ctx.set_ciphers(ciphers)
    return ctx


def build_contexts(target: ProbeTarget) -> TlsContexts:
    """The contexts for `target`: CloudFront's versions and ciphers, the target's trust store."""
    from cfdoctor.probes.certs import trust_store

    store = trust_store(target.ca_bundle)
    lowest = min(v for name, v in VERSIONS.items() if _LOCAL[name])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        permissive = _context(lowest, ssl.TLSVersion.MAXIMUM_SUPPORTED)
        verifying = _context(lowest, ssl.TLSVersion.MAXIMUM_SUPPORTED, cafile=store.origin)
        versions = {n: _context(v, v) for n, v in VERSIONS.items() if _LOCAL[n]}
        allowed = tuple(p for p in target.origin_ssl_protocols if p in versions)
        untestable = tuple(p for p in target.origin_ssl_protocols if p not in versions)
        cipher: ssl.SSLContext | None = None
        if allowed:
            cipher = _context(
                min(VERSIONS[p] for p in allowed),
                max(VERSIONS[p] for p in allowed),
                ":".join(offered_ciphers()) + ":@SECLEVEL=0",
            )
    return TlsContexts(permissive, verifying, versions, cipher, allowed, untestable)


@cache
def offered_ciphers() -> tuple[str, ...]:
    """CloudFront's origin ciphers that this OpenSSL can offer (not DES-CBC3-SHA nor RC4-MD5)."""
    out = []
    for name in cloudfront.ORIGIN_CIPHERS:
        try:
            ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).set_ciphers(name + ":@SECLEVEL=0")
        except ssl.SSLError:
            continue
        out.append(name)
    return tuple(out)


def served_chain(sock: ssl.SSLSocket) -> tuple[bytes, ...]:
    """The certificates exactly as the origin sent them (DER, leaf first); see the module doc."""
    public = getattr(sock, "get_unverified_chain", None)  # Python 3.13+
    if public is not None:
        return tuple(public() or ())
    sslobj: Any = getattr(sock, "_sslobj", None)
    private = getattr(sslobj, "get_unverified_chain", None)
    if private is not None:
        import _ssl

        der = getattr(_ssl, "ENCODING_DER", 2)
        return tuple(c.public_bytes(der) for c in private() or ())
    leaf = sock.getpeercert(binary_form=True)
    return (leaf,) if leaf else ()


def _classify(exc: ssl.SSLError) -> Outcome:
    reason = (getattr(exc, "reason", None) or "").upper()
    if reason in _NOT_TLS:
        return "not-tls"
    return "alert"


def handshake(
    address: str,
    port: int,
    server_name: str,
    context: ssl.SSLContext,
    timeout: float,
    policy: AddressPolicy | None = None,
) -> Handshake:
    """One handshake, bounded by `timeout` for connecting and for the handshake itself."""
    start = time.monotonic()

    def done(outcome: Outcome, detail: str, **kw: Any) -> Handshake:
        return Handshake(outcome, detail, time.monotonic() - start, **kw)

    try:
        raw = open_connection(address, port, timeout, policy)
    except TimeoutError:
        return done("no-connection", f"TCP connection timed out after {timeout:g} s")
    except OSError as exc:
        return done("no-connection", f"TCP: {exc.strerror or exc}")
    try:
        sni = None if parse_address(server_name) is not None else server_name
        # An address is never sent as SNI; OpenSSL then checks the certificate's IP entries.
        with context.wrap_socket(raw, server_hostname=sni or server_name) as tls:
            return done(
                "completed",
                f"{tls.version()}, {(tls.cipher() or ('?',))[0]}",
                version=tls.version(),
                cipher=(tls.cipher() or (None,))[0],
                chain=served_chain(tls),
                verify_code=0 if context.verify_mode == ssl.CERT_REQUIRED else None,
            )
    except ssl.SSLCertVerificationError as exc:
        return done(
            "completed",
            f"verify error {exc.verify_code}: {exc.verify_message}",
            verify_code=exc.verify_code,
        )
    except ssl.SSLEOFError:
        return done("alert", "the origin closed the connection during the handshake")
    except ssl.SSLError as exc:
        return done(_classify(exc), exc.reason or str(exc))
    except TimeoutError:
        return done("timeout", f"no handshake answer within {timeout:g} s")
    except ConnectionResetError:
        return done("alert", "the origin reset the connection during the handshake")
    except OSError as exc:
        return done("error", f"{type(exc).__name__}: {exc.strerror or exc}")
    finally:
        raw.close()


# -- from handshakes to facts ---------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class TlsObservations:
    """What the handshakes returned, for `tls_findings` to turn into facts."""

    main: Handshake
    verified: Handshake | None
    versions: Mapping[str, Handshake]
    cipher: Handshake | None
    host: Handshake | None
    contexts: TlsContexts


def _load(chain: tuple[bytes, ...]) -> list[x509.Certificate]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return [x509.load_der_x509_certificate(der) for der in chain]


def tls_findings(
    target: ProbeTarget, obs: TlsObservations, now: datetime.datetime | None = None
) -> Findings:
    """The origin.tls.* and origin.cert.* facts one set of handshakes supports, with evidence."""
    out = Findings("probe:tls")
    main = obs.main
    where = f"SNI {target.server_name}"
    if main.outcome in ("completed", "alert", "not-tls", "no-connection"):
        out.add("origin.tls.handshake", main.outcome, f"{where}: {main.detail}")
    else:
        out.errors.append(f"TLS handshake ({where}): {main.detail}")
    out.extra["tls_version"] = main.version
    out.extra["tls_cipher"] = main.cipher
    if main.outcome == "alert":  # refused outright: the version handshakes may say why
        _protocol_facts(target, obs, out)
    if main.outcome != "completed":
        return out
    out.add("origin.listener.https_port_protocol", "https", f"port {target.port}: {main.detail}")
    if obs.verified is not None and obs.verified.verify_code is not None:
        code = obs.verified.verify_code
        text = "0 (ok)" if code == 0 else obs.verified.detail
        trust = target.ca_bundle or "Mozilla's CA list (certifi)"
        out.add("origin.tls.verify_code", code, f"{text}; name {target.server_name}; trust {trust}")
    _protocol_facts(target, obs, out)
    _cert_facts(target, obs, out, now or datetime.datetime.now(datetime.UTC))
    return out


def _protocol_facts(target: ProbeTarget, obs: TlsObservations, out: Findings) -> None:
    accepted = {n for n, h in obs.versions.items() if h.outcome == "completed" and h.version}
    refused = {n for n, h in obs.versions.items() if h.outcome in ("alert", "not-tls")}
    shown = ", ".join(
        f"{n} {'yes' if n in accepted else 'no' if n in refused else '?'}" for n in obs.versions
    )
    out.extra["versions"] = {n: n in accepted for n in obs.versions if n in accepted | refused}
    allowed = obs.contexts.allowed
    untestable = obs.contexts.untestable
    note = f"; {', '.join(untestable)} cannot be tested here" if untestable else ""
    may_use = ", ".join(target.origin_ssl_protocols)
    if any(p in accepted for p in allowed):
        out.add(
            "origin.tls.shared_protocol", True, f"origin accepts {shown}; CloudFront: {may_use}"
        )
    elif allowed and all(p in refused for p in allowed) and not untestable:
        out.add(
            "origin.tls.shared_protocol", False, f"origin accepts {shown}; CloudFront: {may_use}"
        )
    else:
        out.errors.append(f"shared protocol unknown: {shown}{note}")
    older = [n for n in ("TLSv1", "TLSv1.1", "TLSv1.2") if n in obs.versions]
    if "TLSv1.3" in accepted:
        only = all(n in refused for n in older)
        out.add("origin.tls.tls13_only", only, f"origin accepts: {shown}")
    elif accepted:
        out.add("origin.tls.tls13_only", False, f"origin accepts: {shown}")
    cipher = obs.cipher
    if cipher is None:
        return
    allowed_accepted = [p for p in allowed if p in accepted]
    if cipher.outcome == "completed" and cipher.version in allowed:
        out.add(
            "origin.tls.shared_cipher",
            True,
            f"offered only CloudFront's origin ciphers; the origin chose {cipher.cipher} "
            f"({cipher.version})",
        )
    elif cipher.outcome in ("alert", "not-tls") and allowed_accepted:
        out.add(
            "origin.tls.shared_cipher",
            False,
            f"origin accepts {', '.join(allowed_accepted)} but refused every cipher CloudFront "
            f"offers ({cipher.detail}; DES-CBC3-SHA and RC4-MD5 cannot be offered from here)",
        )
    elif cipher.outcome not in ("completed", "alert", "not-tls"):
        out.errors.append(f"shared cipher unknown: {cipher.detail}")


def _cert_facts(
    target: ProbeTarget, obs: TlsObservations, out: Findings, now: datetime.datetime
) -> None:
    served = _load(obs.main.chain)
    if not served:
        out.errors.append("the origin sent no certificate")
        return
    leaf = served[0]
    names = certs.cert_names(leaf)
    out.extra["certificate"] = {
        "subject": leaf.subject.rfc4514_string(),
        "issuer": leaf.issuer.rfc4514_string(),
        "names": [*names.dns, *names.ips],
        "not_before": leaf.not_valid_before_utc.isoformat(),
        "not_after": leaf.not_valid_after_utc.isoformat(),
        "served": [c.subject.rfc4514_string() for c in served],
    }
    origin = target.origin_name
    covered = certs.covers(leaf, origin)
    out.add(
        "origin.cert.covers_origin_domain",
        covered,
        f"{origin} {'is' if covered else 'is not'} covered by {names.shown()}",
    )
    if target.host_header:
        host_leaf: x509.Certificate | None = leaf
        if target.host_header != target.server_name:
            host_chain = _load(obs.host.chain) if obs.host is not None else []
            host_leaf = host_chain[0] if host_chain else None
        if host_leaf is None:
            out.errors.append(f"no certificate for SNI {target.host_header}")
        else:
            ok = certs.covers(host_leaf, target.host_header)
            out.add(
                "origin.cert.covers_host_header",
                ok,
                f"Host {target.host_header} {'is' if ok else 'is not'} covered by "
                f"{certs.cert_names(host_leaf).shown()}",
            )
    try:
        store = certs.trust_store(target.ca_bundle)
    except OSError as exc:
        out.errors.append(f"trust store unreadable: {exc}")
        return
    report = certs.analyse_chain(served, store, now)
    judged = "; ".join(certs.validity(c) for c in report.path)
    for fact, label, failing in (
        ("origin.cert.expired", "expired", report.expired),
        ("origin.cert.not_yet_valid", "not yet valid", report.not_yet_valid),
    ):
        evidence = f"{label}: " + "; ".join(certs.validity(c) for c in failing)
        out.add(fact, bool(failing), evidence if failing else judged)
    out.add(
        "origin.cert.self_signed",
        report.self_signed,
        f"subject {certs.short_name(leaf.subject)}, issuer {certs.short_name(leaf.issuer)}"
        + (" (signed by its own key)" if report.self_signed else ""),
    )
    served_text = certs.describe_served(served)
    if report.trusted is not None:
        anchor = (
            f"ends at trusted root {certs.short_name(report.anchor.subject)}"
            if report.anchor is not None
            else f"ends at {certs.short_name(report.path[-1].subject)}, not in the trust store"
        )
        out.add("origin.cert.issuer_trusted", report.trusted, f"{anchor} ({store.origin})")
    if report.complete is not None:
        missing = (
            f"; the issuer {certs.short_name(report.missing_issuer)} was not sent "
            "and is not a trusted root"
            if report.missing_issuer is not None
            else ""
        )
        out.add("origin.cert.chain_complete", report.complete, f"served: {served_text}{missing}")
    out.add(
        "origin.cert.chain_in_order",
        report.in_order,
        f"served: {served_text}"
        + ("" if report.in_order else " (each certificate must be followed by its issuer)"),
    )


def sniff_tls(
    address: str,
    port: int,
    server_name: str,
    timeout: float,
    contexts: TlsContexts,
    policy: AddressPolicy | None = None,
) -> Handshake:
    """A permissive handshake on a port that did not answer HTTP: does it speak TLS instead?"""
    return handshake(address, port, server_name, contexts.permissive, timeout, policy)
