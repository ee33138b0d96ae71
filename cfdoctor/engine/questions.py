"""Which check to ask next: the most expected information gain over the live causes per minute.

A check is a candidate only when its fact is still open (not given, answered, or implied by a
rule) and its premise (`applies_when`) is known to hold, or rests on facts known to be unknowable:
no question is asked whose answer is implied, or whose subject the known facts exclude.

How likely each answer is under each cause follows from how the answer would move it: P(a | cause)
is taken in proportion to the factor by which answer `a` would multiply the cause's weight (0 if
it rules the cause out or removes it from the candidates); "unexplained" expects every answer
alike. The gain is the mutual information between the cause and the answer under that model. The
factors come from the rules themselves (engine/lookahead.py), not from replaying the engine.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Literal

from cfdoctor.engine.hierarchy import truth
from cfdoctor.engine.model import Check, Condition, Value
from cfdoctor.engine.reasoner import Evaluation, Reasoner, known_of
from cfdoctor.engine.scoring import KNOWN_SHARE, entropy

MIN_GAIN = 1e-6
"""Below this many bits no answer can change the ranking: stop asking."""

Premise = Literal["holds", "excluded", "pending"]


@dataclass(frozen=True)
class Question:
    """The check worth asking next and why: its gain over the live causes per minute."""

    check: Check
    gain: float
    """Expected reduction of uncertainty over the causes, in bits."""
    score: float
    """Gain per minute of effort."""
    separates: tuple[str, ...]
    """Causes whose confidence the answer moves most, most first (the WHY of the question)."""
    likely: tuple[Value, ...] = ()
    """Answers the engine expects most, most likely first (offered first to the person)."""


def known_facts(ev: Evaluation) -> dict[str, Value]:
    """Inputs and the facts rules derived or implied from them."""
    return known_of(ev.facts, ev.derived)


def _condition_state(
    reasoner: Reasoner,
    cond: Condition,
    known: Mapping[str, Value],
    settled: Collection[str],
    *,
    irrelevant_if: bool = False,
) -> Premise:
    """One premise condition: what the question is about (excluded when known false, or
    unknowable), or with `irrelevant_if` what makes it irrelevant (excluded when known true)."""
    if cond.fact in known:
        held = truth(reasoner.kb.facts[cond.fact], cond, known[cond.fact])
        return "excluded" if held is irrelevant_if else "holds"
    if cond.fact in settled:
        return "holds" if irrelevant_if else "excluded"
    if not reasoner.kb.checks_by_fact.get(cond.fact):
        return "holds"  # no question can learn the premise first
    return "pending"


def premise(
    reasoner: Reasoner, check: Check, known: Mapping[str, Value], settled: Collection[str]
) -> Premise:
    """Whether a check's premise holds, is excluded by what is known, or waits for a fact.

    `all` and `any` name what the question is about, which must be known to exist first (the key
    policy of an SSE-KMS object); if the person could not tell it, the follow-up is not asked:
    who cannot say which service answered cannot quote its message either. `not` names what
    makes the question irrelevant (an S3 origin for a TLS question): asked first when it can be,
    it excludes only once known. A premise no check can ask counts as holding, and so does a
    coarse value that may or may not satisfy it.
    """
    when = check.applies_when
    if when is None:
        return "holds"
    states = [_condition_state(reasoner, c, known, settled) for c in when.all]
    states += [
        _condition_state(reasoner, c, known, settled, irrelevant_if=True) for c in when.not_
    ]
    if when.any:
        alternatives = [_condition_state(reasoner, c, known, settled) for c in when.any]
        if "holds" in alternatives:
            states.append("holds")
        elif "pending" in alternatives:
            states.append("pending")
        else:
            states.append("excluded")
    if "excluded" in states:
        return "excluded"
    return "pending" if "pending" in states else "holds"


@dataclass(frozen=True)
class Now:
    """The current state, as every assessment of this step needs it."""

    current: Evaluation
    known: dict[str, Value]
    priors: Mapping[str, float]
    ratios: dict[str, float]
    """How far the evidence has moved each candidate so far."""

    @classmethod
    def of(cls, reasoner: Reasoner, current: Evaluation) -> Now:
        known = known_facts(current)
        return cls(
            current,
            known,
            reasoner.priors(current.symptoms, known),
            {s.cause: s.ratio for s in current.ranking.scores},
        )



def _posteriors(weights: Mapping[str, float], prior_total: float) -> dict[str, float]:
    """The posteriors rank() gives these weights (known causes share KNOWN_SHARE of the prior)."""
    if prior_total <= 0:
        return {}
    scaled = {c: KNOWN_SHARE * w / prior_total for c, w in weights.items()}
    norm = (1.0 - KNOWN_SHARE) + sum(scaled.values())
    return {c: w / norm for c, w in scaled.items()}


def _outcomes(
    reasoner: Reasoner, now: Now, check: Check
) -> tuple[list[dict[str, float]], list[Mapping[str, float] | None]]:
    """Per answer: the factor it would move each cause by, and new priors if it changes them."""
    model = reasoner.rule_model
    fired = frozenset(now.current.rules)
    moved: list[dict[str, float]] = []
    priors: list[Mapping[str, float] | None] = []
    for value in reasoner.lookahead_domain[check.fact]:
        outcome = model.extend(now.known, fired, now.current.symptoms, check.fact, value)
        moved.append(model.ratios(outcome.new_rules))
        if not model.prior_facts.isdisjoint(outcome.added):
            priors.append(reasoner.priors(outcome.symptoms, {**now.known, **outcome.added}))
        else:
            priors.append(None)
    return moved, priors


def assess(reasoner: Reasoner, now: Now, check: Check, *, explain: bool = True) -> Question:
    """Expected information gain of asking `check`: I(cause; answer) = H(answer) - H(answer|cause).

    Causes the answer cannot move, and "unexplained", expect every answer alike: they are summed
    into one lump rather than weighed one by one. `explain` adds which causes the answer would
    move most (only the chosen question needs it).
    """
    moved, new_priors = _outcomes(reasoner, now, check)
    n = len(moved)
    uniform_entropy = math.log2(n)
    now_post = {s.cause: s.posterior for s in now.current.ranking.scores}
    if any(p is not None for p in new_priors):
        affected = set(now_post)
    else:
        affected = {c for m in moved for c in m}
    lump = now.current.ranking.unexplained + sum(
        p for c, p in now_post.items() if c not in affected
    )
    p_answer = [lump / n] * n
    conditional = lump * uniform_entropy
    for cause in affected:
        post = now_post.get(cause, 0.0)
        if post <= 0:
            continue
        base = now.priors[cause]
        factors = [
            (priors.get(cause, 0.0) / base if priors is not None else 1.0) * m.get(cause, 1.0)
            for m, priors in zip(moved, new_priors, strict=True)
        ]
        total = sum(factors)
        if total <= 0:
            p_answer = [p + post / n for p in p_answer]
            conditional += post * uniform_entropy
            continue
        for i, f in enumerate(factors):
            p_answer[i] += post * f / total
        conditional += post * entropy(f / total for f in factors)
    gain = max(0.0, entropy(p_answer) - conditional)
    if not explain:
        return Question(check, gain, gain / check.cost, ())
    answers = reasoner.lookahead_domain[check.fact]
    ranked = sorted(range(n), key=lambda i: (-p_answer[i], i))
    likely = tuple(answers[i] for i in ranked if p_answer[i] > 0)
    return Question(
        check, gain, gain / check.cost, _separates(now, moved, new_priors), likely
    )


def _separates(
    now: Now, moved: list[dict[str, float]], new_priors: list[Mapping[str, float] | None]
) -> tuple[str, ...]:
    """Causes whose posterior some answer would move by at least 0.01, most moved first."""
    now_post = {s.cause: s.posterior for s in now.current.ranking.scores}
    movement: dict[str, float] = {}
    for m, priors in zip(moved, new_priors, strict=True):
        base = priors if priors is not None else now.priors
        weights = {
            c: base[c] * r * m.get(c, 1.0) for c, r in now.ratios.items() if c in base
        }
        post_after = _posteriors(weights, sum(base.values()))
        for cause in set(post_after) | set(now_post):
            delta = abs(post_after.get(cause, 0.0) - now_post.get(cause, 0.0))
            movement[cause] = max(movement.get(cause, 0.0), delta)
    return tuple(
        c for c, d in sorted(movement.items(), key=lambda kv: (-kv[1], kv[0])) if d >= 0.01
    )


def _gain_bound(posteriors: Mapping[str, float], moved: frozenset[str], answers: int) -> float:
    """An upper bound of the gain of a check with `answers` outcomes that moves only `moved`.

    The answer depends on the cause only through which moved cause it is (all others expect
    every answer alike), so I(cause; answer) <= H(that coarser variable); and never more than
    H(answer) <= log2(answers).
    """
    inside = [p for c, p in posteriors.items() if c in moved and p > 0]
    return min(entropy([*inside, max(0.0, 1.0 - sum(inside))]), math.log2(answers))


def open_checks(
    reasoner: Reasoner, current: Evaluation, settled: Collection[str]
) -> list[Check]:
    """Checks that may be asked now: fact open, premise holding."""
    known = known_facts(current)
    return [
        check
        for check in reasoner.kb.checks.values()
        if check.fact not in settled
        and check.fact not in known
        and premise(reasoner, check, known, settled) == "holds"
    ]


def next_question(
    reasoner: Reasoner, facts: Mapping[str, Value], settled: Collection[str]
) -> Question | None:
    """The best check to ask, or None when a cause is confident or nothing can change the ranking.

    `settled` holds every fact already given or answered (including "unknown"): never asked
    again. Checks are assessed best bound first, and those whose bound cannot beat the best
    score found are skipped: the choice is the same as assessing them all.
    """
    current = reasoner.evaluate(facts)
    if current.ranking.confident is not None:
        return None
    posteriors = {s.cause: s.posterior for s in current.ranking.scores}
    live = {c for c, p in posteriors.items() if p > 0}
    now = Now.of(reasoner, current)
    candidates: list[tuple[float, Check]] = []
    for check in open_checks(reasoner, current, settled):
        moved = reasoner.influence.get(check.fact, frozenset()) & live
        if moved:
            answers = len(reasoner.lookahead_domain[check.fact])
            bound = _gain_bound(posteriors, frozenset(moved), answers)
            candidates.append((bound / check.cost, check))
    candidates.sort(key=lambda bc: (-bc[0], bc[1].id))
    best: Question | None = None
    for bound, check in candidates:
        if best is not None and bound < best.score - 1e-12:
            break
        question = assess(reasoner, now, check, explain=False)
        if question.gain < MIN_GAIN:
            continue
        if (
            best is None
            or question.score > best.score + 1e-12
            or (abs(question.score - best.score) <= 1e-12 and check.id < best.check.id)
        ):
            best = question
    return None if best is None else assess(reasoner, now, best.check)
