"""Every cause carries its own cases, semgrep-style: positive cases must rank it first,
negative cases must not. One parametrized test runs them all and fails for a cause without cases.
"""

from __future__ import annotations

import pytest

from cfdoctor.engine.loader import load_knowledge
from cfdoctor.engine.model import Case, Cause
from cfdoctor.engine.questions import next_question
from cfdoctor.engine.reasoner import Reasoner
from cfdoctor.engine.scoring import UNEXPLAINED
from cfdoctor.engine.values import type_problem

_KB = load_knowledge()


def _cases() -> list[tuple[Cause, str, Case]]:
    out: list[tuple[Cause, str, Case]] = []
    for cause in sorted(_KB.causes.values(), key=lambda c: c.id):
        out.extend((cause, "positive", case) for case in cause.positive)
        out.extend((cause, "negative", case) for case in cause.negative)
    return out


def _top(reasoner: Reasoner, case: Case) -> tuple[str, str]:
    ranking = reasoner.evaluate(dict(case.facts)).ranking
    lead = ranking.leader
    top = UNEXPLAINED if lead is None or lead.posterior <= ranking.unexplained else lead.cause
    table = ", ".join(f"{s.cause}={s.posterior:.3f}" for s in ranking.scores[:5])
    return top, f"{table}, {UNEXPLAINED}={ranking.unexplained:.3f}"


@pytest.mark.parametrize("cause_id", sorted(_KB.causes))
def test_every_cause_has_positive_and_negative_cases(cause_id: str) -> None:
    cause = _KB.causes[cause_id]
    assert cause.positive, f"{cause.origin}: no positive case"
    assert cause.negative, f"{cause.origin}: no negative case"


@pytest.mark.parametrize(
    ("cause", "polarity", "case"),
    _cases(),
    ids=[f"{c.id}:{p}:{k.name}" for c, p, k in _cases()],
)
def test_case(reasoner: Reasoner, cause: Cause, polarity: str, case: Case) -> None:
    top, table = _top(reasoner, case)
    if polarity == "positive":
        assert top == cause.id, (
            f"{cause.origin}: case '{case.name}' should rank {cause.id} first; got {table}"
        )
    else:
        assert top != cause.id, (
            f"{cause.origin}: case '{case.name}' must not rank {cause.id} first; got {table}"
        )


HEALTHY_ORIGIN = {
    "origin.type": "custom",
    "origin.protocol_policy": "https-only",
    "origin.dns.status": "resolves",
    "origin.tcp.connect": "connects",
    "origin.tcp.allows_cloudfront": True,
    "origin.listener.https_port_protocol": "https",
    "origin.listener.http_port_protocol": "http",
    "origin.tls.handshake": "completed",
    "origin.tls.verify_code": 0,
    "origin.tls.shared_protocol": True,
    "origin.tls.shared_cipher": True,
    "origin.tls.tls13_only": False,
    "origin.cert.covers_origin_domain": True,
    "origin.cert.covers_host_header": True,
    "origin.cert.expired": False,
    "origin.cert.not_yet_valid": False,
    "origin.cert.self_signed": False,
    "origin.cert.issuer_trusted": True,
    "origin.cert.chain_complete": True,
    "origin.cert.chain_in_order": True,
    "origin.is_proxy": False,
    "origin.upstream.backend_healthy": True,
    "behavior.forwards_host_header": False,
    "behavior.has_lambda_edge": False,
    "origin.dns.private_address": False,
    "origin.http.status": 200,
    "origin.http.head_too_large": False,
    "origin.http.ttfb_exceeds_read_timeout": False,
    "origin.http.keep_alive": True,
}
"""Facts of an origin that works, as probes and the distribution config would report them."""


@pytest.mark.parametrize("status", [None, 502, 503, 504, 403, 404, 200])
def test_healthy_origin_yields_no_confident_cause(reasoner: Reasoner, status: int | None) -> None:
    facts: dict[str, object] = dict(HEALTHY_ORIGIN)
    if status is not None:
        facts["viewer.status"] = status
    for name, value in facts.items():  # the healthy set must speak the vocabulary exactly
        fact = _KB.facts[name]
        assert not fact.derived and type_problem(fact, value) is None, name
    ranking = reasoner.evaluate(facts).ranking  # type: ignore[arg-type]
    assert ranking.confident is None
    assert all(s.posterior < 0.5 for s in ranking.scores), ranking.scores[:3]


def test_healthy_set_covers_every_fact_a_probe_settles() -> None:
    probed = {n for n, f in _KB.facts.items() if any(p.startswith("probe:") for p in f.settled_by)}
    # facts a probe settles but a healthy origin has no single value for
    open_ended = {"origin.tls.verify_code"} - set(HEALTHY_ORIGIN)
    assert probed - open_ended <= set(HEALTHY_ORIGIN), sorted(probed - set(HEALTHY_ORIGIN))


def test_first_question_settles_the_symptom(reasoner: Reasoner) -> None:
    """With nothing known, the status code splits the causes best per minute of effort."""
    question = next_question(reasoner, {}, set())
    assert question is not None and question.check.fact == "viewer.status"
