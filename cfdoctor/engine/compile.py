"""Knowledge -> durable_rules ruleset definition as plain data: a pure function, no durable import.

Every pattern stays inside what research/durable-rules.md measured as safe: constant tests only,
several conditions on one fact merged into one pattern, conditions on different facts joined by
durable's implicit same-session join, `any` split into separate rules (durable's own `any` fires
once per combination), typed values, and a catch-all rule so every fact is storable.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cfdoctor.engine.model import Assertion, CauseEffect, Condition, KnowledgeBase, Value

FACT_TYPE = "fact"
"""The `t` field of every fact asserted into durable_rules."""

CATCH_ALL = "_catch_all"
NOOP_ACTION = "_noop"


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """What happens when one compiled rule fires."""

    rule: str
    """Knowledge rule id, or the symptom id for symptom rules."""
    kind: str
    """'rule' or 'symptom'."""
    asserts: tuple[Assertion, ...] = ()
    effects: tuple[CauseEffect, ...] = ()


@dataclass(frozen=True)
class CompiledRuleset:
    """A knowledge base as a durable_rules ruleset, with the actions its rules name."""

    name: str
    definition: dict[str, Any]
    actions: dict[str, ActionSpec]


def encode_fact(name: str, value: Value) -> dict[str, Any]:
    return {"t": FACT_TYPE, "n": name, "v": value}


def _test(cond: Condition) -> list[dict[str, Any]]:
    v = cond.value
    if cond.op == "eq":
        return [{"v": v}]
    if cond.op == "ne":
        return [{"$neq": {"v": v}}]
    if cond.op == "in":
        assert isinstance(v, tuple)
        return [{"$or": [{"v": x} for x in v]}] if len(v) > 1 else [{"v": v[0]}]
    if cond.op == "not_in":
        assert isinstance(v, tuple)
        return [{"$neq": {"v": x}} for x in v]
    return [{f"${cond.op}": {"v": v}}]


def patterns(conditions: Iterable[Condition]) -> list[dict[str, Any]]:
    """One durable pattern per fact, all of that fact's tests merged into it."""
    by_fact: dict[str, list[dict[str, Any]]] = {}
    for cond in conditions:
        by_fact.setdefault(cond.fact, []).extend(_test(cond))
    return [
        {f"p{i}": {"$and": [{"t": FACT_TYPE}, {"n": fact}, *tests]}}
        for i, (fact, tests) in enumerate(sorted(by_fact.items()))
    ]


def compile_knowledge(kb: KnowledgeBase, name: str) -> CompiledRuleset:
    definition: dict[str, Any] = {
        CATCH_ALL: {"pri": 1000, "all": [{"m": {"$ex": {"t": 1}}}], "run": NOOP_ACTION}
    }
    actions: dict[str, ActionSpec] = {}

    def add(rule_name: str, spec: ActionSpec, branches: tuple[tuple[Condition, ...], ...]) -> None:
        for index, branch in enumerate(branches):
            durable_name = f"{spec.kind}:{rule_name}#{index}"
            definition[durable_name] = {"all": patterns(branch), "run": durable_name}
            actions[durable_name] = spec

    for symptom in kb.symptoms.values():
        add(symptom.id, ActionSpec(symptom.id, "symptom"), symptom.when.branches())
    for rule in kb.rules.values():
        add(rule.id, ActionSpec(rule.id, "rule", rule.asserts, rule.effects), rule.when.branches())
    return CompiledRuleset(name=name, definition={name: definition}, actions=actions)
