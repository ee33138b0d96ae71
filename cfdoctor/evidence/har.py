"""HAR 1.2 files exported from a browser's network panel, read field by field.

A page load holds dozens of entries; the one diagnosed is the entry for the given path if any,
else the first failing entry that went through CloudFront, else the first failing entry, else
the first entry. Bodies may be base64 (content.encoding), as the HAR 1.2 spec allows.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any
from urllib.parse import urlsplit

from cfdoctor.engine.model import Value
from cfdoctor.evidence.http_transcript import request_facts
from cfdoctor.evidence.model import Evidence, EvidenceError
from cfdoctor.evidence.redact import redact
from cfdoctor.evidence.response import Response, cloudfront_involved, response_facts

Facts = dict[str, Value]


def _fail(label: str, what: str) -> EvidenceError:
    return EvidenceError(redact(f"{label}: not a valid HAR 1.2 file: {what}"))


def _obj(value: Any, where: str, label: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(label, f"{where} must be an object")
    return value


def _headers(value: Any, where: str, label: str) -> list[tuple[str, str]]:
    if not isinstance(value, list):
        raise _fail(label, f"{where} must be a list of {{name, value}} objects")
    out: list[tuple[str, str]] = []
    for i, item in enumerate(value):
        h = _obj(item, f"{where}[{i}]", label)
        name, val = h.get("name"), h.get("value")
        if not isinstance(name, str) or not isinstance(val, str):
            raise _fail(label, f"{where}[{i}] needs string name and value")
        out.append((name, val))
    return out


def _body(content: dict[str, Any], where: str, label: str) -> str:
    text = content.get("text", "")
    if not isinstance(text, str):
        raise _fail(label, f"{where}.text must be a string")
    if content.get("encoding") == "base64":
        try:
            return base64.b64decode(text, validate=False).decode("utf-8", "replace")
        except (binascii.Error, ValueError):
            raise _fail(label, f"{where}.text is not valid base64") from None
    return text


def entries(data: Any, label: str) -> list[dict[str, Any]]:
    log = _obj(_obj(data, "the document", label).get("log"), "log", label)
    items = log.get("entries")
    if not isinstance(items, list):
        raise _fail(label, "log.entries must be a list")
    return [_obj(e, f"log.entries[{i}]", label) for i, e in enumerate(items)]


def _request_facts(req: dict[str, Any], method: str, url: str, where: str, label: str) -> Facts:
    """request.* facts: a HAR records the whole request, so whether it had a body is known."""
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        scheme = ""
    facts = request_facts(
        method, scheme, _headers(req.get("headers", []), f"{where}.headers", label)
    )
    post = req.get("postData")
    size = req.get("bodySize")
    posted = isinstance(post, dict) and bool(post.get("text") or post.get("params"))
    sized = isinstance(size, int) and not isinstance(size, bool) and size > 0
    if posted or sized:
        facts["request.has_body"] = True
    return facts


def _entry(e: dict[str, Any], i: int, label: str) -> tuple[str, str, Response, Facts]:
    where = f"log.entries[{i}]"
    req = _obj(e.get("request"), f"{where}.request", label)
    res = _obj(e.get("response"), f"{where}.response", label)
    method, url, status = req.get("method"), req.get("url"), res.get("status")
    if not isinstance(method, str) or not isinstance(url, str):
        raise _fail(label, f"{where}.request needs string method and url")
    if not isinstance(status, int) or isinstance(status, bool):
        raise _fail(label, f"{where}.response.status must be a number")
    headers = _headers(res.get("headers", []), f"{where}.response.headers", label)
    content = _obj(res.get("content", {}), f"{where}.response.content", label)
    asked = _request_facts(req, method, url, f"{where}.request", label)
    # Browsers record status 0 for requests that got no response (blocked, aborted).
    body = _body(content, f"{where}.content", label)
    return method, url, Response(status or None, headers, body), asked


def _path(url: str) -> str:
    try:
        return urlsplit(url).path or "/"
    except ValueError:
        return "/"


def parse(text: str, label: str, *, path: str | None = None) -> Evidence:
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise _fail(label, f"JSON error: {exc}") from None
    parsed = [_entry(e, i, label) for i, e in enumerate(entries(data, label))]
    if not parsed:
        raise EvidenceError(f"{label}: the HAR file has no entries (record the page load again)")

    def failing(r: Response) -> bool:
        return r.status is not None and r.status >= 400

    candidates = [p for p in parsed if path is not None and _path(p[1]) == path]
    candidates = candidates or [p for p in parsed if failing(p[2]) and cloudfront_involved(p[2])]
    candidates = candidates or [p for p in parsed if failing(p[2])]
    method, url, resp, asked = (candidates or parsed)[0]
    if resp.status is None:
        raise EvidenceError(redact(f"{label}: the chosen entry {url} got no response (status 0)"))
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        host = ""
    hints = {"path": redact(_path(url)), "method": method}
    if host:
        hints["host"] = redact(host)
    details = {
        "entries": len(parsed),
        "chosen": redact(url)[:500],
        "failing": sum(1 for p in parsed if failing(p[2])),
    }
    facts = {**response_facts(resp), **asked}
    return Evidence("har", label, facts, hints=hints, details=details)
