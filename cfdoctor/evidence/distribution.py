"""Static analysis of a distribution config (`aws cloudfront get-distribution-config` or
`get-distribution`, with or without the ETag wrapper), plus the cache and origin request
policies and API routes given beside it.

Facts describe the cache behavior that serves the failing path, chosen as CloudFront does:
path patterns in order, case-sensitive, `*` and `?` wildcards, the default behavior last.
Findings cover the whole config, including what no linter checks: Host forwarded toward API
Gateway or S3, the path API Gateway receives, protocol policy against ports.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cfdoctor.engine.model import Value
from cfdoctor.evidence import config_checks, iac
from cfdoctor.evidence.findings import finding
from cfdoctor.evidence.model import Context, Evidence, EvidenceError, Finding
from cfdoctor.evidence.redact import redact

MANAGED_ORIGIN_REQUEST: dict[str, tuple[str, bool]] = {
    "216adef6-5c7f-47e4-b989-5492eafa07d3": ("AllViewer", True),
    "33f36d7e-f396-46d9-90e0-52428a34d9dc": ("AllViewerAndCloudFrontHeaders-2022-06", True),
    "b689b0a8-53d0-40ab-baf2-68738e2966ac": ("AllViewerExceptHostHeader", False),
    "59781a5b-3903-41f3-afcb-af62929ccde1": ("CORS-CustomOrigin", False),
    "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf": ("CORS-S3Origin", False),
    "775133bc-15f2-49f9-abea-afb2e0bf67d2": ("Elemental-MediaTailor-PersonalizedManifests", False),
    "acba4595-bd28-49b8-b9fe-13317c0390fa": ("UserAgentRefererHeaders", False),
}
"""Managed origin request policies (DG-ORP): name, and whether the viewer's Host is included."""

MANAGED_CACHE: dict[str, tuple[str, bool]] = {
    "658327ea-f89d-4fab-a63d-7e88639e58f6": ("CachingOptimized", False),
    "4135ea2d-6df8-44a3-9df3-4b5a84be39ad": ("CachingDisabled", False),
    "b2884449-e4de-46a7-ac36-70bc7f1ddd6d": ("CachingOptimizedForUncompressedObjects", False),
}
"""Managed cache policies whose cache key has no headers. Others must be given as evidence."""

_S3_REST = re.compile(
    r"\.s3(?:[.-][a-z0-9-]+)?(?:\.dualstack\.[a-z0-9-]+)?\.amazonaws\.com(?:\.cn)?$"
)
_S3_WEBSITE = re.compile(r"\.s3-website[.-][a-z0-9-]+\.amazonaws\.com(?:\.cn)?$")
_APIGW = re.compile(r"\.execute-api\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?$")
_ELB = re.compile(r"\.elb\.(?:[a-z0-9-]+\.)?amazonaws\.com(?:\.cn)?$")
_LAMBDA_URL = re.compile(r"\.lambda-url\.[a-z0-9-]+\.on\.aws$")
_EC2 = re.compile(r"^ec2-[0-9-]+\.[a-z0-9.-]*compute(?:-\d)?\.amazonaws\.com(?:\.cn)?$")
_LAMBDA_ARN = re.compile(r"^arn:aws[a-z-]*:lambda:([a-z0-9-]+):\d{12}:function:[^:]+:(\d+)$")
_ROOT_OBJECT = re.compile(r"^[A-Za-z0-9_.*$/~\"'&-]{1,255}$")
"""DefaultRootObject as CloudFront accepts it: A-Z a-z 0-9 _ - . * $ / ~ " ' & (DG, values you
specify), at most 255 characters; a leading / is rejected separately."""

VIEWER_PROTOCOL_POLICIES = frozenset({"allow-all", "redirect-to-https", "https-only"})
METHOD_SETS: dict[frozenset[str], str] = {
    frozenset({"GET", "HEAD"}): "get-head",
    frozenset({"GET", "HEAD", "OPTIONS"}): "get-head-options",
    frozenset({"GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"}): "all",
}
"""The only three AllowedMethods sets CloudFront accepts, as behavior.allowed_methods values."""


# -- reading -----------------------------------------------------------------------------------
def unwrap(data: Any) -> tuple[dict[str, Any], str]:
    """The DistributionConfig object and its JSON path in the document."""
    if isinstance(data, dict):
        if isinstance(data.get("DistributionConfig"), dict):
            return data["DistributionConfig"], "$.DistributionConfig"
        dist = data.get("Distribution")
        if isinstance(dist, dict) and isinstance(dist.get("DistributionConfig"), dict):
            return dist["DistributionConfig"], "$.Distribution.DistributionConfig"
        if isinstance(data.get("Origins"), dict) and isinstance(
            data.get("DefaultCacheBehavior"), dict
        ):
            return data, "$"
    raise EvidenceError("not a distribution config")


def is_config(data: Any) -> bool:
    try:
        unwrap(data)
    except EvidenceError:
        return False
    return True


def items(node: Any) -> list[Any]:
    """The Items list of a CloudFront {Quantity, Items} container (empty when absent)."""
    if isinstance(node, dict):
        value = node.get("Items")
        return value if isinstance(value, list) else []
    return []


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _int(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


# -- path patterns -----------------------------------------------------------------------------
def pattern_regex(pattern: str) -> re.Pattern[str]:
    """CloudFront path pattern: `*` any run of characters, `?` one character, case-sensitive."""
    body = "".join(
        ".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern.lstrip("/")
    )
    return re.compile(body, re.DOTALL)


def select_behavior(
    config: dict[str, Any], base: str, path: str | None
) -> tuple[dict[str, Any], str]:
    """The behavior serving `path` and its JSON path (default behavior when path is None)."""
    if path is not None:
        target = path.split("?", 1)[0].lstrip("/")
        for i, b in enumerate(items(config.get("CacheBehaviors"))):
            if isinstance(b, dict) and pattern_regex(_str(b.get("PathPattern"))).fullmatch(target):
                return b, f"{base}.CacheBehaviors.Items[{i}]"
    default = config.get("DefaultCacheBehavior")
    if not isinstance(default, dict):
        raise EvidenceError("DistributionConfig.DefaultCacheBehavior is missing")
    return default, f"{base}.DefaultCacheBehavior"


def behavior_name(b: dict[str, Any]) -> str:
    return _str(b.get("PathPattern")) or "Default (*)"


def find_origin(
    config: dict[str, Any], base: str, origin_id: str
) -> tuple[dict[str, Any], str] | None:
    """The origin a behavior targets; for an origin group, its first (primary) member."""
    for g in items(config.get("OriginGroups")):
        if isinstance(g, dict) and g.get("Id") == origin_id:
            members = items(g.get("Members"))
            if members and isinstance(members[0], dict):
                origin_id = _str(members[0].get("OriginId"))
    for i, o in enumerate(items(config.get("Origins"))):
        if isinstance(o, dict) and o.get("Id") == origin_id:
            return o, f"{base}.Origins.Items[{i}]"
    return None


# -- origins -----------------------------------------------------------------------------------
def origin_kind(origin: dict[str, Any], chains: Mapping[str, Sequence[str]]) -> str:
    """origin.type: precise where the config (and dig's CNAME chains) tell, else coarse."""
    domain = _str(origin.get("DomainName")).lower().rstrip(".")
    if _S3_WEBSITE.search(domain):
        return "s3-website"
    if _S3_REST.search(domain) or (
        isinstance(origin.get("S3OriginConfig"), dict) and not origin.get("CustomOriginConfig")
    ):
        return "s3-rest"
    if _ELB.search(domain):
        return "load-balancer"
    if _LAMBDA_URL.search(domain):
        return "lambda-url"
    chain = [c.lower().rstrip(".") for c in chains.get(domain, ())]
    if _APIGW.search(domain) or any(_APIGW.search(c) for c in chain):
        if domain in chains:
            return (
                "api-gateway-edge"
                if any(c.endswith(".cloudfront.net") for c in chain)
                else ("api-gateway-regional")
            )
        return "api-gateway"  # the domain alone does not tell edge, Regional or HTTP API
    return "custom"


def is_api_gateway(origin: dict[str, Any]) -> bool:
    return bool(_APIGW.search(_str(origin.get("DomainName")).lower().rstrip(".")))


# -- Host forwarding ---------------------------------------------------------------------------
def _names(node: Any) -> list[str]:
    return [h.lower() for h in items(node) if isinstance(h, str)]


def _policy_index(policies: Iterable[Mapping[str, Any]]) -> dict[str, tuple[str, dict[str, Any]]]:
    """Policy id -> (kind, config) from get-/list- cache and origin request policy outputs."""
    out: dict[str, tuple[str, dict[str, Any]]] = {}

    def add(obj: Any) -> None:
        if not isinstance(obj, dict):
            return
        for key, kind, cfg in (
            ("CachePolicy", "cache", "CachePolicyConfig"),
            ("OriginRequestPolicy", "origin-request", "OriginRequestPolicyConfig"),
        ):
            pol = obj.get(key)
            if isinstance(pol, dict) and isinstance(pol.get(cfg), dict):
                out[_str(pol.get("Id"))] = (kind, pol[cfg])
        for key in ("CachePolicyList", "OriginRequestPolicyList"):
            for entry in items(obj.get(key)):
                add(entry)

    for p in policies:
        add(p)
    return out


def policy_forwards_host(kind: str, cfg: dict[str, Any]) -> bool:
    if kind == "cache":
        params = cfg.get("ParametersInCacheKeyAndForwardedToOrigin")
        hc = params.get("HeadersConfig") if isinstance(params, dict) else None
        if not isinstance(hc, dict):
            return False
        return hc.get("HeaderBehavior") == "whitelist" and "host" in _names(hc.get("Headers"))
    hc = cfg.get("HeadersConfig")
    if not isinstance(hc, dict):
        return False
    behavior = hc.get("HeaderBehavior")
    names = _names(hc.get("Headers"))
    if behavior in ("allViewer", "allViewerAndWhitelistCloudFront"):
        return True
    if behavior == "allExcept":
        return "host" not in names
    return behavior == "whitelist" and "host" in names


def forwards_host(
    b: dict[str, Any], bpath: str, policies: dict[str, tuple[str, dict[str, Any]]]
) -> tuple[bool | None, list[Finding]]:
    """Whether the behavior sends the viewer's Host to the origin; None when a policy is unknown."""
    legacy = b.get("ForwardedValues")
    if isinstance(legacy, dict) and not b.get("CachePolicyId"):
        headers = _names(legacy.get("Headers"))
        return ("*" in headers or "host" in headers), []
    unknown: list[Finding] = []
    forwarded = False
    for field_name, kind, managed in (
        ("CachePolicyId", "cache", MANAGED_CACHE),
        ("OriginRequestPolicyId", "origin-request", MANAGED_ORIGIN_REQUEST),
    ):
        pid = _str(b.get(field_name))
        if not pid:
            continue
        if pid in managed:
            forwarded = forwarded or managed[pid][1]
        elif pid in policies:
            forwarded = forwarded or policy_forwards_host(*policies[pid])
        else:
            unknown.append(
                finding(
                    "policy-not-given",
                    f"{bpath}.{field_name}",
                    behavior=behavior_name(b),
                    kind=kind,
                    policy_id=pid,
                )
            )
    if forwarded:
        return True, []
    return (None if unknown else False), unknown


# -- API routes --------------------------------------------------------------------------------
def routes_from(data: Any) -> list[tuple[str, str]]:
    """(method, path template) from `apigateway get-resources` or `apigatewayv2 get-routes`."""
    out: list[tuple[str, str]] = []
    if not isinstance(data, dict):
        return out
    for r in data.get("items", []) if isinstance(data.get("items"), list) else []:
        if isinstance(r, dict) and isinstance(r.get("path"), str):
            methods = r.get("resourceMethods")
            for m in methods if isinstance(methods, dict) and methods else ["-"]:
                out.append((str(m).upper(), r["path"]))
    for r in data.get("Items", []) if isinstance(data.get("Items"), list) else []:
        if isinstance(r, dict) and isinstance(r.get("RouteKey"), str):
            key = r["RouteKey"]
            method, _, rpath = key.partition(" ")
            out.append(("ANY", "/{proxy+}") if key == "$default" else (method.upper(), rpath))
    return out


def is_routes(data: Any) -> bool:
    if not isinstance(data, dict) or not routes_from(data):
        return False
    return set(data) <= {"items", "Items", "position", "NextToken"}


def route_matches(template: str, path: str) -> bool:
    t = [s for s in template.split("/") if s]
    p = [s for s in path.split("/") if s]
    for i, seg in enumerate(t):
        if seg.startswith("{") and seg.endswith("+}"):
            return len(p) > i
        if i >= len(p):
            return False
        if not (seg.startswith("{") and seg.endswith("}")) and seg != p[i]:
            return False
    return len(p) == len(t)


def behavior_request_facts(b: dict[str, Any]) -> dict[str, Value]:
    """Which viewer requests the behavior accepts: its protocol policy and allowed methods."""
    facts: dict[str, Value] = {}
    policy = _str(b.get("ViewerProtocolPolicy"))
    if policy in VIEWER_PROTOCOL_POLICIES:
        facts["behavior.viewer_protocol_policy"] = policy
    methods = frozenset(str(m).upper() for m in items(b.get("AllowedMethods")))
    if methods in METHOD_SETS:
        facts["behavior.allowed_methods"] = METHOD_SETS[methods]
    return facts


def root_object_state(config: dict[str, Any]) -> str:
    """distribution.default_root_object: unset, valid, or invalid (leading / or bad characters)."""
    root = _str(config.get("DefaultRootObject"))
    if not root:
        return "unset"
    return "valid" if _ROOT_OBJECT.match(root) and not root.startswith("/") else "invalid"


# -- analysis ----------------------------------------------------------------------------------
@dataclass
class Analysis:
    facts: dict[str, Value] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    hints: dict[str, str] = field(default_factory=dict)
    alternatives: list[dict[str, Any]] = field(default_factory=list)
    """Without a path: what each cache behavior would settle, for the person to choose from."""


def _origin_findings(o: dict[str, Any], opath: str, kind: str | None) -> list[Finding]:
    out: list[Finding] = []
    oid = _str(o.get("Id"))
    domain = _str(o.get("DomainName")).lower()
    coc = o.get("CustomOriginConfig")
    if isinstance(coc, dict):
        policy = _str(coc.get("OriginProtocolPolicy"))
        http_port, https_port = _int(coc.get("HTTPPort"), 80), _int(coc.get("HTTPSPort"), 443)
        cpath = f"{opath}.CustomOriginConfig"
        if policy in ("https-only", "match-viewer") and https_port == 80:
            out.append(
                finding(
                    "https-to-port-80",
                    f"{cpath}.HTTPSPort",
                    ("origin.https_port", 80),
                    origin=oid,
                    policy=policy,
                )
            )
        if policy in ("http-only", "match-viewer") and http_port == 443:
            out.append(
                finding(
                    "http-to-port-443",
                    f"{cpath}.HTTPPort",
                    ("origin.http_port", 443),
                    origin=oid,
                    policy=policy,
                )
            )
        if kind == "s3-website" and policy in ("https-only", "match-viewer"):
            out.append(
                finding(
                    "s3-website-https",
                    f"{cpath}.OriginProtocolPolicy",
                    ("origin.protocol_policy", policy),
                    origin=oid,
                    policy=policy,
                )
            )
        if is_api_gateway(o) and policy in ("http-only", "match-viewer"):
            out.append(
                finding(
                    "api-gateway-http",
                    f"{cpath}.OriginProtocolPolicy",
                    ("origin.protocol_policy", policy),
                    origin=oid,
                    policy=policy,
                )
            )
        protocols = [p for p in items(coc.get("OriginSslProtocols")) if isinstance(p, str)]
        if protocols and "TLSv1.2" not in protocols and policy != "http-only":
            out.append(
                finding(
                    "ssl-protocols-without-tls12",
                    f"{cpath}.OriginSslProtocols",
                    ("origin.tls12_allowed", False),
                    origin=oid,
                    protocols=", ".join(protocols),
                )
            )
        if policy != "http-only" and (_ELB.search(domain) or _EC2.search(domain)):
            out.append(
                finding(
                    "aws-assigned-name-over-https",
                    f"{opath}.DomainName",
                    ("origin.tls.aws_assigned_name", True),
                    origin=oid,
                    domain=domain,
                )
            )
        read = _int(coc.get("OriginReadTimeout"), 30)
        if read > 60:
            out.append(
                finding("long-read-timeout", f"{cpath}.OriginReadTimeout", origin=oid, seconds=read)
            )
    oac = _str(o.get("OriginAccessControlId"))
    s3c = o.get("S3OriginConfig")
    oai = _str(s3c.get("OriginAccessIdentity")) if isinstance(s3c, dict) else ""
    if kind == "s3-rest" and not oac and not oai:
        out.append(finding("s3-without-oac", f"{opath}.OriginAccessControlId", origin=oid))
    if oac and oai:
        out.append(finding("oac-and-oai", f"{opath}.OriginAccessControlId", origin=oid))
    if oac and kind == "s3-website":
        out.append(finding("oac-on-website-endpoint", f"{opath}.OriginAccessControlId", origin=oid))
    if domain.endswith(".cloudfront.net"):
        out.append(
            finding("stacked-distribution", f"{opath}.DomainName", origin=oid, domain=domain)
        )
    if is_api_gateway(o) and not _str(o.get("OriginPath")).strip("/"):
        out.append(finding("api-stage-missing", f"{opath}.OriginPath", origin=oid))
    return out


def _behavior_findings(
    b: dict[str, Any],
    bpath: str,
    config: dict[str, Any],
    base: str,
    ctx: Context,
    policies: dict[str, tuple[str, dict[str, Any]]],
) -> tuple[list[Finding], bool | None]:
    out: list[Finding] = []
    name = behavior_name(b)
    host, unknown = forwards_host(b, bpath, policies)
    out.extend(unknown)
    target = find_origin(config, base, _str(b.get("TargetOriginId")))
    if target is not None and host:
        o, _ = target
        kind = origin_kind(o, ctx.cname_chains)
        where = f"{bpath}.OriginRequestPolicyId" if b.get("OriginRequestPolicyId") else bpath
        if is_api_gateway(o) or kind in ("api-gateway-edge", "api-gateway-regional"):
            out.append(
                finding(
                    "host-forwarded-to-api-gateway",
                    where,
                    ("behavior.forwards_host_header", True),
                    behavior=name,
                    origin=_str(o.get("Id")),
                )
            )
        elif kind == "lambda-url":
            out.append(
                finding(
                    "host-forwarded-to-lambda-url",
                    where,
                    ("behavior.forwards_host_header", True),
                    behavior=name,
                    origin=_str(o.get("Id")),
                )
            )
        elif kind == "s3-rest":
            out.append(
                finding(
                    "host-forwarded-to-s3",
                    where,
                    ("behavior.forwards_host_header", True),
                    behavior=name,
                    origin=_str(o.get("Id")),
                )
            )
    events: list[str] = []
    for i, assoc in enumerate(items(b.get("LambdaFunctionAssociations"))):
        if not isinstance(assoc, dict):
            continue
        arn = _str(assoc.get("LambdaFunctionARN"))
        events.append(f"Lambda@Edge {_str(assoc.get('EventType'))}")
        m = _LAMBDA_ARN.match(arn)
        if not m or m.group(1) != "us-east-1":
            out.append(
                finding(
                    "lambda-edge-not-versioned",
                    f"{bpath}.LambdaFunctionAssociations.Items[{i}].LambdaFunctionARN",
                    behavior=name,
                    arn=arn,
                )
            )
    for assoc in items(b.get("FunctionAssociations")):
        if isinstance(assoc, dict):
            events.append(f"CloudFront Functions {_str(assoc.get('EventType'))}")
    if events:
        out.append(finding("edge-functions", bpath, behavior=name, events=", ".join(events)))
    return out, host


def analyse(data: Any, ctx: Context | None = None) -> Analysis:
    """Facts for the behavior serving ctx.path, and findings over the whole config."""
    ctx = ctx or Context()
    config, base = unwrap(data)
    policies = _policy_index(ctx.policies)
    result = Analysis()
    origins = [o for o in items(config.get("Origins")) if isinstance(o, dict)]
    if not origins:
        raise EvidenceError("DistributionConfig.Origins has no items")
    for i, o in enumerate(origins):
        result.findings.extend(
            _origin_findings(o, f"{base}.Origins.Items[{i}]", origin_kind(o, ctx.cname_chains))
        )
    chosen, chosen_path = select_behavior(config, base, ctx.path)
    behaviors: list[tuple[dict[str, Any], str]] = [(chosen, chosen_path)]
    default = config.get("DefaultCacheBehavior")
    if isinstance(default, dict) and default is not chosen:
        behaviors.append((default, f"{base}.DefaultCacheBehavior"))
    for i, b in enumerate(items(config.get("CacheBehaviors"))):
        if isinstance(b, dict) and b is not chosen:
            behaviors.append((b, f"{base}.CacheBehaviors.Items[{i}]"))
    chosen_host: bool | None = None
    for b, bpath in behaviors:
        found, host = _behavior_findings(b, bpath, config, base, ctx, policies)
        result.findings.extend(found)
        if b is chosen:
            chosen_host = host
        if ctx.path is None and len(behaviors) > 1:
            result.alternatives.append(_alternative(config, base, b, bpath, ctx, host))
    result.findings.extend(_distribution_findings(config, base, ctx, origins))
    for b, bpath in behaviors:
        result.findings.extend(
            config_checks.behavior_findings(_target(config, base, b, bpath, ctx))
        )
    for i, o in enumerate(origins):
        result.findings.extend(config_checks.origin_findings(o, f"{base}.Origins.Items[{i}]"))
    default_b = config.get("DefaultCacheBehavior")
    default_id = _str(default_b.get("TargetOriginId")) if isinstance(default_b, dict) else ""
    default_target = find_origin(config, base, default_id)
    result.findings.extend(
        config_checks.distribution_findings(
            config,
            base,
            None if default_target is None else origin_kind(default_target[0], ctx.cname_chains),
        )
    )

    target = find_origin(config, base, _str(chosen.get("TargetOriginId")))
    if target is None:
        raise EvidenceError(
            f"{chosen_path}.TargetOriginId {_str(chosen.get('TargetOriginId'))!r} names no origin"
        )
    origin, opath = target
    facts = result.facts
    kind = origin_kind(origin, ctx.cname_chains)
    facts["origin.type"] = kind
    if kind == "api-gateway":
        result.findings.append(
            finding(
                "api-endpoint-type-unknown",
                f"{opath}.DomainName",
                origin=_str(origin.get("Id")),
                domain=_str(origin.get("DomainName")),
            )
        )
    if chosen_host is not None:
        facts["behavior.forwards_host_header"] = chosen_host
    lambdas = items(chosen.get("LambdaFunctionAssociations"))
    facts["behavior.has_lambda_edge"] = bool(lambdas)
    facts["behavior.has_cloudfront_function"] = bool(items(chosen.get("FunctionAssociations")))
    facts.update(behavior_request_facts(chosen))
    facts.update(config_checks.origin_facts(origin, kind))
    chosen_target = _target(config, base, chosen, chosen_path, ctx)
    facts.update(config_checks.behavior_facts(chosen_target))
    if ctx.path is not None:
        facts.update(config_checks.request_facts(chosen_target, ctx.path))
    facts.update(config_checks.distribution_facts(config))
    facts["distribution.default_root_object"] = root_object_state(config)
    domain = _str(origin.get("DomainName")).lower().rstrip(".")
    coc = origin.get("CustomOriginConfig")
    if isinstance(coc, dict):
        policy = _str(coc.get("OriginProtocolPolicy"))
        if policy in ("http-only", "https-only", "match-viewer"):
            facts["origin.protocol_policy"] = policy
        facts["origin.http_port"] = _int(coc.get("HTTPPort"), 80)
        facts["origin.https_port"] = _int(coc.get("HTTPSPort"), 443)
        protocols = [p for p in items(coc.get("OriginSslProtocols")) if isinstance(p, str)]
        if protocols:
            facts["origin.tls12_allowed"] = "TLSv1.2" in protocols
        facts["origin.tls.aws_assigned_name"] = bool(_ELB.search(domain) or _EC2.search(domain))
        result.hints["read_timeout"] = str(_int(coc.get("OriginReadTimeout"), 30))
    result.hints["connection_timeout"] = str(_int(origin.get("ConnectionTimeout"), 10))
    result.hints["connection_attempts"] = str(_int(origin.get("ConnectionAttempts"), 3))
    result.hints["origin_domain"] = redact(domain)
    origin_path = _str(origin.get("OriginPath"))
    if origin_path:
        result.hints["origin_path"] = redact(origin_path)
    if ctx.path is not None:
        result.findings.insert(
            0,
            finding(
                "behavior-selected",
                chosen_path,
                path=ctx.path,
                behavior=behavior_name(chosen),
                origin=_str(origin.get("Id")),
                domain=domain,
            ),
        )
        if is_api_gateway(origin) or kind in ("api-gateway-edge", "api-gateway-regional"):
            _api_path(result, origin, opath, ctx)
    return result


def _alternative(
    config: dict[str, Any],
    base: str,
    b: dict[str, Any],
    bpath: str,
    ctx: Context,
    host: bool | None,
) -> dict[str, Any]:
    """What one cache behavior would settle if the failing path were one of its paths."""
    t = _target(config, base, b, bpath, ctx)
    facts: dict[str, Value] = {}
    if t.kind is not None:
        facts["origin.type"] = t.kind
    if host is not None:
        facts["behavior.forwards_host_header"] = host
    facts.update(behavior_request_facts(b))
    if t.origin is not None:
        facts.update(config_checks.origin_facts(t.origin, t.kind))
    facts.update(config_checks.behavior_facts(t))
    return {"behavior": t.name, "json_path": bpath, "origin": t.origin_id, "facts": facts}


def _target(
    config: dict[str, Any], base: str, b: dict[str, Any], bpath: str, ctx: Context
) -> config_checks.Target:
    """A behavior with the origin it serves (the primary of a group) and that origin's type."""
    target_id = _str(b.get("TargetOriginId"))
    group = any(
        isinstance(g, dict) and g.get("Id") == target_id for g in items(config.get("OriginGroups"))
    )
    found = find_origin(config, base, target_id)
    origin = found[0] if found else None
    return config_checks.Target(
        behavior=b,
        path=bpath,
        name=behavior_name(b),
        origin=origin,
        origin_path=_str((origin or {}).get("OriginPath")),
        kind=None if origin is None else origin_kind(origin, ctx.cname_chains),
        group=group,
    )


def _api_path(result: Analysis, origin: dict[str, Any], opath: str, ctx: Context) -> None:
    """What API Gateway receives for ctx.path, and whether the given routes have it."""
    assert ctx.path is not None
    forwarded = "/" + "/".join(
        s for s in (_str(origin.get("OriginPath")) + ctx.path.split("?", 1)[0]).split("/") if s
    )
    oid = _str(origin.get("Id"))
    result.findings.append(
        finding(
            "api-forwarded-path",
            f"{opath}.OriginPath",
            path=ctx.path,
            forwarded=forwarded,
            origin=oid,
        )
    )
    if not ctx.api_routes or not is_api_gateway(origin):
        return  # behind an API custom domain, base path mappings decide: not visible here
    stage, _, rest = forwarded.lstrip("/").partition("/")
    route = "/" + rest
    method = (ctx.method or "").upper()
    exists = any(
        route_matches(tpl, route) and (not method or m in (method, "ANY", "-"))
        for m, tpl in ctx.api_routes
    )
    result.facts["apigw.route_exists_for_forwarded_path"] = exists
    if not exists:
        known = ", ".join(sorted({tpl for _, tpl in ctx.api_routes}))[:300]
        result.findings.append(
            finding(
                "api-route-missing",
                f"{opath}.OriginPath",
                ("apigw.route_exists_for_forwarded_path", False),
                route=route,
                stage=stage,
                path=ctx.path,
                routes=known,
            )
        )


def _distribution_findings(
    config: dict[str, Any], base: str, ctx: Context, origins: list[dict[str, Any]]
) -> list[Finding]:
    out: list[Finding] = []
    aliases = [a.lower() for a in items(config.get("Aliases")) if isinstance(a, str)]
    vc = config.get("ViewerCertificate")
    if isinstance(vc, dict):
        if aliases and vc.get("CloudFrontDefaultCertificate") is True:
            out.append(
                finding(
                    "aliases-with-default-certificate",
                    f"{base}.ViewerCertificate.CloudFrontDefaultCertificate",
                    aliases=", ".join(aliases),
                )
            )
        arn = _str(vc.get("ACMCertificateArn"))
        if arn and ":us-east-1:" not in arn:
            out.append(
                finding(
                    "certificate-not-us-east-1",
                    f"{base}.ViewerCertificate.ACMCertificateArn",
                    arn=arn,
                )
            )
    if ctx.host and not ctx.host.endswith(".cloudfront.net"):
        host = ctx.host.lower()
        if not any(
            a == host or (a.startswith("*.") and host.partition(".")[2] == a[2:]) for a in aliases
        ):
            out.append(
                finding(
                    "host-not-an-alias",
                    f"{base}.Aliases",
                    host=host,
                    aliases=", ".join(aliases) or "-",
                )
            )
    restrictions = config.get("Restrictions")
    geo = restrictions.get("GeoRestriction") if isinstance(restrictions, dict) else None
    if isinstance(geo, dict) and geo.get("RestrictionType") in ("whitelist", "blacklist"):
        out.append(
            finding(
                "geo-restriction",
                f"{base}.Restrictions.GeoRestriction",
                type=geo["RestrictionType"],
                countries=", ".join(str(c) for c in items(geo))[:200],
            )
        )
    acl = _str(config.get("WebACLId"))
    if acl:
        out.append(finding("web-acl", f"{base}.WebACLId", acl=acl))
    root = _str(config.get("DefaultRootObject"))
    if root.startswith("/"):
        out.append(finding("default-root-object-slash", f"{base}.DefaultRootObject", value=root))
    default = config.get("DefaultCacheBehavior")
    if not root and isinstance(default, dict):
        target = find_origin(config, base, _str(default.get("TargetOriginId")))
        if target is not None and origin_kind(target[0], ctx.cname_chains) == "s3-rest":
            out.append(
                finding(
                    "no-default-root-object",
                    f"{base}.DefaultRootObject",
                    origin=_str(target[0].get("Id")),
                )
            )
    codes = sorted(
        {
            str(e.get("ErrorCode"))
            for e in items(config.get("CustomErrorResponses"))
            if isinstance(e, dict) and e.get("ResponsePagePath")
        }
    )
    if codes:
        out.append(
            finding("custom-error-response", f"{base}.CustomErrorResponses", codes=", ".join(codes))
        )
    del origins
    return out


def inspect(
    config: Any, *, path: str | None = None, context: Context | None = None
) -> list[Finding]:
    """Findings on a distribution config (parsed JSON): the library entry of `cfdoctor inspect`."""
    ctx = context or Context()
    if path is not None:
        ctx = dataclasses.replace(ctx, path=path)
    try:
        return analyse(config, ctx).findings
    except EvidenceError as exc:
        raise EvidenceError(f"not a usable distribution config: {exc}") from None


def load_document(text: str) -> tuple[Any, dict[str, int] | None, str]:
    """A config from get-distribution-config JSON, a CloudFormation template or Terraform:
    (the get-distribution-config document, the source line of each of its JSONPaths when the
    source was code (None for plain JSON), the distribution's name in the code)."""
    stripped = text.lstrip("\ufeff")
    try:
        data = json.loads(stripped)
    except (json.JSONDecodeError, RecursionError) as exc:
        if not iac.looks_like_iac(stripped):
            raise EvidenceError(f"not valid JSON ({exc})") from None
        data = None
    if data is not None and (is_config(data) or not iac.looks_like_iac(stripped)):
        return data, None, ""
    first = iac.convert(stripped)[0]
    return first.document, first.lines, first.name


def parse(text: str, label: str, *, context: Context | None = None) -> Evidence:
    try:
        data, _lines, name = load_document(text)
    except EvidenceError as exc:
        raise EvidenceError(redact(f"{label}: {exc}")) from None
    if name:
        label = f"{label} ({name})"
    try:
        result = analyse(data, context)
    except EvidenceError as exc:
        raise EvidenceError(redact(f"{label}: {exc}")) from None
    details: dict[str, Any] = {"findings": len(result.findings)}
    if result.alternatives:
        details["behaviors"] = result.alternatives
    return Evidence(
        "distribution-config", label, result.facts, tuple(result.findings), result.hints, details
    )


def fetch_config(distribution_id: str, *, profile: str | None = None) -> dict[str, Any]:
    """`get-distribution-config` through boto3 (the optional `aws` extra), as the CLI prints it."""
    try:
        boto3 = importlib.import_module("boto3")
        errors = importlib.import_module("botocore.exceptions")
        parsers = importlib.import_module("botocore.parsers")
    except ImportError:
        raise EvidenceError(
            "--distribution-id needs boto3: install cfdoctor with the aws extra "
            "(pip install 'cfdoctor[aws]') or pass the output of "
            "`aws cloudfront get-distribution-config --id ID` as a file"
        ) from None
    try:
        session = boto3.Session(profile_name=profile) if profile else boto3.Session()
        reply = session.client("cloudfront").get_distribution_config(Id=distribution_id)
    except errors.NoCredentialsError:
        raise EvidenceError(
            "no AWS credentials found: configure them (aws configure, AWS_PROFILE, or an "
            "instance role) or pass a saved get-distribution-config output as a file"
        ) from None
    except errors.ProfileNotFound as exc:
        raise EvidenceError(f"AWS profile not found: {exc}") from None
    except errors.ClientError as exc:
        err = exc.response.get("Error", {})
        raise EvidenceError(
            f"CloudFront refused get-distribution-config for {distribution_id}: "
            f"{err.get('Code', 'error')}: {err.get('Message', '')}"
        ) from None
    except errors.BotoCoreError as exc:
        raise EvidenceError(f"could not reach the CloudFront API: {exc}") from None
    except parsers.ResponseParserError as exc:  # malformed XML from the endpoint
        raise EvidenceError(f"could not read the CloudFront API's answer: {exc}") from None
    return {"ETag": reply.get("ETag"), "DistributionConfig": reply.get("DistributionConfig")}
