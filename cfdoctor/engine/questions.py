"""Which check to ask next: the most expected information gain over the live causes per minute.

For each unanswered check that can move a live cause, every possible answer is evaluated by the
engine itself (cached), so the look-ahead can never disagree with the reasoning. How likely each
answer is under each cause follows from how the answer would move it: P(a | cause) is taken in
proportion to the factor by which answer `a` would multiply the cause's weight (0 if the answer
rules it out or removes it from the candidates); "unexplained" expects every answer alike.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from cfdoctor.engine.model import Check, Value
from cfdoctor.engine.reasoner import Evaluation, Reasoner
from cfdoctor.engine.scoring import entropy

MIN_GAIN = 1e-6
"""Below this many bits no answer can change the ranking: stop asking."""


@dataclass(frozen=True)
class Question:
    check: Check
    gain: float
    """Expected reduction of uncertainty over the causes, in bits."""
    score: float
    """Gain per minute of effort."""
    separates: tuple[str, ...]
    """Causes whose confidence the answer moves most, most first (the WHY of the question)."""


def _raw_weights(reasoner: Reasoner, ev: Evaluation) -> dict[str, float]:
    """Weights on one scale across evaluations whose candidate sets differ."""
    causes = reasoner.kb.causes
    return {s.cause: causes[s.cause].prior * s.ratio for s in ev.ranking.scores}


def _posteriors(ev: Evaluation) -> dict[str, float]:
    return {s.cause: s.posterior for s in ev.ranking.scores}


def assess(
    reasoner: Reasoner, facts: Mapping[str, Value], current: Evaluation, check: Check
) -> Question:
    outcomes = [
        reasoner.evaluate({**facts, check.fact: value})
        for value in reasoner.answer_domain[check.fact]
    ]
    now_raw = _raw_weights(reasoner, current)
    now_post = _posteriors(current)
    raw_after = [_raw_weights(reasoner, ev) for ev in outcomes]
    n = len(outcomes)
    p_answer = [current.ranking.unexplained / n] * n
    for cause, post in now_post.items():
        if post <= 0:
            continue
        factors = [after.get(cause, 0.0) / now_raw[cause] for after in raw_after]
        total = sum(factors)
        for i, factor in enumerate(factors):
            p_answer[i] += post * (factor / total if total > 0 else 1.0 / n)
    expected = sum(
        p * entropy(ev.ranking.distribution()) for p, ev in zip(p_answer, outcomes, strict=True)
    )
    gain = max(0.0, entropy(current.ranking.distribution()) - expected)
    movement: dict[str, float] = {}
    for ev in outcomes:
        after = _posteriors(ev)
        for cause in set(after) | set(now_post):
            delta = abs(after.get(cause, 0.0) - now_post.get(cause, 0.0))
            movement[cause] = max(movement.get(cause, 0.0), delta)
    separates = tuple(
        c for c, d in sorted(movement.items(), key=lambda kv: (-kv[1], kv[0])) if d >= 0.01
    )
    return Question(check, gain, gain / check.cost, separates)


def next_question(
    reasoner: Reasoner, facts: Mapping[str, Value], settled: Collection[str]
) -> Question | None:
    """The best check to ask, or None when a cause is confident or nothing can change the ranking.

    `settled` holds every fact already given or answered (including "unknown"): never asked again.
    """
    current = reasoner.evaluate(facts)
    if current.ranking.confident is not None:
        return None
    live = {s.cause for s in current.ranking.scores if s.posterior > 0}
    derived = {d.fact for d in current.derived}
    best: Question | None = None
    for check in sorted(reasoner.kb.checks.values(), key=lambda c: c.id):
        if check.fact in settled or check.fact in derived:
            continue
        if not reasoner.influence.get(check.fact, frozenset()) & live:
            continue
        question = assess(reasoner, facts, current, check)
        if question.gain < MIN_GAIN:
            continue
        if best is None or question.score > best.score + 1e-12:
            best = question
    return best
