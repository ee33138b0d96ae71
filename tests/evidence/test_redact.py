"""Credentials in pasted evidence never reach a fact, a finding, a hint or an error message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cfdoctor.evidence import EvidenceError, parse_evidence, redact
from cfdoctor.evidence.redact import MASK

SECRETS = (
    "eyJhbGciOiJIUzI1NiJ9",
    "s3cr3t-cookie",
    "c2lnbmF0dXJl",
    "cG9saWN5",
    "K2JCJMDEHXQW5F",
    "abcdef0123456789",
)


@pytest.mark.parametrize(
    ("text", "kept", "gone"),
    [
        ("Authorization: Bearer abc.def", "Authorization: ", "abc.def"),
        ("> authorization: AWS4-HMAC-SHA256 Credential=AKIA/x", "authorization: ", "AKIA"),
        ("Proxy-Authorization: Basic dXNlcg==", "Proxy-Authorization", "dXNlcg"),
        ("< set-cookie: session=abc; Path=/", "set-cookie: ", "session=abc"),
        ("Cookie: a=1; b=2", "Cookie: ", "a=1"),
        ("x-api-key: 0123456789", "x-api-key: ", "0123456789"),
        ("X-Amz-Security-Token: FQoGZXIvYXdzE", "X-Amz-Security-Token", "FQoGZXIvYXdzE"),
        ("curl -H 'Authorization: Bearer tok' https://x/", "https://x/", "tok"),
        ("GET /a.mp4?Expires=1&Signature=abc~def&Key-Pair-Id=K2J HTTP/1.1", "Expires=1", "abc~def"),
        (
            "https://b.s3.amazonaws.com/k?X-Amz-Credential=AKIA%2F&X-Amz-Signature=ff00",
            "https://b.s3.amazonaws.com/k?",
            "ff00",
        ),
        ("/x?Policy=eyJTdGF0ZW1lbnQi&amp;Signature=zz", "/x?", "eyJTdGF0ZW1lbnQi"),
        ('{"name": "Authorization", "value": "Bearer t0k"}', '"name": "Authorization"', "t0k"),
        ('{"value": "K-1", "name": "Key-Pair-Id"}', '"name": "Key-Pair-Id"', "K-1"),
        ('{"X-Api-Key": "k3y"}', '"X-Api-Key"', "k3y"),
    ],
)
def test_redact(text: str, kept: str, gone: str) -> None:
    out = redact(text)
    assert kept in out and gone not in out and MASK in out


def test_redact_keeps_ordinary_text() -> None:
    text = "HTTP/1.1 502 Bad Gateway\nServer: CloudFront\nX-Cache: Error from cloudfront\n"
    assert redact(text) == text
    assert redact("") == ""


def _everything(ev: object) -> str:
    return json.dumps(ev.to_dict(), ensure_ascii=False) + json.dumps(  # type: ignore[attr-defined]
        [f.to_dict(lang) for f in ev.findings for lang in ("en", "ja", "zh")],  # type: ignore[attr-defined]
        ensure_ascii=False,
    )


@pytest.mark.parametrize(
    "name",
    [
        "curl-v-apigw-missing-token.txt",
        "curl-v-cf-origin-dns.txt",
        "curl-v-s3-nosuchkey.txt",
        "httpie-v-forbidden.txt",
        "page-load.har",
        "access-log-loop.log",
    ],
)
def test_fixtures_with_secrets_leak_none(fixtures: Path, name: str) -> None:
    raw = (fixtures / name).read_text(errors="replace")
    assert any(s in raw for s in SECRETS), "the fixture should carry a secret"
    dumped = _everything(parse_evidence(fixtures / name))
    for secret in SECRETS:
        assert secret not in dumped


def test_error_messages_are_redacted(tmp_path: Path) -> None:
    with pytest.raises(EvidenceError) as err:
        parse_evidence("https://x/a?Signature=c2lnbmF0dXJl&Key-Pair-Id=K2JCJMDEHXQW5F")
    assert "c2lnbmF0dXJl" not in str(err.value)
    text = "curl: (6) Could not resolve host: h?Signature=c2lnbmF0dXJl\n"
    with pytest.raises(EvidenceError) as err:
        parse_evidence(text, kind="http-transcript")
    assert "c2lnbmF0dXJl" not in str(err.value)


def test_config_values_are_redacted_in_findings(fixtures: Path, tmp_path: Path) -> None:
    data = json.loads((fixtures / "dist-alb-ports.json").read_text())
    data["DefaultCacheBehavior"]["LambdaFunctionAssociations"]["Items"][0]["LambdaFunctionARN"] = (
        "arn:aws:lambda:eu-west-1:1:function:f?Signature=c2lnbmF0dXJl"
    )
    path = tmp_path / "d.json"
    path.write_text(json.dumps(data))
    assert "c2lnbmF0dXJl" not in _everything(parse_evidence(path))
