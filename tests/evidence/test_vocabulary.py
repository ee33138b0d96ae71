"""Parsers speak the knowledge base's vocabulary exactly, and their facts move the diagnosis."""

from __future__ import annotations

from pathlib import Path

import pytest

from cfdoctor.engine.model import KnowledgeBase
from cfdoctor.engine.reasoner import Reasoner
from cfdoctor.engine.scoring import UNEXPLAINED
from cfdoctor.engine.session import Session
from cfdoctor.engine.validate import PROVIDERS
from cfdoctor.engine.values import type_problem
from cfdoctor.evidence import PROVIDERS as IMPLEMENTED
from cfdoctor.evidence import access_log, parse_all, parse_evidence, response
from tests.evidence.conftest import fixture_files


def test_provider_names_are_known() -> None:
    assert IMPLEMENTED <= PROVIDERS


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: p.name)
def test_fixture_facts_are_in_the_vocabulary(kb: KnowledgeBase, path: Path) -> None:
    try:
        ev = parse_evidence(path)
    except Exception as exc:  # only the curl failure fixture has nothing to parse
        assert path.name == "curl-v-resolve-failure.txt", exc
        return
    for name, value in ev.facts.items():
        fact = kb.facts[name]
        assert not fact.derived, name
        assert type_problem(fact, value) is None, (name, value)
        if ev.provider is not None:
            assert ev.provider in fact.settled_by or _read_from_config(kb, ev.kind, name), (
                name,
                ev.provider,
            )


def _read_from_config(kb: KnowledgeBase, kind: str, name: str) -> bool:
    """A config settles what its checks tell a person to read in get-distribution-config."""
    return kind == "distribution-config" and any(
        "cloudfront get-distribution" in str(kb.checks[check].commands)
        for check in kb.checks_by_fact.get(name, ())
    )


@pytest.mark.parametrize(
    ("fact", "values"),
    [
        ("viewer.cloudfront_phrase", {v for _, v in response.PHRASES} | {"other"}),
        ("viewer.x_cache", set(response.X_CACHE.values()) | {"other"}),
        ("viewer.s3_error_code", set(response.S3_CODES.values()) | {"other"}),
        ("viewer.signed_url_error", set(response.SIGNED_URL_CODES.values())),
        ("viewer.apigw_message", set(response.APIGW_MESSAGES.values()) | {"other"}),
        ("viewer.apigw_error_type", set(response.APIGW_ERROR_TYPES.values()) | {"other"}),
        ("viewer.waf_action", set(response.WAF_ACTIONS.values()) | {"other"}),
        ("edge_log.dominant_error", set(access_log.ERROR_CLASSES.values()) | {"other", "mixed"}),
    ],
)
def test_every_value_a_parser_can_emit_is_declared(
    kb: KnowledgeBase, fact: str, values: set[str]
) -> None:
    assert values <= set(kb.facts[fact].value_ids)


def _top(reasoner: Reasoner, facts: dict[str, object]) -> str:
    session = Session(reasoner)
    session.observe_many(facts.items(), source="evidence:test")  # type: ignore[arg-type]
    ranking = session.evaluation().ranking
    lead = ranking.leader
    return UNEXPLAINED if lead is None or lead.posterior <= ranking.unexplained else lead.cause


def _facts(*evs: object) -> dict[str, object]:
    out: dict[str, object] = {}
    for ev in evs:
        out.update(ev.facts)  # type: ignore[attr-defined]
    return out


@pytest.mark.parametrize(
    ("files", "cause"),
    [
        (["curl-i-cf-origin-dns.txt"], "origin-dns-failure"),
        (["access-log-dns.log"], "origin-dns-failure"),
        (["access-log-lambda.log"], "lambda-edge-validation-error"),
        (["curl-v-h2-cf-lambda-validation-json.txt"], "lambda-edge-validation-error"),
        (
            ["curl-i-cf-could-not-connect.txt", "dig-origin.txt", "openssl-refused.txt"],
            "origin-port-blocked",
        ),
        (
            ["curl-i-cf-could-not-connect.txt", "openssl-self-signed.txt"],
            "origin-cert-untrusted-or-self-signed",
        ),
        (
            ["curl-i-cf-could-not-connect.txt", "openssl-expired.txt"],
            "origin-cert-expired-or-not-yet-valid",
        ),
        (
            ["curl-i-cf-could-not-connect.txt", "dist-alb-ports.json"],
            "origin-protocol-port-mismatch",
        ),
        (["curl-i-elb-502.txt"], "upstream-proxy-failure"),
        (
            ["curl-v-api-test.txt", "dist-apigw-allviewer.json", "apigw-resources.json"],
            "apigw-path-mismatch-missing-token",
        ),
        (["curl-i-s3-nosuchkey.txt", "access-log-loop.log"], "apigw-edge-host-loop-nosuchkey"),
    ],
)
def test_evidence_diagnoses(
    reasoner: Reasoner, fixtures: Path, files: list[str], cause: str
) -> None:
    evs = parse_all([fixtures / f for f in files])
    assert _top(reasoner, _facts(*evs)) == cause


def test_timeouts_in_logs_weaken_fast_failing_causes(reasoner: Reasoner, fixtures: Path) -> None:
    facts = _facts(parse_evidence(fixtures / "access-log-timeouts.log"))
    ranking = Session(reasoner)
    ranking.observe_many(facts.items(), source="evidence:t")  # type: ignore[arg-type]
    scores = {s.cause: s.posterior for s in ranking.evaluation().ranking.scores}
    assert scores["origin-firewall-drops-cloudfront"] > 0
    fast = _facts(parse_evidence(fixtures / "access-log-connect.log.gz"))
    fast["viewer.status"] = 504
    session = Session(reasoner)
    session.observe_many(fast.items(), source="evidence:t")  # type: ignore[arg-type]
    after = {s.cause: s.posterior for s in session.evaluation().ranking.scores}
    assert after["origin-firewall-drops-cloudfront"] < scores["origin-firewall-drops-cloudfront"]
