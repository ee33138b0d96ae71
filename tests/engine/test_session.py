"""Sessions: typed facts in, identical restore, isolation, tamper detection, scale."""

from __future__ import annotations

import json
import random
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cfdoctor.engine.errors import FactError, SessionError
from cfdoctor.engine.loader import load_knowledge
from cfdoctor.engine.reasoner import Reasoner
from cfdoctor.engine.session import Session
from tests.toykb import toy_units, write_kb


@pytest.fixture()
def toy(tmp_path: Path) -> Reasoner:
    return Reasoner(load_knowledge([write_kb(tmp_path, toy_units())], include_bundled=False))


def test_observe_checks_names_and_types(toy: Reasoner) -> None:
    s = Session(toy)
    with pytest.raises(FactError, match=r"unknown fact 't\.stauts'; did you mean: t\.status$"):
        s.observe("t.stauts", 500)
    with pytest.raises(FactError, match="whole number"):
        s.observe("t.status", "abc")
    with pytest.raises(FactError, match="not valid"):
        s.observe("t.status", True)  # a bool is not a status code
    with pytest.raises(FactError, match="one of: open, refused"):
        s.observe("t.port", "closed")
    with pytest.raises(FactError, match="derived by the rules"):
        s.observe("t.broken_name", True)
    with pytest.raises(FactError, match="unknown check"):
        s.answer("t-nope", "yes")
    assert s.inputs == ()


def test_text_answers_are_parsed_to_the_fact_type(toy: Reasoner) -> None:
    s = Session(toy)
    s.answer("t-status", "500")
    s.answer("t-dns", "いいえ")
    s.answer("t-port", "2")  # the second listed value
    assert s.facts == {"t.status": 500, "t.dns_ok": False, "t.port": "refused"}


def test_observe_many_is_all_or_nothing(toy: Reasoner) -> None:
    s = Session(toy)
    s.observe("t.status", 500)
    with pytest.raises(FactError):
        s.observe_many([("t.port", "refused"), ("t.dns_ok", "maybe")], source="cli")
    assert s.facts == {"t.status": 500}


def test_unknown_answer_settles_the_question(toy: Reasoner) -> None:
    s = Session(toy)
    s.observe("t.status", 500)
    first = s.next_question()
    assert first is not None
    s.answer(first.check.id, "unknown")
    assert first.check.fact in s.settled and first.check.fact not in s.facts
    second = s.next_question()
    assert second is None or second.check.fact != first.check.fact


def test_round_trip_behaves_identically(toy: Reasoner) -> None:
    s = Session(toy)
    s.observe("t.status", 500)
    s.answer("t-dns", "unknown")
    restored = Session.from_json(toy, s.to_json())
    assert restored.inputs == s.inputs
    assert restored.diagnosis().to_dict("ja") == s.diagnosis().to_dict("ja")
    q1, q2 = s.next_question(), restored.next_question()
    assert q1 is not None and q2 is not None and q1.check.id == q2.check.id


def test_tampered_or_foreign_state_is_refused(toy: Reasoner, tmp_path: Path) -> None:
    s = Session(toy)
    s.observe("t.status", 500)
    data = s.to_dict()
    edited = json.loads(json.dumps(data))
    edited["inputs"][0]["value"] = 502
    with pytest.raises(SessionError, match="edited or damaged"):
        Session.from_dict(toy, edited)
    foreign = dict(data, kb_version="0.0.1+000000000000")
    with pytest.raises(SessionError, match="made with knowledge base"):
        Session.from_dict(toy, foreign)
    with pytest.raises(SessionError, match="not valid JSON"):
        Session.from_json(toy, "{nope")
    with pytest.raises(SessionError, match="not a cfdoctor session"):
        Session.from_json(toy, "[]")
    with pytest.raises(SessionError, match="format version"):
        Session.from_dict(toy, dict(data, format_version=99))


def test_two_sessions_never_see_each_others_facts(toy: Reasoner) -> None:
    a, b = Session(toy), Session(toy)
    a.observe("t.status", 500)
    a.observe("t.port", "refused")
    b.observe("t.status", 500)
    b.observe("t.dns_ok", False)
    assert a.facts == {"t.status": 500, "t.port": "refused"}
    assert a.diagnosis().findings[0].cause.id == "c-port"
    assert b.diagnosis().findings[0].cause.id == "c-dns"
    assert "t.port" not in dict(b.evaluation().facts)


def test_ten_thousand_live_sessions_across_threads(toy: Reasoner) -> None:
    """Far past durable_rules' 1,024 live sessions per ruleset, each isolated from the rest."""
    answers = [("refused", True), ("open", False), ("refused", False), ("open", True)]
    expected = {}
    for port, dns in answers:
        s = Session(toy)
        s.observe_many([("t.status", 500), ("t.port", port), ("t.dns_ok", dns)], "test")
        expected[(port, dns)] = s.diagnosis(with_question=False).to_dict("en")["causes"]
    sessions: list[list[tuple[Session, tuple[str, bool]]]] = [[] for _ in range(8)]
    failures: list[str] = []

    def worker(index: int) -> None:
        rng = random.Random(index)
        mine = sessions[index]
        for _ in range(1250):
            key = rng.choice(answers)
            s = Session(toy)
            s.observe("t.status", 500)
            s.observe("t.port", key[0])
            mine.append((s, key))
        for s, key in mine:  # all 1,250 still alive; now complete and check each
            s.observe("t.dns_ok", key[1])
            got = s.diagnosis(with_question=False).to_dict("en")["causes"]
            if got != expected[key]:
                failures.append(f"{key}: {got}")

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(len(s) for s in sessions) == 10_000
    assert not failures, failures[:3]


_BUNDLED = Reasoner(load_knowledge())


def _valid_values(name: str) -> list[object]:
    return list(_BUNDLED.answer_domain[name])


_ASKABLE = sorted(n for n, f in _BUNDLED.kb.facts.items() if not f.derived)


@st.composite
def _fact_sets(draw: st.DrawFn) -> list[tuple[str, object]]:
    names = draw(st.lists(st.sampled_from(_ASKABLE), unique=True, min_size=1, max_size=8))
    return [(n, draw(st.sampled_from(_valid_values(n)))) for n in names]


@settings(max_examples=60, deadline=None)
@given(facts=_fact_sets(), seed=st.integers(0, 2**16))
def test_order_of_facts_does_not_change_the_diagnosis(
    facts: list[tuple[str, object]], seed: int
) -> None:
    shuffled = list(facts)
    random.Random(seed).shuffle(shuffled)
    a, b = Session(_BUNDLED), Session(_BUNDLED)
    for name, value in facts:
        a.observe(name, value)  # type: ignore[arg-type]
    for name, value in shuffled:
        b.observe(name, value)  # type: ignore[arg-type]
    assert a.diagnosis().to_dict("en")["causes"] == b.diagnosis().to_dict("en")["causes"]
    qa, qb = a.next_question(), b.next_question()
    assert (qa and qa.check.id) == (qb and qb.check.id)


def test_implemented_providers_are_the_real_parsers_and_probes() -> None:
    from cfdoctor import evidence, probes
    from cfdoctor.engine.validate import PROVIDERS

    assert evidence.PROVIDERS | probes.PROVIDERS == PROVIDERS
