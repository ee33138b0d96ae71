"""Distributions defined as code, read into the shape of `get-distribution-config`.

CloudFormation templates (YAML with short-form tags such as !Ref, !GetAtt, !Sub; JSON; CDK's
synthesized templates) and Terraform (`aws_cloudfront_distribution` in HCL through python-hcl2,
or `terraform show -json`) become the same DistributionConfig the API returns, so the same
analysis gives the same facts and findings. Each value keeps the line it came from, so SARIF
points at the template, not at the converted config.

References are rendered into the domain names they stand for where the referenced resource tells
the kind of origin (a bucket's RegionalDomainName is an S3 REST endpoint, a function URL is a
Lambda function URL, a REST API's id joined with `.execute-api.` is API Gateway); anything else
stays an opaque placeholder and counts as a custom origin.
"""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from cfdoctor.evidence.model import EvidenceError

Path = tuple[str | int, ...]

CFN_TYPE = "AWS::CloudFront::Distribution"
TF_TYPE = "aws_cloudfront_distribution"

MANAGED_POLICY_IDS: dict[str, str] = {
    "Managed-CachingOptimized": "658327ea-f89d-4fab-a63d-7e88639e58f6",
    "Managed-CachingDisabled": "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
    "Managed-CachingOptimizedForUncompressedObjects": "b2884449-e4de-46a7-ac36-70bc7f1ddd6d",
    "Managed-AllViewer": "216adef6-5c7f-47e4-b989-5492eafa07d3",
    "Managed-AllViewerAndCloudFrontHeaders-2022-06": "33f36d7e-f396-46d9-90e0-52428a34d9dc",
    "Managed-AllViewerExceptHostHeader": "b689b0a8-53d0-40ab-baf2-68738e2966ac",
    "Managed-CORS-CustomOrigin": "59781a5b-3903-41f3-afcb-af62929ccde1",
    "Managed-CORS-S3Origin": "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf",
    "Managed-UserAgentRefererHeaders": "acba4595-bd28-49b8-b9fe-13317c0390fa",
}
"""Managed cache and origin request policies by the names Terraform data sources look up."""

_HCL_RESOURCE = re.compile(r'^\s*resource\s+"aws_cloudfront_distribution"', re.MULTILINE)


@dataclass
class Converted:
    """One distribution as get-distribution-config JSON, with the source line of each value."""

    name: str
    document: dict[str, Any]
    lines: dict[str, int] = field(default_factory=dict)
    """JSONPath in `document` ($.DistributionConfig.Origins.Items[0].DomainName) -> line."""
    source: str = ""


# -- loading with line numbers ---------------------------------------------------------------
class _Loader(yaml.SafeLoader):
    """YAML (and JSON) with CloudFormation's short-form intrinsic function tags."""


def _short_form(loader: _Loader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
        if suffix == "GetAtt" and isinstance(value, str):
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return {name: value}


_Loader.add_multi_constructor("!", _short_form)


def _compose(text: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise EvidenceError(f"not valid YAML or JSON ({str(exc).splitlines()[0]})") from None


def _load_with_lines(text: str) -> tuple[Any, dict[Path, int]]:
    """The document and the 1-based line of every value, by its path of keys and indices."""
    node = _compose(text)
    lines: dict[Path, int] = {}

    def walk(n: yaml.Node, path: Path) -> None:
        lines[path] = n.start_mark.line + 1
        if isinstance(n, yaml.MappingNode) and not n.tag.startswith("!"):
            for k, v in n.value:
                walk(v, (*path, str(k.value)))
        elif isinstance(n, yaml.SequenceNode) and not n.tag.startswith("!"):
            for i, v in enumerate(n.value):
                walk(v, (*path, i))

    if node is None:
        return None, lines
    walk(node, ())
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise EvidenceError(f"not valid YAML or JSON ({str(exc).splitlines()[0]})") from None
    return data, lines


# -- detection -------------------------------------------------------------------------------
def cloudformation_distributions(data: Any) -> list[str]:
    """Logical ids of the CloudFront distributions of a CloudFormation template."""
    resources = data.get("Resources") if isinstance(data, dict) else None
    if not isinstance(resources, dict):
        return []
    return [k for k, r in resources.items() if isinstance(r, dict) and r.get("Type") == CFN_TYPE]


def _tf_json_resources(data: Any) -> Iterator[tuple[Path, dict[str, Any]]]:
    """(path, resource) of every aws_cloudfront_distribution in `terraform show -json` output."""
    if not isinstance(data, dict):
        return
    for top in ("values", "planned_values"):
        root = data.get(top)
        if not isinstance(root, dict):
            continue
        stack: list[tuple[Path, Any]] = [((top, "root_module"), root.get("root_module"))]
        while stack:
            path, module = stack.pop()
            if not isinstance(module, dict):
                continue
            for i, r in enumerate(module.get("resources") or []):
                if isinstance(r, dict) and r.get("type") == TF_TYPE:
                    yield (*path, "resources", i), r
            for j, child in enumerate(module.get("child_modules") or []):
                stack.append(((*path, "child_modules", j), child))
        return


def looks_like_iac(text: str) -> bool:
    """A template or Terraform that defines a CloudFront distribution (for detection)."""
    head = text[:2_000_000]
    if _HCL_RESOURCE.search(head):
        return True
    if CFN_TYPE in head:
        return True
    return f'"{TF_TYPE}"' in head and ('"root_module"' in head or '"planned_values"' in head)


# -- rendering references ----------------------------------------------------------------------
_REGION = "us-east-1"


def _cfn_string(value: Any, resources: dict[str, Any]) -> str:
    """A CloudFormation value as the string it stands for (placeholders where unknown)."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, dict) or len(value) != 1:
        return ""
    ((fn, arg),) = value.items()
    if fn == "Ref":
        return {"AWS::Region": _REGION, "AWS::URLSuffix": "amazonaws.com"}.get(str(arg), str(arg))
    if fn == "Fn::GetAtt":
        parts = arg if isinstance(arg, list) else str(arg).split(".", 1)
        logical, attr = (str(parts[0]), str(parts[1])) if len(parts) == 2 else (str(parts), "")
        rtype = str((resources.get(logical) or {}).get("Type", ""))
        return _attribute(logical.lower(), rtype, attr)
    if fn == "Fn::Join" and isinstance(arg, list) and len(arg) == 2:
        sep = _cfn_string(arg[0], resources)
        items = arg[1] if isinstance(arg[1], list) else []
        return sep.join(_cfn_string(i, resources) for i in items)
    if fn == "Fn::Sub":
        template = arg[0] if isinstance(arg, list) else arg
        return re.sub(
            r"\$\{([^}]+)\}",
            lambda m: _cfn_string(
                {"Fn::GetAtt": m.group(1).split(".", 1)}
                if "." in m.group(1)
                else {"Ref": m.group(1)},
                resources,
            ),
            str(template),
        )
    if fn == "Fn::Select" and isinstance(arg, list) and len(arg) == 2:
        items = _cfn_list(arg[1], resources)
        index = int(arg[0]) if str(arg[0]).isdigit() else 0
        return items[index] if index < len(items) else ""
    return ""


def _cfn_list(value: Any, resources: dict[str, Any]) -> list[str]:
    if isinstance(value, list):
        return [_cfn_string(v, resources) for v in value]
    if isinstance(value, dict) and "Fn::Split" in value:
        sep, source = value["Fn::Split"]
        return _cfn_string(source, resources).split(str(sep))
    return [_cfn_string(value, resources)]


def _attribute(name: str, rtype: str, attr: str) -> str:
    """The domain name an attribute of a resource stands for, by the resource's type."""
    if rtype == "AWS::S3::Bucket":
        if attr == "WebsiteURL":
            return f"http://{name}.s3-website-{_REGION}.amazonaws.com"
        if attr == "RegionalDomainName":
            return f"{name}.s3.{_REGION}.amazonaws.com"
        if attr == "DomainName":
            return f"{name}.s3.amazonaws.com"
    if rtype == "AWS::Lambda::Url" and attr == "FunctionUrl":
        return f"https://{name}.lambda-url.{_REGION}.on.aws/"
    if rtype == "AWS::ElasticLoadBalancingV2::LoadBalancer" and attr == "DNSName":
        return f"{name}-1.{_REGION}.elb.amazonaws.com"
    if rtype == "AWS::CloudFront::Distribution" and attr == "DomainName":
        return f"{name}.cloudfront.net"
    if rtype in ("AWS::ApiGateway::RestApi", "AWS::ApiGatewayV2::Api") and attr == "ApiEndpoint":
        return f"https://{name}.execute-api.{_REGION}.amazonaws.com"
    return f"{name}-{attr.lower()}.ref.invalid"


_TF_REF = re.compile(r"\b(data\.)?(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)(?:\[[^\]]*\])?\.([a-z0-9_]+)")


def _tf_string(value: Any, data_names: dict[str, str]) -> str:
    """A Terraform expression as the string it stands for (placeholders where unknown)."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return str(value)
    if not isinstance(value, str):
        return ""
    if "${" not in value:
        return value
    m = _TF_REF.search(value)
    if not m:
        return value
    is_data, rtype, name, attr = bool(m.group(1)), m.group(2), m.group(3), m.group(4)
    lname = name.lower().replace("_", "-")
    if is_data and rtype in ("aws_cloudfront_cache_policy", "aws_cloudfront_origin_request_policy"):
        return data_names.get(f"{rtype}.{name}", value)
    table = {
        ("aws_s3_bucket", "bucket_regional_domain_name"): f"{lname}.s3.{_REGION}.amazonaws.com",
        ("aws_s3_bucket", "bucket_domain_name"): f"{lname}.s3.amazonaws.com",
        ("aws_s3_bucket", "website_endpoint"): f"{lname}.s3-website-{_REGION}.amazonaws.com",
        ("aws_s3_bucket_website_configuration", "website_endpoint"): (
            f"{lname}.s3-website-{_REGION}.amazonaws.com"
        ),
        ("aws_lb", "dns_name"): f"{lname}-1.{_REGION}.elb.amazonaws.com",
        ("aws_alb", "dns_name"): f"{lname}-1.{_REGION}.elb.amazonaws.com",
        ("aws_cloudfront_distribution", "domain_name"): f"{lname}.cloudfront.net",
    }
    if "lambda_function_url" in value:
        return f"{lname}.lambda-url.{_REGION}.on.aws"
    if rtype in ("aws_api_gateway_rest_api", "aws_apigatewayv2_api") or "execute-api" in value:
        return f"{lname}.execute-api.{_REGION}.amazonaws.com"
    return table.get((rtype, attr), f"{lname}-{attr.replace('_', '-')}.ref.invalid")


# -- conversion ----------------------------------------------------------------------------------
class _Builder:
    """Writes API-shaped values and remembers the source line of each."""

    def __init__(self, lines: dict[Path, int], base: str) -> None:
        self.source_lines = lines
        self.lines: dict[str, int] = {}
        self.base = base

    def line(self, src: Path) -> int | None:
        for cut in range(len(src), -1, -1):
            found = self.source_lines.get(src[:cut])
            if found is not None:
                return found
        return None

    def mark(self, target: str, src: Path) -> None:
        found = self.line(src)
        if found is not None:
            self.lines.setdefault(self.base + target, found)


def _items(values: list[Any]) -> dict[str, Any]:
    return {"Quantity": len(values), "Items": values} if values else {"Quantity": 0}


# CloudFormation keeps the API's names but writes lists without {Quantity, Items}.
_CFN_LISTS = {
    "Aliases",
    "Origins",
    "CacheBehaviors",
    "CustomErrorResponses",
    "AllowedMethods",
    "CachedMethods",
    "LambdaFunctionAssociations",
    "FunctionAssociations",
    "TrustedKeyGroups",
    "TrustedSigners",
    "OriginSslProtocols",
    "OriginCustomHeaders",
    "Locations",
    "Headers",
    "QueryStringCacheKeys",
    "WhitelistedNames",
}
_CFN_RENAMES = {
    "AcmCertificateArn": "ACMCertificateArn",
    "IamCertificateId": "IAMCertificateId",
    "SslSupportMethod": "SSLSupportMethod",
    "OriginCustomHeaders": "CustomHeaders",
    "Locations": "Items",
}


def _cfn_value(
    value: Any, src: Path, target: str, b: _Builder, resources: dict[str, Any], key: str = ""
) -> Any:
    b.mark(target, src)
    if (
        isinstance(value, dict)
        and len(value) == 1
        and next(iter(value)).startswith(("Fn::", "Ref"))
    ):
        return _cfn_string(value, resources)
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for k, v in value.items():
            name = _CFN_RENAMES.get(str(k), str(k))
            if k == "Locations":
                out.update(_items([_cfn_string(x, resources) for x in v if x is not None]))
                b.mark(f"{target}.Items", (*src, k))
                continue
            out[name] = _cfn_value(v, (*src, k), f"{target}.{name}", b, resources, k)
        if key == "DistributionConfig":
            _cfn_distribution_defaults(out)
        return out
    if isinstance(value, list) and key in _CFN_LISTS:
        converted = [
            _cfn_value(v, (*src, i), f"{target}.Items[{i}]", b, resources)
            for i, v in enumerate(value)
        ]
        if key in ("TrustedKeyGroups", "TrustedSigners"):
            return {"Enabled": bool(converted), **_items(converted)}
        return _items(converted)
    if isinstance(value, list):
        return [
            _cfn_value(v, (*src, i), f"{target}[{i}]", b, resources) for i, v in enumerate(value)
        ]
    if isinstance(value, str) and key in ("HTTPPort", "HTTPSPort", "OriginReadTimeout"):
        return int(value) if value.isdigit() else value
    return value


def _cfn_distribution_defaults(cfg: dict[str, Any]) -> None:
    """What CloudFormation leaves out and the API spells out."""
    geo = (cfg.get("Restrictions") or {}).get("GeoRestriction")
    if isinstance(geo, dict) and "Items" not in geo and "Quantity" not in geo:
        geo["Quantity"] = 0
    for o in (cfg.get("Origins") or {}).get("Items", []):
        bare = isinstance(o, dict) and not {"S3OriginConfig", "CustomOriginConfig"} & set(o)
        if bare and re.search(r"\.s3[.-]", str(o.get("DomainName", ""))):
            o["S3OriginConfig"] = {"OriginAccessIdentity": ""}


def from_cloudformation(text: str) -> list[Converted]:
    data, lines = _load_with_lines(text)
    resources = data.get("Resources") if isinstance(data, dict) else None
    if not isinstance(resources, dict):
        raise EvidenceError("not a CloudFormation template (no Resources)")
    out = []
    for logical in cloudformation_distributions(data):
        props = resources[logical].get("Properties") or {}
        config = props.get("DistributionConfig")
        if not isinstance(config, dict):
            raise EvidenceError(f"Resources.{logical}.Properties.DistributionConfig is missing")
        b = _Builder(lines, "$.DistributionConfig")
        src: Path = ("Resources", logical, "Properties", "DistributionConfig")
        converted = _cfn_value(config, src, "", b, resources, "DistributionConfig")
        out.append(Converted(logical, {"DistributionConfig": converted}, b.lines, "cloudformation"))
    return out


# Terraform: snake_case blocks, each a list of dicts.
_TF_ORIGIN_FIELDS = {
    "origin_id": "Id",
    "domain_name": "DomainName",
    "origin_path": "OriginPath",
    "origin_access_control_id": "OriginAccessControlId",
    "connection_attempts": "ConnectionAttempts",
    "connection_timeout": "ConnectionTimeout",
}
_TF_CUSTOM_FIELDS = {
    "http_port": "HTTPPort",
    "https_port": "HTTPSPort",
    "origin_protocol_policy": "OriginProtocolPolicy",
    "origin_read_timeout": "OriginReadTimeout",
    "origin_keepalive_timeout": "OriginKeepaliveTimeout",
}
_TF_BEHAVIOR_FIELDS = {
    "path_pattern": "PathPattern",
    "target_origin_id": "TargetOriginId",
    "viewer_protocol_policy": "ViewerProtocolPolicy",
    "cache_policy_id": "CachePolicyId",
    "origin_request_policy_id": "OriginRequestPolicyId",
    "field_level_encryption_id": "FieldLevelEncryptionId",
}


def _blocks(node: Any, name: str) -> list[tuple[int, dict[str, Any]]]:
    value = node.get(name) if isinstance(node, dict) else None
    if isinstance(value, dict):
        value = [value]
    return [(i, v) for i, v in enumerate(value or []) if isinstance(v, dict)]


class _Terraform:
    def __init__(self, b: _Builder, data_names: dict[str, str]) -> None:
        self.b = b
        self.data_names = data_names

    def s(self, v: Any) -> str:
        return _tf_string(v, self.data_names)

    def n(self, v: Any) -> Any:
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return v
        text = self.s(v)
        return int(text) if text.isdigit() else text

    def fields(
        self, node: dict[str, Any], names: dict[str, str], src: Path, target: str
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for tf, api in names.items():
            if tf in node:
                value = node[tf]
                numeric = api.endswith(("Port", "Timeout", "Attempts"))
                out[api] = self.n(value) if numeric else self.s(value)
                self.b.mark(f"{target}.{api}", (*src, tf))
        return out

    def strings(self, v: Any) -> list[str]:
        return [self.s(x) for x in v] if isinstance(v, list) else []

    def origin(self, o: dict[str, Any], src: Path, target: str) -> dict[str, Any]:
        out = self.fields(o, _TF_ORIGIN_FIELDS, src, target)
        out.setdefault("OriginPath", "")
        for i, c in _blocks(o, "custom_origin_config"):
            where = (*src, "custom_origin_config", i)
            coc = self.fields(c, _TF_CUSTOM_FIELDS, where, f"{target}.CustomOriginConfig")
            coc["OriginSslProtocols"] = _items(self.strings(c.get("origin_ssl_protocols")))
            self.b.mark(
                f"{target}.CustomOriginConfig.OriginSslProtocols", (*where, "origin_ssl_protocols")
            )
            self.b.mark(f"{target}.CustomOriginConfig", where)
            out["CustomOriginConfig"] = coc
        for i, c in _blocks(o, "s3_origin_config"):
            out["S3OriginConfig"] = {
                "OriginAccessIdentity": self.s(c.get("origin_access_identity", ""))
            }
            self.b.mark(f"{target}.S3OriginConfig", (*src, "s3_origin_config", i))
        for i, c in _blocks(o, "vpc_origin_config"):
            out["VpcOriginConfig"] = {"VpcOriginId": self.s(c.get("vpc_origin_id", ""))}
            self.b.mark(f"{target}.VpcOriginConfig", (*src, "vpc_origin_config", i))
        domain = str(out.get("DomainName", ""))
        bare = not {"CustomOriginConfig", "VpcOriginConfig"} & set(out)
        if bare and re.search(r"\.s3[.-]", domain):
            out.setdefault("S3OriginConfig", {"OriginAccessIdentity": ""})
        return out

    def behavior(self, node: dict[str, Any], src: Path, target: str) -> dict[str, Any]:
        out = self.fields(node, _TF_BEHAVIOR_FIELDS, src, target)
        for key, api in (("allowed_methods", "AllowedMethods"), ("cached_methods", None)):
            if api and key in node:
                out[api] = _items(self.strings(node[key]))
                self.b.mark(f"{target}.{api}", (*src, key))
        for key, api in (
            ("trusted_key_groups", "TrustedKeyGroups"),
            ("trusted_signers", "TrustedSigners"),
        ):
            values = self.strings(node.get(key))
            out[api] = {"Enabled": bool(values), **_items(values)}
            if key in node:
                self.b.mark(f"{target}.{api}", (*src, key))
        lambdas = [
            {
                "LambdaFunctionARN": self.s(a.get("lambda_arn", "")),
                "EventType": self.s(a.get("event_type", "")),
            }
            for _, a in _blocks(node, "lambda_function_association")
        ]
        out["LambdaFunctionAssociations"] = _items(lambdas)
        for i, _a in _blocks(node, "lambda_function_association"):
            self.b.mark(
                f"{target}.LambdaFunctionAssociations.Items[{i}].LambdaFunctionARN",
                (*src, "lambda_function_association", i, "lambda_arn"),
            )
        functions = [
            {
                "FunctionARN": self.s(a.get("function_arn", "")),
                "EventType": self.s(a.get("event_type", "")),
            }
            for _, a in _blocks(node, "function_association")
        ]
        out["FunctionAssociations"] = _items(functions)
        for i, fv in _blocks(node, "forwarded_values"):
            out["ForwardedValues"] = {
                "QueryString": bool(fv.get("query_string")),
                "Headers": _items(self.strings(fv.get("headers"))),
            }
            self.b.mark(f"{target}.ForwardedValues", (*src, "forwarded_values", i))
        self.b.mark(target, src)
        return out

    def distribution(self, r: dict[str, Any], src: Path) -> dict[str, Any]:
        b = self.b
        cfg: dict[str, Any] = {}
        cfg["Aliases"] = _items(self.strings(r.get("aliases")))
        b.mark(".Aliases", (*src, "aliases"))
        cfg["DefaultRootObject"] = self.s(r.get("default_root_object", ""))
        b.mark(".DefaultRootObject", (*src, "default_root_object"))
        cfg["WebACLId"] = self.s(r.get("web_acl_id", ""))
        b.mark(".WebACLId", (*src, "web_acl_id"))
        origins = [
            self.origin(o, (*src, "origin", i), f".Origins.Items[{i}]")
            for i, o in _blocks(r, "origin")
        ]
        cfg["Origins"] = _items(origins)
        groups = []
        for i, g in _blocks(r, "origin_group"):
            members = [{"OriginId": self.s(m.get("origin_id"))} for _, m in _blocks(g, "member")]
            codes = [
                self.n(c)
                for _, fc in _blocks(g, "failover_criteria")
                for c in (fc.get("status_codes") or [])
            ]
            groups.append(
                {
                    "Id": self.s(g.get("origin_id")),
                    "FailoverCriteria": {"StatusCodes": _items(codes)},
                    "Members": _items(members),
                }
            )
            b.mark(f".OriginGroups.Items[{i}]", (*src, "origin_group", i))
        cfg["OriginGroups"] = _items(groups)
        for i, d in _blocks(r, "default_cache_behavior")[:1]:
            cfg["DefaultCacheBehavior"] = self.behavior(
                d, (*src, "default_cache_behavior", i), ".DefaultCacheBehavior"
            )
        cfg["CacheBehaviors"] = _items(
            [
                self.behavior(c, (*src, "ordered_cache_behavior", i), f".CacheBehaviors.Items[{i}]")
                for i, c in _blocks(r, "ordered_cache_behavior")
            ]
        )
        errors = [
            {
                "ErrorCode": self.n(e.get("error_code")),
                "ResponsePagePath": self.s(e.get("response_page_path", "")),
                "ResponseCode": self.s(e.get("response_code", "")),
            }
            for _, e in _blocks(r, "custom_error_response")
        ]
        cfg["CustomErrorResponses"] = _items(errors)
        b.mark(".CustomErrorResponses", (*src, "custom_error_response"))
        geo: dict[str, Any] = {"RestrictionType": "none", "Quantity": 0}
        for i, rs in _blocks(r, "restrictions"):
            for j, g in _blocks(rs, "geo_restriction"):
                geo = {
                    "RestrictionType": self.s(g.get("restriction_type", "none")),
                    **_items(self.strings(g.get("locations"))),
                }
                b.mark(
                    ".Restrictions.GeoRestriction", (*src, "restrictions", i, "geo_restriction", j)
                )
        cfg["Restrictions"] = {"GeoRestriction": geo}
        for i, vc in _blocks(r, "viewer_certificate"):
            cert: dict[str, Any] = {
                "CloudFrontDefaultCertificate": bool(vc.get("cloudfront_default_certificate")),
            }
            if vc.get("acm_certificate_arn"):
                cert["ACMCertificateArn"] = self.s(vc["acm_certificate_arn"])
            if vc.get("iam_certificate_id"):
                cert["IAMCertificateId"] = self.s(vc["iam_certificate_id"])
            cfg["ViewerCertificate"] = cert
            b.mark(".ViewerCertificate", (*src, "viewer_certificate", i))
            b.mark(
                ".ViewerCertificate.ACMCertificateArn",
                (*src, "viewer_certificate", i, "acm_certificate_arn"),
            )
        return cfg


def _hcl(text: str) -> Any:
    try:
        hcl2 = importlib.import_module("hcl2")
        options = importlib.import_module("hcl2.utils").SerializationOptions(
            with_comments=False, strip_string_quotes=True
        )
    except ImportError:
        raise EvidenceError(
            "reading Terraform needs python-hcl2: install cfdoctor with the iac extra "
            "(pip install 'cfdoctor[iac]') or give `terraform show -json` output"
        ) from None
    try:
        return hcl2.loads(text, serialization_options=options)
    except Exception as exc:  # lark's errors: one line naming the position
        raise EvidenceError(f"not valid Terraform HCL ({str(exc).splitlines()[0][:200]})") from None


def hcl_lines(text: str) -> dict[Path, int]:
    """Line of each block and attribute of the HCL, by path (resource, type, name, block, i, attr).

    python-hcl2 gives no positions, so the lines come from the text: block openings and
    `name = value` lines, nested by braces.
    """
    lines: dict[Path, int] = {}
    stack: list[tuple[Path, dict[str, int]]] = [((), {})]
    opener = re.compile(r'^\s*([A-Za-z_][\w-]*)((?:\s+"[^"]*")*)\s*\{\s*$')
    attr = re.compile(r"^\s*([A-Za-z_][\w-]*)\s*=")
    for no, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0]
        m = opener.match(line)
        if m:
            parent, counts = stack[-1]
            labels = tuple(re.findall(r'"([^"]*)"', m.group(2)))
            name = m.group(1)
            if labels:
                path: Path = (*parent, name, *labels)
            else:
                index = counts.get(name, 0)
                counts[name] = index + 1
                path = (*parent, name, index)
            lines[path] = no
            stack.append((path, {}))
            continue
        m = attr.match(line)
        if m and stack:
            lines.setdefault((*stack[-1][0], m.group(1)), no)
        closes = line.count("}") - line.count("{")
        for _ in range(max(closes, 0)):
            if len(stack) > 1:
                stack.pop()
    return lines


def _tf_data_names(data: Any) -> dict[str, str]:
    """data "aws_cloudfront_cache_policy" "x" { name = "Managed-..." } -> the managed id."""
    out: dict[str, str] = {}
    for block in data.get("data", []) if isinstance(data, dict) else []:
        if not isinstance(block, dict):
            continue
        for rtype, named in block.items():
            if not isinstance(named, dict):
                continue
            for name, body in named.items():
                policy = MANAGED_POLICY_IDS.get(str((body or {}).get("name", "")))
                if policy:
                    out[f"{rtype}.{name}"] = policy
    return out


def from_terraform_hcl(text: str) -> list[Converted]:
    data = _hcl(text)
    source_lines = hcl_lines(text)
    data_names = _tf_data_names(data)
    out = []
    for block in data.get("resource", []) if isinstance(data, dict) else []:
        named = block.get(TF_TYPE) if isinstance(block, dict) else None
        if not isinstance(named, dict):
            continue
        for name, body in named.items():
            b = _Builder(source_lines, "$.DistributionConfig")
            config = _Terraform(b, data_names).distribution(body, ("resource", TF_TYPE, name))
            out.append(Converted(name, {"DistributionConfig": config}, b.lines, "terraform"))
    return out


def from_terraform_json(text: str) -> list[Converted]:
    data, source_lines = _load_with_lines(text)
    out = []
    for path, resource in _tf_json_resources(data):
        values = resource.get("values")
        if not isinstance(values, dict):
            continue
        b = _Builder(source_lines, "$.DistributionConfig")
        config = _Terraform(b, {}).distribution(values, (*path, "values"))
        name = str(resource.get("address") or resource.get("name") or "distribution")
        out.append(Converted(name, {"DistributionConfig": config}, b.lines, "terraform-json"))
    return out


def convert(text: str) -> list[Converted]:
    """Every distribution a template or Terraform defines; EvidenceError when none."""
    stripped = text.lstrip("\ufeff").lstrip()
    readers: list[Callable[[str], list[Converted]]] = []
    if stripped.startswith("{"):
        try:
            data = json.loads(stripped)
        except (ValueError, RecursionError):
            data = None
        if cloudformation_distributions(data):
            readers.append(from_cloudformation)
        elif any(True for _ in _tf_json_resources(data)):
            readers.append(from_terraform_json)
    elif _HCL_RESOURCE.search(stripped):
        readers.append(from_terraform_hcl)
    elif CFN_TYPE in stripped:
        readers.append(from_cloudformation)
    for read in readers:
        try:
            found = read(stripped)
        except EvidenceError:
            raise
        except (TypeError, AttributeError, ValueError, KeyError, IndexError, RecursionError) as exc:
            raise EvidenceError(
                f"a CloudFront distribution in it has an unexpected shape ({type(exc).__name__})"
            ) from None
        if found:
            return found
    raise EvidenceError(
        "no CloudFront distribution found (looked for a CloudFormation resource of type "
        f"{CFN_TYPE}, a Terraform resource {TF_TYPE}, or one in `terraform show -json` output)"
    )
