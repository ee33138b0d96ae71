"""No question is asked whose premise the known facts exclude, or whose answer they imply."""

from __future__ import annotations

import pytest

from cfdoctor.engine.loader import load_knowledge
from cfdoctor.engine.model import Check, Condition, Value
from cfdoctor.engine.questions import known_facts, open_checks
from cfdoctor.engine.reasoner import Reasoner

_BUNDLED = Reasoner(load_knowledge())
_WITH_PREMISE = sorted(
    (c for c in _BUNDLED.kb.checks.values() if c.applies_when is not None), key=lambda c: c.id
)


def _falsifying(cond: Condition) -> Value:
    """A precise value of the condition's fact that certainly makes it false."""
    fact = _BUNDLED.kb.facts[cond.fact]
    pool = fact.precise_ids if fact.type == "enum" else _BUNDLED.answer_domain[cond.fact]
    return next(v for v in pool if not cond.holds(v))


def _satisfying(cond: Condition) -> Value:
    """A precise value of the condition's fact that certainly makes it true."""
    fact = _BUNDLED.kb.facts[cond.fact]
    pool = fact.precise_ids if fact.type == "enum" else _BUNDLED.answer_domain[cond.fact]
    return next(v for v in pool if cond.holds(v))


def _excluding(check: Check) -> list[dict[str, Value]]:
    """Fact sets that exclude the check's premise, one per way of excluding it."""
    assert check.applies_when is not None
    when = check.applies_when
    sets = [{c.fact: _falsifying(c)} for c in when.all]
    sets += [{c.fact: _satisfying(c)} for c in when.not_]
    if when.any:
        sets.append({c.fact: _falsifying(c) for c in when.any})
    return sets


def test_most_follow_up_checks_declare_their_premise() -> None:
    assert len(_WITH_PREMISE) >= 90


def test_a_relevance_premise_the_person_cannot_tell_does_not_block() -> None:
    """TLS questions wait for the origin type and the protocol policy to be asked; when the
    person cannot tell them, they still apply (only a known S3 origin or HTTP only excludes)."""
    tls = _BUNDLED.kb.checks["origin-tls-handshake"]
    current = _BUNDLED.evaluate({"viewer.status": 502})
    assert tls not in open_checks(_BUNDLED, current, {"viewer.status"})
    unknown = {"viewer.status", "origin.type", "origin.protocol_policy"}
    assert tls in open_checks(_BUNDLED, current, unknown)


@pytest.mark.parametrize("check", _WITH_PREMISE, ids=lambda c: c.id)
def test_never_asked_when_the_premise_is_excluded(check: Check) -> None:
    for facts in _excluding(check):
        for status in ({}, {"viewer.status": 403}, {"viewer.status": 502}):
            given = {**facts, **status}
            current = _BUNDLED.evaluate(given)
            assert check not in open_checks(_BUNDLED, current, set(given)), given


_ASKABLE_PREMISE = [
    c
    for c in _WITH_PREMISE
    if c.applies_when is not None
    and any(
        _BUNDLED.kb.checks_by_fact.get(p.fact)
        for p in c.applies_when.all + c.applies_when.not_
    )
]


@pytest.mark.parametrize("check", _ASKABLE_PREMISE, ids=lambda c: c.id)
def test_waits_for_a_premise_nobody_has_stated_yet(check: Check) -> None:
    current = _BUNDLED.evaluate({})
    assert check not in open_checks(_BUNDLED, current, set())


def test_a_premise_the_person_cannot_tell_excludes_the_follow_up() -> None:
    current = _BUNDLED.evaluate({"viewer.status": 403})
    settled = {"viewer.status", "viewer.error_source"}  # "unknown" who answered
    asked = {c.id for c in open_checks(_BUNDLED, current, settled)}
    assert not asked & {"viewer-apigw-message", "viewer-s3-error-code", "viewer-cloudfront-phrase"}


@pytest.mark.parametrize(
    ("facts", "implied"),
    [
        ({"viewer.cloudfront_phrase": "could-not-connect"}, {"viewer.status": 502}),
        ({"viewer.s3_error_code": "access-denied"}, {"viewer.status": 403}),
        ({"viewer.status": 504}, {"viewer.status_class": "5xx"}),
        ({"origin.tcp.connect": "connects"}, {"origin.dns.status": "resolves"}),
        ({"behavior.forwards_all_headers": True}, {"behavior.forwards_host_header": True}),
        ({"origin.type": "lambda-url"}, {"lambda_url.is_origin": True}),
    ],
)
def test_implied_facts_settle_their_checks(
    facts: dict[str, Value], implied: dict[str, Value]
) -> None:
    current = _BUNDLED.evaluate(facts)
    known = known_facts(current)
    assert implied.items() <= known.items()
    asked = {c.fact for c in open_checks(_BUNDLED, current, set(facts))}
    assert not asked & implied.keys()


def test_no_tcp_question_once_a_tls_handshake_got_an_answer() -> None:
    """A handshake that got an answer connected first; but it is not taken as proof that
    CloudFront can connect (the person may have tested from inside the network)."""
    current = _BUNDLED.evaluate({"viewer.status": 502, "origin.tls.handshake": "completed"})
    settled = {"viewer.status", "origin.tls.handshake", "origin.type", "origin.protocol_policy"}
    asked = {c.fact for c in open_checks(_BUNDLED, current, settled)}
    assert not asked & {"origin.tcp.connect", "origin.tcp.allows_cloudfront"}
    assert "origin.tcp.connect" not in known_facts(current)


def test_what_the_person_said_beats_an_implication() -> None:
    facts: dict[str, Value] = {
        "viewer.cloudfront_phrase": "could-not-connect",
        "viewer.status": 504,
    }
    assert known_facts(_BUNDLED.evaluate(facts))["viewer.status"] == 504
