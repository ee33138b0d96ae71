"""Question selection: most information per minute, never asks what is settled, stops when done."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cfdoctor.engine.loader import load_knowledge
from cfdoctor.engine.questions import MIN_GAIN, Now, _gain_bound, assess, next_question, open_checks
from cfdoctor.engine.reasoner import Reasoner
from cfdoctor.engine.session import Session
from tests.toykb import toy_units, write_kb


@pytest.fixture()
def toy(tmp_path: Path) -> Reasoner:
    return Reasoner(load_knowledge([write_kb(tmp_path, toy_units())], include_bundled=False))


def test_chosen_question_has_the_best_gain_per_minute(toy: Reasoner) -> None:
    facts = {"t.status": 500}
    current = toy.evaluate(facts)
    scores = {
        c.id: assess(toy, Now.of(toy, current), c).score
        for c in toy.kb.checks.values()
        if c.fact not in facts
    }
    q = next_question(toy, facts, set(facts))
    assert q is not None and q.score == pytest.approx(max(scores.values()))
    # both causes have prior 0.5 and one check each; the port check rules one out in half the cases
    assert q.gain > 0 and set(q.separates) == {"c-port", "c-dns"}


def test_supplied_facts_are_never_asked(toy: Reasoner) -> None:
    s = Session(toy)
    s.observe("t.status", 500)
    s.observe("t.port", "open")
    asked = set()
    while (q := s.next_question()) is not None:
        assert q.check.fact not in asked and q.check.fact not in {"t.status", "t.port"}
        asked.add(q.check.fact)
        s.answer(q.check.id, "yes" if q.check.fact == "t.dns_ok" else "unknown")
    assert asked <= {"t.dns_ok"}


def test_stops_when_a_cause_is_confident(toy: Reasoner) -> None:
    # c-port: 0.45 x 10 = 4.5; c-dns 0.45; unexplained 0.1 -> 4.5 / 5.05 = 0.891 >= 0.8
    s = Session(toy)
    s.observe_many([("t.status", 500), ("t.port", "refused")], "test")
    d = s.diagnosis()
    assert d.state == "confident" and d.confident is not None and d.confident.cause.id == "c-port"
    assert d.confident.score.posterior == pytest.approx(4.5 / 5.05)
    assert d.question is None


def test_stops_when_nothing_can_change_the_ranking(toy: Reasoner) -> None:
    s = Session(toy)
    s.observe("t.status", 200)  # no symptom: no known cause applies, nothing worth asking
    d = s.diagnosis()
    assert d.state == "no-known-cause" and d.question is None and d.unexplained == 1.0


def test_explanations_name_rules_and_facts(toy: Reasoner) -> None:
    s = Session(toy)
    s.observe_many([("t.status", 500), ("t.dns_ok", False), ("t.port", "open")], "test")
    d = s.diagnosis()
    top = d.findings[0]
    assert top.cause.id == "c-dns"
    (reason,) = top.how
    assert reason.rule == "broken-name" and reason.effect == "strong"
    assert [(u.fact, u.value, u.derived_by) for u in reason.facts] == [
        ("t.broken_name", True, "dns-bad")
    ]
    (out,) = d.ruled_out
    assert out.cause.id == "c-port" and out.how[0].rule == "port-open"


_BUNDLED = Reasoner(load_knowledge())


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_pruned_choice_equals_assessing_every_check(data: st.DataObject) -> None:
    """Skipping checks whose gain bound cannot win never changes the question asked."""
    kb = _BUNDLED.kb
    askable = sorted(n for n, f in kb.facts.items() if not f.derived)
    names = data.draw(st.lists(st.sampled_from(askable), unique=True, max_size=6))
    facts = {n: data.draw(st.sampled_from(_BUNDLED.answer_domain[n])) for n in names}
    facts["viewer.status"] = data.draw(st.sampled_from([403, 404, 502, 503, 504]))
    current = _BUNDLED.evaluate(facts)
    chosen = next_question(_BUNDLED, facts, set(facts))
    if current.ranking.confident is not None:
        assert chosen is None
        return
    live = {s.cause for s in current.ranking.scores if s.posterior > 0}
    now = Now.of(_BUNDLED, current)
    assessed = [
        assess(_BUNDLED, now, c)
        for c in sorted(open_checks(_BUNDLED, current, set(facts)), key=lambda c: c.id)
        if _BUNDLED.influence[c.fact] & live
    ]
    assessed = [q for q in assessed if q.gain >= MIN_GAIN]
    if not assessed:
        assert chosen is None
        return
    top = max(q.score for q in assessed)
    expected = min((q for q in assessed if q.score >= top - 1e-12), key=lambda q: q.check.id)
    assert chosen is not None and chosen.check.id == expected.check.id
    assert all(
        q.gain
        <= _gain_bound(
            {s.cause: s.posterior for s in current.ranking.scores},
            frozenset(_BUNDLED.influence[q.check.fact] & live),
            len(_BUNDLED.lookahead_domain[q.check.fact]),
        )
        + 1e-9
        for q in assessed
    )
