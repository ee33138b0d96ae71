"""Certificate checks CloudFront makes on a custom origin, done offline with `cryptography`.

CloudFront trusts the CAs on Mozilla's Included CA Certificate List; certifi ships that list, so
"trusted" here means "chains to a certifi root", whatever store the openssl that made the
transcript used. Names follow CloudFront's rule: the CN or a SAN entry covers the name,
wildcards for one label.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography import x509
from cryptography.x509.oid import NameOID

_OPENSSL_SHORT = {
    "1.2.840.113549.1.9.1": "emailAddress",
    "2.5.4.5": "serialNumber",
    "2.5.4.15": "businessCategory",
    "1.3.6.1.4.1.311.60.2.1.3": "jurisdictionC",
}


def oneline(name: x509.Name) -> str:
    """The name as OpenSSL 1.1+/3 prints it by default (`C = US, O = Org, CN = Name`)."""
    parts = []
    for attr in name:
        oid = attr.oid.dotted_string
        short = _OPENSSL_SHORT.get(oid) or attr.rfc4514_attribute_name
        value = attr.value if isinstance(attr.value, str) else attr.value.hex()
        parts.append(f"{short} = {value}")
    return ", ".join(parts)


def norm_name(text: str) -> str:
    """Comparable form of a printed distinguished name (OpenSSL 1.0 `/C=US/O=X` or 3 `C = US`)."""
    t = text.strip()
    if t.startswith("/"):
        t = ", ".join(p for p in t.split("/") if p)
    return ",".join(
        p.strip().replace(" = ", "=").replace(" =", "=").replace("= ", "=") for p in t.split(",")
    ).casefold()


@dataclass(frozen=True)
class CertInfo:
    """What a transcript shows of one certificate; `cert` is None when only the text is shown."""

    subject: str
    issuer: str
    not_before: dt.datetime | None = None
    not_after: dt.datetime | None = None
    cert: x509.Certificate | None = None

    @property
    def self_issued(self) -> bool:
        if self.cert is not None:
            return self.cert.subject == self.cert.issuer
        return norm_name(self.subject) == norm_name(self.issuer)

    def names(self) -> list[str]:
        """DNS names the certificate covers: SAN DNS entries and the CN."""
        if self.cert is None:
            return []
        out: list[str] = []
        try:
            san = self.cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
            out.extend(san.value.get_values_for_type(x509.DNSName))
        except (x509.ExtensionNotFound, ValueError):
            pass
        for attr in self.cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME):
            if isinstance(attr.value, str):
                out.append(attr.value)
        return out

    def to_dict(self) -> dict[str, object]:
        return {
            "subject": self.subject,
            "issuer": self.issuer,
            "not_before": self.not_before.isoformat() if self.not_before else None,
            "not_after": self.not_after.isoformat() if self.not_after else None,
            "dns_names": self.names(),
        }


def from_cert(cert: x509.Certificate) -> CertInfo:
    return CertInfo(
        oneline(cert.subject),
        oneline(cert.issuer),
        cert.not_valid_before_utc,
        cert.not_valid_after_utc,
        cert,
    )


def covers(names: Iterable[str], host: str) -> bool:
    """A certificate name list covers `host` (exact, or a `*.` wildcard for one left label)."""
    want = host.strip().rstrip(".").lower()
    if not want:
        return False
    for raw in names:
        name = raw.strip().rstrip(".").lower()
        if name == want:
            return True
        if name.startswith("*.") and "." in want:
            label, _, rest = want.partition(".")
            if label and rest == name[2:]:
                return True
    return False


@lru_cache(maxsize=1)
def mozilla_roots() -> dict[bytes, tuple[x509.Certificate, ...]]:
    """certifi's bundle (Mozilla's list) by subject, loaded once per process."""
    import certifi

    data = Path(certifi.where()).read_bytes()
    roots: dict[bytes, list[x509.Certificate]] = {}
    with warnings.catch_warnings():  # a few old roots have non-positive serial numbers
        warnings.simplefilter("ignore")
        loaded = x509.load_pem_x509_certificates(data)
    for cert in loaded:
        roots.setdefault(cert.subject.public_bytes(), []).append(cert)
    return {k: tuple(v) for k, v in roots.items()}


@lru_cache(maxsize=1)
def mozilla_root_names() -> frozenset[str]:
    return frozenset(norm_name(oneline(c.subject)) for cs in mozilla_roots().values() for c in cs)


def _issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, x509.verification.VerificationError):
        return False
    except Exception:  # unsupported key types and the like: treat as "not proven"
        return False
    return True


def _trusted_root_for(info: CertInfo, roots: dict[bytes, tuple[x509.Certificate, ...]]) -> bool:
    """The certificate is a Mozilla root, or is signed by one."""
    if info.cert is not None:
        for root in roots.get(info.cert.issuer.public_bytes(), ()):
            if root == info.cert or _issued_by(info.cert, root):
                return True
        return False
    return norm_name(info.issuer) in _root_names(roots)


def _root_names(roots: dict[bytes, tuple[x509.Certificate, ...]]) -> frozenset[str]:
    if roots is mozilla_roots():
        return mozilla_root_names()
    return frozenset(norm_name(oneline(c.subject)) for cs in roots.values() for c in cs)


@dataclass(frozen=True)
class ChainVerdict:
    in_order: bool
    complete: bool | None
    """None: the chain ends at an issuer that is neither sent nor a Mozilla root (can't tell)."""
    trusted: bool | None
    """None: as above; a missing intermediate of a public CA and a private CA look alike."""


def judge_chain(
    chain: Sequence[CertInfo],
    roots: dict[bytes, tuple[x509.Certificate, ...]] | None = None,
) -> ChainVerdict:
    """Order, completeness and trust of a chain as the server sent it (leaf first)."""
    roots = mozilla_roots() if roots is None else roots
    in_order = all(
        norm_name(chain[i].issuer) == norm_name(chain[i + 1].subject) for i in range(len(chain) - 1)
    )
    if not chain:
        return ChainVerdict(True, None, None)
    # Follow issuers from the leaf through what was sent, in any order.
    by_subject = {norm_name(c.subject): c for c in chain}
    current, seen = chain[0], set()
    while True:
        if _trusted_root_for(current, roots):
            return ChainVerdict(in_order, True, True)
        if current.self_issued:
            return ChainVerdict(in_order, True, False)
        key = norm_name(current.issuer)
        nxt = by_subject.get(key)
        if nxt is None or key in seen:
            return ChainVerdict(in_order, None, None)
        seen.add(key)
        current = nxt


def validity(chain: Sequence[CertInfo], now: dt.datetime) -> tuple[bool | None, bool | None]:
    """(expired, not_yet_valid) over the whole chain; None where a date is not shown."""
    afters = [c.not_after for c in chain]
    befores = [c.not_before for c in chain]
    expired = any(a is not None and a < now for a in afters)
    future = any(b is not None and b > now for b in befores)
    complete = all(a is not None for a in afters) and all(b is not None for b in befores)
    return (True if expired else (False if complete else None)), (
        True if future else (False if complete else None)
    )
