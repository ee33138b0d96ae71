"""Replay the corpus of real cases (tests/realcases/cases) with a simulated user.

For each half (dev: tune on it; test: report it): top-1, top-3, median questions, inapplicable
questions, Brier score of the top cause's confidence, the share correct among confident
conclusions, and dead-end recall.

    .venv/bin/python bench/realcases.py            # a table, then the failing cases of the dev half
    .venv/bin/python bench/realcases.py --json     # {"dev": {...}, "test": {...}}
    .venv/bin/python bench/realcases.py --case ID  # one case, question by question
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cfdoctor.engine.loader import load_knowledge
from cfdoctor.engine.reasoner import Reasoner
from tests.realcases.corpus import load_cases
from tests.realcases.player import Played, by_half, play, summary


def _line(r: Played) -> str:
    mark = "ok " if r.top1 else ("top3" if r.top3 else "MISS")
    got = ", ".join(r.ranking[:3]) or "-"
    extra = f" ERROR {r.error}" if r.error else ""
    bad = f" inapplicable={list(r.inapplicable)}" if r.inapplicable else ""
    return f"{mark:4} {r.case.id}: want {r.case.cause}; got {got}; q={len(r.questions)}{bad}{extra}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--case", help="replay one case and show its questions")
    parser.add_argument("--half", choices=["dev", "test"], default="dev", help="cases to list")
    args = parser.parse_args()
    reasoner = Reasoner(load_knowledge())
    cases = load_cases()
    if args.case:
        (case,) = [c for c in cases if c.id == args.case]
        r = play(reasoner, case)
        print(_line(r))
        for q in r.questions:
            fact = reasoner.kb.checks[q].fact
            print(f"  ? {q} ({fact}) -> {case.facts.get(fact, 'unknown')}")
        return
    results = [play(reasoner, c) for c in cases]
    halves = by_half(results)
    figures = {half: summary(rs) for half, rs in halves.items()}
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    for half, fig in figures.items():
        print(half, json.dumps(fig))
    print()
    for r in halves[args.half]:
        if not r.top1:
            print(_line(r))


if __name__ == "__main__":
    main()
