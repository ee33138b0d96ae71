"""HTTP transcripts (curl -i, curl -v over HTTP/1.1 and HTTP/2, HTTPie, bare bodies) and HAR."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from cfdoctor.evidence import EvidenceError, http_transcript, parse_evidence
from cfdoctor.evidence import har as har_parser
from cfdoctor.evidence.response import PHRASES, Response, response_facts

# Every §17 phrase, as served by the fixture server, and the value it must map to.
PHRASE_FIXTURES = {
    "bad-request": ("bad-request", 403),
    "request-blocked": ("request-blocked", 403),
    "method-not-allowed": ("method-not-allowed", 403),
    "geo-blocked": ("geo-blocked", 403),
    "dns-record-blocked": ("dns-record-blocked", 403),
    "certificate-mismatch": ("certificate-mismatch", 421),
    "could-not-connect": ("could-not-connect", 502),
    "connection-failed-or-closed": ("connection-failed-or-closed", 504),
    "origin-dns": ("origin-dns", 502),
    "failed-to-contact": ("failed-to-contact", 502),
    "lambda-validation-json": ("lambda-validation", 502),
    "lambda-validation-object": ("lambda-validation", 502),
    "lambda-validation-body": ("lambda-validation", 502),
    "function-validation-case": ("function-validation", 502),
    "function-validation-header": ("function-validation", 502),
    "lambda-invalid-or-no-permission": ("lambda-invalid-or-no-permission", 503),
    "lambda-throttled": ("lambda-throttled", 503),
    "function-invalid-or-no-permission": ("function-invalid-or-no-permission", 503),
}


@pytest.mark.parametrize("name", sorted(PHRASE_FIXTURES))
def test_every_cloudfront_phrase(fixtures: Path, name: str) -> None:
    phrase, status = PHRASE_FIXTURES[name]
    ev = parse_evidence(fixtures / f"curl-i-cf-{name}.txt")
    assert ev.kind == "http-transcript"
    assert ev.facts["viewer.status"] == status
    assert ev.facts["viewer.cloudfront_phrase"] == phrase
    assert ev.facts["viewer.error_source"] == "cloudfront"
    assert ev.facts["viewer.x_cache"] == "error-from-cloudfront"
    assert ev.facts["viewer.server"] == "CloudFront"
    assert ev.facts["viewer.cf_pop"] == "NRT57-P2"
    assert ev.facts["viewer.content_type"] == "html"


def test_every_catalogued_phrase_has_a_fixture() -> None:
    assert {v for _, v in PHRASES} == {p for p, _ in PHRASE_FIXTURES.values()}


def test_the_real_cloudfront_403_page_from_the_sources() -> None:
    repo = Path(__file__).resolve().parents[2]
    roots = [repo.parent / "shared" / "sources", Path("/work/shared/sources")]
    text = next((p for r in roots if r.is_dir() for p in r.glob("003_*.txt")), None)
    if text is None:
        pytest.skip("shared sources not present")
    body = text.read_text()
    start = body.index("<!DOCTYPE")
    end = body.index("</HTML>") + len("</HTML>")
    facts = response_facts(Response(body=body[start:end]))
    assert facts["viewer.status"] == 403
    assert facts["viewer.cloudfront_phrase"] == "bad-request"
    assert str(facts["viewer.cf_request_id"]).startswith("vCM1si1")


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        (
            "curl-i-s3-nosuchkey.txt",
            {
                "viewer.status": 404,
                "viewer.error_source": "s3",
                "viewer.s3_error_code": "no-such-key",
                "viewer.s3_error_key": "prod/api/test",
            },
        ),
        (
            "curl-i-s3-denied.txt",
            {
                "viewer.status": 403,
                "viewer.error_source": "s3",
                "viewer.s3_error_code": "access-denied",
            },
        ),
        (
            "curl-i-signed-missing.txt",
            {
                "viewer.status": 403,
                "viewer.error_source": "cloudfront",
                "viewer.signed_url_error": "missing-key",
            },
        ),
        (
            "curl-i-apigw-missing-token.txt",
            {
                "viewer.status": 403,
                "viewer.error_source": "api-gateway",
                "viewer.apigw_message": "missing-authentication-token",
                "viewer.apigw_error_type": "missing-authentication-token",
            },
        ),
        (
            "curl-i-apigw-forbidden.txt",
            {"viewer.apigw_message": "forbidden", "viewer.apigw_error_type": "forbidden"},
        ),
        (
            "curl-i-apigw-internal.txt",
            {
                "viewer.status": 502,
                "viewer.apigw_message": "internal-server-error",
                "viewer.error_source": "api-gateway",
            },
        ),
        (
            "curl-i-elb-502.txt",
            {
                "viewer.status": 502,
                "viewer.error_source": "load-balancer",
                "viewer.server": "awselb/2.0",
            },
        ),
        ("curl-i-waf-captcha.txt", {"viewer.status": 405, "viewer.waf_action": "captcha"}),
        ("curl-i-cf-lambda-x-cache.txt", {"viewer.x_cache": "lambda-validation-error"}),
        ("curl-i-ok.txt", {"viewer.status": 200, "viewer.x_cache": "miss-or-hit"}),
        (
            "curl-v-cf-origin-dns.txt",
            {"viewer.status": 502, "viewer.cloudfront_phrase": "origin-dns"},
        ),
        ("curl-v-no-body.txt", {"viewer.status": 502, "viewer.error_source": "cloudfront"}),
        (
            "curl-v-h2-apigw-missing-token.txt",
            {"viewer.status": 403, "viewer.apigw_message": "missing-authentication-token"},
        ),
        (
            "curl-v-h2-cf-lambda-validation-json.txt",
            {"viewer.cloudfront_phrase": "lambda-validation"},
        ),
        ("curl-v-elb-502.txt", {"viewer.error_source": "load-balancer"}),
        ("httpie-nosuchkey.txt", {"viewer.status": 404, "viewer.s3_error_code": "no-such-key"}),
        ("httpie-v-bad-request.txt", {"viewer.cloudfront_phrase": "bad-request"}),
        ("httpie-v-forbidden.txt", {"viewer.apigw_message": "forbidden"}),
        (
            "curl-body-only.txt",
            {
                "viewer.status": 403,
                "viewer.cloudfront_phrase": "bad-request",
                "viewer.error_source": "cloudfront",
            },
        ),
    ],
)
def test_transcript_facts(fixtures: Path, fixture: str, expected: dict[str, object]) -> None:
    facts = parse_evidence(fixtures / fixture).facts
    assert {k: facts.get(k) for k in expected} == expected


def test_ok_response_has_no_error_source(fixtures: Path) -> None:
    assert "viewer.error_source" not in parse_evidence(fixtures / "curl-i-ok.txt").facts


def test_curl_v_request_line_gives_path_host_and_method(fixtures: Path) -> None:
    ev = parse_evidence(fixtures / "curl-v-api-test.txt")
    assert ev.hints == {
        "path": "/api/test",
        "host": "d111111abcdef8.cloudfront.net",
        "method": "GET",
    }


def test_curl_failure_is_explained(fixtures: Path) -> None:
    with pytest.raises(EvidenceError, match=r"curl failed: \(6\) Could not resolve host"):
        parse_evidence(fixtures / "curl-v-resolve-failure.txt")


def test_redirect_chain_uses_the_last_response() -> None:
    text = (
        "HTTP/1.1 301 Moved Permanently\r\nLocation: https://x/\r\nServer: CloudFront\r\n\r\n"
        "HTTP/2 502\r\nserver: CloudFront\r\nx-cache: Error from cloudfront\r\n\r\n"
    )
    assert http_transcript.parse(text, "t").facts["viewer.status"] == 502


def test_100_continue_is_skipped() -> None:
    text = "HTTP/1.1 100 Continue\n\nHTTP/1.1 403 Forbidden\nServer: AmazonS3\n\n"
    facts = http_transcript.parse(text, "t").facts
    assert facts["viewer.status"] == 403
    assert facts["viewer.error_source"] == "s3"


def test_origin_page_behind_cloudfront_is_other_origin() -> None:
    text = (
        "HTTP/1.1 502 Bad Gateway\nServer: nginx\nX-Cache: Error from cloudfront\n"
        "Via: 1.1 abc.cloudfront.net (CloudFront)\n\n<html><h1>502 Bad Gateway</h1></html>\n"
    )
    assert http_transcript.parse(text, "t").facts["viewer.error_source"] == "other-origin"


def test_origin_answer_without_cloudfront_headers_names_no_source() -> None:
    text = "HTTP/1.1 502 Bad Gateway\nServer: nginx\n\n<html>oops</html>\n"
    assert "viewer.error_source" not in http_transcript.parse(text, "t").facts


# -- HAR ---------------------------------------------------------------------------------------
def test_har_picks_the_failing_cloudfront_entry(fixtures: Path) -> None:
    ev = parse_evidence(fixtures / "page-load.har")
    assert ev.kind == "har"
    assert ev.facts["viewer.status"] == 403
    assert ev.facts["viewer.apigw_message"] == "missing-authentication-token"
    assert ev.hints["path"] == "/apigw/missing-token"
    assert ev.details["entries"] == 3


def test_har_path_selects_an_entry(fixtures: Path) -> None:
    ev = parse_evidence(fixtures / "page-load.har", path="/ok")
    assert ev.facts["viewer.status"] == 200


def _har(entries: list[object]) -> str:
    return json.dumps(
        {"log": {"version": "1.2", "creator": {"name": "t", "version": "1"}, "entries": entries}}
    )


def _entry(status: int, body: str, headers: list[dict[str, str]], **content: str) -> object:
    return {
        "request": {"method": "GET", "url": "https://d.cloudfront.net/a?x=1", "headers": []},
        "response": {
            "status": status,
            "headers": headers,
            "content": {"size": len(body), "mimeType": "text/html", "text": body, **content},
        },
    }


def test_har_base64_body() -> None:
    page = (Path(__file__).parent / "fixtures" / "curl-i-cf-origin-dns.txt").read_text()
    body = page[page.index("<!DOCTYPE") :]
    entry = _entry(
        502,
        base64.b64encode(body.encode()).decode(),
        [{"name": "Server", "value": "CloudFront"}],
        encoding="base64",
    )
    facts = har_parser.parse(_har([entry]), "h").facts
    assert facts["viewer.cloudfront_phrase"] == "origin-dns"


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"log": {}}, "log.entries must be a list"),
        ({"log": {"entries": [1]}}, r"log.entries\[0\] must be an object"),
        ({"log": {"entries": [{"request": {}, "response": {}}]}}, "needs string method and url"),
        ({"log": {"entries": []}}, "has no entries"),
    ],
)
def test_har_field_errors(doc: object, message: str) -> None:
    with pytest.raises(EvidenceError, match=message):
        har_parser.parse(json.dumps(doc), "h.har")


def test_har_entry_without_response() -> None:
    entry = _entry(0, "", [])
    with pytest.raises(EvidenceError, match="got no response"):
        har_parser.parse(_har([entry]), "h.har")


# -- the request: method, scheme, body -----------------------------------------------------------
@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("curl-v-api-test.txt", {"method": "get", "scheme": "http", "has_body": False}),
        ("curl-v-h2-apigw-missing-token.txt", {"method": "get", "scheme": "https"}),
        ("httpie-v-forbidden.txt", {"method": "get", "scheme": None, "has_body": False}),
        ("curl-i-cf-origin-dns.txt", {"method": None, "scheme": None, "has_body": None}),
        ("page-load.har", {"method": "get", "scheme": "https", "has_body": False}),
    ],
)
def test_request_facts(fixtures: Path, fixture: str, expected: dict[str, object]) -> None:
    facts = parse_evidence(fixtures / fixture).facts
    assert {k: facts.get(f"request.{k}") for k in expected} == expected


def test_request_body_from_headers() -> None:
    base = (
        "> {method} /x HTTP/1.1\n> Host: d.cloudfront.net:443\n{extra}>\n< HTTP/1.1 403 Forbidden\n"
    )
    cases = [
        ("POST", "> Content-Length: 12\n", "post", True),
        ("PUT", "> Transfer-Encoding: chunked\n", "put", True),
        ("DELETE", "> Content-Length: 0\n", "delete", False),
        ("OPTIONS", "", "options", False),
    ]
    for method, extra, value, body in cases:
        facts = http_transcript.parse(base.format(method=method, extra=extra), "t").facts
        assert facts["request.method"] == value
        assert facts["request.has_body"] is body
        assert facts["request.scheme"] == "https"  # Host names port 443


def test_har_request_body_and_scheme() -> None:
    entry = _entry(403, "", [{"name": "Server", "value": "CloudFront"}])
    assert isinstance(entry, dict)
    entry["request"].update(
        method="POST",
        url="http://d.cloudfront.net/form",
        postData={"mimeType": "application/json", "text": "{}"},
    )
    facts = har_parser.parse(_har([entry]), "h").facts
    assert (facts["request.method"], facts["request.scheme"]) == ("post", "http")
    assert facts["request.has_body"] is True
