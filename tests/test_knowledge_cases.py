"""Every cause carries its own cases, semgrep-style: positive cases must rank it first,
negative cases must not. One parametrized test runs them all and fails for a cause without cases.
"""

from __future__ import annotations

import pytest

from cfdoctor.engine.loader import load_knowledge
from cfdoctor.engine.model import Case, Cause
from cfdoctor.engine.reasoner import Reasoner
from cfdoctor.engine.scoring import UNEXPLAINED

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
    "origin.dns.status": "resolves",
}
"""Facts of an origin that works: no known cause may be confident on them."""


def test_healthy_origin_yields_no_confident_cause(reasoner: Reasoner) -> None:
    facts = {k: v for k, v in HEALTHY_ORIGIN.items() if k in _KB.facts}
    ranking = reasoner.evaluate(facts).ranking
    assert ranking.confident is None, ranking
    with_status = reasoner.evaluate({**facts, "viewer.status": 200}).ranking
    assert with_status.scores == () and with_status.unexplained == 1.0
