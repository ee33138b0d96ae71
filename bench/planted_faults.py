"""The planted-fault figures: what `inspect` names and what `diagnose` ranks first, per format.

.venv/bin/python bench/planted_faults.py [--verbose]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cfdoctor.api import new_session, open_reasoner  # noqa: E402
from cfdoctor.evidence import inspect, parse_evidence  # noqa: E402
from tests.evidence.planted import CONTROLS, FAULTS  # noqa: E402


def top_cause(reasoner: Any, config_text: str, status: int, path: str) -> str | None:
    ev = parse_evidence(config_text, path=path)
    session = new_session(reasoner)
    session.observe_many(ev.facts.items(), source=ev.source)
    session.observe("viewer.status", status)
    causes = session.diagnosis(with_question=False).to_dict("en")["causes"]
    return causes[0]["id"] if causes else None


def main() -> None:
    verbose = "--verbose" in sys.argv
    reasoner = open_reasoner()
    named = ranked = 0
    for fault in FAULTS:
        cfg = fault.config()
        ids = {f.id for f in inspect(cfg)}
        ok = fault.finding in ids
        named += ok
        top = top_cause(reasoner, json.dumps(cfg), fault.status, fault.path)
        ranked += top == fault.cause
        if verbose and (not ok or top != fault.cause):
            print(f"{fault.id}: named={ok} top={top} want={fault.cause}")
    loud = 0
    for name, build in CONTROLS.items():
        bad = [f.id for f in inspect(build()) if f.severity in ("error", "warning")]
        loud += bool(bad)
        if verbose and bad:
            print(f"control {name}: {bad}")
    n = len(FAULTS)
    print(f"faults: {n}, controls: {len(CONTROLS)}")
    print(f"inspect names the fault: {named}/{n} = {100 * named / n:.0f} %")
    print(f"controls with an error or warning: {loud}/{len(CONTROLS)}")
    print(f"diagnose ranks the planted cause first: {ranked}/{n} = {100 * ranked / n:.0f} %")


if __name__ == "__main__":
    main()
