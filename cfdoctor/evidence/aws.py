"""A distribution's config and the cache and origin request policies it uses, read with the
person's own AWS credentials (the optional `aws` extra), as the AWS CLI would print them.

Managed policies are known by id and not fetched; custom ones are, so that whether Host or
Authorization reaches the origin is settled rather than asked.
"""

from __future__ import annotations

import importlib
import json
from typing import Any

from cfdoctor.evidence.distribution import MANAGED_CACHE, MANAGED_ORIGIN_REQUEST, items, unwrap
from cfdoctor.evidence.model import EvidenceError


def _boto(profile: str | None) -> tuple[Any, Any]:
    try:
        boto3 = importlib.import_module("boto3")
        errors = importlib.import_module("botocore.exceptions")
    except ImportError:
        raise EvidenceError(
            "--distribution-id needs boto3: install cfdoctor with the aws extra "
            "(pip install 'cfdoctor[aws]') or pass the output of "
            "`aws cloudfront get-distribution-config --id ID` as a file"
        ) from None
    try:
        session = boto3.Session(profile_name=profile) if profile else boto3.Session()
    except errors.ProfileNotFound as exc:
        raise EvidenceError(f"AWS profile not found: {exc}") from None
    return session.client("cloudfront"), errors


def policy_ids(document: dict[str, Any]) -> list[tuple[str, str]]:
    """(kind, id) of the custom policies the behaviors use, in order, without repeats."""
    config, _base = unwrap(document)
    behaviors = [config.get("DefaultCacheBehavior"), *items(config.get("CacheBehaviors"))]
    out: list[tuple[str, str]] = []
    for b in behaviors:
        if not isinstance(b, dict):
            continue
        for key, kind, managed in (
            ("CachePolicyId", "cache", MANAGED_CACHE),
            ("OriginRequestPolicyId", "origin-request", MANAGED_ORIGIN_REQUEST),
        ):
            pid = b.get(key)
            if isinstance(pid, str) and pid and pid not in managed and (kind, pid) not in out:
                out.append((kind, pid))
    return out


def read_distribution(
    distribution_id: str, *, profile: str | None = None, client: Any = None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(get-distribution-config output, get-*-policy outputs of its custom policies)."""
    errors = importlib.import_module("botocore.exceptions") if client is not None else None
    if client is None:
        client, errors = _boto(profile)
    assert errors is not None
    try:
        reply = client.get_distribution_config(Id=distribution_id)
        document = {"ETag": reply.get("ETag"), "DistributionConfig": reply["DistributionConfig"]}
        policies = []
        for kind, pid in policy_ids(document):
            if kind == "cache":
                got = client.get_cache_policy(Id=pid)
                policies.append({"CachePolicy": got["CachePolicy"]})
            else:
                got = client.get_origin_request_policy(Id=pid)
                policies.append({"OriginRequestPolicy": got["OriginRequestPolicy"]})
    except errors.NoCredentialsError:
        raise EvidenceError(
            "no AWS credentials found: configure them (aws configure, AWS_PROFILE, or an "
            "instance role) or pass a saved get-distribution-config output as a file"
        ) from None
    except errors.ClientError as exc:
        err = exc.response.get("Error", {})
        raise EvidenceError(
            f"CloudFront refused a read for {distribution_id}: "
            f"{err.get('Code', 'error')}: {err.get('Message', '')}"
        ) from None
    except errors.BotoCoreError as exc:
        raise EvidenceError(f"could not reach the CloudFront API: {exc}") from None
    return _plain(document), [_plain(p) for p in policies]


def _plain(value: Any) -> Any:
    """JSON-ready (the API's datetimes as ISO strings), as the AWS CLI prints it."""
    return json.loads(json.dumps(value, default=str))
