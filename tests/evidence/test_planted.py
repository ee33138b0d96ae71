"""The planted-fault set: inspect names each fault, stays quiet on healthy controls, and diagnose
ranks the planted cause first from the config, the viewer's status and the failing path."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cfdoctor.engine.reasoner import Reasoner
from cfdoctor.engine.session import Session
from cfdoctor.evidence import inspect, parse_evidence
from tests.evidence.planted import CONTROLS, FAULTS, Fault

TARGET = 0.9


def _top(reasoner: Reasoner, config: Any, fault: Fault) -> str | None:
    ev = parse_evidence(json.dumps(config), path=fault.path)
    session = Session(reasoner)
    session.observe_many(ev.facts.items(), source=ev.source)
    session.observe("viewer.status", fault.status)
    causes = session.diagnosis(with_question=False).to_dict("en")["causes"]
    return causes[0]["id"] if causes else None


def test_the_set_is_large_enough() -> None:
    assert len(FAULTS) >= 25 and len(CONTROLS) >= 3
    assert len({f.id for f in FAULTS}) == len(FAULTS)


@pytest.mark.parametrize("name", sorted(CONTROLS))
def test_no_error_or_warning_on_a_healthy_control(name: str) -> None:
    loud = [(f.id, f.severity) for f in inspect(CONTROLS[name]()) if f.severity != "note"]
    assert loud == []


def test_inspect_names_the_planted_faults() -> None:
    missed = [f.id for f in FAULTS if f.finding not in {x.id for x in inspect(f.config())}]
    assert len(missed) <= len(FAULTS) * (1 - TARGET), missed


def test_diagnose_ranks_the_planted_cause_first(reasoner: Reasoner) -> None:
    wrong = {f.id: top for f in FAULTS if (top := _top(reasoner, f.config(), f)) != f.cause}
    assert len(wrong) <= len(FAULTS) * (1 - TARGET), wrong
