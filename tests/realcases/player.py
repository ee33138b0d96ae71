"""A simulated user: volunteers what the report states up front, answers the engine's questions
from what the report says, and says "unknown" to everything else.

It measures what a real person would meet: whether the confirmed cause ends first or in the top
three, how many questions it took, whether any question was inapplicable (its premise excluded
by the case's own facts), how well the stated confidence is calibrated, and whether the
diagnosis warned about the dead ends the reporter actually tried.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from cfdoctor.engine.errors import CfdoctorError
from cfdoctor.engine.model import Value
from cfdoctor.engine.questions import known_facts, premise
from cfdoctor.engine.reasoner import Reasoner
from cfdoctor.engine.session import Session
from tests.realcases.corpus import RealCase

MAX_QUESTIONS = 25


@dataclass(frozen=True)
class Played:
    case: RealCase
    ranking: tuple[str, ...]
    top_posterior: float
    confident: bool
    questions: tuple[str, ...]
    inapplicable: tuple[str, ...]
    dead_ends_warned: int
    error: str = ""

    @property
    def top1(self) -> bool:
        return self.ranking[:1] == (self.case.cause,)

    @property
    def top3(self) -> bool:
        return self.case.cause in self.ranking[:3]


def _answer(reasoner: Reasoner, case: RealCase, fact: str) -> Value | str:
    """What the person says: the case's value, a coarse value where that is all they know."""
    facts = case.facts
    if fact in facts:
        return facts[fact]
    coarse = reasoner.kb.facts[fact].coarse
    if coarse is not None and coarse in facts:
        return str(facts[coarse])
    return "unknown"


_WORD = re.compile(r"[a-z0-9@._-]{4,}")
_STOP = frozenset(
    [
        "that",
        "this",
        "with",
        "from",
        "were",
        "have",
        "been",
        "they",
        "them",
        "their",
        "then",
        "than",
        "into",
        "when",
        "what",
        "which",
        "does",
        "doesn't",
        "will",
        "would",
        "could",
        "should",
        "also",
        "only",
        "just",
        "still",
        "again",
        "after",
        "before",
        "about",
        "there",
    ]
)


def _words(text: str) -> set[str]:
    """Significant words, crudely stemmed (objects -> object, tried -> tri)."""
    return {
        w.rstrip("s").removesuffix("ing").removesuffix("ed")
        for w in _WORD.findall(text.lower())
        if w not in _STOP
    }


def _warned(case: RealCase, warnings: Iterable[str]) -> int:
    """Reported dead ends the diagnosis warned about: a warning sharing three significant words
    with the dead end (two, for a dead end of five words or fewer). Approximate, and said to be."""
    texts = [_words(w) for w in warnings]
    count = 0
    for tried in case.dead_ends:
        words = _words(tried)
        need = 2 if len(words) <= 5 else 3
        if words and any(len(words & t) >= need for t in texts):
            count += 1
    return count


def play(reasoner: Reasoner, case: RealCase) -> Played:
    session = Session(reasoner)
    truth_ev = reasoner.evaluate(
        {k: v for k, v in case.facts.items() if not reasoner.kb.facts[k].derived}
    )
    case_known = known_facts(truth_ev)
    case_settled = set(case.facts)
    asked: list[str] = []
    inapplicable: list[str] = []
    try:
        session.observe_many(case.volunteered.items(), "volunteered")
        while len(asked) < MAX_QUESTIONS:
            question = session.next_question()
            if question is None:
                break
            check = question.check
            asked.append(check.id)
            if premise(reasoner, check, case_known, case_settled) == "excluded":
                inapplicable.append(check.id)
            session.answer(check.id, _answer(reasoner, case, check.fact))
        diagnosis = session.diagnosis(with_question=False)
    except CfdoctorError as exc:
        return Played(case, (), 0.0, False, tuple(asked), tuple(inapplicable), 0, str(exc))
    findings = diagnosis.findings
    warnings = [f"{d.title.en} {d.why.en}" for f in findings[:3] for d in f.cause.dead_ends]
    return Played(
        case,
        tuple(f.cause.id for f in findings),
        findings[0].score.posterior if findings else 0.0,
        diagnosis.confident is not None,
        tuple(asked),
        tuple(inapplicable),
        _warned(case, warnings),
    )


def summary(results: list[Played]) -> dict[str, Any]:
    """The figures the issue asks for, for one half of the corpus."""
    n = len(results)
    if n == 0:
        return {"cases": 0}
    confident = [r for r in results if r.confident]
    dead_ends = sum(len(r.case.dead_ends) for r in results)
    return {
        "cases": n,
        "top1": round(sum(r.top1 for r in results) / n, 3),
        "top3": round(sum(r.top3 for r in results) / n, 3),
        "median_questions": statistics.median(len(r.questions) for r in results),
        "inapplicable_questions": sum(len(r.inapplicable) for r in results),
        "brier": round(
            sum((r.top_posterior - (1.0 if r.top1 else 0.0)) ** 2 for r in results) / n, 4
        ),
        "confident": len(confident),
        "confident_correct": (
            round(sum(r.top1 for r in confident) / len(confident), 3) if confident else None
        ),
        "dead_end_recall": (
            round(sum(r.dead_ends_warned for r in results) / dead_ends, 3) if dead_ends else None
        ),
        "errors": sum(1 for r in results if r.error),
        "new_cause_cases": sum(1 for r in results if r.case.new_cause),
    }


def by_half(results: list[Played]) -> Mapping[str, list[Played]]:
    return {
        "dev": [r for r in results if r.case.half == "dev"],
        "test": [r for r in results if r.case.half == "test"],
    }
