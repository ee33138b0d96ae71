"""openssl s_client output: handshake outcome, verify code, and the chain read with cryptography."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from cfdoctor.evidence import EvidenceError, parse_evidence
from cfdoctor.evidence import openssl as parser
from cfdoctor.evidence.certs import (
    covers,
    from_cert,
    judge_chain,
    mozilla_roots,
    norm_name,
    oneline,
)
from cfdoctor.evidence.model import Context

ORIGIN = "origin.example.com"

EXPECTED: dict[str, dict[str, object]] = {
    "ok": {
        "origin.tls.handshake": "completed",
        "origin.tls.verify_code": 0,
        "origin.cert.chain_in_order": True,
        "origin.cert.expired": False,
        "origin.cert.not_yet_valid": False,
        "origin.cert.self_signed": False,
        "origin.cert.covers_origin_domain": True,
    },
    "ok-showcerts": {
        "origin.tls.verify_code": 0,
        "origin.cert.chain_in_order": True,
        "origin.cert.covers_origin_domain": True,
    },
    "untrusted-ca": {
        "origin.tls.verify_code": 19,
        "origin.cert.issuer_trusted": False,
        "origin.cert.chain_complete": True,
    },
    "missing-intermediate": {"origin.tls.verify_code": 21, "origin.cert.chain_complete": False},
    "misordered": {"origin.cert.chain_in_order": False, "origin.cert.chain_complete": True},
    "self-signed": {
        "origin.tls.verify_code": 18,
        "origin.cert.self_signed": True,
        "origin.cert.issuer_trusted": False,
    },
    "expired": {
        "origin.tls.verify_code": 10,
        "origin.cert.expired": True,
        "origin.cert.not_yet_valid": False,
    },
    "not-yet-valid": {
        "origin.tls.verify_code": 9,
        "origin.cert.not_yet_valid": True,
        "origin.cert.expired": False,
    },
    "hostname-mismatch": {"origin.tls.verify_code": 62, "origin.cert.covers_origin_domain": False},
    "tls13-only-alert": {
        "origin.tls.handshake": "alert",
        "origin.tls.tls13_only": True,
        "origin.tls.shared_protocol": False,
    },
    "no-shared-cipher": {"origin.tls.handshake": "alert"},
    "tls12-cloudfront-cipher": {
        "origin.tls.shared_protocol": True,
        "origin.tls.shared_cipher": True,
        "origin.tls.tls13_only": False,
    },
    "not-tls": {"origin.tls.handshake": "not-tls"},
    "refused": {"origin.tls.handshake": "no-connection"},
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture(fixtures: Path, name: str) -> None:
    ev = parse_evidence(fixtures / f"openssl-{name}.txt", context=Context(origin_domain=ORIGIN))
    expected = EXPECTED[name]
    assert {k: ev.facts.get(k) for k in expected} == expected


@pytest.mark.parametrize("name", ["tls13-only-alert", "no-shared-cipher", "not-tls", "refused"])
def test_no_verify_code_without_a_certificate(fixtures: Path, name: str) -> None:
    """s_client prints `Verify return code: 0 (ok)` after failed handshakes too."""
    facts = parse_evidence(fixtures / f"openssl-{name}.txt").facts
    assert "origin.tls.verify_code" not in facts
    assert not any(k.startswith("origin.cert.") for k in facts)


def test_tls13_session_says_nothing_about_cloudfront_protocols(fixtures: Path) -> None:
    facts = parse_evidence(fixtures / "openssl-ok.txt").facts
    assert "origin.tls.shared_protocol" not in facts and "origin.tls.shared_cipher" not in facts


def test_certificates_in_details(fixtures: Path) -> None:
    ev = parse_evidence(fixtures / "openssl-ok-showcerts.txt")
    certs = ev.details["certificates"]
    assert isinstance(certs, list) and len(certs) == 2
    assert certs[0]["dns_names"][:2] == [ORIGIN, "www.example.com"]
    assert "Intermediate" in certs[1]["subject"]


def test_without_name_no_coverage_fact(fixtures: Path) -> None:
    assert (
        "origin.cert.covers_origin_domain" not in parse_evidence(fixtures / "openssl-ok.txt").facts
    )


def test_no_handshake_result_is_an_error() -> None:
    with pytest.raises(EvidenceError, match="without a handshake result"):
        parser.parse("CONNECTED(00000003)\n", "s.txt")


@pytest.mark.parametrize(
    ("names", "host", "ok"),
    [
        (["origin.example.com"], "ORIGIN.example.com.", True),
        (["*.example.com"], "origin.example.com", True),
        (["*.example.com"], "a.b.example.com", False),
        (["*.example.com"], "example.com", False),
        (["app.example.net"], "origin.example.com", False),
        ([], "x", False),
    ],
)
def test_name_coverage(names: list[str], host: str, ok: bool) -> None:
    assert covers(names, host) is ok


def _cert(
    cn: str,
    issuer: tuple[x509.Certificate, ec.EllipticCurvePrivateKey] | None,
    key: ec.EllipticCurvePrivateKey,
) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    now = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer[0].subject if issuer else name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=36500))
        .sign(issuer[1] if issuer else key, hashes.SHA256())
    )


def test_chain_to_a_trusted_root_with_missing_intermediate_sent() -> None:
    """Trust is judged against a root store: here a stand-in for Mozilla's list."""
    rk, ik, lk = (ec.generate_private_key(ec.SECP256R1()) for _ in range(3))
    root = _cert("Root", None, rk)
    inter = _cert("Inter", (root, rk), ik)
    leaf = _cert("leaf.example.com", (inter, ik), lk)
    store: dict[bytes, tuple[x509.Certificate, ...]] = {root.subject.public_bytes(): (root,)}
    verdict = judge_chain([from_cert(leaf), from_cert(inter)], store)
    assert (verdict.in_order, verdict.complete, verdict.trusted) == (True, True, True)
    # Only the leaf sent: the issuer is unknown, so neither completeness nor trust is claimed.
    verdict = judge_chain([from_cert(leaf)], store)
    assert (verdict.complete, verdict.trusted) == (None, None)
    # Text-only chain listing (no PEM): names are matched against the store.
    text_inter = from_cert(inter)
    plain = type(text_inter)(text_inter.subject, text_inter.issuer)
    assert judge_chain([from_cert(leaf), plain], store).trusted is True


def test_mozilla_roots_are_loaded_from_certifi() -> None:
    roots = mozilla_roots()
    assert len(roots) > 100
    names = {norm_name(oneline(c.subject)) for cs in roots.values() for c in cs}
    assert any("isrg root x1" in n for n in names)


def test_openssl_1_0_names_compare_with_3_0_names() -> None:
    assert norm_name("/C=US/O=Let's Encrypt/CN=R3") == norm_name(
        "C = US, O = Let's Encrypt, CN = R3"
    )
