"""The look-ahead model must agree with the rule engine it stands in for, answer by answer."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cfdoctor.engine.loader import load_knowledge
from cfdoctor.engine.model import Value
from cfdoctor.engine.questions import Now, known_facts, open_checks
from cfdoctor.engine.reasoner import Reasoner

_BUNDLED = Reasoner(load_knowledge())
_ASKABLE = sorted(n for n, f in _BUNDLED.kb.facts.items() if not f.derived)


def _facts(data: st.DataObject) -> dict[str, Value]:
    names = data.draw(st.lists(st.sampled_from(_ASKABLE), unique=True, max_size=6))
    facts: dict[str, Value] = {
        n: data.draw(st.sampled_from(_BUNDLED.kb.facts[n].value_ids or _BUNDLED.answer_domain[n]))
        for n in names
    }
    if data.draw(st.booleans()):
        facts["viewer.status"] = data.draw(st.sampled_from([403, 404, 502, 503, 504]))
    return facts


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_model_predicts_what_the_engine_fires_for_every_answer(data: st.DataObject) -> None:
    """Rules, implied facts, symptoms and the moved weights, as durable_rules computes them."""
    facts = _facts(data)
    current = _BUNDLED.evaluate(facts)
    checks = open_checks(_BUNDLED, current, set(facts))
    if not checks:
        return
    check = data.draw(st.sampled_from(checks))
    now = Now.of(_BUNDLED, current)
    model = _BUNDLED.rule_model
    for value in _BUNDLED.lookahead_domain[check.fact]:
        fired = frozenset(current.rules)
        outcome = model.extend(now.known, fired, current.symptoms, check.fact, value)
        engine = _BUNDLED.evaluate({**facts, check.fact: value})
        assert set(outcome.new_rules) == set(engine.rules) - set(current.rules), value
        assert {**now.known, **outcome.added} == known_facts(engine), value
        assert set(outcome.symptoms) == set(engine.symptoms), value
        priors = _BUNDLED.priors(outcome.symptoms, {**now.known, **outcome.added})
        moved = model.ratios(outcome.new_rules)
        expected = {s.cause: priors[s.cause] * s.ratio for s in engine.ranking.scores}
        predicted = {
            c: priors[c] * r * moved.get(c, 1.0) for c, r in now.ratios.items() if c in priors
        }
        assert predicted.keys() == expected.keys()
        for cause, weight in expected.items():
            assert predicted[cause] == pytest.approx(weight), (value, cause)
