"""Partial and copied artifacts: what people paste when they do not have the whole transcript.

A page copied from the browser ("403 ERROR / The request could not be satisfied."), a lone status
line, DevTools' "Response headers" block, a bare JSON or XML body, a CloudWatch log line of
Lambda@Edge, a cut access-log line, a summary sentence that names `OriginDnsError`: each carries
signals the knowledge base knows. `scan` finds every one of them in plain text and settles the
facts that follow from them (API Gateway's "Missing Authentication Token" is a 403 from API
Gateway; the H1 of CloudFront's page carries the status). `split` cuts a paste of several
artifacts into pieces that the dedicated parsers read one by one.

The scan reads text, not structure, so it settles only what a signal makes certain; anything a
dedicated parser can read is read by that parser first.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from cfdoctor.engine.model import Value
from cfdoctor.evidence import response as rsp
from cfdoctor.evidence.access_log import ERROR_CLASSES
from cfdoctor.evidence.model import Evidence, Kind
from cfdoctor.evidence.redact import redact

MAX_SCAN = 1_000_000
"""Characters of a paste the scan reads; signals sit near the top of anything people paste."""

LOOKED_FOR = (
    "an HTTP status line or 'NNN ERROR' heading, CloudFront's error page or one of its phrases, "
    "response headers (Server, X-Cache, Via, X-Amz-Cf-*, x-amzn-*), an S3 <Code>, an API Gateway "
    "or Lambda function URL message, an x-edge result type such as OriginDnsError, a Lambda@Edge "
    "or CloudFront Functions error log line, openssl verify errors"
)
"""What the scan looks for, for the one line that says why a text was not read."""

REASONS: dict[str, int] = {
    "bad request": 400,
    "unauthorized": 401,
    "forbidden": 403,
    "not found": 404,
    "method not allowed": 405,
    "length required": 411,
    "precondition failed": 412,
    "payload too large": 413,
    "request entity too large": 413,
    "uri too long": 414,
    "request-uri too large": 414,
    "request-uri too long": 414,
    "misdirected request": 421,
    "too many requests": 429,
    "internal server error": 500,
    "bad gateway": 502,
    "service unavailable": 503,
    "gateway timeout": 504,
    "gateway time-out": 504,
}
"""Standard reason phrases: "502 Bad Gateway" said alone is a status."""

RESULT_STATUS: dict[str, int] = {
    "OriginDnsError": 502,
    "OriginConnectError": 502,
    "OriginCommError": 502,
    "OriginInvalidResponseError": 502,
    "OriginHeaderTooBigError": 502,
    "LambdaValidationError": 502,
    "LambdaExecutionError": 503,
    "LambdaLimitExceeded": 503,
    "FunctionExecutionError": 503,
    "FunctionThrottledError": 503,
    "ClientGeoBlocked": 403,
    "CapacityExceeded": 503,
}
"""x-edge-detailed-result-type values whose status is fixed (DG, standard log fields)."""

X_CACHE_VALUE = {v.split(" from ")[0]: k for v, k in rsp.X_CACHE.items()}

_STATUS_LINE = re.compile(r"^\s*(?:[<>]\s*)?HTTP/\d(?:\.\d)?\s+(\d{3})\b", re.MULTILINE)
_STATUS_FIELD = re.compile(
    r"(?:^|\n)\s*(?::status|status(?:\s*code)?)\s*:?\s*[\n\t ]\s*(\d{3})\b", re.IGNORECASE
)
_ERROR_HEADING = re.compile(r"(?:<h1[^>]*>\s*|^\s*)(\d{3})\s+error\b", re.IGNORECASE | re.MULTILINE)
_REASON = re.compile(
    r"\b([1-5]\d\d)\s*[-:]?\s*(" + "|".join(re.escape(r) for r in REASONS) + r")\b", re.IGNORECASE
)
_CODE_TAG = re.compile(r"<Code>\s*([A-Za-z][A-Za-z0-9.]{1,80})\s*</Code>")
_CODE_LINE = re.compile(
    r"^\s*(?:[-*]\s*)?Code\s*[:=]\s*([A-Z][A-Za-z0-9.]{2,80})\s*$", re.MULTILINE
)
_KEY_TAG = re.compile(r"<Key>([^<]{1,1024})</Key>")
_JSON_MESSAGE = re.compile(r'"(?:message|Message)"\s*:\s*"((?:[^"\\]|\\.){0,500})"')
_HEADER_LINE = re.compile(r"^\s*(?:[<>]\s*)?([A-Za-z][A-Za-z0-9-]{1,60})\s*:[ \t]*(\S.{0,500})$")
_RESULT_TYPE = re.compile(r"\b(" + "|".join(sorted(ERROR_CLASSES, key=len, reverse=True)) + r")\b")
_VERIFY = re.compile(r"(?:verify error:num=|Verify return code: )(\d{1,3})\b")
_LAMBDA_URL_FORBIDDEN = "for troubleshooting function url authorization issues"
_LAMBDA_URL_HOST = re.compile(r"\.lambda-url\.[a-z0-9-]+\.on\.aws\b", re.IGNORECASE)
_LAMBDA_EDGE_VALIDATION = re.compile(
    r"(?:lambda (?:function )?(?:result|returned)[^\n]{0,60}(?:failed validation|invalid))"
    r"|validation error",
    re.IGNORECASE,
)
_LAMBDA_TIMEOUT = re.compile(r"Task timed out after [\d.]+ seconds", re.IGNORECASE)
_LAMBDA_EXCEPTION = re.compile(
    r"\"errorType\"|\bRuntime\.\w+|\tERROR\tInvoke Error|\bERROR\s+Invoke Error|"
    r"Unhandled Promise Rejection|Traceback \(most recent call last\)",
    re.IGNORECASE,
)
_LAMBDA_EDGE = re.compile(
    r"lambda@edge|/aws/lambda/us-east-1\.|/aws/cloudfront/lambdaedge|us-east-1\.[\w-]+\s", re.I
)
_CF_FUNCTION_ERROR = re.compile(
    r"functionexecutionerror|/aws/cloudfront/function/|cloudfront function[^\n]{0,60}"
    r"(?:error|exception|failed)",
    re.IGNORECASE,
)
_THROTTLED = re.compile(r"rate exceeded|throttl", re.IGNORECASE)
_TRIMMED_LOG = re.compile(r"^\d{4}-\d{2}-\d{2}\s+\d{2}:\d{2}:\d{2}\s+\S+", re.MULTILINE)

KNOWN_HEADERS = (
    "server",
    "x-cache",
    "via",
    "x-amz-cf-pop",
    "x-amz-cf-id",
    "content-type",
    "x-amzn-errortype",
    "x-amz-apigw-id",
    "x-amzn-requestid",
    "x-amzn-waf-action",
    "x-amz-request-id",
    "x-amz-id-2",
    "x-amz-error-code",
    "x-amz-error-message",
)
"""Response headers the scan picks out of a paste, as `Name: value` or DevTools' two lines."""


@dataclass
class Scan:
    """What the scan found: facts, and the signals behind them (for display)."""

    facts: dict[str, Value] = field(default_factory=dict)
    signals: list[str] = field(default_factory=list)

    def settle(self, name: str, value: Value, signal: str) -> None:
        """First signal wins: the scan reads from the most specific signal to the least."""
        if name not in self.facts:
            self.facts[name] = value
        if signal not in self.signals:
            self.signals.append(signal)


def _headers(text: str) -> list[tuple[str, str]]:
    """Known response headers, in `Name: value` form or DevTools' name line then value line."""
    out: list[tuple[str, str]] = []
    lines = text.splitlines()[:2000]
    for i, line in enumerate(lines):
        m = _HEADER_LINE.match(line)
        name = m.group(1).lower() if m else line.strip().rstrip(":").lower()
        if name not in KNOWN_HEADERS:
            continue
        if m:
            out.append((name, m.group(2).strip()))
        elif i + 1 < len(lines) and lines[i + 1].strip() and ":" not in lines[i + 1][:30]:
            out.append((name, lines[i + 1].strip()))
    return out


def _status(text: str, page_text: str) -> tuple[int | None, str]:
    for regex, what in (
        (_STATUS_LINE, "status line"),
        (_STATUS_FIELD, "status field"),
        (_ERROR_HEADING, "error page heading"),
    ):
        m = regex.search(text)
        if m:
            return int(m.group(1)), what
    m = _REASON.search(page_text)
    if m and REASONS[m.group(2).lower()] == int(m.group(1)):
        return int(m.group(1)), "status and reason phrase"
    return None, ""


def _json_messages(text: str) -> list[str]:
    """message / Message values of JSON bodies, also when pretty-printed or inside other keys."""
    found = [json.loads(f'"{m}"') if "\\" in m else m for m in _JSON_MESSAGE.findall(text)]
    return [m for m in found if isinstance(m, str)]


def scan(text: str) -> Scan:
    """Every known signal in `text`, and the facts they settle."""
    raw = text[:MAX_SCAN]
    page = rsp.normalise_text(raw)
    out = Scan()
    headers = _headers(raw)
    resp = rsp.Response(headers=headers, body=raw)
    status, how = _status(raw, page)
    cf_page = "the request could not be satisfied" in page or "generated by cloudfront" in page
    phrase = rsp.cloudfront_phrase(page)
    if cf_page or phrase not in ("other", "bad-request", "request-blocked"):
        out.settle("viewer.error_source", "cloudfront", "CloudFront error page")
        out.settle("viewer.cloudfront_phrase", phrase, "CloudFront error page phrase")
        m = re.search(r"request id:\s*([A-Za-z0-9_=-]{20,80})", raw, re.IGNORECASE)
        if m:
            out.settle("viewer.cf_request_id", m.group(1), "Request ID")
        if status is None and phrase in rsp.PHRASE_STATUS:
            status, how = rsp.PHRASE_STATUS[phrase], "CloudFront error page phrase"
    facts = rsp.response_facts(rsp.Response(status=status, headers=headers, body=raw))
    for name, value in facts.items():
        if name == "viewer.error_source" and value == "other-origin":
            continue  # the raw paste is not one body: "another origin" would be a guess
        out.settle(name, value, f"{name} from the response")
    if status is not None:
        out.settle("viewer.status", status, how)

    _s3(raw, out)
    _apigw(raw, resp, out)
    _edge_results(raw, out)
    _edge_logs(raw, page, out)
    verify = _VERIFY.findall(raw)
    if verify:
        out.settle("origin.tls.verify_code", int(verify[-1]), "openssl verify code")
    for value in (h for n, h in headers if n == "x-cache"):
        key = value.split(",")[0].strip().lower()
        out.settle("viewer.x_cache", rsp.X_CACHE.get(key, "other"), "X-Cache header")
    if "viewer.x_cache" not in out.facts:
        m = re.search(r"\b(\w+) from cloudfront\b", raw, re.IGNORECASE)
        if m and m.group(0).lower() in rsp.X_CACHE:
            out.settle("viewer.x_cache", rsp.X_CACHE[m.group(0).lower()], "X-Cache value")
    if any(n == "server" and v.lower().startswith("awselb") for n, v in headers) or re.search(
        r"\bawselb/\d", raw, re.IGNORECASE
    ):
        out.settle("viewer.error_source", "load-balancer", "awselb")
    _implied_status(out)
    return out


def _s3(raw: str, out: Scan) -> None:
    codes = _CODE_TAG.findall(raw) or _CODE_LINE.findall(raw)
    if not codes:
        return
    code = codes[0]
    if (
        code in rsp.SIGNED_URL_CODES
        and ("key-pair-id" in raw.lower() or "signature" in raw.lower() or "policy" in raw.lower())
        and "AmazonS3" not in raw
        and "<HostId>" not in raw
        and code != "AccessDenied"
    ):
        out.settle("viewer.error_source", "cloudfront", "signed URL error code")
        out.settle("viewer.signed_url_error", rsp.SIGNED_URL_CODES[code], f"<Code>{code}")
        out.settle("viewer.status", 403, f"<Code>{code}")
        return
    out.settle("viewer.error_source", "s3", f"S3 <Code>{code}")
    out.settle("viewer.s3_error_code", rsp.S3_CODES.get(code, "other"), f"S3 <Code>{code}")
    if code in rsp.S3_STATUS:
        out.settle("viewer.status", rsp.S3_STATUS[code], f"S3 <Code>{code}")
    key = _KEY_TAG.search(raw)
    if key:
        out.settle("viewer.s3_error_key", redact(html.unescape(key.group(1)))[:200], "<Key>")
    if code.startswith("KMS.") or ("kms" in raw.lower() and code == "AccessDenied"):
        out.settle("s3.object_sse_kms", True, "KMS in the S3 error")


def _apigw(raw: str, resp: rsp.Response, out: Scan) -> None:
    low = raw.lower()
    if _LAMBDA_URL_FORBIDDEN in low or _LAMBDA_URL_HOST.search(raw):
        out.settle("lambda_url.is_origin", True, "Lambda function URL")
        if _LAMBDA_URL_FORBIDDEN in low:
            out.settle("viewer.status", 403, "Lambda function URL authorization message")
            out.settle("viewer.error_source", "other-origin", "Lambda function URL")
    apigw_headers = bool(resp.header("x-amzn-errortype") or resp.header("x-amz-apigw-id"))
    for message in _json_messages(raw):
        value = rsp.APIGW_MESSAGES.get(message.strip().lower())
        if value is None and not apigw_headers:
            continue
        value = value or "other"
        out.settle("viewer.error_source", "api-gateway", f'API Gateway message "{message[:60]}"')
        out.settle("viewer.apigw_message", value, f'API Gateway message "{message[:60]}"')
        if value in rsp.APIGW_STATUS:
            out.settle("viewer.status", rsp.APIGW_STATUS[value], f'API Gateway "{message[:60]}"')
        return
    m = re.search(r"missing authentication token", low)
    if m:
        out.settle("viewer.error_source", "api-gateway", "Missing Authentication Token")
        out.settle("viewer.apigw_message", "missing-authentication-token", "API Gateway message")
        out.settle("viewer.status", 403, "Missing Authentication Token")
    for name, value in rsp.APIGW_ERROR_TYPES.items():
        if name in raw:
            out.settle("viewer.apigw_error_type", value, name)
            out.settle("viewer.error_source", "api-gateway", name)
            break


def _edge_results(raw: str, out: Scan) -> None:
    """x-edge-(detailed-)result-type values, from a log line, a header or a sentence."""
    found = [m for m in _RESULT_TYPE.findall(raw) if m not in ("Error", "InvalidRequest")]
    if not found:
        return
    first = found[0]
    out.settle("edge_log.dominant_error", ERROR_CLASSES[first], f"result type {first}")
    if first in RESULT_STATUS and "viewer.status" not in out.facts:
        out.settle("viewer.status", RESULT_STATUS[first], f"result type {first}")
    value = rsp.X_CACHE.get(f"{first.lower()} from cloudfront")
    if value and first != "Error":
        out.settle("viewer.x_cache", value, f"result type {first}")


def _edge_logs(raw: str, page: str, out: Scan) -> None:
    """CloudWatch lines of Lambda@Edge and CloudFront Functions."""
    lambda_edge = bool(_LAMBDA_EDGE.search(raw))
    page_only = "the request could not be satisfied" in page
    if (lambda_edge or not page_only) and _LAMBDA_EDGE_VALIDATION.search(raw):
        out.settle("lambda_edge.validation_error_logged", True, "Lambda@Edge validation error log")
    if _LAMBDA_TIMEOUT.search(raw):
        out.settle("lambda_edge.function_log", "timeout", "Lambda 'Task timed out'")
    elif _LAMBDA_EXCEPTION.search(raw) and (lambda_edge or "lambda" in page) and not page_only:
        out.settle("lambda_edge.function_log", "exception", "Lambda error log line")
    if lambda_edge and _THROTTLED.search(raw):
        out.settle("lambda_edge.throttled", True, "Lambda throttling")
    if _CF_FUNCTION_ERROR.search(raw):
        out.settle("cf_function.execution_errors", True, "CloudFront Functions error")


def _implied_status(out: Scan) -> None:
    """The status that follows from the other facts the scan settled."""
    if "viewer.status" not in out.facts:
        status = rsp.implied_status(out.facts)
        if status is not None:
            out.settle("viewer.status", status, "implied by the error body")


def has_signal(text: str) -> bool:
    return bool(scan(text).facts)


def read(text: str, label: str) -> Evidence:
    """The `text` kind: facts the scan settles in a paste no dedicated parser reads whole."""
    found = scan(text)
    return Evidence(
        "text", label, found.facts, details={"signals": found.signals[:20], "scanned": "text"}
    )


# -- mixed pastes ------------------------------------------------------------------------------
_BLOCK = re.compile(r"\n[ \t]*\n")


def split(text: str, detect: Callable[[str], Kind | None]) -> list[tuple[Kind, str]]:
    """A paste of several artifacts, cut into (kind, text) pieces at blank lines.

    Consecutive blocks of one kind stay together (curl's headers and body; openssl's sections);
    blocks no parser claims, or that only the scan reads, belong to the artifact around them.
    A paste of one artifact comes back as one piece.
    """
    blocks = [b for b in _BLOCK.split(text[:MAX_SCAN]) if b.strip()]
    pieces: list[tuple[Kind | None, list[str]]] = []
    pending: list[str] = []
    for block in blocks:
        kind = detect(block)
        if kind in (None, "text"):
            if pieces:
                pieces[-1][1].append(block)
            else:
                pending.append(block)
            continue
        if pieces and pieces[-1][0] == kind:
            pieces[-1][1].append(block)
        else:
            pieces.append((kind, [*pending, block]))
            pending = []
    if len(pieces) < 2:
        return []
    return [(k, "\n\n".join(parts)) for k, parts in pieces if k is not None]
