"""Certificate judgement without a network: names with wildcards, chains as served."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cfdoctor.lab import pki
from cfdoctor.probes import certs

NOW = datetime.datetime.now(datetime.UTC)


@pytest.mark.parametrize(
    ("pattern", "name", "expected"),
    [
        ("www.example.com", "www.example.com", True),
        ("WWW.Example.COM.", "www.example.com", True),
        ("*.example.com", "www.example.com", True),
        ("*.example.com", "example.com", False),
        ("*.example.com", "a.b.example.com", False),
        ("*.example.com", ".example.com", False),
        ("*.com", "example.com", False),
        ("w*.example.com", "www.example.com", False),
        ("*w.example.com", "www.example.com", False),
        ("*.*.example.com", "a.b.example.com", False),
        ("www.*.com", "www.example.com", False),
        ("*.0.0.1", "127.0.0.1", False),
        ("xn--bcher-kva.example", "xn--bcher-kva.example", True),
    ],
)
def test_name_matching_follows_rfc_6125(pattern: str, name: str, expected: bool) -> None:
    assert certs.name_matches(pattern, name) is expected


_label = st.from_regex(r"[a-z]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)


@given(st.lists(_label, min_size=3, max_size=5), _label)
def test_wildcard_covers_exactly_one_label(labels: list[str], other: str) -> None:
    name = ".".join(labels)
    base = ".".join(labels[1:])
    assert certs.name_matches(f"*.{base}", name)
    assert not certs.name_matches(f"*.{base}", f"{other}.{name}")
    assert not certs.name_matches(f"*.{name}", name)


@pytest.fixture(scope="module")
def ca() -> pki.LabCa:
    return pki.LabCa.create()


@pytest.fixture(scope="module")
def store(ca: pki.LabCa, tmp_path_factory: pytest.TempPathFactory) -> certs.TrustStore:
    bundle = tmp_path_factory.mktemp("ca") / "ca.pem"
    bundle.write_bytes(ca.root.pem())
    return certs.trust_store(str(bundle))


def test_covers_reads_sans_and_common_name(ca: pki.LabCa) -> None:
    leaf = pki.issue("a.example.test", issuer=ca.intermediate, names=["a.example.test", "*.b.test"])
    assert certs.covers(leaf.cert, "a.example.test")
    assert certs.covers(leaf.cert, "x.b.test")
    assert not certs.covers(leaf.cert, "b.test")
    assert certs.cert_names(leaf.cert).dns == ("a.example.test", "*.b.test")


def test_complete_chain_in_order_is_trusted(ca: pki.LabCa, store: certs.TrustStore) -> None:
    leaf = pki.issue("ok.test", issuer=ca.sub_intermediate)
    served = [leaf.cert, ca.sub_intermediate.cert, ca.intermediate.cert]
    report = certs.analyse_chain(served, store, NOW)
    assert (report.complete, report.in_order, report.trusted) == (True, True, True)
    assert not report.self_signed and not report.expired and not report.not_yet_valid
    assert report.anchor is not None and report.anchor.subject == ca.root.cert.subject


def test_served_root_counts_as_anchor(ca: pki.LabCa, store: certs.TrustStore) -> None:
    leaf = pki.issue("ok.test", issuer=ca.intermediate)
    report = certs.analyse_chain([leaf.cert, ca.intermediate.cert, ca.root.cert], store, NOW)
    assert (report.complete, report.in_order, report.trusted) == (True, True, True)


def test_misordered_chain_is_complete_but_out_of_order(
    ca: pki.LabCa, store: certs.TrustStore
) -> None:
    leaf = pki.issue("order.test", issuer=ca.sub_intermediate)
    served = [leaf.cert, ca.intermediate.cert, ca.sub_intermediate.cert]
    report = certs.analyse_chain(served, store, NOW)
    assert (report.complete, report.in_order, report.trusted) == (True, False, True)


def test_missing_intermediate_is_incomplete_and_trust_unknown(
    ca: pki.LabCa, store: certs.TrustStore
) -> None:
    leaf = pki.issue("missing.test", issuer=ca.sub_intermediate)
    report = certs.analyse_chain([leaf.cert, ca.intermediate.cert], store, NOW)
    assert report.complete is False and report.trusted is None
    assert report.missing_issuer == ca.sub_intermediate.cert.subject
    assert report.in_order is False  # the intermediate sent did not issue the leaf


def test_self_signed_is_complete_and_untrusted(store: certs.TrustStore) -> None:
    alone = pki.issue("self.test")
    report = certs.analyse_chain([alone.cert], store, NOW)
    assert report.self_signed and report.complete is True and report.trusted is False


def test_private_ca_with_its_root_served_is_untrusted(store: certs.TrustStore) -> None:
    other = pki.LabCa.create()
    leaf = pki.issue("private.test", issuer=other.intermediate)
    served = [leaf.cert, other.intermediate.cert, other.root.cert]
    report = certs.analyse_chain(served, store, NOW)
    assert (report.complete, report.in_order, report.trusted) == (True, True, False)


def test_name_spoofing_issuer_is_not_an_issuer(ca: pki.LabCa, store: certs.TrustStore) -> None:
    """Same subject as the real intermediate, other key: names alone never link a chain."""
    impostor = pki.issue("cfdoctor lab intermediate CA", issuer=pki.LabCa.create().root, ca=True)
    leaf = pki.issue("spoof.test", issuer=impostor)
    report = certs.analyse_chain([leaf.cert, impostor.cert], store, NOW)
    assert report.trusted is not True


def test_expiry_of_leaf_and_intermediate(ca: pki.LabCa, store: certs.TrustStore) -> None:
    old_inter = pki.issue(
        "old intermediate",
        issuer=ca.root,
        ca=True,
        not_before=NOW - 400 * pki.DAY,
        not_after=NOW - pki.DAY,
    )
    leaf = pki.issue("late.test", issuer=old_inter, not_before=NOW + pki.DAY)
    report = certs.analyse_chain([leaf.cert, old_inter.cert], store, NOW)
    assert report.expired == (old_inter.cert,)
    assert report.not_yet_valid == (leaf.cert,)


def test_mozilla_store_loads_and_is_cached() -> None:
    first = certs.trust_store()
    assert len(first) > 100
    assert certs.trust_store() is first


def test_bundle_path_is_reported(store: certs.TrustStore) -> None:
    assert Path(store.origin).name == "ca.pem"
