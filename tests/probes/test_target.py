"""ProbeTarget: what the CLI and a distribution config describe, checked before any contact."""

from __future__ import annotations

from pathlib import Path

import pytest

from cfdoctor.probes import (
    ProbeInputError,
    ProbeTarget,
    target_from_options,
    target_from_origin_config,
)


def test_defaults_are_cloudfronts() -> None:
    t = ProbeTarget("Origin.Example.com.")
    assert (t.protocol, t.port, t.connect_timeout, t.read_timeout) == ("https", 443, 10.0, 30.0)
    assert t.origin_name == t.server_name == t.host == "origin.example.com"
    assert t.address is None
    assert t.origin_ssl_protocols == ("TLSv1", "TLSv1.1", "TLSv1.2")


def test_an_address_origin_takes_its_name_from_the_sni() -> None:
    t = ProbeTarget("127.0.0.1", https_port=8443, sni="app.test", host_header="www.test")
    assert (t.address, t.port, t.origin_name, t.server_name, t.host) == (
        "127.0.0.1",
        8443,
        "app.test",
        "app.test",
        "www.test",
    )
    assert ProbeTarget("::1").origin_name == "::1"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"protocol": "ftp"},
        {"https_port": 0},
        {"http_port": 70000},
        {"https_port": True},
        {"connect_timeout": 0},
        {"read_timeout": 1000},
        {"host_header": "evil.test\r\nX-Injected: 1"},
        {"sni": "bad name"},
        {"path": "no-slash"},
        {"path": "/a b"},
        {"path": "/a\r\nHost: x"},
        {"origin_ssl_protocols": ("TLSv1.3",)},
        {"origin_ssl_protocols": ()},
        {"ca_bundle": "/nonexistent/ca.pem"},
    ],
)
def test_bad_targets_are_refused_before_any_contact(kwargs: dict[str, object]) -> None:
    with pytest.raises(ProbeInputError):
        ProbeTarget("origin.example.com", **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("domain", ["", "-bad.example.com", "a..b", "x" * 64 + ".com", "a b"])
def test_bad_domains(domain: str) -> None:
    with pytest.raises(ProbeInputError):
        ProbeTarget(domain)


def test_target_from_options(tmp_path: Path) -> None:
    bundle = tmp_path / "ca.pem"
    bundle.write_text("")
    t = target_from_options(
        "127.0.0.1", port=8443, sni="a.test", timeout=2, ca_bundle=bundle, path="/health"
    )
    assert (t.https_port, t.connect_timeout, t.read_timeout, t.dns_timeout) == (8443, 2, 2, 2)
    assert (t.ca_bundle, t.path) == (str(bundle), "/health")
    plain = target_from_options("origin.test", port=8080, protocol="http", read_timeout=60)
    assert (plain.protocol, plain.port, plain.https_port, plain.read_timeout) == (
        "http",
        8080,
        443,
        60,
    )
    with pytest.raises(ProbeInputError):
        target_from_options("origin.test", protocol="gopher")


def test_target_from_origin_config() -> None:
    origin = {
        "Id": "app",
        "DomainName": "app-123.us-east-1.elb.amazonaws.com",
        "ConnectionTimeout": 5,
        "CustomOriginConfig": {
            "HTTPPort": 8080,
            "HTTPSPort": 8443,
            "OriginProtocolPolicy": "match-viewer",
            "OriginSslProtocols": {"Quantity": 1, "Items": ["TLSv1.2"]},
            "OriginReadTimeout": 60,
            "OriginKeepaliveTimeout": 10,
        },
    }
    t = target_from_origin_config(origin, host_header="www.example.com")
    assert (t.protocol, t.port, t.http_port, t.connect_timeout, t.read_timeout) == (
        "https",
        8443,
        8080,
        5,
        60,
    )
    assert (t.keepalive_timeout, t.origin_ssl_protocols) == (10, ("TLSv1.2",))
    assert (t.server_name, t.host, t.origin_name) == (
        "www.example.com",
        "www.example.com",
        "app-123.us-east-1.elb.amazonaws.com",
    )
    assert target_from_origin_config(origin, viewer_protocol="http").port == 8080
    s3 = target_from_origin_config({"DomainName": "b.s3.us-east-1.amazonaws.com"})
    assert (s3.protocol, s3.port) == ("https", 443)
    with pytest.raises(ProbeInputError):
        target_from_origin_config({"Id": "x"})
