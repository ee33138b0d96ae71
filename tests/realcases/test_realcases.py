"""The real-case corpus: well-formed, sourced, and a floor under the engine's figures on it.

The floors hold the test half (never tuned on) where the engine stands today, so quality cannot
slide back unnoticed; raise them when it improves. `bench/realcases.py` prints the figures.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from typing import Any

import pytest
import yaml

from cfdoctor.engine.loader import load_knowledge
from cfdoctor.engine.reasoner import Reasoner
from cfdoctor.engine.values import type_problem
from tests.realcases.corpus import CASES_DIR, RealCase, load_cases
from tests.realcases.player import Played, by_half, play, summary

FLOOR = {"top1": 0.70, "top3": 0.75, "confident_correct": 0.9}
MAX_PER_CAUSE = 8


@cache
def _reasoner() -> Reasoner:
    return Reasoner(load_knowledge())


@cache
def _played() -> tuple[Played, ...]:
    return tuple(play(_reasoner(), case) for case in load_cases())


def test_the_corpus_is_large_sourced_and_varied() -> None:
    cases = load_cases()
    assert len(cases) >= 120
    assert len({c.url for c in cases}) == len(cases), "a report is one case"
    assert all(c.url.startswith(("https://", "http://")) for c in cases)
    assert {c.lang for c in cases} == {"en", "ja", "zh"}
    per_cause = Counter(c.cause for c in cases)
    assert max(per_cause.values()) <= MAX_PER_CAUSE, per_cause.most_common(3)


@pytest.mark.parametrize("path", sorted(CASES_DIR.glob("*.yaml")), ids=lambda p: p.stem)
def test_each_case_is_complete_and_speaks_the_vocabulary(path: Any) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["id"] == path.stem
    for field in ("url", "lang", "title", "confirmed_by", "confirmation", "observed", "cause"):
        assert data.get(field), f"{path.name}: {field} is missing"
    kb = _reasoner().kb
    for section in ("volunteered", "known"):
        for name, value in (data.get(section) or {}).items():
            fact = kb.facts.get(name)
            assert fact is not None and not fact.derived, f"{path.name}: {name}"
            assert type_problem(fact, value) is None, f"{path.name}: {name}={value!r}"
    if data["cause"] not in kb.causes:
        assert data.get("new_cause", {}).get("id") == data["cause"], path.name


def test_every_case_replays_without_error() -> None:
    errors = [(r.case.id, r.error) for r in _played() if r.error]
    assert not errors


def test_no_question_is_asked_whose_premise_the_case_excludes() -> None:
    bad = [(r.case.id, r.inapplicable) for r in _played() if r.inapplicable]
    assert not bad


def test_the_test_half_stays_above_its_floor() -> None:
    figures = summary(list(by_half(list(_played()))["test"]))
    for key, floor in FLOOR.items():
        assert figures[key] is not None and figures[key] >= floor, (key, figures)


def test_halves_are_a_fixed_split_of_the_corpus() -> None:
    cases: list[RealCase] = load_cases()
    halves = Counter(c.half for c in cases)
    assert halves["dev"] + halves["test"] == len(cases)
    assert min(halves.values()) >= len(cases) // 3
