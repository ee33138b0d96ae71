"""Request the failing URL as a viewer and read the response as evidence.

`cfdoctor diagnose URL` does what people are told to do first (`curl -i URL`) and reads the
answer with the same code as a pasted transcript. The request is bounded (a deadline for the
whole exchange, a cap on the body read), follows no redirect (the first answer is the one that
tells), and what is kept of it is redacted: secrets in the URL, the headers sent and received,
and the body excerpt never reach a fact, a message or a session file.
"""

from __future__ import annotations

import http.client
import ssl
import time
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from cfdoctor.evidence.http_transcript import METHODS, request_facts
from cfdoctor.evidence.model import Evidence, EvidenceError
from cfdoctor.evidence.redact import MASK, is_secret_header, redact
from cfdoctor.evidence.response import Response, response_facts

MAX_BODY = 256 * 1024
"""Bytes of the body read: an error page is small; a large body is cut, not waited for."""

MAX_HEADERS = 100
DEFAULT_TIMEOUT = 15.0
USER_AGENT = "cfdoctor (viewer request)"


@dataclass(frozen=True)
class ViewerRequest:
    """The request a viewer makes: method, extra headers, an optional body, and its bounds."""

    url: str
    method: str = "GET"
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes | None = None
    timeout: float = DEFAULT_TIMEOUT
    max_body: int = MAX_BODY
    ca_bundle: str | None = None

    def check(self) -> None:
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise EvidenceError(redact(f"{self.url}: not an http:// or https:// URL"))
        if self.method.lower() not in METHODS:
            raise EvidenceError(f"method {self.method!r}: expected one of {sorted(METHODS)}")
        for name, value in self.headers:
            if not name or any(c in name + value for c in "\r\n\0") or ":" in name:
                raise EvidenceError(redact(f"header {name!r}: not a valid header"))
        if not 0 < self.timeout <= 300:
            raise EvidenceError(f"timeout {self.timeout}: expected 0 < seconds <= 300")


def parse_headers(values: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """`Name: value` options (as curl's -H takes them) as pairs; EvidenceError when malformed."""
    out = []
    for raw in values:
        name, sep, value = raw.partition(":")
        if not sep or not name.strip() or " " in name.strip():
            raise EvidenceError(redact(f"header {raw!r}: expected 'Name: value'"))
        out.append((name.strip(), value.strip()))
    return tuple(out)


def _connection(req: ViewerRequest) -> http.client.HTTPConnection:
    parts = urlsplit(req.url)
    host = parts.hostname or ""
    if parts.scheme == "https":
        context = ssl.create_default_context(cafile=req.ca_bundle)
        return http.client.HTTPSConnection(host, parts.port, timeout=req.timeout, context=context)
    return http.client.HTTPConnection(host, parts.port, timeout=req.timeout)


def _read_body(resp: http.client.HTTPResponse, limit: int, deadline: float) -> tuple[bytes, bool]:
    """Up to `limit` bytes before the deadline; (body, whether it was cut)."""
    chunks: list[bytes] = []
    size = 0
    while size < limit:
        if time.monotonic() > deadline:
            return b"".join(chunks), True
        chunk = resp.read1(min(65536, limit - size)) if hasattr(resp, "read1") else b""
        if not chunk:
            return b"".join(chunks), False
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks), True


def fetch(req: ViewerRequest) -> Evidence:
    """Make the request and read the response as an HTTP transcript would be read."""
    req.check()
    parts = urlsplit(req.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    sent = [("User-Agent", USER_AGENT), *req.headers]
    if req.body is not None:
        sent.append(("Content-Length", str(len(req.body))))
    deadline = time.monotonic() + req.timeout
    conn = _connection(req)
    label = redact(req.url)
    try:
        conn.putrequest(req.method.upper(), target, skip_accept_encoding=True)
        for name, value in sent:
            conn.putheader(name, value)
        conn.endheaders(req.body)
        resp = conn.getresponse()
        headers = [(k, v) for k, v in resp.getheaders()[:MAX_HEADERS]]
        body, cut = _read_body(resp, req.max_body, deadline)
    except TimeoutError:
        raise EvidenceError(f"{label}: no answer within {req.timeout:g} s") from None
    except ssl.SSLError as exc:
        raise EvidenceError(redact(f"{label}: TLS failed: {exc.reason or exc}")) from None
    except (OSError, http.client.HTTPException) as exc:
        raise EvidenceError(redact(f"{label}: request failed: {exc}")) from None
    finally:
        conn.close()
    charset = resp.headers.get_content_charset() or "utf-8"
    text = body.decode(charset, "replace")
    response = Response(status=resp.status, headers=headers, body=text)
    facts = response_facts(response)
    facts.update(request_facts(req.method, parts.scheme, sent))
    hints = {"path": redact(parts.path or "/"), "host": redact((parts.hostname or "").lower())}
    hints["method"] = req.method.upper()
    details = {
        "url": label,
        "status": resp.status,
        "headers": {
            k.lower(): MASK if is_secret_header(k) else redact(v)[:200] for k, v in headers
        },
        "body_excerpt": redact(text[:2000]),
        "body_bytes_read": len(body),
        "body_cut": cut,
        "sent": {k: MASK if is_secret_header(k) else redact(v)[:200] for k, v in sent},
    }
    return Evidence("http-transcript", label, facts, hints=hints, details=details)
