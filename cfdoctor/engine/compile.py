"""Knowledge -> durable_rules ruleset definition as plain data: a pure function, no durable import.

Every pattern stays inside what research/durable-rules.md measured as safe: constant tests only,
several conditions on one fact merged into one pattern, conditions restated over coarse values
(engine/hierarchy.py), conditions on different facts joined by durable's implicit same-session
join, `any` split into separate rules (durable's own `any` fires once per combination), typed
values, and a catch-all rule so every fact is storable.

Branches with the same patterns compile to one durable rule that runs all their actions: the C
core links at most 256 rules to one condition (BETA_LIST_LENGTH, error 108 at load), and
knowledge that says the same thing many times must not reach that limit. What remains (many
different rules starting with one condition) is measured by `engine_fan_out` for validation.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cfdoctor.engine.hierarchy import expand
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
    actions: dict[str, tuple[ActionSpec, ...]]
    """Durable rule name -> the knowledge rules (or symptoms) it stands for, in knowledge order."""


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
    actions: dict[str, tuple[ActionSpec, ...]] = {}
    by_patterns: dict[str, str] = {}

    def add(rule_name: str, spec: ActionSpec, branches: tuple[tuple[Condition, ...], ...]) -> None:
        for index, branch in enumerate(branches):
            tests = [expand(kb.facts[c.fact], c) if c.fact in kb.facts else c for c in branch]
            compiled = patterns(tests)
            key = json.dumps(compiled, sort_keys=True, default=str)
            same = by_patterns.get(key)
            if same is not None:
                actions[same] = (*actions[same], spec)
                continue
            durable_name = f"{spec.kind}:{rule_name}#{index}"
            definition[durable_name] = {"all": compiled, "run": durable_name}
            actions[durable_name] = (spec,)
            by_patterns[key] = durable_name

    for symptom in kb.symptoms.values():
        add(symptom.id, ActionSpec(symptom.id, "symptom"), symptom.when.branches())
    for rule in kb.rules.values():
        add(rule.id, ActionSpec(rule.id, "rule", rule.asserts, rule.effects), rule.when.branches())
    return CompiledRuleset(name=name, definition={name: definition}, actions=actions)


BETA_LIST_LENGTH = 256
"""durable_rules links at most this many rules to one condition (rules.h); more is error 108."""


def engine_fan_out(compiled: CompiledRuleset) -> list[tuple[str, int, tuple[str, ...]]]:
    """(pattern, number of durable rules, units as "rules/<id>" or "symptoms/<id>") for each
    condition that durable links more than half its limit of rules to, busiest first."""
    (definition,) = compiled.definition.values()
    uses: Counter[str] = Counter()
    rules: dict[str, list[str]] = {}
    for durable_name, rule in definition.items():
        for pattern in rule["all"]:
            (test,) = pattern.values()
            key = json.dumps(test, sort_keys=True, default=str)
            uses[key] += 1
            rules.setdefault(key, []).extend(
                f"{s.kind}s/{s.rule}" for s in compiled.actions.get(durable_name, ())
            )
    return [
        (key, count, tuple(dict.fromkeys(rules[key])))
        for key, count in uses.most_common()
        if count > BETA_LIST_LENGTH // 2
    ]
