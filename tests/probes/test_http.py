"""The HTTP probe's pure parts: the request CloudFront sends, reading the answer's head."""

from __future__ import annotations

import pytest

from cfdoctor.probes import ProbeTarget
from cfdoctor.probes.http import HttpOutcome, _keep_alive, _parse, http_findings, request_bytes


def test_request_is_what_cloudfront_sends() -> None:
    target = ProbeTarget("127.0.0.1", sni="origin.test", host_header="www.test", path="/a?b=1")
    head = request_bytes(target).decode()
    assert head.startswith("GET /a?b=1 HTTP/1.1\r\nHost: www.test\r\n")
    assert "User-Agent: Amazon CloudFront\r\n" in head and head.endswith("\r\n\r\n")


def test_parse_reads_status_and_headers() -> None:
    parsed = _parse(b"HTTP/1.1 503 Slow Down\r\nServer: x\r\nVia: a\r\nvia: b\r\n\r\nbody")
    assert parsed == (503, "HTTP/1.1", "Slow Down", {"server": "x", "via": "a, b"})
    assert _parse(b"\x15\x03\x01\x00\x02\x02\x28") is None
    assert _parse(b"SSH-2.0-OpenSSH_9.6\r\n") is None


@pytest.mark.parametrize(
    ("version", "connection", "expected"),
    [
        ("HTTP/1.1", None, True),
        ("HTTP/1.1", "close", False),
        ("HTTP/1.1", "Keep-Alive, Upgrade", True),
        ("HTTP/1.0", None, False),
        ("HTTP/1.0", "keep-alive", True),
    ],
)
def test_keep_alive(version: str, connection: str | None, expected: bool) -> None:
    headers = {} if connection is None else {"connection": connection}
    assert _keep_alive(version, headers) is expected


def test_short_idle_timeout_is_pointed_out() -> None:
    outcome = HttpOutcome(
        "answered",
        "HTTP/1.1 200 OK",
        0.01,
        status=200,
        ttfb=0.01,
        keep_alive=True,
        headers={"keep-alive": "timeout=2"},
    )
    found = {f.fact: f for f in http_findings(ProbeTarget("a.test"), outcome).items}
    assert found["origin.http.keep_alive"].value is True
    assert "after 2 s, sooner than CloudFront's keep-alive timeout of 5 s" in (
        found["origin.http.keep_alive"].evidence
    )
    assert found["origin.http.ttfb_exceeds_read_timeout"].value is False
