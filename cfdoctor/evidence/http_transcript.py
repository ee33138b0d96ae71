"""HTTP transcripts as people paste them: `curl -i`, `curl -v` (HTTP/1.1 and HTTP/2), HTTPie, or
only the body curl printed.

The last final response (not 1xx) is the one diagnosed: with `curl -L` the earlier ones are
redirects. The request line and Host header, when shown, become hints (path, host) so that a
distribution config pasted beside the transcript is read for the behavior that served the path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from cfdoctor.engine.model import Value
from cfdoctor.evidence.model import Evidence, EvidenceError
from cfdoctor.evidence.redact import MASK, is_secret_header, redact
from cfdoctor.evidence.response import (
    Response,
    apigw_message,
    is_cloudfront_page,
    is_load_balancer_page,
    response_facts,
    s3_error,
)

STATUS_LINE = re.compile(r"^HTTP/(\d(?:\.\d)?)\s+(\d{3})(?:\s.*)?$")
REQUEST_LINE = re.compile(
    r"^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS|CONNECT|TRACE)\s+(\S+)\s+HTTP/\d(?:\.\d)?\s*$"
)
_URL = re.compile(r"https?://[^\s'\"<>]+")
_CURL_ERROR = re.compile(r"^curl: \((\d+)\) (.{0,200})", re.MULTILINE)
_INFO_PREFIXES = ("* ", "{ [", "} [")
_TLS_NOTE = re.compile(
    r"^\* (?:SSL connection using|TLSv1|ALPN: server accepted|Server certificate:)"
)
METHODS = frozenset({"get", "head", "options", "post", "put", "patch", "delete"})
"""request.method values; CONNECT and TRACE never reach a cache behavior."""


@dataclass
class Exchange:
    method: str | None = None
    target: str | None = None
    host: str | None = None
    request_headers: list[tuple[str, str]] = field(default_factory=list)
    responses: list[Response] = field(default_factory=list)
    url: str | None = None
    tls: bool | None = None
    """curl -v's connection notes: True after a TLS handshake, False for a plain connection."""


def _request_line(ex: Exchange, line: str) -> bool:
    m = REQUEST_LINE.match(line.strip())
    if not m:
        return False
    ex.method, ex.target = m.group(1), m.group(2)
    return True


def _request_header(ex: Exchange, line: str) -> None:
    name, sep, value = line.partition(":")
    if sep and name.strip() and " " not in name.strip():
        ex.request_headers.append((name.strip(), value.strip()))
        if name.strip().lower() == "host":
            ex.host = value.strip()


def scan(text: str) -> Exchange:
    """Split a transcript into the request seen and the responses received, in order."""
    ex = Exchange()
    current: Response | None = None
    mode = "none"  # "headers" (raw style), "body", "request", "none"
    orphan: list[str] = []
    meta: list[str] = []
    for raw in text.splitlines():
        line = raw.rstrip("\r")
        if line.startswith((">", "<")) and (len(line) == 1 or line[1] == " "):
            content = line[2:] if len(line) > 1 else ""
            if line[0] == ">":
                if not _request_line(ex, content):
                    _request_header(ex, content)
                continue
            m = STATUS_LINE.match(content.strip())
            if m:
                current = Response(status=int(m.group(2)))
                ex.responses.append(current)
                mode = "vheaders"
            elif current is not None and content.strip() == "":
                mode = "body"
            elif current is not None:
                name, sep, value = content.partition(":")
                if sep and name.strip():
                    current.headers.append((name.strip(), value.strip()))
            continue
        if line.startswith(_INFO_PREFIXES) or line == "*":
            meta.append(line)
            continue
        m = STATUS_LINE.match(line.strip())
        if m and mode != "vheaders":
            # A status line also ends the previous body: `curl -i -L` prints one per hop.
            current = Response(status=int(m.group(2)))
            ex.responses.append(current)
            mode = "headers"
            continue
        if mode in ("none", "request") and _request_line(ex, line):
            mode = "request"
            continue
        if mode == "request":
            if line.strip() == "":
                mode = "none"
            else:
                _request_header(ex, line)
            continue
        if mode == "headers" and current is not None:
            if line.strip() == "":
                mode = "body"
                continue
            name, sep, value = line.partition(":")
            if sep and name.strip() and " " not in name.strip():
                current.headers.append((name.strip(), value.strip()))
                continue
            mode = "body"
        if mode in ("body", "vheaders") and current is not None:
            current.body += line + "\n"
            mode = "body"
        elif mode == "none":
            orphan.append(line)
    if not ex.responses:
        body = _strip_prompt(orphan)
        if body.strip():
            ex.responses.append(Response(body=body))
    m_url = _URL.search("\n".join(orphan[:5] + meta))
    ex.url = m_url.group(0) if m_url else None
    if any(_TLS_NOTE.match(line) for line in meta):
        ex.tls = True
    elif any(line.startswith("* Connected to ") for line in meta):
        ex.tls = False
    return ex


def _strip_prompt(lines: list[str]) -> str:
    """Body-only pastes often start with the shell prompt and the curl command: drop those."""
    start = 0
    for i, line in enumerate(lines[:5]):
        if re.search(r"(^|\s)(curl|http|https)\s", line) and (
            "$ " in line or line.startswith("curl")
        ):
            start = i + 1
    return "\n".join(lines[start:]).strip("\n")


def looks_like_body(body: str) -> bool:
    """A bare body that identifies itself: CloudFront's page, S3 XML, API Gateway JSON, ELB page."""
    return (
        is_cloudfront_page(body)
        or s3_error(body) is not None
        or apigw_message(body) is not None
        or is_load_balancer_page(Response(body=body))
    )


def final_response(ex: Exchange) -> Response | None:
    finals = [r for r in ex.responses if r.status is None or r.status >= 200]
    return finals[-1] if finals else None


def request_facts(
    method: str | None, scheme: str | None, headers: list[tuple[str, str]] | None
) -> dict[str, Value]:
    """request.* facts from what a transcript or HAR shows of the request.

    `headers` is None when the request's headers are not shown: whether it had a body is then
    unknown. Shared with the HAR parser so that both read a request the same way.
    """
    facts: dict[str, Value] = {}
    if method and method.lower() in METHODS:
        facts["request.method"] = method.lower()
    if scheme in ("http", "https"):
        facts["request.scheme"] = scheme
    if headers is not None:
        request = Response(headers=headers)
        length = (request.header("content-length") or "").split(",")[0].strip()
        chunked = "chunked" in (request.header("transfer-encoding") or "").lower()
        facts["request.has_body"] = chunked or (length.isdigit() and int(length) > 0)
    return facts


def _scheme(ex: Exchange, target: str | None) -> str | None:
    """From an absolute URL, else from curl -v's TLS notes, else from an explicit Host port."""
    for url in (target, ex.url):
        if url and "://" in url:
            scheme = url.split("://", 1)[0].lower()
            if scheme in ("http", "https"):
                return scheme
    if ex.tls is not None:
        return "https" if ex.tls else "http"
    port = (ex.host or "").rpartition(":")[2] if ":" in (ex.host or "") else ""
    return {"443": "https", "80": "http"}.get(port)


def parse(text: str, label: str) -> Evidence:
    ex = scan(text)
    resp = final_response(ex)
    if resp is None or (resp.status is None and not looks_like_body(resp.body)):
        err = _CURL_ERROR.search(text)
        why = f"curl failed: ({err.group(1)}) {err.group(2).strip()}" if err else "no response"
        raise EvidenceError(
            redact(
                f"{label}: the transcript has no HTTP status line or recognisable error body "
                f"({why}); paste the output of `curl -i URL` or `curl -v URL`"
            )
        )
    facts = response_facts(resp)
    shown = ex.method is not None  # the request line, and the request headers under it
    facts.update(
        request_facts(ex.method, _scheme(ex, ex.target), ex.request_headers if shown else None)
    )
    hints: dict[str, str] = {}
    target = ex.target
    host = ex.host
    if ex.url:
        parts = urlsplit(ex.url)
        host = host or parts.hostname
        target = target or (parts.path or "/")
    if target:
        path = urlsplit(target).path if "://" in target else target.split("?", 1)[0]
        hints["path"] = redact(path or "/")
    if host:
        hints["host"] = redact(host.split(":")[0].lower())
    if ex.method:
        hints["method"] = ex.method
    details = {
        "responses": [r.status for r in ex.responses],
        "headers": {
            k.lower(): MASK if is_secret_header(k) else redact(v)[:200] for k, v in resp.headers
        },
    }
    return Evidence("http-transcript", label, facts, hints=hints, details=details)
