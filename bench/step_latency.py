"""In-process latency of one diagnosis step with the full bundled knowledge base.

A step = one new fact observed plus the diagnosis recomputed (the engine replays the session's
inputs under a fresh durable_rules session). The evaluation cache is cleared before every step,
so each one pays for the rule engine: this is the cost of a step the engine has never seen.
Question selection (look-ahead over every possible answer) is measured separately.

    .venv/bin/python bench/step_latency.py [--steps 2000]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time

from cfdoctor.engine.loader import load_knowledge
from cfdoctor.engine.reasoner import Reasoner
from cfdoctor.engine.session import Session


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--questions", type=int, default=200)
    args = parser.parse_args()
    reasoner = Reasoner(load_knowledge())
    rng = random.Random(7)
    askable = sorted(n for n, f in reasoner.kb.facts.items() if not f.derived)
    clear = reasoner._cached.cache_clear

    step_ms: list[float] = []
    question_ms: list[float] = []
    facts_per_session: list[int] = []
    while len(step_ms) < args.steps:
        session = Session(reasoner)
        session.observe("viewer.status", rng.choice([502, 403, 404]))
        names = rng.sample(askable, k=min(10, len(askable)))
        for name in names:
            if name in session.settled:
                continue
            value = rng.choice(reasoner.answer_domain[name])
            clear()
            start = time.perf_counter()
            session.observe(name, value)
            session.diagnosis(with_question=False)
            step_ms.append((time.perf_counter() - start) * 1000)
            if len(question_ms) < args.questions:
                clear()
                start = time.perf_counter()
                session.next_question()
                question_ms.append((time.perf_counter() - start) * 1000)
        facts_per_session.append(len(session.inputs))
    result = {
        "rules": len(reasoner.kb.rules),
        "causes": len(reasoner.kb.causes),
        "steps": len(step_ms),
        "mean_facts_per_session": round(statistics.mean(facts_per_session), 1),
        "step_ms_p50": round(percentile(step_ms, 0.50), 3),
        "step_ms_p99": round(percentile(step_ms, 0.99), 3),
        "next_question_ms_p50": round(percentile(question_ms, 0.50), 2),
        "next_question_ms_p99": round(percentile(question_ms, 0.99), 2),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
