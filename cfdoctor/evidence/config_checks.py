"""What a distribution config settles beyond its origin and Host forwarding: access control on
S3 and Lambda function URL origins, signed URLs, field-level encryption, origin groups, VPC
origins, geo restriction, web ACL, error pages, and the request-dependent faults a config makes
probable (read-only methods on an API, an origin path that repeats the path pattern, a single-page
app without a fallback).

Facts are settled only where the config is certain; a finding that depends on the request is
raised whenever the config makes it probable, for every behavior, so `inspect` needs no --path.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cfdoctor.engine.model import Value
from cfdoctor.evidence.findings import finding
from cfdoctor.evidence.model import Finding

API_KINDS = frozenset({"api-gateway", "api-gateway-edge", "api-gateway-regional", "http-api"})
"""origin.type values of API Gateway (the coarse one included)."""

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SHORT_READ_TIMEOUT = 10
"""Seconds of OriginReadTimeout below which a slow response is likely cut (the default is 30)."""

_LAMBDA_ARN = re.compile(r"^arn:aws[a-z-]*:lambda:us-east-1:\d{12}:function:[^:]+:\d+$")
_FILE_LIKE = re.compile(r"\.[A-Za-z0-9]{1,8}$")

MANAGED_CACHE_WITHOUT_AUTHORIZATION = frozenset(
    {
        "658327ea-f89d-4fab-a63d-7e88639e58f6",  # CachingOptimized
        "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",  # CachingDisabled
        "b2884449-e4de-46a7-ac36-70bc7f1ddd6d",  # CachingOptimizedForUncompressedObjects
    }
)
ORIGIN_REQUEST_WITH_AUTHORIZATION = frozenset(
    {
        "216adef6-5c7f-47e4-b989-5492eafa07d3",  # AllViewer
        "33f36d7e-f396-46d9-90e0-52428a34d9dc",  # AllViewerAndCloudFrontHeaders-2022-06
        "b689b0a8-53d0-40ab-baf2-68738e2966ac",  # AllViewerExceptHostHeader
    }
)
"""Managed origin request policies that pass every viewer header on, Authorization among them."""

ALL_VIEWER_HEADERS = frozenset(
    {
        "216adef6-5c7f-47e4-b989-5492eafa07d3",  # AllViewer
        "33f36d7e-f396-46d9-90e0-52428a34d9dc",  # AllViewerAndCloudFrontHeaders-2022-06
    }
)
"""Managed origin request policies whose headers behavior is allViewer (Host included)."""


def _items(node: Any) -> list[Any]:
    if isinstance(node, dict) and isinstance(node.get("Items"), list):
        return list(node["Items"])
    return []


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _names(node: Any) -> list[str]:
    return [h.lower() for h in _items(node) if isinstance(h, str)]


def methods(b: Mapping[str, Any]) -> frozenset[str]:
    return frozenset(str(m).upper() for m in _items(b.get("AllowedMethods")))


@dataclass
class Result:
    facts: dict[str, Value] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


@dataclass(frozen=True)
class Target:
    """A behavior and what it serves: its origin (a group's first member) and the origin's type."""

    behavior: Mapping[str, Any]
    path: str
    name: str
    origin: Mapping[str, Any] | None
    origin_path: str
    kind: str | None
    group: bool

    @property
    def origin_id(self) -> str:
        return _str((self.origin or {}).get("Id"))


# -- facts ---------------------------------------------------------------------------------------
def origin_facts(o: Mapping[str, Any], kind: str | None) -> dict[str, Value]:
    """Access control and reachability of the origin serving the chosen behavior."""
    facts: dict[str, Value] = {}
    oac = bool(_str(o.get("OriginAccessControlId")))
    s3c = o.get("S3OriginConfig")
    oai = bool(_str(s3c.get("OriginAccessIdentity"))) if isinstance(s3c, dict) else False
    if kind == "s3-rest":
        facts["origin.s3_access_control"] = "oac" if oac else "oai" if oai else "none"
    facts["lambda_url.is_origin"] = kind == "lambda-url"
    if kind == "lambda-url":
        facts["lambda_url.oac_attached"] = oac
    facts["vpc_origin.enabled"] = isinstance(o.get("VpcOriginConfig"), dict)
    domain = _str(o.get("DomainName")).lower().rstrip(".")
    facts["origin.is_cloudfront_distribution"] = domain.endswith(".cloudfront.net")
    facts["origin.domain_is_private"] = private_origin(o)
    if kind in API_KINDS:
        facts["origin.api_stage_in_path"] = bool(_str(o.get("OriginPath")).strip("/"))
    coc = o.get("CustomOriginConfig")
    if isinstance(coc, dict):
        read = coc.get("OriginReadTimeout", 30)
        if isinstance(read, int) and not isinstance(read, bool):
            facts["origin.read_timeout_seconds"] = read
    return facts


def request_facts(t: Target, path: str) -> dict[str, Value]:
    """What the failing path means for the behavior serving it."""
    facts: dict[str, Value] = {}
    bare = path.split("?", 1)[0]
    facts["request.path_ends_with_slash"] = bare.endswith("/") or not bare
    if not facts["request.path_ends_with_slash"]:
        last = bare.rpartition("/")[2]
        facts["request.path_has_extension"] = bool(_FILE_LIKE.search(last))
    if repeated_prefix(t.origin_path, _str(t.behavior.get("PathPattern"))):
        facts["origin.path_prefix_mismatch"] = True
    return facts


def authorization_forwarded(b: Mapping[str, Any]) -> bool | None:
    """Whether the viewer's Authorization reaches the origin; None when a custom policy decides."""
    legacy = b.get("ForwardedValues")
    if isinstance(legacy, dict) and not b.get("CachePolicyId"):
        headers = _names(legacy.get("Headers"))
        return "*" in headers or "authorization" in headers
    cache = _str(b.get("CachePolicyId"))
    request = _str(b.get("OriginRequestPolicyId"))
    if request in ORIGIN_REQUEST_WITH_AUTHORIZATION:
        return True
    if cache in MANAGED_CACHE_WITHOUT_AUTHORIZATION and (
        not request or request not in ORIGIN_REQUEST_WITH_AUTHORIZATION
    ):
        return None if request and not _managed_request(request) else False
    return None


def _managed_request(pid: str) -> bool:
    from cfdoctor.evidence.distribution import MANAGED_ORIGIN_REQUEST

    return pid in MANAGED_ORIGIN_REQUEST


def forwards_all_headers(b: Mapping[str, Any]) -> bool | None:
    legacy = b.get("ForwardedValues")
    if isinstance(legacy, dict) and not b.get("CachePolicyId"):
        return "*" in _names(legacy.get("Headers"))
    request = _str(b.get("OriginRequestPolicyId"))
    if not request:
        return False
    if _managed_request(request):
        return request in ALL_VIEWER_HEADERS
    return None


def behavior_facts(t: Target) -> dict[str, Value]:
    b = t.behavior
    facts: dict[str, Value] = {}
    signed = [b.get("TrustedKeyGroups"), b.get("TrustedSigners")]
    facts["signed.required"] = any(isinstance(s, dict) and s.get("Enabled") is True for s in signed)
    facts["fle.enabled"] = bool(_str(b.get("FieldLevelEncryptionId")))
    facts["origin_group.configured"] = t.group
    lambdas = [a for a in _items(b.get("LambdaFunctionAssociations")) if isinstance(a, dict)]
    if any(not _LAMBDA_ARN.match(_str(a.get("LambdaFunctionARN"))) for a in lambdas):
        facts["lambda_edge.association_valid"] = False
    auth = authorization_forwarded(b)
    if auth is not None:
        facts["behavior.forwards_authorization_header"] = auth
    every = forwards_all_headers(b)
    if every is not None:
        facts["behavior.forwards_all_headers"] = every
    return facts


def distribution_facts(config: Mapping[str, Any]) -> dict[str, Value]:
    facts: dict[str, Value] = {}
    restrictions = config.get("Restrictions")
    geo = restrictions.get("GeoRestriction") if isinstance(restrictions, dict) else None
    if isinstance(geo, dict):
        facts["geo.restriction_enabled"] = geo.get("RestrictionType") in ("whitelist", "blacklist")
    facts["distribution.web_acl_attached"] = bool(_str(config.get("WebACLId")))
    pages = [
        e
        for e in _items(config.get("CustomErrorResponses"))
        if isinstance(e, dict) and _str(e.get("ResponsePagePath"))
    ]
    if not pages:
        facts["error_response.page_configured"] = False
    facts["error_response.spa_fallback_configured"] = spa_fallback(config)
    return facts


def spa_fallback(config: Mapping[str, Any]) -> bool:
    """A 403 or 404 answered with a page and status 200: the single-page-app fallback."""
    return any(
        isinstance(e, dict)
        and str(e.get("ErrorCode")) in ("403", "404")
        and _str(e.get("ResponsePagePath"))
        and str(e.get("ResponseCode")) == "200"
        for e in _items(config.get("CustomErrorResponses"))
    )


# -- findings ------------------------------------------------------------------------------------
def behavior_findings(t: Target) -> list[Finding]:
    """Faults of one behavior, raised when the config makes them probable."""
    out: list[Finding] = []
    b, where, name = t.behavior, t.path, t.name
    oid = _str((t.origin or {}).get("Id"))
    allowed = methods(b)
    checks: list[tuple[bool, Callable[[], Finding]]] = [
        (
            t.kind in API_KINDS | {"lambda-url"} and not allowed & WRITE_METHODS,
            lambda: finding(
                "api-methods-read-only",
                f"{where}.AllowedMethods",
                (
                    "behavior.allowed_methods",
                    "get-head-options" if "OPTIONS" in allowed else "get-head",
                ),
                behavior=name,
                origin=oid,
            ),
        ),
        (
            t.kind in API_KINDS | {"lambda-url"} and authorization_forwarded(b) is False,
            lambda: finding(
                "authorization-not-forwarded",
                f"{where}.CachePolicyId" if b.get("CachePolicyId") else f"{where}.ForwardedValues",
                ("behavior.forwards_authorization_header", False),
                behavior=name,
                origin=oid,
            ),
        ),
        (
            bool(_str(b.get("FieldLevelEncryptionId"))),
            lambda: finding(
                "field-level-encryption",
                f"{where}.FieldLevelEncryptionId",
                ("fle.enabled", True),
                behavior=name,
            ),
        ),
        (
            t.group and bool(allowed & WRITE_METHODS),
            lambda: finding(
                "origin-group-with-writes",
                f"{where}.TargetOriginId",
                ("origin_group.configured", True),
                behavior=name,
                group=_str(b.get("TargetOriginId")),
            ),
        ),
        (
            t.kind == "s3-rest" and _oai_only(t.origin) and bool(allowed & {"PUT", "POST"}),
            lambda: finding(
                "oai-with-writes", f"{where}.AllowedMethods", behavior=name, origin=oid
            ),
        ),
        (
            _signed(b),
            lambda: finding(
                "signed-urls-required",
                f"{where}.TrustedKeyGroups",
                ("signed.required", True),
                behavior=name,
            ),
        ),
        (
            _str(b.get("ViewerProtocolPolicy")) == "redirect-to-https"
            and bool(allowed & WRITE_METHODS),
            lambda: finding(
                "writes-over-http-refused",
                f"{where}.ViewerProtocolPolicy",
                behavior=name,
            ),
        ),
        (
            _str(b.get("ViewerProtocolPolicy")) == "https-only",
            lambda: finding(
                "https-only-viewers",
                f"{where}.ViewerProtocolPolicy",
                ("behavior.viewer_protocol_policy", "https-only"),
                behavior=name,
            ),
        ),
    ]
    out.extend(make() for ok, make in checks if ok)
    repeated = repeated_prefix(t.origin_path, _str(b.get("PathPattern")))
    if repeated:
        out.append(
            finding(
                "origin-path-repeats-pattern",
                f"{where}.PathPattern",
                behavior=name,
                origin=oid,
                origin_path=t.origin_path,
                example=repeated,
            )
        )
    return out


def _signed(b: Mapping[str, Any]) -> bool:
    return any(
        isinstance(s, dict) and s.get("Enabled") is True
        for s in (b.get("TrustedKeyGroups"), b.get("TrustedSigners"))
    )


def _oai_only(o: Mapping[str, Any] | None) -> bool:
    if not o:
        return False
    s3c = o.get("S3OriginConfig")
    oai = bool(_str(s3c.get("OriginAccessIdentity"))) if isinstance(s3c, dict) else False
    return oai and not _str(o.get("OriginAccessControlId"))


def repeated_prefix(origin_path: str, pattern: str) -> str | None:
    """The origin path CloudFront would request when the origin path ends with the directory
    the path pattern starts with (/static + /static/* -> /static/static/...), else None."""
    base = [s for s in origin_path.split("/") if s]
    first = [s for s in pattern.split("/") if s][:1]
    if not base or not first or "*" in first[0] or "?" in first[0]:
        return None
    if base[-1] != first[0]:
        return None
    return "/" + "/".join([*base, first[0], "..."])


def private_origin(o: Mapping[str, Any]) -> bool:
    """A private IP address or an internal load balancer, reached without a VPC origin."""
    if isinstance(o.get("VpcOriginConfig"), dict):
        return False
    domain = _str(o.get("DomainName")).lower().rstrip(".")
    if domain.startswith("internal-") and domain.endswith(".elb.amazonaws.com"):
        return True
    try:
        address = ipaddress.ip_address(domain.strip("[]"))
    except ValueError:
        return False
    return address.is_private and not address.is_loopback


def origin_findings(o: Mapping[str, Any], where: str) -> list[Finding]:
    out: list[Finding] = []
    oid = _str(o.get("Id"))
    if private_origin(o):
        out.append(
            finding(
                "origin-private-address",
                f"{where}.DomainName",
                ("origin.domain_is_private", True),
                origin=oid,
                domain=_str(o.get("DomainName")),
            )
        )
    coc = o.get("CustomOriginConfig")
    if isinstance(coc, dict):
        read = coc.get("OriginReadTimeout")
        if isinstance(read, int) and not isinstance(read, bool) and read < SHORT_READ_TIMEOUT:
            out.append(
                finding(
                    "short-read-timeout",
                    f"{where}.CustomOriginConfig.OriginReadTimeout",
                    origin=oid,
                    seconds=read,
                )
            )
    if isinstance(o.get("VpcOriginConfig"), dict):
        out.append(
            finding(
                "vpc-origin", f"{where}.VpcOriginConfig", ("vpc_origin.enabled", True), origin=oid
            )
        )
    return out


def distribution_findings(
    config: Mapping[str, Any], base: str, default_kind: str | None
) -> list[Finding]:
    out: list[Finding] = []
    aliases = [a for a in _items(config.get("Aliases")) if isinstance(a, str)]
    vc = config.get("ViewerCertificate")
    own = isinstance(vc, dict) and _str(vc.get("ACMCertificateArn") or vc.get("IAMCertificateId"))
    if own and not aliases:
        out.append(finding("certificate-without-aliases", f"{base}.Aliases"))
    if default_kind in ("s3-rest", "s3-website") and not spa_fallback(config):
        pages = _items(config.get("CustomErrorResponses"))
        if not pages:
            out.append(finding("spa-fallback-missing", f"{base}.CustomErrorResponses"))
    return out


def looks_like_client_route(path: str) -> bool:
    """A path without a file extension: in a single-page app, a route the browser handles."""
    last = path.split("?", 1)[0].rstrip("/").rpartition("/")[2]
    return bool(last) and not _FILE_LIKE.search(last)
