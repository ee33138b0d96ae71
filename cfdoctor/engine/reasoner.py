"""One loaded knowledge base, ready to reason: facts in, symptoms, derived facts and ranking out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache

from cfdoctor.engine.compile import compile_knowledge
from cfdoctor.engine.hierarchy import truth
from cfdoctor.engine.lookahead import RuleModel
from cfdoctor.engine.model import Cause, Condition, Fact, KnowledgeBase, Symptom, Value
from cfdoctor.engine.runtime import Derivation, RuleRuntime
from cfdoctor.engine.scoring import Move, Ranking, rank
from cfdoctor.engine.values import candidate_values

FactItems = tuple[tuple[str, Value], ...]


@dataclass(frozen=True)
class Evaluation:
    """What the knowledge base concludes from one set of facts."""

    facts: FactItems
    symptoms: tuple[str, ...]
    rules: tuple[str, ...]
    """Knowledge rules that fired, each once, in firing order."""
    derived: tuple[Derivation, ...]
    ranking: Ranking

    def derived_by(self, fact: str) -> list[Derivation]:
        return [d for d in self.derived if d.fact == fact]


class Reasoner:
    """Compiles a knowledge base once and evaluates fact sets against it.

    Evaluations are pure functions of the fact set, so they are cached: question selection looks
    ahead at many hypothetical answers, and sessions replaying the same inputs share the work.
    """

    def __init__(self, kb: KnowledgeBase, cache_size: int = 8192) -> None:
        self.kb = kb
        self.runtime = RuleRuntime(compile_knowledge(kb, "cfdoctor"))
        self.symptom_facts = frozenset(
            cond.fact for s in kb.symptoms.values() for cond in s.when.conditions()
        )
        self._cached = lru_cache(maxsize=cache_size)(self._evaluate)

    # What question selection and the runbook need, computed on first use: a one-shot
    # diagnosis never asks, and start-up time is what it pays for.
    @cached_property
    def _conditions(self) -> dict[str, list[Condition]]:
        conditions: dict[str, list[Condition]] = {name: [] for name in self.kb.facts}
        whens = [r.when for r in self.kb.rules.values()]
        for when in whens + [s.when for s in self.kb.symptoms.values()]:
            for cond in when.conditions():
                conditions[cond.fact].append(cond)
        for symptom in self.kb.symptoms.values():
            for cond in symptom.requires:
                conditions[cond.fact].append(cond)
        return conditions

    @cached_property
    def answer_domain(self) -> dict[str, tuple[Value, ...]]:
        """Every value that exercises the knowledge's conditions on each fact."""
        return {
            name: tuple(candidate_values(fact, _constants(self._conditions[name])))
            for name, fact in self.kb.facts.items()
        }

    @cached_property
    def lookahead_domain(self) -> dict[str, tuple[Value, ...]]:
        """One answer per distinct outcome: what question selection evaluates."""
        return {
            name: self._distinct(fact, self._conditions[name])
            for name, fact in self.kb.facts.items()
        }

    def evaluate(self, facts: Mapping[str, Value]) -> Evaluation:
        return self._cached(tuple(sorted(facts.items())))

    def _evaluate(self, items: FactItems) -> Evaluation:
        firing = self.runtime.run(items)
        symptoms = tuple(dict.fromkeys(firing.symptoms))
        rules = tuple(dict.fromkeys(firing.rules))
        known = known_of(items, firing.derived)
        moves: dict[str, list[Move]] = {}
        for rule_id in rules:
            for effect in self.kb.rules[rule_id].effects:
                moves.setdefault(effect.cause, []).append(Move(rule_id, effect.effect))
        ranking = rank(self.priors(symptoms, known), moves)
        return Evaluation(items, symptoms, rules, tuple(firing.derived), ranking)

    def possible_symptoms(
        self, active: Iterable[str], known: Mapping[str, Value]
    ) -> list[Symptom]:
        """The present symptoms; while none is known yet, every symptom the facts allow.

        When every fact the symptoms test is known and none matched, no symptom is possible.
        """
        present = [self.kb.symptoms[s] for s in active]
        if present:
            return present
        if self.symptom_facts <= set(known):
            return []
        return [
            s
            for s in self.kb.symptoms.values()
            if not any(
                c.fact in known and truth(self.kb.facts[c.fact], c, known[c.fact]) is False
                for c in s.requires
            )
        ]

    def priors(self, active: Iterable[str], known: Mapping[str, Value]) -> Mapping[str, float]:
        """P(cause) = sum over possible symptoms of P(symptom) * P(cause | symptom).

        Causes compete within a symptom by their priors; symptoms weigh by theirs, so a ranking
        made before the status is known is a real probability, not a mix of per-status scales.
        With one symptom present this is each cause's prior, normalized within it.
        """
        symptoms = tuple(s.id for s in self.possible_symptoms(active, known))
        return self._priors_of(symptoms)

    @lru_cache(maxsize=1024)  # noqa: B019 - one Reasoner per knowledge base, kept for its life
    def _priors_of(self, symptom_ids: tuple[str, ...]) -> Mapping[str, float]:
        symptoms = [self.kb.symptoms[s] for s in symptom_ids]
        total = sum(s.prior for s in symptoms)
        priors: dict[str, float] = {}
        for symptom in symptoms:
            members = self._causes_of[symptom.id]
            mass = sum(c.prior for c in members)
            for cause in members:
                share = symptom.prior / total * cause.prior / mass
                priors[cause.id] = priors.get(cause.id, 0.0) + share
        return priors

    @cached_property
    def _causes_of(self) -> dict[str, list[Cause]]:
        out: dict[str, list[Cause]] = {s: [] for s in self.kb.symptoms}
        for cause in self.kb.causes.values():
            for s in cause.symptoms:
                out[s].append(cause)
        return out

    def _distinct(self, fact: Fact, conditions: list[Condition]) -> tuple[Value, ...]:
        """The answers worth looking ahead at: both booleans; for the rest, one precise value per
        way the knowledge's conditions can come out (a verify code no rule names is "any other
        code", one answer however many numbers it covers; so are enum values no rule tells
        apart)."""
        values = self.answer_domain[fact.name]
        if fact.type == "bool":
            return tuple(values)
        if fact.type == "enum":
            distinct: dict[tuple[bool, ...], Value] = {}
            for precise in fact.precise_ids:  # a person who knows gives the precise value
                distinct.setdefault(tuple(c.holds(precise) for c in conditions), precise)
            return tuple(distinct.values())
        constants = _constants(conditions)
        preferred = [v for v in values if v in constants] + [
            values[-1] if fact.type == "int" else values[0]
        ]
        chosen: dict[tuple[bool, ...], Value] = {}
        for value in [*preferred, *values]:
            chosen.setdefault(tuple(c.holds(value) for c in conditions), value)
        return tuple(sorted(chosen.values()))

    @cached_property
    def rule_model(self) -> RuleModel:
        return RuleModel(self.kb)

    @cached_property
    def influence(self) -> dict[str, frozenset[str]]:
        """For each fact, the causes whose ranking it can move (through derived facts too)."""
        direct: dict[str, set[str]] = {}
        feeds: dict[str, set[str]] = {}
        for rule in self.kb.rules.values():
            for cond in rule.when.conditions():
                direct.setdefault(cond.fact, set()).update(e.cause for e in rule.effects)
                feeds.setdefault(cond.fact, set()).update(a.fact for a in rule.asserts)
        every_cause = set(self.kb.causes)
        for symptom in self.kb.symptoms.values():
            for cond in symptom.when.conditions():
                direct.setdefault(cond.fact, set()).update(every_cause)
        result: dict[str, frozenset[str]] = {}
        for fact in self.kb.facts:
            seen, stack, causes = {fact}, [fact], set()
            while stack:
                current = stack.pop()
                causes |= direct.get(current, set())
                for nxt in feeds.get(current, ()):
                    if nxt not in seen:
                        seen.add(nxt)
                        stack.append(nxt)
            result[fact] = frozenset(causes)
        return result


def known_of(
    facts: Iterable[tuple[str, Value]], derived: Iterable[Derivation]
) -> dict[str, Value]:
    """Inputs and the facts rules derived or implied from them (an input always stands)."""
    known = dict(facts)
    for d in derived:
        known.setdefault(d.fact, d.value)
    return known


def _constants(conditions: list[Condition]) -> list[Value]:
    out: list[Value] = []
    for cond in conditions:
        out.extend(cond.value if isinstance(cond.value, tuple) else (cond.value,))
    return out
