"""The planted-fault set: healthy distribution configs, and one fault planted in each copy.

Each fault names the finding `inspect` must raise, the cause `diagnose` must rank first given the
config, the viewer's status and path, and the change that plants it. Configs are built in the
shape of `aws cloudfront get-distribution-config`; tests/evidence/iac_writers.py writes each one
as a CloudFormation template and as Terraform too, so all three formats are checked alike.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Config = dict[str, Any]

ALL_METHODS = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER = "216adef6-5c7f-47e4-b989-5492eafa07d3"
ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
CORS_S3 = "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf"


def items(values: list[Any]) -> dict[str, Any]:
    return {"Quantity": len(values), "Items": values} if values else {"Quantity": 0}


def s3_origin(oid: str, bucket: str = "site-assets", oac: str = "E2OACEXAMPLE1") -> dict[str, Any]:
    return {
        "Id": oid,
        "DomainName": f"{bucket}.s3.us-east-1.amazonaws.com",
        "OriginPath": "",
        "CustomHeaders": items([]),
        "S3OriginConfig": {"OriginAccessIdentity": ""},
        "ConnectionAttempts": 3,
        "ConnectionTimeout": 10,
        "OriginAccessControlId": oac,
    }


def custom_origin(
    oid: str, domain: str, *, path: str = "", policy: str = "https-only", oac: str = ""
) -> dict[str, Any]:
    return {
        "Id": oid,
        "DomainName": domain,
        "OriginPath": path,
        "CustomHeaders": items([]),
        "CustomOriginConfig": {
            "HTTPPort": 80,
            "HTTPSPort": 443,
            "OriginProtocolPolicy": policy,
            "OriginSslProtocols": items(["TLSv1.2"]),
            "OriginReadTimeout": 30,
            "OriginKeepaliveTimeout": 5,
        },
        "ConnectionAttempts": 3,
        "ConnectionTimeout": 10,
        "OriginAccessControlId": oac,
    }


def behavior(
    target: str,
    *,
    pattern: str | None = None,
    methods: list[str] | None = None,
    cache: str = CACHING_OPTIMIZED,
    origin_request: str | None = None,
    protocol: str = "redirect-to-https",
) -> dict[str, Any]:
    allowed = methods or ["GET", "HEAD"]
    b: dict[str, Any] = {
        "TargetOriginId": target,
        "TrustedSigners": {"Enabled": False, "Quantity": 0},
        "TrustedKeyGroups": {"Enabled": False, "Quantity": 0},
        "ViewerProtocolPolicy": protocol,
        "AllowedMethods": {
            **items(allowed),
            "CachedMethods": items(["GET", "HEAD"]),
        },
        "SmoothStreaming": False,
        "Compress": True,
        "LambdaFunctionAssociations": items([]),
        "FunctionAssociations": items([]),
        "FieldLevelEncryptionId": "",
        "CachePolicyId": cache,
    }
    if origin_request:
        b["OriginRequestPolicyId"] = origin_request
    if pattern is not None:
        b = {"PathPattern": pattern, **b}
    return b


def distribution(
    origins: list[dict[str, Any]],
    default: dict[str, Any],
    behaviors: list[dict[str, Any]] | None = None,
    *,
    root: str = "index.html",
    aliases: list[str] | None = None,
) -> Config:
    names = ["www.example.com"] if aliases is None else aliases
    cert: dict[str, Any] = (
        {
            "CloudFrontDefaultCertificate": False,
            "ACMCertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/abcd-1234",
            "SSLSupportMethod": "sni-only",
            "MinimumProtocolVersion": "TLSv1.2_2021",
        }
        if names
        else {"CloudFrontDefaultCertificate": True, "MinimumProtocolVersion": "TLSv1"}
    )
    return {
        "ETag": "E2PLANTED",
        "DistributionConfig": {
            "CallerReference": "cfdoctor-planted",
            "Aliases": items(names),
            "DefaultRootObject": root,
            "Origins": items(origins),
            "OriginGroups": items([]),
            "DefaultCacheBehavior": default,
            "CacheBehaviors": items(behaviors or []),
            "CustomErrorResponses": items([]),
            "Comment": "",
            "PriceClass": "PriceClass_All",
            "Enabled": True,
            "ViewerCertificate": cert,
            "Restrictions": {"GeoRestriction": {"RestrictionType": "none", "Quantity": 0}},
            "WebACLId": "",
            "HttpVersion": "http2",
            "IsIPV6Enabled": True,
        },
    }


# -- healthy controls ----------------------------------------------------------------------------
def static_site() -> Config:
    """A private S3 bucket behind OAC, serving a static site."""
    return distribution([s3_origin("site")], behavior("site"))


def spa_site() -> Config:
    """A single-page app on S3 with the 403/404 -> /index.html fallback."""
    cfg = static_site()
    errors = [
        {
            "ErrorCode": code,
            "ResponsePagePath": "/index.html",
            "ResponseCode": "200",
            "ErrorCachingMinTTL": 10,
        }
        for code in (403, 404)
    ]
    cfg["DistributionConfig"]["CustomErrorResponses"] = items(errors)
    return cfg


def site_with_api() -> Config:
    """S3 for the site, a REST API (stage prod) under /api/*, all methods, no Host forwarded."""
    return distribution(
        [
            s3_origin("site"),
            custom_origin("api", "abc123.execute-api.us-east-1.amazonaws.com", path="/prod"),
        ],
        behavior("site"),
        [
            behavior(
                "api",
                pattern="/api/*",
                methods=ALL_METHODS,
                cache=CACHING_DISABLED,
                origin_request=ALL_VIEWER_EXCEPT_HOST,
            )
        ],
    )


def app_behind_alb() -> Config:
    """An application behind a load balancer reached by a name of its own (cert covers it)."""
    return distribution(
        [custom_origin("app", "origin.example.com")],
        behavior("app", methods=ALL_METHODS, cache=CACHING_DISABLED, origin_request=ALL_VIEWER),
        root="",
    )


def lambda_url_app() -> Config:
    """A Lambda function URL behind OAC, Host not forwarded."""
    return distribution(
        [custom_origin("fn", "abcdefghij.lambda-url.us-east-1.on.aws", oac="E3OACLAMBDA1")],
        behavior(
            "fn", methods=ALL_METHODS, cache=CACHING_DISABLED, origin_request=ALL_VIEWER_EXCEPT_HOST
        ),
        root="",
    )


CONTROLS: dict[str, Callable[[], Config]] = {
    "static-site": static_site,
    "spa-site": spa_site,
    "site-with-api": site_with_api,
    "app-behind-alb": app_behind_alb,
    "lambda-url-app": lambda_url_app,
}


# -- faults --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Fault:
    """One planted fault: where it starts, what it changes, and what must be found."""

    id: str
    base: str
    plant: Callable[[Config], object]
    finding: str
    cause: str
    status: int
    path: str

    def config(self) -> Config:
        cfg = copy.deepcopy(CONTROLS[self.base]())
        self.plant(cfg["DistributionConfig"])
        return cfg


def _origin(cfg: Config, oid: str) -> dict[str, Any]:
    return next(o for o in cfg["Origins"]["Items"] if o["Id"] == oid)


def _api(cfg: Config) -> dict[str, Any]:
    return cfg["CacheBehaviors"]["Items"][0]  # type: ignore[no-any-return]


def _set(node: dict[str, Any], **values: Any) -> dict[str, Any]:
    node.update(values)
    return node


def _coc(cfg: Config, oid: str, **values: Any) -> None:
    _origin(cfg, oid)["CustomOriginConfig"].update(values)


def _no_oac(cfg: Config) -> None:
    _origin(cfg, "site")["OriginAccessControlId"] = ""


def _legacy_host(cfg: Config) -> None:
    b = cfg["DefaultCacheBehavior"]
    del b["CachePolicyId"]
    b["ForwardedValues"] = {
        "QueryString": False,
        "Cookies": {"Forward": "none"},
        "Headers": items(["Host"]),
        "QueryStringCacheKeys": items([]),
    }
    b["MinTTL"], b["DefaultTTL"], b["MaxTTL"] = 0, 86400, 31536000


def _geo(cfg: Config) -> None:
    cfg["Restrictions"]["GeoRestriction"] = {
        "RestrictionType": "whitelist",
        **items(["US", "CA"]),
    }


def _edge_lambda(cfg: Config, arn: str, event: str = "origin-request") -> None:
    cfg["DefaultCacheBehavior"]["LambdaFunctionAssociations"] = items(
        [{"LambdaFunctionARN": arn, "EventType": event, "IncludeBody": False}]
    )


def _origin_group(cfg: Config) -> None:
    cfg["Origins"]["Items"].append(custom_origin("app-dr", "dr.example.com"))
    cfg["OriginGroups"] = items(
        [
            {
                "Id": "app-group",
                "FailoverCriteria": {"StatusCodes": items([500, 502, 503, 504])},
                "Members": items([{"OriginId": "app"}, {"OriginId": "app-dr"}]),
            }
        ]
    )
    cfg["DefaultCacheBehavior"]["TargetOriginId"] = "app-group"


def _vpc(cfg: Config) -> None:
    o = _origin(cfg, "app")
    del o["CustomOriginConfig"]
    o["DomainName"] = "internal-app-123.us-east-1.elb.amazonaws.com"
    o["VpcOriginConfig"] = {"VpcOriginId": "vo_abc123", "OriginReadTimeout": 30}


def _website(o: dict[str, Any]) -> None:
    del o["S3OriginConfig"]
    o["DomainName"] = "site-assets.s3-website-us-east-1.amazonaws.com"
    o["CustomOriginConfig"] = custom_origin("x", "x", policy="http-only")["CustomOriginConfig"]


def _trusted_key_group(cfg: Config) -> None:
    cfg["DefaultCacheBehavior"]["TrustedKeyGroups"] = {"Enabled": True, **items(["kg-1234"])}


FAULTS: tuple[Fault, ...] = (
    Fault(
        "apigw-host-forwarded",
        "site-with-api",
        lambda c: _set(_api(c), OriginRequestPolicyId=ALL_VIEWER),
        "host-forwarded-to-api-gateway",
        "apigw-host-header-forwarded",
        403,
        "/api/orders",
    ),
    Fault(
        "s3-host-forwarded",
        "static-site",
        _legacy_host,
        "host-forwarded-to-s3",
        "s3-host-header-forwarded",
        403,
        "/index.html",
    ),
    Fault(
        "s3-without-oac",
        "static-site",
        _no_oac,
        "s3-without-oac",
        "s3-private-bucket-no-oac",
        403,
        "/index.html",
    ),
    Fault(
        "api-get-only",
        "site-with-api",
        lambda c: _set(_api(c), AllowedMethods={**items(["GET", "HEAD"])}),
        "api-methods-read-only",
        "method-not-allowed-by-behavior",
        403,
        "/api/orders",
    ),
    Fault(
        "geo-whitelist",
        "static-site",
        _geo,
        "geo-restriction",
        "geo-restriction-block",
        403,
        "/index.html",
    ),
    Fault(
        "root-object-slash",
        "static-site",
        lambda c: _set(c, DefaultRootObject="/index.html"),
        "default-root-object-slash",
        "invalid-default-root-object",
        400,
        "/",
    ),
    Fault(
        "no-root-object",
        "static-site",
        lambda c: _set(c, DefaultRootObject=""),
        "no-default-root-object",
        "s3-root-or-subdirectory-index",
        403,
        "/",
    ),
    Fault(
        "stacked",
        "app-behind-alb",
        lambda c: _set(_origin(c, "app"), DomainName="d2other12345.cloudfront.net"),
        "stacked-distribution",
        "stacked-distributions",
        403,
        "/",
    ),
    Fault(
        "aliases-missing",
        "app-behind-alb",
        lambda c: _set(c, Aliases=items([])),
        "certificate-without-aliases",
        "alias-not-on-distribution",
        403,
        "/",
    ),
    Fault(
        "lambda-url-host-forwarded",
        "lambda-url-app",
        lambda c: _set(c["DefaultCacheBehavior"], OriginRequestPolicyId=ALL_VIEWER),
        "host-forwarded-to-lambda-url",
        "lambda-url-host-header-forwarded",
        403,
        "/",
    ),
    Fault(
        "https-to-port-80",
        "app-behind-alb",
        lambda c: _coc(c, "app", HTTPSPort=80),
        "https-to-port-80",
        "origin-protocol-port-mismatch",
        502,
        "/",
    ),
    Fault(
        "http-to-port-443",
        "app-behind-alb",
        lambda c: _coc(c, "app", OriginProtocolPolicy="http-only", HTTPPort=443),
        "http-to-port-443",
        "origin-plain-http-to-tls-port",
        400,
        "/",
    ),
    Fault(
        "old-ssl-protocols",
        "app-behind-alb",
        lambda c: _coc(c, "app", OriginSslProtocols=items(["SSLv3", "TLSv1"])),
        "ssl-protocols-without-tls12",
        "origin-tls-protocol-or-cipher-mismatch",
        502,
        "/",
    ),
    Fault(
        "aws-assigned-name",
        "app-behind-alb",
        lambda c: (
            _set(_origin(c, "app"), DomainName="my-alb-1234.us-east-1.elb.amazonaws.com"),
            _set(c["DefaultCacheBehavior"], OriginRequestPolicyId=ALL_VIEWER_EXCEPT_HOST),
        ),
        "aws-assigned-name-over-https",
        "origin-cert-name-mismatch",
        502,
        "/",
    ),
    Fault(
        "lambda-edge-latest",
        "static-site",
        lambda c: _edge_lambda(c, "arn:aws:lambda:us-east-1:123456789012:function:rewrite"),
        "lambda-edge-not-versioned",
        "lambda-edge-invalid-or-no-permission",
        503,
        "/index.html",
    ),
    Fault(
        "origin-path-repeats-pattern",
        "site-with-api",
        lambda c: (
            _set(_origin(c, "site"), OriginPath="/static"),
            c["CacheBehaviors"]["Items"].append(behavior("site", pattern="/static/*")),
        ),
        "origin-path-repeats-pattern",
        "origin-path-mismatch",
        404,
        "/static/app.js",
    ),
    Fault(
        "spa-without-fallback",
        "spa-site",
        lambda c: _set(c, CustomErrorResponses=items([])),
        "spa-fallback-missing",
        "spa-deep-link-on-s3",
        404,
        "/dashboard/settings",
    ),
    Fault(
        "api-caches-authorization-away",
        "site-with-api",
        lambda c: (
            _set(_api(c), CachePolicyId=CACHING_OPTIMIZED),
            _api(c).pop("OriginRequestPolicyId"),
        ),
        "authorization-not-forwarded",
        "authorization-header-not-forwarded",
        401,
        "/api/orders",
    ),
    Fault(
        "field-level-encryption",
        "app-behind-alb",
        lambda c: _set(c["DefaultCacheBehavior"], FieldLevelEncryptionId="fle-1234"),
        "field-level-encryption",
        "field-level-encryption-rejection",
        400,
        "/",
    ),
    Fault(
        "origin-group-writes",
        "app-behind-alb",
        _origin_group,
        "origin-group-with-writes",
        "origin-group-does-not-fail-over-writes",
        503,
        "/",
    ),
    Fault(
        "vpc-origin",
        "app-behind-alb",
        _vpc,
        "vpc-origin",
        "vpc-origin-misconfigured",
        504,
        "/",
    ),
    Fault(
        "internal-load-balancer",
        "app-behind-alb",
        lambda c: _set(_origin(c, "app"), DomainName="internal-app-42.us-east-1.elb.amazonaws.com"),
        "origin-private-address",
        "origin-not-internet-reachable",
        504,
        "/",
    ),
    Fault(
        "oai-with-writes",
        "static-site",
        lambda c: (
            _set(
                _origin(c, "site"),
                OriginAccessControlId="",
                S3OriginConfig={"OriginAccessIdentity": "origin-access-identity/cloudfront/E1OAI"},
            ),
            _set(c["DefaultCacheBehavior"], AllowedMethods=items(ALL_METHODS)),
        ),
        "oai-with-writes",
        "oai-put-without-payload-hash",
        400,
        "/upload/file.txt",
    ),
    Fault(
        "short-read-timeout",
        "app-behind-alb",
        lambda c: _coc(c, "app", OriginReadTimeout=2),
        "short-read-timeout",
        "origin-slow-exceeds-read-timeout",
        504,
        "/",
    ),
    Fault(
        "website-endpoint-with-oac",
        "static-site",
        lambda c: _website(_origin(c, "site")),
        "oac-on-website-endpoint",
        "s3-website-endpoint-not-public",
        403,
        "/index.html",
    ),
    Fault(
        "signed-urls-required",
        "static-site",
        _trusted_key_group,
        "signed-urls-required",
        "signed-url-missing-key-pair-id",
        403,
        "/index.html",
    ),
    Fault(
        "api-without-stage",
        "site-with-api",
        lambda c: _set(_origin(c, "api"), OriginPath=""),
        "api-stage-missing",
        "apigw-path-mismatch-missing-token",
        403,
        "/api/orders",
    ),
    Fault(
        "http-only-viewers",
        "static-site",
        lambda c: _set(c["DefaultCacheBehavior"], ViewerProtocolPolicy="https-only"),
        "https-only-viewers",
        "http-request-to-https-only-behavior",
        403,
        "/index.html",
    ),
)
