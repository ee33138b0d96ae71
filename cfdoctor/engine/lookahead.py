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

from cfdoctor.engine.hierarchy import truth
from cfdoctor.engine.model import Condition, KnowledgeBase, Value
from cfdoctor.engine.scoring import LIKELIHOOD_RATIO

Branch = tuple[Condition, ...]


@dataclass(frozen=True)
class Outcome:
    """The state after one hypothetical answer."""

    known: dict[str, Value]
    """Inputs and implied facts, the answer included."""
    rules: frozenset[str]
    """Rules that would fire (those firing now included)."""
    symptoms: tuple[str, ...]


class RuleModel:
    """The knowledge's rules as plain Python predicates, indexed by the facts they test."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb

    @cached_property
    def _rules_on(self) -> dict[str, list[tuple[str, tuple[Branch, ...]]]]:
        index: dict[str, list[tuple[str, tuple[Branch, ...]]]] = {}
        for rule in self.kb.rules.values():
            branches = rule.when.branches()
            for fact in {c.fact for c in rule.when.conditions()}:
                index.setdefault(fact, []).append((rule.id, branches))
        return index

    @cached_property
    def _symptoms_on(self) -> dict[str, list[tuple[str, tuple[Branch, ...]]]]:
        index: dict[str, list[tuple[str, tuple[Branch, ...]]]] = {}
        for symptom in self.kb.symptoms.values():
            branches = symptom.when.branches()
            for fact in {c.fact for c in symptom.when.conditions()}:
                index.setdefault(fact, []).append((symptom.id, branches))
        return index

    @cached_property
    def prior_facts(self) -> frozenset[str]:
        """Facts whose value can change which symptoms are possible, hence the priors."""
        facts = {c.fact for s in self.kb.symptoms.values() for c in s.when.conditions()}
        facts |= {c.fact for s in self.kb.symptoms.values() for c in s.requires}
        return frozenset(facts)

    def holds(self, branch: Branch, known: Mapping[str, Value]) -> bool:
        facts = self.kb.facts
        return all(
            cond.fact in known and truth(facts[cond.fact], cond, known[cond.fact]) is True
            for cond in branch
        )

    def extend(
        self,
        known: Mapping[str, Value],
        fired: frozenset[str],
        symptoms: tuple[str, ...],
        fact: str,
        value: Value,
    ) -> Outcome:
        """Add one fact to a state the engine computed, and chain what it newly fires."""
        state = dict(known)
        state[fact] = value
        rules = set(fired)
        present = list(symptoms)
        queue = [fact]
        while queue:
            name = queue.pop()
            for sid, branches in self._symptoms_on.get(name, ()):
                if sid not in present and any(self.holds(b, state) for b in branches):
                    present.append(sid)
            for rid, branches in self._rules_on.get(name, ()):
                if rid in rules or not any(self.holds(b, state) for b in branches):
                    continue
                rules.add(rid)
                for assertion in self.kb.rules[rid].asserts:
                    if assertion.fact not in state:
                        state[assertion.fact] = assertion.value
                        queue.append(assertion.fact)
        return Outcome(state, frozenset(rules), tuple(present))

    def ratios(self, new_rules: frozenset[str]) -> dict[str, float]:
        """The factor by which newly firing rules move each cause (each rule counts once)."""
        out: dict[str, float] = {}
        for rid in new_rules:
            for effect in set(self.kb.rules[rid].effects):
                out[effect.cause] = out.get(effect.cause, 1.0) * LIKELIHOOD_RATIO[effect.effect]
        return out
