"""Distribution config analysis: behavior selection, facts, findings, JSON and SARIF output."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from cfdoctor.engine.model import LANGS
from cfdoctor.evidence import (
    EvidenceError,
    fetch_config,
    findings_json,
    findings_sarif,
    inspect,
    parse_all,
    parse_evidence,
    read_json,
)
from cfdoctor.evidence import distribution as dist
from cfdoctor.evidence.findings import CATALOGUE
from cfdoctor.evidence.model import Context
from cfdoctor.evidence.report import json_lines


def _config(fixtures: Path, name: str) -> Any:
    return json.loads((fixtures / name).read_text())


@pytest.mark.parametrize(
    ("pattern", "path", "match"),
    [
        ("/api/*", "/api/test", True),
        ("api/*", "/api/test", True),
        ("/api/*", "/API/test", False),
        ("/api/*", "/api", False),
        ("*.jpg", "/images/a.jpg", True),
        ("/images/*.jpg", "/images/a.png", False),
        ("/v?/*", "/v1/x", True),
        ("/v?/*", "/v10/x", False),
        ("/a.b", "/axb", False),
        ("/[x]", "/[x]", True),
    ],
)
def test_path_patterns(pattern: str, path: str, match: bool) -> None:
    assert bool(dist.pattern_regex(pattern).fullmatch(path.lstrip("/"))) is match


def test_behaviors_are_tried_in_order(fixtures: Path) -> None:
    data = _config(fixtures, "dist-apigw-allviewer.json")
    cfg = data["DistributionConfig"]
    first = dict(
        cfg["CacheBehaviors"]["Items"][0],
        PathPattern="/api/special/*",
        TargetOriginId="static-site",
    )
    cfg["CacheBehaviors"] = {"Quantity": 2, "Items": [first, cfg["CacheBehaviors"]["Items"][0]]}
    b, where = dist.select_behavior(cfg, "$", "/api/special/x")
    assert b["TargetOriginId"] == "static-site" and where == "$.CacheBehaviors.Items[0]"
    b, where = dist.select_behavior(cfg, "$", "/api/other?q=1")
    assert b["TargetOriginId"] == "api" and where == "$.CacheBehaviors.Items[1]"
    b, where = dist.select_behavior(cfg, "$", "/index.html")
    assert where == "$.DefaultCacheBehavior"


def test_api_behavior_with_all_viewer_policy(fixtures: Path) -> None:
    ev = parse_evidence(fixtures / "dist-apigw-allviewer.json", path="/api/test")
    assert ev.facts["behavior.forwards_host_header"] is True
    assert ev.facts["origin.protocol_policy"] == "https-only"
    assert ev.facts["origin.type"] == "api-gateway"  # edge, Regional or HTTP API: not in the config
    ids = [f.id for f in ev.findings]
    assert ids[0] == "behavior-selected"
    assert {
        "host-forwarded-to-api-gateway",
        "api-endpoint-type-unknown",
        "api-forwarded-path",
    } <= set(ids)
    forwarded = next(f for f in ev.findings if f.id == "api-forwarded-path")
    assert "/prod/api/test" in forwarded.message.en
    assert ev.hints["origin_domain"] == "test.execute-api.ap-northeast-1.amazonaws.com"


def test_default_behavior_facts(fixtures: Path) -> None:
    ev = parse_evidence(fixtures / "dist-apigw-allviewer.json")
    assert ev.facts["origin.type"] == "s3-rest"
    assert ev.facts["behavior.forwards_host_header"] is False
    assert "origin.protocol_policy" not in ev.facts


def test_dig_tells_an_edge_optimized_api(fixtures: Path) -> None:
    ctx = Context(
        path="/api/test",
        cname_chains={"test.execute-api.ap-northeast-1.amazonaws.com": ("d-abc.cloudfront.net",)},
    )
    ev = parse_evidence(fixtures / "dist-apigw-allviewer.json", context=ctx)
    assert ev.facts["origin.type"] == "api-gateway-edge"
    ctx = Context(
        path="/api/test", cname_chains={"test.execute-api.ap-northeast-1.amazonaws.com": ()}
    )
    ev = parse_evidence(fixtures / "dist-apigw-allviewer.json", context=ctx)
    assert ev.facts["origin.type"] == "api-gateway-regional"


def test_api_routes_settle_the_forwarded_path(fixtures: Path) -> None:
    evs = parse_all(
        [
            fixtures / "curl-v-api-test.txt",
            fixtures / "dist-apigw-allviewer.json",
            fixtures / "apigw-resources.json",
        ]
    )
    transcript, config, routes = evs
    assert transcript.facts["viewer.apigw_message"] == "missing-authentication-token"
    assert routes.kind == "apigw-routes" and routes.facts == {}
    assert config.facts["apigw.route_exists_for_forwarded_path"] is False
    missing = next(f for f in config.findings if f.id == "api-route-missing")
    assert "/api/test" in missing.message.en and "prod" in missing.message.en
    assert missing.fact == ("apigw.route_exists_for_forwarded_path", False)


def test_route_templates() -> None:
    assert dist.route_matches("/items/{id}", "/items/42")
    assert not dist.route_matches("/items/{id}", "/items/42/x")
    assert dist.route_matches("/{proxy+}", "/a/b/c")
    assert not dist.route_matches("/{proxy+}", "/")
    assert dist.routes_from({"Items": [{"RouteKey": "GET /test"}, {"RouteKey": "$default"}]}) == [
        ("GET", "/test"),
        ("ANY", "/{proxy+}"),
    ]


def test_get_distribution_wrapper_legacy_headers(fixtures: Path) -> None:
    ev = parse_evidence(fixtures / "dist-website-legacy.json", path="/index.html")
    assert ev.facts["origin.type"] == "s3-website"
    assert ev.facts["behavior.forwards_host_header"] is True  # ForwardedValues Headers ["*"]
    ids = {f.id for f in ev.findings}
    assert {
        "s3-website-https",
        "geo-restriction",
        "web-acl",
        "custom-error-response",
        "api-stage-missing",
    } <= ids
    where = next(f for f in ev.findings if f.id == "s3-website-https").json_path
    assert where.startswith("$.Distribution.DistributionConfig.Origins.Items[0]")


def test_custom_policy_unknown_then_given(fixtures: Path) -> None:
    ev = parse_evidence(fixtures / "dist-website-legacy.json", path="/api/x")
    assert "behavior.forwards_host_header" not in ev.facts
    assert "policy-not-given" in {f.id for f in ev.findings}
    config, _ = parse_all(
        [fixtures / "dist-website-legacy.json", fixtures / "policy-origin-request.json"],
        path="/api/x",
    )
    assert config.facts["behavior.forwards_host_header"] is True  # allExcept Authorization
    assert "host-forwarded-to-api-gateway" in {f.id for f in config.findings}


def test_ports_protocols_functions_certificates(fixtures: Path) -> None:
    ev = parse_evidence(fixtures / "dist-alb-ports.json")
    facts = ev.facts
    assert facts["origin.type"] == "load-balancer"
    assert (facts["origin.http_port"], facts["origin.https_port"]) == (443, 80)
    assert facts["origin.tls12_allowed"] is False
    assert facts["origin.tls.aws_assigned_name"] is True
    assert facts["behavior.has_lambda_edge"] is True
    assert facts["behavior.has_cloudfront_function"] is True
    ids = {f.id for f in ev.findings}
    assert {
        "https-to-port-80",
        "http-to-port-443",
        "ssl-protocols-without-tls12",
        "aws-assigned-name-over-https",
        "lambda-edge-not-versioned",
        "edge-functions",
        "aliases-with-default-certificate",
        "default-root-object-slash",
        "long-read-timeout",
    } <= ids
    assert ev.hints["connection_timeout"] == "5"


def test_host_not_an_alias(fixtures: Path) -> None:
    found = inspect(
        _config(fixtures, "dist-apigw-allviewer.json"), context=Context(host="shop.example.com")
    )
    assert "host-not-an-alias" in {f.id for f in found}
    found = inspect(
        _config(fixtures, "dist-apigw-allviewer.json"), context=Context(host="www.example.com")
    )
    assert "host-not-an-alias" not in {f.id for f in found}


def test_findings_are_translated_and_complete() -> None:
    for fid, (severity, text) in CATALOGUE.items():
        assert severity in ("error", "warning", "note"), fid
        for lang in LANGS:
            assert text.get(lang).strip(), (fid, lang)
        placeholders = set(re.findall(r"\{[a-z_]+\}", text.en))
        codes = set(re.findall(r"`[^`]+`", text.en))
        for lang in ("ja", "zh"):
            assert set(re.findall(r"\{[a-z_]+\}", text.get(lang))) == placeholders, (fid, lang)
            assert set(re.findall(r"`[^`]+`", text.get(lang))) == codes, (fid, lang)


def test_inspect_rejects_what_is_not_a_config() -> None:
    with pytest.raises(EvidenceError, match="not a usable distribution config"):
        inspect({"hello": 1})


def test_json_report(fixtures: Path) -> None:
    found = inspect(_config(fixtures, "dist-alb-ports.json"))
    report = findings_json(found, "ja")
    assert report["counts"]["error"] == sum(1 for f in found if f.severity == "error")
    assert report["findings"][0]["message"] == found[0].message.ja
    json.dumps(report)


def test_sarif_report(fixtures: Path) -> None:
    text = (fixtures / "dist-alb-ports.json").read_text()
    found = inspect(json.loads(text))
    sarif = findings_sarif(found, artifact_uri="dist-alb-ports.json", document=text)
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted({f.id for f in found})
    lines = text.splitlines()
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        loc = result["locations"][0]
        line = loc["physicalLocation"]["region"]["startLine"]
        key = loc["logicalLocations"][0]["fullyQualifiedName"].rsplit(".", 1)[-1]
        key = key.split("[")[0]
        assert f'"{key}"' in lines[line - 1], (key, line)
    json.dumps(sarif)


def test_json_lines() -> None:
    text = '{\n  "a": [\n    {"b": 1},\n    {"c": "x\\"y"}\n  ],\n  "d": {}\n}\n'
    lines = json_lines(text)
    assert lines["$.a"] == 2 and lines["$.a[1].c"] == 4 and lines["$.d"] == 6


def test_read_json(fixtures: Path) -> None:
    assert isinstance(read_json(fixtures / "dist-alb-ports.json"), dict)
    with pytest.raises(EvidenceError, match="not valid JSON"):
        read_json("{nope")


def test_fetch_without_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for var in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    with pytest.raises(EvidenceError, match="no AWS credentials found"):
        fetch_config("E1A2B3C4D5E6F7")


def test_fetch_without_boto3(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "boto3", None)
    with pytest.raises(EvidenceError, match=r"needs boto3.*cfdoctor\[aws\]"):
        fetch_config("E1A2B3C4D5E6F7")


# -- which requests the behavior accepts, and the default root object --------------------------
@pytest.mark.parametrize(
    ("name", "path", "expected"),
    [
        (
            "dist-apigw-allviewer.json",
            None,
            ("redirect-to-https", "get-head", "valid"),
        ),
        (
            "dist-apigw-allviewer.json",
            "/api/test",
            ("https-only", "all", "valid"),
        ),
        ("dist-alb-ports.json", None, ("redirect-to-https", "get-head", "invalid")),
    ],
)
def test_behavior_protocol_methods_and_root_object(
    fixtures: Path, name: str, path: str | None, expected: tuple[str, str, str]
) -> None:
    facts = parse_evidence(fixtures / name, path=path).facts
    assert (
        facts["behavior.viewer_protocol_policy"],
        facts["behavior.allowed_methods"],
        facts["distribution.default_root_object"],
    ) == expected


@pytest.mark.parametrize(
    ("methods", "value"),
    [
        (["GET", "HEAD"], "get-head"),
        (["HEAD", "GET", "OPTIONS"], "get-head-options"),
        (["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"], "all"),
        (["GET"], None),
    ],
)
def test_allowed_methods_sets(methods: list[str], value: str | None) -> None:
    behavior = {
        "ViewerProtocolPolicy": "allow-all",
        "AllowedMethods": {"Quantity": len(methods), "Items": methods},
    }
    facts = dist.behavior_request_facts(behavior)
    assert facts.get("behavior.allowed_methods") == value
    assert facts["behavior.viewer_protocol_policy"] == "allow-all"


@pytest.mark.parametrize(
    ("root", "state"),
    [
        (None, "unset"),
        ("", "unset"),
        ("index.html", "valid"),
        ("site/index.html", "valid"),
        ("/index.html", "invalid"),
        ("index page.html", "invalid"),
        ("index.html?x=1", "invalid"),
        ("x" * 256, "invalid"),
    ],
)
def test_default_root_object_states(root: str | None, state: str) -> None:
    config = {} if root is None else {"DefaultRootObject": root}
    assert dist.root_object_state(config) == state


def test_without_a_path_every_behavior_is_shown_as_an_alternative(fixtures: Path) -> None:
    ev = parse_evidence(fixtures / "dist-apigw-allviewer.json")
    behaviors = {b["behavior"]: b["facts"] for b in ev.details["behaviors"]}
    assert behaviors["/api/*"]["origin.type"] == "api-gateway"
    assert behaviors["/api/*"]["behavior.forwards_host_header"] is True
    assert behaviors["Default (*)"]["origin.type"] == "s3-rest"
    with_path = parse_evidence(fixtures / "dist-apigw-allviewer.json", path="/api/test")
    assert "behaviors" not in with_path.details  # the path chose one
