"""The planted-fault set, in get-distribution-config JSON, CloudFormation (YAML with short-form
tags, and JSON as CDK writes it) and Terraform HCL: inspect names each fault, stays quiet on the
healthy controls, diagnose ranks the planted cause first from the config, the viewer's status
and the failing path, and every format settles the same facts."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from cfdoctor.engine.reasoner import Reasoner
from cfdoctor.engine.session import Session
from cfdoctor.evidence import findings_sarif, inspect, parse_evidence
from cfdoctor.evidence.distribution import load_document
from tests.evidence.iac_writers import (
    cloudformation_json,
    cloudformation_yaml,
    terraform_hcl,
    terraform_show_json,
)
from tests.evidence.planted import CONTROLS, FAULTS, Fault

TARGET = 0.9

FORMATS: dict[str, Callable[[dict[str, Any]], str]] = {
    "json": lambda doc: json.dumps(doc, indent=2),
    "cloudformation-yaml": cloudformation_yaml,
    "cloudformation-json": cloudformation_json,
    "terraform": terraform_hcl,
    "terraform-show-json": terraform_show_json,
}


def _top(reasoner: Reasoner, text: str, fault: Fault) -> str | None:
    ev = parse_evidence(text, path=fault.path)
    session = Session(reasoner)
    session.observe_many(ev.facts.items(), source=ev.source)
    session.observe("viewer.status", fault.status)
    causes = session.diagnosis(with_question=False).to_dict("en")["causes"]
    return causes[0]["id"] if causes else None


def _findings(text: str) -> set[str]:
    return {f.id for f in inspect(load_document(text)[0])}


def test_the_set_is_large_enough() -> None:
    assert len(FAULTS) >= 25 and len(CONTROLS) >= 3
    assert len({f.id for f in FAULTS}) == len(FAULTS)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("name", sorted(CONTROLS))
def test_no_error_or_warning_on_a_healthy_control(fmt: str, name: str) -> None:
    config = load_document(FORMATS[fmt](CONTROLS[name]()))[0]
    loud = [(f.id, f.severity) for f in inspect(config) if f.severity != "note"]
    assert loud == []


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_inspect_names_the_planted_faults(fmt: str) -> None:
    missed = [f.id for f in FAULTS if f.finding not in _findings(FORMATS[fmt](f.config()))]
    assert len(missed) <= len(FAULTS) * (1 - TARGET), missed


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_diagnose_ranks_the_planted_cause_first(reasoner: Reasoner, fmt: str) -> None:
    wrong = {
        f.id: top for f in FAULTS if (top := _top(reasoner, FORMATS[fmt](f.config()), f)) != f.cause
    }
    assert len(wrong) <= len(FAULTS) * (1 - TARGET), wrong


@pytest.mark.parametrize("fmt", [f for f in sorted(FORMATS) if f != "json"])
def test_code_settles_the_same_facts_and_findings_as_the_api(fmt: str) -> None:
    for fault in FAULTS:
        config = fault.config()
        api = parse_evidence(json.dumps(config), path=fault.path)
        code = parse_evidence(FORMATS[fmt](config), path=fault.path)
        assert code.facts == api.facts, fault.id
        assert {f.id for f in code.findings} == {f.id for f in api.findings}, fault.id


@pytest.mark.parametrize(
    ("fmt", "needle"),
    [
        ("cloudformation-yaml", "HTTPSPort: 80"),
        ("cloudformation-json", '"HTTPSPort": 80'),
        ("terraform", "https_port = 80"),
        ("terraform-show-json", '"https_port": 80'),
    ],
)
def test_sarif_points_at_the_line_in_the_code(fmt: str, needle: str) -> None:
    fault = next(f for f in FAULTS if f.id == "https-to-port-80")
    text = FORMATS[fmt](fault.config())
    findings = inspect(load_document(text)[0])
    sarif = findings_sarif(findings, artifact_uri="dist", document=text)
    result = next(r for r in sarif["runs"][0]["results"] if r["ruleId"] == "https-to-port-80")
    line = result["locations"][0]["physicalLocation"]["region"]["startLine"]
    assert needle in text.splitlines()[line - 1], (line, text)


def test_the_committed_files_are_current() -> None:
    from tests.evidence.make_planted import expected

    stale = [str(p) for p, text in expected().items() if not p.is_file() or p.read_text() != text]
    assert stale == [], "run: .venv/bin/python -m tests.evidence.make_planted"
