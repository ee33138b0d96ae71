"""The runbook's flow is the engine's: replaying any answer in a Session gives the same verdict."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from cfdoctor.engine.loader import load_knowledge
from cfdoctor.engine.model import Value
from cfdoctor.engine.reasoner import Reasoner
from cfdoctor.engine.session import Session
from cfdoctor.runbook import parallel
from cfdoctor.runbook.build import build_runbook
from cfdoctor.runbook.flow import Flow, Lead, Step, derive_flow, start_facts
from tests.runbook.minikb import mini_units, t
from tests.toykb import toy_units, write_kb

Context = list[tuple[str, Value | None]]


def _value(step: Step, lead: Lead, index: int = 0) -> Value | None:
    """A concrete answer of the lead: one of its values, the engine's "other" value, or None."""
    if lead.unknown:
        return None
    if index < len(lead.answers):
        return lead.answers[index]
    assert lead.other
    return step.domain[-1]


def _contexts(flow: Flow) -> dict[str, Context]:
    """For every step, the answers that lead to it where the flow expanded it."""
    contexts: dict[str, Context] = {}
    earlier: Context = []
    for step in flow.steps:
        if step.main:
            contexts[step.check.id] = list(earlier)
            earlier.append((step.check.fact, None))
    for step in flow.steps:
        if step.via is not None:
            origin = flow.step(step.via[0])
            lead = origin.leads[step.via[1]]
            contexts[step.check.id] = [
                *contexts[origin.check.id],
                (origin.check.fact, _value(origin, lead)),
            ]
    return contexts


def _session(reasoner: Reasoner, flow: Flow, context: Context) -> Session:
    session = Session(reasoner)
    for fact, value in flow.start:
        session.observe(fact, value)
    for fact, answer in context:
        session.observe(fact, answer if answer is not None else "unknown")
    return session


def _assert_agrees(reasoner: Reasoner, flow: Flow) -> int:
    contexts = _contexts(flow)
    compared = 0
    for step in flow.steps:
        assert step.leads, f"{step.check.id} was not expanded"
        before = _session(reasoner, flow, contexts[step.check.id])
        asked = before.next_question()
        assert asked is not None and asked.check.id == step.check.id
        assert asked.separates == step.separates
        for lead in step.leads:
            count = 1 if lead.unknown else len(lead.answers) + int(lead.other)
            for i in range(count):
                answer = _value(step, lead, i)
                session = _session(
                    reasoner, flow, [*contexts[step.check.id], (step.check.fact, answer)]
                )
                diagnosis = session.diagnosis()
                confident = diagnosis.confident.cause.id if diagnosis.confident else None
                nxt = diagnosis.question.check.id if diagnosis.question else None
                where = f"{step.check.id} = {answer!r}"
                assert confident == lead.concludes, where
                assert nxt == lead.next_check, where
                if lead.end == "no-known-cause":
                    assert diagnosis.state == "no-known-cause", where
                if lead.end == "undecided":
                    assert diagnosis.state == "uncertain", where
                    top = [(f.cause.id, f.score.posterior) for f in diagnosis.findings[:3]]
                    assert list(lead.leading) == top, where
                compared += 1
    return compared


def test_every_answer_leads_where_an_interactive_session_goes(mini: Reasoner) -> None:
    for sid in sorted(mini.kb.symptoms):
        flow = derive_flow(mini, sid)
        assert _assert_agrees(mini, flow) > 0


def test_main_path_is_the_order_the_engine_asks_in(mini: Reasoner) -> None:
    flow = derive_flow(mini, "s-502")
    session = Session(mini)
    session.observe("m.status", 502)
    asked = []
    while (question := session.next_question()) is not None:
        asked.append(question.check.id)
        session.answer(question.check.id, "unknown")
    assert [s.check.id for s in flow.steps if s.main] == asked
    assert flow.opening.next_check == asked[0]
    assert [s.number for s in flow.steps] == list(range(1, len(flow.steps) + 1))


def test_checks_reached_only_on_a_branch_come_after_the_main_path(mini: Reasoner) -> None:
    flow = derive_flow(mini, "s-502")
    branch = [s for s in flow.steps if not s.main]
    assert [s.check.id for s in branch] == ["c-firewall"]
    (firewall,) = branch
    assert firewall.via is not None
    origin = flow.step(firewall.via[0])
    assert origin.check.id == "c-page"
    assert origin.leads[firewall.via[1]].answers == ("connect",)
    assert all(s.main for s in flow.steps[: -len(branch)])


def test_answers_with_the_same_verdict_are_grouped(mini: Reasoner) -> None:
    verify = derive_flow(mini, "s-502").step("c-verify")
    groups = {(lead.answers, lead.other) for lead in verify.leads if not lead.unknown}
    # 0 and 62 are the codes the rules test; every other number behaves alike
    assert ((0,), False) in groups and ((62,), False) in groups
    assert sum(other for _, other in groups) == 1
    assert all(lead.unknown for lead in verify.leads[-1:])


def test_flow_and_runbook_are_deterministic(mini: Reasoner, tmp_path: Path) -> None:
    again = Reasoner(load_knowledge([write_kb(tmp_path, mini_units())], include_bundled=False))
    first, second = derive_flow(mini, "s-502"), derive_flow(again, "s-502")
    assert [(s.check.id, s.leads) for s in first.steps] == [
        (s.check.id, s.leads) for s in second.steps
    ]
    for lang in ("en", "ja", "zh"):
        assert build_runbook(first, mini.kb, lang) == build_runbook(second, again.kb, lang)


def test_bounds_keep_every_referenced_check_listed(mini: Reasoner) -> None:
    flow = derive_flow(mini, "s-502", max_steps=2)
    assert flow.truncated
    ids = {s.check.id for s in flow.steps}
    assert len([s for s in flow.steps if s.leads]) == 2
    for step in flow.steps:
        for lead in step.leads:
            assert lead.next_check is None or lead.next_check in ids


def test_a_symptom_without_causes_has_no_checks(tmp_path: Path) -> None:
    units = mini_units()
    units["symptoms/s-503.yaml"] = {
        "title": t("503", "503", "503"),
        "description": t("Nothing known.", "不明です。", "未知。"),
        "when": {"all": [{"fact": "m.status", "eq": 503}]},
    }
    reasoner = Reasoner(load_knowledge([write_kb(tmp_path, units)], include_bundled=False))
    flow = derive_flow(reasoner, "s-503")
    assert flow.steps == () and flow.causes == ()
    assert flow.opening.next_check is None and flow.opening.end == "no-known-cause"


def test_start_facts_satisfy_symptoms_without_eq(tmp_path: Path) -> None:
    units = toy_units()
    units["symptoms/s-500.yaml"]["when"] = {"all": [{"fact": "t.status", "in": [500, 501]}]}
    reasoner = Reasoner(load_knowledge([write_kb(tmp_path, units)], include_bundled=False))
    symptom = reasoner.kb.symptoms["s-500"]
    assert start_facts(reasoner, symptom) == {"t.status": 500}
    flow = derive_flow(reasoner, "s-500")
    assert set(flow.causes) == {"c-port", "c-dns"} and flow.steps


@pytest.mark.parametrize("sid", ["s-502", "s-504"])
def test_causes_are_the_candidates_in_the_engines_order(mini: Reasoner, sid: str) -> None:
    flow = derive_flow(mini, sid)
    ranking = mini.evaluate(dict(flow.start)).ranking
    assert flow.causes == tuple(s.cause for s in ranking.scores)


def test_parallel_walk_gives_the_same_flow(
    mini: Reasoner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)  # the mini flows are too small otherwise
    pools: list[object] = []

    class Recorded(ProcessPoolExecutor):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            pools.append(self)

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", Recorded)
    fresh = Reasoner(load_knowledge([write_kb(tmp_path, mini_units())], include_bundled=False))
    for sid in ("s-502", "s-504"):
        one = derive_flow(mini, sid, jobs=1)
        two = derive_flow(fresh, sid, jobs=2)
        assert [(s.check.id, s.via, s.leads) for s in one.steps] == [
            (s.check.id, s.via, s.leads) for s in two.steps
        ]
        assert all(two.step(s.check.id).check is fresh.kb.checks[s.check.id] for s in two.steps)
    assert pools, "the walk never used worker processes (is another thread running?)"
