"""Which kind of artifact a text is, from markers the tools themselves print.

Detection prefers "not recognised" to a guess: every kind needs a marker that only its tool
prints (dig's `<<>> DiG` banner, s_client's `CONNECTED(` or `Verify return code:`, a status line
`HTTP/1.1 502`, the #Fields header of a CloudFront log, the JSON shapes of HAR and the AWS CLI).
"""

from __future__ import annotations

import json
import re
from typing import Any

from cfdoctor.evidence import distribution, fragments, iac
from cfdoctor.evidence.access_log import iter_lines
from cfdoctor.evidence.http_transcript import STATUS_LINE, _strip_prompt, looks_like_body
from cfdoctor.evidence.model import Kind

_HTTP_STATUS = re.compile(r"^(?:< )?HTTP/\d(?:\.\d)?\s+\d{3}\b", re.MULTILINE)
_CURL_FAILURE = re.compile(r"^curl: \(\d+\) ", re.MULTILINE)
_NSLOOKUP = re.compile(r"^Server:\s+\S+\s*$", re.MULTILINE)
_LOG_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LOG_TIME = re.compile(r"^\d{2}:\d{2}:\d{2}$")
_OPENSSL = (
    "CONNECTED(",
    "Verify return code:",
    "SSL handshake has read",
    "no peer certificate available",
    "connect:errno=",
)
_SHORT = re.compile(
    r"^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-fA-F]*:[0-9a-fA-F:.]+|(?:[A-Za-z0-9_-]+\.)+)$"
)


def _json_kind(data: Any) -> Kind | None:
    if not isinstance(data, dict):
        return None
    log = data.get("log")
    if isinstance(log, dict) and isinstance(log.get("entries"), list):
        return "har"
    if distribution.is_config(data):
        return "distribution-config"
    if set(data) & {
        "CachePolicy",
        "OriginRequestPolicy",
        "CachePolicyList",
        "OriginRequestPolicyList",
    }:
        return "cloudfront-policy"
    if distribution.is_routes(data):
        return "apigw-routes"
    return None


def _is_access_log(text: str) -> bool:
    if "#Fields:" in text[:4096] and "x-edge-location" in text[:4096]:
        return True
    rows = [ln.split("\t") for ln in list(iter_lines(text[:65536]))[:5]]
    return bool(rows) and all(
        len(r) >= 26 and _LOG_DATE.match(r[0]) and _LOG_TIME.match(r[1]) and r[8].isdigit()
        for r in rows
    )


def _is_dig_short(text: str) -> bool:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return (
        0 < len(lines) <= 64
        and all(_SHORT.match(ln) for ln in lines)
        and any(re.match(r"^[0-9a-fA-F:.]+$", ln) and any(c in ln for c in ".:") for ln in lines)
    )


def detect(text: str) -> Kind | None:
    """The artifact kind, or None when the text is none of the kinds cfdoctor reads.

    `text` is the last resort: no tool's marker, but a signal the scan knows (a copied error
    page, a status line, a bare body, a log line or a sentence naming a result type).
    """
    s = text.lstrip("\ufeff").strip()
    if not s:
        return None
    if s[0] in "{[":
        try:
            data = json.loads(s)
        except (ValueError, RecursionError):
            data = None  # not JSON after all: a transcript may start with a JSON body
        else:
            kind = _json_kind(data)
            if kind is None and iac.looks_like_iac(s):
                return "distribution-config"  # CloudFormation JSON, terraform show -json
            if kind is None and looks_like_body(s):
                return "http-transcript"  # API Gateway's bare {"message": "..."}
            if kind is None and fragments.has_signal(s):
                return "text"  # a Lambda function URL's body, a message among other keys
            return kind
    if "<<>> DiG" in s or ";; ->>HEADER<<-" in s:
        return "dig"
    head = s[:65536]
    if any(m in head for m in _OPENSSL):
        return "openssl"
    if _NSLOOKUP.search(head) and ("Address" in head or "can't find" in head):
        return "dig"
    if _is_access_log(s):
        return "access-log"
    if iac.looks_like_iac(head):
        return "distribution-config"  # a CloudFormation template in YAML, Terraform HCL
    if _HTTP_STATUS.search(head) or any(STATUS_LINE.match(ln) for ln in head.splitlines()[:50]):
        return "http-transcript"
    if _CURL_FAILURE.search(head) or looks_like_body(_strip_prompt(s.splitlines())):
        return "http-transcript"
    if _is_dig_short(s):
        return "dig"
    if fragments.has_signal(s):
        return "text"
    return None
