"""A throwaway certificate authority for the lab: a root that stands in for the public CAs.

ECDSA P-256 keys (CloudFront's origin ciphers include ECDHE-ECDSA suites) because they are
generated in a millisecond, so the whole lab starts in a fraction of a second.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

DAY = datetime.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Issued:
    """A certificate with its private key."""

    cert: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def key_pem(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "cfdoctor lab"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def issue(
    common_name: str,
    *,
    issuer: Issued | None = None,
    ca: bool = False,
    names: Sequence[str] = (),
    not_before: datetime.datetime | None = None,
    not_after: datetime.datetime | None = None,
) -> Issued:
    """A certificate signed by `issuer`, or self-signed when there is none."""
    now = datetime.datetime.now(datetime.UTC)
    key = ec.generate_private_key(ec.SECP256R1())
    subject = _name(common_name)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.cert.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or now - DAY)
        .not_valid_after(not_after or now + 90 * DAY)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
            critical=False,
        )
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
    else:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(n) for n in names or [common_name]]),
            critical=False,
        ).add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
    signer = issuer.key if issuer else key
    return Issued(builder.sign(signer, hashes.SHA256()), key)


@dataclass(frozen=True, slots=True)
class LabCa:
    """Root → intermediate → a second intermediate (for the misordered chain)."""

    root: Issued
    intermediate: Issued
    sub_intermediate: Issued

    @classmethod
    def create(cls) -> LabCa:
        root = issue("cfdoctor lab root CA", ca=True)
        intermediate = issue("cfdoctor lab intermediate CA", issuer=root, ca=True)
        sub = issue("cfdoctor lab issuing CA", issuer=intermediate, ca=True)
        return cls(root, intermediate, sub)


def write_server_files(
    directory: Path, stem: str, leaf: Issued, chain: Sequence[Issued]
) -> tuple[Path, Path]:
    """The PEM files a server loads: leaf then `chain` exactly in the order given, and the key."""
    cert_file = directory / f"{stem}.pem"
    key_file = directory / f"{stem}.key"
    cert_file.write_bytes(leaf.pem() + b"".join(c.pem() for c in chain))
    key_file.write_bytes(leaf.key_pem())
    key_file.chmod(0o600)
    return cert_file, key_file
