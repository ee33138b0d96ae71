"""Write a get-distribution-config document as a CloudFormation template (YAML with short-form
tags, or JSON) and as Terraform HCL, the way people write them: buckets, function URLs and load
balancers referenced by !GetAtt or by Terraform references, not pasted as domain names."""

from __future__ import annotations

import json
from typing import Any

RENAMES = {
    "ACMCertificateArn": "AcmCertificateArn",
    "IAMCertificateId": "IamCertificateId",
    "SSLSupportMethod": "SslSupportMethod",
    "CustomHeaders": "OriginCustomHeaders",
}
DROP = {"CachedMethods", "SmoothStreaming", "Compress", "OriginShield"}


class Ref(str):
    """A CloudFormation short-form intrinsic, written as a tag (!GetAtt X.Y)."""

    def __new__(cls, tag: str, value: str) -> Ref:
        obj = super().__new__(cls, value)
        obj.tag = tag  # type: ignore[attr-defined]
        return obj


def _items(node: Any) -> list[Any]:
    return list(node.get("Items", [])) if isinstance(node, dict) else []


def _reference(domain: str) -> tuple[Ref, dict[str, Any]] | None:
    """A resource and a reference to it that stands for `domain`, where one would be written."""
    if ".s3.us-east-1.amazonaws.com" in domain and "website" not in domain:
        return Ref("GetAtt", "SiteBucket.RegionalDomainName"), {"Type": "AWS::S3::Bucket"}
    if ".lambda-url." in domain:
        return Ref("Select", "FunctionUrl"), {"Type": "AWS::Lambda::Url"}
    return None


def to_cloudformation(doc: dict[str, Any]) -> dict[str, Any]:
    """The template as data (Ref values mark intrinsics)."""
    resources: dict[str, Any] = {}

    def conv(value: Any, key: str = "") -> Any:
        if isinstance(value, dict) and set(value) <= {"Quantity", "Items", "Enabled"}:
            if key in ("TrustedKeyGroups", "TrustedSigners"):
                return _items(value) or None
            if key in ("OriginGroups", "Members", "StatusCodes"):  # CloudFormation keeps these
                return {k: conv(v) if k == "Items" else v for k, v in value.items()}
            return [conv(v) for v in _items(value)]
        if isinstance(value, dict):
            out: dict[str, Any] = {}
            for k, v in value.items():
                if k in DROP:
                    continue
                if k == "GeoRestriction":
                    out[k] = {"RestrictionType": v["RestrictionType"]}
                    if _items(v):
                        out[k]["Locations"] = _items(v)
                    continue
                if k == "AllowedMethods":
                    out[k] = _items(v)
                    continue
                converted = conv(v, k)
                if converted is None or (converted == "" and k not in ("DefaultRootObject",)):
                    continue
                if k == "DomainName" and isinstance(v, str) and (ref := _reference(v)):
                    tag, resource = ref
                    is_bucket = getattr(tag, "tag", "") == "GetAtt"
                    resources["SiteBucket" if is_bucket else "FunctionUrl"] = resource
                    converted = tag
                out[RENAMES.get(str(k), str(k))] = converted
            return out
        if isinstance(value, list):
            return [conv(v) for v in value]
        return value

    config = conv(doc["DistributionConfig"])
    resources["Distribution"] = {
        "Type": "AWS::CloudFront::Distribution",
        "Properties": {"DistributionConfig": config},
    }
    return {"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}


def cloudformation_yaml(doc: dict[str, Any]) -> str:
    """YAML with !GetAtt and !Select/!Split short forms."""
    template = to_cloudformation(doc)
    lines: list[str] = []

    def scalar(v: Any) -> str:
        if isinstance(v, Ref):
            tag = v.tag  # type: ignore[attr-defined]
            if tag == "Select":
                return '!Select [2, !Split ["/", !GetAtt FunctionUrl.FunctionUrl]]'
            return f"!{tag} {v}"
        return json.dumps(v)

    def emit(value: Any, indent: int) -> None:
        pad = "  " * indent
        if isinstance(value, dict):
            for k, v in value.items():
                if isinstance(v, (dict, list)) and v and not isinstance(v, Ref):
                    lines.append(f"{pad}{k}:")
                    emit(v, indent + 1)
                elif isinstance(v, (dict, list)):
                    lines.append(f"{pad}{k}: {'{}' if isinstance(v, dict) else '[]'}")
                else:
                    lines.append(f"{pad}{k}: {scalar(v)}")
        else:
            for v in value:
                if isinstance(v, dict) and v:
                    first = True
                    for k, x in v.items():
                        lead = f"{pad}- " if first else f"{pad}  "
                        first = False
                        if isinstance(x, (dict, list)) and x and not isinstance(x, Ref):
                            lines.append(f"{lead}{k}:")
                            emit(x, indent + 2)
                        elif isinstance(x, (dict, list)):
                            lines.append(f"{lead}{k}: {'{}' if isinstance(x, dict) else '[]'}")
                        else:
                            lines.append(f"{lead}{k}: {scalar(x)}")
                else:
                    lines.append(f"{pad}- {scalar(v)}")

    emit(template, 0)
    return "\n".join(lines) + "\n"


def cloudformation_json(doc: dict[str, Any]) -> str:
    """JSON with long-form intrinsics, as `cdk synth` writes it."""

    def long(v: Any) -> Any:
        if isinstance(v, Ref):
            tag = v.tag  # type: ignore[attr-defined]
            if tag == "Select":
                return {
                    "Fn::Select": [
                        2,
                        {"Fn::Split": ["/", {"Fn::GetAtt": ["FunctionUrl", "FunctionUrl"]}]},
                    ]
                }
            return {f"Fn::{tag}": str(v).split(".", 1)}
        if isinstance(v, dict):
            return {k: long(x) for k, x in v.items()}
        if isinstance(v, list):
            return [long(x) for x in v]
        return v

    return json.dumps(long(to_cloudformation(doc)), indent=1)


# -- Terraform -----------------------------------------------------------------------------------
def _hcl_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, list):
        return "[" + ", ".join(_hcl_value(x) for x in v) + "]"
    return json.dumps(v)


def terraform_hcl(doc: dict[str, Any]) -> str:
    cfg = doc["DistributionConfig"]
    out: list[str] = []
    extra: list[str] = []

    def attr(pad: str, name: str, value: Any) -> None:
        out.append(f"{pad}{name} = {value if isinstance(value, Raw) else _hcl_value(value)}")

    out.append('resource "aws_cloudfront_distribution" "site" {')
    attr("  ", "enabled", True)
    attr("  ", "aliases", _items(cfg.get("Aliases")))
    attr("  ", "default_root_object", cfg.get("DefaultRootObject", ""))
    if cfg.get("WebACLId"):
        attr("  ", "web_acl_id", cfg["WebACLId"])
    for o in _items(cfg.get("Origins")):
        out.append("  origin {")
        domain = o["DomainName"]
        if ".s3.us-east-1.amazonaws.com" in domain and "website" not in domain:
            attr("    ", "domain_name", Raw("aws_s3_bucket.site.bucket_regional_domain_name"))
            extra.append('resource "aws_s3_bucket" "site" {\n  bucket = "site-assets"\n}')
        elif ".lambda-url." in domain:
            attr(
                "    ",
                "domain_name",
                Raw('split("/", aws_lambda_function_url.fn.function_url)[2]'),
            )
        else:
            attr("    ", "domain_name", domain)
        attr("    ", "origin_id", o["Id"])
        if o.get("OriginPath"):
            attr("    ", "origin_path", o["OriginPath"])
        if o.get("OriginAccessControlId"):
            attr("    ", "origin_access_control_id", o["OriginAccessControlId"])
        coc = o.get("CustomOriginConfig")
        if coc:
            out.append("    custom_origin_config {")
            attr("      ", "http_port", coc["HTTPPort"])
            attr("      ", "https_port", coc["HTTPSPort"])
            attr("      ", "origin_protocol_policy", coc["OriginProtocolPolicy"])
            attr("      ", "origin_ssl_protocols", _items(coc.get("OriginSslProtocols")))
            attr("      ", "origin_read_timeout", coc.get("OriginReadTimeout", 30))
            out.append("    }")
        s3c = o.get("S3OriginConfig")
        if s3c and s3c.get("OriginAccessIdentity"):
            out.append("    s3_origin_config {")
            attr("      ", "origin_access_identity", s3c["OriginAccessIdentity"])
            out.append("    }")
        if o.get("VpcOriginConfig"):
            out.append("    vpc_origin_config {")
            attr("      ", "vpc_origin_id", o["VpcOriginConfig"]["VpcOriginId"])
            out.append("    }")
        out.append("  }")
    for g in _items(cfg.get("OriginGroups")):
        out.append("  origin_group {")
        attr("    ", "origin_id", g["Id"])
        out.append("    failover_criteria {")
        attr("      ", "status_codes", _items(g["FailoverCriteria"]["StatusCodes"]))
        out.append("    }")
        for m in _items(g["Members"]):
            out.append("    member {")
            attr("      ", "origin_id", m["OriginId"])
            out.append("    }")
        out.append("  }")

    def behavior(block: str, b: dict[str, Any]) -> None:
        out.append(f"  {block} {{")
        if b.get("PathPattern"):
            attr("    ", "path_pattern", b["PathPattern"])
        attr("    ", "target_origin_id", b["TargetOriginId"])
        attr("    ", "allowed_methods", _items(b.get("AllowedMethods")))
        attr("    ", "cached_methods", ["GET", "HEAD"])
        attr("    ", "viewer_protocol_policy", b["ViewerProtocolPolicy"])
        if b.get("CachePolicyId"):
            attr("    ", "cache_policy_id", b["CachePolicyId"])
        if b.get("OriginRequestPolicyId"):
            attr("    ", "origin_request_policy_id", b["OriginRequestPolicyId"])
        if b.get("FieldLevelEncryptionId"):
            attr("    ", "field_level_encryption_id", b["FieldLevelEncryptionId"])
        groups = _items(b.get("TrustedKeyGroups"))
        if groups:
            attr("    ", "trusted_key_groups", groups)
        fv = b.get("ForwardedValues")
        if fv:
            out.append("    forwarded_values {")
            attr("      ", "query_string", bool(fv.get("QueryString")))
            attr("      ", "headers", _items(fv.get("Headers")))
            out.append("      cookies {")
            attr("        ", "forward", "none")
            out.append("      }")
            out.append("    }")
        for a in _items(b.get("LambdaFunctionAssociations")):
            out.append("    lambda_function_association {")
            attr("      ", "event_type", a["EventType"])
            attr("      ", "lambda_arn", a["LambdaFunctionARN"])
            out.append("    }")
        out.append("  }")

    behavior("default_cache_behavior", cfg["DefaultCacheBehavior"])
    for b in _items(cfg.get("CacheBehaviors")):
        behavior("ordered_cache_behavior", b)
    for e in _items(cfg.get("CustomErrorResponses")):
        out.append("  custom_error_response {")
        attr("    ", "error_code", e["ErrorCode"])
        attr("    ", "response_code", int(e["ResponseCode"]))
        attr("    ", "response_page_path", e["ResponsePagePath"])
        out.append("  }")
    geo = cfg["Restrictions"]["GeoRestriction"]
    out.append("  restrictions {")
    out.append("    geo_restriction {")
    attr("      ", "restriction_type", geo["RestrictionType"])
    if _items(geo):
        attr("      ", "locations", _items(geo))
    out.append("    }")
    out.append("  }")
    vc = cfg.get("ViewerCertificate", {})
    out.append("  viewer_certificate {")
    if vc.get("ACMCertificateArn"):
        attr("    ", "acm_certificate_arn", vc["ACMCertificateArn"])
        attr("    ", "ssl_support_method", "sni-only")
    else:
        attr("    ", "cloudfront_default_certificate", True)
    out.append("  }")
    out.append("}")
    return "\n".join([*out, *extra]) + "\n"


class Raw(str):
    """An HCL expression written as is."""


def terraform_show_json(doc: dict[str, Any]) -> str:
    """`terraform show -json` of the same distribution: values resolved, blocks as lists."""
    import hcl2
    from hcl2.utils import SerializationOptions

    parsed = hcl2.loads(
        terraform_hcl(doc),
        serialization_options=SerializationOptions(with_comments=False, strip_string_quotes=True),
    )
    body = parsed["resource"][0]["aws_cloudfront_distribution"]["site"]
    domains = {o["Id"]: o["DomainName"] for o in _items(doc["DistributionConfig"]["Origins"])}

    def clean(v: Any) -> Any:
        if isinstance(v, dict):
            out = {k: clean(x) for k, x in v.items() if k != "__is_block__"}
            if "origin_id" in out and isinstance(out.get("domain_name"), str):
                out["domain_name"] = domains.get(out["origin_id"], out["domain_name"])
            return out
        if isinstance(v, list):
            return [clean(x) for x in v]
        return v

    resource = {
        "address": "aws_cloudfront_distribution.site",
        "mode": "managed",
        "type": "aws_cloudfront_distribution",
        "name": "site",
        "values": clean(body),
    }
    return json.dumps(
        {"format_version": "1.0", "values": {"root_module": {"resources": [resource]}}}, indent=2
    )
