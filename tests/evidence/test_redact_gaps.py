"""Secrets that used to survive redaction (issue 13, item 12)."""

from __future__ import annotations

import pytest

from cfdoctor.evidence.redact import MASK, redact


@pytest.mark.parametrize(
    ("text", "secret", "kept"),
    [
        (
            "Referer: https://d1.cloudfront.net/a%3FSignature%3DSECRETsig%26Key-Pair-Id%3DKSECRET",
            "SECRETsig",
            "https://d1.cloudfront.net/a",
        ),
        (
            "Location: /x?next=%2Fa%253FSignature%253DSECRETsig%2526Policy%253DSECRETpol",
            "SECRETpol",
            "/x?next=",
        ),
        ("GET https://alice:SECRETpw@origin.example.com/x", "SECRETpw", "origin.example.com/x"),
        ("proxy ftp://bob:SECRETpw@10.0.0.1:21/", "SECRETpw", "10.0.0.1:21/"),
        ('Authorization: "Bearer SECRETtok"', "SECRETtok", "Authorization"),
        ('Cookie: session="SECRETcookie"; theme=dark', "SECRETcookie", "Cookie"),
        ('Set-Cookie: id="SECRETset"; Path=/; Secure', "SECRETset", "Set-Cookie"),
        (
            'Authorization: Digest username="alice", realm="r", response="SECRETdigest"',
            "SECRETdigest",
            "Authorization: ",
        ),
        ('Authorization: Digest response="SECRETdigest", nc=1', "SECRETdigest", "Authorization"),
    ],
)
def test_secret_is_masked(text: str, secret: str, kept: str) -> None:
    out = redact(text)
    assert secret not in out, out
    assert kept in out and MASK in out, out


def test_ordinary_urls_and_headers_are_unchanged() -> None:
    for text in (
        "https://origin.example.com:8443/a?b=c&d=e",
        "Server: CloudFront",
        'Via: 1.1 abc.cloudfront.net (CloudFront), X-Note: "quoted"',
        "mailto:someone@example.com",
        "ssh git@github.com",
        "https://example.com/a%3Fb%3Dc",
    ):
        assert redact(text) == text


def test_a_quoted_curl_header_masks_only_its_own_value() -> None:
    out = redact("curl -H 'Authorization: Bearer SECRET' -H 'X-Keep: yes' https://a.example/p")
    assert "SECRET" not in out and "X-Keep: yes" in out and "https://a.example/p" in out, out
