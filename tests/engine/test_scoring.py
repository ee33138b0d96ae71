"""Confidence math against numbers computed by hand."""

from __future__ import annotations

import pytest

from cfdoctor.engine.scoring import CONFIDENT, LIKELIHOOD_RATIO, Move, entropy, rank


def test_strong_evidence_on_one_of_two_causes() -> None:
    # priors 0.6 and 0.3 share 0.9 of the mass in proportion -> 0.6 and 0.3; unexplained 0.1.
    # A gets "strong" (x10): weights 6.0, 0.3, 0.1; total 6.4.
    r = rank({"a": 0.6, "b": 0.3}, {"a": [Move("r1", "strong")]})
    assert [s.cause for s in r.scores] == ["a", "b"]
    assert r.scores[0].posterior == pytest.approx(6.0 / 6.4)
    assert r.scores[1].posterior == pytest.approx(0.3 / 6.4)
    assert r.unexplained == pytest.approx(0.1 / 6.4)
    assert r.confident is not None and r.confident.cause == "a"


def test_priors_are_normalized_among_candidates() -> None:
    # raw priors 0.2 and 0.2 -> 0.45 each; no evidence: 0.45, 0.45, 0.1.
    r = rank({"a": 0.2, "b": 0.2}, {})
    assert [s.posterior for s in r.scores] == pytest.approx([0.45, 0.45])
    assert r.unexplained == pytest.approx(0.1)
    assert r.confident is None


def test_rules_out_beats_confirms_and_the_rest_renormalizes() -> None:
    # a: 0.6 x 100 x 0 = 0; b: 0.3 x 2 = 0.6; unexplained 0.1 -> b = 0.6/0.7.
    r = rank(
        {"a": 0.6, "b": 0.3},
        {"a": [Move("x", "confirms"), Move("y", "rules_out")], "b": [Move("z", "weak")]},
    )
    by = {s.cause: s for s in r.scores}
    assert by["a"].posterior == 0 and by["a"].ruled_out
    assert by["b"].posterior == pytest.approx(0.6 / 0.7)
    assert r.unexplained == pytest.approx(0.1 / 0.7)
    assert r.scores[0].cause == "b"


def test_a_rule_counts_once_per_cause() -> None:
    twice = rank({"a": 0.5, "b": 0.5}, {"a": [Move("r", "moderate"), Move("r", "moderate")]})
    once = rank({"a": 0.5, "b": 0.5}, {"a": [Move("r", "moderate")]})
    assert twice.scores == once.scores
    # 0.45 x 4 = 1.8; 0.45; 0.1 -> 1.8 / 2.35
    assert once.scores[0].posterior == pytest.approx(1.8 / 2.35)


def test_evidence_against_every_cause_leaves_nothing_confident() -> None:
    r = rank(
        {"a": 0.5, "b": 0.5}, {"a": [Move("r", "strong_against")], "b": [Move("s", "against")]}
    )
    # 0.045, 0.225, 0.1 -> unexplained 0.1/0.37 and no cause passes CONFIDENT
    assert r.unexplained == pytest.approx(0.1 / 0.37)
    assert r.confident is None


def test_a_prior_alone_never_concludes() -> None:
    r = rank({"only": 1.0}, {})
    assert r.scores[0].posterior == pytest.approx(0.9) and r.scores[0].posterior >= CONFIDENT
    assert r.confident is None


def test_no_candidates_means_unexplained() -> None:
    r = rank({}, {})
    assert r.scores == () and r.unexplained == 1.0 and r.leader is None


def test_ratio_table_is_ordered_and_documented() -> None:
    order = ["confirms", "strong", "moderate", "weak", "against", "strong_against", "rules_out"]
    ratios = [LIKELIHOOD_RATIO[k] for k in order]
    assert ratios == sorted(ratios, reverse=True) and ratios[-1] == 0
    assert set(LIKELIHOOD_RATIO) == set(order)


def test_entropy_in_bits() -> None:
    assert entropy([0.5, 0.5]) == pytest.approx(1.0)
    assert entropy([0.25] * 4) == pytest.approx(2.0)
    assert entropy([1.0, 0.0]) == 0.0
