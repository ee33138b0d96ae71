"""What one more answer would do, without running the rule engine again.

Question selection weighs every answer of every open check; replaying durable_rules for each
cost ~0.5 ms a time and made selection 50-130 times slower than a step. The knowledge's rules are
constant tests over facts, so the rules an answer would newly fire, and the facts they would imply,
follow from the conditions themselves (engine/hierarchy.py gives them the same three-valued
meaning the compiler gives durable_rules). A property test holds this model to the engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from cfdoctor.engine.hierarchy import satisfying
from cfdoctor.engine.model import Condition, KnowledgeBase, Value, When
from cfdoctor.engine.scoring import LIKELIHOOD_RATIO

Branch = tuple[Condition, ...]


@dataclass(frozen=True)
class Outcome:
    """The state after one hypothetical answer."""

    added: dict[str, Value]
    """The answer and the facts it would imply."""
    new_rules: tuple[str, ...]
    """Rules that would newly fire."""
    symptoms: tuple[str, ...]
    """Symptoms that would be present."""


Test = tuple[str, frozenset[Value] | Condition]
"""One condition, precompiled: the values of an enum or boolean fact that certainly satisfy it,
or the condition itself for numbers and text (which have no coarse values)."""


def _compile(kb: KnowledgeBase, branch: Branch) -> tuple[Test, ...]:
    tests: list[Test] = []
    for cond in branch:
        fact = kb.facts[cond.fact]
        if fact.type == "enum":
            tests.append((cond.fact, frozenset(satisfying(fact, cond))))
        elif fact.type == "bool":
            tests.append((cond.fact, frozenset(v for v in (True, False) if cond.holds(v))))
        else:
            tests.append((cond.fact, cond))
    return tuple(tests)


def _holds(tests: tuple[Test, ...], added: Mapping[str, Value], known: Mapping[str, Value]) -> bool:
    """Whether every test holds on the known facts with `added` laid over them."""
    for fact, accept in tests:
        if fact in added:
            value = added[fact]
        elif fact in known:
            value = known[fact]
        else:
            return False
        if isinstance(accept, frozenset):
            if value not in accept:
                return False
        elif not accept.holds(value):
            return False
    return True


Indexed = dict[str, list[tuple[str, tuple[tuple[Test, ...], ...]]]]


class RuleModel:
    """The knowledge's rules as plain Python predicates, indexed by the facts they test."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb

    def _index(self, units: list[tuple[str, When]]) -> Indexed:
        index: Indexed = {}
        for uid, when in units:
            branches = tuple(_compile(self.kb, b) for b in when.branches())
            for fact in {c.fact for c in when.conditions()}:
                index.setdefault(fact, []).append((uid, branches))
        return index

    @cached_property
    def _rules_on(self) -> Indexed:
        return self._index([(r.id, r.when) for r in self.kb.rules.values()])

    @cached_property
    def _symptoms_on(self) -> Indexed:
        return self._index([(s.id, s.when) for s in self.kb.symptoms.values()])

    @cached_property
    def _effects(self) -> dict[str, tuple[tuple[str, float], ...]]:
        return {
            r.id: tuple((e.cause, LIKELIHOOD_RATIO[e.effect]) for e in set(r.effects))
            for r in self.kb.rules.values()
        }

    @cached_property
    def prior_facts(self) -> frozenset[str]:
        """Facts whose value can change which symptoms are possible, hence the priors."""
        facts = {c.fact for s in self.kb.symptoms.values() for c in s.when.conditions()}
        facts |= {c.fact for s in self.kb.symptoms.values() for c in s.requires}
        return frozenset(facts)

    def extend(
        self,
        known: Mapping[str, Value],
        fired: frozenset[str],
        symptoms: tuple[str, ...],
        fact: str,
        value: Value,
    ) -> Outcome:
        """Add one fact to a state the engine computed, and chain what it newly fires."""
        added: dict[str, Value] = {fact: value}
        new_rules: list[str] = []
        present = list(symptoms)
        queue = [fact]
        while queue:
            name = queue.pop()
            for sid, branches in self._symptoms_on.get(name, ()):
                if sid not in present and any(_holds(b, added, known) for b in branches):
                    present.append(sid)
            for rid, branches in self._rules_on.get(name, ()):
                if rid in fired or rid in new_rules:
                    continue
                if not any(_holds(b, added, known) for b in branches):
                    continue
                new_rules.append(rid)
                for assertion in self.kb.rules[rid].asserts:
                    if assertion.fact not in added and assertion.fact not in known:
                        added[assertion.fact] = assertion.value
                        queue.append(assertion.fact)
        return Outcome(added, tuple(new_rules), tuple(present))

    def ratios(self, new_rules: tuple[str, ...]) -> dict[str, float]:
        """The factor by which newly firing rules move each cause (each rule counts once)."""
        out: dict[str, float] = {}
        for rid in new_rules:
            for cause, ratio in self._effects[rid]:
                out[cause] = out.get(cause, 1.0) * ratio
        return out
