"""Judge the certificates an origin serves as CloudFront does, from the chain as served.

Pure functions over `cryptography` certificates: no network. Missing intermediates are never
fetched (CloudFront does not fetch them either; browsers do, which is why "it works in my
browser" proves nothing here).
"""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import certifi
from cryptography import x509
from cryptography.x509.oid import NameOID

from cfdoctor.probes.policy import parse_address


# -- names ----------------------------------------------------------------------------------
def _norm(name: str) -> str:
    return name.strip().rstrip(".").lower()


def name_matches(pattern: str, name: str) -> bool:
    """RFC 6125 matching as TLS clients do it: a wildcard is the whole leftmost label, stands
    for exactly one label, needs two labels after it, and never matches an IP address."""
    pattern, name = _norm(pattern), _norm(name)
    if not pattern or not name:
        return False
    if pattern == name:
        return True
    p_labels, n_labels = pattern.split("."), name.split(".")
    if p_labels[0] != "*" or "*" in pattern[1:] or len(p_labels) < 3:
        return False
    if parse_address(name) is not None or len(p_labels) != len(n_labels) or not n_labels[0]:
        return False
    return p_labels[1:] == n_labels[1:]


@dataclass(frozen=True, slots=True)
class CertNames:
    dns: tuple[str, ...]
    ips: tuple[str, ...]
    common_name: str | None

    def shown(self) -> str:
        names = [*self.dns, *self.ips]
        if self.common_name and self.common_name not in names:
            names.insert(0, f"CN={self.common_name}")
        return ", ".join(names) if names else "(no names)"


def cert_names(cert: x509.Certificate) -> CertNames:
    dns: tuple[str, ...] = ()
    ips: tuple[str, ...] = ()
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        dns = tuple(san.get_values_for_type(x509.DNSName))
        ips = tuple(str(a) for a in san.get_values_for_type(x509.IPAddress))
    except (x509.ExtensionNotFound, ValueError):
        pass
    cns = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    cn = cns[0].value if cns else None
    return CertNames(dns, ips, cn if isinstance(cn, str) else None)


def covers(cert: x509.Certificate, name: str) -> bool:
    """Whether the CN or a SAN entry (wildcards included) covers `name`, as AWS words the check."""
    names = cert_names(cert)
    ip = parse_address(name)
    if ip is not None:
        return any(ipaddress.ip_address(a) == ip for a in names.ips) or names.common_name == str(ip)
    candidates = [*names.dns, *([names.common_name] if names.common_name else [])]
    return any(name_matches(p, name) for p in candidates)


def short_name(name: x509.Name) -> str:
    """`CN=...` when there is a CN (what people recognise), else the whole RFC 4514 string."""
    cns = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    return f"CN={cns[0].value!s}" if cns else (name.rfc4514_string() or "(empty name)")


# -- issuance -------------------------------------------------------------------------------
def issued_by(child: x509.Certificate, parent: x509.Certificate) -> bool:
    """`parent` names and signed `child` (checked with the parent's key, not just by name)."""
    if child.issuer != parent.subject:
        return False
    try:
        child.verify_directly_issued_by(parent)
    except Exception:  # InvalidSignature, ValueError, TypeError (unsupported key): not issued
        return False
    return True


def is_self_signed(cert: x509.Certificate) -> bool:
    return issued_by(cert, cert)


def fingerprint(cert: x509.Certificate) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding

    return hashlib.sha256(cert.public_bytes(Encoding.DER)).digest()


class TrustStore:
    """Root certificates to trust: Mozilla's list (certifi), as CloudFront does, or a CA bundle."""

    def __init__(self, certs: Sequence[x509.Certificate], origin: str) -> None:
        self.origin = origin
        self._by_subject: dict[x509.Name, list[x509.Certificate]] = {}
        self._prints = {fingerprint(c) for c in certs}
        for c in certs:
            self._by_subject.setdefault(c.subject, []).append(c)

    def __len__(self) -> int:
        return len(self._prints)

    def contains(self, cert: x509.Certificate) -> bool:
        return fingerprint(cert) in self._prints

    def issuer_of(self, cert: x509.Certificate) -> x509.Certificate | None:
        return next((c for c in self._by_subject.get(cert.issuer, ()) if issued_by(cert, c)), None)


@lru_cache(maxsize=8)
def _load_store(path: str, mtime_ns: int) -> TrustStore:
    with warnings.catch_warnings():  # a few old roots carry serials that cryptography frowns on
        warnings.simplefilter("ignore")
        certs = x509.load_pem_x509_certificates(Path(path).read_bytes())
    return TrustStore(certs, path)


def trust_store(ca_bundle: str | None = None) -> TrustStore:
    """Parsed once per file and kept: the Mozilla list when no bundle is given."""
    path = ca_bundle or certifi.where()
    return _load_store(path, Path(path).stat().st_mtime_ns)


# -- the chain as served --------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ChainReport:
    complete: bool | None
    """Every certificate up to a trust anchor (or a self-signed root) was sent; None: unknown."""
    in_order: bool
    trusted: bool | None
    """The chain ends at a root of the trust store; None when a missing issuer hides that."""
    self_signed: bool
    expired: tuple[x509.Certificate, ...]
    not_yet_valid: tuple[x509.Certificate, ...]
    path: tuple[x509.Certificate, ...]
    """The certificates of the served chain that lead from the leaf towards the root."""
    missing_issuer: x509.Name | None
    anchor: x509.Certificate | None


def analyse_chain(
    served: Sequence[x509.Certificate], store: TrustStore, now: datetime.datetime
) -> ChainReport:
    """Walk from the leaf through the served certificates to a trust anchor, never fetching."""
    leaf = served[0]
    in_order = all(issued_by(served[i], served[i + 1]) for i in range(len(served) - 1))
    path: list[x509.Certificate] = [leaf]
    complete: bool | None = None
    trusted: bool | None = None
    missing: x509.Name | None = None
    anchor: x509.Certificate | None = None
    current = leaf
    for _ in range(len(served) + 1):  # a chain longer than what was served cannot be walked
        if store.contains(current):
            complete, trusted, anchor = True, True, current
            break
        found = store.issuer_of(current)
        if found is not None:
            complete, trusted, anchor = True, True, found
            break
        if is_self_signed(current):
            complete, trusted = True, False
            break
        nxt = next(
            (c for c in served if all(c is not p for p in path) and issued_by(current, c)), None
        )
        if nxt is None:
            complete, missing = False, current.issuer
            break
        path.append(nxt)
        current = nxt
    judged = [c for c in path if c is leaf or not is_self_signed(c)]
    return ChainReport(
        complete=complete,
        in_order=in_order,
        trusted=trusted,
        self_signed=is_self_signed(leaf),
        expired=tuple(c for c in judged if c.not_valid_after_utc < now),
        not_yet_valid=tuple(c for c in judged if c.not_valid_before_utc > now),
        path=tuple(path),
        missing_issuer=missing,
        anchor=anchor,
    )


def validity(cert: x509.Certificate) -> str:
    before = cert.not_valid_before_utc.strftime("%Y-%m-%d %H:%M UTC")
    after = cert.not_valid_after_utc.strftime("%Y-%m-%d %H:%M UTC")
    return f"{short_name(cert.subject)} valid {before} to {after}"


def describe_served(served: Sequence[x509.Certificate]) -> str:
    """The served order, each with its issuer: "[0] CN=a (issuer CN=b); [1] CN=b (...)"."""
    return "; ".join(
        f"[{i}] {short_name(c.subject)} (issuer {short_name(c.issuer)})"
        for i, c in enumerate(served)
    )
