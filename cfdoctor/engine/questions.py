"""Which check to ask next: the most expected information gain over the live causes per minute.

For each unanswered check that can move a live cause, every distinct answer is evaluated by the
engine itself (cached), so the look-ahead can never disagree with the reasoning. How likely each
answer is under each cause follows from how the answer would move it: P(a | cause) is taken in
proportion to the factor by which answer `a` would multiply the cause's weight (0 if the answer
rules it out or removes it from the candidates); "unexplained" expects every answer alike. The
gain is the mutual information between the cause and the answer under that model.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from cfdoctor.engine.model import Check, Value
from cfdoctor.engine.reasoner import Evaluation, Reasoner
from cfdoctor.engine.scoring import entropy

MIN_GAIN = 1e-6
"""Below this many bits no answer can change the ranking: stop asking."""


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


def _raw_weights(reasoner: Reasoner, ev: Evaluation) -> dict[str, float]:
    """Weights on one scale across evaluations whose candidate sets differ."""
    causes = reasoner.kb.causes
    return {s.cause: causes[s.cause].prior * s.ratio for s in ev.ranking.scores}


def _posteriors(ev: Evaluation) -> dict[str, float]:
    return {s.cause: s.posterior for s in ev.ranking.scores}


def assess(
    reasoner: Reasoner, facts: Mapping[str, Value], current: Evaluation, check: Check
) -> Question:
    """Expected information gain of asking `check`: I(cause; answer) = H(answer) - H(answer|cause).

    Causes the answer cannot move, and "unexplained", expect every answer alike.
    """
    outcomes = [
        reasoner.evaluate({**facts, check.fact: value})
        for value in reasoner.lookahead_domain[check.fact]
    ]
    n = len(outcomes)
    uniform = [1.0 / n] * n
    now_raw = _raw_weights(reasoner, current)
    now_post = _posteriors(current)
    raw_after = [_raw_weights(reasoner, ev) for ev in outcomes]
    p_answer = [current.ranking.unexplained / n] * n
    conditional = current.ranking.unexplained * entropy(uniform)
    for cause, post in now_post.items():
        if post <= 0:
            continue
        factors = [after.get(cause, 0.0) / now_raw[cause] for after in raw_after]
        total = sum(factors)
        likelihood = [f / total for f in factors] if total > 0 else uniform
        for i, p in enumerate(likelihood):
            p_answer[i] += post * p
        conditional += post * entropy(likelihood)
    gain = max(0.0, entropy(p_answer) - conditional)
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


def _gain_bound(posteriors: Mapping[str, float], moved: frozenset[str], answers: int) -> float:
    """An upper bound of the gain of a check with `answers` outcomes that moves only `moved`.

    The answer depends on the cause only through which moved cause it is (all others expect
    every answer alike), so I(cause; answer) <= H(that coarser variable); and never more than
    H(answer) <= log2(answers).
    """
    inside = [p for c, p in posteriors.items() if c in moved and p > 0]
    return min(entropy([*inside, max(0.0, 1.0 - sum(inside))]), math.log2(answers))


def next_question(
    reasoner: Reasoner, facts: Mapping[str, Value], settled: Collection[str]
) -> Question | None:
    """The best check to ask, or None when a cause is confident or nothing can change the ranking.

    `settled` holds every fact already given or answered (including "unknown"): never asked
    again. Checks are assessed best bound first, and those whose bound cannot beat the best
    score found are skipped: the choice is the same as assessing them all, at a fraction of
    the evaluations.
    """
    current = reasoner.evaluate(facts)
    if current.ranking.confident is not None:
        return None
    posteriors = _posteriors(current)
    live = {c for c, p in posteriors.items() if p > 0}
    derived = {d.fact for d in current.derived}
    candidates: list[tuple[float, Check]] = []
    for check in reasoner.kb.checks.values():
        if check.fact in settled or check.fact in derived:
            continue
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
        question = assess(reasoner, facts, current, check)
        if question.gain < MIN_GAIN:
            continue
        if (
            best is None
            or question.score > best.score + 1e-12
            or (abs(question.score - best.score) <= 1e-12 and check.id < best.check.id)
        ):
            best = question
    return best
