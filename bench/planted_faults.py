"""The planted-fault figures: what `inspect` names and what `diagnose` ranks first, per format.

.venv/bin/python bench/planted_faults.py [--verbose]
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cfdoctor.api import new_session, open_reasoner  # noqa: E402
from cfdoctor.evidence import inspect, parse_evidence  # noqa: E402
from cfdoctor.evidence.distribution import load_document  # noqa: E402
from tests.evidence import iac_writers  # noqa: E402
from tests.evidence.planted import CONTROLS, FAULTS  # noqa: E402

FORMATS: dict[str, Callable[[dict[str, Any]], str]] = {
    "get-distribution-config JSON": json.dumps,
    "CloudFormation YAML": iac_writers.cloudformation_yaml,
    "CloudFormation JSON (CDK)": iac_writers.cloudformation_json,
    "Terraform HCL": iac_writers.terraform_hcl,
    "terraform show -json": iac_writers.terraform_show_json,
}


def top_cause(reasoner: Any, config_text: str, status: int, path: str) -> str | None:
    """The leading cause given the config, the viewer's status and the failing path."""
    ev = parse_evidence(config_text, path=path)
    session = new_session(reasoner)
    session.observe_many(ev.facts.items(), source=ev.source)
    session.observe("viewer.status", status)
    causes = session.diagnosis(with_question=False).to_dict("en")["causes"]
    return causes[0]["id"] if causes else None


def main() -> None:
    verbose = "--verbose" in sys.argv
    reasoner = open_reasoner()
    n = len(FAULTS)
    print(f"faults: {n}, controls: {len(CONTROLS)}")
    for fmt, write in FORMATS.items():
        named = ranked = loud = 0
        for fault in FAULTS:
            text = write(fault.config())
            ok = fault.finding in {f.id for f in inspect(load_document(text)[0])}
            named += ok
            top = top_cause(reasoner, text, fault.status, fault.path)
            ranked += top == fault.cause
            if verbose and (not ok or top != fault.cause):
                print(f"  {fmt} {fault.id}: named={ok} top={top} want={fault.cause}")
        for name, build in CONTROLS.items():
            config = load_document(write(build()))[0]
            bad = [f.id for f in inspect(config) if f.severity in ("error", "warning")]
            loud += bool(bad)
            if verbose and bad:
                print(f"  {fmt} control {name}: {bad}")
        print(
            f"{fmt}: inspect names {named}/{n} = {100 * named / n:.0f} %; "
            f"controls with an error or warning {loud}/{len(CONTROLS)}; "
            f"diagnose first {ranked}/{n} = {100 * ranked / n:.0f} %"
        )


if __name__ == "__main__":
    main()
