"""Confidence: priors times likelihood ratios, normalized, with room for "none of the known causes".

Single-fault assumption within the present symptoms: the candidate causes compete. The known
causes share KNOWN_SHARE of the prior mass in proportion to their priors; the rest stays with an
"unexplained" hypothesis that no evidence moves, so evidence against every cause leaves nothing
confident instead of crowning the least-refuted one. Each rule that fires multiplies a cause's
weight by the ratio of its effect (once per rule and cause); a cause whose necessary condition is
false is ruled out (ratio 0), not merely lowered.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from cfdoctor.engine.model import Effect

LIKELIHOOD_RATIO: dict[str, float] = {
    "confirms": 100.0,
    "strong": 10.0,
    "moderate": 4.0,
    "weak": 2.0,
    "against": 0.5,
    "strong_against": 0.1,
    "rules_out": 0.0,
}
"""The one place where the qualitative strengths of the knowledge base become numbers."""

KNOWN_SHARE = 0.9
"""Prior mass shared by the known causes; 1 - KNOWN_SHARE is the "unexplained" hypothesis."""

CONFIDENT = 0.8
"""A cause at or above this posterior is a conclusion; questions stop there."""

UNEXPLAINED = "unexplained"


@dataclass(frozen=True, slots=True)
class Move:
    """One rule's effect on one cause."""

    rule: str
    effect: Effect

    @property
    def ratio(self) -> float:
        return LIKELIHOOD_RATIO[self.effect]


@dataclass(frozen=True, slots=True)
class Score:
    """One cause's prior, evidence weight and posterior."""

    cause: str
    prior: float
    """Normalized prior among the candidates (sums to KNOWN_SHARE)."""
    weight: float
    """Prior times the product of the ratios, before normalization."""
    posterior: float
    moves: tuple[Move, ...]

    @property
    def ratio(self) -> float:
        """Product of the likelihood ratios: how far the evidence moved this cause."""
        return math.prod(m.ratio for m in self.moves)

    @property
    def ruled_out(self) -> bool:
        return any(m.effect == "rules_out" for m in self.moves)


@dataclass(frozen=True)
class Ranking:
    """Every candidate's score, best first, and the share left unexplained."""

    scores: tuple[Score, ...]
    """Candidates, best first (ties broken by prior, then id, so the order is deterministic)."""
    unexplained: float
    """Posterior of "none of the known causes"."""

    @property
    def leader(self) -> Score | None:
        return self.scores[0] if self.scores and self.scores[0].posterior > 0 else None

    @property
    def confident(self) -> Score | None:
        """The leader, if it passes CONFIDENT on evidence (a prior alone never concludes)."""
        lead = self.leader
        if lead is None or lead.posterior < CONFIDENT or lead.ratio <= 1.0:
            return None
        return lead

    def distribution(self) -> list[float]:
        return [s.posterior for s in self.scores] + [self.unexplained]


def rank(priors: Mapping[str, float], moves: Mapping[str, Iterable[Move]]) -> Ranking:
    """Posterior of every candidate cause in `priors` given the moves that fired for each."""
    total_prior = sum(priors.values())
    unexplained_weight = 1.0 - KNOWN_SHARE if priors else 1.0
    partial: list[tuple[str, float, float, tuple[Move, ...]]] = []
    for cause, raw_prior in priors.items():
        unique = {(m.rule, m.effect): m for m in moves.get(cause, ())}
        cause_moves = tuple(sorted(unique.values(), key=lambda m: (m.rule, m.effect)))
        prior = KNOWN_SHARE * raw_prior / total_prior
        weight = prior * math.prod(m.ratio for m in cause_moves)
        partial.append((cause, prior, weight, cause_moves))
    norm = unexplained_weight + sum(w for _, _, w, _ in partial)
    scores = [Score(c, p, w, w / norm, ms) for c, p, w, ms in partial]
    scores.sort(key=lambda s: (-s.posterior, -s.prior, s.cause))
    return Ranking(tuple(scores), unexplained_weight / norm)


def entropy(distribution: Iterable[float]) -> float:
    """Shannon entropy in bits."""
    return -sum(p * math.log2(p) for p in distribution if p > 0)
